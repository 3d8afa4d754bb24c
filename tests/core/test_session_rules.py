"""Create and update rules that Stripe's docs state per mode and ``ui_mode``."""

from __future__ import annotations

import pytest

from fakecheckout import InvalidRequestError
from fakecheckout.core.world import World

from .conftest import payment_params, shirt

FIXED_500_USD = {
    "shipping_rate_data": {
        "display_name": "Post",
        "type": "fixed_amount",
        "fixed_amount": {"amount": 500, "currency": "usd"},
    }
}


def refused(world: World, **params: object) -> InvalidRequestError:
    with pytest.raises(InvalidRequestError) as caught:
        world.sessions.create(**params)
    return caught.value


def test_permissions_need_an_embedded_or_elements_ui_mode(world: World) -> None:
    assert (
        refused(
            world, **payment_params(permissions={"update_shipping_details": "server_only"})
        ).param
        == "permissions"
    )
    params = payment_params(
        ui_mode="embedded_page", permissions={"update_shipping_details": "server_only"}
    )
    del params["success_url"]
    assert world.sessions.create(**params)["permissions"] == {
        "update_shipping_details": "server_only"
    }


@pytest.mark.parametrize("name", ["after_expiration", "custom_text", "origin_context"])
def test_some_parameters_are_not_allowed_with_elements(world: World, name: str) -> None:
    value = {
        "after_expiration": {"recovery": {"enabled": True}},
        "custom_text": {"submit": {"message": "Hi"}},
        "origin_context": "web",
    }[name]
    params = payment_params(ui_mode="elements", **{name: value})
    del params["success_url"]
    assert refused(world, **params).param == name


@pytest.mark.parametrize(
    ("name", "item", "maximum"),
    [
        ("shipping_options", FIXED_500_USD, 5),
        (
            "custom_fields",
            {"key": "k", "label": {"type": "custom", "custom": "K"}, "type": "text"},
            3,
        ),
    ],
)
def test_array_parameters_keep_stripes_limits(
    world: World, name: str, item: dict, maximum: int
) -> None:
    error = refused(world, **payment_params(**{name: [item] * (maximum + 1)}))
    assert error.param == name


def test_shipping_options_are_not_allowed_in_setup_mode(world: World) -> None:
    assert (
        refused(world, mode="setup", currency="usd", shipping_options=[FIXED_500_USD]).param
        == "shipping_options"
    )
    session = world.sessions.create(mode="setup", currency="usd")
    with pytest.raises(InvalidRequestError):
        world.sessions.update(session["id"], shipping_options=[FIXED_500_USD])
    assert world.sessions.retrieve(session["id"])["amount_total"] is None


def test_shipping_rate_in_another_currency_is_refused(world: World) -> None:
    other = {
        "shipping_rate_data": {
            **FIXED_500_USD["shipping_rate_data"],
            "fixed_amount": {"amount": 500, "currency": "eur"},
        }
    }
    error = refused(world, **payment_params(shipping_options=[other]))
    assert error.param == "shipping_options[0][shipping_rate_data][fixed_amount][currency]"


def test_update_keeps_what_a_line_item_update_does_not_name(world: World) -> None:
    price = world.prices.add(unit_amount=300, currency="usd")
    item = {
        **shirt(quantity=2),
        "metadata": {"m": "1"},
        "adjustable_quantity": {"enabled": True, "maximum": 7},
    }
    session = world.sessions.create(**payment_params(line_items=[item], expand=["line_items"]))
    item_id = session["line_items"]["data"][0]["id"]
    world.sessions.update(session["id"], line_items=[{"id": item_id, "price": price["id"]}])
    updated = world.sessions.list_line_items(session["id"])["data"][0]
    assert (updated["id"], updated["quantity"], updated["metadata"]) == (item_id, 2, {"m": "1"})
    assert updated["adjustable_quantity"]["maximum"] == 7
    assert updated["amount_total"] == 600


def test_the_same_line_item_twice_in_an_update_is_refused(world: World) -> None:
    session = world.sessions.create(**payment_params(expand=["line_items"]))
    item_id = session["line_items"]["data"][0]["id"]
    with pytest.raises(InvalidRequestError) as caught:
        world.sessions.update(session["id"], line_items=[{"id": item_id}, {"id": item_id}])
    assert caught.value.param == "line_items[1][id]"


def test_line_item_update_checks_tax_rates_like_create(world: World) -> None:
    session = world.sessions.create(**payment_params(expand=["line_items"]))
    item_id = session["line_items"]["data"][0]["id"]
    with pytest.raises(InvalidRequestError) as caught:
        world.sessions.update(
            session["id"], line_items=[{"id": item_id, "tax_rates": ["txr_nope"]}]
        )
    assert caught.value.code == "resource_missing"


def test_metadata_update_keeps_the_50_key_limit_on_the_merged_result(world: World) -> None:
    session = world.sessions.create(**payment_params(metadata={f"k{i}": "v" for i in range(50)}))
    with pytest.raises(InvalidRequestError) as caught:
        world.sessions.update(session["id"], metadata={"one_more": "v"})
    assert caught.value.param == "metadata"
    assert len(world.sessions.retrieve(session["id"])["metadata"]) == 50


def test_price_data_without_a_product_says_so(world: World) -> None:
    item = {"price_data": {"currency": "usd", "unit_amount": 1}, "quantity": 1}
    error = refused(world, mode="payment", line_items=[item])
    assert "either `product` or `product_data`" in error.message


def test_direct_api_values_of_the_wrong_type_are_stripe_errors(world: World) -> None:
    session = world.sessions.create(**payment_params())
    with pytest.raises(InvalidRequestError):
        world.sessions.retrieve(None)  # type: ignore[arg-type]
    with pytest.raises(InvalidRequestError):
        world.sessions.complete(session["id"], customer_details="x")  # type: ignore[arg-type]
    with pytest.raises(InvalidRequestError):
        world.customers.add(metadata=[1, 2])  # type: ignore[arg-type]
    with pytest.raises(InvalidRequestError):
        world.prices.add(
            unit_amount=1, currency="usd", recurring={"interval": "month", "interval_count": "x"}
        )


def test_objects_returned_by_the_catalog_are_copies(world: World) -> None:
    price = world.prices.add(unit_amount=1, currency="usd", recurring={"interval": "month"})
    price["recurring"]["interval"] = "year"
    customer = world.customers.add(metadata={"k": "v"})
    customer["metadata"]["k"] = "changed"
    session = world.sessions.create(
        mode="subscription",
        line_items=[{"price": price["id"], "quantity": 1}],
        customer=customer["id"],
        expand=["line_items", "customer"],
    )
    assert session["line_items"]["data"][0]["price"]["recurring"]["interval"] == "month"
    session["customer"]["metadata"]["k"] = "changed again"
    assert world.sessions.retrieve(session["id"], expand=["customer"])["customer"]["metadata"] == {
        "k": "v"
    }
