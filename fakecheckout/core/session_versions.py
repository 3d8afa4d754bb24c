"""Checkout Sessions at older API versions: the shape each version shows, and old parameters in
the stored (newest) form. Registered with :mod:`versioned`; the changes are in
``versions.CHANGES``.
"""

from __future__ import annotations

from typing import Any

from . import versioned
from .versions import has

#: ``ui_mode`` as versions before ``2026-03-25.dahlia`` spell it (``form`` has no older name).
UI_MODE_BEFORE_DAHLIA = {"hosted_page": "hosted", "embedded_page": "embedded", "elements": "custom"}
UI_MODE_STORED = {old: new for new, old in UI_MODE_BEFORE_DAHLIA.items()}


def session(obj: dict[str, Any], version: str) -> dict[str, Any]:
    """A ``checkout.session`` (newest shape) as ``version`` shows it."""
    out = dict(obj)
    if not has("payment_method_types_removed", version):
        out.pop("allowed_payment_method_types", None)
    if not has("ui_modes_renamed", version):
        mode = out.get("ui_mode")
        out["ui_mode"] = UI_MODE_BEFORE_DAHLIA.get(mode, mode) if isinstance(mode, str) else mode
    if not has("shipping_details_moved", version):
        collected = out.get("collected_information")
        shipping = collected.get("shipping_details") if isinstance(collected, dict) else None
        out["shipping_details"] = shipping
        out = versioned.stripe_field_order(out)
    line_items = out.get("line_items")
    if isinstance(line_items, dict):
        out["line_items"] = versioned.downgrade(line_items, version)
    return out


def create_params(params: dict[str, Any], version: str) -> dict[str, Any]:
    """Create parameters of ``version`` in the stored form: old ``ui_mode`` names, and
    ``payment_method_types`` (before endive) as the ``allowed_payment_method_types`` that replaced
    it (the object then lists them in ``payment_method_types``, as Stripe does)."""
    out = params
    mode = params.get("ui_mode")
    if isinstance(mode, str) and mode in UI_MODE_STORED and not has("ui_modes_renamed", version):
        out = {**out, "ui_mode": UI_MODE_STORED[mode]}
    if "payment_method_types" in out:
        out = dict(out)
        out["allowed_payment_method_types"] = out.pop("payment_method_types")
    return out


versioned.register_object("checkout.session", session)
versioned.register_params("create", create_params)
