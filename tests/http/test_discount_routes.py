"""Coupons, tax rates and a discounted, taxed session through the request handler (raw HTTP):
form strings (``percent_off=8.25``, ``inclusive=false``) reach the same rules as the direct API."""

from __future__ import annotations

import json
from typing import Any

from fakecheckout import FakeCheckout, ManualClock

AUTH = {"Authorization": "Bearer sk_test_123"}


def call(fake: FakeCheckout, method: str, url: str, body: bytes = b"") -> tuple[int, Any]:
    status, _, payload = fake.handle(method, url, AUTH, body)
    return status, json.loads(payload)


def test_a_form_encoded_coupon_and_tax_rate_discount_and_tax_a_session() -> None:
    fake = FakeCheckout(clock=ManualClock(1_800_000_000))
    _, coupon = call(fake, "POST", "/v1/coupons", b"percent_off=12.5&duration=once")
    _, rate = call(fake, "POST", "/v1/tax_rates", b"display_name=VAT&percentage=20&inclusive=false")
    body = (
        "mode=payment&success_url=https%3A%2F%2Fexample.com%2Fok"
        "&line_items[0][price_data][currency]=usd&line_items[0][price_data][unit_amount]=999"
        "&line_items[0][price_data][product_data][name]=Book&line_items[0][quantity]=1"
        f"&line_items[0][tax_rates][0]={rate['id']}&discounts[0][coupon]={coupon['id']}"
        "&expand[0]=total_details.breakdown"
    ).encode()
    status, session = call(fake, "POST", "/v1/checkout/sessions", body)
    assert status == 200
    # 12.5 % of 999 = 124.875 → 125; 20 % of 874 = 174.8 → 175
    details = session["total_details"]
    assert (details["amount_discount"], details["amount_tax"]) == (125, 175)
    assert session["amount_total"] == 999 - 125 + 175
    assert details["breakdown"]["taxes"][0]["rate"]["id"] == rate["id"]


def test_the_session_list_expands_each_breakdown() -> None:
    fake = FakeCheckout(clock=ManualClock(1_800_000_000))
    _, coupon = call(fake, "POST", "/v1/coupons", b"amount_off=100&currency=usd&duration=once")
    body = (
        "mode=payment&success_url=https%3A%2F%2Fexample.com%2Fok"
        "&line_items[0][price_data][currency]=usd&line_items[0][price_data][unit_amount]=500"
        "&line_items[0][price_data][product_data][name]=Pen&line_items[0][quantity]=2"
        f"&discounts[0][coupon]={coupon['id']}"
    ).encode()
    call(fake, "POST", "/v1/checkout/sessions", body)
    status, listed = call(
        fake, "GET", "/v1/checkout/sessions?expand[]=data.total_details.breakdown"
    )
    assert status == 200
    breakdown = listed["data"][0]["total_details"]["breakdown"]
    assert [entry["amount"] for entry in breakdown["discounts"]] == [100]
    assert breakdown["discounts"][0]["discount"]["source"] == {
        "coupon": coupon["id"],
        "type": "coupon",
    }


def test_deleting_a_coupon_over_http_records_coupon_deleted() -> None:
    fake = FakeCheckout(clock=ManualClock(1_800_000_000))
    _, coupon = call(fake, "POST", "/v1/coupons", b"percent_off=5&duration=forever")
    status, deleted = call(fake, "DELETE", f"/v1/coupons/{coupon['id']}")
    assert (status, deleted) == (200, {"id": coupon["id"], "object": "coupon", "deleted": True})
    _, events = call(fake, "GET", "/v1/events?type=coupon.deleted")
    assert [event["data"]["object"]["id"] for event in events["data"]] == [coupon["id"]]
