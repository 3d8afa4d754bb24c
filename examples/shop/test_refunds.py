"""Refunding a paid order: ``shop.refund`` asks Stripe, ``charge.refunded`` marks it refunded."""

from __future__ import annotations

import pytest

from fakecheckout import FakeCheckout

from .conftest import STOCK, Held
from .shop import Line, NotRefundable, Shop


def paid_order(fake: FakeCheckout, shop: Shop) -> str:
    """An order of two T-shirts and a mug, paid ($39.00)."""
    order_id, _ = shop.checkout([Line("tshirt", 2), Line("mug")])
    fake.sessions.complete(shop.orders[order_id].session_id)
    return order_id


def test_refunding_an_order_refunds_its_payment_in_full(
    fake_checkout: FakeCheckout, shop: Shop, webhooks: list[int]
) -> None:
    order_id = paid_order(fake_checkout, shop)
    session = fake_checkout.sessions.retrieve(shop.orders[order_id].session_id)

    refund_id = shop.refund(order_id)

    refund = fake_checkout.refunds.retrieve(refund_id)
    assert (refund["payment_intent"], refund["amount"]) == (session["payment_intent"], 3900)
    assert (refund["status"], refund["reason"]) == ("succeeded", "requested_by_customer")
    assert refund["metadata"] == {"order_id": order_id}


def test_the_charge_refunded_webhook_marks_the_order_refunded(
    fake_checkout: FakeCheckout, shop: Shop, webhooks: list[int]
) -> None:
    order_id = paid_order(fake_checkout, shop)

    shop.refund(order_id)

    assert webhooks == [200, 200]  # checkout.session.completed, charge.refunded
    order = shop.orders[order_id]
    assert (order.status, order.amount_refunded) == ("refunded", 3900)


def test_a_refund_does_not_put_the_goods_back_on_the_shelf(
    fake_checkout: FakeCheckout, shop: Shop, webhooks: list[int]
) -> None:
    order_id = paid_order(fake_checkout, shop)

    shop.refund(order_id)

    assert (shop.available("tshirt"), shop.available("mug")) == (
        STOCK["tshirt"] - 2,
        STOCK["mug"] - 1,
    )


def test_the_order_stays_paid_until_stripe_says_the_money_went_back(
    fake_checkout: FakeCheckout, shop: Shop, held: Held
) -> None:
    order_id = paid_order(fake_checkout, shop)
    [completed] = held["checkout.session.completed"]
    assert shop.handle_webhook(*completed) == 200

    shop.refund(order_id)
    assert shop.orders[order_id].status == "paid"

    [refunded] = held["charge.refunded"]
    assert shop.handle_webhook(*refunded) == 200
    assert shop.orders[order_id].status == "refunded"


def test_a_retried_refund_refunds_once(fake_checkout: FakeCheckout, shop: Shop, held: Held) -> None:
    order_id = paid_order(fake_checkout, shop)
    [completed] = held["checkout.session.completed"]
    shop.handle_webhook(*completed)

    first, second = shop.refund(order_id), shop.refund(order_id)  # before charge.refunded

    assert first == second  # the idempotency key replays the first answer
    assert len(fake_checkout.refunds.list()["data"]) == 1


def test_a_partial_refund_from_the_dashboard_leaves_the_order_paid(
    fake_checkout: FakeCheckout, shop: Shop, webhooks: list[int]
) -> None:
    order_id = paid_order(fake_checkout, shop)
    payment_intent = shop.orders[order_id].payment_intent

    fake_checkout.refunds.create(payment_intent=payment_intent, amount=900)  # the mug came back

    order = shop.orders[order_id]
    assert (order.status, order.amount_refunded) == ("paid", 900)


def test_an_unpaid_order_cannot_be_refunded(shop: Shop, webhooks: list[int]) -> None:
    order_id, _ = shop.checkout([Line("mug")])

    with pytest.raises(NotRefundable):
        shop.refund(order_id)


def test_a_refunded_order_cannot_be_refunded_again(
    fake_checkout: FakeCheckout, shop: Shop, webhooks: list[int]
) -> None:
    order_id = paid_order(fake_checkout, shop)
    shop.refund(order_id)

    with pytest.raises(NotRefundable):
        shop.refund(order_id)
    assert len(fake_checkout.refunds.list()["data"]) == 1


def test_a_refund_of_a_payment_the_shop_did_not_take_is_acknowledged(
    fake_checkout: FakeCheckout, shop: Shop, webhooks: list[int]
) -> None:
    order_id = paid_order(fake_checkout, shop)
    other = fake_checkout.sessions.create(
        mode="payment",
        line_items=[{"price": shop.price_id("mug"), "quantity": 1}],
        success_url="https://elsewhere.example/ok",
    )
    paid_elsewhere = fake_checkout.sessions.complete(other["id"])

    fake_checkout.refunds.create(payment_intent=paid_elsewhere["payment_intent"])

    assert set(webhooks) == {200}
    assert shop.orders[order_id].status == "paid"
