"""``CheckoutMachine``: a hypothesis state machine that drives your integration through Checkout.

Subclass it, tell it how your code opens a checkout (:meth:`CheckoutMachine.create_checkout`) and
where your webhook endpoint is (:meth:`CheckoutMachine.deliver_webhook`, or ``webhook_client``),
and add ``@invariant()`` methods that must hold whatever happens. Hypothesis then interleaves what
customers and Stripe do — open, pay, pay with a delayed method that later succeeds or fails,
abandon until the session expires, expire it, jump the clock — with webhook deliveries that come
late, out of order or twice, as Stripe documents they may
(https://docs.stripe.com/webhooks#handle-duplicate-events,
https://docs.stripe.com/webhooks#event-ordering), and shrinks any failure to a short story::

    class ShopMachine(CheckoutMachine):
        def __init__(self) -> None:
            super().__init__()
            self.shop = Shop(api_key="sk_test_x", webhook_secret=self.fake.webhooks.secret)

        def create_checkout(self) -> str:
            return self.shop.checkout(...).session_id

        def deliver_webhook(self, payload: bytes, headers: dict[str, str]) -> int:
            return self.shop.handle_webhook(payload, headers["Stripe-Signature"])

        @invariant()
        def nothing_ships_twice(self) -> None: ...

    TestShop = ShopMachine.TestCase

Needs the ``hypothesis`` extra. Each example runs in a fresh, active ``FakeCheckout`` on a
``ManualClock`` (:meth:`CheckoutMachine.make_fake`), stopped at teardown.
"""

from __future__ import annotations

import fnmatch
import json
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    multiple,
    precondition,
    rule,
)

from .core.clock import ManualClock
from .core.forwarding import poster_for
from .fake import FakeCheckout

__all__ = ["START", "CheckoutMachine"]

START = 1_800_000_000
"""Where each example's clock starts (2027-01-15T08:00:00Z)."""

CLOCK_JUMPS = (1, 60, 30 * 60, 60 * 60, 6 * 60 * 60, 24 * 60 * 60 + 1)
"""Seconds the clock may jump: a tick, minutes, an hour (the shortest ``expires_at`` Stripe
allows is 30 minutes), and past the 24 hours a session stays open by default."""


@settings(max_examples=50, stateful_step_count=25, deadline=None)
class CheckoutMachine(RuleBasedStateMachine):
    """Customers, the clock and Stripe's webhook deliveries, interleaved by hypothesis.

    Override :meth:`create_checkout` and either :meth:`deliver_webhook` or set
    ``self.webhook_client`` (a Flask, Django or Starlette/FastAPI test client, POSTed to
    ``webhook_path``). Add ``@invariant()`` methods for what must hold after every step, and
    :meth:`check_settled` for what must hold once every event has been delivered. Add rules of
    your own with ``@rule(session=CheckoutMachine.open_sessions)``.

    Webhook events are not delivered when they are recorded: they wait in :attr:`pending` until
    a delivery rule sends the oldest, a later one first, or one already delivered again. An
    answer other than 2xx puts the event back at the end of the queue, as Stripe retries it.
    """

    open_sessions = Bundle("open_sessions")
    """Ids of the sessions :meth:`create_checkout` opened (some may have expired since)."""
    awaiting_payment = Bundle("awaiting_payment")
    """Ids of sessions completed with a delayed payment that has not settled yet."""

    webhook_path = "/stripe/webhook"
    """Where the default :meth:`deliver_webhook` POSTs through ``webhook_client``."""
    enabled_events: tuple[str, ...] = ("*",)
    """The event types the endpoint receives, as a webhook endpoint's ``enabled_events``
    (``*`` every one, ``checkout.session.*`` those of sessions); the others are not queued."""

    def __init__(self) -> None:
        super().__init__()
        self.clock = ManualClock(START)
        self.fake = self.make_fake(self.clock)
        """This example's fake, active while the example runs."""
        self.webhook_client: Any = None
        """A web framework's test client for the default :meth:`deliver_webhook`."""
        self.pending: list[dict[str, Any]] = []
        """Events recorded and not delivered yet, oldest first (a redelivery joins the end)."""
        self.delivered: list[str] = []
        """Ids of the events delivered with a 2xx answer, in delivery order (duplicates too)."""
        self.fake.webhooks.subscribe(self._queue)
        self.fake.start()

    # --- hooks a subclass overrides ---

    def make_fake(self, clock: ManualClock) -> FakeCheckout:
        """The fake for one example, not started yet; by default ``FakeCheckout(clock=clock,
        seed=0)``. Override to pass ``api_version=`` or seed the catalogue."""
        return FakeCheckout(clock=clock, seed=0)

    def create_checkout(self) -> str:
        """Open a checkout through your integration (as a customer clicking "Pay" would) and
        return the Checkout Session's id."""
        raise NotImplementedError("override create_checkout() to open a checkout your way")

    def deliver_webhook(self, payload: bytes, headers: dict[str, str]) -> int:
        """Hand one signed delivery (the raw body and Stripe's headers, ``Stripe-Signature``
        among them) to your webhook endpoint; return the HTTP status it answered.

        By default it is POSTed to :attr:`webhook_path` through ``self.webhook_client``.
        """
        if self.webhook_client is None:
            raise NotImplementedError(
                "override deliver_webhook() or set self.webhook_client to your app's test client"
            )
        return poster_for(self.webhook_client)(self.webhook_path, payload, headers)

    def check_settled(self) -> None:
        """Called whenever every recorded event has been delivered: assert here what must hold
        once Stripe's deliveries caught up (every paid order fulfilled, …). Does nothing by
        default."""

    # --- customers and Stripe ---

    @rule(target=open_sessions)
    def create(self) -> str:
        """A customer starts a checkout."""
        return self.create_checkout()

    @rule(session=consumes(open_sessions))
    def pay(self, session: str) -> None:
        """The customer pays by card: ``checkout.session.completed``, ``paid``."""
        if self._is_open(session):
            self.fake.sessions.complete(session)

    @rule(target=awaiting_payment, session=consumes(open_sessions))
    def pay_with_a_delayed_method(self, session: str) -> Any:
        """The customer pays by bank debit: completed, ``unpaid`` until it settles (a setup-mode
        session takes no payment: it stays open)."""
        found = self.fake.sessions.retrieve(session)
        if found["status"] != "open" or found["mode"] == "setup":
            return multiple()
        self.fake.sessions.complete(session, payment_status="unpaid")
        return session

    @rule(session=consumes(awaiting_payment), succeeded=st.booleans())
    def settle_delayed_payment(self, session: str, succeeded: bool) -> None:
        """The delayed payment succeeds or fails (``checkout.session.async_payment_*``)."""
        self.fake.sessions.settle_async_payment(session, succeeded=succeeded)

    @rule(session=consumes(open_sessions))
    def abandon_until_expiry(self, session: str) -> None:
        """The customer walks away; the clock reaches the session's ``expires_at``."""
        if self._is_open(session):
            expires_at = self.fake.sessions.retrieve(session)["expires_at"]
            self.clock.set(max(expires_at, self.clock.now()))
            self.fake.settle()

    @rule(session=consumes(open_sessions))
    def expire(self, session: str) -> None:
        """The session is expired through the API (``POST /v1/checkout/sessions/{id}/expire``)."""
        if self._is_open(session):
            self.fake.sessions.expire(session)

    @rule(seconds=st.sampled_from(CLOCK_JUMPS))
    def jump_the_clock(self, seconds: int) -> None:
        """Time passes; sessions whose ``expires_at`` came expire."""
        self.clock.advance(seconds)
        self.fake.settle()

    # --- Stripe's deliveries ---

    @precondition(lambda self: bool(self.pending))
    @rule()
    def deliver_the_oldest_event(self) -> None:
        """Stripe delivers the oldest event not delivered yet."""
        self._deliver(self.pending.pop(0))

    @precondition(lambda self: len(self.pending) > 1)
    @rule(data=st.data())
    def deliver_a_later_event_first(self, data: st.DataObject) -> None:
        """Stripe delivers a newer event before an older one (no order is guaranteed)."""
        index = data.draw(st.integers(1, len(self.pending) - 1), label="pending index")
        self._deliver(self.pending.pop(index))

    @precondition(lambda self: bool(self.delivered))
    @rule(data=st.data())
    def deliver_an_event_again(self, data: st.DataObject) -> None:
        """Stripe delivers an event it delivered already (``fake.webhooks.redeliver``)."""
        event_id = data.draw(st.sampled_from(sorted(set(self.delivered))), label="event")
        self.fake.webhooks.redeliver(event_id)  # queued at the end of ``pending``
        self._deliver(self.pending.pop())

    @precondition(lambda self: bool(self.pending))
    @rule()
    def deliver_everything(self) -> None:
        """Stripe catches up: every pending event once, oldest first (one refused goes back to
        the end of the queue)."""
        for _ in range(len(self.pending)):
            self._deliver(self.pending.pop(0))

    def teardown(self) -> None:
        """Stop this example's fake (a strict fake reports requests it does not emulate)."""
        if self.fake.active:
            self.fake.stop()

    # --- helpers ---

    def _queue(self, payload: bytes, headers: dict[str, str]) -> None:
        event = json.loads(payload)
        if any(fnmatch.fnmatchcase(event["type"], pattern) for pattern in self.enabled_events):
            self.pending.append(event)

    def _deliver(self, event: dict[str, Any]) -> None:
        payload, headers = self.fake.webhooks.sign(event)
        status = self.deliver_webhook(payload, headers)
        if 200 <= status < 300:
            self.delivered.append(event["id"])
        else:
            self.pending.append(event)  # Stripe retries what was not acknowledged
        if not self.pending:
            self.check_settled()

    def _is_open(self, session: str) -> bool:
        return bool(self.fake.sessions.retrieve(session)["status"] == "open")
