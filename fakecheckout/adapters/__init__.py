"""Front doors that route an HTTP client's calls to ``api.stripe.com`` into a fake."""

from __future__ import annotations

from fakecheckout.adapters.responses_adapter import RequestsAdapter, StripeRoute

__all__ = ["RequestsAdapter", "StripeRoute"]
