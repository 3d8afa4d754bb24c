"""Signed webhook delivery: ``fake.webhooks`` and the POST to a webhook endpoint's URL.

Events are delivered synchronously, outside the world's lock, in the order they were recorded, to every
subscribed ``callback(payload: bytes, headers: dict[str, str])`` and to every enabled webhook
endpoint (``/v1/webhook_endpoints``) that selects their type. The ``Stripe-Signature`` header is
Stripe's ``t=<unix>,v1=<hmac-sha256>`` scheme, signed with ``int(time.time())`` at delivery, so
``stripe.Webhook.construct_event(payload, header, secret)`` accepts it under freezegun, time-machine
and any ``ManualClock``.
https://docs.stripe.com/webhooks#verify-official-libraries
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import json
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from .forwarding import EXACTLY_ONCE, DeliveryPolicy, Forwarding, poster_for

Callback = Callable[[bytes, dict[str, str]], object]

RETRY_DELAYS = (30 * 60, 60 * 60, 2 * 60 * 60)
"""Seconds from a failed attempt to the next one: three retries with exponential backoff, the
last 3.5 hours after the first attempt. Stripe documents for test mode (sandboxes) "three times
over a few hours" and publishes no intervals (live mode retries for up to three days)."""

DELIVERY_TIMEOUT = 5.0
"""Seconds the fake waits for an endpoint to answer before it counts the attempt as failed."""


def signature_header(payload: bytes, secret: str, timestamp: int) -> str:
    """``t=<timestamp>,v1=<hex>`` for ``payload``, as Stripe signs webhooks."""
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


class Webhooks:
    """The fake's webhook endpoint: a signing ``secret`` and the subscribed callbacks."""

    def __init__(self, secret: str, redeliver: Callable[[str], None] | None = None) -> None:
        self.secret = secret
        self._redeliver = redeliver
        self._callbacks: list[Callback] = []
        self._lock = threading.Lock()
        #: ``(event id, exception)`` for every callback that raised; delivery goes on regardless.
        self.failures: list[tuple[str, BaseException]] = []
        #: Seconds a webhook endpoint has to answer a POST before the attempt counts as failed.
        self.endpoint_timeout = DELIVERY_TIMEOUT

    def subscribe(self, callback: Callback) -> Callable[[], None]:
        """Call ``callback(payload, headers)`` for each new event; returns an unsubscribe function."""
        with self._lock:
            self._callbacks.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._callbacks:
                    self._callbacks.remove(callback)

        return unsubscribe

    def forward_to(
        self,
        client: Any,
        path: str,
        *,
        secret: str | None = None,
        policy: DeliveryPolicy = EXACTLY_ONCE,
    ) -> Forwarding:
        """POST every new event, signed, with ``client.post(path, ...)`` until the returned
        forwarding stops; ``client`` is a Flask, Django or Starlette/FastAPI test client.

        ``secret`` is the signing secret the app verifies with (by default :attr:`secret`);
        ``policy`` duplicates or reorders deliveries on purpose (see ``DeliveryPolicy``). A non-2xx
        answer is kept in :attr:`failures` as a ``WebhookRejected``.
        """
        return Forwarding(self, poster_for(client), path, secret=secret, policy=policy)

    def redeliver(self, event_id: str) -> None:
        """Deliver the stored event ``event_id`` again, newly signed, to every subscribed callback
        and forwarding, as Stripe may deliver an event twice. An unknown id raises Stripe's
        ``No such event`` ``InvalidRequestError``."""
        if self._redeliver is None:
            raise RuntimeError("these webhooks belong to no fake")
        self._redeliver(event_id)

    @property
    def subscribed(self) -> int:
        return len(self._callbacks)

    def sign(
        self, event: dict[str, Any], secret: str | None = None
    ) -> tuple[bytes, dict[str, str]]:
        """The payload and headers Stripe would POST for ``event``, signed now with ``secret``
        (by default this object's, which callbacks verify with)."""
        payload = json.dumps(event, indent=2).encode()
        key = self.secret if secret is None else secret
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Stripe-Signature": signature_header(payload, key, int(time.time())),
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


def is_deliverable(url: str) -> bool:
    """Whether the fake POSTs to ``url``: only hosts that cannot be on the public internet.

    A loopback or private address, ``localhost`` (and ``*.localhost``), or a name without a dot
    (a container's service name). Divergence: Stripe delivers to public URLs only; the fake never
    sends a test's events to a public host, so an endpoint registered with such a URL never
    receives anything (each attempt fails without a connection).
    """
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    if not host:
        return False
    if host == "localhost" or host.endswith(".localhost") or ("." not in host and ":" not in host):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_private or address.is_link_local


def post(url: str, payload: bytes, headers: dict[str, str], *, timeout: float) -> bool:
    """POST ``payload`` to ``url``; whether the endpoint answered 2xx within ``timeout`` seconds.

    Uses ``http.client`` directly, so no interception of HTTP clients applies to it.
    """
    if not is_deliverable(url):
        return False
    parts = urlsplit(url)
    connection_class = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        connection = connection_class(parts.hostname or "", parts.port, timeout=timeout)
        try:
            connection.request("POST", path, body=payload, headers=headers)
            status = connection.getresponse().status
        finally:
            connection.close()
    except (OSError, http.client.HTTPException, ValueError):
        return False  # refused, reset, timed out, not HTTP: a failed attempt, retried later
    return 200 <= status < 300
