"""Customers (``/v1/customers``) through both SDK styles, and Checkout naming them."""

from __future__ import annotations

import pytest
import stripe

from ._support import Backend, SdkStyle, assert_stripe_error, ids_of, payment_params, plain

#: Every field of a customer as Stripe sends it by default (Stripe's OpenAPI example plus the
#: newer nullable fields of stripe-python 16's ``Customer`` class).
CUSTOMER_FIELDS = {
    "id",
    "object",
    "address",
    "balance",
    "business_name",
    "created",
    "currency",
    "customer_account",
    "default_source",
    "delinquent",
    "description",
    "discount",
    "email",
    "individual_name",
    "invoice_prefix",
    "invoice_settings",
    "livemode",
    "metadata",
    "name",
    "next_invoice_sequence",
    "phone",
    "preferred_locales",
    "shipping",
    "tax_exempt",
    "test_clock",
}


def test_create_returns_a_customer_with_every_field(sdk: SdkStyle) -> None:
    customer = sdk.resource("customers").create(email="ada@example.com", name="Ada")
    assert set(plain(customer)) == CUSTOMER_FIELDS
    assert customer["object"] == "customer"
    assert customer["id"].startswith("cus_")
    assert (customer["email"], customer["name"]) == ("ada@example.com", "Ada")
    assert customer["address"] is None
    assert customer["balance"] == 0
    assert customer["tax_exempt"] == "none"
    assert customer["livemode"] is False


def test_retrieve_returns_the_created_customer(sdk: SdkStyle) -> None:
    customers = sdk.resource("customers")
    created = customers.create(email="bob@example.com", metadata={"plan": "pro"})
    retrieved = customers.retrieve(created["id"])
    assert plain(retrieved) == plain(created)


def test_update_merges_metadata_and_an_empty_value_unsets_a_key(sdk: SdkStyle) -> None:
    customers = sdk.resource("customers")
    created = customers.create(metadata={"a": "1", "b": "2"})
    updated = customers.update(created["id"], metadata={"b": "", "c": "3"}, name="Cy")
    assert plain(updated["metadata"]) == {"a": "1", "c": "3"}
    assert updated["name"] == "Cy"


def test_update_with_an_address_shows_every_address_field(sdk: SdkStyle) -> None:
    customers = sdk.resource("customers")
    created = customers.create()
    updated = customers.update(created["id"], address={"country": "DE", "city": "Berlin"})
    assert plain(updated["address"]) == {
        "city": "Berlin",
        "country": "DE",
        "line1": None,
        "line2": None,
        "postal_code": None,
        "state": None,
    }


def test_delete_returns_the_deleted_stub(sdk: SdkStyle) -> None:
    customers = sdk.resource("customers")
    created = customers.create()
    deleted = customers.delete(created["id"])
    assert plain(deleted) == {"id": created["id"], "object": "customer", "deleted": True}


def test_a_deleted_customer_retrieves_as_the_deleted_stub(sdk: SdkStyle) -> None:
    customers = sdk.resource("customers")
    created = customers.create()
    customers.delete(created["id"])
    retrieved = customers.retrieve(created["id"])
    assert plain(retrieved) == {"id": created["id"], "object": "customer", "deleted": True}


def test_a_deleted_customer_leaves_the_list(sdk: SdkStyle) -> None:
    customers = sdk.resource("customers")
    kept = customers.create(email="list-delete@example.com")
    gone = customers.create(email="list-delete@example.com")
    customers.delete(gone["id"])
    assert ids_of(customers.list(email="list-delete@example.com")["data"]) == [kept["id"]]


def test_retrieve_an_unknown_customer_is_404_no_such_customer(sdk: SdkStyle) -> None:
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.resource("customers").retrieve("cus_NoSuchCustomer0")
    assert_stripe_error(
        info.value,
        stripe.InvalidRequestError,
        status=404,
        message="No such customer: 'cus_NoSuchCustomer0'",
        code="resource_missing",
        param="id",
    )


def test_list_filters_by_email_newest_first(sdk: SdkStyle) -> None:
    customers = sdk.resource("customers")
    first = customers.create(email="filter@example.com")
    customers.create(email="other@example.com")
    second = customers.create(email="filter@example.com")
    listed = customers.list(email="filter@example.com")
    assert ids_of(listed["data"]) == [second["id"], first["id"]]
    assert listed["url"] == "/v1/customers"


def test_list_pages_with_starting_after(sdk: SdkStyle) -> None:
    customers = sdk.resource("customers")
    made = [customers.create(email="pages@example.com")["id"] for _ in range(3)]
    page = customers.list(email="pages@example.com", limit=2)
    assert page["has_more"] is True
    rest = customers.list(email="pages@example.com", limit=2, starting_after=page["data"][-1]["id"])
    assert ids_of(page["data"]) + ids_of(rest["data"]) == list(reversed(made))
    assert rest["has_more"] is False


def test_a_session_with_a_customer_shows_its_email_in_customer_details(
    sdk: SdkStyle,
) -> None:
    customer = sdk.resource("customers").create(email="details@example.com")
    session = sdk.create(payment_params(customer=customer["id"]))
    assert session["customer"] == customer["id"]
    assert session["customer_details"]["email"] == "details@example.com"


def test_a_session_expands_the_customer_created_through_the_sdk(sdk: SdkStyle) -> None:
    customer = sdk.resource("customers").create(email="expand@example.com", name="Ex")
    session = sdk.create(payment_params(customer=customer["id"]))
    retrieved = sdk.retrieve(session["id"], {"expand": ["customer"]})
    assert plain(retrieved["customer"]) == plain(customer)


def test_a_session_list_expands_data_customer(sdk: SdkStyle) -> None:
    customer = sdk.resource("customers").create(email="list-expand@example.com")
    sdk.create(payment_params(customer=customer["id"]))
    listed = sdk.list({"customer": customer["id"], "expand": ["data.customer"]})
    assert listed["data"][0]["customer"]["email"] == "list-expand@example.com"


def test_a_session_naming_a_deleted_customer_is_400_no_such_customer(sdk: SdkStyle) -> None:
    customers = sdk.resource("customers")
    customer = customers.create()
    customers.delete(customer["id"])
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.create(payment_params(customer=customer["id"]))
    assert_stripe_error(
        info.value,
        stripe.InvalidRequestError,
        status=400,
        message=f"No such customer: '{customer['id']}'",
        code="resource_missing",
        param="customer",
    )


@pytest.mark.fake_only
def test_create_update_delete_record_customer_events(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    customers = sdk.resource("customers")
    customer = customers.create(email="events@example.com", metadata={"a": "1"})
    customers.update(customer["id"], email="new@example.com", metadata={"b": "2"})
    customers.delete(customer["id"])
    assert stripe_backend.fake is not None
    events = stripe_backend.fake.events.list()["data"]
    assert [event["type"] for event in events] == [
        "customer.deleted",
        "customer.updated",
        "customer.created",
    ]
    updated = events[1]["data"]
    assert updated["object"]["email"] == "new@example.com"
    assert updated["previous_attributes"] == {
        "email": "events@example.com",
        "metadata": {"b": None},
    }
    assert events[0]["data"]["object"]["id"] == customer["id"]


@pytest.mark.fake_only
def test_customers_add_is_a_shortcut_over_create(stripe_backend: Backend) -> None:
    assert stripe_backend.fake is not None
    added = stripe_backend.fake.customers.add(id="cus_chosen", email="add@example.com")
    retrieved = stripe.Customer.retrieve("cus_chosen", api_key=stripe_backend.api_key)
    assert plain(retrieved) == added
    assert set(added) == CUSTOMER_FIELDS
