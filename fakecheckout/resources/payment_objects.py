"""The payment objects' JSON (``payment_intent``, ``charge``, ``payment_method``, ``refund``) in
the newest shape, and how an older API version shows them.

Field sets follow Stripe's own example of each object (stripe/openapi ``fixtures3.json``, in
``/work/shared/reference/openapi-fixtures3.json``) and the per-release field names of the SDKs
(``param_trees/index.json`` ``shapes``). Fields the example leaves out are the ones Stripe sends
only when set (``hooks``, ``payment_details``, ``presentment_details`` …), so they are left out
here too. A PaymentIntent's embedded ``charges`` list was removed at ``2022-11-15``, before the
oldest version the fake serves, so no version shows it; ``latest_charge`` names the charge.
``invoice`` on a PaymentIntent and a Charge was removed at ``2025-03-31.basil``: older versions
show it (``null``: no invoice of this account paid through these objects).
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Sequence
from typing import Any

from fakecheckout.core import versioned, versions
from fakecheckout.core.objects import ObjectAPI
from fakecheckout.core.store import Record

#: The test card every PaymentMethod the fake makes stands for (Stripe's ``pm_card_visa``).
CARD_BRAND = "visa"
CARD_LAST4 = "4242"
CARD_COUNTRY = "US"

#: What ``outcome`` and the failure fields of a charge show, by result (Stripe's test cards:
#: ``4242…`` approves, ``4000 0000 0000 0002`` is a generic decline).
APPROVED_OUTCOME: dict[str, Any] = {
    "advice_code": None,
    "network_advice_code": None,
    "network_decline_code": None,
    "network_status": "approved_by_network",
    "reason": None,
    "risk_level": "normal",
    "risk_score": 32,
    "seller_message": "Payment complete.",
    "type": "authorized",
}
DECLINED_OUTCOME: dict[str, Any] = {
    "advice_code": "try_again_later",
    "network_advice_code": None,
    "network_decline_code": None,
    "network_status": "declined_by_network",
    "reason": "generic_decline",
    "risk_level": "normal",
    "risk_score": 32,
    "seller_message": "The bank did not return any further details with this decline.",
    "type": "issuer_declined",
}
DECLINE_CODE = "card_declined"
DECLINE_MESSAGE = "Your card was declined."


def _digest(*parts: str, length: int = 16) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:length]


def _address() -> dict[str, Any]:
    return dict.fromkeys(("city", "country", "line1", "line2", "postal_code", "state"))


def billing_details(*, email: str | None = None, name: str | None = None) -> dict[str, Any]:
    return {"address": _address(), "email": email, "name": name, "phone": None, "tax_id": None}


def _expiry(now: int) -> tuple[int, int]:
    """A card that expires at the end of the year three years from now."""
    year = datetime.datetime.fromtimestamp(now, tz=datetime.timezone.utc).year
    return 12, year + 3


def card_fingerprint(account_id: str) -> str:
    """The same card in one account has one fingerprint (Stripe: per account)."""
    return _digest("card", account_id, CARD_LAST4)


def payment_method_object(
    *,
    method_id: str,
    created: int,
    customer: str | None,
    fingerprint: str,
    billing: dict[str, Any],
) -> dict[str, Any]:
    """A card ``payment_method`` (API 2026-10-28.endive)."""
    exp_month, exp_year = _expiry(created)
    return {
        "id": method_id,
        "object": "payment_method",
        "allow_redisplay": "unspecified",
        "billing_details": billing,
        "card": {
            "brand": CARD_BRAND,
            "checks": {
                "address_line1_check": None,
                "address_postal_code_check": None,
                "cvc_check": "pass",
            },
            "country": CARD_COUNTRY,
            "display_brand": CARD_BRAND,
            "exp_month": exp_month,
            "exp_year": exp_year,
            "fingerprint": fingerprint,
            "funding": "credit",
            "generated_from": None,
            "last4": CARD_LAST4,
            "networks": {"available": [CARD_BRAND], "preferred": None},
            "regulated_status": "unregulated",
            "three_d_secure_usage": {"supported": True},
            "wallet": None,
        },
        "created": created,
        "customer": customer,
        "customer_account": None,
        "livemode": False,
        "metadata": {},
        "type": "card",
    }


def client_secret(intent_id: str) -> str:
    return f"{intent_id}_secret_{_digest('secret', intent_id, length=25)}"


def payment_intent_object(
    *,
    intent_id: str,
    created: int,
    amount: int,
    currency: str,
    customer: str | None,
    capture_method: str,
    description: str | None,
    metadata: dict[str, str],
    setup_future_usage: str | None,
) -> dict[str, Any]:
    """A ``payment_intent`` as created, before any attempt (``requires_payment_method``)."""
    return {
        "id": intent_id,
        "object": "payment_intent",
        "amount": amount,
        "amount_capturable": 0,
        "amount_details": {"tip": {}},
        "amount_received": 0,
        "application": None,
        "application_fee_amount": None,
        "automatic_payment_methods": None,
        "canceled_at": None,
        "cancellation_reason": None,
        "capture_method": capture_method,
        "client_secret": client_secret(intent_id),
        "confirmation_method": "automatic",
        "created": created,
        "currency": currency,
        "customer": customer,
        "customer_account": None,
        "description": description,
        "excluded_payment_method_types": None,
        "last_payment_error": None,
        "latest_charge": None,
        "livemode": False,
        "managed_payments": {"enabled": False},
        "metadata": metadata,
        "next_action": None,
        "on_behalf_of": None,
        "payment_method": None,
        "payment_method_configuration_details": None,
        "payment_method_options": {
            "card": {
                "installments": None,
                "mandate_options": None,
                "network": None,
                "request_three_d_secure": "automatic",
            }
        },
        "payment_method_types": ["card"],
        "processing": None,
        "receipt_email": None,
        "review": None,
        "setup_future_usage": setup_future_usage,
        "shipping": None,
        "source": None,
        "statement_descriptor": None,
        "statement_descriptor_suffix": None,
        "status": "requires_payment_method",
        "transfer_data": None,
        "transfer_group": None,
    }


def card_details(
    method: dict[str, Any], *, amount: int, captured: bool, charge_id: str, created: int
) -> dict[str, Any]:
    """A charge's ``payment_method_details`` for the card ``method``."""
    card = method["card"]
    details: dict[str, Any] = {
        "amount_authorized": amount,
        "authorization_code": _digest("auth", charge_id, length=6).upper(),
        "brand": card["brand"],
        "checks": dict(card["checks"]),
        "country": card["country"],
        "exp_month": card["exp_month"],
        "exp_year": card["exp_year"],
        "extended_authorization": {"status": "disabled"},
        "fingerprint": card["fingerprint"],
        "funding": card["funding"],
        "incremental_authorization": {"status": "unavailable"},
        "installments": None,
        "last4": card["last4"],
        "mandate": None,
        "multicapture": {"status": "unavailable"},
        "network": card["brand"],
        "network_token": {"used": False},
        "network_transaction_id": _digest("network", charge_id, length=15),
        "overcapture": {"maximum_amount_capturable": amount, "status": "unavailable"},
        "regulated_status": "unregulated",
        "three_d_secure": None,
        "transaction_link_id": None,
        "wallet": None,
    }
    if not captured:
        details["capture_before"] = created + 7 * 24 * 3600  # card authorizations last 7 days
    return {"card": dict(sorted(details.items())), "type": "card"}


def charge_object(
    *,
    charge_id: str,
    created: int,
    intent: dict[str, Any],
    method: dict[str, Any],
    succeeded: bool,
    captured: bool,
) -> dict[str, Any]:
    """The ``charge`` of one attempt to pay ``intent`` with ``method``."""
    amount = intent["amount"]
    return {
        "id": charge_id,
        "object": "charge",
        "amount": amount,
        "amount_captured": amount if succeeded and captured else 0,
        "amount_refunded": 0,
        "application": None,
        "application_fee": None,
        "application_fee_amount": None,
        "balance_transaction": ("txn_" + charge_id[3:]) if succeeded and captured else None,
        "billing_details": dict(method["billing_details"]),
        "calculated_statement_descriptor": "FAKECHECKOUT",
        "captured": succeeded and captured,
        "created": created,
        "currency": intent["currency"],
        "customer": intent["customer"],
        "description": intent["description"],
        "disputed": False,
        "failure_balance_transaction": None,
        "failure_code": None if succeeded else DECLINE_CODE,
        "failure_message": None if succeeded else DECLINE_MESSAGE,
        "fraud_details": {},
        "livemode": False,
        "metadata": dict(intent["metadata"]),
        "on_behalf_of": None,
        "outcome": dict(APPROVED_OUTCOME if succeeded else DECLINED_OUTCOME),
        "paid": succeeded,
        "payment_intent": intent["id"],
        "payment_method": method["id"],
        "payment_method_details": card_details(
            method, amount=amount, captured=captured, charge_id=charge_id, created=created
        ),
        "receipt_email": None,
        "receipt_number": None,
        "receipt_url": (
            f"https://pay.stripe.com/receipts/payment/{_digest('receipt', charge_id, length=40)}"
        ),
        "refunded": False,
        "review": None,
        "shipping": None,
        "source": None,
        "source_transfer": None,
        "statement_descriptor": None,
        "statement_descriptor_suffix": None,
        "status": "succeeded" if succeeded else "failed",
        "transfer_data": None,
        "transfer_group": None,
    }


def refund_object(
    *,
    refund_id: str,
    created: int,
    charge: dict[str, Any],
    amount: int,
    reason: str | None,
    metadata: dict[str, str],
) -> dict[str, Any]:
    """A card ``refund`` of ``amount`` of ``charge`` (succeeded at once, as test-mode cards do)."""
    return {
        "id": refund_id,
        "object": "refund",
        "amount": amount,
        "balance_transaction": "txn_" + refund_id[3:],
        "charge": charge["id"],
        "created": created,
        "currency": charge["currency"],
        "customer": charge["customer"],
        "customer_account": None,
        "destination_details": {
            "card": {
                "reference_status": "pending",
                "reference_type": "acquirer_reference_number",
                "type": "refund",
            },
            "type": "card",
        },
        "metadata": metadata,
        "payment_intent": charge["payment_intent"],
        "payment_method": charge["payment_method"],
        "reason": reason,
        "receipt_number": None,
        "source_transfer_reversal": None,
        "status": "succeeded",
        "transfer_reversal": None,
    }


# --- the version boundary -----------------------------------------------------------------------

#: ``invoice`` left PaymentIntents and Charges at basil (the SDKs before 12.x have it).
INVOICE_REMOVED = versions.removal_date(7) or versions.LATEST


def with_invoice(obj: dict[str, Any], version: str) -> dict[str, Any]:
    """A ``payment_intent`` or ``charge`` as ``version`` shows it: before basil with ``invoice``."""
    if versions.date(version) >= INVOICE_REMOVED:
        return obj
    out = dict(obj)
    out.setdefault("invoice", None)
    return versioned.stripe_field_order(out)


versioned.register_object("payment_intent", with_invoice)
versioned.register_object("charge", with_invoice)


class PaymentObjectAPI(ObjectAPI):
    """The direct API of a payment object: what it renders leaves in the request's version."""

    def _render(self, record: Record, expand: Sequence[str]) -> dict[str, Any]:
        return versioned.downgrade(super()._render(record, expand), versions.current())

    def lookup(self, object_id: str) -> dict[str, Any] | None:
        found = super().lookup(object_id)
        return None if found is None else versioned.downgrade(found, versions.current())

    def _fields(self, object_id: str) -> dict[str, Any]:
        """The stored object ``object_id`` (one this account made itself; the lock is held)."""
        return self._store.by_id[object_id].fields

    def _set(self, object_id: str, changes: dict[str, Any]) -> None:
        """Change a stored object without an ``<object>.updated`` event (a state change whose
        event is another type, recorded by the caller); keeps the list indexes right."""
        record = self._store.by_id[object_id]
        before = self._store.filter_values(record)
        record.fields.update(changes)
        self._store.reindex(record, before)

    def _event(self, event_type: str, object_id: str, *, now: int) -> None:
        self._world.record_event(self._account, event_type, self._fields(object_id), at=now)
