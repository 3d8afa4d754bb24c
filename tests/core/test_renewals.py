"""Renewals on the fake's clock: billing periods, one renewal per period after any jump, failed
renewal payments (``fail_renewals``), and the calendar arithmetic of ``core.periods``."""

from __future__ import annotations

import datetime
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fakecheckout import InvalidRequestError, ManualClock
from fakecheckout.core import periods
from fakecheckout.core.world import World

from .billing_support import DAY, event_types, monthly_price, subscribe
from .conftest import START

YEAR = 365 * DAY


def _at(*when: int) -> int:
    return int(datetime.datetime(*when, tzinfo=datetime.timezone.utc).timestamp())


def _invoices(world: World, subscription_id: str) -> list[dict[str, object]]:
    """The subscription's invoices, oldest first."""
    return world.invoices.all(subscription=subscription_id)[::-1]


# --- core.periods -------------------------------------------------------------------------------


def test_a_month_after_january_31_is_the_last_day_of_february() -> None:
    anchor = _at(2027, 1, 31, 12)
    assert periods.boundary(anchor, "month", 1, 1) == _at(2027, 2, 28, 12)


def test_month_end_anchoring_returns_to_the_31st_after_a_short_month() -> None:
    anchor = _at(2028, 1, 31, 12)
    ends = [periods.boundary(anchor, "month", 1, k) for k in range(1, 4)]
    assert ends == [_at(2028, 2, 29, 12), _at(2028, 3, 31, 12), _at(2028, 4, 30, 12)]


def test_a_year_after_february_29_is_february_28() -> None:
    assert periods.boundary(_at(2028, 2, 29), "year", 1, 1) == _at(2029, 2, 28)
    assert periods.boundary(_at(2028, 2, 29), "year", 1, 4) == _at(2032, 2, 29)


@pytest.mark.parametrize(
    ("interval", "count", "end"),
    [
        ("day", 3, _at(2027, 1, 4)),
        ("week", 2, _at(2027, 1, 15)),
        ("month", 3, _at(2027, 4, 1)),
        ("year", 2, _at(2029, 1, 1)),
    ],
)
def test_each_interval_times_its_count(interval: str, count: int, end: int) -> None:
    assert periods.period(_at(2027, 1, 1), interval, count, 0) == (_at(2027, 1, 1), end)


@given(
    anchor=st.integers(0, 4_000_000_000),
    interval=st.sampled_from(periods.INTERVALS),
    count=st.integers(1, 12),
    index=st.integers(0, 60),
)
def test_periods_follow_each_other_without_gap_or_overlap(
    anchor: int, interval: str, count: int, index: int
) -> None:
    start, end = periods.period(anchor, interval, count, index)
    assert start < end
    assert periods.period(anchor, interval, count, index + 1)[0] == end


# --- renewals -----------------------------------------------------------------------------------


def test_a_subscription_renews_twelve_times_across_a_one_year_jump(
    world: World, clock: ManualClock
) -> None:
    subscription_id = subscribe(world)["subscription"]
    clock.advance(YEAR)
    world.settle()
    invoices = _invoices(world, subscription_id)
    assert len(invoices) == 13
    assert [i["billing_reason"] for i in invoices] == ["subscription_create"] + [
        "subscription_cycle"
    ] * 12
    assert all(i["status"] == "paid" and i["amount_paid"] == 2000 for i in invoices)
    assert event_types(world).count("invoice.paid") == 13


def test_each_renewal_has_its_own_timestamps(world: World, clock: ManualClock) -> None:
    subscription_id = subscribe(world)["subscription"]
    clock.advance(100 * DAY)
    world.settle()
    created = [i["created"] for i in _invoices(world, subscription_id)]
    assert created == [START, _at(2027, 2, 15, 8), _at(2027, 3, 15, 8), _at(2027, 4, 15, 8)]
    events = world.events.all(type="customer.subscription.updated")[::-1]
    assert [event["created"] for event in events] == created[1:]


def test_a_renewal_moves_the_period_and_records_stripes_events_in_order(
    world: World, clock: ManualClock
) -> None:
    subscription_id = subscribe(world)["subscription"]
    before = len(event_types(world))
    clock.set(_at(2027, 2, 15, 8))
    world.settle()
    renewal = event_types(world, before)
    assert renewal[0] == "customer.subscription.updated"
    assert renewal[1:3] == ["invoice.created", "invoice.finalized"]
    assert renewal[-2:] == ["invoice.paid", "invoice.payment_succeeded"]
    assert "payment_intent.succeeded" in renewal
    item = world.subscriptions.retrieve(subscription_id)["items"]["data"][0]
    assert (item["current_period_start"], item["current_period_end"]) == (
        _at(2027, 2, 15, 8),
        _at(2027, 3, 15, 8),
    )


def test_the_renewal_bills_the_new_period_in_advance(world: World, clock: ManualClock) -> None:
    subscription_id = subscribe(world)["subscription"]
    clock.set(_at(2027, 2, 15, 8))
    renewal = _invoices(world, subscription_id)[-1]
    assert renewal["lines"]["data"][0]["period"] == {  # type: ignore[index]
        "start": _at(2027, 2, 15, 8),
        "end": _at(2027, 3, 15, 8),
    }
    assert (renewal["period_start"], renewal["period_end"]) == (START, _at(2027, 2, 15, 8))


def test_nothing_renews_before_the_period_ends(world: World, clock: ManualClock) -> None:
    subscription_id = subscribe(world)["subscription"]
    clock.set(_at(2027, 2, 15, 8) - 1)
    assert world.settle() == []
    assert len(_invoices(world, subscription_id)) == 1


def test_a_renewal_happens_on_the_next_operation_without_settle(
    world: World, clock: ManualClock
) -> None:
    subscription_id = subscribe(world)["subscription"]
    clock.advance(40 * DAY)
    assert len(world.invoices.list(subscription=subscription_id)["data"]) == 2


def test_renewal_invoices_number_on_from_the_first(world: World, clock: ManualClock) -> None:
    subscription_id = subscribe(world)["subscription"]
    clock.advance(70 * DAY)
    numbers = [str(i["number"]) for i in _invoices(world, subscription_id)]
    assert [n.rsplit("-", 1)[1] for n in numbers] == ["0001", "0002", "0003"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    jumps=st.lists(st.integers(0, 200 * DAY), min_size=1, max_size=6),
    interval=st.sampled_from(periods.INTERVALS),
    count=st.integers(1, 3),
)
def test_invoices_cover_consecutive_periods_each_paid_once(
    jumps: list[int], interval: str, count: int
) -> None:
    clock = ManualClock(START)
    world = World(clock=clock, seed=1)
    price = monthly_price(world, interval=interval, interval_count=count)
    subscription_id = subscribe(world, price)["subscription"]
    for jump in jumps:
        clock.advance(jump)
        world.settle()
    invoices = _invoices(world, subscription_id)
    covered = [(i["lines"]["data"][0]["period"]) for i in invoices]  # type: ignore[index]
    assert covered[0]["start"] == START
    for earlier, later in itertools.pairwise(covered):
        assert later["start"] == earlier["end"]
    assert covered[-1]["start"] <= clock.now() < covered[-1]["end"]
    assert all(i["status"] == "paid" for i in invoices)
    paid = world.events.all(type="invoice.paid")
    assert sorted(event["data"]["object"]["id"] for event in paid) == sorted(
        str(i["id"]) for i in invoices
    )


# --- failed renewals ----------------------------------------------------------------------------


def test_fail_renewals_leaves_the_invoice_open_and_the_subscription_past_due(
    world: World, clock: ManualClock
) -> None:
    subscription_id = subscribe(world)["subscription"]
    world.subscriptions.fail_renewals(subscription_id)
    before = len(event_types(world))
    clock.set(_at(2027, 2, 15, 8))
    world.settle()
    renewal = event_types(world, before)
    assert renewal[:3] == ["customer.subscription.updated", "invoice.created", "invoice.finalized"]
    assert "payment_intent.payment_failed" in renewal
    assert renewal[-2:] == ["invoice.payment_failed", "customer.subscription.updated"]
    invoice = _invoices(world, subscription_id)[-1]
    assert (invoice["status"], invoice["attempted"], invoice["attempt_count"]) == ("open", True, 1)
    assert (invoice["amount_paid"], invoice["amount_remaining"]) == (0, 2000)
    subscription = world.subscriptions.retrieve(subscription_id)
    assert subscription["status"] == "past_due"
    updated = world.events.list(type="customer.subscription.updated")["data"][0]
    assert updated["data"]["previous_attributes"] == {"status": "active"}


def test_fail_renewals_fails_only_the_next_times_renewals(world: World, clock: ManualClock) -> None:
    subscription_id = subscribe(world)["subscription"]
    world.subscriptions.fail_renewals(subscription_id, times=2)
    clock.advance(100 * DAY)
    statuses = [i["status"] for i in _invoices(world, subscription_id)]
    assert statuses == ["paid", "open", "open", "paid"]
    assert world.subscriptions.retrieve(subscription_id)["status"] == "active"


def test_fail_renewals_of_an_unknown_subscription_is_stripes_404(world: World) -> None:
    with pytest.raises(InvalidRequestError, match="No such subscription: 'sub_nope'"):
        world.subscriptions.fail_renewals("sub_nope")


@pytest.mark.parametrize("times", [0, -1, 1.5, True, None])
def test_fail_renewals_takes_a_positive_count(world: World, times: object) -> None:
    subscription_id = subscribe(world)["subscription"]
    with pytest.raises(InvalidRequestError) as raised:
        world.subscriptions.fail_renewals(subscription_id, times=times)  # type: ignore[arg-type]
    assert raised.value.param == "times"


def test_a_snapshot_restores_a_pending_renewal(world: World, clock: ManualClock) -> None:
    subscription_id = subscribe(world)["subscription"]
    snapshot = world.snapshot()
    clock.advance(40 * DAY)
    assert len(_invoices(world, subscription_id)) == 2
    clock.set(START)
    world.restore(snapshot)
    clock.advance(40 * DAY)
    assert len(_invoices(world, subscription_id)) == 2
