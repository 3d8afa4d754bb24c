"""The query fields Stripe documents for each searchable resource, with their types.

https://docs.stripe.com/search#supported-query-fields-for-each-resource ("Type (token, string,
numeric)" column). Each set moves into its resource's module once those modules exist.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .search import SearchField


def _by_name(*fields: SearchField) -> dict[str, SearchField]:
    return {spec.name: spec for spec in fields}


def _id_of(obj: Mapping[str, Any], name: str) -> Any:
    """An id field that may hold the expanded object instead."""
    value = obj.get(name)
    return value.get("id") if isinstance(value, Mapping) else value


CUSTOMER_FIELDS: Mapping[str, SearchField] = _by_name(
    SearchField("created", "numeric"),
    SearchField("email", "string"),
    SearchField("metadata", "metadata"),
    SearchField("name", "string"),
    SearchField("phone", "string"),
)

PRODUCT_FIELDS: Mapping[str, SearchField] = _by_name(
    SearchField("active", "token"),
    SearchField("description", "string"),
    SearchField("metadata", "metadata"),
    SearchField("name", "string"),
    SearchField("shippable", "token"),
    SearchField("url", "string"),
)

PRICE_FIELDS: Mapping[str, SearchField] = _by_name(
    SearchField("active", "token"),
    SearchField("currency", "token"),
    SearchField("lookup_key", "string"),
    SearchField("metadata", "metadata"),
    SearchField("product", "string", read=lambda obj: _id_of(obj, "product")),
    SearchField("type", "token"),
)
