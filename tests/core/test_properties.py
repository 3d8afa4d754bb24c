"""Invariants of pagination and expiry, for any sequence of operations (hypothesis)."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from fakecheckout import InvalidRequestError, ManualClock
from fakecheckout.core.world import World

from .conftest import START, payment_params

steps = st.lists(st.sampled_from([0, 0, 0, 1, 7]), min_size=0, max_size=40)


def populate(gaps: list[int]) -> tuple[World, list[str]]:
    clock = ManualClock(START)
    world = World(clock=clock, seed=0)
    ids = []
    for gap in gaps:
        clock.advance(gap)
        ids.append(world.sessions.create(**payment_params())["id"])
    return world, ids


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(gaps=steps, limit=st.integers(1, 12))
def test_walking_forward_yields_every_session_once_newest_first(
    gaps: list[int], limit: int
) -> None:
    world, ids = populate(gaps)
    seen: list[str] = []
    params: dict[str, Any] = {"limit": limit}
    while True:
        page = world.sessions.list(**params)
        seen.extend(s["id"] for s in page["data"])
        assert page["has_more"] == (len(seen) < len(ids))
        if not page["has_more"]:
            break
        params["starting_after"] = page["data"][-1]["id"]
    assert seen == ids[::-1]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(gaps=steps.filter(bool), limit=st.integers(1, 12))
def test_walking_back_yields_the_reverse(gaps: list[int], limit: int) -> None:
    world, ids = populate(gaps)
    seen: list[str] = []
    cursor = ids[0]  # the oldest: walk back towards the newest
    while True:
        page = world.sessions.list(limit=limit, ending_before=cursor)
        seen.extend(s["id"] for s in reversed(page["data"]))
        assert page["has_more"] == (len(seen) < len(ids) - 1)
        if not page["has_more"]:
            break
        cursor = page["data"][0]["id"]
    assert seen == ids[1:]


class ExpiryMachine(RuleBasedStateMachine):
    """A session is expired iff expired by hand, or an operation ran at or past its expires_at."""

    @initialize()
    def start(self) -> None:
        self.clock = ManualClock(START)
        self.world = World(clock=self.clock, seed=0)
        self.expires: dict[str, int] = {}
        self.expired: set[str] = set()

    def operation_ran(self) -> None:
        now = self.clock.now()
        self.expired |= {sid for sid, at in self.expires.items() if at <= now}

    @rule(lifetime=st.integers(1800, 86400))
    def create(self, lifetime: int) -> None:
        self.operation_ran()
        session = self.world.sessions.create(
            **payment_params(expires_at=self.clock.now() + lifetime)
        )
        self.expires[session["id"]] = session["expires_at"]

    @rule(seconds=st.integers(-90_000, 90_000))
    def move_clock(self, seconds: int) -> None:
        self.clock.advance(seconds)

    @precondition(lambda self: self.expires)
    @rule(data=st.data())
    def expire_by_hand(self, data: st.DataObject) -> None:
        session_id = data.draw(st.sampled_from(sorted(self.expires)))
        self.operation_ran()
        if session_id in self.expired:
            try:
                self.world.sessions.expire(session_id)
            except InvalidRequestError:
                return
            raise AssertionError("expiring an expired session must fail")
        self.world.sessions.expire(session_id)
        self.expired.add(session_id)

    @invariant()
    def statuses_agree(self) -> None:
        if not hasattr(self, "world"):
            return
        self.operation_ran()
        listed = self.world.sessions.list(status="expired", limit=100)["data"]
        assert {s["id"] for s in listed} == self.expired
        for session_id in self.expires:
            status = self.world.sessions.retrieve(session_id)["status"]
            assert (status == "expired") == (session_id in self.expired)


ExpiryMachine.TestCase.settings = settings(max_examples=40, stateful_step_count=25, deadline=None)
test_expiry_machine = ExpiryMachine.TestCase
