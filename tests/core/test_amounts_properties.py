"""Invariants of a session's amounts over random carts, coupons, tax rates and shipping, checked
on the sessions Checkout builds (so the line items and ``total_details`` are what users see)."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from fakecheckout.core import amounts
from fakecheckout.core.clock import ManualClock
from fakecheckout.core.errors import StripeError
from fakecheckout.core.world import World
from fakecheckout.resources import checkout_amounts
from tests.factories import START

percentages = st.decimals(min_value="0", max_value="100", places=4).map(float)
# At most 5 lines of 100,000 × 50 cents: under Stripe's maximum charge of $999,999.99.
line_amounts = st.tuples(st.integers(0, 10**5), st.integers(1, 50))


@st.composite
def carts(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "lines": draw(st.lists(line_amounts, min_size=1, max_size=5)),
        "percent_off": draw(st.none() | st.decimals("0.01", "100", places=2).map(float)),
        "amount_off": draw(st.none() | st.integers(1, 10**8)),
        "rates": draw(st.lists(st.tuples(percentages, st.booleans()), max_size=3)),
        "shipping": draw(st.none() | st.integers(0, 10**6)),
        "restricted": draw(st.booleans()),
    }


def build_session(cart: dict[str, Any]) -> tuple[World, dict[str, Any], list[dict[str, Any]]]:
    world = World(clock=ManualClock(START), seed=1)
    rates = [
        world.tax_rates.create(display_name="T", percentage=p, inclusive=inclusive)["id"]
        for p, inclusive in cart["rates"]
    ]
    prices = [world.prices.add(unit_amount=unit, currency="usd") for unit, _ in cart["lines"]]
    params: dict[str, Any] = {
        "mode": "payment",
        "success_url": "https://example.com/ok",
        "line_items": [
            {"price": price["id"], "quantity": quantity, "tax_rates": rates}
            for price, (_, quantity) in zip(prices, cart["lines"], strict=True)
        ],
    }
    if cart["percent_off"] is not None or cart["amount_off"] is not None:
        coupon_params: dict[str, Any] = (
            {"percent_off": cart["percent_off"]}
            if cart["percent_off"] is not None
            else {"amount_off": cart["amount_off"], "currency": "usd"}
        )
        if cart["restricted"]:
            coupon_params["applies_to"] = {"products": [prices[0]["product"]]}
        coupon = world.coupons.create(duration="once", **coupon_params)
        params["discounts"] = [{"coupon": coupon["id"]}]
    if cart["shipping"] is not None:
        params["shipping_options"] = [
            {
                "shipping_rate_data": {
                    "display_name": "Ship",
                    "type": "fixed_amount",
                    "fixed_amount": {"amount": cart["shipping"], "currency": "usd"},
                }
            }
        ]
    try:
        session = world.sessions.create(**params)
    except StripeError as error:
        if "must add up to at least" not in error.message:
            raise
        reject()  # a total Stripe cannot charge (below the minimum after the discount)
    items = world.sessions.list_line_items(session["id"], limit=100)["data"]
    return world, session, items


def exclusive_tax(world: World, session: dict[str, Any]) -> int:
    details = world.sessions.retrieve(session["id"], expand=["total_details.breakdown"])
    taxes = details["total_details"]["breakdown"]["taxes"]
    return sum(tax["amount"] for tax in taxes if not tax["rate"]["inclusive"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(carts())
def test_total_is_subtotal_minus_discount_plus_shipping_plus_exclusive_tax(
    cart: dict[str, Any],
) -> None:
    world, session, _ = build_session(cart)
    details = session["total_details"]
    assert session["amount_total"] == (
        session["amount_subtotal"]
        - details["amount_discount"]
        + details["amount_shipping"]
        + exclusive_tax(world, session)
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(carts())
def test_line_items_sum_to_the_session_totals(cart: dict[str, Any]) -> None:
    _, session, items = build_session(cart)
    details = session["total_details"]
    assert sum(item["amount_subtotal"] for item in items) == session["amount_subtotal"]
    assert sum(item["amount_discount"] for item in items) == details["amount_discount"]
    assert sum(item["amount_tax"] for item in items) == details["amount_tax"]
    assert (
        sum(item["amount_total"] for item in items) + details["amount_shipping"]
        == session["amount_total"]
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(carts())
def test_no_amount_is_ever_negative(cart: dict[str, Any]) -> None:
    _, session, items = build_session(cart)
    assert session["amount_total"] >= 0
    assert all(value >= 0 for value in session["total_details"].values())
    for item in items:
        for name in ("amount_subtotal", "amount_discount", "amount_tax", "amount_total"):
            assert item[name] >= 0


@given(st.integers(0, 10**9), st.lists(st.integers(0, 10**6), min_size=1, max_size=8))
def test_an_allocation_sums_to_its_total_and_no_share_exceeds_its_weight(
    total: int, weights: list[int]
) -> None:
    total = min(total, sum(weights))
    shares = amounts.allocate(total, weights)
    assert sum(shares) == total
    assert all(0 <= share <= weight for share, weight in zip(shares, weights, strict=True))


plain_carts = st.lists(line_amounts, min_size=1, max_size=5).map(
    lambda lines: {
        "lines": lines,
        "percent_off": None,
        "amount_off": None,
        "rates": [],
        "shipping": None,
        "restricted": False,
    }
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plain_carts, st.booleans())
def test_a_session_without_coupon_tax_or_shipping_gets_what_the_rules_give(
    cart: dict[str, Any], stale: bool
) -> None:
    world, session, _ = build_session(cart)
    record = world.sessions._store.by_id[session["id"]]
    if stale:  # amounts and hidden entries left from before a change, which both must replace
        record.fields["total_details"] = {"amount_discount": 1, "amount_shipping": 2}
        record.fields["_breakdown"] = {"discounts": [], "taxes": [{"amount": 3}]}
        record.line_items[0]["amount_tax"] = 7
        record.line_items[0]["_taxes"] = [{"amount": 7}]
    by_plain, by_rules = copy.deepcopy(record), copy.deepcopy(record)
    checkout_amounts.recompute_plain(by_plain)
    checkout_amounts.recompute_by_rules(by_rules)
    assert list(by_plain.fields.items()) == list(by_rules.fields.items())
    assert [list(item.items()) for item in by_plain.line_items] == [
        list(item.items()) for item in by_rules.line_items
    ]
