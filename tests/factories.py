"""Request parameters and credentials shared by the test suite."""

from __future__ import annotations

from typing import Any

START = 1_800_000_000
KEY = "sk_test_123"
AUTH = {"Authorization": f"Bearer {KEY}"}


def shirt(quantity: int = 1, unit_amount: int = 1500, currency: str = "usd") -> dict[str, Any]:
    """A ``price_data`` line item."""
    return {
        "price_data": {
            "currency": currency,
            "unit_amount": unit_amount,
            "product_data": {"name": "T-shirt"},
        },
        "quantity": quantity,
    }


def payment_params(**overrides: Any) -> dict[str, Any]:
    """Create parameters of a one-item payment-mode session."""
    params: dict[str, Any] = {
        "mode": "payment",
        "line_items": [shirt()],
        "success_url": "https://example.com/ok",
    }
    params.update(overrides)
    return params
