"""Prices (``/v1/prices``): the ``price`` object, its direct API and its routes.

A line item names a price by id; inline ``price_data`` creates an inactive price (not listed) as
Stripe does.
https://docs.stripe.com/api/prices
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any

from fakecheckout.core import errors
from fakecheckout.core.objects import ObjectAPI, merge_metadata
from fakecheckout.core.params import validate
from fakecheckout.core.resource import Resource, Route
from fakecheckout.core.search import SearchField
from fakecheckout.core.store import Record


def recurring_object(recurring: dict[str, Any] | None) -> dict[str, Any] | None:
    """A price's ``recurring`` hash from the ``recurring`` parameter."""
    if recurring is None:
        return None
    return {
        "interval": recurring["interval"],
        "interval_count": recurring.get("interval_count", 1),
        "meter": recurring.get("meter"),
        "trial_period_days": recurring.get("trial_period_days"),
        "usage_type": recurring.get("usage_type", "licensed"),
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


_WIDE = Context(prec=64, rounding=ROUND_HALF_UP)


def decimal_amount(unit_amount: int | None, unit_amount_decimal: str | None, quantity: int) -> int:
    """A line's amount in minor units: ``unit_amount × quantity``, rounded half up for decimals."""
    if unit_amount is not None:
        return unit_amount * quantity
    # Enough digits for a 12-digit amount with 12 decimals times a 64-bit quantity.
    exact = _WIDE.multiply(Decimal(unit_amount_decimal or "0"), quantity)
    return int(exact.quantize(Decimal(1), context=_WIDE))


# --- the direct API -----------------------------------------------------------------------------

URL = "/v1/prices"

#: The largest unit amount accepted (12 digits). Unverified: Stripe's limits vary by currency.
MAX_UNIT_AMOUNT = 10**12 - 1


def _recurring_filter(record: Record) -> str | None:
    recurring = record.get("recurring")
    return None if recurring is None else str(recurring["interval"])


def _product_id(obj: Mapping[str, Any]) -> Any:
    """A price's ``product`` as search reads it: the id, also when expanded."""
    value = obj.get("product")
    return value.get("id") if isinstance(value, Mapping) else value


class PricesAPI(ObjectAPI):
    """The prices of one account: ``fake.prices`` and ``/v1/prices``."""

    OBJECT = "price"
    URL = URL
    FILTERS = {
        "active": lambda record: "true" if record.get("active") else "false",
        "product": lambda record: record.get("product"),
        "type": lambda record: record.get("type"),
        "currency": lambda record: record.get("currency"),
        "lookup_key": lambda record: record.get("lookup_key"),
        "recurring[interval]": _recurring_filter,
    }

    SEARCH_FIELDS = {
        field.name: field
        for field in (
            SearchField("active", "token"),
            SearchField("currency", "token"),
            SearchField("lookup_key", "string"),
            SearchField("metadata", "metadata"),
            SearchField("product", "string", read=_product_id),
            SearchField("type", "token"),
        )
    }

    def create(self, /, **params: Any) -> dict[str, Any]:
        """``POST /v1/prices``: for ``product`` or a new product from ``product_data``."""
        with self._world.operation() as now:
            checked = validate("prices.create", params)
            return self._create(checked, now=now)

    def add(
        self,
        *,
        id: str | None = None,  # noqa: A002 - Stripe's name
        unit_amount: int,
        currency: str,
        product_name: str = "Test product",
        recurring: dict[str, Any] | None = None,
        lookup_key: str | None = None,
    ) -> dict[str, Any]:
        """Register a ``price`` and its product (a shortcut over :meth:`create`, with a chosen
        ``id``) and return the Stripe ``price`` object.

        ``recurring`` is ``{"interval": "month", "interval_count": 1}`` as in Stripe's API.
        """
        with self._world.operation() as now:
            amount: object = unit_amount  # a direct call may pass anything
            if isinstance(amount, bool) or not isinstance(amount, int):
                raise errors.invalid_integer("unit_amount", type(amount).__name__)
            checked = validate(
                "prices.create",
                {
                    "unit_amount": unit_amount,
                    "currency": currency,
                    "product_data": {"name": product_name},
                    "recurring": recurring,
                    "lookup_key": lookup_key,
                },
            )
            if id is not None:
                given: object = id
                if not isinstance(given, str) or not given:
                    raise errors.invalid_string("id", type(given).__name__)
                if given in self._store.by_id:
                    raise errors.already_exists("price", given, param="id")
            return self._create(checked, now=now, price_id=id)

    def retrieve(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002
        """``GET /v1/prices/{id}``."""
        with self._world.operation():
            checked = validate("prices.retrieve", params)
            return self._render(self._get(id), checked.get("expand", []))

    def update(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002
        """``POST /v1/prices/{id}``: only ``active``, ``lookup_key`` (with
        ``transfer_lookup_key``), ``metadata``, ``nickname``, ``tax_behavior`` and
        ``currency_options`` change; amount, currency and product are fixed."""
        with self._world.operation() as now:
            checked = validate("prices.update", params)
            record = self._get(id)
            fields = record.fields
            expand = checked.pop("expand", [])
            changes: dict[str, Any] = {}
            if "active" in checked:
                if not checked["active"] and self._is_default_price(record):
                    raise errors.default_price_cannot_be_archived()
                changes["active"] = checked["active"]
            if "nickname" in checked:
                changes["nickname"] = checked["nickname"] or None
            if "metadata" in checked:
                changes["metadata"] = merge_metadata(
                    fields["metadata"], checked["metadata"], param="metadata"
                )
            if "tax_behavior" in checked:
                behavior = checked["tax_behavior"]
                if fields["tax_behavior"] != "unspecified" and behavior != fields["tax_behavior"]:
                    raise errors.tax_behavior_fixed(fields["tax_behavior"])
                changes["tax_behavior"] = behavior
            if "currency_options" in checked:
                raise errors.not_emulated_parameter("currency_options")
            moved = None
            if "lookup_key" in checked:
                key = checked["lookup_key"] or None
                moved = self._claim_lookup_key(key, checked.get("transfer_lookup_key", False))
                if moved is not None and moved.id == record.id:
                    moved = None
                changes["lookup_key"] = key
            self._account.expander.check(self.OBJECT, expand)
            if moved is not None:
                self._modify(moved, {"lookup_key": None}, now=now)
            self._modify(record, changes, now=now)
            return self._render(record, expand)

    def search(self, /, **params: Any) -> dict[str, Any]:
        """``GET /v1/prices/search``: Stripe's search query language over this account's prices."""
        return self._search("prices.search", params)

    def list(self, /, **params: Any) -> dict[str, Any]:
        """``GET /v1/prices``: newest first; ``active``, ``product``, ``type``, ``currency``,
        ``lookup_keys[]``, ``recurring[interval]``/``[usage_type]``, ``created``."""
        with self._world.operation():
            checked = validate("prices.list", params)
            wanted: dict[str, str] = {}
            if "active" in checked:
                wanted["active"] = "true" if checked["active"] else "false"
            for name in ("product", "type", "currency"):
                if name in checked:
                    wanted[name] = checked[name]
            recurring = checked.get("recurring") or {}
            if "interval" in recurring:
                wanted["recurring[interval]"] = recurring["interval"]
            keys = set(checked["lookup_keys"]) if "lookup_keys" in checked else None
            usage = recurring.get("usage_type")
            if keys is not None and len(keys) == 1:
                wanted["lookup_key"] = next(iter(keys))

            def matches(record: Record) -> bool:
                if keys is not None and record.get("lookup_key") not in keys:
                    return False
                price_recurring = record.get("recurring")
                return usage is None or (
                    price_recurring is not None and price_recurring["usage_type"] == usage
                )

            plain = (keys is None or len(keys) == 1) and usage is None
            return self._list(checked, wanted, matches=None if plain else matches)

    # --- for products and Checkout (the lock is held) ---

    def _uses_product(self, product_id: str) -> bool:
        """Whether any price (active or not) belongs to ``product_id``."""
        return bool(self._store.by_filter.get(("product", product_id)))

    def _check_default_price_data(self, data: dict[str, Any]) -> None:
        """Refuse a product's ``default_price_data`` before anything is stored."""
        unit_amounts(data, "default_price_data")

    def _create_default(self, product_id: str, data: dict[str, Any], *, now: int) -> str:
        """The default price a product's ``default_price_data`` creates; returns its id."""
        checked = {**data, "product": product_id}
        return str(self._create(checked, now=now)["id"])

    # --- helpers ---

    def _create(
        self, checked: dict[str, Any], *, now: int, price_id: str | None = None
    ) -> dict[str, Any]:
        expand = checked.pop("expand", [])
        if "product" in checked and "product_data" in checked:
            raise errors.only_one_of("product", "product_data")
        if "product" not in checked and "product_data" not in checked:
            raise errors.price_needs_product()
        unit_amount, unit_amount_decimal = unit_amounts(checked, "")
        if checked.get("billing_scheme") == "tiered" or "tiers" in checked:
            raise errors.not_emulated_parameter("tiers")
        for name in ("custom_unit_amount", "currency_options", "transform_quantity"):
            if name in checked:
                raise errors.not_emulated_parameter(name)
        if "product" in checked:
            self._account.products._find(checked["product"], param="product")
        else:
            self._account.products._check_new_id(
                checked["product_data"].get("id"), "product_data[id]"
            )
        key = checked.get("lookup_key")
        moved = self._claim_lookup_key(key, checked.get("transfer_lookup_key", False))
        self._account.expander.check(self.OBJECT, expand)
        product = checked.get("product")
        if product is None:
            product = self._account.products._create_inline(checked["product_data"], now=now)
        fields = price_object(
            price_id=price_id or self._world.ids.new("price_", 24),
            created=now,
            currency=checked["currency"],
            product=product,
            unit_amount=unit_amount,
            unit_amount_decimal=unit_amount_decimal,
            recurring=checked.get("recurring"),
            lookup_key=key,
            active=checked.get("active", True),
            tax_behavior=checked.get("tax_behavior", "unspecified"),
            metadata={k: v for k, v in (checked.get("metadata") or {}).items() if v != ""},
        )
        fields["nickname"] = checked.get("nickname")
        if moved is not None:
            self._modify(moved, {"lookup_key": None}, now=now)
        record = self._insert(fields, now=now)
        return self._render(record, expand)

    def _claim_lookup_key(self, key: str | None, transfer: bool) -> Record | None:
        """The price that holds ``key`` now and must give it up (``transfer_lookup_key``);
        a key in use without ``transfer_lookup_key`` is refused."""
        if key is None:
            return None
        holders = self._store.by_filter.get(("lookup_key", key))
        if not holders:
            return None
        (_, holder_id), *_ = holders.descending((2**63, 0), (-(2**63) - 1, 0))
        holder = self._store.by_id[holder_id]
        if not transfer:
            raise errors.lookup_key_in_use(holder.id)
        return holder

    def _is_default_price(self, record: Record) -> bool:
        product = self._account.products.lookup(record.fields["product"])
        return product is not None and product.get("default_price") == record.id


def unit_amounts(data: dict[str, Any], prefix: str) -> tuple[int | None, str | None]:
    """``unit_amount`` or ``unit_amount_decimal`` (one of them, in range)."""

    def name(field: str) -> str:
        return f"{prefix}[{field}]" if prefix else field

    unit_amount = data.get("unit_amount")
    unit_amount_decimal = data.get("unit_amount_decimal")
    if unit_amount is not None and unit_amount_decimal is not None:
        raise errors.only_one_of(name("unit_amount"), name("unit_amount_decimal"))
    has_amount = unit_amount is not None or unit_amount_decimal is not None
    if (
        not has_amount
        and "custom_unit_amount" not in data
        and data.get("billing_scheme") != "tiered"
    ):
        raise errors.price_needs_amount(prefix)
    for field, given in (
        ("unit_amount", unit_amount),
        ("unit_amount_decimal", unit_amount_decimal),
    ):
        if given is None:
            continue
        amount = Decimal(given)
        if amount < 0:
            raise errors.value_too_small(name(field), 0)
        if amount > MAX_UNIT_AMOUNT:
            raise errors.value_too_large(name(field), MAX_UNIT_AMOUNT)
    return unit_amount, unit_amount_decimal


RESOURCE = Resource(
    name="prices",
    object="price",
    api=PricesAPI,
    routes=(
        Route("POST", URL, lambda ns, ids, p: ns.prices.create(**p)),
        Route("GET", URL, lambda ns, ids, p: ns.prices.list(**p)),
        Route("GET", URL + "/search", lambda ns, ids, p: ns.prices.search(**p)),
        Route("GET", URL + "/{id}", lambda ns, ids, p: ns.prices.retrieve(ids[0], **p)),
        Route("POST", URL + "/{id}", lambda ns, ids, p: ns.prices.update(ids[0], **p)),
    ),
    expandable={"price": {"product": "product"}},
)
