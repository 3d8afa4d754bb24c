"""Shipping rates (``/v1/shipping_rates``): the ``shipping_rate`` object, its direct API and its
routes.

A Checkout Session offers up to five, by id (``shipping_options[][shipping_rate]``) or inline
(``shipping_options[][shipping_rate_data]``, which creates one as Stripe does); the first is
selected. Stripe sends no events for shipping rates (none is in its list of event types).
https://docs.stripe.com/api/shipping_rates
"""

from __future__ import annotations

from typing import Any

from fakecheckout.core import errors
from fakecheckout.core.objects import ObjectAPI, merge_metadata
from fakecheckout.core.params import validate
from fakecheckout.core.resource import Resource, Route
from fakecheckout.core.store import Record

URL = "/v1/shipping_rates"


def _estimate(given: dict[str, Any] | None) -> dict[str, Any] | None:
    if given is None:
        return None
    return {
        bound: None
        if bound not in given
        else {"unit": given[bound]["unit"], "value": given[bound]["value"]}
        for bound in ("maximum", "minimum")
    }


def shipping_rate_object(*, rate_id: str, created: int, data: dict[str, Any]) -> dict[str, Any]:
    """A ``shipping_rate`` object (every field of stripe-python's ``ShippingRate`` class) from
    create parameters or a session's ``shipping_rate_data``."""
    fixed = data.get("fixed_amount")
    fixed_amount: dict[str, Any] | None = None
    if fixed is not None:
        fixed_amount = {"amount": fixed["amount"], "currency": fixed["currency"]}
        if "currency_options" in fixed:
            fixed_amount["currency_options"] = _currency_options(fixed["currency_options"])
    return {
        "id": rate_id,
        "object": "shipping_rate",
        "active": True,
        "created": created,
        "delivery_estimate": _estimate(data.get("delivery_estimate")),
        "display_name": data.get("display_name"),
        "fixed_amount": fixed_amount,
        "livemode": False,
        "metadata": {k: v for k, v in (data.get("metadata") or {}).items() if v != ""},
        "tax_behavior": data.get("tax_behavior", "unspecified"),
        "tax_code": data.get("tax_code"),
        "type": data.get("type", "fixed_amount"),
    }


def _currency_options(given: dict[str, Any]) -> dict[str, Any]:
    return {
        code: {
            "amount": option["amount"],
            "tax_behavior": option.get("tax_behavior", "unspecified"),
        }
        for code, option in sorted(given.items())
    }


def check_rate_data(data: dict[str, Any], prefix: str) -> None:
    """Refuse create parameters (``prefix`` empty) or a session's ``shipping_rate_data``
    (``prefix`` its bracket name) as Stripe would."""

    def name(path: str) -> str:
        head, _, rest = path.partition("[")
        return f"{prefix}[{head}]" + (f"[{rest}" if rest else "") if prefix else path

    fixed = data.get("fixed_amount")
    if data.get("type", "fixed_amount") == "fixed_amount" and fixed is None:
        raise errors.missing_parameter(name("fixed_amount"))
    if fixed is not None and fixed["amount"] < 0:
        raise errors.value_too_small(name("fixed_amount[amount]"), 0)


def amount_in(rate: dict[str, Any], currency: str) -> int | None:
    """The rate's amount in ``currency`` (``None``: the rate has no amount in it)."""
    fixed = rate.get("fixed_amount") or {}
    if fixed.get("currency") == currency:
        amount: int = fixed["amount"]
        return amount
    option = (fixed.get("currency_options") or {}).get(currency)
    return None if option is None else int(option["amount"])


def _currency_filter(record: Record) -> str | None:
    fixed = record.get("fixed_amount")
    return None if fixed is None else str(fixed["currency"])


class ShippingRatesAPI(ObjectAPI):
    """The shipping rates of one account: ``fake.shipping_rates`` and ``/v1/shipping_rates``."""

    OBJECT = "shipping_rate"
    URL = URL
    EVENTS = False
    FILTERS = {
        "active": lambda record: "true" if record.get("active") else "false",
        "currency": _currency_filter,
    }

    def create(self, /, **params: Any) -> dict[str, Any]:
        """``POST /v1/shipping_rates``: a ``fixed_amount`` rate named ``display_name``."""
        with self._world.operation() as now:
            checked = validate("shipping_rates.create", params)
            expand = checked.pop("expand", [])
            check_rate_data(checked, "")
            self._account.expander.check(self.OBJECT, expand)
            fields = shipping_rate_object(
                rate_id=self._world.ids.new("shr_", 24), created=now, data=checked
            )
            return self._render(self._insert(fields, now=now), expand)

    def retrieve(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002
        """``GET /v1/shipping_rates/{id}``."""
        with self._world.operation():
            checked = validate("shipping_rates.retrieve", params)
            return self._render(self._get(id), checked.get("expand", []))

    def update(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002
        """``POST /v1/shipping_rates/{id}``: ``active``, ``metadata``, ``tax_behavior`` and
        ``fixed_amount[currency_options]``; the amount itself is fixed."""
        with self._world.operation() as now:
            checked = validate("shipping_rates.update", params)
            record = self._get(id)
            fields = record.fields
            expand = checked.pop("expand", [])
            changes: dict[str, Any] = {}
            if "active" in checked:
                changes["active"] = checked["active"]
            if "metadata" in checked:
                changes["metadata"] = merge_metadata(
                    fields["metadata"], checked["metadata"], param="metadata"
                )
            if "tax_behavior" in checked:
                current = fields["tax_behavior"]
                if current != "unspecified" and checked["tax_behavior"] != current:
                    raise errors.tax_behavior_fixed(current)
                changes["tax_behavior"] = checked["tax_behavior"]
            options = (checked.get("fixed_amount") or {}).get("currency_options")
            if options is not None and fields["fixed_amount"] is not None:
                fixed = dict(fields["fixed_amount"])
                merged = dict(fixed.get("currency_options") or {})
                merged.update(_currency_options(options))
                fixed["currency_options"] = dict(sorted(merged.items()))
                changes["fixed_amount"] = fixed
            self._account.expander.check(self.OBJECT, expand)
            self._modify(record, changes, now=now)
            return self._render(record, expand)

    def list(self, /, **params: Any) -> dict[str, Any]:
        """``GET /v1/shipping_rates``: newest first; ``active``, ``currency``, ``created``."""
        with self._world.operation():
            checked = validate("shipping_rates.list", params)
            wanted: dict[str, str] = {}
            if "active" in checked:
                wanted["active"] = "true" if checked["active"] else "false"
            if "currency" in checked:
                wanted["currency"] = checked["currency"]
            return self._list(checked, wanted)

    # --- for Checkout (the lock is held) ---

    def _usable(self, rate_id: str, *, param: str) -> dict[str, Any]:
        """The active shipping rate named in ``param`` (400 when unknown or archived)."""
        rate = self._find(rate_id, param=param)
        if not rate["active"]:
            raise errors.inactive_object("shipping_rate", rate_id, param=param)
        return rate

    def _create_inline(self, fields: dict[str, Any], *, now: int) -> None:
        """Store the rate a session's ``shipping_rate_data`` built (checked already)."""
        self._insert(fields, now=now)


RESOURCE = Resource(
    name="shipping_rates",
    object="shipping_rate",
    api=ShippingRatesAPI,
    routes=(
        Route("POST", URL, lambda ns, ids, p: ns.shipping_rates.create(**p)),
        Route("GET", URL, lambda ns, ids, p: ns.shipping_rates.list(**p)),
        Route("GET", URL + "/{id}", lambda ns, ids, p: ns.shipping_rates.retrieve(ids[0], **p)),
        Route("POST", URL + "/{id}", lambda ns, ids, p: ns.shipping_rates.update(ids[0], **p)),
    ),
    expandable={"shipping_rate": {"tax_code": "tax_code"}},
)
