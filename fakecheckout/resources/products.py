"""Products (``/v1/products``): the ``product`` object, its direct API and its routes.

A price belongs to one product; a product that prices use cannot be deleted.
https://docs.stripe.com/api/products
"""

from __future__ import annotations

from typing import Any

from fakecheckout.core import errors
from fakecheckout.core.objects import ObjectAPI, merge_metadata
from fakecheckout.core.params import validate
from fakecheckout.core.resource import Resource, Route
from fakecheckout.core.search import SearchField

URL = "/v1/products"

#: Create and update parameters shown unchanged on the object (``""`` unsets to ``null``).
ECHOED = ("description", "shippable", "statement_descriptor", "tax_code", "unit_label", "url")


def product_object(*, product_id: str, created: int, name: str) -> dict[str, Any]:
    """A ``product`` object with every field Stripe sends (API 2026-10-28.endive)."""
    return {
        "id": product_id,
        "object": "product",
        "active": True,
        "created": created,
        "default_price": None,
        "description": None,
        "images": [],
        "livemode": False,
        "marketing_features": [],
        "metadata": {},
        "name": name,
        "package_dimensions": None,
        "shippable": None,
        "statement_descriptor": None,
        "tax_code": None,
        "tax_details": None,
        "type": "service",
        "unit_label": None,
        "updated": created,
        "url": None,
    }


class ProductsAPI(ObjectAPI):
    """The products of one account: ``fake.products`` and ``/v1/products``."""

    OBJECT = "product"
    URL = URL
    FILTERS = {
        "active": lambda record: "true" if record.get("active") else "false",
        "type": lambda record: record.get("type"),
    }

    SEARCH_FIELDS = {
        field.name: field
        for field in (
            SearchField("active", "token"),
            SearchField("description", "string"),
            SearchField("metadata", "metadata"),
            SearchField("name", "string"),
            SearchField("shippable", "token"),
            SearchField("url", "string"),
        )
    }

    def create(self, /, **params: Any) -> dict[str, Any]:
        """``POST /v1/products``; ``default_price_data`` also creates its price."""
        with self._world.operation() as now:
            checked = validate("products.create", params)
            expand = checked.pop("expand", [])
            product_id = checked.pop("id", None)
            self._check_new_id(product_id, "id")
            fields = product_object(
                product_id=product_id or self._world.ids.new("prod_", 14),
                created=now,
                name=checked["name"],
            )
            if "type" in checked:
                fields["type"] = checked["type"]
            default_price = checked.pop("default_price_data", None)
            fields.update(self._changes(fields, checked))
            self._account.expander.check(self.OBJECT, expand)
            if default_price is not None:
                self._account.prices._check_default_price_data(default_price)
            record = self._insert(fields, now=now)
            if default_price is not None:
                price = self._account.prices._create_default(record.id, default_price, now=now)
                record.fields["default_price"] = price
            return self._render(record, expand)

    def retrieve(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002
        """``GET /v1/products/{id}``; a deleted product is Stripe's stub (``deleted: true``)."""
        with self._world.operation():
            checked = validate("products.retrieve", params)
            return self._render(self._get(id), checked.get("expand", []))

    def update(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002
        """``POST /v1/products/{id}``: metadata merges (``""`` unsets), other fields replace."""
        with self._world.operation() as now:
            checked = validate("products.update", params)
            record = self._live(id)
            expand = checked.pop("expand", [])
            changes = self._changes(record.fields, checked)
            if "default_price" in checked:
                default = checked["default_price"]
                if default != "":
                    price = self._account.prices._find(default, param="default_price")
                    if price["product"] != record.id:
                        raise errors.default_price_of_other_product(default, record.id)
                changes["default_price"] = default or None
            self._account.expander.check(self.OBJECT, expand)
            if changes and any(record.fields.get(k) != v for k, v in changes.items()):
                changes["updated"] = now
            self._modify(record, changes, now=now)
            return self._render(record, expand)

    def delete(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002
        """``DELETE /v1/products/{id}``: refused while a price uses the product."""
        with self._world.operation() as now:
            validate("products.delete", params)
            record = self._live(id)
            if self._account.prices._uses_product(record.id):
                raise errors.product_has_prices()
            return self._remove(record, now=now)

    def search(self, /, **params: Any) -> dict[str, Any]:
        """``GET /v1/products/search``: Stripe's search query language over this account's products."""
        return self._search("products.search", params)

    def list(self, /, **params: Any) -> dict[str, Any]:
        """``GET /v1/products``: newest first; ``active``, ``ids[]``, ``shippable``, ``type``,
        ``url``, ``created``."""
        with self._world.operation():
            checked = validate("products.list", params)
            wanted: dict[str, str] = {}
            if "active" in checked:
                wanted["active"] = "true" if checked["active"] else "false"
            if "type" in checked:
                wanted["type"] = checked["type"]
            ids = set(checked["ids"]) if "ids" in checked else None
            shippable, url = checked.get("shippable"), checked.get("url")

            def matches(record: Any) -> bool:
                return (
                    (ids is None or record.id in ids)
                    and (shippable is None or record.get("shippable") == shippable)
                    and (url is None or record.get("url") == url)
                )

            plain = ids is None and shippable is None and url is None
            return self._list(checked, wanted, matches=None if plain else matches)

    # --- for prices and Checkout (the lock is held) ---

    def _check_new_id(self, product_id: str | None, param: str) -> None:
        """Refuse a chosen product id that this account holds already (deleted ones too)."""
        if product_id is not None and product_id in self._store.by_id:
            raise errors.already_exists("product", product_id, param=param)

    def _name_of(self, product_id: str) -> str:
        """The name of a product (``""`` for one this account does not hold)."""
        record = self._store.by_id.get(product_id)
        return "" if record is None else str(record.fields["name"])

    def _create_inline(
        self, data: dict[str, Any], *, now: int, product_id: str | None = None, event: bool = True
    ) -> str:
        """The product of a ``product_data`` hash (a price's or a line item's); returns its id.

        A Checkout line item's product records no event (``event=False``): unverified whether
        Stripe sends ``product.created`` for it.
        """
        fields = product_object(
            product_id=product_id or data.get("id") or self._world.ids.new("prod_", 14),
            created=now,
            name=data["name"],
        )
        fields.update(self._changes(fields, {k: v for k, v in data.items() if k != "id"}))
        if "active" in data:
            fields["active"] = data["active"]
        return self._insert(fields, now=now, event=event).id

    # --- helpers ---

    def _changes(self, current: dict[str, Any], checked: dict[str, Any]) -> dict[str, Any]:
        changes: dict[str, Any] = {}
        for name in ECHOED:
            if name in checked:
                changes[name] = checked[name] if checked[name] != "" else None
        if "name" in checked:
            changes["name"] = checked["name"]
        if "active" in checked:
            changes["active"] = checked["active"]
        if "images" in checked:
            changes["images"] = checked["images"] or []
        if "marketing_features" in checked:
            given = checked["marketing_features"]
            changes["marketing_features"] = [{"name": f.get("name")} for f in given or []]
        if "package_dimensions" in checked:
            given = checked["package_dimensions"]
            changes["package_dimensions"] = None if given == "" else dict(sorted(given.items()))
        if "tax_details" in checked:
            given = checked["tax_details"]
            changes["tax_details"] = None if given == "" else given
        if "metadata" in checked:
            changes["metadata"] = merge_metadata(
                current.get("metadata"), checked["metadata"], param="metadata"
            )
        return changes


RESOURCE = Resource(
    name="products",
    object="product",
    api=ProductsAPI,
    routes=(
        Route("POST", URL, lambda ns, ids, p: ns.products.create(**p)),
        Route("GET", URL, lambda ns, ids, p: ns.products.list(**p)),
        Route("GET", URL + "/search", lambda ns, ids, p: ns.products.search(**p)),
        Route("GET", URL + "/{id}", lambda ns, ids, p: ns.products.retrieve(ids[0], **p)),
        Route("POST", URL + "/{id}", lambda ns, ids, p: ns.products.update(ids[0], **p)),
        Route("DELETE", URL + "/{id}", lambda ns, ids, p: ns.products.delete(ids[0], **p)),
    ),
    expandable={"product": {"default_price": "price", "tax_code": "tax_code"}},
)
