"""A small shop that sells through Stripe Checkout and holds stock while a customer pays.

The flow, as a real integration does it:

1. ``checkout(cart)`` reserves the stock, then creates a Checkout Session (valid for one hour)
   tagged with the order id, and returns the hosted page's URL to redirect the customer to.
2. Stripe tells the shop what happened through signed webhooks (``handle_webhook``): the order
   is paid, or its session expired and the stock goes back on the shelf.
3. ``cancel(order_id)`` lets the customer give up early; ``release_expired_reservations()`` is
   the periodic job that catches expiries whose webhook never arrived.
4. ``refund(order_id)`` gives a paid order's money back (``stripe.Refund.create``); the
   ``charge.refunded`` webhook marks the order refunded.

Everything lives in memory; a real shop keeps orders and stock in a database and makes each
state change in a transaction. The Stripe API key and webhook secret are injected, so the shop
never touches ``stripe.api_key``.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import stripe
from stripe.params.checkout import SessionCreateParamsLineItem

from .webhook_endpoint import WebhookEndpoint

RESERVATION_SECONDS = 3600
"""How long a customer has to pay: the Checkout Session's ``expires_at`` is now + one hour."""

OrderStatus = Literal["reserved", "awaiting_payment", "paid", "released", "refunded"]
"""``reserved`` → ``paid`` | ``released``; ``reserved`` → ``awaiting_payment`` (a delayed payment
method such as a bank debit) → ``paid`` | ``released``; ``paid`` → ``refunded`` (all of it)."""

ENABLED_EVENTS = (
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.async_payment_failed",
    "checkout.session.expired",
    "charge.refunded",
)
"""The events the shop's webhook endpoint is enabled for (its ``enabled_events`` in Stripe)."""


class ShopError(Exception):
    """A request the shop refuses."""


class OutOfStock(ShopError):
    """The cart asks for more units than are on the shelf."""


class UnknownPromotionCode(ShopError):
    """The code the customer typed is not an active promotion code."""


class NotCancellable(ShopError):
    """The customer already paid (or started a payment that is settling)."""


class NotRefundable(ShopError):
    """Only a paid order can be refunded (and only once)."""


@dataclass(frozen=True)
class Product:
    """A catalogue entry: the shop's ``sku`` and the ``lookup_key`` of the Stripe price it sells
    at (the price itself is looked up through the API, so a new price can take the key over)."""

    sku: str
    name: str
    lookup_key: str


@dataclass(frozen=True)
class Line:
    """``quantity`` units of a catalogue product."""

    sku: str
    quantity: int = 1


@dataclass(frozen=True)
class CustomItem:
    """A one-off item with no Stripe price (an engraving, gift wrap): sent as ``price_data``.

    It is not stocked, so it reserves nothing.
    """

    name: str
    unit_amount: int
    quantity: int = 1


Cart = Sequence[Line | CustomItem]


@dataclass
class Order:
    """One checkout attempt and the stock it holds."""

    id: str
    reserved: dict[str, int]
    """Units held per sku."""
    session_id: str
    created: int
    """When the Checkout Session was created (Unix seconds)."""
    status: OrderStatus = "reserved"
    payment_intent: str | None = None
    """The session's PaymentIntent, from its ``checkout.session.completed`` on."""
    amount_refunded: int = 0
    """What Stripe has refunded of the payment so far (``charge.refunded``), in cents."""


class Shop(WebhookEndpoint):
    """An in-memory shop in front of Stripe Checkout.

    ``now`` tells the shop the time (Unix seconds), ``time.time()`` by default; a test may pass
    the fake's ``clock.now`` so that ``expires_at`` agrees with the fake's clock.
    ``shipping_rate`` is the id of the Stripe shipping rate every order is shipped at (none: the
    shop sells nothing that ships).
    """

    def __init__(
        self,
        catalogue: Iterable[Product],
        stock: Mapping[str, int],
        *,
        api_key: str,
        webhook_secret: str,
        success_url: str = "https://shop.example/thanks?session_id={CHECKOUT_SESSION_ID}",
        cancel_url: str = "https://shop.example/cart",
        currency: str = "usd",
        shipping_rate: str | None = None,
        now: Callable[[], float] | None = None,
    ) -> None:
        self.products = {product.sku: product for product in catalogue}
        self.stock = dict(stock)
        """Units on the shelf per sku: neither reserved nor sold."""
        self.orders: dict[str, Order] = {}
        super().__init__(webhook_secret=webhook_secret)
        self._order_of_intent: dict[str, str] = {}
        self._api_key = api_key
        self._success_url = success_url
        self._cancel_url = cancel_url
        self._currency = currency
        self._shipping_rate = shipping_rate
        self._now = now if now is not None else _system_now
        self._order_numbers = itertools.count(1)

    # --- the customer's side ---

    def checkout(
        self, cart: Cart, *, email: str | None = None, promotion_code: str | None = None
    ) -> tuple[str, str]:
        """Reserve the cart's stock and open a Checkout Session; returns ``(order_id, url)``.

        With ``email`` the session is for that Stripe customer (created on first purchase).
        ``promotion_code`` is the code the customer typed (``WELCOME10``): Stripe applies its
        coupon and checks its restrictions; an unknown code raises ``UnknownPromotionCode``.
        """
        wanted: dict[str, int] = {}
        for line in cart:
            if isinstance(line, Line):
                if line.sku not in self.products:
                    raise ShopError(f"unknown product {line.sku!r}")
                wanted[line.sku] = wanted.get(line.sku, 0) + line.quantity
        short = [sku for sku, quantity in wanted.items() if self.stock.get(sku, 0) < quantity]
        if short:
            raise OutOfStock(f"not enough stock for {', '.join(sorted(short))}")

        line_items = [self._line_item(line) for line in cart]
        options: dict[str, Any] = {} if email is None else {"customer": self.customer_id(email)}
        if promotion_code is not None:
            options["discounts"] = [{"promotion_code": self.promotion_code_id(promotion_code)}]
        if self._shipping_rate is not None:
            options["shipping_options"] = [{"shipping_rate": self._shipping_rate}]
        order_id = f"order_{next(self._order_numbers):05d}"
        self._take(wanted)
        try:
            session = stripe.checkout.Session.create(
                api_key=self._api_key,
                mode="payment",
                line_items=line_items,
                **options,
                client_reference_id=order_id,
                metadata={"order_id": order_id},
                expires_at=int(self._now()) + RESERVATION_SECONDS,
                success_url=self._success_url,
                cancel_url=self._cancel_url,
            )
        except stripe.StripeError:
            self._put_back(wanted)  # no session, no order: the stock was never really held
            raise
        self.orders[order_id] = Order(order_id, wanted, session.id, session.created)
        assert session.url is not None  # a hosted Checkout page has one while it is open
        return order_id, session.url

    def cancel(self, order_id: str) -> None:
        """Give up an unpaid order: expire its session so it cannot be paid, release the stock."""
        order = self.orders[order_id]
        if order.status == "released":
            return
        if order.status != "reserved":
            raise NotCancellable(f"{order_id} is {order.status}")
        try:
            stripe.checkout.Session.expire(order.session_id, api_key=self._api_key)
        except stripe.InvalidRequestError:
            # Not open any more: it expired on its own (fine) or the customer just paid.
            session = stripe.checkout.Session.retrieve(order.session_id, api_key=self._api_key)
            if session.status != "expired":
                raise NotCancellable(f"{order_id}'s checkout is {session.status}") from None
        # Stripe may have delivered checkout.session.expired already; _release runs once.
        self._release(order)

    def refund(self, order_id: str) -> str:
        """Give a paid order's money back; returns the Stripe refund's id.

        The order stays ``paid`` until Stripe's ``charge.refunded`` says the money went back. The
        idempotency key makes a retried call (a timeout, a double click) refund once. The stock is
        not put back: the goods left with the customer.
        """
        order = self.orders[order_id]
        if order.status != "paid" or order.payment_intent is None:
            raise NotRefundable(f"{order_id} is {order.status}")
        refund = stripe.Refund.create(
            api_key=self._api_key,
            payment_intent=order.payment_intent,
            reason="requested_by_customer",
            metadata={"order_id": order_id},
            idempotency_key=f"refund-{order_id}",
        )
        return refund.id

    # --- Stripe's side ---

    enabled_events = ENABLED_EVENTS

    def act_on(self, event: stripe.Event) -> None:
        """A Checkout Session's event settles or releases its order; ``charge.refunded`` records
        a refund. Events for sessions and payments the shop did not open are ignored.
        ``handle_webhook(payload, signature)``, the endpoint, calls it once per event."""
        if event.type == "charge.refunded":
            self._refunded(event.data.object)
            return
        session: Any = event.data.object
        order = self._order_of(session)
        if order is not None:
            if event.type == "checkout.session.completed":
                paid = session.payment_status == "paid"
                self._settle(order, "paid" if paid else "awaiting_payment", session)
            elif event.type == "checkout.session.async_payment_succeeded":
                self._settle(order, "paid", session)
            elif event.type in (
                "checkout.session.expired",
                "checkout.session.async_payment_failed",
            ):
                self._release(order)

    def release_expired_reservations(self, *, page_size: int = 100) -> list[str]:
        """The sweep job: release the stock of every reserved order whose session expired.

        Catches the expiries whose webhook was lost. Returns the ids of the orders released.
        """
        reserved = [order for order in self.orders.values() if order.status == "reserved"]
        if not reserved:
            return []
        sessions = stripe.checkout.Session.list(
            api_key=self._api_key,
            status="expired",
            created={"gte": min(order.created for order in reserved)},
            limit=page_size,
        )
        released: list[str] = []
        for session in sessions.auto_paging_iter():
            order = self._order_of(session)
            if order is not None and order.status == "reserved":
                self._release(order)
                released.append(order.id)
        return released

    # --- helpers ---

    def available(self, sku: str) -> int:
        """Units of ``sku`` a new checkout can reserve."""
        return self.stock.get(sku, 0)

    def price_id(self, sku: str) -> str:
        """The Stripe price ``sku`` sells at: the active price holding its ``lookup_key``."""
        key = self.products[sku].lookup_key
        found = stripe.Price.list(lookup_keys=[key], active=True, api_key=self._api_key)
        if not found.data:
            raise ShopError(f"no active Stripe price has the lookup key {key!r}")
        return found.data[0].id

    def customer_id(self, email: str) -> str:
        """The Stripe customer for ``email``: found by email, else created."""
        return customer_for(email, api_key=self._api_key)

    def promotion_code_id(self, code: str) -> str:
        """The active promotion code the customer typed (Stripe compares codes ignoring case)."""
        found = stripe.PromotionCode.list(code=code, active=True, limit=1, api_key=self._api_key)
        if not found.data:
            raise UnknownPromotionCode(code)
        return found.data[0].id

    def _order_of(self, session: Any) -> Order | None:
        """The order a session was opened for; ``None`` for sessions the shop did not open."""
        return self.orders.get(session.client_reference_id or "")

    def _line_item(self, line: Line | CustomItem) -> SessionCreateParamsLineItem:
        if isinstance(line, Line):
            return {"price": self.price_id(line.sku), "quantity": line.quantity}
        return {
            "price_data": {
                "currency": self._currency,
                "unit_amount": line.unit_amount,
                "product_data": {"name": line.name},
            },
            "quantity": line.quantity,
        }

    def _settle(self, order: Order, status: OrderStatus, session: Any) -> None:
        if order.status in ("reserved", "awaiting_payment"):
            order.status = status  # the reserved units are sold: they stay off the shelf
            intent_id: str | None = session.payment_intent  # an id: events expand nothing
            if intent_id is not None:
                order.payment_intent = intent_id
                self._order_of_intent[intent_id] = order.id  # for its charge's events

    def _refunded(self, charge: Any) -> None:
        """``charge.refunded``: how much of an order's payment went back; all of it: refunded."""
        order = self.orders.get(self._order_of_intent.get(charge.payment_intent or "", ""))
        if order is None or order.status not in ("paid", "refunded"):
            return  # not a payment of the shop's, or one it does not know was paid
        order.amount_refunded = max(order.amount_refunded, charge.amount_refunded)
        if charge.refunded:
            order.status = "refunded"

    def _release(self, order: Order) -> None:
        if order.status in ("reserved", "awaiting_payment"):
            order.status = "released"
            self._put_back(order.reserved)

    def _take(self, units: Mapping[str, int]) -> None:
        for sku, quantity in units.items():
            self.stock[sku] -= quantity

    def _put_back(self, units: Mapping[str, int]) -> None:
        for sku, quantity in units.items():
            self.stock[sku] += quantity


def customer_for(email: str, *, api_key: str) -> str:
    """The id of the Stripe customer with ``email``: found by email, else created."""
    found = stripe.Customer.list(email=email, limit=1, api_key=api_key)
    if found.data:
        return found.data[0].id
    return stripe.Customer.create(email=email, api_key=api_key).id


def _system_now() -> float:
    return time.time()  # looked up on each call, so freezegun and time-machine move it
