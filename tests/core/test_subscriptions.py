"""Subscriptions that Checkout creates: the object, its items, trials, updates, cancelling,
listing, and each API version's period fields (direct API)."""

from __future__ import annotations

import pytest

from fakecheckout import InvalidRequestError, ManualClock
from fakecheckout.core import param_tree, versions
from fakecheckout.core.world import World

from .billing_support import DAY, event_types, monthly_price, subscribe
from .conftest import START

#: Fields Stripe sends only when they apply (includable, or for features not emulated).
SOMETIMES = {
    "subscription": {"billing_schedules", "managed_payments", "presentment_details",
                     "status_details"},
    "subscription_item": {"billed_until", "current_trial", "deleted"},
    "invoice": {"amount_paid_off_stripe", "deleted", "payments", "status_details"},
    "line_item": set(),
}  # fmt: skip


def test_completing_a_subscription_session_records_stripes_events_in_order(world: World) -> None:
    price = monthly_price(world)
    session = world.sessions.create(
        mode="subscription",
        line_items=[{"price": price, "quantity": 1}],
        success_url="https://example.com/ok",
        customer_email="ada@example.com",
    )
    before = len(event_types(world))
    completed = world.sessions.complete(session["id"])
    assert event_types(world, before) == [
        "customer.created",
        "customer.subscription.created",
        "invoice.created",
        "invoice.finalized",
        "payment_intent.created",
        "payment_method.attached",
        "charge.succeeded",
        "payment_intent.succeeded",
        "invoice.paid",
        "invoice.payment_succeeded",
        "checkout.session.completed",
    ]
    objects = [event["data"]["object"] for event in world.events.all()[::-1][before:]]
    assert objects[1]["id"] == completed["subscription"]
    assert [obj["status"] for obj in objects[2:4]] == ["draft", "open"]
    assert objects[-2]["id"] == completed["invoice"]


def test_checkout_creates_an_active_subscription_of_the_sessions_recurring_items(
    world: World,
) -> None:
    price = monthly_price(world, 1500)
    completed = subscribe(world, price, quantity=3)
    subscription = world.subscriptions.retrieve(completed["subscription"])
    assert subscription["object"] == "subscription"
    assert subscription["status"] == "active"
    assert subscription["customer"] == completed["customer"]
    assert subscription["latest_invoice"] == completed["invoice"]
    [item] = subscription["items"]["data"]
    assert item["id"].startswith("si_")
    assert (item["price"]["id"], item["quantity"], item["subscription"]) == (
        price,
        3,
        subscription["id"],
    )
    assert item["plan"]["object"] == "plan"
    assert (
        subscription["items"]["url"] == f"/v1/subscription_items?subscription={subscription['id']}"
    )


def test_the_first_period_is_one_interval_from_the_completion(world: World) -> None:
    subscription = world.subscriptions.retrieve(subscribe(world)["subscription"])
    [item] = subscription["items"]["data"]
    assert item["current_period_start"] == START == subscription["start_date"]
    assert item["current_period_end"] == 1_802_678_400  # 2027-02-15 08:00 UTC, a month on
    assert subscription["billing_cycle_anchor"] == START


def test_the_first_invoice_is_paid_with_a_payment_intent(world: World) -> None:
    completed = subscribe(world, monthly_price(world, 1500), quantity=2)
    invoice = world.invoices.retrieve(completed["invoice"])
    assert invoice["status"] == "paid"
    assert invoice["billing_reason"] == "subscription_create"
    assert (invoice["amount_due"], invoice["amount_paid"], invoice["amount_remaining"]) == (
        3000,
        3000,
        0,
    )
    assert invoice["parent"]["subscription_details"]["subscription"] == completed["subscription"]
    [line] = invoice["lines"]["data"]
    assert line["description"] == "2 × Pro plan (at $15.00 / month)"
    assert line["amount"] == 3000


def test_subscription_data_metadata_and_description_reach_the_subscription(world: World) -> None:
    completed = subscribe(
        world, subscription_data={"metadata": {"plan": "pro"}, "description": "Team plan"}
    )
    subscription = world.subscriptions.retrieve(completed["subscription"])
    assert subscription["metadata"] == {"plan": "pro"}
    assert subscription["description"] == "Team plan"
    invoice = world.invoices.retrieve(completed["invoice"])
    assert invoice["parent"]["subscription_details"]["metadata"] == {"plan": "pro"}


def test_a_trial_subscription_is_trialing_and_its_first_invoice_is_zero_without_payment(
    world: World,
) -> None:
    completed = subscribe(world, subscription_data={"trial_period_days": 14})
    assert completed["payment_status"] == "no_payment_required"
    subscription = world.subscriptions.retrieve(completed["subscription"])
    assert subscription["status"] == "trialing"
    assert (subscription["trial_start"], subscription["trial_end"]) == (START, START + 14 * DAY)
    assert subscription["items"]["data"][0]["current_period_end"] == START + 14 * DAY
    invoice = world.invoices.retrieve(completed["invoice"])
    assert (invoice["status"], invoice["total"], invoice["amount_paid"]) == ("paid", 0, 0)
    assert invoice["lines"]["data"][0]["description"] == "Trial period for Pro plan"
    assert "payment_intent.created" not in event_types(world)


def test_trial_end_ends_the_trial_at_that_time(world: World) -> None:
    completed = subscribe(world, subscription_data={"trial_end": START + 5 * DAY})
    subscription = world.subscriptions.retrieve(completed["subscription"])
    assert (subscription["status"], subscription["trial_end"]) == ("trialing", START + 5 * DAY)


def test_trial_will_end_comes_three_days_before_the_trial_ends(
    world: World, clock: ManualClock
) -> None:
    subscribe(world, subscription_data={"trial_period_days": 7})
    clock.advance(4 * DAY - 1)
    assert world.settle() == []
    clock.advance(1)
    [warning] = world.settle()
    assert warning["type"] == "customer.subscription.trial_will_end"
    assert warning["created"] == START + 4 * DAY


def test_the_trial_ends_active_with_its_first_paid_invoice(
    world: World, clock: ManualClock
) -> None:
    completed = subscribe(world, subscription_data={"trial_period_days": 7})
    clock.advance(7 * DAY)
    types = [event["type"] for event in world.settle()]
    assert types[:4] == [
        "customer.subscription.trial_will_end",
        "customer.subscription.updated",
        "invoice.created",
        "invoice.finalized",
    ]
    assert types[-2:] == ["invoice.paid", "invoice.payment_succeeded"]
    subscription = world.subscriptions.retrieve(completed["subscription"])
    assert subscription["status"] == "active"
    invoice = world.invoices.retrieve(subscription["latest_invoice"])
    assert (invoice["status"], invoice["amount_paid"], invoice["billing_reason"]) == (
        "paid",
        2000,
        "subscription_cycle",
    )
    assert invoice["lines"]["data"][0]["period"] == {
        "start": START + 7 * DAY,
        "end": 1_803_283_200,  # 2027-02-22 08:00 UTC: a month after the trial's end
    }


def test_update_merges_metadata_and_records_customer_subscription_updated(world: World) -> None:
    subscription_id = subscribe(world, subscription_data={"metadata": {"a": "1"}})["subscription"]
    updated = world.subscriptions.update(subscription_id, metadata={"b": "2"})
    assert updated["metadata"] == {"a": "1", "b": "2"}
    event = world.events.list(type="customer.subscription.updated")["data"][0]
    assert event["data"]["previous_attributes"] == {"metadata": {"b": None}}


def test_cancel_at_period_end_sets_cancel_at_to_the_period_end(world: World) -> None:
    subscription_id = subscribe(world)["subscription"]
    updated = world.subscriptions.update(subscription_id, cancel_at_period_end=True)
    assert updated["cancel_at_period_end"] is True
    assert updated["cancel_at"] == updated["items"]["data"][0]["current_period_end"]
    assert updated["canceled_at"] == START
    assert updated["status"] == "active"


def test_cancel_at_period_end_ends_the_subscription_at_that_boundary(
    world: World, clock: ManualClock
) -> None:
    subscription_id = subscribe(world)["subscription"]
    period_end = world.subscriptions.update(subscription_id, cancel_at_period_end=True)["cancel_at"]
    clock.set(period_end + 100 * DAY)
    [deleted] = world.settle()
    assert deleted["type"] == "customer.subscription.deleted"
    assert deleted["created"] == period_end
    subscription = world.subscriptions.retrieve(subscription_id)
    assert (subscription["status"], subscription["ended_at"]) == ("canceled", period_end)
    assert len(world.invoices.list(subscription=subscription_id)["data"]) == 1


def test_cancel_at_period_end_can_be_taken_back_before_the_boundary(
    world: World, clock: ManualClock
) -> None:
    subscription_id = subscribe(world)["subscription"]
    world.subscriptions.update(subscription_id, cancel_at_period_end=True)
    restored = world.subscriptions.update(subscription_id, cancel_at_period_end=False)
    assert (restored["cancel_at"], restored["canceled_at"]) == (None, None)
    clock.advance(40 * DAY)
    assert world.subscriptions.retrieve(subscription_id)["status"] == "active"


def test_cancel_ends_the_subscription_now(world: World, clock: ManualClock) -> None:
    subscription_id = subscribe(world)["subscription"]
    clock.advance(DAY)
    canceled = world.subscriptions.cancel(subscription_id)
    assert (canceled["status"], canceled["canceled_at"], canceled["ended_at"]) == (
        "canceled",
        START + DAY,
        START + DAY,
    )
    assert canceled["cancellation_details"]["reason"] == "cancellation_requested"
    assert event_types(world)[-1] == "customer.subscription.deleted"
    clock.advance(60 * DAY)
    assert world.settle() == []


def test_a_canceled_subscription_cannot_be_canceled_again(world: World) -> None:
    subscription_id = subscribe(world)["subscription"]
    world.subscriptions.cancel(subscription_id)
    with pytest.raises(InvalidRequestError):
        world.subscriptions.cancel(subscription_id)


def test_a_canceled_subscription_only_updates_metadata(world: World) -> None:
    subscription_id = subscribe(world)["subscription"]
    world.subscriptions.cancel(subscription_id)
    assert world.subscriptions.update(subscription_id, metadata={"a": "1"})["metadata"] == {
        "a": "1"
    }
    with pytest.raises(InvalidRequestError, match="A canceled subscription can only update"):
        world.subscriptions.update(subscription_id, cancel_at_period_end=True)


def test_update_changes_an_items_price_and_quantity_from_the_next_renewal(
    world: World, clock: ManualClock
) -> None:
    subscription_id = subscribe(world)["subscription"]
    item = world.subscriptions.retrieve(subscription_id)["items"]["data"][0]
    bigger = monthly_price(world, 5000)
    updated = world.subscriptions.update(
        subscription_id,
        items=[{"id": item["id"], "price": bigger, "quantity": 2}],
        proration_behavior="none",
    )
    assert updated["items"]["data"][0]["price"]["id"] == bigger
    assert updated["items"]["data"][0]["quantity"] == 2
    assert world.invoices.list(subscription=subscription_id)["data"][0]["total"] == 2000
    clock.advance(32 * DAY)
    renewal = world.invoices.list(subscription=subscription_id)["data"][0]
    assert renewal["total"] == 10000


def test_update_refuses_a_price_that_is_not_recurring(world: World) -> None:
    subscription_id = subscribe(world)["subscription"]
    item = world.subscriptions.retrieve(subscription_id)["items"]["data"][0]
    one_time = world.prices.create(currency="usd", unit_amount=100, product_data={"name": "x"})
    with pytest.raises(InvalidRequestError) as raised:
        world.subscriptions.update(
            subscription_id, items=[{"id": item["id"], "price": one_time["id"]}]
        )
    assert raised.value.param == "items[0][price]"


def test_update_refuses_parameters_it_does_not_emulate(world: World) -> None:
    subscription_id = subscribe(world)["subscription"]
    with pytest.raises(
        InvalidRequestError, match="does not emulate the parameter `pause_collection`"
    ):
        world.subscriptions.update(subscription_id, pause_collection={"behavior": "void"})


def test_retrieve_of_an_unknown_subscription_is_a_404(world: World) -> None:
    with pytest.raises(InvalidRequestError) as raised:
        world.subscriptions.retrieve("sub_missing")
    assert raised.value.http_status == 404
    assert raised.value.message == "No such subscription: 'sub_missing'"


def test_list_filters_by_customer_price_and_status(world: World) -> None:
    price = monthly_price(world)
    first = subscribe(world, price)
    second = subscribe(world)
    canceled = subscribe(world, price)
    world.subscriptions.cancel(canceled["subscription"])
    ids = [s["id"] for s in world.subscriptions.list()["data"]]
    assert ids == [second["subscription"], first["subscription"]]
    by_customer = world.subscriptions.list(customer=first["customer"])["data"]
    assert [s["id"] for s in by_customer] == [first["subscription"]]
    by_price = world.subscriptions.list(price=price)["data"]
    assert [s["id"] for s in by_price] == [first["subscription"]]
    assert len(world.subscriptions.list(status="all")["data"]) == 3
    ended = world.subscriptions.list(status="ended")["data"]
    assert [s["id"] for s in ended] == [canceled["subscription"]]
    assert [s["id"] for s in world.subscriptions.list(status="canceled")["data"]] == [
        canceled["subscription"]
    ]


def test_checkout_sessions_list_finds_the_session_of_a_subscription(world: World) -> None:
    completed = subscribe(world)
    found = world.sessions.list(subscription=completed["subscription"])["data"]
    assert [session["id"] for session in found] == [completed["id"]]


def test_a_session_expands_its_subscription_and_invoice(world: World) -> None:
    completed = subscribe(world)
    session = world.sessions.retrieve(completed["id"], expand=["subscription", "invoice"])
    assert session["subscription"]["object"] == "subscription"
    assert session["invoice"]["object"] == "invoice"
    assert session["invoice"]["id"] == completed["invoice"]


# --- API versions -------------------------------------------------------------------------------


def _released_fields(object_name: str, release: int) -> tuple[set[str], set[str]]:
    """The fields release ``release``'s types have, and those it no longer has (removed)."""
    masks = param_tree.index()["shapes"][object_name]
    has = {name for name, mask in masks.items() if mask >> release & 1}
    removed = {name for name, mask in masks.items() if mask and mask.bit_length() - 1 < release}
    return has, removed


@pytest.mark.parametrize("release", range(len(versions.RELEASES)))
def test_each_api_version_shows_the_fields_of_its_release(clock: ManualClock, release: int) -> None:
    version = versions.RELEASES[release][1]
    world = World(clock=clock, seed=1)
    world.api_version = version
    completed = subscribe(world)
    subscription = world.subscriptions.retrieve(completed["subscription"])
    invoice = world.invoices.retrieve(completed["invoice"])
    shown = {
        "subscription": subscription,
        "subscription_item": subscription["items"]["data"][0],
        "invoice": invoice,
        "line_item": invoice["lines"]["data"][0],
    }
    for object_name, obj in shown.items():
        has, removed = _released_fields(object_name, release)
        assert has - SOMETIMES[object_name] <= set(obj), object_name
        assert not removed & set(obj), object_name


@pytest.mark.parametrize(
    ("version", "on_subscription"),
    [("2025-02-24.acacia", True), ("2025-03-31.basil", False), (versions.LATEST, False)],
)
def test_the_period_fields_move_from_the_subscription_to_its_items_at_basil(
    clock: ManualClock, version: str, on_subscription: bool
) -> None:
    world = World(clock=clock, seed=1)
    world.api_version = version
    subscription = world.subscriptions.retrieve(subscribe(world)["subscription"])
    item = subscription["items"]["data"][0]
    holder, other = (subscription, item) if on_subscription else (item, subscription)
    assert (holder["current_period_start"], holder["current_period_end"]) == (
        START,
        1_802_678_400,
    )
    assert "current_period_start" not in other
    assert "current_period_end" not in other


def test_before_basil_an_invoice_names_its_subscription_and_payment_intent(
    clock: ManualClock,
) -> None:
    world = World(clock=clock, seed=1)
    world.api_version = "2025-02-24.acacia"
    completed = subscribe(world)
    invoice = world.invoices.retrieve(completed["invoice"])
    assert invoice["subscription"] == completed["subscription"]
    assert invoice["paid"] is True
    assert invoice["payment_intent"].startswith("pi_")
    assert invoice["charge"].startswith("ch_")
    assert "parent" not in invoice
    line = invoice["lines"]["data"][0]
    assert line["price"]["id"] == line["plan"]["id"]
    assert line["type"] == "subscription"
    event = world.events.list(type="invoice.paid")["data"][0]
    assert event["data"]["object"]["payment_intent"] == invoice["payment_intent"]


def test_a_pre_basil_renewal_event_names_the_old_period_in_previous_attributes(
    clock: ManualClock,
) -> None:
    world = World(clock=clock, seed=1)
    world.api_version = "2024-06-20"
    subscribe(world)
    clock.advance(32 * DAY)
    updated = world.events.list(type="customer.subscription.updated")["data"][0]
    previous = updated["data"]["previous_attributes"]
    assert (previous["current_period_start"], previous["current_period_end"]) == (
        START,
        1_802_678_400,
    )
    assert updated["data"]["object"]["current_period_start"] == 1_802_678_400
