"""Coupons, promotion codes, shipping rates and tax rates through both SDK styles."""

from __future__ import annotations

import uuid

import pytest
import stripe

from ._support import SdkStyle, assert_stripe_error, ids_of, plain

COUPON_FIELDS = {
    "id",
    "object",
    "amount_off",
    "created",
    "currency",
    "currency_options",
    "duration",
    "duration_in_months",
    "livemode",
    "max_redemptions",
    "metadata",
    "name",
    "percent_off",
    "redeem_by",
    "times_redeemed",
    "valid",
}
PROMOTION_CODE_FIELDS = {
    "id",
    "object",
    "active",
    "code",
    "created",
    "customer",
    "customer_account",
    "expires_at",
    "livemode",
    "max_redemptions",
    "metadata",
    "promotion",
    "restrictions",
    "times_redeemed",
}
SHIPPING_RATE_FIELDS = {
    "id",
    "object",
    "active",
    "created",
    "delivery_estimate",
    "display_name",
    "fixed_amount",
    "livemode",
    "metadata",
    "tax_behavior",
    "tax_code",
    "type",
}
TAX_RATE_FIELDS = {
    "id",
    "object",
    "active",
    "country",
    "created",
    "description",
    "display_name",
    "effective_percentage",
    "flat_amount",
    "inclusive",
    "jurisdiction",
    "jurisdiction_level",
    "livemode",
    "metadata",
    "percentage",
    "rate_type",
    "state",
    "tax_type",
}


def unique_code() -> str:
    return "FC" + uuid.uuid4().hex[:10].upper()


# --- coupons ------------------------------------------------------------------------------------


def test_create_a_percent_coupon_returns_every_field(sdk: SdkStyle) -> None:
    coupon = sdk.resource("coupons").create(percent_off=25.5, duration="once", name="25.5% off")
    assert set(plain(coupon)) == COUPON_FIELDS
    assert (coupon["object"], coupon["percent_off"], coupon["amount_off"]) == ("coupon", 25.5, None)
    assert (coupon["duration"], coupon["times_redeemed"], coupon["valid"]) == ("once", 0, True)


def test_create_an_amount_coupon_needs_a_currency(sdk: SdkStyle) -> None:
    coupon = sdk.resource("coupons").create(amount_off=500, currency="usd", duration="forever")
    assert (coupon["amount_off"], coupon["currency"], coupon["percent_off"]) == (500, "usd", None)


def test_retrieve_update_and_delete_a_coupon(sdk: SdkStyle) -> None:
    coupons = sdk.resource("coupons")
    created = coupons.create(percent_off=10, duration="once", metadata={"a": "1"})
    assert plain(coupons.retrieve(created["id"])) == plain(created)
    updated = coupons.update(created["id"], name="Ten", metadata={"b": "2"})
    assert (updated["name"], plain(updated["metadata"])) == ("Ten", {"a": "1", "b": "2"})
    deleted = coupons.delete(created["id"])
    assert plain(deleted) == {"id": created["id"], "object": "coupon", "deleted": True}


def test_coupons_list_newest_first(sdk: SdkStyle) -> None:
    coupons = sdk.resource("coupons")
    first = coupons.create(percent_off=5, duration="once")
    second = coupons.create(percent_off=6, duration="once")
    listed = coupons.list(limit=2)
    assert ids_of(listed["data"]) == [second["id"], first["id"]]
    assert listed["url"] == "/v1/coupons"


def test_retrieve_an_unknown_coupon_is_404(sdk: SdkStyle) -> None:
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.resource("coupons").retrieve("NOSUCHCOUPON")
    assert_stripe_error(
        info.value,
        stripe.InvalidRequestError,
        status=404,
        message="No such coupon: 'NOSUCHCOUPON'",
        code="resource_missing",
        param="id",
    )


# --- promotion codes ----------------------------------------------------------------------------


def test_create_a_promotion_code_for_a_coupon(sdk: SdkStyle) -> None:
    coupon = sdk.resource("coupons").create(percent_off=20, duration="once")
    code = unique_code()
    promo = sdk.resource("promotion_codes").create(
        promotion={"type": "coupon", "coupon": coupon["id"]}, code=code
    )
    assert set(plain(promo)) == PROMOTION_CODE_FIELDS
    assert promo["id"].startswith("promo_")
    assert plain(promo["promotion"]) == {"coupon": coupon["id"], "type": "coupon"}
    assert (promo["code"], promo["active"], promo["times_redeemed"]) == (code, True, 0)
    assert plain(promo["restrictions"]) == {
        "first_time_transaction": False,
        "minimum_amount": None,
        "minimum_amount_currency": None,
    }


def test_promotion_codes_list_by_code_ignores_case(sdk: SdkStyle) -> None:
    coupon = sdk.resource("coupons").create(percent_off=20, duration="once")
    code = unique_code()
    promo = sdk.resource("promotion_codes").create(
        promotion={"type": "coupon", "coupon": coupon["id"]}, code=code
    )
    listed = sdk.resource("promotion_codes").list(code=code.lower())
    assert ids_of(listed["data"]) == [promo["id"]]


def test_a_promotion_code_can_be_deactivated(sdk: SdkStyle) -> None:
    coupon = sdk.resource("coupons").create(percent_off=20, duration="once")
    codes = sdk.resource("promotion_codes")
    promo = codes.create(promotion={"type": "coupon", "coupon": coupon["id"]})
    assert codes.update(promo["id"], active=False)["active"] is False
    assert codes.retrieve(promo["id"])["active"] is False


def test_a_promotion_code_for_an_unknown_coupon_is_400(sdk: SdkStyle) -> None:
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.resource("promotion_codes").create(promotion={"type": "coupon", "coupon": "NOPE"})
    assert_stripe_error(
        info.value,
        stripe.InvalidRequestError,
        status=400,
        message="No such coupon: 'NOPE'",
        code="resource_missing",
        param="promotion[coupon]",
    )


# --- shipping rates -----------------------------------------------------------------------------


def test_create_a_fixed_shipping_rate_returns_every_field(sdk: SdkStyle) -> None:
    rate = sdk.resource("shipping_rates").create(
        display_name="Ground shipping",
        type="fixed_amount",
        fixed_amount={"amount": 500, "currency": "usd"},
        delivery_estimate={
            "minimum": {"unit": "business_day", "value": 5},
            "maximum": {"unit": "business_day", "value": 7},
        },
    )
    assert set(plain(rate)) == SHIPPING_RATE_FIELDS
    assert rate["id"].startswith("shr_")
    assert plain(rate["fixed_amount"]) == {"amount": 500, "currency": "usd"}
    assert plain(rate["delivery_estimate"]) == {
        "maximum": {"unit": "business_day", "value": 7},
        "minimum": {"unit": "business_day", "value": 5},
    }
    assert (rate["active"], rate["tax_behavior"], rate["type"]) == (
        True,
        "unspecified",
        "fixed_amount",
    )


def test_an_archived_shipping_rate_leaves_the_active_list(sdk: SdkStyle) -> None:
    rates = sdk.resource("shipping_rates")
    rate = rates.create(display_name="Old", fixed_amount={"amount": 100, "currency": "usd"})
    rates.update(rate["id"], active=False)
    listed = rates.list(active=False, limit=100)
    assert rate["id"] in ids_of(listed["data"])
    assert rate["id"] not in ids_of(rates.list(active=True, limit=100)["data"])


# --- tax rates ----------------------------------------------------------------------------------


def test_create_a_tax_rate_returns_every_field(sdk: SdkStyle) -> None:
    rate = sdk.resource("tax_rates").create(
        display_name="VAT", percentage=19, inclusive=False, country="DE", jurisdiction="DE"
    )
    assert set(plain(rate)) == TAX_RATE_FIELDS
    assert rate["id"].startswith("txr_")
    assert (rate["percentage"], rate["inclusive"], rate["country"]) == (19, False, "DE")
    assert (rate["effective_percentage"], rate["rate_type"]) == (None, None)


def test_tax_rates_list_by_inclusive(sdk: SdkStyle) -> None:
    rates = sdk.resource("tax_rates")
    inclusive = rates.create(display_name="VAT incl", percentage=20, inclusive=True)
    rates.create(display_name="Sales tax", percentage=7.25, inclusive=False)
    listed = rates.list(inclusive=True, limit=100)
    assert inclusive["id"] in ids_of(listed["data"])
    assert all(rate["inclusive"] for rate in listed["data"])


def test_a_tax_rate_updates_its_display_name(sdk: SdkStyle) -> None:
    rates = sdk.resource("tax_rates")
    rate = rates.create(display_name="GST", percentage=10, inclusive=False)
    assert rates.update(rate["id"], display_name="GST (AU)")["display_name"] == "GST (AU)"
