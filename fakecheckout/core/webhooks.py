"""Signed webhook delivery: ``fake.webhooks``.

Events are delivered synchronously, outside the world's lock, in the order they were recorded, to every
subscribed ``callback(payload: bytes, headers: dict[str, str])``. The ``Stripe-Signature`` header is
Stripe's ``t=<unix>,v1=<hmac-sha256>`` scheme, signed with ``int(time.time())`` at delivery, so
``stripe.Webhook.construct_event(payload, header, secret)`` accepts it under freezegun, time-machine
and any ``ManualClock``.
https://docs.stripe.com/webhooks#verify-official-libraries
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable
from typing import Any

Callback = Callable[[bytes, dict[str, str]], object]


def signature_header(payload: bytes, secret: str, timestamp: int) -> str:
    """``t=<timestamp>,v1=<hex>`` for ``payload``, as Stripe signs webhooks."""
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


class Webhooks:
    """The fake's webhook endpoint: a signing ``secret`` and the subscribed callbacks."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self._callbacks: list[Callback] = []
        self._lock = threading.Lock()
        #: ``(event id, exception)`` for every callback that raised; delivery goes on regardless.
        self.failures: list[tuple[str, BaseException]] = []

    def subscribe(self, callback: Callback) -> Callable[[], None]:
        """Call ``callback(payload, headers)`` for each new event; returns an unsubscribe function."""
        with self._lock:
            self._callbacks.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._callbacks:
                    self._callbacks.remove(callback)

        return unsubscribe

    @property
    def subscribed(self) -> int:
        return len(self._callbacks)

    def sign(self, event: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
        """The payload and headers Stripe would POST for ``event``, signed now."""
        payload = json.dumps(event, indent=2).encode()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Stripe-Signature": signature_header(payload, self.secret, int(time.time())),
            "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        }
        return payload, headers

    def deliver(self, event: dict[str, Any]) -> None:
        """Sign ``event`` and hand it to every callback; a callback's exception is kept in
        :attr:`failures` and does not stop the others (the request that caused it succeeded)."""
        with self._lock:
            callbacks = list(self._callbacks)
        for callback in callbacks:
            payload, headers = self.sign(event)
            try:
                callback(payload, headers)
            except Exception as exc:  # noqa: BLE001 - a subscriber's bug must not fail the request
                self.failures.append((event["id"], exc))
