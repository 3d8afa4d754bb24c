"""The shop's monthly membership, sold as a Stripe subscription through Checkout.

The flow, as a real integration does it (https://docs.stripe.com/billing/subscriptions/build-subscriptions):

1. ``subscribe(email)`` opens a Checkout Session in ``subscription`` mode for the membership's
   price (found by its ``lookup_key``), tagged with the shop's membership id in the session's and
   the subscription's ``metadata``, and returns the hosted page's URL.
2. Stripe's webhooks say the subscription changed (``handle_webhook``):
   on ``customer.subscription.created``, ``.updated`` and ``.deleted`` the membership takes the
   subscription's status (``active`` grants access, ``past_due`` after a failed renewal suspends
   it, a paid renewal restores it, ``canceled`` revokes it), and each ``invoice.paid`` records
   the period that invoice paid for (https://docs.stripe.com/billing/subscriptions/webhooks).
3. ``cancel(membership_id)`` ends the subscription at the end of the period already paid for, or
   at once with ``at_period_end=False``.

The memberships have their own webhook endpoint, enabled for ``ENABLED_EVENTS``; each event is
acted on once, by id. Stripe does not deliver events in order (two ``.updated`` of one renewal
share a ``created`` second), so a subscription event is a cue to read the subscription as it is
now (``stripe.Subscription.retrieve``), not a state to apply: a late delivery cannot undo a
newer change.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import stripe

from .shop import ShopError, customer_for
from .webhook_endpoint import WebhookEndpoint

LOOKUP_KEY = "membership_monthly"
"""The ``lookup_key`` of the Stripe price the membership sells at (a monthly recurring price)."""

ENABLED_EVENTS = (
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
    "invoice.paid",
)
"""The events the memberships' webhook endpoint is enabled for."""

ACCESS_STATUSES = ("trialing", "active")
"""Subscription statuses that give a member access; ``past_due`` (a renewal payment failed)
suspends it until an invoice is paid, ``canceled`` ends it."""


class AlreadyMember(ShopError):
    """The customer's membership is still running: no second subscription."""


@dataclass(frozen=True)
class PaidPeriod:
    """One period a member paid for: what an ``invoice.paid`` said."""

    invoice_id: str
    start: int
    end: int
    """Unix seconds; the period is ``[start, end)``."""
    amount_paid: int


@dataclass
class Membership:
    """One customer's membership, from its Checkout Session on; Stripe's webhooks keep it current."""

    id: str
    email: str
    session_id: str
    subscription_id: str | None = None
    status: str = "pending"
    """``pending`` until Stripe creates the subscription, then the subscription's ``status``."""
    cancel_at_period_end: bool = False
    paid_periods: dict[str, PaidPeriod] = field(default_factory=dict)
    """What each paid invoice paid for, by invoice id."""

    @property
    def has_access(self) -> bool:
        """Whether the member may use what the membership gives."""
        return self.status in ACCESS_STATUSES


class Memberships(WebhookEndpoint):
    """The membership programme in front of Stripe Billing; everything lives in memory.

    ``api_key`` and ``webhook_secret`` are injected, as for the shop; ``lookup_key`` names the
    membership's Stripe price.
    """

    def __init__(
        self,
        *,
        api_key: str,
        webhook_secret: str,
        lookup_key: str = LOOKUP_KEY,
        success_url: str = "https://shop.example/welcome?session_id={CHECKOUT_SESSION_ID}",
        cancel_url: str = "https://shop.example/membership",
    ) -> None:
        super().__init__(webhook_secret=webhook_secret)
        self.memberships: dict[str, Membership] = {}
        self._api_key = api_key
        self._lookup_key = lookup_key
        self._success_url = success_url
        self._cancel_url = cancel_url
        self._numbers = itertools.count(1)

    # --- the customer's side ---

    def subscribe(self, email: str) -> tuple[str, str]:
        """Open a subscription Checkout Session for ``email``; returns ``(membership_id, url)``.

        ``AlreadyMember`` if that customer's membership is still running.
        """
        current = self.of(email)
        if current is not None and current.status not in ("pending", "canceled"):
            raise AlreadyMember(f"{email} is a member ({current.status})")
        membership_id = f"mem_{next(self._numbers):05d}"
        tag = {"membership_id": membership_id}
        session = stripe.checkout.Session.create(
            api_key=self._api_key,
            mode="subscription",
            customer=customer_for(email, api_key=self._api_key),
            line_items=[{"price": self.price_id(), "quantity": 1}],
            client_reference_id=membership_id,
            metadata=tag,
            subscription_data={"metadata": tag},  # so the subscription's events name it too
            success_url=self._success_url,
            cancel_url=self._cancel_url,
        )
        self.memberships[membership_id] = Membership(membership_id, email, session.id)
        assert session.url is not None  # a hosted Checkout page has one while it is open
        return membership_id, session.url

    def cancel(self, membership_id: str, *, at_period_end: bool = True) -> None:
        """End the membership's subscription: at the end of the paid period (the member keeps
        access until then), or now. The webhooks that follow change the membership."""
        membership = self.memberships[membership_id]
        if membership.subscription_id is None or membership.status == "canceled":
            raise ShopError(f"{membership_id} has no running subscription")
        if at_period_end:
            stripe.Subscription.modify(
                membership.subscription_id, api_key=self._api_key, cancel_at_period_end=True
            )
        else:
            stripe.Subscription.cancel(membership.subscription_id, api_key=self._api_key)

    # --- Stripe's side ---

    enabled_events = ENABLED_EVENTS

    def act_on(self, event: stripe.Event) -> None:
        """A subscription's event moves its membership; ``invoice.paid`` records a paid period.
        ``handle_webhook(payload, signature)``, the endpoint, calls it once per event."""
        if event.type == "invoice.paid":
            self._record_payment(event.data.object)
        else:
            self._follow(event.data.object)

    # --- helpers ---

    def of(self, email: str) -> Membership | None:
        """The customer's newest membership, if any."""
        mine = [m for m in self.memberships.values() if m.email == email]
        return mine[-1] if mine else None

    def price_id(self) -> str:
        """The membership's Stripe price: the active price holding its ``lookup_key``."""
        found = stripe.Price.list(
            lookup_keys=[self._lookup_key], active=True, api_key=self._api_key
        )
        if not found.data:
            raise ShopError(f"no active Stripe price has the lookup key {self._lookup_key!r}")
        return found.data[0].id

    def _tagged(self, metadata: Any) -> Membership | None:
        """The membership a subscription's (or its invoice's) ``metadata`` names, if the shop's."""
        tag = metadata.to_dict().get("membership_id") if metadata is not None else None
        return self.memberships.get(tag) if isinstance(tag, str) else None

    def _follow(self, changed: Any) -> None:
        """A ``customer.subscription.*`` event: the membership takes the subscription's state
        as Stripe has it now (the event's copy may be older than one already delivered)."""
        membership = self._tagged(changed.metadata)
        if membership is None or membership.status == "canceled":
            return  # not the shop's, or over: ``canceled`` is final
        subscription = stripe.Subscription.retrieve(changed.id, api_key=self._api_key)
        membership.subscription_id = subscription.id
        membership.status = subscription.status
        membership.cancel_at_period_end = subscription.cancel_at_period_end

    def _record_payment(self, invoice: Any) -> None:
        """An ``invoice.paid``: the period its subscription line paid for."""
        parent = invoice.parent
        details = parent.subscription_details if parent is not None else None
        if details is None:
            return  # not a subscription's invoice
        membership = self._tagged(details.metadata)
        if membership is None:
            return
        period = invoice.lines.data[0].period
        membership.paid_periods[invoice.id] = PaidPeriod(
            invoice.id, period.start, period.end, invoice.amount_paid
        )
