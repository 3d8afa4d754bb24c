"""``expand`` paths of a Checkout Session and its line items beyond the top-level ids.

Stripe's reference marks what each object can expand (an id that becomes its object) or include
(a field sent only when asked for). fakecheckout resolves every such path at any depth it
models: an included field gets its value (no discounts or taxes are computed, so their lists are
empty); an id inside a list with nothing in it, or a null id, stays as it is; a non-null id of an
object fakecheckout does not keep is the "not emulated" 400.
https://docs.stripe.com/api/checkout/sessions/object  https://docs.stripe.com/expand
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import errors
from .sessions import copy_json

#: Session fields sent only when expanded, with the value fakecheckout gives them.
SESSION_INCLUDABLE: dict[str, Callable[[], Any]] = {
    "total_details.breakdown": lambda: {"discounts": [], "taxes": []},
}

#: Nested session ids Stripe can expand (the top-level ones are ``sessions.EXPANDABLE``).
SESSION_IDS = frozenset(
    {
        "automatic_tax.liability.account",
        "discounts.coupon",
        "discounts.promotion_code",
        "invoice_creation.invoice_data.account_tax_ids",
        "invoice_creation.invoice_data.issuer.account",
        "shipping_cost.shipping_rate",
        "shipping_cost.taxes.rate",
        "shipping_options.shipping_rate",
        "total_details.breakdown.discounts.discount",
        "total_details.breakdown.taxes.rate",
    }
)

#: Line item (``item``) fields sent only when expanded.
ITEM_INCLUDABLE: dict[str, Callable[[], Any]] = {"discounts": list, "taxes": list}

#: Line item ids Stripe can expand; ``price`` is already an object in a line item.
ITEM_IDS = frozenset({"discounts.discount", "taxes.rate"})


def expand_session(out: dict[str, Any], path: str) -> bool:
    """Apply a nested session ``path`` to a fresh render; ``False`` if it is not one of them."""
    return _expand(out, path, path, SESSION_INCLUDABLE, SESSION_IDS)


def expand_item(item: dict[str, Any], path: str, full_path: str) -> None:
    """Apply ``path`` (relative to a line item) to a fresh line item, or raise Stripe's 400
    naming ``full_path``."""
    if path == "price":
        return
    if path.startswith("price."):
        raise errors.expand_not_emulated(full_path)  # products and the like are not modelled
    if not _expand(item, path, full_path, ITEM_INCLUDABLE, ITEM_IDS):
        raise errors.cannot_expand(full_path)


def _expand(
    obj: dict[str, Any],
    path: str,
    full_path: str,
    includable: dict[str, Callable[[], Any]],
    ids: frozenset[str],
) -> bool:
    known = path in includable or path in ids
    if not known:
        return False
    for field, value in includable.items():
        if path == field or path.startswith(field + "."):
            _include(obj, field.split("."), value)
    if path in ids:
        *parents, last = path.split(".")
        for holder in _walk(obj, parents):
            found = holder.get(last)
            if isinstance(found, str) or isinstance(found, list) and found:
                raise errors.expand_not_emulated(full_path)
    return True


def _include(obj: dict[str, Any], parts: list[str], value: Callable[[], Any]) -> None:
    """Set the included field; what leads to it is copied first (a render may share it with
    what is stored)."""
    if parts[0] in obj:
        obj[parts[0]] = copy_json(obj[parts[0]])
    *parents, last = parts
    for holder in _walk(obj, parents):
        if holder.get(last) is None:
            holder[last] = value()


def _walk(obj: Any, parts: list[str]) -> list[dict[str, Any]]:
    """The hashes reached from ``obj`` by ``parts``, stepping into every item of a list; a null
    on the way reaches nothing."""
    current: list[Any] = [obj]
    for part in parts:
        following: list[Any] = []
        for node in current:
            value = node.get(part) if isinstance(node, dict) else None
            following.extend(value if isinstance(value, list) else [value])
        current = following
    return [node for node in current if isinstance(node, dict)]
