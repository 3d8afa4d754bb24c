"""Checkout Sessions with a coupon, a promotion code, shipping rates and tax rates: the amounts
Stripe computes, to the cent, through both SDK styles."""

from __future__ import annotations

import uuid

import pytest
import stripe

from ._support import SdkStyle, assert_stripe_error, line_item, payment_params, plain


def test_percent_coupon_fixed_shipping_and_exclusive_tax_give_stripes_totals(
    sdk: SdkStyle,
) -> None:
    """3 × $20.00, 10 % off, $5.00 shipping, 8.25 % exclusive tax on the discounted $54.00."""
    coupon = sdk.resource("coupons").create(percent_off=10, duration="once")
    shipping = sdk.resource("shipping_rates").create(
        display_name="Ground", fixed_amount={"amount": 500, "currency": "usd"}
    )
    tax = sdk.resource("tax_rates").create(
        display_name="Sales tax", percentage=8.25, inclusive=False
    )
    item = {**line_item(unit_amount=2000, quantity=3), "tax_rates": [tax["id"]]}
    session = sdk.create(
        payment_params(
            line_items=[item],
            discounts=[{"coupon": coupon["id"]}],
            shipping_options=[{"shipping_rate": shipping["id"]}],
        )
    )
    assert session["amount_subtotal"] == 6000
    assert plain(session["total_details"]) == {
        "amount_discount": 600,
        "amount_shipping": 500,
        "amount_tax": 446,  # 8.25 % of 5400 = 445.5, rounded half up
    }
    assert session["amount_total"] == 6000 - 600 + 500 + 446
    assert plain(session["discounts"][0]) == {"coupon": coupon["id"], "promotion_code": None}
    assert session["shipping_cost"]["shipping_rate"] == shipping["id"]


def test_line_items_show_their_discount_and_tax_when_expanded(sdk: SdkStyle) -> None:
    coupon = sdk.resource("coupons").create(percent_off=10, duration="once")
    tax = sdk.resource("tax_rates").create(display_name="VAT", percentage=20, inclusive=False)
    item = {**line_item(unit_amount=1000, quantity=1), "tax_rates": [tax["id"]]}
    session = sdk.create(payment_params(line_items=[item], discounts=[{"coupon": coupon["id"]}]))
    items = sdk.list_line_items(session["id"], {"expand": ["data.discounts", "data.taxes"]})["data"]
    assert (items[0]["amount_discount"], items[0]["amount_tax"], items[0]["amount_total"]) == (
        100,
        180,
        1080,
    )
    assert items[0]["discounts"][0]["amount"] == 100
    assert items[0]["taxes"][0]["amount"] == 180
    assert items[0]["taxes"][0]["taxable_amount"] == 900
    assert items[0]["taxes"][0]["rate"]["id"] == tax["id"]


def test_total_details_breakdown_when_expanded(sdk: SdkStyle) -> None:
    tax = sdk.resource("tax_rates").create(display_name="GST", percentage=10, inclusive=True)
    item = {**line_item(unit_amount=1100, quantity=2), "tax_rates": [tax["id"]]}
    session = sdk.create(payment_params(line_items=[item]))
    expanded = sdk.retrieve(session["id"], {"expand": ["total_details.breakdown"]})
    breakdown = expanded["total_details"]["breakdown"]
    assert list(breakdown["discounts"]) == []
    assert (breakdown["taxes"][0]["amount"], breakdown["taxes"][0]["taxable_amount"]) == (200, 2000)
    assert expanded["amount_total"] == 2200  # inclusive tax is part of the price


def test_a_promotion_code_applies_its_coupon(sdk: SdkStyle) -> None:
    coupon = sdk.resource("coupons").create(amount_off=300, currency="usd", duration="once")
    promo = sdk.resource("promotion_codes").create(
        promotion={"type": "coupon", "coupon": coupon["id"]},
        code="FC" + uuid.uuid4().hex[:10].upper(),
    )
    session = sdk.create(payment_params(discounts=[{"promotion_code": promo["id"]}]))
    assert session["total_details"]["amount_discount"] == 300
    assert session["amount_total"] == 1500 - 300
    assert plain(session["discounts"][0]) == {"coupon": coupon["id"], "promotion_code": promo["id"]}


def test_an_unknown_coupon_is_400_with_the_bracket_param(sdk: SdkStyle) -> None:
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.create(payment_params(discounts=[{"coupon": "NOSUCHCOUPON"}]))
    assert_stripe_error(
        info.value,
        stripe.InvalidRequestError,
        status=400,
        message="No such coupon: 'NOSUCHCOUPON'",
        code="resource_missing",
        param="discounts[0][coupon]",
    )


def test_an_unknown_tax_rate_is_400_with_the_bracket_param(sdk: SdkStyle) -> None:
    item = {**line_item(), "tax_rates": ["txr_NoSuchRate0000000000000"]}
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.create(payment_params(line_items=[item]))
    assert_stripe_error(
        info.value,
        stripe.InvalidRequestError,
        status=400,
        message="No such tax_rate: 'txr_NoSuchRate0000000000000'",
        code="resource_missing",
        param="line_items[0][tax_rates][0]",
    )


def test_an_unknown_shipping_rate_is_400_with_the_bracket_param(sdk: SdkStyle) -> None:
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.create(payment_params(shipping_options=[{"shipping_rate": "shr_NoSuchRate000000"}]))
    assert_stripe_error(
        info.value,
        stripe.InvalidRequestError,
        status=400,
        message="No such shipping_rate: 'shr_NoSuchRate000000'",
        code="resource_missing",
        param="shipping_options[0][shipping_rate]",
    )


def test_discounts_with_allow_promotion_codes_is_refused(sdk: SdkStyle) -> None:
    coupon = sdk.resource("coupons").create(percent_off=10, duration="once")
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.create(payment_params(discounts=[{"coupon": coupon["id"]}], allow_promotion_codes=True))
    assert_stripe_error(
        info.value,
        stripe.InvalidRequestError,
        status=400,
        message="You may only specify one of these parameters: allow_promotion_codes, discounts.",
        param="discounts",
    )
