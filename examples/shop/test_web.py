"""The shop's webhook view behind Flask, fed by ``fake.webhooks.forward_to``: once, twice, in any
order, and the shop against the served fake (``fake_checkout_server``)."""

from __future__ import annotations

from typing import Any

import pytest
import stripe
from hypothesis import given, settings
from hypothesis import strategies as st

from fakecheckout import DeliveryPolicy, FakeCheckout, ManualClock

from .conftest import START, STOCK, offer_membership, open_shop
from .memberships import Memberships
from .shop import Line, Shop

pytest.importorskip("flask")

from .web import MEMBERSHIP_WEBHOOK_PATH, WEBHOOK_PATH, create_app  # noqa: E402 - after the skip


@pytest.fixture
def client(shop: Shop) -> Any:
    return create_app(shop).test_client()


def test_the_webhook_view_marks_a_paid_order_paid(
    fake_checkout: FakeCheckout, shop: Shop, client: Any
) -> None:
    forwarding = fake_checkout.webhooks.forward_to(client, WEBHOOK_PATH)
    order_id, _ = shop.checkout([Line("tshirt", 2)])

    fake_checkout.sessions.complete(shop.orders[order_id].session_id)

    checkout = [d for d in forwarding.deliveries if d.event_type.startswith("checkout.")]
    assert [(d.event_type, d.status) for d in checkout] == [("checkout.session.completed", 200)]
    assert shop.orders[order_id].status == "paid"


def test_every_event_delivered_twice_changes_nothing_more(
    fake_checkout: FakeCheckout, shop: Shop, client: Any
) -> None:
    forwarding = fake_checkout.webhooks.forward_to(
        client, WEBHOOK_PATH, policy=DeliveryPolicy(duplicate=1.0)
    )
    kept, cancelled = shop.checkout([Line("tshirt")])[0], shop.checkout([Line("mug")])[0]

    fake_checkout.sessions.complete(shop.orders[kept].session_id)
    shop.cancel(cancelled)

    checkout = [d for d in forwarding.deliveries if d.event_type.startswith("checkout.")]
    assert len(checkout) == 4  # the payment's own events are delivered too, and ignored
    assert (shop.orders[kept].status, shop.orders[cancelled].status) == ("paid", "released")
    assert (shop.available("tshirt"), shop.available("mug")) == (STOCK["tshirt"] - 1, STOCK["mug"])


def test_the_memberships_view_grants_a_paid_membership(
    fake_checkout: FakeCheckout, shop: Shop, memberships: Memberships
) -> None:
    client = create_app(shop, memberships).test_client()
    forwarding = fake_checkout.webhooks.forward_to(client, MEMBERSHIP_WEBHOOK_PATH)
    membership_id, _ = memberships.subscribe("ada@example.com")

    fake_checkout.sessions.complete(memberships.memberships[membership_id].session_id)

    assert {d.status for d in forwarding.deliveries} == {200}  # the others are acknowledged
    assert memberships.memberships[membership_id].has_access


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32), duplicate=st.sampled_from([0.0, 0.5]))
def test_deliveries_in_any_order_end_in_the_same_orders_and_stock(
    fake_checkout_factory: Any, seed: int, duplicate: float
) -> None:
    clock = ManualClock(START)
    with fake_checkout_factory(clock=clock, seed=1) as fake:
        shop = open_shop(fake, stock={"mug": 10})
        policy = DeliveryPolicy(reorder=0.5, duplicate=duplicate, seed=seed)
        with fake.webhooks.forward_to(create_app(shop).test_client(), WEBHOOK_PATH, policy=policy):
            paid, delayed, failed, abandoned = (shop.checkout([Line("mug")])[0] for _ in range(4))
            fake.sessions.complete(shop.orders[paid].session_id)
            for order in (delayed, failed):
                fake.sessions.complete(shop.orders[order].session_id, payment_status="unpaid")
            fake.sessions.settle_async_payment(shop.orders[delayed].session_id)
            fake.sessions.settle_async_payment(shop.orders[failed].session_id, succeeded=False)
            clock.advance(3600)
            fake.settle()  # the abandoned checkout's hour is up

        statuses = {
            order: shop.orders[order].status for order in (paid, delayed, failed, abandoned)
        }
        assert statuses == {
            paid: "paid",
            delayed: "paid",
            failed: "released",
            abandoned: "released",
        }
        assert shop.available("mug") == 10 - 2


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**32), duplicate=st.sampled_from([0.0, 0.5]))
def test_membership_deliveries_in_any_order_end_in_the_same_memberships(
    fake_checkout_factory: Any, seed: int, duplicate: float
) -> None:
    clock = ManualClock(START)
    with fake_checkout_factory(clock=clock, seed=1) as fake:
        offer_membership(fake)
        memberships = Memberships(api_key="sk_test_shop", webhook_secret=fake.webhooks.secret)
        client = create_app(open_shop(fake), memberships).test_client()
        policy = DeliveryPolicy(reorder=0.5, duplicate=duplicate, seed=seed)
        with fake.webhooks.forward_to(client, MEMBERSHIP_WEBHOOK_PATH, policy=policy):
            renewing, recovering, leaving = (
                memberships.subscribe(email)[0]
                for email in ("ada@example.com", "bob@example.com", "cy@example.com")
            )
            subscription = {}
            for membership_id in (renewing, recovering, leaving):
                session_id = memberships.memberships[membership_id].session_id
                subscription[membership_id] = fake.sessions.complete(session_id)["subscription"]
            fake.subscriptions.fail_renewals(subscription[recovering])  # February's only
            fake.subscriptions.update(subscription[leaving], cancel_at_period_end=True)  # portal
            clock.advance(62 * 24 * 3600)  # January 15 to March 18: two renewals
            fake.settle()

        outcome = {
            membership_id: (membership.status, len(membership.paid_periods))
            for membership_id, membership in memberships.memberships.items()
        }
        assert outcome == {
            renewing: ("active", 3),
            recovering: ("active", 2),
            leaving: ("canceled", 1),
        }


def test_the_shop_works_against_the_served_fake(
    fake_checkout_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stripe, "api_base", fake_checkout_server.url)
    fake = fake_checkout_server.fake
    shop = open_shop(fake)

    order_id, url = shop.checkout([Line("tshirt")])

    session = fake.sessions.retrieve(shop.orders[order_id].session_id)
    assert (session["client_reference_id"], session["url"]) == (order_id, url)
