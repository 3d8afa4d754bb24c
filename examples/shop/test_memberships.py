"""The monthly membership: a subscription Checkout, and the webhooks that grant, keep and revoke
it, against the fake's subscriptions, renewals on its clock, failed renewals and cancellations.

Tests that move time mark themselves with their own ``ManualClock(START)``; the membership's
webhooks reach it through the ``membership_webhooks`` fixture.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from fakecheckout import FakeCheckout, ManualClock

from .conftest import START, Held
from .memberships import AlreadyMember, Membership, Memberships

DAY = 24 * 3600


def utc(year: int, month: int, day: int) -> int:
    """Unix seconds of that day at 08:00 UTC, the hour the tests' clocks start at."""
    return int(datetime(year, month, day, 8, tzinfo=timezone.utc).timestamp())


def days_pass(fake: FakeCheckout, days: int) -> None:
    """Move the fake's manual clock on by ``days``; the renewals due by then happen, in order."""
    assert isinstance(fake.clock, ManualClock), "mark the test with a ManualClock"
    fake.clock.advance(days * DAY)
    fake.settle()


def join(
    fake: FakeCheckout, memberships: Memberships, email: str = "ada@example.com"
) -> Membership:
    """Subscribe ``email`` and pay the Checkout Session, as the customer would."""
    membership_id, _ = memberships.subscribe(email)
    fake.sessions.complete(memberships.memberships[membership_id].session_id)
    return memberships.memberships[membership_id]


def test_subscribing_opens_a_subscription_checkout_for_the_membership_price(
    fake_checkout: FakeCheckout, memberships: Memberships
) -> None:
    membership_id, url = memberships.subscribe("ada@example.com")

    session = fake_checkout.sessions.retrieve(memberships.memberships[membership_id].session_id)
    assert (session["mode"], session["url"], session["status"]) == ("subscription", url, "open")
    assert session["amount_total"] == 900
    customer = fake_checkout.customers.retrieve(session["customer"])
    assert customer["email"] == "ada@example.com"
    fake_checkout.requests.assert_sent(
        "POST",
        "/v1/checkout/sessions",
        line_items=[{"price": memberships.price_id(), "quantity": 1}],
        subscription_data={"metadata": {"membership_id": membership_id}},
    )


def test_an_open_checkout_grants_nothing_yet(memberships: Memberships) -> None:
    membership_id, _ = memberships.subscribe("ada@example.com")

    membership = memberships.memberships[membership_id]
    assert (membership.status, membership.has_access) == ("pending", False)


def test_paying_the_checkout_grants_the_membership(
    fake_checkout: FakeCheckout, memberships: Memberships, membership_webhooks: list[str]
) -> None:
    membership = join(fake_checkout, memberships)

    session = fake_checkout.sessions.retrieve(membership.session_id)
    assert membership.subscription_id == session["subscription"]
    assert (membership.status, membership.has_access) == ("active", True)
    assert membership_webhooks == [
        "customer.subscription.created",
        "invoice.paid",
    ]  # the endpoint hears nothing else


@pytest.mark.fake_checkout(clock=ManualClock(START))
def test_the_first_invoice_pays_for_the_first_month(
    fake_checkout: FakeCheckout, memberships: Memberships, membership_webhooks: list[str]
) -> None:
    membership = join(fake_checkout, memberships)

    [period] = membership.paid_periods.values()
    assert (period.start, period.end, period.amount_paid) == (START, utc(2027, 2, 15), 900)
    session = fake_checkout.sessions.retrieve(membership.session_id)
    assert period.invoice_id == session["invoice"]


@pytest.mark.fake_checkout(clock=ManualClock(START))
def test_a_membership_renews_once_a_month_across_a_clock_jump(
    fake_checkout: FakeCheckout,
    memberships: Memberships,
    membership_webhooks: list[str],
) -> None:
    membership = join(fake_checkout, memberships)

    days_pass(fake_checkout, 120)  # January 15 to May 15: four renewals

    periods = sorted((p.start, p.end) for p in membership.paid_periods.values())
    months = [utc(2027, month, 15) for month in range(1, 7)]
    assert periods == list(zip(months, months[1:], strict=False))  # one per month, no gap
    assert all(p.amount_paid == 900 for p in membership.paid_periods.values())
    assert membership.has_access


@pytest.mark.fake_checkout(clock=ManualClock(START))
def test_cancelling_keeps_the_membership_until_the_paid_month_ends(
    fake_checkout: FakeCheckout,
    memberships: Memberships,
    membership_webhooks: list[str],
) -> None:
    membership = join(fake_checkout, memberships)

    memberships.cancel(membership.id)
    days_pass(fake_checkout, 30)  # February 14: still inside the paid month

    assert (membership.status, membership.cancel_at_period_end) == ("active", True)
    assert membership.has_access


@pytest.mark.fake_checkout(clock=ManualClock(START))
def test_a_cancelled_membership_is_revoked_when_the_paid_month_ends(
    fake_checkout: FakeCheckout,
    memberships: Memberships,
    membership_webhooks: list[str],
) -> None:
    membership = join(fake_checkout, memberships)
    memberships.cancel(membership.id)

    days_pass(fake_checkout, 31)  # past February 15

    assert (membership.status, membership.has_access) == ("canceled", False)
    assert len(membership.paid_periods) == 1  # the month after was never billed
    assert membership_webhooks[-1] == "customer.subscription.deleted"


def test_cancelling_now_revokes_the_membership_at_once(
    fake_checkout: FakeCheckout, memberships: Memberships, membership_webhooks: list[str]
) -> None:
    membership = join(fake_checkout, memberships)

    memberships.cancel(membership.id, at_period_end=False)

    assert (membership.status, membership.has_access) == ("canceled", False)
    assert membership.subscription_id is not None
    subscription = fake_checkout.subscriptions.retrieve(membership.subscription_id)
    assert subscription["status"] == "canceled"


@pytest.mark.fake_checkout(clock=ManualClock(START))
def test_a_failed_renewal_makes_the_membership_past_due_without_access(
    fake_checkout: FakeCheckout,
    memberships: Memberships,
    membership_webhooks: list[str],
) -> None:
    membership = join(fake_checkout, memberships)
    assert membership.subscription_id is not None
    fake_checkout.subscriptions.fail_renewals(membership.subscription_id)

    days_pass(fake_checkout, 31)

    assert (membership.status, membership.has_access) == ("past_due", False)
    assert len(membership.paid_periods) == 1  # February's invoice is open, not paid


@pytest.mark.fake_checkout(clock=ManualClock(START))
def test_the_next_paid_renewal_restores_a_past_due_membership(
    fake_checkout: FakeCheckout,
    memberships: Memberships,
    membership_webhooks: list[str],
) -> None:
    membership = join(fake_checkout, memberships)
    assert membership.subscription_id is not None
    fake_checkout.subscriptions.fail_renewals(membership.subscription_id)

    days_pass(fake_checkout, 59)  # past February 15 (failed) and March 15 (paid)

    assert (membership.status, membership.has_access) == ("active", True)
    starts = sorted(p.start for p in membership.paid_periods.values())
    assert starts == [START, utc(2027, 3, 15)]  # February was never paid


def test_a_late_subscription_event_does_not_undo_the_cancellation(
    fake_checkout: FakeCheckout,
    memberships: Memberships,
    held: Held,
) -> None:
    membership = join(fake_checkout, memberships)
    session = fake_checkout.sessions.retrieve(membership.session_id)
    fake_checkout.subscriptions.cancel(session["subscription"])
    [created], [deleted] = (
        held["customer.subscription.created"],
        held["customer.subscription.deleted"],
    )

    assert memberships.handle_webhook(*deleted) == 200
    assert memberships.handle_webhook(*created) == 200  # delivered last, out of order

    assert (membership.status, membership.has_access) == ("canceled", False)


@pytest.mark.fake_checkout(clock=ManualClock(START))
def test_a_late_renewal_event_does_not_hide_the_failed_payment(
    fake_checkout: FakeCheckout, memberships: Memberships, held: Held
) -> None:
    membership = join(fake_checkout, memberships)
    for delivery in held["customer.subscription.created"]:
        memberships.handle_webhook(*delivery)
    assert membership.subscription_id is not None
    fake_checkout.subscriptions.fail_renewals(membership.subscription_id)
    days_pass(fake_checkout, 31)
    renewed, failed = held["customer.subscription.updated"]  # new period; then past_due

    assert memberships.handle_webhook(*failed) == 200
    assert memberships.handle_webhook(*renewed) == 200  # delivered last: it said "active"

    assert (membership.status, membership.has_access) == ("past_due", False)


def test_the_same_event_twice_is_handled_once(
    fake_checkout: FakeCheckout,
    memberships: Memberships,
    held: Held,
) -> None:
    membership = join(fake_checkout, memberships)
    [paid] = held["invoice.paid"]

    assert memberships.handle_webhook(*paid) == 200
    assert memberships.handle_webhook(*paid) == 200

    assert len(memberships.handled_events) == 1
    assert len(membership.paid_periods) == 1


def test_a_delivery_with_a_bad_signature_is_refused(
    fake_checkout: FakeCheckout,
    memberships: Memberships,
    held: Held,
) -> None:
    membership = join(fake_checkout, memberships)
    [(payload, signature)] = held["customer.subscription.created"]

    assert memberships.handle_webhook(payload, "t=1,v1=" + "0" * 64) == 400
    assert membership.status == "pending"
    assert memberships.handle_webhook(payload, signature) == 200  # the genuine one is accepted
    assert membership.status == "active"


def test_a_member_cannot_subscribe_twice(
    fake_checkout: FakeCheckout, memberships: Memberships, membership_webhooks: list[str]
) -> None:
    join(fake_checkout, memberships)

    with pytest.raises(AlreadyMember):
        memberships.subscribe("ada@example.com")


def test_a_former_member_can_subscribe_again(
    fake_checkout: FakeCheckout, memberships: Memberships, membership_webhooks: list[str]
) -> None:
    first = join(fake_checkout, memberships)
    memberships.cancel(first.id, at_period_end=False)

    second = join(fake_checkout, memberships)

    assert (first.status, second.status) == ("canceled", "active")
    assert memberships.of("ada@example.com") is second
    assert second.subscription_id != first.subscription_id
