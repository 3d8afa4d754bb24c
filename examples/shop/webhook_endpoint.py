"""What the shop's webhook endpoints share: verifying a delivery, and acting on each event once.

Stripe signs every delivery (``Stripe-Signature``) and may deliver an event more than once
(https://docs.stripe.com/webhooks#handle-duplicate-events), so an endpoint verifies the raw body
and remembers the ids of the events it has acted on. A real endpoint keeps those ids in the same
database transaction as the change the event caused.
"""

from __future__ import annotations

import stripe


def verified_event(payload: bytes, signature: str, webhook_secret: str) -> stripe.Event | None:
    """The event a webhook delivery carries, or ``None`` if its signature does not verify (the
    endpoint answers 400 then). Pass the raw body: re-serialised JSON breaks the signature."""
    try:
        event: stripe.Event = stripe.Webhook.construct_event(payload, signature, webhook_secret)
    except (ValueError, stripe.SignatureVerificationError):
        return None
    return event


class WebhookEndpoint:
    """A webhook endpoint enabled for ``enabled_events``: ``handle_webhook`` verifies each
    delivery and hands every event it has not seen to ``act_on``, once."""

    enabled_events: tuple[str, ...] = ()
    """The event types the endpoint is enabled for in Stripe (its ``enabled_events``)."""

    def __init__(self, *, webhook_secret: str) -> None:
        self.handled_events: set[str] = set()
        """Ids of the webhook events already acted on: Stripe may deliver an event twice."""
        self._webhook_secret = webhook_secret

    def handle_webhook(self, payload: bytes, signature: str) -> int:
        """The endpoint's view: verify, act once per event, answer an HTTP status."""
        event = verified_event(payload, signature, self._webhook_secret)
        if event is None:
            return 400
        if event.id not in self.handled_events and event.type in self.enabled_events:
            self.act_on(event)
            self.handled_events.add(event.id)
        return 200  # duplicates and events about something else are acknowledged too

    def act_on(self, event: stripe.Event) -> None:
        """Change what ``event`` says changed; called once per event id."""
        raise NotImplementedError
