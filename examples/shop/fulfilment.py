"""Shipping paid orders from the shop's webhooks: a naive handler, and the one that is right.

Stripe delivers each event at least once, not exactly once, and in no guaranteed order
(https://docs.stripe.com/webhooks#handle-duplicate-events). An order is paid when its session's
``checkout.session.completed`` says ``payment_status: "paid"``, or, for a delayed payment
method, when ``checkout.session.async_payment_succeeded`` arrives
(https://docs.stripe.com/checkout/fulfillment). ``NaiveFulfilment`` ships a parcel for every such
delivery, so a duplicated delivery ships the order twice; ``Fulfilment`` ships each Checkout
Session once, however often and in whatever order its events arrive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .webhook_endpoint import verified_event

PAID_EVENTS = ("checkout.session.completed", "checkout.session.async_payment_succeeded")


@dataclass
class Warehouse:
    """Sends parcels: ``parcels`` holds one order id per parcel sent."""

    parcels: list[str] = field(default_factory=list)

    def ship(self, order_id: str) -> None:
        self.parcels.append(order_id)


class NaiveFulfilment:
    """A webhook endpoint that ships on every paid checkout event it receives.

    The bug: it assumes each event arrives once. Stripe may deliver ``checkout.session.completed``
    twice, and the customer gets two parcels.
    """

    def __init__(self, warehouse: Warehouse, *, webhook_secret: str) -> None:
        self.warehouse = warehouse
        self._webhook_secret = webhook_secret

    def handle_webhook(self, payload: bytes, signature: str) -> int:
        """Verify the delivery, ship if it says an order was paid; answer an HTTP status."""
        event = verified_event(payload, signature, self._webhook_secret)
        if event is None:
            return 400
        if event.type not in PAID_EVENTS:
            return 200  # not about a payment: acknowledged
        session: Any = event.data.object
        if is_paid(event.type, session) and session.client_reference_id:
            self.fulfil(session.id, session.client_reference_id)
        return 200

    def fulfil(self, session_id: str, order_id: str) -> None:
        self.warehouse.ship(order_id)


class Fulfilment(NaiveFulfilment):
    """Ships each Checkout Session's order once, as Stripe's fulfilment guide asks: fulfilment is
    keyed by the session, so a duplicate (or a second paid event about the same session) is a
    no-op. A real shop records the fulfilled session in the same transaction as the shipment."""

    def __init__(self, warehouse: Warehouse, *, webhook_secret: str) -> None:
        super().__init__(warehouse, webhook_secret=webhook_secret)
        self.fulfilled: set[str] = set()
        """Ids of the Checkout Sessions already fulfilled."""

    def fulfil(self, session_id: str, order_id: str) -> None:
        if session_id in self.fulfilled:
            return
        self.fulfilled.add(session_id)
        self.warehouse.ship(order_id)


def is_paid(event_type: str, session: Any) -> bool:
    """Whether this event says the session's payment arrived."""
    if event_type == "checkout.session.async_payment_succeeded":
        return True
    return event_type == "checkout.session.completed" and session.payment_status == "paid"
