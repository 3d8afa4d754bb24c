"""Invoices (``/v1/invoices``): the ``invoice`` object and its ``line_item`` lines, as a
subscription bills them: retrieve, list (``customer``, ``subscription``, ``status``, ``created``)
and ``GET /v1/invoices/{id}/lines``.

Invoices are created only by subscriptions (the first invoice of a Checkout subscription and each
renewal: ``billing_reason`` ``subscription_create`` / ``subscription_cycle``); each is created,
finalized and paid (or left ``open`` after a failed attempt) in one step on the fake's clock.
Creating, updating, finalizing, paying, voiding or deleting invoices through the API, invoice
items, credit notes, tax and discounts on invoices are not emulated.
https://docs.stripe.com/api/invoices
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fakecheckout.core import versioned, versions
from fakecheckout.core.currencies import display_amount
from fakecheckout.core.events import EventRecord
from fakecheckout.core.jsondata import copy_json
from fakecheckout.core.objects import ObjectAPI
from fakecheckout.core.pagination import PageRequest, envelope, page_in_order
from fakecheckout.core.params import validate
from fakecheckout.core.resource import Resource, Route
from fakecheckout.core.store import Record

if TYPE_CHECKING:
    from fakecheckout.core.world import Account, World

URL = "/v1/invoices"

Line = tuple[dict[str, Any] | None, dict[str, Any], str, int, tuple[int, int], bool]
"""What one invoice line bills: ``(subscription item or None, price, product name, quantity,
period, trial)``."""
Lines = list[Line]
Events = list[EventRecord]

#: How long Stripe waits before finalizing a draft subscription invoice (a renewal's; "about an
#: hour", docs.stripe.com/billing/subscriptions/overview#subscription-lifecycle). The fake
#: finalizes at once: the field shows what Stripe would have said in the draft.
DRAFT_DELAY = 3600


def invoice_object(
    *,
    invoice_id: str,
    created: int,
    customer: dict[str, Any],
    subscription: dict[str, Any],
    lines: list[dict[str, Any]],
    billing_reason: str,
    period: tuple[int, int],
) -> dict[str, Any]:
    """A draft subscription ``invoice`` with every field Stripe sends by default (API
    2026-10-28.endive, stripe/openapi fixtures3.json's field set)."""
    total = sum(line["amount"] for line in lines)
    return {
        "id": invoice_id,
        "object": "invoice",
        "account_country": "US",
        "account_name": "Test account",
        "account_tax_ids": None,
        "amount_due": total,
        "amount_overpaid": 0,
        "amount_paid": 0,
        "amount_remaining": total,
        "amount_shipping": 0,
        "application": None,
        "attempt_count": 0,
        "attempted": False,
        "auto_advance": True,
        "automatic_tax": {
            "disabled_reason": None,
            "enabled": False,
            "liability": None,
            "provider": None,
            "status": None,
        },
        "automatically_finalizes_at": created + DRAFT_DELAY,
        "billing_reason": billing_reason,
        "collection_method": "charge_automatically",
        "confirmation_secret": None,
        "created": created,
        "currency": subscription["currency"],
        "custom_fields": None,
        "customer": customer["id"],
        "customer_account": None,
        "customer_address": copy_json(customer.get("address")),
        "customer_email": customer.get("email"),
        "customer_name": customer.get("name"),
        "customer_phone": customer.get("phone"),
        "customer_shipping": copy_json(customer.get("shipping")),
        "customer_tax_exempt": customer.get("tax_exempt", "none"),
        "customer_tax_ids": [],
        "default_payment_method": None,
        "default_source": None,
        "default_tax_rates": [],
        "description": None,
        "discounts": [],
        "due_date": None,
        "effective_at": None,
        "ending_balance": None,
        "footer": None,
        "from_invoice": None,
        "hosted_invoice_url": None,
        "invoice_pdf": None,
        "issuer": {"type": "self"},
        "last_finalization_error": None,
        "latest_revision": None,
        "lines": {
            "object": "list",
            "data": lines,
            "has_more": False,
            "total_count": len(lines),
            "url": f"{URL}/{invoice_id}/lines",
        },
        "livemode": False,
        "metadata": {},
        "next_payment_attempt": None,
        "number": None,
        "on_behalf_of": None,
        "parent": {
            "quote_details": None,
            "subscription_details": {
                "metadata": dict(subscription["metadata"]),
                "subscription": subscription["id"],
            },
            "type": "subscription_details",
        },
        "payment_settings": {
            "default_mandate": None,
            "payment_method_options": None,
            "payment_method_types": None,
        },
        "period_end": period[1],
        "period_start": period[0],
        "post_payment_credit_notes_amount": 0,
        "pre_payment_credit_notes_amount": 0,
        "receipt_number": None,
        "rendering": None,
        "shipping_cost": None,
        "shipping_details": None,
        "starting_balance": 0,
        "statement_descriptor": None,
        "status": "draft",
        "status_transitions": {
            "finalized_at": None,
            "marked_uncollectible_at": None,
            "paid_at": None,
            "voided_at": None,
        },
        "subtotal": total,
        "subtotal_excluding_tax": total,
        "test_clock": None,
        "threshold_reason": None,
        "total": total,
        "total_discount_amounts": [],
        "total_excluding_tax": total,
        "total_pretax_credit_amounts": [],
        "total_taxes": [],
        "webhooks_delivered_at": None,
    }


def line_object(
    *,
    line_id: str,
    invoice_id: str,
    subscription_id: str,
    item: dict[str, Any] | None,
    price: dict[str, Any],
    product_name: str,
    quantity: int,
    period: tuple[int, int],
    trial: bool = False,
) -> dict[str, Any]:
    """An invoice ``line_item`` billing ``quantity`` of ``price`` for ``period`` (``item``: the
    subscription item, ``None`` for a one-time price on the first invoice)."""
    unit = int(price["unit_amount"] or 0)
    amount = 0 if trial else unit * quantity
    description = (
        f"Trial period for {product_name}"
        if trial
        else f"{quantity} × {product_name} (at {display_amount(unit, price['currency'])}"
        f"{_per(price.get('recurring'))})"
    )
    details = {
        "invoice_item": None,
        "proration": False,
        "proration_details": {"credited_items": None},
        "subscription": subscription_id,
        "subscription_item": None if item is None else item["id"],
    }
    return {
        "id": line_id,
        "object": "line_item",
        "amount": amount,
        "currency": price["currency"],
        "description": description,
        "discount_amounts": [],
        "discountable": True,
        "discounts": [],
        "invoice": invoice_id,
        "livemode": False,
        "metadata": {},
        "parent": {
            "invoice_item_details": None,
            "subscription_item_details": details,
            "type": "subscription_item_details",
        },
        "period": {"end": period[1], "start": period[0]},
        "pretax_credit_amounts": [],
        "pricing": {
            "price_details": {"price": price["id"], "product": price["product"]},
            "type": "price_details",
            "unit_amount_decimal": price.get("unit_amount_decimal"),
        },
        "quantity": quantity,
        "quantity_decimal": None,
        "subscription": subscription_id,
        "subtotal": amount,
        "taxes": [],
    }


def invoice_payments(invoice: dict[str, Any]) -> dict[str, Any]:
    """``payments`` (includable: ``expand=["payments"]``): the ``invoice_payment`` of the
    PaymentIntent that paid the invoice or attempted to (none for an invoice with nothing to pay)."""
    intent = invoice.get("_payment_intent")
    data = []
    if isinstance(intent, str):
        paid = invoice["status"] == "paid"
        paid_at = invoice["status_transitions"]["paid_at"] if paid else None
        digest = hashlib.sha256(f"inpay:{invoice['id']}".encode()).hexdigest()[:24]
        data.append(
            {
                "id": f"inpay_{digest}",
                "object": "invoice_payment",
                "amount_paid": invoice["amount_paid"] if paid else None,
                "amount_requested": invoice["amount_due"],
                "created": invoice["created"],
                "currency": invoice["currency"],
                "invoice": invoice["id"],
                "is_default": True,
                "livemode": False,
                "payment": {"payment_intent": intent, "type": "payment_intent"},
                "status": "paid" if paid else "open",
                "status_transitions": {"canceled_at": None, "paid_at": paid_at},
            }
        )
    return envelope(data, False, f"/v1/invoice_payments?invoice={invoice['id']}")


def _per(recurring: dict[str, Any] | None) -> str:
    if recurring is None:
        return ""
    count, interval = recurring["interval_count"], recurring["interval"]
    return f" / {interval}" if count == 1 else f" / every {count} {interval}s"


def hosted_invoice_url(account_id: str, invoice_id: str) -> str:
    """``https://invoice.stripe.com/i/<account>/test_<token>`` (the token derived from the id)."""
    token = hashlib.sha256(invoice_id.encode()).hexdigest()[:40]
    return f"https://invoice.stripe.com/i/{account_id}/test_{token}"


# --- the version boundary (docs.stripe.com/changelog/basil/2025-03-31) --------------------------

BASIL = "2025-03-31"
"""The first day of ``2025-03-31.basil``, which moved an invoice's subscription under ``parent``,
its payment intent and charge into ``payments``, and a line's price into ``pricing``."""

#: Fields basil added in place of the ones it removed (index.json ``shapes``: releases from
#: 12.5.2 only), absent before basil.
INVOICE_FROM_BASIL = ("amount_overpaid", "confirmation_secret", "parent", "total_taxes")
LINE_FROM_BASIL = ("parent", "pricing", "taxes")

#: Stored beside the newest shape for what versions before basil show: an invoice's
#: ``_payment_intent`` and ``_charge``, a line's ``_price``. Never shown.
HIDDEN_PREFIX = "_"


def _visible(obj: dict[str, Any], dropped: tuple[str, ...] = ()) -> dict[str, Any]:
    """``obj`` without its hidden keys and the ``dropped`` ones."""
    return {
        name: value
        for name, value in obj.items()
        if name not in dropped and not name.startswith(HIDDEN_PREFIX)
    }


def _map_lines(out: dict[str, Any], line: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
    """An invoice's embedded ``lines`` list (when it is one), each line passed through ``line``."""
    lines = out.get("lines")
    if isinstance(lines, dict) and isinstance(lines.get("data"), list):
        out["lines"] = {**lines, "data": [line(item) for item in lines["data"]]}


def without_hidden(obj: dict[str, Any]) -> dict[str, Any]:
    """An invoice or line without the hidden keys (the newest shape)."""
    out = _visible(obj)
    _map_lines(out, without_hidden)
    return out


def shown(obj: dict[str, Any], version: str) -> dict[str, Any]:
    """A stored invoice or line (or a list of them) as ``version`` shows it."""
    if obj.get("object") == "list":
        return {**obj, "data": [shown(item, version) for item in obj["data"]]}
    if versions.date(version) >= BASIL:
        return without_hidden(obj)
    if obj.get("object") == "line_item":
        return line_before_basil(obj, version)
    return invoice_before_basil(obj, version)


def invoice_before_basil(obj: dict[str, Any], version: str) -> dict[str, Any]:
    """An ``invoice`` (newest shape with its hidden keys) as a version before
    ``2025-03-31.basil`` shows it: the subscription, payment intent and charge at the top
    level, ``paid``, ``discount``, ``tax``, …"""
    if versions.date(version) >= BASIL:
        return obj
    out = _visible(obj, INVOICE_FROM_BASIL)
    details = (obj.get("parent") or {}).get("subscription_details") or {}
    out.update(
        {
            "application_fee_amount": None,
            "charge": obj.get("_charge"),
            "discount": None,
            "paid": obj["status"] == "paid",
            "paid_out_of_band": False,
            "payment_intent": obj.get("_payment_intent"),
            "quote": None,
            "subscription": details.get("subscription"),
            "subscription_details": {"metadata": details.get("metadata")},
            "subscription_proration_date": None,
            "tax": None,
            "total_tax_amounts": [],
            "transfer_data": None,
        }
    )
    if versions.date(version) < "2024-06-20":  # removed with 10.x (index.json: 8.11.1 only)
        out["rendering_options"] = None
    _map_lines(out, lambda line: line_before_basil(line, version))
    return versioned.stripe_field_order(out)


def line_before_basil(obj: dict[str, Any], version: str) -> dict[str, Any]:
    """A ``line_item`` as a version before basil shows it: ``price``, ``plan``, ``proration``,
    ``subscription_item``, ``type`` instead of ``parent`` and ``pricing``."""
    if versions.date(version) >= BASIL:
        return obj
    out = _visible(obj, LINE_FROM_BASIL)
    details = (obj.get("parent") or {}).get("subscription_item_details") or {}
    price = obj.get("_price")
    out.update(
        {
            "amount_excluding_tax": obj["amount"],
            "invoice_item": None,
            "plan": None if price is None else plan_object(price),
            "price": price,
            "proration": False,
            "proration_details": {"credited_items": None},
            "subscription_item": details.get("subscription_item"),
            "tax_amounts": [],
            "tax_rates": [],
            "type": "subscription",
            "unit_amount_excluding_tax": (obj.get("pricing") or {}).get("unit_amount_decimal"),
        }
    )
    return versioned.stripe_field_order(out)


def plan_object(price: dict[str, Any]) -> dict[str, Any]:
    """The ``plan`` a recurring ``price`` is also shown as (the Plans API's view of it)."""
    recurring = price.get("recurring") or {}
    return {
        "id": price["id"],
        "object": "plan",
        "active": price["active"],
        "amount": price["unit_amount"],
        "amount_decimal": price["unit_amount_decimal"],
        "billing_scheme": price["billing_scheme"],
        "created": price["created"],
        "currency": price["currency"],
        "interval": recurring.get("interval"),
        "interval_count": recurring.get("interval_count"),
        "livemode": False,
        "metadata": dict(price.get("metadata") or {}),
        "meter": recurring.get("meter"),
        "nickname": price.get("nickname"),
        "product": price["product"],
        "tiers_mode": price.get("tiers_mode"),
        "transform_usage": None,
        "trial_period_days": recurring.get("trial_period_days"),
        "usage_type": recurring.get("usage_type", "licensed"),
    }


class InvoicesAPI(ObjectAPI):
    """The invoices of one account: ``fake.invoices`` and ``/v1/invoices``."""

    OBJECT = "invoice"
    URL = URL
    FILTERS = {
        "customer": lambda record: record.get("customer"),
        "subscription": lambda record: (
            (record.get("parent") or {}).get("subscription_details") or {}
        ).get("subscription"),
        "status": lambda record: record.get("status"),
    }
    EVENTS = False  # recorded here, each under its own name (invoice.finalized, invoice.paid, …)

    def __init__(self, world: World, account: Account) -> None:
        super().__init__(world, account)
        self._numbers: dict[str, int] = {}
        """Per customer: the invoice numbers given so far."""

    def retrieve(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002 - Stripe's name
        """``GET /v1/invoices/{id}``."""
        with self._world.operation():
            checked = validate("invoices.retrieve", params)
            return self._shown(self._render(self._get(id), checked.get("expand", [])))

    def list(self, /, **params: Any) -> dict[str, Any]:
        """``GET /v1/invoices``: newest first; ``customer``, ``subscription``, ``status``, ``created``."""
        with self._world.operation():
            checked = validate("invoices.list", params)
            wanted = {name: checked[name] for name in self.FILTERS if name in checked}
            return self._shown(self._list(checked, wanted))

    def list_lines(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002
        """``GET /v1/invoices/{id}/lines``: the invoice's lines in its own order."""
        with self._world.operation():
            checked = validate("invoices.list_lines", params)
            record = self._get(id)
            request = PageRequest.from_params(checked)
            expand = checked.get("expand", [])
            expander = self._account.expander
            expander.check("list:line_item", expand)
            lines = {line["id"]: line for line in record.fields["lines"]["data"]}
            ids, has_more = page_in_order(list(lines), request, object_name="line_item")
            out = envelope([copy_json(lines[i]) for i in ids], has_more, f"{URL}/{id}/lines")
            expander.expand(out, "list:line_item", expand)
            return self._shown(out)

    # --- the registry's hooks (the lock is held) ---

    def lookup(self, object_id: str) -> dict[str, Any] | None:
        found = super().lookup(object_id)
        return None if found is None else self._shown(found)

    def virtual_fields(self) -> dict[tuple[str, str], Callable[[dict[str, Any]], Any]]:
        return {("invoice", "payments"): invoice_payments}

    # --- for subscriptions (the lock is held) ---

    def _create_draft(
        self,
        *,
        invoice_id: str,
        customer: dict[str, Any],
        subscription: dict[str, Any],
        lines: Lines,
        billing_reason: str,
        period: tuple[int, int],
        now: int,
        by_request: bool,
    ) -> None:
        """A draft invoice of ``subscription`` with one line per ``(item, price, product name,
        quantity, period, trial)``; records ``invoice.created``."""
        ids = self._world.ids
        built = []
        for item, price, product_name, quantity, line_period, trial in lines:
            line = line_object(
                line_id=ids.new("il_", 24),
                invoice_id=invoice_id,
                subscription_id=subscription["id"],
                item=item,
                price=price,
                product_name=product_name,
                quantity=quantity,
                period=line_period,
                trial=trial,
            )
            line["_price"] = copy_json(price)
            built.append(line)
        fields = invoice_object(
            invoice_id=invoice_id,
            created=now,
            customer=customer,
            subscription=subscription,
            lines=built,
            billing_reason=billing_reason,
            period=period,
        )
        fields["_payment_intent"] = fields["_charge"] = None
        record = Record(seq=self._world.next_seq(), fields=fields)
        self._store.add(record)
        self._event("invoice.created", record, now, by_request)

    def _finalize(self, invoice_id: str, *, now: int, by_request: bool) -> None:
        """Draft → ``open``: number, hosted URL, PDF; records ``invoice.finalized``."""
        record = self._store.by_id[invoice_id]
        fields = record.fields
        customer = fields["customer"]
        self._numbers[customer] = number = self._numbers.get(customer, 0) + 1
        prefix = self._account.customers._find(customer, param="customer")["invoice_prefix"]
        url = hosted_invoice_url(self._world.account_id, invoice_id)
        changes = {
            "status": "open",
            "number": f"{prefix}-{number:04d}",
            "hosted_invoice_url": url,
            "invoice_pdf": url.replace("/i/", "/b/", 1) + "/pdf",
            "effective_at": now,
            "ending_balance": 0,
            "automatically_finalizes_at": None,
            "status_transitions": {**fields["status_transitions"], "finalized_at": now},
        }
        self._change(record, changes)
        self._event("invoice.finalized", record, now, by_request)

    def _record_payment(
        self,
        invoice_id: str,
        *,
        intent: str | None,
        charge: str | None,
        outcome: str,
        now: int,
        by_request: bool,
        counts_attempt: bool = True,
    ) -> Events:
        """The ``outcome`` of one payment attempt: ``succeeded`` (``paid``: ``invoice.paid``,
        ``invoice.payment_succeeded``), ``failed`` (still ``open``: ``invoice.payment_failed``)
        or ``processing`` (``open``, no event until the payment settles)."""
        record = self._store.by_id[invoice_id]
        fields = record.fields
        changes: dict[str, Any] = {
            "_payment_intent": intent,
            "_charge": charge,
            "attempted": True,
            "attempt_count": fields["attempt_count"] + (1 if counts_attempt else 0),
        }
        if outcome == "succeeded":
            changes.update(
                {
                    "status": "paid",
                    "amount_paid": fields["amount_due"],
                    "amount_remaining": 0,
                    "auto_advance": False,
                    "status_transitions": {**fields["status_transitions"], "paid_at": now},
                }
            )
            self._change(record, changes)
            return [
                self._event("invoice.paid", record, now, by_request),
                self._event("invoice.payment_succeeded", record, now, by_request),
            ]
        self._change(record, changes)
        if outcome == "processing":
            return []
        return [self._event("invoice.payment_failed", record, now, by_request)]

    def _settle_payment(self, invoice_id: str, *, succeeded: bool, now: int) -> str | None:
        """The delayed payment of an ``open`` invoice settles: its PaymentIntent follows
        (payments' ``_settle``), then the invoice is ``paid`` or its payment failed (the events
        of :meth:`_record_payment`); the intent's id, ``None`` when no payment was pending."""
        fields = self._store.by_id[invoice_id].fields
        intent_id = fields["_payment_intent"]
        intents = self._account.payment_intents
        if fields["status"] != "open" or intent_id is None:
            return None
        if intents._fields(intent_id)["status"] != "processing":
            return None
        intents._settle(intent_id, succeeded=succeeded, now=now)
        self._record_payment(
            invoice_id,
            intent=intent_id,
            charge=intents._fields(intent_id)["latest_charge"],
            outcome="succeeded" if succeeded else "failed",
            now=now,
            by_request=True,
            counts_attempt=False,
        )
        return str(intent_id)

    def _amount_due(self, invoice_id: str) -> tuple[int, str]:
        fields = self._store.by_id[invoice_id].fields
        return int(fields["amount_due"]), str(fields["currency"])

    # --- helpers ---

    def _change(self, record: Record, changes: dict[str, Any]) -> None:
        before = self._store.filter_values(record)
        record.fields.update(changes)
        self._store.reindex(record, before)

    def _event(self, event_type: str, record: Record, now: int, by_request: bool) -> EventRecord:
        # Events keep the hidden keys only for an account whose version needs them.
        obj = shown(record.fields, BASIL) if self._new_events() else record.fields
        return self._world.record_event(
            self._account, event_type, obj, at=now, by_request=by_request
        )

    def _new_events(self) -> bool:
        return versions.date(self._world.api_version) >= BASIL

    def _shown(self, out: dict[str, Any]) -> dict[str, Any]:
        """``out`` (an invoice, a line or a list of either) at the operation's API version."""
        return shown(out, versions.current(self._world.api_version))


versioned.register_object("invoice", invoice_before_basil)
versioned.register_object("line_item", line_before_basil)


RESOURCE = Resource(
    name="invoices",
    object="invoice",
    api=InvoicesAPI,
    routes=(
        Route("GET", URL, lambda ns, ids, p: ns.invoices.list(**p)),
        Route("GET", URL + "/{id}", lambda ns, ids, p: ns.invoices.retrieve(ids[0], **p)),
        Route("GET", URL + "/{id}/lines", lambda ns, ids, p: ns.invoices.list_lines(ids[0], **p)),
    ),
    expandable={
        "invoice": {
            "customer": "customer",
            "default_payment_method": "payment_method",
            "lines": "list:line_item",
            "payments": "list:invoice_payment",
            "latest_revision": "invoice",
            "test_clock": "test_helpers.test_clock",
        },
        "line_item": {"subscription": "subscription"},
        "invoice_payment": {"payment": "invoice_payment.payment"},
        "invoice_payment.payment": {"payment_intent": "payment_intent", "charge": "charge"},
    },
)
