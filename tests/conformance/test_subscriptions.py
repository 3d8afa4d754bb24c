"""Subscriptions and invoices through both SDK styles: what a subscription-mode session leaves
behind it, every endpoint, its errors, and renewals on the fake's clock (fake-only: a session is
completed with the fake's ``complete()``, and time moves with its ``ManualClock``)."""

from __future__ import annotations

from typing import Any

import pytest
import stripe

from fakecheckout import ManualClock
from fakecheckout.core import versions

from ._support import (
    PINNED_API_VERSION,
    SUCCESS_URL,
    Backend,
    ClientStyle,
    SdkStyle,
    assert_stripe_error,
    ids_of,
    plain,
)

pytestmark = pytest.mark.fake_only

START = 1_800_000_000  # 2027-01-15 08:00 UTC
MONTH_LATER = 1_802_678_400  # 2027-02-15 08:00 UTC
DAY = 86_400
BEFORE_BASIL = versions.date(PINNED_API_VERSION) < "2025-03-31"


@pytest.fixture
def fake_clock() -> ManualClock:
    """Overrides conftest's: this module's fake reads this clock."""
    return ManualClock(START)


def subscribe(sdk: SdkStyle, backend: Backend, **session: Any) -> dict[str, Any]:
    """A subscription-mode session created through the SDK and completed by the fake."""
    price = backend.make_price(2000, recurring={"interval": "month"})
    created = sdk.create(
        {
            "mode": "subscription",
            "line_items": [{"price": price, "quantity": 1}],
            "success_url": SUCCESS_URL,
            **session,
        }
    )
    assert backend.fake is not None
    completed: dict[str, Any] = backend.fake.sessions.complete(created["id"])
    return completed


def cancel(sdk: SdkStyle, subscription_id: str) -> Any:
    if isinstance(sdk, ClientStyle):
        return sdk.call(sdk.client.v1.subscriptions, "cancel", subscription_id)
    return sdk.call(stripe.Subscription, "cancel", subscription_id)


def list_lines(sdk: SdkStyle, invoice_id: str, **params: Any) -> Any:
    if isinstance(sdk, ClientStyle):
        return sdk.call(sdk.client.v1.invoices.line_items, "list", invoice_id, params=params)
    return sdk.call(stripe.Invoice, "list_lines", invoice_id, **params)


def period_of(subscription: Any) -> tuple[int, int]:
    """The current period, where the SDK's API version has it."""
    holder = subscription if BEFORE_BASIL else subscription["items"]["data"][0]
    return holder["current_period_start"], holder["current_period_end"]


def test_retrieve_returns_the_subscription_the_session_created(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    completed = subscribe(sdk, stripe_backend)
    subscription = sdk.resource("subscriptions").retrieve(completed["subscription"])
    assert subscription["object"] == "subscription"
    assert (subscription["status"], subscription["customer"]) == ("active", completed["customer"])
    assert subscription["latest_invoice"] == completed["invoice"]
    assert subscription["items"]["data"][0]["price"]["unit_amount"] == 2000


@pytest.mark.versions
def test_the_period_fields_are_where_the_sdks_api_version_has_them(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    subscription = sdk.resource("subscriptions").retrieve(
        subscribe(sdk, stripe_backend)["subscription"]
    )
    assert period_of(subscription) == (START, MONTH_LATER)
    item = plain(subscription["items"]["data"][0])
    assert ("current_period_end" in item) is not BEFORE_BASIL
    assert ("current_period_end" in plain(subscription)) is BEFORE_BASIL


@pytest.mark.versions
def test_the_first_invoice_is_paid_and_names_its_subscription(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    completed = subscribe(sdk, stripe_backend)
    invoice = sdk.resource("invoices").retrieve(completed["invoice"])
    assert (invoice["status"], invoice["amount_paid"]) == ("paid", 2000)
    if BEFORE_BASIL:
        assert invoice["subscription"] == completed["subscription"]
        assert invoice["payment_intent"].startswith("pi_")
    else:
        details = invoice["parent"]["subscription_details"]
        assert details["subscription"] == completed["subscription"]


def test_list_filters_subscriptions_by_customer_and_status(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    kept = subscribe(sdk, stripe_backend)
    ended = subscribe(sdk, stripe_backend)
    cancel(sdk, ended["subscription"])
    subscriptions = sdk.resource("subscriptions")
    assert ids_of(subscriptions.list()["data"]) == [kept["subscription"]]
    assert ids_of(subscriptions.list(customer=ended["customer"], status="all")["data"]) == [
        ended["subscription"]
    ]
    assert ids_of(subscriptions.list(status="canceled")["data"]) == [ended["subscription"]]


def test_update_sets_cancel_at_period_end(sdk: SdkStyle, stripe_backend: Backend) -> None:
    subscription_id = subscribe(sdk, stripe_backend)["subscription"]
    updated = sdk.resource("subscriptions").update(
        subscription_id, cancel_at_period_end=True, metadata={"reason": "moving"}
    )
    assert (updated["cancel_at_period_end"], updated["cancel_at"]) == (True, MONTH_LATER)
    assert plain(updated["metadata"]) == {"reason": "moving"}


def test_cancel_ends_the_subscription(sdk: SdkStyle, stripe_backend: Backend) -> None:
    subscription_id = subscribe(sdk, stripe_backend)["subscription"]
    canceled = cancel(sdk, subscription_id)
    assert (canceled["status"], canceled["ended_at"]) == ("canceled", START)


def test_invoices_list_by_subscription_and_their_lines(
    sdk: SdkStyle, stripe_backend: Backend, fake_clock: ManualClock
) -> None:
    completed = subscribe(sdk, stripe_backend)
    fake_clock.advance(40 * DAY)
    invoices = sdk.resource("invoices").list(subscription=completed["subscription"])["data"]
    assert [invoice["billing_reason"] for invoice in invoices] == [
        "subscription_cycle",
        "subscription_create",
    ]
    lines = list_lines(sdk, invoices[0]["id"])
    assert lines["url"] == f"/v1/invoices/{invoices[0]['id']}/lines"
    assert lines["data"][0]["period"]["start"] == MONTH_LATER


@pytest.mark.doors("requests", "httpx_async")
def test_a_year_jump_renews_twelve_times(
    sdk: SdkStyle, stripe_backend: Backend, fake_clock: ManualClock
) -> None:
    subscription_id = subscribe(sdk, stripe_backend)["subscription"]
    fake_clock.advance(365 * DAY)
    invoices = sdk.resource("invoices").list(subscription=subscription_id, limit=100)["data"]
    assert len(invoices) == 13
    assert {invoice["status"] for invoice in invoices} == {"paid"}


def test_retrieve_of_an_unknown_subscription_is_a_404(sdk: SdkStyle) -> None:
    with pytest.raises(stripe.InvalidRequestError) as raised:
        sdk.resource("subscriptions").retrieve("sub_1NoSuchSubscription000")
    assert_stripe_error(
        raised.value,
        stripe.InvalidRequestError,
        status=404,
        message="No such subscription: 'sub_1NoSuchSubscription000'",
        code="resource_missing",
        param="id",
    )


def test_retrieve_of_an_unknown_invoice_is_a_404(sdk: SdkStyle) -> None:
    with pytest.raises(stripe.InvalidRequestError) as raised:
        sdk.resource("invoices").retrieve("in_1NoSuchInvoice000")
    assert_stripe_error(
        raised.value,
        stripe.InvalidRequestError,
        status=404,
        message="No such invoice: 'in_1NoSuchInvoice000'",
        code="resource_missing",
        param="id",
    )


def test_list_with_an_unknown_status_is_refused(sdk: SdkStyle) -> None:
    with pytest.raises(stripe.InvalidRequestError) as raised:
        sdk.resource("subscriptions").list(status="sleeping")
    error = raised.value
    assert error.http_status == 400
    assert error.param == "status"
    assert error.user_message is not None and error.user_message.startswith("Invalid status")


def test_update_with_a_parameter_the_fake_does_not_model_is_refused(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    subscription_id = subscribe(sdk, stripe_backend)["subscription"]
    with pytest.raises(stripe.InvalidRequestError) as raised:
        sdk.resource("subscriptions").update(subscription_id, pause_collection={"behavior": "void"})
    assert_stripe_error(
        raised.value,
        stripe.InvalidRequestError,
        status=400,
        message="fakecheckout does not emulate the parameter `pause_collection` here yet.",
        param="pause_collection",
    )
