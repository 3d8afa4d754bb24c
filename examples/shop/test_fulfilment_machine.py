"""The shop under ``CheckoutMachine``: customers, the clock and Stripe's late, reordered and
duplicated webhook deliveries, interleaved by hypothesis.

``ShopMachine`` wires the shop and its fulfilment into the machine and states what must always
hold. With the naive fulfilment handler the machine finds a duplicated
``checkout.session.completed`` that ships an order twice; with the fixed one it finds nothing.
"""

from __future__ import annotations

import contextlib
from collections import Counter

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis.stateful import invariant, rule, run_state_machine_as_test

from fakecheckout.testing import CheckoutMachine

from .conftest import open_shop
from .fulfilment import Fulfilment, NaiveFulfilment, Warehouse
from .shop import Line, NotCancellable

STOCK = {"tshirt": 1000, "mug": 1000}


class ShopMachine(CheckoutMachine):
    """The shop and its warehouse, driven through every interleaving the machine tries."""

    fulfilment: type[NaiveFulfilment] = Fulfilment
    enabled_events = ("checkout.session.*",)  # the shop's endpoint listens to Checkout only

    def __init__(self) -> None:
        super().__init__()
        self.shop = open_shop(self.fake, stock=STOCK)
        self.warehouse = Warehouse()
        self.shipping = self.fulfilment(self.warehouse, webhook_secret=self.fake.webhooks.secret)
        self.order_of: dict[str, str] = {}
        """The shop's order id of each session the machine opened."""

    def create_checkout(self) -> str:
        order_id, _ = self.shop.checkout([Line("tshirt")])
        session_id = self.shop.orders[order_id].session_id
        self.order_of[session_id] = order_id
        return session_id

    def deliver_webhook(self, payload: bytes, headers: dict[str, str]) -> int:
        # The app's one webhook endpoint hands each delivery to both of its handlers.
        signature = headers["Stripe-Signature"]
        status = self.shop.handle_webhook(payload, signature)
        return max(status, self.shipping.handle_webhook(payload, signature))

    @rule(session=CheckoutMachine.open_sessions)
    def customer_cancels(self, session: str) -> None:
        """A rule of the shop's own: the customer gives up on the cart."""
        with contextlib.suppress(NotCancellable):  # too late: they paid already
            self.shop.cancel(self.order_of[session])

    @invariant()
    def no_order_ships_twice(self) -> None:
        twice = sorted(order for order, n in Counter(self.warehouse.parcels).items() if n > 1)
        assert not twice, f"shipped twice: {twice}"

    @invariant()
    def only_paid_orders_ship(self) -> None:
        for session_id, order_id in self.order_of.items():
            if order_id in self.warehouse.parcels:
                assert self.fake.sessions.retrieve(session_id)["payment_status"] == "paid"

    @invariant()
    def every_unit_is_on_the_shelf_or_held_by_one_order(self) -> None:
        held = sum(
            order.reserved.get("tshirt", 0)
            for order in self.shop.orders.values()
            if order.status != "released"
        )
        assert self.shop.available("tshirt") + held == STOCK["tshirt"]

    def check_settled(self) -> None:
        """Once Stripe caught up: paid orders shipped once, expired ones back on the shelf."""
        for session_id, order_id in self.order_of.items():
            session = self.fake.sessions.retrieve(session_id)
            order = self.shop.orders[order_id]
            if session["payment_status"] == "paid":
                assert order.status == "paid"
                assert order_id in self.warehouse.parcels, f"{order_id} paid, never shipped"
            elif session["status"] == "expired":
                assert order.status == "released"


class NaiveShopMachine(ShopMachine):
    fulfilment = NaiveFulfilment


TestShopMachine = ShopMachine.TestCase
TestShopMachine.settings = settings(
    max_examples=30, stateful_step_count=20, deadline=None, database=None
)


def test_the_machine_finds_the_naive_handler_shipping_a_duplicated_completion_twice() -> None:
    with pytest.raises(AssertionError, match="shipped twice"):
        run_state_machine_as_test(
            NaiveShopMachine,
            settings=settings(
                max_examples=200,
                stateful_step_count=20,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.generate],  # finding it is the point; shrinking takes a minute
                suppress_health_check=[HealthCheck.too_slow],
                print_blob=False,
            ),
        )
