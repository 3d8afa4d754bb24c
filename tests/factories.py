"""Request parameters and credentials shared by the test suite."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
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


def load_script(name: str) -> ModuleType:
    """A generator script of ``scripts/`` (``"generate_param_tree"``), imported as a module."""
    path = Path(__file__).resolve().parents[1] / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
