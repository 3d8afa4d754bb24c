"""``expand`` of the includable fields and nested ids Stripe documents for Checkout Sessions."""

from __future__ import annotations

import json

import pytest

from fakecheckout import FakeCheckout, InvalidRequestError

KEY = {"Authorization": "Bearer sk_test_expand123"}
ITEMS = [{"price": "price_e", "quantity": 2}]


@pytest.fixture
def fake() -> FakeCheckout:
    made = FakeCheckout(seed=5)
    made.prices.add(id="price_e", unit_amount=700, currency="usd")
    return made


def create(fake: FakeCheckout, **extra: object) -> dict[str, object]:
    return fake.sessions.create(
        mode="payment", line_items=ITEMS, success_url="https://e.com", **extra
    )


def test_total_details_breakdown_is_included_when_expanded(fake):
    session = create(fake, expand=["total_details.breakdown"])
    assert session["total_details"]["breakdown"] == {"discounts": [], "taxes": []}


def test_total_details_breakdown_is_absent_unless_expanded_and_stays_absent_after(fake):
    session = create(fake, expand=["total_details.breakdown"])
    assert "breakdown" not in fake.sessions.retrieve(session["id"])["total_details"]
    assert "breakdown" not in create(fake)["total_details"]


def test_breakdown_ids_with_nothing_to_expand_are_accepted(fake):
    session = create(fake, expand=["total_details.breakdown.taxes.rate"])
    assert session["total_details"]["breakdown"]["taxes"] == []


def test_line_item_discounts_and_taxes_are_included_under_line_items(fake):
    session = create(fake, expand=["line_items.data.discounts", "line_items.data.taxes"])
    (item,) = session["line_items"]["data"]
    assert (item["discounts"], item["taxes"]) == ([], [])


def test_line_item_taxes_expanded_through_http_do_not_change_what_is_stored(fake):
    session = create(fake)
    url = f"/v1/checkout/sessions/{session['id']}/line_items?expand[0]=data.taxes"
    status, _, body = fake.handle("GET", url, KEY, b"")
    assert status == 200
    assert json.loads(body)["data"][0]["taxes"] == []
    assert "taxes" not in fake.sessions.list_line_items(session["id"])["data"][0]


def test_list_takes_data_total_details_breakdown(fake):
    create(fake)
    listing = fake.sessions.list(expand=["data.total_details.breakdown"])
    assert listing["data"][0]["total_details"]["breakdown"] == {"discounts": [], "taxes": []}


def test_a_shipping_rate_id_expands_to_the_shipping_rate(fake):
    options = [
        {
            "shipping_rate_data": {
                "display_name": "Post",
                "type": "fixed_amount",
                "fixed_amount": {"amount": 300, "currency": "usd"},
            }
        }
    ]
    session = create(fake, shipping_options=options, expand=["shipping_cost.shipping_rate"])
    rate = session["shipping_cost"]["shipping_rate"]
    assert (rate["object"], rate["display_name"]) == ("shipping_rate", "Post")


def test_a_path_stripe_does_not_document_cannot_be_expanded(fake):
    with pytest.raises(InvalidRequestError, match=r"cannot be expanded \(total_details.nope\)"):
        create(fake, expand=["total_details.nope"])


def test_breakdown_expanded_through_http_leaves_later_sessions_without_it(fake):
    form = b"mode=payment&line_items[0][price]=price_e&line_items[0][quantity]=1"
    form += b"&success_url=https://e.com&expand[0]=total_details.breakdown"
    status, _, body = fake.handle("POST", "/v1/checkout/sessions", KEY, form)
    assert status == 200
    assert "breakdown" in json.loads(body)["total_details"]
    assert "breakdown" not in create(fake)["total_details"]


def test_a_discounts_coupon_expands_to_the_coupon(fake):
    coupon = fake.coupons.create(percent_off=10, duration="once")
    session = create(fake, discounts=[{"coupon": coupon["id"]}], expand=["discounts.coupon"])
    (discount,) = session["discounts"]
    assert discount["coupon"]["object"] == "coupon"
    assert discount["coupon"]["id"] == coupon["id"]
