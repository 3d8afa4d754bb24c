from __future__ import annotations

from typing import Any

import pytest

from fakecheckout import ManualClock
from fakecheckout.core.world import World

START = 1_800_000_000


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def world(clock: ManualClock) -> World:
    return World(clock=clock, seed=1)


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
    params: dict[str, Any] = {
        "mode": "payment",
        "line_items": [shirt()],
        "success_url": "https://example.com/ok",
    }
    params.update(overrides)
    return params
