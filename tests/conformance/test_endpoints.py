"""The six Checkout Session endpoints through the ``stripe`` SDK, in both SDK styles."""

from __future__ import annotations

import pytest
import stripe

from ._support import (
    KNOWN_FIELDS,
    REQUIRED_FIELDS,
    SUCCESS_URL,
    Backend,
    GlobalStyle,
    SdkStyle,
    fields_of,
    ids_of,
    line_item,
    payment_params,
    plain,
)


def test_create_returns_a_checkout_session_object(sdk: SdkStyle) -> None:
    session = sdk.create(payment_params())
    assert isinstance(session, stripe.checkout.Session)
    assert session["object"] == "checkout.session"
    assert session["id"].startswith("cs_test_")


def test_create_returns_every_field_the_schema_requires(sdk: SdkStyle) -> None:
    session = sdk.create(payment_params())
    missing = REQUIRED_FIELDS - fields_of(session)
    assert not missing, missing


def test_create_returns_no_field_the_schema_does_not_declare(sdk: SdkStyle) -> None:
    session = sdk.create(payment_params())
    undeclared = fields_of(session) - KNOWN_FIELDS
    assert not undeclared, undeclared


@pytest.mark.parametrize("endpoint", ["retrieve", "update", "expire", "list"])
def test_every_endpoint_returns_sessions_with_the_schema_fields(
    sdk: SdkStyle, stripe_backend: Backend, endpoint: str
) -> None:
    customer = stripe_backend.make_customer()
    session_id = sdk.create(payment_params(customer=customer))["id"]
    returned = {
        "retrieve": lambda: sdk.retrieve(session_id),
        "update": lambda: sdk.update(session_id, {"metadata": {"k": "v"}}),
        "expire": lambda: sdk.expire(session_id),
        "list": lambda: sdk.list({"customer": customer})["data"][0],
    }[endpoint]()
    assert isinstance(returned, stripe.checkout.Session)
    assert REQUIRED_FIELDS <= fields_of(returned) <= KNOWN_FIELDS


def test_create_leaves_line_items_out_unless_expanded(sdk: SdkStyle) -> None:
    session = sdk.create(payment_params())
    assert "line_items" not in fields_of(session)


def test_created_payment_session_is_open_unpaid_with_derived_amounts(sdk: SdkStyle) -> None:
    session = sdk.create(payment_params(line_items=[line_item(unit_amount=1500, quantity=2)]))
    assert (session["status"], session["payment_status"]) == ("open", "unpaid")
    assert (session["amount_subtotal"], session["amount_total"]) == (3000, 3000)
    assert session["currency"] == "usd"
    assert session["livemode"] is False


def test_created_session_expires_24_hours_after_creation_by_default(sdk: SdkStyle) -> None:
    session = sdk.create(payment_params())
    assert session["expires_at"] - session["created"] == 24 * 60 * 60


def test_created_setup_session_needs_no_payment_and_has_a_setup_intent(sdk: SdkStyle) -> None:
    session = sdk.create({"mode": "setup", "currency": "usd", "success_url": SUCCESS_URL})
    assert session["payment_status"] == "no_payment_required"
    assert session["setup_intent"].startswith("seti_")
    assert (session["amount_total"], session["total_details"]) == (None, None)


def test_create_with_a_price_id_uses_that_price(sdk: SdkStyle, stripe_backend: Backend) -> None:
    price = stripe_backend.make_price(unit_amount=700, currency="eur")
    session = sdk.create(payment_params(line_items=[{"price": price, "quantity": 3}]))
    assert (session["amount_total"], session["currency"]) == (2100, "eur")


def test_create_echoes_metadata_and_client_reference_id(sdk: SdkStyle) -> None:
    session = sdk.create(payment_params(metadata={"order": "6735"}, client_reference_id="ref-1"))
    assert plain(session["metadata"]) == {"order": "6735"}
    assert session["client_reference_id"] == "ref-1"


def test_retrieve_returns_the_created_session(sdk: SdkStyle) -> None:
    created = sdk.create(payment_params(metadata={"k": "v"}))
    retrieved = sdk.retrieve(created["id"])
    assert isinstance(retrieved, stripe.checkout.Session)
    assert (retrieved["id"], retrieved["status"], retrieved["amount_total"]) == (
        created["id"],
        "open",
        created["amount_total"],
    )


def test_retrieve_returns_the_same_fields_as_create(sdk: SdkStyle) -> None:
    created = sdk.create(payment_params())
    assert fields_of(sdk.retrieve(created["id"])) == fields_of(created)


def test_update_sets_metadata(sdk: SdkStyle) -> None:
    created = sdk.create(payment_params(metadata={"a": "1"}))
    updated = sdk.update(created["id"], {"metadata": {"b": "2"}})
    assert isinstance(updated, stripe.checkout.Session)
    assert plain(updated["metadata"]) == {"a": "1", "b": "2"}


def test_update_with_an_empty_string_unsets_one_metadata_key(sdk: SdkStyle) -> None:
    created = sdk.create(payment_params(metadata={"a": "1", "b": "2"}))
    updated = sdk.update(created["id"], {"metadata": {"a": ""}})
    assert plain(updated["metadata"]) == {"b": "2"}


def test_update_is_visible_to_a_later_retrieve(sdk: SdkStyle) -> None:
    created = sdk.create(payment_params())
    sdk.update(created["id"], {"metadata": {"b": "2"}})
    assert plain(sdk.retrieve(created["id"])["metadata"]) == {"b": "2"}


def test_list_returns_a_list_object_of_sessions(sdk: SdkStyle, stripe_backend: Backend) -> None:
    customer = stripe_backend.make_customer()
    created = sdk.create(payment_params(customer=customer))
    listed = sdk.list({"customer": customer})
    assert isinstance(listed, stripe.ListObject)
    assert (listed["object"], listed["url"], listed["has_more"]) == (
        "list",
        "/v1/checkout/sessions",
        False,
    )
    assert ids_of(listed["data"]) == [created["id"]]
    assert isinstance(listed["data"][0], stripe.checkout.Session)


def test_list_filters_by_status(sdk: SdkStyle, stripe_backend: Backend) -> None:
    customer = stripe_backend.make_customer()
    expired = sdk.create(payment_params(customer=customer))
    sdk.expire(expired["id"])
    sdk.create(payment_params(customer=customer))
    listed = sdk.list({"customer": customer, "status": "expired"})
    assert ids_of(listed["data"]) == [expired["id"]]


def test_expire_makes_an_open_session_expired(sdk: SdkStyle) -> None:
    created = sdk.create(payment_params())
    expired = sdk.expire(created["id"])
    assert isinstance(expired, stripe.checkout.Session)
    assert (expired["id"], expired["status"]) == (created["id"], "expired")


def test_expired_session_has_no_url(sdk: SdkStyle) -> None:
    created = sdk.create(payment_params())
    assert created["url"] is not None
    assert sdk.expire(created["id"])["url"] is None


def test_list_line_items_returns_the_sessions_items_in_order(sdk: SdkStyle) -> None:
    created = sdk.create(
        payment_params(
            line_items=[line_item(unit_amount=100, quantity=1), line_item(unit_amount=200)]
        )
    )
    items = sdk.list_line_items(created["id"])
    assert isinstance(items, stripe.ListObject)
    assert (items["object"], items["url"]) == (
        "list",
        f"/v1/checkout/sessions/{created['id']}/line_items",
    )
    assert [item["amount_total"] for item in items["data"]] == [100, 200]


def test_list_line_items_pages_with_limit(sdk: SdkStyle) -> None:
    created = sdk.create(
        payment_params(line_items=[line_item(unit_amount=a) for a in (100, 200, 300)])
    )
    first = sdk.list_line_items(created["id"], {"limit": 2})
    assert ([i["amount_total"] for i in first["data"]], first["has_more"]) == ([100, 200], True)
    rest = first.next_page()
    assert ([i["amount_total"] for i in rest["data"]], rest["has_more"]) == ([300], False)


@pytest.mark.fake_only
def test_global_style_restores_api_key_and_max_network_retries(stripe_backend: Backend) -> None:
    before = (stripe.api_key, stripe.max_network_retries)
    with GlobalStyle(stripe_backend) as style:
        assert (stripe.api_key, stripe.max_network_retries) == (stripe_backend.api_key, 0)
        style.create(payment_params())
    assert (stripe.api_key, stripe.max_network_retries) == before
