"""fakecheckout: an in-process, in-memory fake of Stripe Checkout Sessions for tests.

>>> import fakecheckout, stripe
>>> with fakecheckout.FakeCheckout() as fake:      # doctest: +SKIP
...     session = stripe.checkout.Session.create(mode="payment", line_items=[...])
"""

from __future__ import annotations

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
from .core.snapshots import Snapshot
from .core.versions import API_VERSIONS
from .fake import FakeCheckout, UnhandledRequestError, WebhookDeliveryError, activate, current
from .server import serve

__all__ = [
    "API_VERSIONS",
    "APIError",
    "AuthenticationError",
    "Clock",
    "FakeCheckout",
    "IdempotencyError",
    "InvalidDumpError",
    "InvalidRequestError",
    "ManualClock",
    "NetworkGuardError",
    "PermissionError",
    "Snapshot",
    "StripeError",
    "SystemClock",
    "UnhandledRequestError",
    "WebhookDeliveryError",
    "activate",
    "current",
    "serve",
]
