"""Fixtures for the shop's tests: a catalogue in the fake, the shop, webhook delivery.

The ``fake_checkout`` fixture comes from fakecheckout's pytest plugin, which the package's
``pytest11`` entry point registers once fakecheckout is installed (``pip install -e .``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import stripe

from fakecheckout import FakeCheckout, ManualClock

from .shop import Product, Shop

START = 1_800_000_000
"""Where the tests' manual clocks start (2027-01-15T08:00:00Z)."""

STOCK = {"tshirt": 5, "mug": 3}


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
        # The shop's endpoint is enabled for Checkout's events only (enabled_events).
        if json.loads(payload)["type"].startswith("checkout.session."):
            statuses.append(shop.handle_webhook(payload, headers["Stripe-Signature"]))

    unsubscribe = fake_checkout.webhooks.subscribe(deliver)
    yield statuses
    unsubscribe()
    assert fake_checkout.webhooks.failures == []


@pytest.fixture
def clock(fake_checkout: FakeCheckout) -> ManualClock:
    """The fake's clock, for tests marked ``@pytest.mark.fake_checkout(clock=ManualClock(START))``."""
    assert isinstance(fake_checkout.clock, ManualClock), "mark the test with a ManualClock"
    return fake_checkout.clock
