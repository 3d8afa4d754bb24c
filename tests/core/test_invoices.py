"""Invoices a subscription bills: the object, finalization, lines and the list endpoints."""

from __future__ import annotations

import pytest

from fakecheckout import InvalidRequestError, ManualClock
from fakecheckout.core.world import World

from .billing_support import DAY, monthly_price, subscribe
from .conftest import START

#: Every field of an invoice as Stripe sends it by default (stripe/openapi fixtures3.json).
INVOICE_FIELDS = {
    "id", "object", "account_country", "account_name", "account_tax_ids", "amount_due",
    "amount_overpaid", "amount_paid", "amount_remaining", "amount_shipping", "application",
    "attempt_count", "attempted", "auto_advance", "automatic_tax", "automatically_finalizes_at",
    "billing_reason", "collection_method", "confirmation_secret", "created", "currency",
    "custom_fields", "customer", "customer_account", "customer_address", "customer_email",
    "customer_name", "customer_phone", "customer_shipping", "customer_tax_exempt",
    "customer_tax_ids", "default_payment_method", "default_source", "default_tax_rates",
    "description", "discounts", "due_date", "effective_at", "ending_balance", "footer",
    "from_invoice", "hosted_invoice_url", "invoice_pdf", "issuer", "last_finalization_error",
    "latest_revision", "lines", "livemode", "metadata", "next_payment_attempt", "number",
    "on_behalf_of", "parent", "payment_settings", "period_end", "period_start",
    "post_payment_credit_notes_amount", "pre_payment_credit_notes_amount", "receipt_number",
    "rendering", "shipping_cost", "shipping_details", "starting_balance",
    "statement_descriptor", "status", "status_transitions", "subtotal",
    "subtotal_excluding_tax", "test_clock", "threshold_reason", "total",
    "total_discount_amounts", "total_excluding_tax", "total_pretax_credit_amounts",
    "total_taxes", "webhooks_delivered_at",
}  # fmt: skip


def test_an_invoice_has_every_field_and_no_hidden_one(world: World) -> None:
    invoice = world.invoices.retrieve(subscribe(world)["invoice"])
    assert set(invoice) == INVOICE_FIELDS
    assert not any(name.startswith("_") for name in invoice["lines"]["data"][0])


def test_a_finalized_invoice_has_a_number_and_hosted_urls(world: World) -> None:
    completed = subscribe(world)
    invoice = world.invoices.retrieve(completed["invoice"])
    customer = world.customers.retrieve(completed["customer"])
    assert invoice["number"] == f"{customer['invoice_prefix']}-0001"
    assert invoice["hosted_invoice_url"].startswith("https://invoice.stripe.com/i/")
    assert invoice["invoice_pdf"].endswith("/pdf")
    transitions = invoice["status_transitions"]
    assert (transitions["finalized_at"], transitions["paid_at"]) == (START, START)
    assert invoice["automatically_finalizes_at"] is None


def test_invoice_events_show_the_invoice_as_it_was_then(world: World) -> None:
    invoice_id = subscribe(world)["invoice"]
    by_type = {event["type"]: event["data"]["object"] for event in world.events.all()}
    assert by_type["invoice.created"]["status"] == "draft"
    assert by_type["invoice.created"]["number"] is None
    assert by_type["invoice.finalized"]["status"] == "open"
    assert by_type["invoice.paid"]["status"] == "paid"
    assert by_type["invoice.payment_succeeded"]["id"] == invoice_id
    assert not any(name.startswith("_") for name in by_type["invoice.paid"])


def test_one_time_items_of_the_session_are_billed_on_the_first_invoice_only(
    world: World, clock: ManualClock
) -> None:
    setup_fee = world.prices.create(currency="usd", unit_amount=500, product_data={"name": "Setup"})
    session = world.sessions.create(
        mode="subscription",
        line_items=[
            {"price": monthly_price(world, 2000), "quantity": 1},
            {"price": setup_fee["id"], "quantity": 1},
        ],
        success_url="https://example.com/ok",
    )
    completed = world.sessions.complete(session["id"])
    first = world.invoices.retrieve(completed["invoice"])
    assert first["total"] == 2500
    assert [line["amount"] for line in first["lines"]["data"]] == [2000, 500]
    subscription = world.subscriptions.retrieve(completed["subscription"])
    assert len(subscription["items"]["data"]) == 1
    clock.advance(32 * DAY)
    assert world.invoices.list(subscription=completed["subscription"])["data"][0]["total"] == 2000


def test_list_lines_pages_through_an_invoices_lines(world: World) -> None:
    prices = [monthly_price(world, 100 * (n + 1)) for n in range(3)]
    session = world.sessions.create(
        mode="subscription",
        line_items=[{"price": price, "quantity": 1} for price in prices],
        success_url="https://example.com/ok",
    )
    invoice_id = world.sessions.complete(session["id"])["invoice"]
    page = world.invoices.list_lines(invoice_id, limit=2)
    assert page["url"] == f"/v1/invoices/{invoice_id}/lines"
    assert (len(page["data"]), page["has_more"]) == (2, True)
    rest = world.invoices.list_lines(invoice_id, starting_after=page["data"][-1]["id"])
    assert [line["amount"] for line in page["data"] + rest["data"]] == [100, 200, 300]
    assert rest["has_more"] is False


def test_list_filters_by_customer_subscription_and_status(world: World, clock: ManualClock) -> None:
    first = subscribe(world)
    second = subscribe(world)
    world.subscriptions.fail_renewals(second["subscription"])
    clock.advance(32 * DAY)
    assert len(world.invoices.list(customer=first["customer"])["data"]) == 2
    assert len(world.invoices.list(subscription=second["subscription"])["data"]) == 2
    [open_invoice] = world.invoices.list(status="open")["data"]
    assert open_invoice["parent"]["subscription_details"]["subscription"] == second["subscription"]
    assert len(world.invoices.list(status="paid")["data"]) == 3


def test_retrieve_of_an_unknown_invoice_is_a_404(world: World) -> None:
    with pytest.raises(InvalidRequestError) as raised:
        world.invoices.retrieve("in_missing")
    assert (raised.value.http_status, raised.value.message) == (
        404,
        "No such invoice: 'in_missing'",
    )


def test_list_lines_of_an_unknown_invoice_is_a_404(world: World) -> None:
    with pytest.raises(InvalidRequestError, match="No such invoice: 'in_missing'"):
        world.invoices.list_lines("in_missing")


def test_an_invoice_expands_its_customer(world: World) -> None:
    completed = subscribe(world)
    invoice = world.invoices.retrieve(completed["invoice"], expand=["customer"])
    assert invoice["customer"]["id"] == completed["customer"]


def test_payments_is_included_on_request_and_names_the_payment_intent(world: World) -> None:
    invoice_id = subscribe(world)["invoice"]
    assert "payments" not in world.invoices.retrieve(invoice_id)
    invoice = world.invoices.retrieve(invoice_id, expand=["payments"])
    [payment] = invoice["payments"]["data"]
    assert payment["object"] == "invoice_payment"
    assert payment["payment"]["type"] == "payment_intent"
    assert payment["payment"]["payment_intent"].startswith("pi_")
    assert (payment["status"], payment["amount_paid"]) == ("paid", invoice["amount_paid"])


def test_a_trial_invoice_has_no_payments(world: World) -> None:
    invoice_id = subscribe(world, subscription_data={"trial_period_days": 3})["invoice"]
    assert world.invoices.retrieve(invoice_id, expand=["payments"])["payments"]["data"] == []
