"""Prices and customers that sessions refer to (``fake.prices.add``, ``fake.customers.add``)."""

from __future__ import annotations

import pytest
import stripe

from fakecheckout import InvalidRequestError
from fakecheckout.core.world import World


def sdk_fields(cls: type) -> set[str]:
    """The fields stripe-python's typed class declares (the SDK is the oracle)."""
    names = set(cls.__annotations__)
    return {n for n in names if not n.startswith("_") and n not in ("OBJECT_NAME", "deleted")}


def test_price_has_every_field_of_the_sdk_price_class(world: World) -> None:
    price = world.prices.add(unit_amount=1500, currency="usd")
    assert set(price) == sdk_fields(stripe.Price)
    assert price["object"] == "price"
    assert price["type"] == "one_time"
    assert price["unit_amount_decimal"] == "1500"


def test_recurring_price_has_a_recurring_hash(world: World) -> None:
    price = world.prices.add(unit_amount=900, currency="eur", recurring={"interval": "year"})
    assert price["type"] == "recurring"
    assert price["recurring"]["interval"] == "year"
    assert price["recurring"]["interval_count"] == 1


def test_price_with_an_unsupported_currency_is_refused(world: World) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        world.prices.add(unit_amount=1, currency="zzz")
    assert caught.value.message.startswith("Invalid currency: zzz.")


def test_price_ids_and_lookup_keys_are_unique(world: World) -> None:
    world.prices.add(id="price_basic", unit_amount=1, currency="usd", lookup_key="basic")
    with pytest.raises(InvalidRequestError):
        world.prices.add(id="price_basic", unit_amount=1, currency="usd")
    with pytest.raises(InvalidRequestError):
        world.prices.add(unit_amount=1, currency="usd", lookup_key="basic")


def test_customer_has_the_fields_a_checkout_integration_reads(world: World) -> None:
    customer = world.customers.add(email="ada@example.com", name="Ada")
    assert customer["object"] == "customer"
    assert customer["id"].startswith("cus_")
    assert set(customer) <= sdk_fields(stripe.Customer)
    assert (customer["email"], customer["name"]) == ("ada@example.com", "Ada")
