"""Subscriptions (``/v1/subscriptions``): the ``subscription`` object with its
``subscription_item`` items, as a Checkout Session in ``subscription`` mode creates it; retrieve,
list, update (``metadata``, ``description``, ``cancel_at_period_end``, items' ``price`` and
``quantity``) and cancel; renewals on the fake's clock.

When the clock passes ``current_period_end`` the next operation (or ``fake.settle()``) renews the
subscription one period at a time, each renewal with its own timestamps: the period moves, the
next invoice is created, finalized and paid (``fake.subscriptions.fail_renewals`` makes the next
payments fail: the invoice stays ``open`` and the subscription becomes ``past_due``). A trial
ends at ``trial_end`` (``customer.subscription.trial_will_end`` three days before), and
``cancel_at_period_end`` ends the subscription at that boundary. A session completed ``unpaid``
leaves it ``incomplete`` (its first invoice ``open``) until ``settle_async_payment`` pays the
invoice and makes it ``active``, or fails the payment and leaves it ``incomplete``.

Not emulated: creating subscriptions through ``POST /v1/subscriptions``, proration, payment
retries (Smart Retries), pausing, schedules, usage-based prices, discounts and tax on renewals.
https://docs.stripe.com/api/subscriptions
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from fakecheckout.core import errors, periods, versioned, versions
from fakecheckout.core.jsondata import copy_json
from fakecheckout.core.objects import ObjectAPI, merge_metadata, previous_attributes
from fakecheckout.core.params import validate
from fakecheckout.core.resource import Resource, Route
from fakecheckout.core.store import Record

from .invoices import BASIL, Events, Lines, plan_object

if TYPE_CHECKING:
    from fakecheckout.core.events import EventRecord
    from fakecheckout.core.world import Account, World

URL = "/v1/subscriptions"

FIRST_PAYMENT = "Subscription creation"
"""The description of the PaymentIntent of a subscription's first invoice (renewals': ``Subscription
update``), as Stripe describes them."""

TRIAL_WILL_END_BEFORE = 3 * 86_400
"""``customer.subscription.trial_will_end`` comes three days before ``trial_end``
(docs.stripe.com/api/events/types#event_types-customer.subscription.trial_will_end)."""

#: Statuses that ``list`` leaves out unless ``status`` asks for them ("By default, returns
#: subscriptions that have not been canceled"), and what ``status=ended`` selects.
ENDED = ("canceled", "incomplete_expired")

#: Update parameters whose effect is modelled; the others are refused as not emulated.
UPDATABLE = (
    "cancel_at_period_end",
    "cancellation_details",
    "description",
    "expand",
    "items",
    "metadata",
    "proration_behavior",
)


def subscription_object(
    *,
    subscription_id: str,
    created: int,
    customer: str,
    currency: str,
    items: list[dict[str, Any]],
    status: str,
    trial: tuple[int, int] | None,
    billing_cycle_anchor: int,
    metadata: dict[str, str],
    description: str | None,
) -> dict[str, Any]:
    """A ``subscription`` with every field Stripe sends by default (API 2026-10-28.endive)."""
    return {
        "id": subscription_id,
        "object": "subscription",
        "application": None,
        "application_fee_percent": None,
        "automatic_tax": {"disabled_reason": None, "enabled": False, "liability": None},
        "billing_cycle_anchor": billing_cycle_anchor,
        "billing_cycle_anchor_config": None,
        "billing_mode": {"flexible": None, "type": "classic"},
        "billing_thresholds": None,
        "cancel_at": None,
        "cancel_at_period_end": False,
        "canceled_at": None,
        "cancellation_details": {"comment": None, "feedback": None, "reason": None},
        "collection_method": "charge_automatically",
        "created": created,
        "currency": currency,
        "customer": customer,
        "customer_account": None,
        "days_until_due": None,
        "default_payment_method": None,
        "default_source": None,
        "default_tax_rates": [],
        "description": description,
        "discounts": [],
        "ended_at": None,
        "invoice_settings": {"account_tax_ids": None, "issuer": {"type": "self"}},
        "items": {
            "object": "list",
            "data": items,
            "has_more": False,
            "total_count": len(items),
            "url": f"/v1/subscription_items?subscription={subscription_id}",
        },
        "latest_invoice": None,
        "livemode": False,
        "metadata": metadata,
        "next_pending_invoice_item_invoice": None,
        "on_behalf_of": None,
        "pause_collection": None,
        "payment_settings": {
            "payment_method_options": None,
            "payment_method_types": None,
            "save_default_payment_method": "off",
        },
        "pending_invoice_item_interval": None,
        "pending_setup_intent": None,
        "pending_update": None,
        "schedule": None,
        "start_date": created,
        "status": status,
        "test_clock": None,
        "transfer_data": None,
        "trial_end": None if trial is None else trial[1],
        "trial_settings": {"end_behavior": {"missing_payment_method": "create_invoice"}},
        "trial_start": None if trial is None else trial[0],
    }


def item_object(
    *,
    item_id: str,
    subscription_id: str,
    created: int,
    price: dict[str, Any],
    quantity: int,
    period: tuple[int, int],
    metadata: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A ``subscription_item`` (its billing period on it from basil on)."""
    return {
        "id": item_id,
        "object": "subscription_item",
        "billing_thresholds": None,
        "created": created,
        "current_period_end": period[1],
        "current_period_start": period[0],
        "discounts": [],
        "metadata": dict(metadata or {}),
        "plan": plan_object(price),
        "price": copy_json(price),
        "quantity": quantity,
        "subscription": subscription_id,
        "tax_rates": [],
    }


# --- the version boundary (docs.stripe.com/changelog/basil/2025-03-31/deprecate-subscription-
# current-period-start-and-end): the period moved from the subscription to each item ----------

PERIOD_FIELDS = ("current_period_end", "current_period_start")


def item_before_basil(obj: dict[str, Any], version: str) -> dict[str, Any]:
    """A ``subscription_item`` as a version before basil shows it: no billing period."""
    if versions.date(version) >= BASIL:
        return obj
    return {name: value for name, value in obj.items() if name not in PERIOD_FIELDS}


def subscription_before_basil(obj: dict[str, Any], version: str) -> dict[str, Any]:
    """A ``subscription`` as a version before basil shows it: ``current_period_start``/``end``
    on the subscription (all its items share one period), ``discount``, items without periods."""
    if versions.date(version) >= BASIL:
        return obj
    out = dict(obj)
    items = obj.get("items")
    if isinstance(items, dict) and isinstance(items.get("data"), list):
        data = items["data"]
        first = data[0] if data else {}
        for name in PERIOD_FIELDS:
            out[name] = first.get(name) if isinstance(first, dict) else None
        out["items"] = {**items, "data": [item_before_basil(item, version) for item in data]}
    out["discount"] = None
    return versioned.stripe_field_order(out)


versioned.register_object("subscription", subscription_before_basil)
versioned.register_object("subscription_item", item_before_basil)


class SubscriptionsAPI(ObjectAPI):
    """The subscriptions of one account: ``fake.subscriptions`` and ``/v1/subscriptions``."""

    OBJECT = "subscription"
    URL = URL
    FILTERS = {
        "customer": lambda record: record.get("customer"),
        "status": lambda record: record.get("status"),
    }
    EVENTS = False  # customer.subscription.* events are recorded here

    def __init__(self, world: World, account: Account) -> None:
        super().__init__(world, account)
        self._billing: dict[str, dict[str, Any]] = {}
        """Per subscription: its interval, cycle anchor, period index, trial, pending renewal
        failures and the time its timer is due (plain data, for snapshots)."""

    # --- Stripe's endpoints ---

    def retrieve(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002 - Stripe's name
        """``GET /v1/subscriptions/{id}``."""
        with self._world.operation():
            checked = validate("subscriptions.retrieve", params)
            return self._shown(self._render(self._get(id), checked.get("expand", [])))

    def list(self, /, **params: Any) -> dict[str, Any]:
        """``GET /v1/subscriptions``: newest first; ``customer``, ``price``, ``status`` (``all``,
        ``ended``; by default every subscription not ended), ``created``."""
        with self._world.operation():
            checked = validate("subscriptions.list", params)
            for name in ("automatic_tax", "current_period_end", "current_period_start"):
                if name in checked:
                    raise errors.not_emulated_parameter(name)
            if "test_clock" in checked:
                raise errors.no_such_object(
                    "test_helpers.test_clock", checked["test_clock"], param="test_clock", status=400
                )
            wanted: dict[str, str] = {}
            if "customer" in checked:
                wanted["customer"] = checked["customer"]
            status = checked.get("status")
            if status not in (None, "all", "ended"):
                wanted["status"] = status
            price = checked.get("price", checked.get("plan"))
            collection = checked.get("collection_method")

            def matches(record: Record) -> bool:
                current = record.get("status")
                if status is None and current in ENDED:
                    return False
                if status == "ended" and current not in ENDED:
                    return False
                if collection is not None and record.get("collection_method") != collection:
                    return False
                if price is not None:
                    items = record.fields["items"]["data"]
                    return any(item["price"]["id"] == price for item in items)
                return True

            return self._shown(self._list(checked, wanted, matches=matches))

    def update(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002
        """``POST /v1/subscriptions/{id}``: ``metadata`` merges; ``cancel_at_period_end``;
        ``items`` change price and quantity from the next renewal on (no proration)."""
        with self._world.operation() as now:
            checked = validate("subscriptions.update", params)
            for name in checked:
                if name not in UPDATABLE:
                    raise errors.not_emulated_parameter(name)
            record = self._live(id)
            expand = checked.pop("expand", [])
            fields = record.fields
            if fields["status"] in ENDED and set(checked) - {"metadata", "cancellation_details"}:
                raise errors.canceled_subscription_update()
            changes = self._changes(record, checked, now=now)
            self._account.expander.check(self.OBJECT, expand)
            self._update(record, changes, now=now, by_request=True)
            return self._shown(self._render(record, expand))

    def cancel(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002
        """``DELETE /v1/subscriptions/{id}``: ``canceled`` now, no final invoice, no proration;
        records ``customer.subscription.deleted``."""
        with self._world.operation() as now:
            checked = validate("subscriptions.cancel", params)
            record = self._live(id)
            expand = checked.get("expand", [])
            if record.fields["status"] in ENDED:
                raise errors.subscription_already_canceled(record.id)
            if checked.get("invoice_now"):
                raise errors.not_emulated_parameter("invoice_now")
            self._account.expander.check(self.OBJECT, expand)
            details = dict(record.fields["cancellation_details"])
            for name, value in (checked.get("cancellation_details") or {}).items():
                details[name] = value or None
            details["reason"] = "cancellation_requested"
            self._end(
                record,
                {"canceled_at": now, "cancellation_details": details},
                at=now,
                by_request=True,
            )
            return self._shown(self._render(record, expand))

    def fail_renewals(self, subscription_id: str, /, *, times: int = 1) -> None:
        """Make the next ``times`` renewal payments of ``subscription_id`` fail: each renewal's
        invoice stays ``open`` after its attempt (``invoice.payment_failed``, with the intent's
        ``payment_intent.payment_failed``) and the subscription becomes ``past_due``.
        Not a Stripe API endpoint (Stripe's test cards decline at the next renewal instead)."""
        given: object = times  # checked at run time too: callers may not be type-checked
        if not isinstance(given, int) or isinstance(given, bool):
            raise errors.invalid_integer("times", given)
        if given < 1:
            raise errors.value_too_small("times", 1)
        with self._world.operation():
            record = self._live(subscription_id)
            self._billing[record.id]["fail"] += times

    # --- the registry's hooks (the lock is held) ---

    def lookup(self, object_id: str) -> dict[str, Any] | None:
        found = super().lookup(object_id)
        return None if found is None else self._shown(found)

    def on_due(self, object_id: str, at: int) -> Events | None:
        """A subscription's next boundary has come: the trial's warning, its end, a renewal, or
        the end of a subscription that cancels at period end; one period at a time."""
        state = self._billing.get(object_id)
        record = self._store.by_id.get(object_id)
        if state is None or record is None or state["due"] != at:
            return None  # a timer left behind by a change
        state["due"] = None
        fields = record.fields
        if fields["status"] in ENDED:
            return None
        if fields["status"] == "incomplete":
            return None  # no renewal before the first payment; settling it sets the timer again
        mark = len(self._account.event_store.by_id)
        if state["trial_end"] is not None and not state["warned"] and at < state["trial_end"]:
            state["warned"] = True
            self._event("customer.subscription.trial_will_end", record, at, by_request=False)
        elif fields["cancel_at_period_end"]:
            self._end(record, {}, at=at, by_request=False)
        else:
            self._renew(record, state, at)
        if fields["status"] not in ENDED:
            self._schedule(record.id)
        recorded = self._account.event_store.by_id  # in recording order
        newest_first = itertools.islice(reversed(recorded.values()), len(recorded) - mark)
        return list(newest_first)[::-1]

    # --- for Checkout (the lock is held) ---

    def _create_for_checkout(
        self,
        *,
        customer: str,
        line_items: Sequence[dict[str, Any]],
        subscription_data: dict[str, Any],
        paid: bool,
        now: int,
    ) -> dict[str, Any]:
        """The subscription a completed ``subscription``-mode session creates (its items from the
        session's recurring line items, one-time items on the first invoice only) and its first
        invoice, paid; returns the session fields (``subscription``, ``invoice``, and
        ``payment_status`` ``no_payment_required`` when a trial leaves nothing to pay)."""
        ids = self._world.ids
        subscription_id = ids.new("sub_", 24)
        recurring = [item for item in line_items if item["price"]["type"] == "recurring"]
        interval = recurring[0]["price"]["recurring"]
        trial_end = _trial_end(subscription_data, now)
        first = (
            (now, trial_end)
            if trial_end is not None
            else periods.period(now, interval["interval"], interval["interval_count"], 0)
        )
        items = [
            item_object(
                item_id=ids.new("si_", 14),
                subscription_id=subscription_id,
                created=now,
                price=item["price"],
                quantity=item["quantity"],
                period=first,
            )
            for item in recurring
        ]
        fields = subscription_object(
            subscription_id=subscription_id,
            created=now,
            customer=customer,
            currency=recurring[0]["currency"],
            items=items,
            status=_first_status(line_items, trial=trial_end is not None, paid=paid),
            trial=None if trial_end is None else (now, trial_end),
            billing_cycle_anchor=first[1] if trial_end is not None else now,
            metadata=dict(subscription_data.get("metadata") or {}),
            description=subscription_data.get("description"),
        )
        invoice_id = ids.new("in_", 24)
        fields["latest_invoice"] = invoice_id
        record = Record(seq=self._world.next_seq(), fields=fields)
        self._store.add(record)
        self._billing[subscription_id] = {
            "interval": interval["interval"],
            "interval_count": interval["interval_count"],
            "anchor": now if trial_end is None else trial_end,
            "index": 0 if trial_end is None else -1,
            "trial_end": trial_end,
            "warned": trial_end is None or trial_end - TRIAL_WILL_END_BEFORE <= now,
            "fail": 0,
            "due": None,
        }
        self._event("customer.subscription.created", record, now, by_request=True)
        lines: Lines = [
            (
                sub_item,
                sub_item["price"],
                self._product_name(sub_item["price"]),
                sub_item["quantity"],
                first,
                trial_end is not None,
            )
            for sub_item in items
        ]
        lines += [
            (None, item["price"], item["description"], item["quantity"], first, False)
            for item in line_items
            if item["price"]["type"] != "recurring"
        ]
        billed = self._bill(
            record,
            invoice_id=invoice_id,
            lines=lines,
            billing_reason="subscription_create",
            period=(now, now),
            now=now,
            by_request=True,
            outcome="succeeded" if paid else "processing",
            first=True,
        )

        self._schedule(subscription_id)
        result: dict[str, Any] = {"subscription": subscription_id, "invoice": invoice_id}
        if not billed:
            result["payment_status"] = "no_payment_required"
        return result

    def _settle_first_payment(
        self, subscription_id: str, invoice_id: str, *, succeeded: bool, now: int
    ) -> None:
        """The delayed payment of the first invoice ``invoice_id`` of an ``incomplete``
        subscription (a session completed ``unpaid``) settles: the invoice is paid and the
        subscription ``active`` (``customer.subscription.updated``), or the payment failed
        (``invoice.payment_failed``) and it stays ``incomplete``."""
        record = self._store.by_id[subscription_id]
        intent_id = self._account.invoices._settle_payment(invoice_id, succeeded=succeeded, now=now)
        if intent_id is not None and succeeded and record.fields["status"] == "incomplete":
            method = self._account.payment_intents._fields(intent_id)["payment_method"]
            changes = {"status": "active", "default_payment_method": method}
            self._update(record, changes, now=now, by_request=True)
            self._schedule(record.id)

    # --- helpers (the lock is held) ---

    def _bill(
        self,
        record: Record,
        *,
        invoice_id: str,
        lines: Lines,
        billing_reason: str,
        period: tuple[int, int],
        now: int,
        by_request: bool,
        outcome: str,
        first: bool = False,
    ) -> bool:
        """Create, finalize and pay (or fail to pay) one invoice of ``record``; whether it had
        anything to pay. The payment is the only call into payments (``_charge``)."""
        fields = record.fields
        invoices = self._account.invoices
        customer = self._account.customers._find(fields["customer"], param="customer")
        invoices._create_draft(
            invoice_id=invoice_id,
            customer=customer,
            subscription=fields,
            lines=lines,
            billing_reason=billing_reason,
            period=period,
            now=now,
            by_request=by_request,
        )
        invoices._finalize(invoice_id, now=now, by_request=by_request)
        amount, currency = invoices._amount_due(invoice_id)
        if amount == 0:
            invoices._record_payment(
                invoice_id,
                intent=None,
                charge=None,
                outcome="succeeded",
                now=now,
                by_request=by_request,
                counts_attempt=False,
            )
            return False
        intent, charge, payment_method = self._charge(
            amount=amount,
            currency=currency,
            customer=fields["customer"],
            now=now,
            outcome=outcome,
            description=FIRST_PAYMENT if first else "Subscription update",
        )
        succeeded = outcome == "succeeded"
        if payment_method is not None and fields["default_payment_method"] is None and succeeded:
            fields["default_payment_method"] = payment_method
        invoices._record_payment(
            invoice_id,
            intent=intent,
            charge=charge,
            outcome=outcome,
            now=now,
            by_request=by_request,
            counts_attempt=not first,
        )
        return True

    def _charge(
        self, *, amount: int, currency: str, customer: str, now: int, outcome: str, description: str
    ) -> tuple[str, str | None, str | None]:
        """One payment of an invoice through payments' ``_create_for_payment``: the intent, its
        charge and its payment method."""
        intents = self._account.payment_intents
        intent_id: str = intents._create_for_payment(
            amount=amount,
            currency=currency,
            customer=customer,
            now=now,
            outcome=outcome,
            description=description,
            # A renewal charges the card the first payment attached (no payment_method.attached).
            attach=description == FIRST_PAYMENT,
        )
        intent = intents.lookup(intent_id) or {}
        charge = intent.get("latest_charge")
        method = intent.get("payment_method")
        return (
            intent_id,
            charge if isinstance(charge, str) else None,
            method if isinstance(method, str) else None,
        )

    def _renew(self, record: Record, state: dict[str, Any], at: int) -> None:
        """The period ends at ``at``: the next one starts, and its invoice is billed."""
        fields = record.fields
        old_period = (fields["items"]["data"][0]["current_period_start"], at)
        if state["index"] < 0:  # the trial ends
            state["index"] = 0
        else:
            state["index"] += 1
        new_period = periods.period(
            state["anchor"], state["interval"], state["interval_count"], state["index"]
        )
        invoice_id = self._world.ids.new("in_", 24)
        items = copy_json(fields["items"])
        for item in items["data"]:
            item["current_period_start"], item["current_period_end"] = new_period
        changes: dict[str, Any] = {"items": items, "latest_invoice": invoice_id}
        if fields["status"] == "trialing":
            changes["status"] = "active"
        self._update(record, changes, now=at, by_request=False)
        lines: Lines = [
            (
                item,
                item["price"],
                self._product_name(item["price"]),
                item["quantity"],
                new_period,
                False,
            )
            for item in fields["items"]["data"]
        ]
        fail = state["fail"] > 0
        if fail:
            state["fail"] -= 1
        self._bill(
            record,
            invoice_id=invoice_id,
            lines=lines,
            billing_reason="subscription_cycle",
            period=old_period,
            now=at,
            by_request=False,
            outcome="failed" if fail else "succeeded",
        )
        if fail and fields["status"] != "past_due":
            self._update(record, {"status": "past_due"}, now=at, by_request=False)
        elif not fail and fields["status"] == "past_due":
            self._update(record, {"status": "active"}, now=at, by_request=False)

    def _end(self, record: Record, changes: dict[str, Any], *, at: int, by_request: bool) -> None:
        """The subscription ends at ``at``: ``canceled``, ``customer.subscription.deleted``."""
        before = self._store.filter_values(record)
        record.fields.update({**changes, "status": "canceled", "ended_at": at})
        if record.fields["canceled_at"] is None:
            record.fields["canceled_at"] = at
        self._store.reindex(record, before)
        self._billing[record.id]["due"] = None
        self._event("customer.subscription.deleted", record, at, by_request=by_request)

    def _schedule(self, subscription_id: str) -> None:
        """Set the subscription's one timer: the trial's warning, else its period's end."""
        state = self._billing[subscription_id]
        fields = self._store.by_id[subscription_id].fields
        due = fields["items"]["data"][0]["current_period_end"]
        if state["trial_end"] is not None and not state["warned"]:
            due = state["trial_end"] - TRIAL_WILL_END_BEFORE
        state["due"] = due
        self._world.schedule(self._account, RESOURCE.name, subscription_id, due)

    def _changes(self, record: Record, checked: dict[str, Any], *, now: int) -> dict[str, Any]:
        """What update parameters change, checked before anything changes."""
        fields = record.fields
        changes: dict[str, Any] = {}
        if "metadata" in checked:
            changes["metadata"] = merge_metadata(
                fields["metadata"], checked["metadata"], param="metadata"
            )
        if "description" in checked:
            changes["description"] = checked["description"] or None
        if "cancellation_details" in checked:
            details = dict(fields["cancellation_details"])
            for name, value in checked["cancellation_details"].items():
                details[name] = value or None
            changes["cancellation_details"] = details
        if "cancel_at_period_end" in checked:
            cancels = bool(checked["cancel_at_period_end"])
            period_end = fields["items"]["data"][0]["current_period_end"]
            details = dict(changes.get("cancellation_details", fields["cancellation_details"]))
            details["reason"] = "cancellation_requested" if cancels else None
            changes.update(
                {
                    "cancel_at_period_end": cancels,
                    "cancel_at": period_end if cancels else None,
                    "canceled_at": now if cancels else None,
                    "cancellation_details": details,
                }
            )
        if "items" in checked:
            changes["items"] = self._items(record, checked["items"], now=now)
        return changes

    def _items(
        self, record: Record, given: Sequence[dict[str, Any]], *, now: int
    ) -> dict[str, Any]:
        fields = record.fields
        items = copy_json(fields["items"])
        by_id = {item["id"]: item for item in items["data"]}
        period = (
            items["data"][0]["current_period_start"],
            items["data"][0]["current_period_end"],
        )
        removed: set[str] = set()
        for index, entry in enumerate(given):
            prefix = f"items[{index}]"
            for name in entry:
                if name not in ("id", "price", "quantity", "deleted", "metadata"):
                    raise errors.not_emulated_parameter(f"{prefix}[{name}]")
            price = None
            if "price" in entry:
                price = copy_json(
                    self._account.prices._find(entry["price"], param=f"{prefix}[price]")
                )
                if price["type"] != "recurring":
                    raise errors.subscription_price_not_recurring(f"{prefix}[price]")
                if price["currency"] != fields["currency"]:
                    raise errors.subscription_currency_mismatch(
                        f"{prefix}[price]", fields["currency"]
                    )
            if "id" in entry:
                item = by_id.get(entry["id"])
                if item is None:
                    raise errors.no_such_object(
                        "subscription_item", entry["id"], param=f"{prefix}[id]", status=400
                    )
                if entry.get("deleted"):
                    removed.add(item["id"])
                    continue
                if price is not None:
                    item["price"], item["plan"] = price, plan_object(price)
            else:
                if price is None:
                    raise errors.missing_parameter(f"{prefix}[price]")
                item = item_object(
                    item_id=self._world.ids.new("si_", 14),
                    subscription_id=record.id,
                    created=now,
                    price=price,
                    quantity=1,
                    period=period,
                )
                items["data"].append(item)
            if "quantity" in entry:
                item["quantity"] = entry["quantity"]
            if "metadata" in entry:
                item["metadata"] = merge_metadata(
                    item["metadata"], entry["metadata"], param=f"{prefix}[metadata]"
                )
        items["data"] = [item for item in items["data"] if item["id"] not in removed]
        if not items["data"]:
            raise errors.subscription_needs_items()
        items["total_count"] = len(items["data"])
        result: dict[str, Any] = items
        return result

    def _update(
        self, record: Record, changes: dict[str, Any], *, now: int, by_request: bool
    ) -> None:
        """Apply ``changes``; ``customer.subscription.updated`` with ``previous_attributes``
        (the period fields where the account's version has them) when something changed."""
        fields = record.fields
        before = {name: copy_json(fields.get(name)) for name in changes}
        previous = previous_attributes(before, changes)
        if not previous:
            return
        if "items" in previous:
            previous["items"] = before["items"]
            if versions.date(self._world.api_version) < BASIL:
                old = before["items"]["data"][0]
                new = changes["items"]["data"][0]
                for name in PERIOD_FIELDS:
                    if old.get(name) != new.get(name):
                        previous[name] = old.get(name)
                previous["items"] = subscription_before_basil(
                    {"items": before["items"]}, self._world.api_version
                )["items"]
        filters = self._store.filter_values(record)
        fields.update(changes)
        self._store.reindex(record, filters)
        self._event(
            "customer.subscription.updated", record, now, by_request=by_request, previous=previous
        )

    def _event(
        self,
        event_type: str,
        record: Record,
        now: int,
        *,
        by_request: bool,
        previous: dict[str, Any] | None = None,
    ) -> EventRecord:
        return self._world.record_event(
            self._account,
            event_type,
            record.fields,
            at=now,
            previous_attributes=previous,
            by_request=by_request,
        )

    def _product_name(self, price: dict[str, Any]) -> str:
        name: str = self._account.products._name_of(price["product"])
        return name

    def _shown(self, out: dict[str, Any]) -> dict[str, Any]:
        return versioned.downgrade(out, versions.current(self._world.api_version))


def _first_status(line_items: Sequence[dict[str, Any]], *, trial: bool, paid: bool) -> str:
    """A new subscription's status: ``trialing``; ``active`` once its first invoice is paid;
    ``incomplete`` while a delayed payment of it has not settled."""
    due_now = sum(
        int(item["price"]["unit_amount"] or 0) * item["quantity"]
        for item in line_items
        if not (trial and item["price"]["type"] == "recurring")
    )
    if not paid and due_now > 0:
        return "incomplete"
    return "trialing" if trial else "active"


def _trial_end(subscription_data: dict[str, Any], now: int) -> int | None:
    """When a trial that ``subscription_data`` asks for ends (``None``: no trial)."""
    if subscription_data.get("trial_end") is not None:
        return int(subscription_data["trial_end"])
    days = subscription_data.get("trial_period_days")
    if days:
        return now + int(days) * 86_400
    return None


RESOURCE = Resource(
    name="subscriptions",
    object="subscription",
    api=SubscriptionsAPI,
    routes=(
        Route("GET", URL, lambda ns, ids, p: ns.subscriptions.list(**p)),
        Route("GET", URL + "/{id}", lambda ns, ids, p: ns.subscriptions.retrieve(ids[0], **p)),
        Route("POST", URL + "/{id}", lambda ns, ids, p: ns.subscriptions.update(ids[0], **p)),
        Route("DELETE", URL + "/{id}", lambda ns, ids, p: ns.subscriptions.cancel(ids[0], **p)),
    ),
    expandable={
        "subscription": {
            "customer": "customer",
            "default_payment_method": "payment_method",
            "latest_invoice": "invoice",
            "pending_setup_intent": "setup_intent",
            "schedule": "subscription_schedule",
            "test_clock": "test_helpers.test_clock",
            "items": "list:subscription_item",
        },
        "subscription_item": {"price": "price"},
    },
)
