"""fakecheckout: an in-process, in-memory fake of Stripe Checkout Sessions for tests.

>>> import fakecheckout, stripe
>>> with fakecheckout.FakeCheckout() as fake:      # doctest: +SKIP
...     session = stripe.checkout.Session.create(mode="payment", line_items=[...])
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .adapters.network_guard import NetworkGuardError
from .core.clock import Clock, ManualClock, SystemClock
from .core.errors import (
    APIError,
    AuthenticationError,
    IdempotencyError,
    InvalidDumpError,
    InvalidRequestError,
    PermissionError,
    StripeError,
)
from .core.forwarding import DeliveryPolicy, WebhookRejected
from .core.snapshots import Snapshot
from .core.versions import API_VERSIONS
from .fake import (
    FakeCheckout,
    UnfiredFailureError,
    UnhandledRequestError,
    WebhookDeliveryError,
    activate,
    current,
)
from .http.faults import InjectedConnectionError
from .http.request_log import RecordedRequest

if TYPE_CHECKING:
    from .server import serve


def __getattr__(name: str) -> Any:
    """``serve`` is imported on first use: the server (``http.server``, the checkout page's
    ``html``) is no cost of ``import fakecheckout`` for tests that never start it."""
    if name == "serve":
        from .server import serve

        return serve
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "API_VERSIONS",
    "APIError",
    "AuthenticationError",
    "Clock",
    "DeliveryPolicy",
    "FakeCheckout",
    "IdempotencyError",
    "InjectedConnectionError",
    "InvalidDumpError",
    "InvalidRequestError",
    "ManualClock",
    "NetworkGuardError",
    "PermissionError",
    "RecordedRequest",
    "Snapshot",
    "StripeError",
    "SystemClock",
    "UnfiredFailureError",
    "UnhandledRequestError",
    "WebhookDeliveryError",
    "WebhookRejected",
    "activate",
    "current",
    "serve",
]
