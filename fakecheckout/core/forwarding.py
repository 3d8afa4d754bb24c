"""``fake.webhooks.forward_to(client, path)``: the fake's events POSTed to a web app's test client.

One call wires a Flask, Django or Starlette/FastAPI test client to the fake: every event is signed
and POSTed with ``client.post(path, ...)`` as Stripe POSTs it to a webhook endpoint (the raw JSON
body, ``Content-Type: application/json; charset=utf-8``, ``Stripe-Signature``). The client is
recognised by the modules its class comes from, so no framework is imported here.

A :class:`DeliveryPolicy` duplicates or reorders deliveries on purpose, as Stripe may:
https://docs.stripe.com/webhooks#handle-duplicate-events and
https://docs.stripe.com/webhooks#event-ordering
"""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .webhooks import Webhooks

Poster = Callable[[str, bytes, dict[str, str]], int]
"""``post(path, payload, headers) -> status``: one POST through a test client."""


class WebhookRejected(Exception):
    """The app answered a delivered event with a status other than 2xx."""

    def __init__(self, event_id: str, status: int, path: str) -> None:
        self.event_id = event_id
        self.status = status
        self.path = path
        super().__init__(
            f"POST {path} answered {status} to {event_id} (Stripe counts anything but 2xx as a "
            "failed delivery and retries it)"
        )


@dataclass(frozen=True)
class DeliveryPolicy:
    """How a forwarding delivers: on purpose not exactly once and in order, as Stripe may.

    ``duplicate``: the chance that an event is POSTed a second time right after the first.
    ``reorder``: the chance that an event is held back and POSTed after the next event that is
    not held (held events also go out at :meth:`Forwarding.flush` and when the forwarding stops).
    ``seed`` makes the choices reproducible (``None``: a fresh random choice per run).
    """

    duplicate: float = 0.0
    reorder: float = 0.0
    seed: int | None = None

    def __post_init__(self) -> None:
        for name in ("duplicate", "reorder"):
            chance = getattr(self, name)
            if not 0.0 <= chance <= 1.0:
                raise ValueError(f"{name} is a chance between 0 and 1, not {chance!r}")


EXACTLY_ONCE = DeliveryPolicy()
"""Every event once, in the order it was recorded (the default)."""


@dataclass(frozen=True)
class ForwardedDelivery:
    """One POST a forwarding made: which event, and the status the app answered."""

    event_id: str
    event_type: str
    status: int


class Forwarding:
    """A live ``forward_to``: delivers each event the fake records until :meth:`stop`.

    ``deliveries`` lists every POST made, in order (a duplicate appears twice). A non-2xx answer,
    or an exception raised by the view through the test client, is kept in
    ``fake.webhooks.failures`` like a callback's, so a strict fake's ``stop()`` raises
    ``WebhookDeliveryError``. A context manager: leaving the block stops it.
    """

    def __init__(
        self,
        webhooks: Webhooks,
        poster: Poster,
        path: str,
        *,
        secret: str | None,
        policy: DeliveryPolicy,
    ) -> None:
        self.path = path
        self.policy = policy
        self.deliveries: list[ForwardedDelivery] = []
        self._webhooks = webhooks
        self._poster = poster
        self._secret = secret
        self._random = random.Random(policy.seed)
        self._held: list[dict[str, Any]] = []
        self._lock = threading.RLock()
        self._unsubscribe = webhooks.subscribe(self._receive)

    @property
    def held(self) -> list[str]:
        """Ids of the events held back for a later POST (``reorder``), oldest first."""
        return [event["id"] for event in self._held]

    def _receive(self, payload: bytes, headers: dict[str, str]) -> None:
        event: dict[str, Any] = json.loads(payload)
        with self._lock:
            if self._random.random() < self.policy.reorder:
                self._held.append(event)
                return
            self._post(event)
            if self._random.random() < self.policy.duplicate:
                self._post(event)
            self.flush()

    def flush(self) -> None:
        """POST the events held back so far, oldest first."""
        with self._lock:
            held, self._held = self._held, []
            for event in held:
                self._post(event)

    def _post(self, event: dict[str, Any]) -> None:
        payload, headers = self._webhooks.sign(event, self._secret)
        status = self._poster(self.path, payload, headers)
        self.deliveries.append(ForwardedDelivery(event["id"], event["type"], status))
        if not 200 <= status < 300:
            raise WebhookRejected(event["id"], status, self.path)

    def stop(self) -> None:
        """POST what is still held, then deliver nothing more."""
        self._unsubscribe()
        try:
            self.flush()
        except Exception as exc:  # noqa: BLE001 - kept like a delivery's failure
            self._webhooks.failures.append(("(held)", exc))

    def __enter__(self) -> Forwarding:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def poster_for(client: Any) -> Poster:
    """How to POST a raw JSON body with headers through ``client``, by its framework.

    Django's ``django.test.Client`` takes ``content_type=`` and headers as ``HTTP_…`` keys; Flask's
    (Werkzeug's) client takes ``data=`` and ``headers=``; Starlette's ``TestClient`` (FastAPI's is
    the same class) is an httpx client and takes ``content=`` and ``headers=``.
    """
    frameworks = {cls.__module__.partition(".")[0] for cls in type(client).__mro__}
    if "django" in frameworks:
        return _django_poster(client)
    if frameworks & {"flask", "werkzeug"}:
        return _werkzeug_poster(client)
    if frameworks & {"starlette", "fastapi", "httpx"}:
        return _httpx_poster(client)
    raise TypeError(
        f"forward_to() takes a Flask, Django or Starlette/FastAPI test client, not "
        f"{type(client).__module__}.{type(client).__qualname__}"
    )


def _django_poster(client: Any) -> Poster:
    def post(path: str, payload: bytes, headers: dict[str, str]) -> int:
        extra = {
            "HTTP_" + name.upper().replace("-", "_"): value
            for name, value in headers.items()
            if name.lower() != "content-type"
        }
        response = client.post(path, data=payload, content_type=headers["Content-Type"], **extra)
        return int(response.status_code)

    return post


def _werkzeug_poster(client: Any) -> Poster:
    def post(path: str, payload: bytes, headers: dict[str, str]) -> int:
        return int(client.post(path, data=payload, headers=headers).status_code)

    return post


def _httpx_poster(client: Any) -> Poster:
    def post(path: str, payload: bytes, headers: dict[str, str]) -> int:
        return int(client.post(path, content=payload, headers=headers).status_code)

    return post
