"""Completing sessions, async payments and the events every state change records."""

from __future__ import annotations

import threading

import pytest

from fakecheckout import InvalidRequestError, ManualClock
from fakecheckout.core.world import World

from .conftest import START, payment_params


def test_complete_makes_an_open_session_complete_and_paid(world: World) -> None:
    session = world.sessions.create(**payment_params())
    completed = world.sessions.complete(session["id"])
    assert completed["status"] == "complete"
    assert completed["payment_status"] == "paid"
    assert completed["url"] is None
    assert completed["payment_intent"].startswith("pi_")


def test_complete_in_setup_mode_needs_no_payment(world: World) -> None:
    session = world.sessions.create(mode="setup", currency="usd")
    completed = world.sessions.complete(session["id"])
    assert completed["payment_status"] == "no_payment_required"
    assert completed["setup_intent"] == session["setup_intent"]


def test_complete_in_subscription_mode_creates_a_customer_and_a_subscription(world: World) -> None:
    price = world.prices.add(unit_amount=500, currency="usd", recurring={"interval": "month"})
    session = world.sessions.create(
        mode="subscription",
        line_items=[{"price": price["id"], "quantity": 1}],
        customer_email="ada@example.com",
    )
    completed = world.sessions.complete(session["id"], customer_details={"name": "Ada"})
    assert completed["subscription"].startswith("sub_")
    assert completed["customer"].startswith("cus_")
    assert completed["customer_details"]["email"] == "ada@example.com"
    assert completed["customer_details"]["name"] == "Ada"
    assert world.sessions.list(customer=completed["customer"])["data"][0]["id"] == session["id"]


def test_payment_mode_creates_a_customer_only_when_asked(world: World) -> None:
    plain = world.sessions.complete(world.sessions.create(**payment_params())["id"])
    assert plain["customer"] is None
    asked = world.sessions.create(**payment_params(customer_creation="always"))
    assert world.sessions.complete(asked["id"])["customer"].startswith("cus_")


def test_complete_of_an_expired_session_is_refused(world: World) -> None:
    session = world.sessions.create(**payment_params())
    world.sessions.expire(session["id"])
    with pytest.raises(InvalidRequestError) as caught:
        world.sessions.complete(session["id"])
    assert "`expired`" in caught.value.message


def test_expire_of_a_complete_session_is_refused(world: World) -> None:
    session = world.sessions.create(**payment_params())
    world.sessions.complete(session["id"])
    with pytest.raises(InvalidRequestError) as caught:
        world.sessions.expire(session["id"])
    assert caught.value.message.endswith("This Checkout Session has a status of `complete`.")


def test_unpaid_completion_settles_later(world: World) -> None:
    session = world.sessions.create(**payment_params())
    assert (
        world.sessions.complete(session["id"], payment_status="unpaid")["payment_status"]
        == "unpaid"
    )
    assert world.sessions.settle_async_payment(session["id"])["payment_status"] == "paid"
    types = [e["type"] for e in world.events.list(type="checkout.session.*")["data"]]
    assert types == ["checkout.session.async_payment_succeeded", "checkout.session.completed"]


def test_failed_async_payment_stays_unpaid(world: World) -> None:
    session = world.sessions.create(**payment_params())
    world.sessions.complete(session["id"], payment_status="unpaid")
    assert (
        world.sessions.settle_async_payment(session["id"], succeeded=False)["payment_status"]
        == "unpaid"
    )
    assert world.events.list(limit=1)["data"][0]["type"] == "checkout.session.async_payment_failed"
    with pytest.raises(InvalidRequestError):
        world.sessions.settle_async_payment(session["id"])


def test_event_carries_the_session_as_it_was(world: World) -> None:
    session = world.sessions.create(**payment_params())
    world.sessions.expire(session["id"])
    world.sessions.update(session["id"], metadata={"later": "yes"})
    event = world.events.list()["data"][0]
    assert event["object"] == "event"
    assert event["type"] == "checkout.session.expired"
    assert event["data"]["object"]["status"] == "expired"
    assert event["data"]["object"]["metadata"] == {}
    assert event["livemode"] is False
    assert event["api_version"] == "2026-10-28.endive"
    assert event["request"] == {"id": None, "idempotency_key": None}
    assert world.events.retrieve(event["id"]) == event


def test_time_based_expiry_records_one_event_dated_expires_at(
    world: World, clock: ManualClock
) -> None:
    session = world.sessions.create(**payment_params(expires_at=START + 1800))
    clock.advance(5000)
    for _ in range(3):
        world.sessions.retrieve(session["id"])
    events = world.events.list()["data"]
    assert [e["type"] for e in events] == ["checkout.session.expired"]
    assert events[0]["created"] == START + 1800


def test_settle_returns_the_events_it_produced(world: World, clock: ManualClock) -> None:
    world.sessions.create(**payment_params(expires_at=START + 1800))
    clock.advance(1800)
    produced = world.settle()
    assert [e["type"] for e in produced] == ["checkout.session.expired"]
    assert world.settle() == []


def test_concurrent_reads_record_each_expiry_once(world: World, clock: ManualClock) -> None:
    ids = [
        world.sessions.create(**payment_params(expires_at=START + 1800))["id"] for _ in range(20)
    ]
    clock.advance(1800)
    barrier = threading.Barrier(8)

    def read() -> None:
        barrier.wait()
        for session_id in ids:
            world.sessions.retrieve(session_id)

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    events = world.events.list(limit=100)["data"]
    assert sorted(e["data"]["object"]["id"] for e in events) == sorted(ids)


def test_events_filter_by_type_with_a_wildcard(world: World) -> None:
    first = world.sessions.create(**payment_params())
    second = world.sessions.create(**payment_params())
    world.sessions.expire(first["id"])
    world.sessions.complete(second["id"])
    assert len(world.events.list(type="checkout.session.*")["data"]) == 2
    assert [e["type"] for e in world.events.list(type="checkout.session.completed")["data"]] == [
        "checkout.session.completed"
    ]
    assert len(world.events.list(types=["checkout.session.expired", "nothing"])["data"]) == 1


def test_events_paginate_like_sessions(world: World) -> None:
    for _ in range(5):
        world.sessions.expire(world.sessions.create(**payment_params())["id"])
    first = world.events.list(limit=2)
    rest = world.events.list(limit=10, starting_after=first["data"][-1]["id"])
    assert first["has_more"] is True
    assert len(rest["data"]) == 3
    assert rest["has_more"] is False
    assert first["url"] == "/v1/events"


def test_unknown_event_is_a_404(world: World) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        world.events.retrieve("evt_missing")
    assert caught.value.http_status == 404
