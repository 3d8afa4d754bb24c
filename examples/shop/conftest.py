"""Fixtures for the shop's tests: a catalogue in the fake, the shop, its memberships, webhooks.

The ``fake_checkout`` fixture comes from fakecheckout's pytest plugin, which the package's
``pytest11`` entry point registers once fakecheckout is installed (``pip install -e .``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import stripe

from fakecheckout import FakeCheckout, ManualClock

from . import memberships as membership_endpoint
from . import shop as shop_endpoint
from .memberships import Memberships
from .shop import Product, Shop

START = 1_800_000_000
"""Where the tests' manual clocks start (2027-01-15T08:00:00Z)."""

STOCK = {"tshirt": 5, "mug": 3}

Held = dict[str, list[tuple[bytes, str]]]
"""Webhook deliveries held back, ``(payload, signature)`` by event type."""


def stock_the_fake(fake: FakeCheckout) -> list[Product]:
    """The shop's catalogue, with its prices registered in the fake as in a Stripe account."""
    fake.prices.add(unit_amount=1500, currency="usd", product_name="T-shirt", lookup_key="tshirt")
    fake.prices.add(unit_amount=900, currency="usd", product_name="Mug", lookup_key="mug")
    return [Product("tshirt", "T-shirt", "tshirt"), Product("mug", "Mug", "mug")]


def offer_discounts_and_shipping(fake: FakeCheckout) -> str:
    """The shop's promotion code ``WELCOME10`` (10 % off, first purchase only) and its shipping
    rate (a flat $4.99), created in the fake as in a Stripe account; returns the rate's id."""
    coupon = fake.coupons.create(percent_off=10, duration="once", name="Welcome")
    fake.promotion_codes.create(
        promotion={"type": "coupon", "coupon": coupon["id"]},
        code="WELCOME10",
        restrictions={"first_time_transaction": True},
    )
    rate = fake.shipping_rates.create(
        display_name="Standard shipping", fixed_amount={"amount": 499, "currency": "usd"}
    )
    return str(rate["id"])


def open_shop(
    fake: FakeCheckout, stock: dict[str, int] | None = None, *, ships: bool = False
) -> Shop:
    """A shop selling the fake's catalogue, keyed to the fake and reading the fake's clock;
    ``ships``: it also offers its promotion code and ships at its shipping rate."""
    return Shop(
        stock_the_fake(fake),
        STOCK if stock is None else stock,
        api_key="sk_test_shop",
        webhook_secret=fake.webhooks.secret,
        shipping_rate=offer_discounts_and_shipping(fake) if ships else None,
        now=fake.clock.now,
    )


def offer_membership(fake: FakeCheckout) -> None:
    """The membership's monthly price ($9), registered in the fake as in a Stripe account."""
    fake.prices.create(
        currency="usd",
        unit_amount=900,
        recurring={"interval": "month"},
        product_data={"name": "Shop membership"},
        lookup_key=membership_endpoint.LOOKUP_KEY,
    )


@pytest.fixture
def shop(fake_checkout: FakeCheckout, monkeypatch: pytest.MonkeyPatch) -> Shop:
    """The shop, with no global ``stripe.api_key``: it must use the key it was given."""
    monkeypatch.setattr(stripe, "api_key", None)  # restored after the test
    return open_shop(fake_checkout)


@pytest.fixture
def webhooks(fake_checkout: FakeCheckout, shop: Shop) -> Iterator[list[int]]:
    """Deliver the fake's webhooks to the shop; yields the status of each delivery.

    The fake keeps a subscriber's exception in ``webhooks.failures`` rather than failing the
    request that caused the event, so the teardown checks that the handler never raised.
    """
    statuses: list[int] = []

    def deliver(payload: bytes, headers: dict[str, str]) -> None:
        # The shop's endpoint gets only the events it is enabled for (enabled_events).
        if json.loads(payload)["type"] in shop_endpoint.ENABLED_EVENTS:
            statuses.append(shop.handle_webhook(payload, headers["Stripe-Signature"]))

    unsubscribe = fake_checkout.webhooks.subscribe(deliver)
    yield statuses
    unsubscribe()
    assert fake_checkout.webhooks.failures == []


@pytest.fixture
def held(fake_checkout: FakeCheckout) -> Held:
    """Deliveries held back by event type, for a test to hand to an endpoint itself: late,
    twice, out of order or tampered with."""
    deliveries: Held = {}

    def hold(payload: bytes, headers: dict[str, str]) -> None:
        event_type = json.loads(payload)["type"]
        deliveries.setdefault(event_type, []).append((payload, headers["Stripe-Signature"]))

    fake_checkout.webhooks.subscribe(hold)
    return deliveries


@pytest.fixture
def clock(fake_checkout: FakeCheckout) -> ManualClock:
    """The fake's clock, for tests marked ``@pytest.mark.fake_checkout(clock=ManualClock(START))``."""
    assert isinstance(fake_checkout.clock, ManualClock), "mark the test with a ManualClock"
    return fake_checkout.clock


@pytest.fixture
def memberships(fake_checkout: FakeCheckout, monkeypatch: pytest.MonkeyPatch) -> Memberships:
    """The membership programme, its price in the fake, no global ``stripe.api_key``."""
    monkeypatch.setattr(stripe, "api_key", None)
    offer_membership(fake_checkout)
    return Memberships(api_key="sk_test_shop", webhook_secret=fake_checkout.webhooks.secret)


@pytest.fixture
def membership_webhooks(
    fake_checkout: FakeCheckout, memberships: Memberships
) -> Iterator[list[str]]:
    """Deliver the events the memberships' endpoint is enabled for; yields their types."""
    delivered: list[str] = []

    def deliver(payload: bytes, headers: dict[str, str]) -> None:
        event_type = json.loads(payload)["type"]
        if event_type in membership_endpoint.ENABLED_EVENTS:
            assert memberships.handle_webhook(payload, headers["Stripe-Signature"]) == 200
            delivered.append(event_type)

    unsubscribe = fake_checkout.webhooks.subscribe(deliver)
    yield delivered
    unsubscribe()
    assert fake_checkout.webhooks.failures == []
