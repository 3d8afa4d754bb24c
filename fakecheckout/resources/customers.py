"""Customers (``/v1/customers``): the ``customer`` object, its direct API and its routes.

A Checkout Session names a customer by id (``customer=``), shows its email in
``customer_details``, and creates one on completion in subscription mode or with
``customer_creation="always"``.
https://docs.stripe.com/api/customers
"""

from __future__ import annotations

import hashlib
from typing import Any

from fakecheckout.core import errors
from fakecheckout.core.jsondata import copy_json
from fakecheckout.core.objects import ObjectAPI, merge_metadata
from fakecheckout.core.params import validate
from fakecheckout.core.resource import Resource, Route
from fakecheckout.core.search import SearchField
from fakecheckout.core.store import Record

URL = "/v1/customers"

#: Create parameters shown unchanged on the object.
ECHOED = (
    "balance",
    "business_name",
    "description",
    "email",
    "individual_name",
    "invoice_prefix",
    "name",
    "next_invoice_sequence",
    "phone",
    "preferred_locales",
    "tax_exempt",
)

#: Parameters the fake accepts but whose effect it does not model (payment methods, tax ids…):
#: an id they name is unknown, as in an account that has none.
REFERENCES = {"payment_method": "payment_method", "source": "source", "test_clock": "test_clock"}


def customer_object(
    *, customer_id: str, created: int, email: str | None, name: str | None, metadata: dict[str, str]
) -> dict[str, Any]:
    """A ``customer`` object with every field Stripe sends by default (API 2026-10-28.endive)."""
    return {
        "id": customer_id,
        "object": "customer",
        "address": None,
        "balance": 0,
        "business_name": None,
        "created": created,
        "currency": None,
        "customer_account": None,
        "default_source": None,
        "delinquent": False,
        "description": None,
        "discount": None,
        "email": email,
        "individual_name": None,
        "invoice_prefix": invoice_prefix(customer_id),
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


def invoice_prefix(customer_id: str) -> str:
    """The prefix Stripe gives every customer's invoice numbers (derived from the id here)."""
    return hashlib.sha256(customer_id.encode()).hexdigest()[:8].upper()


def _address(given: Any) -> dict[str, Any] | None:
    if given in (None, ""):
        return None
    keys = ("city", "country", "line1", "line2", "postal_code", "state")
    return {key: given.get(key) for key in keys}


def _shipping(given: Any) -> dict[str, Any] | None:
    if given in (None, ""):
        return None
    return {
        "address": _address(given["address"]),
        "name": given["name"],
        "phone": given.get("phone"),
    }


def _invoice_settings(current: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    settings: dict[str, Any] = copy_json(current)
    if "custom_fields" in given:
        fields = given["custom_fields"]
        settings["custom_fields"] = (
            None if fields == "" else [{"name": f["name"], "value": f["value"]} for f in fields]
        )
    if "default_payment_method" in given:
        raise errors.no_such_object(
            "payment_method",
            given["default_payment_method"],
            param="invoice_settings[default_payment_method]",
            status=400,
        )
    if "footer" in given:
        settings["footer"] = given["footer"] or None
    if "rendering_options" in given:
        options = given["rendering_options"]
        settings["rendering_options"] = (
            None
            if options == ""
            else {
                "amount_tax_display": options.get("amount_tax_display") or None,
                "template": options.get("template"),
            }
        )
    return settings


class CustomersAPI(ObjectAPI):
    """The customers of one account: ``fake.customers`` and ``/v1/customers``."""

    OBJECT = "customer"
    URL = URL
    FILTERS = {"email": lambda record: record.get("email")}

    SEARCH_FIELDS = {
        field.name: field
        for field in (
            SearchField("created", "numeric"),
            SearchField("email", "string"),
            SearchField("metadata", "metadata"),
            SearchField("name", "string"),
            SearchField("phone", "string"),
        )
    }

    def create(self, /, **params: Any) -> dict[str, Any]:
        """``POST /v1/customers``."""
        with self._world.operation() as now:
            checked = validate("customers.create", params)
            return self._create(checked, now=now)

    def add(
        self,
        *,
        id: str | None = None,  # noqa: A002 - Stripe's name
        email: str | None = None,
        name: str | None = None,
        metadata: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """Register a ``customer`` (a shortcut over :meth:`create`, with a chosen ``id``)."""
        with self._world.operation() as now:
            checked = validate(
                "customers.create",
                {"email": email, "name": name, "metadata": metadata},
            )
            return self._create(checked, now=now, customer_id=self._new_id(id))

    def retrieve(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002
        """``GET /v1/customers/{id}``; a deleted customer is Stripe's stub (``deleted: true``)."""
        with self._world.operation():
            checked = validate("customers.retrieve", params)
            return self._render(self._get(id), checked.get("expand", []))

    def update(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002
        """``POST /v1/customers/{id}``: metadata merges (``""`` unsets), other fields replace."""
        with self._world.operation() as now:
            checked = validate("customers.update", params)
            record = self._live(id)
            expand = checked.pop("expand", [])
            changes = self._changes(record.fields, checked)
            self._account.expander.check(self.OBJECT, expand)
            self._modify(record, changes, now=now)
            return self._render(record, expand)

    def delete(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002
        """``DELETE /v1/customers/{id}``: ``{"id", "object": "customer", "deleted": true}``."""
        with self._world.operation() as now:
            validate("customers.delete", params)
            return self._remove(self._live(id), now=now)

    def search(self, /, **params: Any) -> dict[str, Any]:
        """``GET /v1/customers/search``: Stripe's search query language over this account's customers."""
        return self._search("customers.search", params)

    def list(self, /, **params: Any) -> dict[str, Any]:
        """``GET /v1/customers``: newest first; ``email`` (exact, case-sensitive) and ``created``."""
        with self._world.operation():
            checked = validate("customers.list", params)
            if "test_clock" in checked:
                raise errors.no_such_object(
                    "test_helpers.test_clock", checked["test_clock"], param="test_clock", status=400
                )
            wanted = {"email": checked["email"]} if "email" in checked else {}
            return self._list(checked, wanted)

    # --- for Checkout (the lock is held) ---

    def _create_for_checkout(self, *, email: str | None, name: str | None, now: int) -> str:
        """The customer a completed session creates; returns its id."""
        fields = customer_object(
            customer_id=self._new_id(None), created=now, email=email, name=name, metadata={}
        )
        return self._insert(fields, now=now).id

    # --- helpers ---

    def _new_id(self, given: object) -> str:
        if given is None:
            return self._world.ids.new("cus_", 14)
        if not isinstance(given, str) or not given:
            raise errors.invalid_string("id", type(given).__name__)
        if given in self._store.by_id:
            raise errors.already_exists("customer", given, param="id")
        return given

    def _create(
        self, checked: dict[str, Any], *, now: int, customer_id: str | None = None
    ) -> dict[str, Any]:
        expand = checked.pop("expand", [])
        fields = customer_object(
            customer_id=customer_id or self._new_id(None),
            created=now,
            email=None,
            name=None,
            metadata={},
        )
        fields.update(self._changes(fields, checked))
        self._account.expander.check(self.OBJECT, expand)
        record: Record = self._insert(fields, now=now)
        return self._render(record, expand)

    def _changes(self, current: dict[str, Any], checked: dict[str, Any]) -> dict[str, Any]:
        """The fields that create or update parameters set, checked before anything changes."""
        for name, kind in REFERENCES.items():
            if name in checked and checked[name] != "":
                raise errors.no_such_object(kind, str(checked[name]), param=name, status=400)
        if "default_source" in checked and checked["default_source"] != "":
            raise errors.no_such_object(
                "source", checked["default_source"], param="default_source", status=400
            )
        changes: dict[str, Any] = {}
        for name in ECHOED:
            if name in checked:
                value = checked[name]
                changes[name] = (
                    value if value != "" else ([] if name == "preferred_locales" else None)
                )
        if "tax_exempt" in checked and checked["tax_exempt"] == "":
            changes["tax_exempt"] = "none"
        if "metadata" in checked:
            changes["metadata"] = merge_metadata(
                current.get("metadata"), checked["metadata"], param="metadata"
            )
        if "address" in checked:
            changes["address"] = _address(checked["address"])
        if "shipping" in checked:
            changes["shipping"] = _shipping(checked["shipping"])
        if "invoice_settings" in checked:
            changes["invoice_settings"] = _invoice_settings(
                current["invoice_settings"], checked["invoice_settings"]
            )
        return changes


RESOURCE = Resource(
    name="customers",
    object="customer",
    api=CustomersAPI,
    routes=(
        Route("POST", URL, lambda ns, ids, p: ns.customers.create(**p)),
        Route("GET", URL, lambda ns, ids, p: ns.customers.list(**p)),
        Route("GET", URL + "/search", lambda ns, ids, p: ns.customers.search(**p)),
        Route("GET", URL + "/{id}", lambda ns, ids, p: ns.customers.retrieve(ids[0], **p)),
        Route("POST", URL + "/{id}", lambda ns, ids, p: ns.customers.update(ids[0], **p)),
        Route("DELETE", URL + "/{id}", lambda ns, ids, p: ns.customers.delete(ids[0], **p)),
    ),
    expandable={
        "customer": {
            "default_source": "payment_source",
            "invoice_settings": "customer.invoice_settings",
            "test_clock": "test_helpers.test_clock",
        },
        "customer.invoice_settings": {"default_payment_method": "payment_method"},
    },
)
