"""What every benchmark section shares: the plan, alternating rounds, medians, target rows."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import stripe

import fakecheckout
from fakecheckout.http import forms

KEY = "sk_test_benchmark"
AUTH = {"Authorization": f"Bearer {KEY}"}
START = 1_800_000_000
DAY = 24 * 60 * 60
STRIPE_BASE = "https://api.stripe.com"
SESSIONS = f"{STRIPE_BASE}/v1/checkout/sessions"

CREATE_PARAMS: dict[str, Any] = {
    "mode": "payment",
    "success_url": "https://example.com/ok",
    "line_items": [
        {
            "price_data": {
                "currency": "usd",
                "unit_amount": 1500,
                "product_data": {"name": "T-shirt"},
            },
            "quantity": 2,
        }
    ],
    "metadata": {"order": "1234"},
}
CREATE_BODY = forms.encode(CREATE_PARAMS).encode()
UPDATE_PARAMS: dict[str, Any] = {"metadata": {"order": "5678"}}
UPDATE_BODY = forms.encode(UPDATE_PARAMS).encode()


@dataclass(frozen=True)
class Plan:
    """How much work each measurement does (``--quick`` shrinks the sizes; the report says so)."""

    name: str
    rounds: int
    calls: int  # per round, per-call overhead rows
    scale_small: int
    scale_big: int
    expiry_small: int
    expiry_big: int
    renewals_small: int
    renewals_big: int
    fixture_calls: int
    import_runs: int
    memory_n: int
    peer_calls: int


FULL = Plan("full", 9, 60, 100, 100_000, 10_000, 100_000, 100, 1_000, 300, 9, 2_000, 40)
QUICK = Plan("quick", 3, 25, 100, 10_000, 1_000, 10_000, 20, 200, 150, 3, 300, 15)


@dataclass
class Target:
    """One line of the summary: a measured ratio (or amount) next to the issue's goal."""

    section: str
    what: str
    measured: float | None
    goal: float | None
    unit: str = "x"
    note: str = ""

    @property
    def verdict(self) -> str:
        if self.measured is None or self.goal is None:
            return ""
        return "ok" if self.measured <= self.goal else "OVER"

    def as_json(self) -> dict[str, Any]:
        return {**self.__dict__, "verdict": self.verdict}


@dataclass
class Rounds:
    """Per-call times of the rounds of one contestant, in seconds."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def median_wall(self) -> float:
        return statistics.median(self.wall)

    def as_json(self) -> dict[str, Any]:
        return {
            "median_wall_us": us(self.median_wall()),
            "median_cpu_us": us(statistics.median(self.cpu)),
            "rounds_wall_us": [us(t) for t in self.wall],
        }


def us(seconds: float) -> float:
    return round(seconds * 1e6, 2)


RoundRunner = Callable[[int], tuple[float, float]]
"""Runs one round of ``n`` calls and returns the per-call wall and CPU seconds."""


def sync_round(context: Callable[[], Any], call: Callable[[], object]) -> RoundRunner:
    """A round of ``call`` inside ``context()``, after one untimed warm-up call."""

    def run(n: int) -> tuple[float, float]:
        with context():
            call()
            return time_calls(call, n)

    return run


def time_calls(call: Callable[[], object], n: int) -> tuple[float, float]:
    """Per-call wall and CPU seconds of ``n`` calls (after a collection, so GC debt is equal)."""
    gc.collect()
    wall0, cpu0 = time.perf_counter(), time.process_time()
    for _ in range(n):
        call()
    return (time.perf_counter() - wall0) / n, (time.process_time() - cpu0) / n


def alternate(contestants: dict[str, RoundRunner], n: int, rounds: int) -> dict[str, Rounds]:
    """``rounds`` rounds of each contestant in turn (A, B, A, B, …); medians are taken later."""
    results = {name: Rounds() for name in contestants}
    for _ in range(rounds):
        for name, run in contestants.items():
            wall, cpu = run(n)
            results[name].wall.append(wall)
            results[name].cpu.append(cpu)
    return results


def ratio(measured: dict[str, Rounds], top: str, bottom: str) -> float:
    return round(measured[top].median_wall() / measured[bottom].median_wall(), 3)


def round_ratios(measured: dict[str, Rounds], top: str, bottom: str) -> list[float]:
    """``top``'s time over ``bottom``'s, round by round (round i of each ran back to back)."""
    return [t / b for t, b in zip(measured[top].wall, measured[bottom].wall, strict=True)]


def spread(measured: dict[str, Rounds], top: str, bottom: str) -> str:
    """The middle half of the round-by-round ratios (``"1.08-1.21x"``): how far one run's noise
    moves the ratio, next to the ratio of medians that the verdict uses."""
    ratios = round_ratios(measured, top, bottom)
    if len(ratios) < 4:
        return f"{min(ratios):.2f}-{max(ratios):.2f}x"
    low, _, high = statistics.quantiles(ratios, n=4)
    return f"{low:.2f}-{high:.2f}x"


@contextmanager
def nothing() -> Iterator[None]:
    yield


def new_fake(sessions: int = 0) -> fakecheckout.FakeCheckout:
    """A fake on a ``ManualClock`` holding ``sessions`` open sessions (made through the direct API)."""
    fake = fakecheckout.FakeCheckout(clock=fakecheckout.ManualClock(START), seed=1)
    for _ in range(sessions):
        fake.sessions.create(**CREATE_PARAMS)
    return fake


def configure_sdk(api_base: str = STRIPE_BASE) -> None:
    stripe.api_key = KEY
    stripe.max_network_retries = 0
    stripe.api_base = api_base


def cycler(values: list[str]) -> Callable[[], str]:
    """A function returning ``values`` in turn, forever."""
    state = {"at": 0}

    def nxt() -> str:
        at = state["at"]
        state["at"] = (at + 1) % len(values)
        return values[at]

    return nxt
