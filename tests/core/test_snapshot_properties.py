"""Invariants of snapshots and dumps over any sequence of operations (hypothesis)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fakecheckout import FakeCheckout, ManualClock, StripeError

from .conftest import START, payment_params

Operation = Callable[[FakeCheckout], Any]


def _nth(items: list[dict[str, Any]], n: int) -> str:
    return items[n % len(items)]["id"] if items else "cs_test_missing"


def _sessions(fake: FakeCheckout) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = fake.sessions.list(limit=100)["data"]
    return found


OPERATIONS: dict[str, Callable[[int], Operation]] = {
    "create session": lambda n: lambda f: f.sessions.create(**payment_params()),
    "expire session": lambda n: lambda f: f.sessions.expire(_nth(_sessions(f), n)),
    "complete session": lambda n: lambda f: f.sessions.complete(_nth(_sessions(f), n)),
    "create customer": lambda n: lambda f: f.customers.create(email=f"c{n}@example.com"),
    "create connected customer": lambda n: lambda f: f.account(f"acct_{n % 3}x").customers.create(),
    "advance clock": lambda n: lambda f: f.clock.advance(n * 3600),  # type: ignore[attr-defined]
    "list sessions": lambda n: lambda f: f.sessions.list(limit=n % 5 + 1),
    "list events": lambda n: lambda f: f.events.list(limit=n % 5 + 1),
}

operations = st.lists(
    st.tuples(st.sampled_from(sorted(OPERATIONS)), st.integers(0, 30)), max_size=8
)


def run(fake: FakeCheckout, steps: list[tuple[str, int]]) -> list[Any]:
    """Each step's result, or the error it raised (both are what a caller sees)."""
    results: list[Any] = []
    for name, n in steps:
        try:
            results.append(OPERATIONS[name](n)(fake))
        except StripeError as error:
            results.append(error.to_dict())
    results.append(fake.events.list(limit=100))
    return results


def new_fake() -> FakeCheckout:
    return FakeCheckout(clock=ManualClock(START), seed=7)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(before=operations, meanwhile=operations, after=operations)
def test_restore_then_the_same_operations_answers_as_without_the_snapshot(
    before: list[tuple[str, int]],
    meanwhile: list[tuple[str, int]],
    after: list[tuple[str, int]],
) -> None:
    plain = new_fake()
    run(plain, before)
    restored = new_fake()
    run(restored, before)
    snap = restored.snapshot()
    run(restored, meanwhile)
    restored.restore(snap)
    assert run(restored, after) == run(plain, after)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(before=operations, after=operations)
def test_a_loaded_dump_answers_the_same_operations_as_the_dumped_fake(
    before: list[tuple[str, int]], after: list[tuple[str, int]]
) -> None:
    dumped = new_fake()
    run(dumped, before)
    loaded = FakeCheckout.load(json.loads(json.dumps(dumped.dump())))
    assert run(loaded, after) == run(dumped, after)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(before=operations)
def test_dump_then_load_round_trips_to_an_equal_dump(before: list[tuple[str, int]]) -> None:
    fake = new_fake()
    run(fake, before)
    data = json.loads(json.dumps(fake.dump()))
    assert json.loads(json.dumps(FakeCheckout.load(data).dump())) == data
