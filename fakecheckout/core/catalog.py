"""Prices, products and customers: the objects a Checkout Session can refer to by id.

Only what a session needs is modelled: ``fake.prices.add(...)`` registers a price a line item can name,
``fake.customers.add(...)`` a customer a session can name. Inline ``price_data`` creates an inactive price
and, with ``product_data``, a product, as Stripe does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any

from . import errors


def recurring_object(recurring: dict[str, Any] | None) -> dict[str, Any] | None:
    """A price's ``recurring`` hash from the ``recurring`` parameter."""
    if recurring is None:
        return None
    return {
        "interval": recurring["interval"],
        "interval_count": recurring.get("interval_count", 1),
        "meter": None,
        "trial_period_days": None,
        "usage_type": "licensed",
    }


def price_object(
    *,
    price_id: str,
    created: int,
    currency: str,
    product: str,
    unit_amount: int | None,
    unit_amount_decimal: str | None = None,
    recurring: dict[str, Any] | None = None,
    lookup_key: str | None = None,
    active: bool = True,
    tax_behavior: str = "unspecified",
    metadata: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A ``price`` object with every field of stripe-python's ``Price`` class (except ``deleted``)."""
    if unit_amount_decimal is None and unit_amount is not None:
        unit_amount_decimal = str(unit_amount)
    return {
        "id": price_id,
        "object": "price",
        "active": active,
        "billing_scheme": "per_unit",
        "created": created,
        "currency": currency,
        "currency_options": None,
        "custom_unit_amount": None,
        "livemode": False,
        "lookup_key": lookup_key,
        "metadata": dict(metadata or {}),
        "nickname": None,
        "product": product,
        "recurring": recurring_object(recurring),
        "tax_behavior": tax_behavior,
        "tiers": None,
        "tiers_mode": None,
        "transform_quantity": None,
        "type": "recurring" if recurring is not None else "one_time",
        "unit_amount": unit_amount,
        "unit_amount_decimal": unit_amount_decimal,
    }


def customer_object(
    *, customer_id: str, created: int, email: str | None, name: str | None, metadata: dict[str, str]
) -> dict[str, Any]:
    """A ``customer`` object with the fields a Checkout integration reads."""
    return {
        "id": customer_id,
        "object": "customer",
        "address": None,
        "balance": 0,
        "created": created,
        "currency": None,
        "default_source": None,
        "delinquent": False,
        "description": None,
        "discount": None,
        "email": email,
        "invoice_prefix": None,
        "invoice_settings": {
            "custom_fields": None,
            "default_payment_method": None,
            "footer": None,
            "rendering_options": None,
        },
        "livemode": False,
        "metadata": metadata,
        "name": name,
        "next_invoice_sequence": 1,
        "phone": None,
        "preferred_locales": [],
        "shipping": None,
        "tax_exempt": "none",
        "test_clock": None,
    }


@dataclass
class Catalog:
    """One account's prices, products and customers."""

    prices: dict[str, dict[str, Any]] = field(default_factory=dict)
    lookup_keys: dict[str, str] = field(default_factory=dict)
    products: dict[str, str] = field(default_factory=dict)
    customers: dict[str, dict[str, Any]] = field(default_factory=dict)

    def price(self, price_id: str, *, param: str) -> dict[str, Any]:
        found = self.prices.get(price_id)
        if found is None:
            raise errors.no_such_price(price_id, param=param)
        return found

    def customer(self, customer_id: str, *, param: str) -> dict[str, Any]:
        found = self.customers.get(customer_id)
        if found is None:
            raise errors.no_such_object("customer", customer_id, param=param, status=400)
        return found

    def product(self, product_id: str, *, param: str) -> str:
        name = self.products.get(product_id)
        if name is None:
            raise errors.no_such_object("product", product_id, param=param, status=400)
        return name


_WIDE = Context(prec=64, rounding=ROUND_HALF_UP)


def decimal_amount(unit_amount: int | None, unit_amount_decimal: str | None, quantity: int) -> int:
    """A line's amount in minor units: ``unit_amount × quantity``, rounded half up for decimals."""
    if unit_amount is not None:
        return unit_amount * quantity
    # Enough digits for a 12-digit amount with 12 decimals times a 64-bit quantity.
    exact = _WIDE.multiply(Decimal(unit_amount_decimal or "0"), quantity)
    return int(exact.quantize(Decimal(1), context=_WIDE))
