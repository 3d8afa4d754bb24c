"""Time-based expiry: a session whose ``expires_at`` has come is ``expired``."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from freezegun import freeze_time

from fakecheckout import ManualClock
from fakecheckout.core.world import World

from .conftest import START, payment_params


def test_session_is_open_until_expires_at(world: World, clock: ManualClock) -> None:
    session = world.sessions.create(**payment_params(expires_at=START + 1800))
    clock.advance(1799)
    assert world.sessions.retrieve(session["id"])["status"] == "open"


def test_session_is_expired_once_expires_at_has_come(world: World, clock: ManualClock) -> None:
    session = world.sessions.create(**payment_params(expires_at=START + 1800))
    clock.advance(1800)
    expired = world.sessions.retrieve(session["id"])
    assert expired["status"] == "expired"
    assert expired["url"] is None


def test_expiry_is_final_when_the_clock_moves_back(world: World, clock: ManualClock) -> None:
    session = world.sessions.create(**payment_params(expires_at=START + 1800))
    clock.advance(timedelta(hours=1))
    world.sessions.retrieve(session["id"])
    clock.set(START)
    assert world.sessions.retrieve(session["id"])["status"] == "expired"


def test_advancing_the_clock_alone_changes_nothing_until_an_operation(
    world: World, clock: ManualClock
) -> None:
    session = world.sessions.create(**payment_params(expires_at=START + 1800))
    clock.advance(3600)
    clock.set(START)  # back before expires_at: no operation ran while it was due
    assert world.sessions.retrieve(session["id"])["status"] == "open"


def test_settle_expires_due_sessions_without_a_request(world: World, clock: ManualClock) -> None:
    session = world.sessions.create(**payment_params(expires_at=START + 1800))
    clock.advance(1800)
    world.settle()
    clock.set(START)
    assert world.sessions.retrieve(session["id"])["status"] == "expired"


def test_expired_sessions_match_the_status_filter(world: World, clock: ManualClock) -> None:
    soon = world.sessions.create(**payment_params(expires_at=START + 1800))
    later = world.sessions.create(**payment_params())
    clock.advance(1800)
    assert [s["id"] for s in world.sessions.list(status="expired")["data"]] == [soon["id"]]
    assert [s["id"] for s in world.sessions.list(status="open")["data"]] == [later["id"]]


def test_system_clock_follows_freezegun() -> None:
    with freeze_time("2027-01-15 12:00:00") as frozen:
        world = World()
        session = world.sessions.create(**payment_params())
        assert session["created"] == int(datetime(2027, 1, 15, 12, tzinfo=timezone.utc).timestamp())
        frozen.tick(timedelta(hours=24))
        assert world.sessions.retrieve(session["id"])["status"] == "expired"


def test_system_clock_follows_time_machine() -> None:
    time_machine = pytest.importorskip("time_machine")
    with time_machine.travel(datetime(2027, 1, 15, tzinfo=timezone.utc), tick=False) as traveller:
        world = World()
        session = world.sessions.create(**payment_params())
        traveller.shift(timedelta(hours=23, minutes=59))
        assert world.sessions.retrieve(session["id"])["status"] == "open"
        traveller.shift(timedelta(minutes=1))
        assert world.sessions.retrieve(session["id"])["status"] == "expired"


def test_manual_clock_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError):
        ManualClock(datetime(2027, 1, 1))


def test_manual_clock_takes_aware_datetimes_and_timedeltas() -> None:
    clock = ManualClock(datetime(2027, 1, 1, tzinfo=timezone.utc))
    clock.advance(timedelta(minutes=1))
    assert clock.now() == int(datetime(2027, 1, 1, 0, 1, tzinfo=timezone.utc).timestamp())


def test_manual_clock_advance_refuses_other_types() -> None:
    with pytest.raises(TypeError):
        ManualClock(0).advance("1")  # type: ignore[arg-type]
