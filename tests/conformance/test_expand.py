"""``expand``: line items on create, retrieve and list; paths Stripe refuses; expandable
fields the fake does not model (API.md: null stays null, a non-null id is a 400, D)."""

from __future__ import annotations

import pytest
import stripe

from ._support import Backend, SdkStyle, assert_stripe_error, line_item, payment_params


def test_create_with_expand_line_items_includes_the_line_item_list(sdk: SdkStyle) -> None:
    session = sdk.create(payment_params(expand=["line_items"]))
    line_items = session["line_items"]
    assert isinstance(line_items, stripe.ListObject)
    assert line_items["object"] == "list"
    assert line_items["url"] == f"/v1/checkout/sessions/{session['id']}/line_items"
    assert [(item["object"], item["quantity"]) for item in line_items["data"]] == [("item", 1)]


def test_retrieve_with_expand_line_items_includes_the_line_item_list(sdk: SdkStyle) -> None:
    created = sdk.create(payment_params(line_items=[line_item(quantity=2)]))
    retrieved = sdk.retrieve(created["id"], {"expand": ["line_items"]})
    assert [item["quantity"] for item in retrieved["line_items"]["data"]] == [2]


def test_list_with_expand_data_line_items_includes_each_sessions_line_items(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    customer = stripe_backend.make_customer()
    sdk.create(payment_params(customer=customer, line_items=[line_item(quantity=4)]))
    listed = sdk.list({"customer": customer, "expand": ["data.line_items"]})
    assert [item["quantity"] for item in listed["data"][0]["line_items"]["data"]] == [4]


def test_retrieve_with_unknown_expand_path_raises_cannot_be_expanded(sdk: SdkStyle) -> None:
    session = sdk.create(payment_params())
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.retrieve(session["id"], {"expand": ["nonsense"]})
    assert_stripe_error(
        info.value,
        stripe.InvalidRequestError,
        status=400,
        param="expand",
        message="This property cannot be expanded (nonsense).",
    )


def test_expand_of_a_null_expandable_field_leaves_it_null(sdk: SdkStyle) -> None:
    session = sdk.create(payment_params())
    assert sdk.retrieve(session["id"], {"expand": ["payment_intent"]})["payment_intent"] is None


@pytest.mark.fake_only
def test_expand_of_the_payment_intent_of_a_completed_session_returns_it(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    assert stripe_backend.fake is not None
    session = sdk.create(payment_params())
    stripe_backend.fake.sessions.complete(session["id"])
    expanded = sdk.retrieve(session["id"], {"expand": ["payment_intent.latest_charge"]})
    assert expanded["payment_intent"]["object"] == "payment_intent"
    assert expanded["payment_intent"]["latest_charge"]["object"] == "charge"


def test_retrieve_with_expand_line_items_data_price_includes_the_line_items(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    session = sdk.create(payment_params())
    retrieved = sdk.retrieve(session["id"], {"expand": ["line_items.data.price"]})
    assert retrieved["line_items"]["data"][0]["price"]["object"] == "price"


def test_list_with_expand_data_line_items_data_price_includes_the_line_items(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    customer = stripe_backend.make_customer()
    sdk.create(payment_params(customer=customer))
    listed = sdk.list({"customer": customer, "expand": ["data.line_items.data.price"]})
    assert listed["data"][0]["line_items"]["data"][0]["price"]["object"] == "price"


def test_expand_line_items_data_price_product_includes_the_product(sdk: SdkStyle) -> None:
    session = sdk.create(payment_params())
    retrieved = sdk.retrieve(session["id"], {"expand": ["line_items.data.price.product"]})
    product = retrieved["line_items"]["data"][0]["price"]["product"]
    assert product["object"] == "product"
    assert product["name"] == "fakecheckout conformance T-shirt"
