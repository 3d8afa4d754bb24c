"""Front doors that route an HTTP client's calls to Stripe hosts into a fake, and the guard."""

from __future__ import annotations

from fakecheckout.adapters.network_guard import NetworkGuardError
from fakecheckout.adapters.responses_adapter import RequestsAdapter, StripeRoute

__all__ = ["NetworkGuardError", "RequestsAdapter", "StripeRoute"]
