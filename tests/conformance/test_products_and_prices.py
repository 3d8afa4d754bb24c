"""Products (``/v1/products``) and prices (``/v1/prices``) through both SDK styles, and Checkout
naming them."""

from __future__ import annotations

import uuid

import pytest
import stripe

from ._support import Backend, SdkStyle, assert_stripe_error, ids_of, payment_params, plain

PRODUCT_FIELDS = {
    "id",
    "object",
    "active",
    "created",
    "default_price",
    "description",
    "images",
    "livemode",
    "marketing_features",
    "metadata",
    "name",
    "package_dimensions",
    "shippable",
    "statement_descriptor",
    "tax_code",
    "tax_details",
    "type",
    "unit_label",
    "updated",
    "url",
}

PRICE_FIELDS = {
    "id",
    "object",
    "active",
    "billing_scheme",
    "created",
    "currency",
    "currency_options",
    "custom_unit_amount",
    "livemode",
    "lookup_key",
    "metadata",
    "nickname",
    "product",
    "recurring",
    "tax_behavior",
    "tiers",
    "tiers_mode",
    "transform_quantity",
    "type",
    "unit_amount",
    "unit_amount_decimal",
}


def unique(prefix: str) -> str:
    """A lookup key no other run holds (real mode shares one account)."""
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


# --- products -----------------------------------------------------------------------------------


def test_product_create_returns_every_field(sdk: SdkStyle) -> None:
    product = sdk.resource("products").create(name="T-shirt", description="Cotton")
    assert set(plain(product)) == PRODUCT_FIELDS
    assert product["id"].startswith("prod_")
    assert (product["name"], product["description"], product["active"]) == (
        "T-shirt",
        "Cotton",
        True,
    )
    assert product["default_price"] is None
    assert product["updated"] == product["created"]


def test_product_update_changes_name_and_merges_metadata(sdk: SdkStyle) -> None:
    products = sdk.resource("products")
    product = products.create(name="Mug", metadata={"a": "1"})
    updated = products.update(product["id"], name="Big mug", metadata={"b": "2"})
    assert updated["name"] == "Big mug"
    assert plain(updated["metadata"]) == {"a": "1", "b": "2"}
    assert plain(products.retrieve(product["id"])) == plain(updated)


def test_product_delete_returns_the_deleted_stub(sdk: SdkStyle) -> None:
    products = sdk.resource("products")
    product = products.create(name="Gone")
    assert plain(products.delete(product["id"])) == {
        "id": product["id"],
        "object": "product",
        "deleted": True,
    }


def test_product_delete_is_refused_while_a_price_uses_it(sdk: SdkStyle) -> None:
    product = sdk.resource("products").create(name="Priced")
    sdk.resource("prices").create(product=product["id"], unit_amount=500, currency="usd")
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.resource("products").delete(product["id"])
    assert_stripe_error(
        info.value,
        stripe.InvalidRequestError,
        status=400,
        message="This product cannot be deleted because it has one or more user-created prices.",
    )


def test_product_list_filters_by_ids_and_active(sdk: SdkStyle) -> None:
    products = sdk.resource("products")
    one = products.create(name="One")
    two = products.create(name="Two", active=False)
    three = products.create(name="Three")
    picked = products.list(ids=[one["id"], two["id"], three["id"]], active=True)
    assert ids_of(picked["data"]) == [three["id"], one["id"]]


def test_retrieve_an_unknown_product_is_404_no_such_product(sdk: SdkStyle) -> None:
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.resource("products").retrieve("prod_NoSuchProduct0")
    assert_stripe_error(
        info.value,
        stripe.InvalidRequestError,
        status=404,
        message="No such product: 'prod_NoSuchProduct0'",
        code="resource_missing",
        param="id",
    )


# --- prices -------------------------------------------------------------------------------------


def test_price_create_with_product_data_returns_every_field(sdk: SdkStyle) -> None:
    price = sdk.resource("prices").create(
        unit_amount=1500, currency="usd", product_data={"name": "Hat"}, nickname="hat"
    )
    assert set(plain(price)) == PRICE_FIELDS
    assert price["id"].startswith("price_")
    # stripe 16 reads the decimal string as a ``Decimal``; stripe 14 keeps the string.
    assert (price["unit_amount"], str(price["unit_amount_decimal"]), price["type"]) == (
        1500,
        "1500",
        "one_time",
    )
    assert price["nickname"] == "hat"
    assert sdk.resource("products").retrieve(price["product"])["name"] == "Hat"


def test_price_create_recurring_with_unit_amount_decimal(sdk: SdkStyle) -> None:
    product = sdk.resource("products").create(name="Plan")
    price = sdk.resource("prices").create(
        product=product["id"],
        unit_amount_decimal="1250.5",
        currency="eur",
        recurring={"interval": "month", "interval_count": 3},
        tax_behavior="exclusive",
    )
    assert price["unit_amount"] is None
    assert str(price["unit_amount_decimal"]) == "1250.5"
    assert price["type"] == "recurring"
    assert plain(price["recurring"]) == {
        "interval": "month",
        "interval_count": 3,
        "meter": None,
        "trial_period_days": None,
        "usage_type": "licensed",
    }
    assert price["tax_behavior"] == "exclusive"


def test_price_retrieve_answers_the_sample_config_route(sdk: SdkStyle) -> None:
    """Stripe's sample apps read their price in ``/config``: ``stripe.Price.retrieve``."""
    created = sdk.resource("prices").create(
        unit_amount=999, currency="usd", product_data={"name": "Sample"}
    )
    price = sdk.resource("prices").retrieve(created["id"], expand=["product"])
    assert price["product"]["name"] == "Sample"
    assert price["unit_amount"] == 999


def test_price_create_for_an_unknown_product_is_400_no_such_product(sdk: SdkStyle) -> None:
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.resource("prices").create(
            product="prod_NoSuchProduct0", unit_amount=100, currency="usd"
        )
    assert_stripe_error(
        info.value,
        stripe.InvalidRequestError,
        status=400,
        message="No such product: 'prod_NoSuchProduct0'",
        code="resource_missing",
        param="product",
    )


def test_price_update_changes_only_what_stripe_lets_change(sdk: SdkStyle) -> None:
    prices = sdk.resource("prices")
    price = prices.create(unit_amount=100, currency="usd", product_data={"name": "Fixed"})
    updated = prices.update(price["id"], nickname="n", active=False, metadata={"k": "v"})
    assert (updated["nickname"], updated["active"], plain(updated["metadata"])) == (
        "n",
        False,
        {"k": "v"},
    )
    with pytest.raises(stripe.InvalidRequestError) as info:
        prices.update(price["id"], unit_amount=200)
    assert_stripe_error(
        info.value,
        stripe.InvalidRequestError,
        status=400,
        message="Received unknown parameter: unit_amount",
        code="parameter_unknown",
        param="unit_amount",
    )


def test_a_lookup_key_is_unique(sdk: SdkStyle) -> None:
    prices = sdk.resource("prices")
    key = unique("unique")
    holder = prices.create(
        unit_amount=100, currency="usd", product_data={"name": "K"}, lookup_key=key
    )
    with pytest.raises(stripe.InvalidRequestError) as info:
        prices.create(unit_amount=200, currency="usd", product_data={"name": "K"}, lookup_key=key)
    assert_stripe_error(
        info.value,
        stripe.InvalidRequestError,
        status=400,
        message=f"A price (`{holder['id']}`) already uses that lookup key.",
        param="lookup_key",
    )


def test_transfer_lookup_key_moves_the_key_to_the_new_price(sdk: SdkStyle) -> None:
    prices = sdk.resource("prices")
    key = unique("moving")
    old = prices.create(unit_amount=100, currency="usd", product_data={"name": "M"}, lookup_key=key)
    new = prices.create(
        unit_amount=200,
        currency="usd",
        product_data={"name": "M"},
        lookup_key=key,
        transfer_lookup_key=True,
    )
    assert new["lookup_key"] == key
    assert prices.retrieve(old["id"])["lookup_key"] is None
    assert ids_of(prices.list(lookup_keys=[key])["data"]) == [new["id"]]


def test_price_list_by_lookup_keys_finds_the_price(sdk: SdkStyle) -> None:
    prices = sdk.resource("prices")
    keys = [unique("basic"), unique("pro")]
    basic = prices.create(
        unit_amount=500, currency="usd", product_data={"name": "B"}, lookup_key=keys[0]
    )
    pro = prices.create(
        unit_amount=900, currency="usd", product_data={"name": "P"}, lookup_key=keys[1]
    )
    listed = prices.list(lookup_keys=keys, expand=["data.product"])
    assert ids_of(listed["data"]) == [pro["id"], basic["id"]]
    assert listed["data"][0]["product"]["name"] == "P"


def test_price_list_filters_by_product_type_currency_and_interval(sdk: SdkStyle) -> None:
    product = sdk.resource("products").create(name="Filters")
    prices = sdk.resource("prices")
    one_time = prices.create(product=product["id"], unit_amount=1, currency="usd")
    monthly = prices.create(
        product=product["id"], unit_amount=2, currency="usd", recurring={"interval": "month"}
    )
    prices.create(
        product=product["id"], unit_amount=3, currency="usd", recurring={"interval": "year"}
    )
    assert ids_of(prices.list(product=product["id"], type="one_time")["data"]) == [one_time["id"]]
    assert ids_of(prices.list(product=product["id"], recurring={"interval": "month"})["data"]) == [
        monthly["id"]
    ]
    assert len(prices.list(product=product["id"], currency="usd")["data"]) == 3
    assert prices.list(product=product["id"], currency="eur")["data"] == []


def test_a_session_naming_an_unknown_price_is_400_with_its_line_item_param(
    sdk: SdkStyle,
) -> None:
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.create(payment_params(line_items=[{"price": "price_NoSuchPrice0", "quantity": 1}]))
    assert_stripe_error(
        info.value,
        stripe.InvalidRequestError,
        status=400,
        message="No such price: 'price_NoSuchPrice0'",
        code="resource_missing",
        param="line_items[0][price]",
    )


def test_a_session_naming_an_archived_price_is_400_price_inactive(sdk: SdkStyle) -> None:
    prices = sdk.resource("prices")
    price = prices.create(unit_amount=100, currency="usd", product_data={"name": "Old"})
    prices.update(price["id"], active=False)
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.create(payment_params(line_items=[{"price": price["id"], "quantity": 1}]))
    assert_stripe_error(
        info.value,
        stripe.InvalidRequestError,
        status=400,
        message="The price specified is inactive. This field only accepts active prices.",
        param="line_items[0][price]",
    )


def test_a_session_for_a_price_created_through_the_sdk_expands_its_product(
    sdk: SdkStyle,
) -> None:
    price = sdk.resource("prices").create(
        unit_amount=700, currency="usd", product_data={"name": "Expanded"}
    )
    session = sdk.create(payment_params(line_items=[{"price": price["id"], "quantity": 2}]))
    items = sdk.list_line_items(session["id"], {"expand": ["data.price.product"]})
    assert items["data"][0]["price"]["product"]["name"] == "Expanded"
    assert items["data"][0]["description"] == "Expanded"
    assert session["amount_total"] == 1400


@pytest.mark.fake_only
def test_price_updates_record_events_with_previous_attributes(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    prices = sdk.resource("prices")
    price = prices.create(unit_amount=100, currency="usd", product_data={"name": "E"})
    prices.update(price["id"], nickname="later")
    assert stripe_backend.fake is not None
    events = stripe_backend.fake.events.list()["data"]
    assert [event["type"] for event in events] == [
        "price.updated",
        "price.created",
        "product.created",
    ]
    assert events[0]["data"]["previous_attributes"] == {"nickname": None}


@pytest.mark.fake_only
def test_prices_add_is_a_shortcut_over_create(stripe_backend: Backend) -> None:
    assert stripe_backend.fake is not None
    added = stripe_backend.fake.prices.add(
        id="price_chosen", unit_amount=1500, currency="usd", product_name="Tee", lookup_key="tee"
    )
    retrieved = plain(stripe.Price.retrieve("price_chosen", api_key=stripe_backend.api_key))
    assert str(retrieved.pop("unit_amount_decimal")) == added.pop("unit_amount_decimal") == "1500"
    assert retrieved == added
    product = stripe.Product.retrieve(added["product"], api_key=stripe_backend.api_key)
    assert product["name"] == "Tee"
