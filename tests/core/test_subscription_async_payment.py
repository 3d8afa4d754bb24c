"""A subscription-mode session completed ``unpaid`` (a delayed first payment): the subscription
waits ``incomplete`` with its first invoice ``open`` and the intent ``processing`` until
``settle_async_payment`` settles it, as Stripe's subscription statuses describe."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fakecheckout import ManualClock
from fakecheckout.core.world import World

from .billing_support import event_types, monthly_price


def _unpaid(world: World) -> dict[str, Any]:
    created = world.sessions.create(
        mode="subscription",
        line_items=[{"price": monthly_price(world), "quantity": 1}],
        success_url="https://example.com/ok",
    )
    return world.sessions.complete(created["id"], payment_status="unpaid")


def _intent_of(world: World, invoice: dict[str, Any]) -> dict[str, Any]:
    payment = invoice["payments"]["data"][0]["payment"]
    return world.payment_intents.retrieve(payment["payment_intent"])


def test_an_unpaid_subscription_waits_incomplete_with_its_invoice_open(world: World) -> None:
    done = _unpaid(world)
    invoice = world.invoices.retrieve(done["invoice"], expand=["payments"])
    assert world.subscriptions.retrieve(done["subscription"])["status"] == "incomplete"
    assert (invoice["status"], invoice["amount_paid"]) == ("open", 0)
    assert _intent_of(world, invoice)["status"] == "processing"


def test_a_settled_first_payment_pays_the_invoice_and_activates_the_subscription(
    world: World,
) -> None:
    done = _unpaid(world)
    world.sessions.settle_async_payment(done["id"], succeeded=True)
    subscription = world.subscriptions.retrieve(done["subscription"])
    invoice = world.invoices.retrieve(done["invoice"], expand=["payments"])
    assert subscription["status"] == "active"
    assert (invoice["status"], invoice["amount_paid"], invoice["amount_remaining"]) == (
        "paid",
        2000,
        0,
    )
    intent = _intent_of(world, invoice)
    assert intent["status"] == "succeeded"
    assert subscription["default_payment_method"] == intent["payment_method"]


def test_a_settled_first_payment_records_the_payment_the_invoice_and_the_subscription(
    world: World,
) -> None:
    done = _unpaid(world)
    before = len(world.events.all())
    world.sessions.settle_async_payment(done["id"], succeeded=True)
    assert event_types(world, before) == [
        "charge.succeeded",
        "payment_intent.succeeded",
        "invoice.paid",
        "invoice.payment_succeeded",
        "customer.subscription.updated",
        "checkout.session.async_payment_succeeded",
    ]
    updated = world.events.all(type="customer.subscription.updated")[0]
    assert updated["data"]["previous_attributes"]["status"] == "incomplete"


def test_a_failed_first_payment_leaves_the_subscription_incomplete(world: World) -> None:
    done = _unpaid(world)
    before = len(world.events.all())
    world.sessions.settle_async_payment(done["id"], succeeded=False)
    assert event_types(world, before) == [
        "charge.failed",
        "payment_intent.payment_failed",
        "invoice.payment_failed",
        "checkout.session.async_payment_failed",
    ]
    assert world.subscriptions.retrieve(done["subscription"])["status"] == "incomplete"
    invoice = world.invoices.retrieve(done["invoice"], expand=["payments"])
    assert invoice["status"] == "open"
    assert _intent_of(world, invoice)["status"] == "requires_payment_method"


def test_an_incomplete_subscription_does_not_renew_while_its_first_payment_waits(
    world: World, clock: ManualClock
) -> None:
    done = _unpaid(world)
    clock.advance(timedelta(days=65))
    world.settle()
    assert world.invoices.list(subscription=done["subscription"])["data"] == [
        world.invoices.retrieve(done["invoice"])
    ]


def test_a_subscription_activated_late_catches_up_on_its_renewals(
    world: World, clock: ManualClock
) -> None:
    done = _unpaid(world)
    clock.advance(timedelta(days=65))
    world.sessions.settle_async_payment(done["id"], succeeded=True)
    world.settle()
    invoices = world.invoices.list(subscription=done["subscription"])["data"]
    assert [invoice["status"] for invoice in invoices] == ["paid", "paid", "paid"]
