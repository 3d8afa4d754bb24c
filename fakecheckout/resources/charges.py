"""Charges (``/v1/charges``): one attempt to pay a PaymentIntent.

The fake makes them itself, behind a PaymentIntent (a completed Checkout Session, a subscription's
invoice): one card charge per attempt, ``succeeded`` or ``failed``, uncaptured under manual
capture. Refunds change its ``amount_refunded`` and ``refunded``. Retrieve and list (``customer``,
``payment_intent``, ``created``) are emulated; ``refunds`` is a list Stripe includes only when
expanded (``expand[]=refunds``, since ``2022-11-15``). Creating charges directly (the legacy
Charges API), updating and capturing them through ``/v1/charges`` are not emulated.
https://docs.stripe.com/api/charges
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fakecheckout.core import errors
from fakecheckout.core.pagination import envelope
from fakecheckout.core.params import validate
from fakecheckout.core.resource import Resource, Route

from .payment_objects import PaymentObjectAPI, charge_object

URL = "/v1/charges"


class ChargesAPI(PaymentObjectAPI):
    """The charges of one account: ``fake.charges`` and ``/v1/charges``."""

    OBJECT = "charge"
    URL = URL
    FILTERS = {
        "customer": lambda record: record.get("customer"),
        "payment_intent": lambda record: record.get("payment_intent"),
    }
    EVENTS = False  # a charge's events are charge.succeeded / charge.failed …, recorded here

    def retrieve(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002 - Stripe's name
        """``GET /v1/charges/{id}``."""
        with self._world.operation():
            checked = validate("charges.retrieve", params)
            return self._render(self._get(id), checked.get("expand", []))

    def list(self, /, **params: Any) -> dict[str, Any]:
        """``GET /v1/charges``: newest first; ``customer``, ``payment_intent`` and ``created``."""
        with self._world.operation():
            checked = validate("charges.list", params)
            wanted: dict[str, str] = {
                name: checked[name] for name in ("customer", "payment_intent") if name in checked
            }
            if "transfer_group" in checked:
                return self._list(checked, wanted, matches=lambda record: False)
            return self._list(checked, wanted)

    def virtual_fields(self) -> dict[tuple[str, str], Callable[[dict[str, Any]], Any]]:
        def refunds(charge: dict[str, Any]) -> dict[str, Any]:
            data = self._account.refunds._of_charge(charge["id"])
            return envelope(data, False, f"{URL}/{charge['id']}/refunds")

        return {("charge", "refunds"): refunds}

    # --- for PaymentIntents and Refunds (the lock is held) ---

    def _create_attempt(
        self,
        intent: dict[str, Any],
        method: dict[str, Any],
        *,
        succeeded: bool,
        captured: bool,
        now: int,
    ) -> str:
        """The charge of one attempt to pay ``intent``, and its ``charge.succeeded`` or
        ``charge.failed``; returns its id."""
        fields = charge_object(
            charge_id=self._world.ids.new("ch_", 24),
            created=now,
            intent=intent,
            method=method,
            succeeded=succeeded,
            captured=captured,
        )
        record = self._insert(fields, now=now, event=False)
        self._event("charge.succeeded" if succeeded else "charge.failed", record.id, now=now)
        return record.id

    def _capture(self, charge_id: str, amount: int, *, now: int) -> None:
        """Capture ``amount`` of an uncaptured charge (``charge.captured``); the rest of the
        authorization is released and shows as refunded (Stripe's partial capture)."""
        charge = self._fields(charge_id)
        details = charge["payment_method_details"]
        card = {k: v for k, v in details["card"].items() if k != "capture_before"}
        self._set(
            charge_id,
            {
                "amount_captured": amount,
                "amount_refunded": charge["amount"] - amount,
                "balance_transaction": "txn_" + charge_id[3:],
                "captured": True,
                "payment_method_details": {**details, "card": card},
            },
        )
        self._event("charge.captured", charge_id, now=now)

    def _release(self, charge_id: str, *, now: int) -> None:
        """An uncaptured charge whose PaymentIntent is canceled: the authorization is released,
        the whole amount shows as refunded (``charge.refunded``)."""
        charge = self._fields(charge_id)
        self._set(charge_id, {"amount_refunded": charge["amount"], "refunded": True})
        self._event("charge.refunded", charge_id, now=now)

    def _refundable(self, charge_id: str, *, param: str) -> dict[str, Any]:
        """The stored charge a refund names; Stripe's errors for one that cannot be refunded:
        uncaptured (cancel the intent instead), not succeeded and captured (declined, released),
        or nothing left."""
        charge = self._find(charge_id, param=param)
        if charge["status"] == "succeeded" and not charge["captured"] and not charge["refunded"]:
            raise errors.uncaptured_charge_refund(charge["payment_intent"], param=param)
        if charge["status"] != "succeeded" or not charge["captured"]:
            raise errors.intent_has_no_charge(charge["payment_intent"], param=param)
        if charge["amount_refunded"] >= charge["amount"]:
            raise errors.charge_already_refunded(charge["id"])
        return charge

    def _add_refund(self, charge_id: str, amount: int, *, now: int) -> None:
        """``amount`` more of the charge is refunded (checked already): ``charge.refunded``."""
        charge = self._fields(charge_id)
        refunded = charge["amount_refunded"] + amount
        self._set(
            charge_id,
            {"amount_refunded": refunded, "refunded": refunded == charge["amount"]},
        )
        self._event("charge.refunded", charge_id, now=now)


RESOURCE = Resource(
    name="charges",
    object="charge",
    api=ChargesAPI,
    routes=(
        Route("GET", URL, lambda ns, ids, p: ns.charges.list(**p)),
        Route("GET", URL + "/{id}", lambda ns, ids, p: ns.charges.retrieve(ids[0], **p)),
    ),
    expandable={
        "charge": {
            "application": "application",
            "application_fee": "application_fee",
            "balance_transaction": "balance_transaction",
            "customer": "customer",
            "failure_balance_transaction": "balance_transaction",
            "on_behalf_of": "account",
            "payment_intent": "payment_intent",
            "refunds": "list:refund",
            "review": "review",
            "source_transfer": "transfer",
        },
    },
)
