"""PaymentIntents (``/v1/payment_intents``): the payment behind a Checkout Session in payment mode
(and behind a subscription's invoices).

The fake makes them itself when a session completes (``sessions.complete``): the intent, its
card PaymentMethod and its Charge, with Stripe's events in Stripe's order (see
``docs/payments.md``). Retrieve, list (``customer``, ``created``), update (``metadata``,
``description``, ``receipt_email``), cancel and capture are emulated; creating and confirming
intents through the API are not.
https://docs.stripe.com/api/payment_intents
"""

from __future__ import annotations

from typing import Any

from fakecheckout.core import errors, versions
from fakecheckout.core.objects import merge_metadata
from fakecheckout.core.params import validate
from fakecheckout.core.resource import Resource, Route

from .payment_objects import (
    DECLINE_CODE,
    DECLINE_MESSAGE,
    PaymentObjectAPI,
    payment_intent_object,
)

URL = "/v1/payment_intents"

#: ``_create_for_payment``'s outcomes.
OUTCOMES = ("succeeded", "processing", "requires_capture", "failed")

#: Since this API version a PaymentIntent created without ``capture_method`` has
#: ``automatic_async`` (before it: ``automatic``).
ASYNC_CAPTURE = "2024-04-10"

#: The statuses Stripe lets ``cancel`` act on, in its message's order.
CANCELABLE = (
    "requires_payment_method",
    "requires_capture",
    "requires_confirmation",
    "requires_action",
    "processing",
)

#: ``payment_intent_data`` keys a Checkout Session passes on to its intent unchanged.
PASSED_ON = (
    "receipt_email",
    "statement_descriptor",
    "statement_descriptor_suffix",
    "transfer_group",
)

#: Update parameters whose effect the fake models.
UPDATABLE = ("description", "metadata", "receipt_email")
#: Capture parameters whose effect the fake models.
CAPTURE_PARAMS = ("amount_to_capture", "expand", "final_capture", "metadata")


def _shipping(given: dict[str, Any]) -> dict[str, Any]:
    address = given.get("address") or {}
    keys = ("city", "country", "line1", "line2", "postal_code", "state")
    return {
        "address": {key: address.get(key) for key in keys},
        "carrier": given.get("carrier"),
        "name": given.get("name"),
        "phone": given.get("phone"),
        "tracking_number": given.get("tracking_number"),
    }


class PaymentIntentsAPI(PaymentObjectAPI):
    """The PaymentIntents of one account: ``fake.payment_intents`` and ``/v1/payment_intents``."""

    OBJECT = "payment_intent"
    URL = URL
    LABEL = "payment_intent"
    FILTERS = {"customer": lambda record: record.get("customer")}
    EVENTS = False  # its events are its state changes, recorded by each one

    def retrieve(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002 - Stripe's name
        """``GET /v1/payment_intents/{id}`` (``client_secret`` is not sent)."""
        with self._world.operation():
            params.pop("client_secret", None)
            checked = validate("payment_intents.retrieve", params)
            return self._render(self._get(id), checked.get("expand", []))

    def list(self, /, **params: Any) -> dict[str, Any]:
        """``GET /v1/payment_intents``: newest first; ``customer`` and ``created``."""
        with self._world.operation():
            checked = validate("payment_intents.list", params)
            if "customer_account" in checked:
                return self._list(checked, {}, matches=lambda record: False)
            wanted = {"customer": checked["customer"]} if "customer" in checked else {}
            return self._list(checked, wanted)

    def update(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002
        """``POST /v1/payment_intents/{id}``: ``metadata`` merges, ``description`` and
        ``receipt_email`` replace (Stripe sends no event for an update)."""
        with self._world.operation():
            checked = validate("payment_intents.update", params)
            record = self._get(id)
            expand = checked.pop("expand", [])
            for name in checked:
                if name not in UPDATABLE:
                    raise errors.not_emulated_parameter(name)
            changes: dict[str, Any] = {}
            for name in ("description", "receipt_email"):
                if name in checked:
                    changes[name] = checked[name] or None
            if "metadata" in checked:
                changes["metadata"] = merge_metadata(
                    record.fields["metadata"], checked["metadata"], param="metadata"
                )
            self._account.expander.check(self.OBJECT, expand)
            self._set(record.id, changes)
            return self._render(record, expand)

    def cancel(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002
        """``POST /v1/payment_intents/{id}/cancel``: an intent not yet paid is ``canceled``; an
        uncaptured charge is released (``charge.refunded``), then ``payment_intent.canceled``."""
        with self._world.operation() as now:
            checked = validate("payment_intents.cancel", params)
            record = self._get(id)
            intent = record.fields
            if intent["status"] not in CANCELABLE:
                raise errors.payment_intent_not_cancelable(intent["status"], CANCELABLE)
            expand = checked.get("expand", [])
            self._account.expander.check(self.OBJECT, expand)
            if intent["status"] == "requires_capture" and intent["latest_charge"]:
                self._account.charges._release(intent["latest_charge"], now=now)
            self._set(
                record.id,
                {
                    "amount_capturable": 0,
                    "canceled_at": now,
                    "cancellation_reason": checked.get("cancellation_reason"),
                    "next_action": None,
                    "processing": None,
                    "status": "canceled",
                },
            )
            self._event("payment_intent.canceled", record.id, now=now)
            return self._render(record, expand)

    def capture(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002
        """``POST /v1/payment_intents/{id}/capture``: a ``requires_capture`` intent captures
        ``amount_to_capture`` (default: all of it) and succeeds; ``charge.captured``, then
        ``payment_intent.succeeded``."""
        with self._world.operation() as now:
            checked = validate("payment_intents.capture", params)
            for name in checked:
                if name not in CAPTURE_PARAMS:
                    raise errors.not_emulated_parameter(name)
            record = self._get(id)
            intent = record.fields
            if intent["status"] != "requires_capture":
                raise errors.payment_intent_not_capturable(intent["status"])
            capturable = intent["amount_capturable"]
            amount = checked.get("amount_to_capture", capturable)
            if amount > capturable:
                raise errors.capture_amount_too_large(amount, capturable)
            if amount < 1:
                raise errors.value_too_small("amount_to_capture", 1)
            expand = checked.get("expand", [])
            self._account.expander.check(self.OBJECT, expand)
            changes: dict[str, Any] = {
                "amount_capturable": 0,
                "amount_received": amount,
                "status": "succeeded",
            }
            if "metadata" in checked:
                changes["metadata"] = merge_metadata(
                    intent["metadata"], checked["metadata"], param="metadata"
                )
            self._account.charges._capture(intent["latest_charge"], amount, now=now)
            self._set(record.id, changes)
            self._event("payment_intent.succeeded", record.id, now=now)
            return self._render(record, expand)

    # --- for other resources (the lock is held) ---

    def _create_for_payment(
        self,
        *,
        amount: int,
        currency: str,
        customer: str | None,
        now: int,
        outcome: str = "succeeded",
        description: str | None = None,
        metadata: dict[str, str] | None = None,
        setup_future_usage: str | None = None,
        attach: bool = True,
        payment_intent_data: dict[str, Any] | None = None,
    ) -> str:
        """A paid (or attempted) PaymentIntent: its card PaymentMethod (attached to
        ``customer`` when given and ``attach``), the intent, and unless ``processing`` its
        Charge, with their events in Stripe's order; returns the intent's id.

        ``outcome``: ``succeeded``; ``requires_capture`` (authorized, manual capture);
        ``processing`` (a delayed payment, settled by :meth:`_settle`); ``failed`` (declined:
        the intent is back to ``requires_payment_method``). ``payment_intent_data`` is a
        Checkout Session's (``receipt_email``, ``shipping``, ``statement_descriptor`` …).
        """
        if outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)}, not {outcome!r}")
        methods = self._account.payment_methods
        method_id = methods._create_card(customer=None, now=now)
        fields = payment_intent_object(
            intent_id=self._world.ids.new("pi_", 24),
            created=now,
            amount=amount,
            currency=currency,
            customer=customer,
            capture_method="manual" if outcome == "requires_capture" else _automatic(),
            description=description,
            metadata=dict(metadata or {}),
            setup_future_usage=setup_future_usage,
        )
        data = payment_intent_data or {}
        for name in PASSED_ON:
            if data.get(name):
                fields[name] = data[name]
        if data.get("shipping"):
            fields["shipping"] = _shipping(data["shipping"])
        record = self._insert(fields, now=now, event=False)
        self._event("payment_intent.created", record.id, now=now)
        if customer is not None and attach and outcome != "failed":
            methods._attach(method_id, customer, now=now)
        if outcome == "processing":
            self._set(
                record.id,
                {
                    "payment_method": method_id,
                    "processing": {
                        "card": {
                            "customer_notification": {
                                "approval_requested": False,
                                "completes_at": None,
                            }
                        },
                        "type": "card",
                    },
                    "status": "processing",
                },
            )
            self._event("payment_intent.processing", record.id, now=now)
        else:
            self._attempt(record.id, method_id, succeeded=outcome != "failed", now=now)
        return record.id

    def _settle(self, intent_id: str, *, succeeded: bool, now: int) -> None:
        """A ``processing`` intent's payment settles: ``succeeded`` with a succeeded charge, or
        declined (a failed charge; the intent is ``requires_payment_method`` again)."""
        intent = self._fields(intent_id)
        if intent["status"] != "processing":
            raise ValueError(f"{intent_id} is {intent['status']}, not processing")
        self._set(intent_id, {"processing": None})
        self._attempt(intent_id, intent["payment_method"], succeeded=succeeded, now=now)

    def _charge_of(self, intent_id: str, *, param: str) -> str:
        """The charge a refund of ``intent_id`` refunds (its latest; whether that one can be
        refunded is the charge's rule); Stripe's error when it has none yet."""
        intent = self._find(intent_id, param=param)
        charge_id = intent["latest_charge"]
        if charge_id is None:
            raise errors.intent_has_no_charge(intent["id"], param=param)
        return str(charge_id)

    # --- helpers (the lock is held) ---

    def _attempt(self, intent_id: str, method_id: str, *, succeeded: bool, now: int) -> None:
        """One attempt to pay with ``method_id``: the charge (``charge.succeeded``/``failed``),
        then the intent's own event."""
        intent = self._fields(intent_id)
        methods = self._account.payment_methods
        method = methods._fields(method_id)
        manual = intent["capture_method"] == "manual"
        charges = self._account.charges
        charge_id = charges._create_attempt(
            {**intent, "payment_method": method_id},
            method,
            succeeded=succeeded,
            captured=not manual,
            now=now,
        )
        amount = intent["amount"]
        if not succeeded:
            self._set(
                intent_id,
                {
                    "last_payment_error": _decline(charge_id, method),
                    "latest_charge": charge_id,
                    "payment_method": None,
                    "status": "requires_payment_method",
                },
            )
            self._event("payment_intent.payment_failed", intent_id, now=now)
        elif manual:
            self._set(
                intent_id,
                {
                    "amount_capturable": amount,
                    "latest_charge": charge_id,
                    "payment_method": method_id,
                    "status": "requires_capture",
                },
            )
            self._event("payment_intent.amount_capturable_updated", intent_id, now=now)
        else:
            self._set(
                intent_id,
                {
                    "amount_received": amount,
                    "latest_charge": charge_id,
                    "payment_method": method_id,
                    "status": "succeeded",
                },
            )
            self._event("payment_intent.succeeded", intent_id, now=now)


def _automatic() -> str:
    """The default ``capture_method`` at the operation's API version: ``automatic_async`` from
    ``2024-04-10`` (changelog ``2024-04-10/automatic-sync-default-paymentintents``), ``automatic``
    before."""
    return "automatic_async" if versions.date(versions.current()) >= ASYNC_CAPTURE else "automatic"


def _decline(charge_id: str, method: dict[str, Any]) -> dict[str, Any]:
    """``last_payment_error`` after a generic decline (Stripe's card_error, with the method)."""
    return {
        "advice_code": "try_again_later",
        "charge": charge_id,
        "code": DECLINE_CODE,
        "decline_code": "generic_decline",
        "doc_url": "https://stripe.com/docs/error-codes/card-declined",
        "message": DECLINE_MESSAGE,
        "payment_method": dict(method),
        "type": "card_error",
    }


RESOURCE = Resource(
    name="payment_intents",
    object="payment_intent",
    api=PaymentIntentsAPI,
    routes=(
        Route("GET", URL, lambda ns, ids, p: ns.payment_intents.list(**p)),
        Route("GET", URL + "/{id}", lambda ns, ids, p: ns.payment_intents.retrieve(ids[0], **p)),
        Route("POST", URL + "/{id}", lambda ns, ids, p: ns.payment_intents.update(ids[0], **p)),
        Route(
            "POST",
            URL + "/{id}/cancel",
            lambda ns, ids, p: ns.payment_intents.cancel(ids[0], **p),
        ),
        Route(
            "POST",
            URL + "/{id}/capture",
            lambda ns, ids, p: ns.payment_intents.capture(ids[0], **p),
        ),
    ),
    expandable={
        "payment_intent": {
            "application": "application",
            "customer": "customer",
            "latest_charge": "charge",
            "on_behalf_of": "account",
            "payment_method": "payment_method",
            "review": "review",
        },
    },
)
