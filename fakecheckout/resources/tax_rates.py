"""Tax rates (``/v1/tax_rates``): the ``tax_rate`` object, its direct API and its routes.

A Checkout line item names up to five (``line_items[][tax_rates]``, applied as given, or
``line_items[][dynamic_tax_rates]``, of which the one matching the customer's address applies);
``inclusive`` says whether the rate is part of the price or added on top. ``percentage`` and
``inclusive`` never change after creation.
https://docs.stripe.com/api/tax_rates
"""

from __future__ import annotations

from typing import Any

from fakecheckout.core import errors
from fakecheckout.core.objects import ObjectAPI, merge_metadata
from fakecheckout.core.params import validate
from fakecheckout.core.resource import Resource, Route

URL = "/v1/tax_rates"

#: Create and update parameters shown unchanged on the object (``""`` unsets to ``null``).
ECHOED = ("country", "description", "jurisdiction", "state", "tax_type")


def tax_rate_object(*, rate_id: str, created: int, checked: dict[str, Any]) -> dict[str, Any]:
    """A ``tax_rate`` object with every field of stripe-python's ``TaxRate`` class.

    ``effective_percentage``, ``flat_amount``, ``jurisdiction_level`` and ``rate_type`` are set
    only for rates Stripe Tax creates, so a rate created through the API has them ``null``.
    """
    fields = {
        "id": rate_id,
        "object": "tax_rate",
        "active": checked.get("active", True),
        "country": None,
        "created": created,
        "description": None,
        "display_name": checked["display_name"],
        "effective_percentage": None,
        "flat_amount": None,
        "inclusive": checked["inclusive"],
        "jurisdiction": None,
        "jurisdiction_level": None,
        "livemode": False,
        "metadata": {k: v for k, v in (checked.get("metadata") or {}).items() if v != ""},
        "percentage": _number(checked["percentage"]),
        "rate_type": None,
        "state": None,
        "tax_type": None,
    }
    for name in ECHOED:
        if checked.get(name):
            fields[name] = checked[name]
    return fields


def _number(value: Any) -> float | int:
    number = float(value)
    return int(number) if number.is_integer() else number


class TaxRatesAPI(ObjectAPI):
    """The tax rates of one account: ``fake.tax_rates`` and ``/v1/tax_rates``."""

    OBJECT = "tax_rate"
    URL = URL
    FILTERS = {
        "active": lambda record: "true" if record.get("active") else "false",
        "inclusive": lambda record: "true" if record.get("inclusive") else "false",
    }

    def create(self, /, **params: Any) -> dict[str, Any]:
        """``POST /v1/tax_rates``: ``display_name``, ``percentage`` and ``inclusive``."""
        with self._world.operation() as now:
            checked = validate("tax_rates.create", params)
            expand = checked.pop("expand", [])
            if float(checked["percentage"]) < 0:
                raise errors.value_too_small("percentage", 0)
            if float(checked["percentage"]) > 100:
                raise errors.value_too_large("percentage", 100)
            self._account.expander.check(self.OBJECT, expand)
            fields = tax_rate_object(
                rate_id=self._world.ids.new("txr_", 24), created=now, checked=checked
            )
            return self._render(self._insert(fields, now=now), expand)

    def retrieve(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002
        """``GET /v1/tax_rates/{id}``."""
        with self._world.operation():
            checked = validate("tax_rates.retrieve", params)
            return self._render(self._get(id), checked.get("expand", []))

    def update(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002
        """``POST /v1/tax_rates/{id}``: everything but ``percentage`` and ``inclusive``."""
        with self._world.operation() as now:
            checked = validate("tax_rates.update", params)
            record = self._get(id)
            expand = checked.pop("expand", [])
            changes: dict[str, Any] = {}
            for name in ECHOED:
                if name in checked:
                    changes[name] = checked[name] or None
            if "display_name" in checked:
                changes["display_name"] = checked["display_name"]
            if "active" in checked:
                changes["active"] = checked["active"]
            if "metadata" in checked:
                changes["metadata"] = merge_metadata(
                    record.fields["metadata"], checked["metadata"], param="metadata"
                )
            self._account.expander.check(self.OBJECT, expand)
            self._modify(record, changes, now=now)
            return self._render(record, expand)

    def list(self, /, **params: Any) -> dict[str, Any]:
        """``GET /v1/tax_rates``: newest first; ``active``, ``inclusive``, ``created``."""
        with self._world.operation():
            checked = validate("tax_rates.list", params)
            wanted: dict[str, str] = {
                name: "true" if checked[name] else "false"
                for name in ("active", "inclusive")
                if name in checked
            }
            return self._list(checked, wanted)

    # --- for Checkout (the lock is held) ---

    def _usable(self, rate_id: str, *, param: str) -> dict[str, Any]:
        """The active tax rate named in ``param`` (400 when unknown or archived)."""
        rate = self._find(rate_id, param=param)
        if not rate["active"]:
            raise errors.inactive_object("tax_rate", rate_id, param=param)
        return rate


RESOURCE = Resource(
    name="tax_rates",
    object="tax_rate",
    api=TaxRatesAPI,
    routes=(
        Route("POST", URL, lambda ns, ids, p: ns.tax_rates.create(**p)),
        Route("GET", URL, lambda ns, ids, p: ns.tax_rates.list(**p)),
        Route("GET", URL + "/{id}", lambda ns, ids, p: ns.tax_rates.retrieve(ids[0], **p)),
        Route("POST", URL + "/{id}", lambda ns, ids, p: ns.tax_rates.update(ids[0], **p)),
    ),
)
