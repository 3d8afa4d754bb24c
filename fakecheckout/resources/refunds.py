"""Refunds (``/v1/refunds``): money returned from a succeeded, captured charge.

A refund names the charge, or the PaymentIntent whose charge it refunds; without ``amount`` it
refunds what is left. It succeeds at once (as card refunds in test mode do) and raises the
charge's ``amount_refunded`` (``refunded`` once nothing is left), which the PaymentIntent shows
through ``latest_charge``. Events: ``refund.created``, then ``charge.refunded`` (Stripe's order in
a real ``stripe listen`` log). An uncaptured charge is not refunded (Stripe: cancel the intent).
Create, retrieve, list (``charge``, ``payment_intent``, ``created``) and update (``metadata``) are
emulated; cancelling a refund, failed refunds and refunds of bank transfers are not.
https://docs.stripe.com/api/refunds
"""

from __future__ import annotations

import builtins
from typing import Any

from fakecheckout.core import errors
from fakecheckout.core.currencies import display_amount
from fakecheckout.core.jsondata import copy_json
from fakecheckout.core.objects import merge_metadata
from fakecheckout.core.params import validate
from fakecheckout.core.resource import Resource, Route

from .payment_objects import PaymentObjectAPI, refund_object

URL = "/v1/refunds"

#: Create parameters whose effect the fake models.
MODELED = ("amount", "charge", "expand", "metadata", "payment_intent", "reason")


class RefundsAPI(PaymentObjectAPI):
    """The refunds of one account: ``fake.refunds`` and ``/v1/refunds``."""

    OBJECT = "refund"
    URL = URL
    FILTERS = {
        "charge": lambda record: record.get("charge"),
        "payment_intent": lambda record: record.get("payment_intent"),
    }

    def create(self, /, **params: Any) -> dict[str, Any]:
        """``POST /v1/refunds``: ``charge`` or ``payment_intent``, ``amount`` (default: what is
        left), ``reason``, ``metadata``."""
        with self._world.operation() as now:
            checked = validate("refunds.create", params)
            for name in checked:
                if name not in MODELED:
                    raise errors.not_emulated_parameter(name)
            charges = self._account.charges
            if "charge" in checked and "payment_intent" in checked:
                raise errors.refund_charge_and_intent()
            if "charge" in checked:
                charge_id = checked["charge"]
                param = "charge"
            elif "payment_intent" in checked:
                charge_id = self._account.payment_intents._charge_of(
                    checked["payment_intent"], param="payment_intent"
                )
                param = "payment_intent"
            else:
                raise errors.refund_needs_charge()
            charge = charges._refundable(charge_id, param=param)
            left = charge["amount"] - charge["amount_refunded"]
            amount = checked.get("amount", left)
            if amount < 1:
                raise errors.value_too_small("amount", 1)
            if amount > left:
                currency = charge["currency"]
                raise errors.refund_amount_too_large(
                    display_amount(amount, currency),
                    display_amount(left, currency),
                    partly_refunded=charge["amount_refunded"] > 0,
                )
            expand = checked.get("expand", [])
            self._account.expander.check(self.OBJECT, expand)
            fields = refund_object(
                refund_id=self._world.ids.new("re_", 24),
                created=now,
                charge=charge,
                amount=amount,
                reason=checked.get("reason"),
                metadata=merge_metadata({}, checked.get("metadata", {}), param="metadata"),
            )
            record = self._insert(fields, now=now)  # refund.created, then charge.refunded
            charges._add_refund(charge["id"], amount, now=now)
            return self._render(record, expand)

    def retrieve(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002 - Stripe's name
        """``GET /v1/refunds/{id}``."""
        with self._world.operation():
            checked = validate("refunds.retrieve", params)
            return self._render(self._get(id), checked.get("expand", []))

    def update(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002
        """``POST /v1/refunds/{id}``: ``metadata`` merges (``refund.updated``)."""
        with self._world.operation() as now:
            checked = validate("refunds.update", params)
            record = self._get(id)
            expand = checked.pop("expand", [])
            changes: dict[str, Any] = {}
            if "metadata" in checked:
                changes["metadata"] = merge_metadata(
                    record.fields["metadata"], checked["metadata"], param="metadata"
                )
            self._account.expander.check(self.OBJECT, expand)
            self._modify(record, changes, now=now)
            return self._render(record, expand)

    def list(self, /, **params: Any) -> dict[str, Any]:
        """``GET /v1/refunds``: newest first; ``charge``, ``payment_intent`` and ``created``."""
        with self._world.operation():
            checked = validate("refunds.list", params)
            wanted: dict[str, str] = {
                name: checked[name] for name in ("charge", "payment_intent") if name in checked
            }
            return self._list(checked, wanted)

    # --- for Charges (the lock is held) ---

    def _of_charge(self, charge_id: str) -> builtins.list[dict[str, Any]]:
        """The refunds of ``charge_id``, newest first (a charge's ``refunds`` list)."""
        index = self._store.by_filter.get(("charge", charge_id))
        if not index:
            return []
        found = [
            self._store.by_id[object_id]
            for _, object_id in index.descending((2**63, 0), (-(2**63) - 1, 0))
        ]
        return [copy_json(record.fields) for record in found]


RESOURCE = Resource(
    name="refunds",
    object="refund",
    api=RefundsAPI,
    routes=(
        Route("POST", URL, lambda ns, ids, p: ns.refunds.create(**p)),
        Route("GET", URL, lambda ns, ids, p: ns.refunds.list(**p)),
        Route("GET", URL + "/{id}", lambda ns, ids, p: ns.refunds.retrieve(ids[0], **p)),
        Route("POST", URL + "/{id}", lambda ns, ids, p: ns.refunds.update(ids[0], **p)),
    ),
    expandable={
        "refund": {
            "balance_transaction": "balance_transaction",
            "charge": "charge",
            "customer": "customer",
            "failure_balance_transaction": "balance_transaction",
            "payment_intent": "payment_intent",
            "payment_method": "payment_method",
            "source_transfer_reversal": "transfer_reversal",
            "transfer_reversal": "transfer_reversal",
        },
    },
)
