"""A payment-mode Checkout total must be a charge Stripe can make: Stripe's minimum and maximum
charge amounts per currency (docs.stripe.com/currencies#minimum-and-maximum-charge-amounts)."""

from __future__ import annotations

import pytest

from fakecheckout import StripeError
from fakecheckout.core.currencies import display_amount
from fakecheckout.core.world import World
from tests.factories import payment_params, shirt


def _create(world: World, *items: dict, **params) -> dict:
    return world.sessions.create(**payment_params(line_items=list(items), **params))


@pytest.mark.parametrize(
    ("currency", "unit_amount", "shown"),
    [("usd", 49, "$0.50"), ("gbp", 29, "£0.30"), ("jpy", 49, "¥50"), ("huf", 17499, "175.00")],
)
def test_a_total_below_the_currencys_minimum_charge_is_refused(
    world: World, currency, unit_amount, shown
):
    with pytest.raises(StripeError) as info:
        _create(world, shirt(unit_amount=unit_amount, currency=currency))
    assert (info.value.http_status, info.value.type, info.value.message) == (
        400,
        "invalid_request_error",
        f"The Checkout Session's total amount due must add up to at least {shown} {currency}",
    )


def test_a_total_of_exactly_the_minimum_is_accepted(world: World):
    assert _create(world, shirt(unit_amount=50))["amount_total"] == 50


def test_the_minimum_applies_to_the_total_not_to_each_item(world: World):
    session = _create(world, shirt(unit_amount=30), shirt(unit_amount=20))
    assert session["amount_total"] == 50


def test_a_zero_total_needs_no_payment_and_is_not_refused(world: World):
    assert _create(world, shirt(unit_amount=0))["amount_total"] == 0


def test_a_total_above_eight_digits_is_refused(world: World):
    items = [shirt(unit_amount=99_999_999, quantity=999_999)] * 100
    with pytest.raises(StripeError) as info:
        _create(world, *items)
    assert info.value.message == (
        "The Checkout Session's total amount due must add up to no more than $999,999.99 usd"
    )


def test_a_total_of_exactly_the_maximum_is_accepted(world: World):
    assert _create(world, shirt(unit_amount=99_999_999))["amount_total"] == 99_999_999


def test_idr_allows_up_to_twelve_digits(world: World):
    session = _create(world, shirt(unit_amount=999_999_999_999, currency="idr"))
    assert session["amount_total"] == 999_999_999_999


def test_a_currency_without_a_published_minimum_takes_any_positive_total(world: World):
    assert _create(world, shirt(unit_amount=1, currency="isk"))["amount_total"] == 1


def test_setup_mode_has_no_total_to_check(world: World):
    session = world.sessions.create(mode="setup", currency="usd", success_url="https://e.com/ok")
    assert session["amount_total"] is None


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (50, "usd", "$0.50"),
        (99_999_999, "usd", "$999,999.99"),
        (50, "jpy", "¥50"),
        (1234, "kwd", "1.234"),
    ],
)
def test_amounts_are_shown_in_major_units_with_the_currencys_decimals(amount, currency, shown):
    assert display_amount(amount, currency) == shown
