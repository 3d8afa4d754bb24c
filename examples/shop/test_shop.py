"""The shop's behaviour, end to end through the official ``stripe`` SDK, against fakecheckout.

Every test gets a fresh fake from the ``fake_checkout`` fixture. Tests that move time mark it
with their own ``ManualClock``; one shows the same with freezegun. Webhooks reach the shop only in
tests that ask for the ``webhooks`` fixture; the others play a shop whose webhooks were lost.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest
import stripe
from freezegun import freeze_time
from hypothesis import given, settings
from hypothesis import strategies as st

from fakecheckout import FakeCheckout, ManualClock

from .conftest import START, STOCK, open_shop
from .shop import (
    RESERVATION_SECONDS,
    CustomItem,
    Line,
    NotCancellable,
    OutOfStock,
    Shop,
    UnknownPromotionCode,
)

Tamper = Callable[[bytes, str], tuple[bytes, str]]
"""Turns a genuine ``(payload, signature)`` delivery into a bad one."""

# --- checkout ---


def test_checkout_reserves_stock_and_returns_the_session_url(
    fake_checkout: FakeCheckout, shop: Shop
) -> None:
    order_id, url = shop.checkout([Line("tshirt", 2), Line("mug")])

    order = shop.orders[order_id]
    assert (order.status, order.reserved) == ("reserved", {"tshirt": 2, "mug": 1})
    assert (shop.available("tshirt"), shop.available("mug")) == (3, 2)
    assert url == fake_checkout.sessions.retrieve(order.session_id)["url"]
    assert url.startswith("https://checkout.stripe.com/c/pay/cs_test_")


def test_checkout_sends_catalogue_prices_and_custom_items_as_line_items(
    fake_checkout: FakeCheckout, shop: Shop
) -> None:
    order_id, _ = shop.checkout([Line("tshirt", 2), CustomItem("Engraving", 450)])

    session_id = shop.orders[order_id].session_id
    items = fake_checkout.sessions.list_line_items(session_id)["data"]
    assert [(i["description"], i["quantity"], i["amount_total"]) for i in items] == [
        ("T-shirt", 2, 3000),
        ("Engraving", 1, 450),
    ]
    assert items[0]["price"]["id"] == shop.price_id("tshirt")
    assert fake_checkout.sessions.retrieve(session_id)["amount_total"] == 3450


def test_checkout_with_an_email_creates_the_customer_once_and_names_it_on_the_session(
    fake_checkout: FakeCheckout, shop: Shop
) -> None:
    first, _ = shop.checkout([Line("mug")], email="ada@example.com")
    second, _ = shop.checkout([Line("mug")], email="ada@example.com")

    customers = fake_checkout.customers.list(email="ada@example.com")["data"]
    assert len(customers) == 1
    for order_id in (first, second):
        session = fake_checkout.sessions.retrieve(shop.orders[order_id].session_id)
        assert session["customer"] == customers[0]["id"]
        assert session["customer_details"]["email"] == "ada@example.com"


def test_a_new_price_taking_over_the_lookup_key_is_what_the_shop_sells_at(
    fake_checkout: FakeCheckout, shop: Shop
) -> None:
    new = fake_checkout.prices.create(
        unit_amount=1700,
        currency="usd",
        product_data={"name": "T-shirt"},
        lookup_key="tshirt",
        transfer_lookup_key=True,
    )
    order_id, _ = shop.checkout([Line("tshirt")])

    session = fake_checkout.sessions.retrieve(shop.orders[order_id].session_id)
    assert session["amount_total"] == 1700
    assert shop.price_id("tshirt") == new["id"]


@pytest.mark.fake_checkout(clock=ManualClock(START))
def test_checkout_tags_the_session_with_the_order_and_gives_an_hour_to_pay(
    fake_checkout: FakeCheckout, shop: Shop
) -> None:
    order_id, _ = shop.checkout([Line("mug")])

    session = fake_checkout.sessions.retrieve(shop.orders[order_id].session_id)
    assert session["client_reference_id"] == order_id
    assert session["metadata"] == {"order_id": order_id}
    assert session["expires_at"] == START + RESERVATION_SECONDS


def test_checkout_beyond_stock_is_refused_and_reserves_nothing(
    fake_checkout: FakeCheckout, shop: Shop
) -> None:
    with pytest.raises(OutOfStock):
        shop.checkout([Line("mug", 2), Line("mug", 2)])

    assert shop.available("mug") == STOCK["mug"]
    assert shop.orders == {}
    assert fake_checkout.sessions.list()["data"] == []


def test_checkout_sends_the_order_and_the_catalogue_price_ids_to_stripe(
    fake_checkout: FakeCheckout, shop: Shop
) -> None:
    order_id, _ = shop.checkout([Line("tshirt", 2)])

    fake_checkout.requests.assert_sent(
        "POST",
        "/v1/checkout/sessions",
        mode="payment",
        client_reference_id=order_id,
        line_items=[{"price": shop.price_id("tshirt"), "quantity": 2}],
        customer=None,  # no email given: no customer
    )


def test_checkout_when_stripe_fails_reserves_nothing(
    fake_checkout: FakeCheckout, shop: Shop
) -> None:
    fake_checkout.fail_next("POST", "/v1/checkout/sessions", status=500)

    with pytest.raises(stripe.APIError):
        shop.checkout([Line("tshirt", 2)])

    assert shop.available("tshirt") == STOCK["tshirt"]
    assert shop.orders == {}
    assert fake_checkout.sessions.all() == []


def test_checkout_refused_by_stripe_reserves_nothing(shop: Shop) -> None:
    with pytest.raises(stripe.InvalidRequestError):
        shop.checkout([Line("tshirt"), CustomItem("Gift card", unit_amount=-100)])

    assert shop.available("tshirt") == STOCK["tshirt"]
    assert shop.orders == {}


# --- cancel ---


def test_cancel_expires_the_session_and_releases_stock(
    fake_checkout: FakeCheckout, shop: Shop
) -> None:
    order_id, _ = shop.checkout([Line("tshirt", 2)])

    shop.cancel(order_id)

    assert fake_checkout.sessions.retrieve(shop.orders[order_id].session_id)["status"] == "expired"
    assert shop.orders[order_id].status == "released"
    assert shop.available("tshirt") == STOCK["tshirt"]


def test_cancel_releases_stock_once_when_the_expired_webhook_comes_first(
    shop: Shop, webhooks: list[int]
) -> None:
    order_id, _ = shop.checkout([Line("tshirt", 2)])

    shop.cancel(order_id)  # the fake delivers checkout.session.expired inside the expire call

    assert webhooks == [200]
    assert shop.available("tshirt") == STOCK["tshirt"]


@pytest.mark.fake_checkout(clock=ManualClock(START))
def test_cancel_after_the_session_expired_by_time_releases_stock(
    clock: ManualClock, shop: Shop
) -> None:
    order_id, _ = shop.checkout([Line("mug")])
    clock.advance(RESERVATION_SECONDS)

    shop.cancel(order_id)

    assert shop.orders[order_id].status == "released"
    assert shop.available("mug") == STOCK["mug"]


def test_cancel_after_the_customer_paid_is_refused(fake_checkout: FakeCheckout, shop: Shop) -> None:
    order_id, _ = shop.checkout([Line("mug")])
    fake_checkout.sessions.complete(shop.orders[order_id].session_id)  # its webhook is lost

    with pytest.raises(NotCancellable):
        shop.cancel(order_id)

    assert shop.available("mug") == STOCK["mug"] - 1


# --- the sweep job ---


@pytest.mark.fake_checkout(clock=ManualClock(START))
def test_sweep_releases_stock_of_sessions_that_expired_by_time(
    clock: ManualClock, shop: Shop
) -> None:
    order_id, _ = shop.checkout([Line("tshirt", 3)])
    clock.advance(RESERVATION_SECONDS)

    assert shop.release_expired_reservations() == [order_id]
    assert shop.orders[order_id].status == "released"
    assert shop.available("tshirt") == STOCK["tshirt"]


@pytest.mark.fake_checkout(clock=ManualClock(START))
def test_sweep_leaves_only_the_sessions_still_in_their_hour_open(
    fake_checkout: FakeCheckout, clock: ManualClock, shop: Shop
) -> None:
    for _ in range(3):
        shop.checkout([Line("mug")])
    clock.advance(RESERVATION_SECONDS)
    fresh, _ = shop.checkout([Line("tshirt")])

    shop.release_expired_reservations()

    still_open = fake_checkout.sessions.all(status="open")
    assert [s["id"] for s in still_open] == [shop.orders[fresh].session_id]
    assert len(fake_checkout.sessions.all(status="expired")) == 3


def test_sweep_keeps_a_reservation_until_its_hour_is_up(fake_checkout: FakeCheckout) -> None:
    with freeze_time(datetime(2027, 3, 1, 12, 0, tzinfo=timezone.utc)) as frozen:
        shop = open_shop(fake_checkout)  # the fake's SystemClock follows freezegun
        order_id, _ = shop.checkout([Line("mug")])

        frozen.tick(timedelta(seconds=RESERVATION_SECONDS - 1))
        assert shop.release_expired_reservations() == []

        frozen.tick(timedelta(seconds=1))
        assert shop.release_expired_reservations() == [order_id]


@settings(max_examples=20, deadline=None)
@given(
    gaps=st.lists(st.integers(0, 900), max_size=8),
    paid=st.integers(0, 2),
    cancelled=st.integers(0, 2),
    still_open=st.integers(0, 2),
    page_size=st.integers(1, 4),
)
def test_sweep_releases_every_abandoned_reservation_exactly_once(
    gaps: list[int], paid: int, cancelled: int, still_open: int, page_size: int
) -> None:
    """Carts abandoned at any times, mixed with paid, cancelled and open ones, any page size."""
    clock = ManualClock(START)
    with FakeCheckout(clock=clock, seed=7) as fake:
        shop = open_shop(fake, stock={"tshirt": 100, "mug": 100})

        def buy() -> str:
            return shop.checkout([Line("tshirt")])[0]

        abandoned = []
        for gap in gaps:
            clock.advance(gap)
            abandoned.append(buy())
        for _ in range(paid):
            fake.sessions.complete(shop.orders[buy()].session_id)  # no webhooks in this test
        for _ in range(cancelled):
            shop.cancel(buy())
        clock.advance(RESERVATION_SECONDS)
        for _ in range(still_open):
            buy()

        released = shop.release_expired_reservations(page_size=page_size)

        assert sorted(released) == sorted(abandoned)
        assert shop.available("tshirt") == 100 - paid - still_open
        assert shop.release_expired_reservations(page_size=page_size) == []


# --- webhooks ---


def test_completed_webhook_marks_the_order_paid(
    fake_checkout: FakeCheckout, shop: Shop, webhooks: list[int]
) -> None:
    order_id, _ = shop.checkout([Line("tshirt", 2)])

    fake_checkout.sessions.complete(shop.orders[order_id].session_id)

    assert webhooks == [200]
    assert shop.orders[order_id].status == "paid"
    assert shop.available("tshirt") == STOCK["tshirt"] - 2  # sold, not back on the shelf


def test_completed_webhook_of_an_unpaid_checkout_keeps_the_stock_reserved(
    fake_checkout: FakeCheckout, shop: Shop, webhooks: list[int]
) -> None:
    order_id, _ = shop.checkout([Line("mug")])

    fake_checkout.sessions.complete(shop.orders[order_id].session_id, payment_status="unpaid")

    assert shop.orders[order_id].status == "awaiting_payment"
    assert shop.available("mug") == STOCK["mug"] - 1


def test_async_payment_success_marks_the_order_paid(
    fake_checkout: FakeCheckout, shop: Shop, webhooks: list[int]
) -> None:
    order_id, _ = shop.checkout([Line("mug")])
    session_id = shop.orders[order_id].session_id
    fake_checkout.sessions.complete(session_id, payment_status="unpaid")

    fake_checkout.sessions.settle_async_payment(session_id, succeeded=True)

    assert webhooks == [200, 200]
    assert shop.orders[order_id].status == "paid"
    assert shop.available("mug") == STOCK["mug"] - 1


def test_async_payment_failure_releases_stock(
    fake_checkout: FakeCheckout, shop: Shop, webhooks: list[int]
) -> None:
    order_id, _ = shop.checkout([Line("mug", 2)])
    session_id = shop.orders[order_id].session_id
    fake_checkout.sessions.complete(session_id, payment_status="unpaid")

    fake_checkout.sessions.settle_async_payment(session_id, succeeded=False)

    assert webhooks == [200, 200]
    assert shop.orders[order_id].status == "released"
    assert shop.available("mug") == STOCK["mug"]


@pytest.mark.fake_checkout(clock=ManualClock(START))
def test_expired_webhook_releases_stock(
    fake_checkout: FakeCheckout, clock: ManualClock, shop: Shop, webhooks: list[int]
) -> None:
    order_id, _ = shop.checkout([Line("tshirt")])
    clock.advance(RESERVATION_SECONDS)

    fake_checkout.settle()  # or any request: due expiries are settled first

    assert webhooks == [200]
    assert shop.orders[order_id].status == "released"
    assert shop.available("tshirt") == STOCK["tshirt"]


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda payload, signature: (payload, "t=1,v1=" + "0" * 64), id="forged"),
        pytest.param(lambda payload, signature: (payload, ""), id="missing"),
        pytest.param(
            lambda payload, signature: (payload.replace(b'"paid"', b'"paid" '), signature),
            id="payload-changed",
        ),
    ],
)
def test_webhook_with_a_bad_signature_is_refused(
    fake_checkout: FakeCheckout, shop: Shop, tamper: Tamper
) -> None:
    delivered: list[tuple[bytes, str]] = []
    fake_checkout.webhooks.subscribe(
        lambda payload, headers: delivered.append((payload, headers["Stripe-Signature"]))
    )
    order_id, _ = shop.checkout([Line("mug")])
    fake_checkout.sessions.complete(shop.orders[order_id].session_id)
    payload, signature = delivered[-1]  # checkout.session.completed, after the payment's events

    assert shop.handle_webhook(*tamper(payload, signature)) == 400
    assert shop.orders[order_id].status == "reserved"
    assert shop.handle_webhook(payload, signature) == 200  # the genuine delivery is accepted


def test_the_same_webhook_twice_is_handled_once(fake_checkout: FakeCheckout, shop: Shop) -> None:
    delivered: list[tuple[bytes, str]] = []
    fake_checkout.webhooks.subscribe(
        lambda payload, headers: delivered.append((payload, headers["Stripe-Signature"]))
    )
    order_id, _ = shop.checkout([Line("tshirt", 2)])
    fake_checkout.sessions.expire(shop.orders[order_id].session_id)
    [(payload, signature)] = delivered

    assert shop.handle_webhook(payload, signature) == 200
    assert shop.handle_webhook(payload, signature) == 200

    assert len(shop.handled_events) == 1
    assert shop.available("tshirt") == STOCK["tshirt"]  # released once, not twice


def test_webhook_for_a_session_the_shop_did_not_open_is_acknowledged(
    fake_checkout: FakeCheckout, shop: Shop, webhooks: list[int]
) -> None:
    shop.checkout([Line("mug")])
    other = fake_checkout.sessions.create(
        mode="payment",
        line_items=[{"price": shop.price_id("mug"), "quantity": 1}],
        success_url="https://elsewhere.example/ok",
    )

    fake_checkout.sessions.expire(other["id"])

    assert webhooks == [200]
    assert [order.status for order in shop.orders.values()] == ["reserved"]


def test_shop_uses_its_own_api_key_not_the_global_one(
    fake_checkout: FakeCheckout, shop: Shop
) -> None:
    assert stripe.api_key is None  # the fixture cleared it; it is restored after the test

    shop.checkout([Line("mug")])

    assert len(fake_checkout.sessions.list()["data"]) == 1


# --- promotion code and shipping ---


@pytest.fixture
def shipping_shop(fake_checkout: FakeCheckout, monkeypatch: pytest.MonkeyPatch) -> Shop:
    """A shop that ships at a flat $4.99 and offers the promotion code ``WELCOME10``."""
    monkeypatch.setattr(stripe, "api_key", None)
    return open_shop(fake_checkout, ships=True)


def test_an_order_pays_its_shipping_on_top(
    fake_checkout: FakeCheckout, shipping_shop: Shop
) -> None:
    order_id, _ = shipping_shop.checkout([Line("tshirt", 2), Line("mug")])

    session = fake_checkout.sessions.retrieve(shipping_shop.orders[order_id].session_id)
    assert session["amount_subtotal"] == 2 * 1500 + 900
    assert session["total_details"] == {
        "amount_discount": 0,
        "amount_shipping": 499,
        "amount_tax": 0,
    }
    assert session["amount_total"] == 3900 + 499


def test_the_welcome_code_takes_ten_percent_off_the_goods_not_the_shipping(
    fake_checkout: FakeCheckout, shipping_shop: Shop
) -> None:
    order_id, _ = shipping_shop.checkout(
        [Line("tshirt", 2), Line("mug")], promotion_code="welcome10"
    )

    session = fake_checkout.sessions.retrieve(shipping_shop.orders[order_id].session_id)
    assert session["total_details"]["amount_discount"] == 390
    assert session["amount_total"] == 3900 - 390 + 499
    items = fake_checkout.sessions.list_line_items(session["id"])["data"]
    assert [item["amount_discount"] for item in items] == [300, 90]


def test_an_unknown_promotion_code_is_refused_and_holds_no_stock(shipping_shop: Shop) -> None:
    with pytest.raises(UnknownPromotionCode):
        shipping_shop.checkout([Line("mug")], promotion_code="NOSUCHCODE")
    assert shipping_shop.available("mug") == STOCK["mug"]


def test_the_welcome_code_is_for_a_first_purchase_only(
    fake_checkout: FakeCheckout, shipping_shop: Shop
) -> None:
    first, _ = shipping_shop.checkout(
        [Line("mug")], email="ada@example.com", promotion_code="WELCOME10"
    )
    fake_checkout.sessions.complete(shipping_shop.orders[first].session_id)

    with pytest.raises(stripe.InvalidRequestError) as refused:
        shipping_shop.checkout([Line("mug")], email="ada@example.com", promotion_code="WELCOME10")
    assert refused.value.param == "discounts[0][promotion_code]"
    assert shipping_shop.available("mug") == STOCK["mug"] - 1  # the refused order holds nothing
