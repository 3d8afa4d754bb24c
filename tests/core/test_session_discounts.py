"""Checkout Sessions using coupons, promotion codes, shipping rates and tax rates: redemptions,
validity on the fake's clock, the errors Stripe gives, and what each resource records."""

from __future__ import annotations

from typing import Any

import pytest

from fakecheckout import InvalidRequestError
from fakecheckout.core.clock import ManualClock
from fakecheckout.core.world import World
from fakecheckout.resources.checkout_amounts import dynamic_match
from tests.factories import payment_params, shirt


def percent_coupon(world: World, **params: Any) -> dict[str, Any]:
    return world.coupons.create(percent_off=10, duration="once", **params)


def promotion(world: World, coupon: dict[str, Any], **params: Any) -> dict[str, Any]:
    return world.promotion_codes.create(
        promotion={"type": "coupon", "coupon": coupon["id"]}, **params
    )


def refused(call: Any, **params: Any) -> InvalidRequestError:
    with pytest.raises(InvalidRequestError) as caught:
        call(**params)
    return caught.value


# --- redemptions --------------------------------------------------------------------------------


def test_completing_a_session_with_a_coupon_counts_a_redemption(world: World) -> None:
    coupon = percent_coupon(world)
    session = world.sessions.create(**payment_params(discounts=[{"coupon": coupon["id"]}]))
    assert world.coupons.retrieve(coupon["id"])["times_redeemed"] == 0
    world.sessions.complete(session["id"])
    assert world.coupons.retrieve(coupon["id"])["times_redeemed"] == 1


def test_completing_with_a_promotion_code_counts_the_code_and_its_coupon(world: World) -> None:
    coupon = percent_coupon(world)
    code = promotion(world, coupon)
    session = world.sessions.create(**payment_params(discounts=[{"promotion_code": code["id"]}]))
    world.sessions.complete(session["id"])
    assert world.promotion_codes.retrieve(code["id"])["times_redeemed"] == 1
    assert world.coupons.retrieve(coupon["id"])["times_redeemed"] == 1


def test_an_exhausted_coupon_is_no_longer_valid_and_is_refused(world: World) -> None:
    coupon = percent_coupon(world, max_redemptions=1)
    first = world.sessions.create(**payment_params(discounts=[{"coupon": coupon["id"]}]))
    world.sessions.complete(first["id"])
    assert world.coupons.retrieve(coupon["id"])["valid"] is False
    error = refused(world.sessions.create, **payment_params(discounts=[{"coupon": coupon["id"]}]))
    assert (error.code, error.param) == ("coupon_expired", "discounts[0][coupon]")


def test_a_coupon_past_redeem_by_on_the_fake_clock_is_refused(
    world: World, clock: ManualClock
) -> None:
    coupon = percent_coupon(world, redeem_by=clock.now() + 60)
    world.sessions.create(**payment_params(discounts=[{"coupon": coupon["id"]}]))
    clock.advance(60)
    assert world.coupons.retrieve(coupon["id"])["valid"] is False
    error = refused(world.sessions.create, **payment_params(discounts=[{"coupon": coupon["id"]}]))
    assert error.code == "coupon_expired"


def test_an_inactive_promotion_code_is_refused(world: World) -> None:
    code = promotion(world, percent_coupon(world), active=False)
    error = refused(
        world.sessions.create, **payment_params(discounts=[{"promotion_code": code["id"]}])
    )
    assert error.param == "discounts[0][promotion_code]"
    assert "inactive" in error.message


def test_an_expired_promotion_code_is_refused(world: World, clock: ManualClock) -> None:
    code = promotion(world, percent_coupon(world), expires_at=clock.now() + 10)
    clock.advance(10)
    error = refused(
        world.sessions.create, **payment_params(discounts=[{"promotion_code": code["id"]}])
    )
    assert "expired" in error.message


def test_a_first_time_code_is_refused_for_a_customer_who_has_paid(world: World) -> None:
    customer = world.customers.create(email="ada@example.com")
    code = promotion(world, percent_coupon(world), restrictions={"first_time_transaction": True})
    params = payment_params(customer=customer["id"], discounts=[{"promotion_code": code["id"]}])
    first = world.sessions.create(**params)  # has not paid yet: allowed
    world.sessions.complete(first["id"])
    error = refused(world.sessions.create, **params)
    assert error.message == (
        "This promotion code cannot be redeemed because the associated customer has prior "
        "transactions."
    )


def test_a_minimum_amount_code_is_refused_below_the_minimum(world: World) -> None:
    code = promotion(
        world,
        percent_coupon(world),
        restrictions={"minimum_amount": 2000, "minimum_amount_currency": "usd"},
    )
    error = refused(
        world.sessions.create, **payment_params(discounts=[{"promotion_code": code["id"]}])
    )
    assert error.param == "discounts[0][promotion_code]"
    enough = world.sessions.create(
        **payment_params(line_items=[shirt(2)], discounts=[{"promotion_code": code["id"]}])
    )
    assert enough["total_details"]["amount_discount"] == 300


def test_an_active_code_is_unique_ignoring_case(world: World) -> None:
    coupon = percent_coupon(world)
    promotion(world, coupon, code="SUMMER")
    error = refused(
        world.promotion_codes.create,
        promotion={"type": "coupon", "coupon": coupon["id"]},
        code="summer",
    )
    assert error.param == "code"


# --- amounts through Checkout ---------------------------------------------------------------------


def test_a_coupon_for_one_product_discounts_only_that_line(world: World) -> None:
    hat = world.prices.add(unit_amount=3000, currency="usd", product_name="Hat")
    coupon = percent_coupon(world, applies_to={"products": [hat["product"]]})
    session = world.sessions.create(
        **payment_params(
            line_items=[shirt(), {"price": hat["id"], "quantity": 1}],
            discounts=[{"coupon": coupon["id"]}],
        )
    )
    items = world.sessions.list_line_items(session["id"])["data"]
    assert [item["amount_discount"] for item in items] == [0, 300]


def test_coupon_applies_to_is_shown_only_when_expanded(world: World) -> None:
    hat = world.prices.add(unit_amount=3000, currency="usd")
    coupon = percent_coupon(world, applies_to={"products": [hat["product"]]})
    assert "applies_to" not in coupon
    expanded = world.coupons.retrieve(coupon["id"], expand=["applies_to"])
    assert expanded["applies_to"] == {"products": [hat["product"]]}


def test_a_zero_decimal_session_discounts_and_taxes_whole_yen(world: World) -> None:
    tax = world.tax_rates.create(display_name="JCT", percentage=10, inclusive=False)
    coupon = world.coupons.create(amount_off=150, currency="jpy", duration="once")
    item = {**shirt(unit_amount=1000, currency="jpy"), "tax_rates": [tax["id"]]}
    session = world.sessions.create(
        **payment_params(line_items=[item], discounts=[{"coupon": coupon["id"]}])
    )
    assert session["total_details"] == {
        "amount_discount": 150,
        "amount_shipping": 0,
        "amount_tax": 85,
    }
    assert session["amount_total"] == 935


def test_an_amount_coupon_uses_its_currency_options(world: World) -> None:
    coupon = world.coupons.create(
        amount_off=500,
        currency="usd",
        currency_options={"eur": {"amount_off": 450}},
        duration="once",
    )
    session = world.sessions.create(
        **payment_params(line_items=[shirt(currency="eur")], discounts=[{"coupon": coupon["id"]}])
    )
    assert session["total_details"]["amount_discount"] == 450


def test_an_amount_coupon_without_the_sessions_currency_is_refused(world: World) -> None:
    coupon = world.coupons.create(amount_off=500, currency="usd", duration="once")
    error = refused(
        world.sessions.create,
        **payment_params(line_items=[shirt(currency="eur")], discounts=[{"coupon": coupon["id"]}]),
    )
    assert error.param == "discounts[0][coupon]"


def test_a_shipping_rate_in_another_currency_is_refused_with_its_param(world: World) -> None:
    rate = world.shipping_rates.create(
        display_name="EU", fixed_amount={"amount": 500, "currency": "eur"}
    )
    error = refused(
        world.sessions.create, **payment_params(shipping_options=[{"shipping_rate": rate["id"]}])
    )
    assert error.param == "shipping_options[0][shipping_rate]"


def test_an_archived_tax_rate_is_refused(world: World) -> None:
    tax = world.tax_rates.create(display_name="Old", percentage=5, inclusive=False, active=False)
    error = refused(
        world.sessions.create,
        **payment_params(line_items=[{**shirt(), "tax_rates": [tax["id"]]}]),
    )
    assert error.param == "line_items[0][tax_rates][0]"


def test_shipping_rate_data_creates_a_shipping_rate(world: World) -> None:
    session = world.sessions.create(
        **payment_params(
            shipping_options=[
                {
                    "shipping_rate_data": {
                        "display_name": "Express",
                        "type": "fixed_amount",
                        "fixed_amount": {"amount": 1500, "currency": "usd"},
                    }
                }
            ]
        )
    )
    rate_id = session["shipping_cost"]["shipping_rate"]
    assert world.shipping_rates.retrieve(rate_id)["display_name"] == "Express"
    assert session["amount_total"] == 1500 + 1500


def test_dynamic_tax_rates_are_unknown_at_the_newest_api_version(world: World) -> None:
    """stripe-python 16.1.0's ``SessionCreateParams`` has no ``line_items[][dynamic_tax_rates]``."""
    tax = world.tax_rates.create(display_name="VAT", percentage=20, inclusive=False)
    item = {**shirt(), "dynamic_tax_rates": [tax["id"]]}
    error = refused(world.sessions.create, **payment_params(line_items=[item]))
    assert (error.code, error.param) == ("parameter_unknown", "line_items[0][dynamic_tax_rates]")


def test_a_dynamic_tax_rate_matches_the_country_and_then_the_state() -> None:
    """docs.stripe.com/payments/checkout/use-manual-tax-rates: with dynamic tax rates Stripe
    matches the customer's location to one of the rates (for the versions that accept them)."""
    california = {"id": "ca", "country": "US", "state": "CA"}
    uk = {"id": "uk", "country": "GB", "state": None}
    rates = [california, uk]
    assert dynamic_match(rates, {"country": "GB", "state": None}) == [uk]
    assert dynamic_match(rates, {"country": "US", "state": "CA"}) == [california]
    assert dynamic_match(rates, {"country": "US", "state": "NY"}) == []
    assert dynamic_match(rates, None) == []


def test_tax_rates_with_automatic_tax_are_refused(world: World) -> None:
    tax = world.tax_rates.create(display_name="VAT", percentage=20, inclusive=False)
    error = refused(
        world.sessions.create,
        **payment_params(
            automatic_tax={"enabled": True}, line_items=[{**shirt(), "tax_rates": [tax["id"]]}]
        ),
    )
    assert error.param == "line_items[0][tax_rates]"


def test_updating_line_items_recomputes_the_discount_and_keeps_the_tax_rates(
    world: World,
) -> None:
    tax = world.tax_rates.create(display_name="VAT", percentage=20, inclusive=False)
    coupon = percent_coupon(world)
    session = world.sessions.create(
        **payment_params(
            line_items=[{**shirt(), "tax_rates": [tax["id"]]}],
            discounts=[{"coupon": coupon["id"]}],
        )
    )
    item_id = world.sessions.list_line_items(session["id"])["data"][0]["id"]
    updated = world.sessions.update(session["id"], line_items=[{"id": item_id, "quantity": 2}])
    assert updated["total_details"]["amount_discount"] == 300
    assert updated["total_details"]["amount_tax"] == 540  # 20 % of 2700
    assert updated["amount_total"] == 3000 - 300 + 540


def test_discounts_are_refused_in_setup_mode(world: World) -> None:
    coupon = percent_coupon(world)
    error = refused(
        world.sessions.create,
        mode="setup",
        currency="usd",
        success_url="https://example.com/ok",
        discounts=[{"coupon": coupon["id"]}],
    )
    assert error.param == "discounts"


# --- events -------------------------------------------------------------------------------------


def test_coupons_promotion_codes_and_tax_rates_record_their_events(world: World) -> None:
    coupon = percent_coupon(world)
    world.coupons.update(coupon["id"], name="Ten")
    code = promotion(world, coupon)
    world.promotion_codes.update(code["id"], active=False)
    tax = world.tax_rates.create(display_name="VAT", percentage=20, inclusive=False)
    world.tax_rates.update(tax["id"], display_name="VAT (UK)")
    world.coupons.delete(coupon["id"])
    types = [event["type"] for event in world.events.list(limit=100)["data"]]
    assert types == [
        "coupon.deleted",
        "tax_rate.updated",
        "tax_rate.created",
        "promotion_code.updated",
        "promotion_code.created",
        "coupon.updated",
        "coupon.created",
    ]


def test_shipping_rates_record_no_events(world: World) -> None:
    """Stripe's event types list has no ``shipping_rate.*`` event."""
    rate = world.shipping_rates.create(
        display_name="Ground", fixed_amount={"amount": 500, "currency": "usd"}
    )
    world.shipping_rates.update(rate["id"], active=False)
    assert world.events.list()["data"] == []
