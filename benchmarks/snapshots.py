"""What a snapshot costs next to re-creating the world it holds.

Run from the project root (not part of the test suite)::

    python benchmarks/snapshots.py              # 1,000 sessions, 7 rounds
    python benchmarks/snapshots.py --sessions 10000 --rounds 3

A world of N Checkout Sessions (each with one ``price_data`` line item) plus 100 customers is
built through the direct API; that build is the cost of re-creating the world. Then the median
over the rounds, wall clock (``perf_counter``), of ``fake.snapshot()``, ``fake.restore(snap)``,
``fake.dump()`` + ``json.dumps`` and ``json.loads`` + ``FakeCheckout.load``. Each round builds a
new world, so nothing is warm in one measurement that was not in the others.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fakecheckout import FakeCheckout, ManualClock  # noqa: E402

START = 1_800_000_000


def build(sessions: int) -> FakeCheckout:
    fake = FakeCheckout(clock=ManualClock(START), seed=1)
    for n in range(100):
        fake.customers.create(email=f"customer{n}@example.com")
    for _ in range(sessions):
        fake.sessions.create(
            mode="payment",
            success_url="https://example.com/ok",
            line_items=[
                {
                    "price_data": {
                        "currency": "usd",
                        "unit_amount": 1500,
                        "product_data": {"name": "T-shirt"},
                    },
                    "quantity": 1,
                }
            ],
        )
    return fake


def one_round(sessions: int) -> tuple[dict[str, float], dict[str, int]]:
    """The seconds of each step on a world built for this round, and the sizes written."""
    clock = time.perf_counter
    started = clock()
    fake = build(sessions)
    times = {"create the world": clock() - started}
    started = clock()
    snap = fake.snapshot()
    times["snapshot()"] = clock() - started
    started = clock()
    fake.restore(snap)
    times["restore(snapshot)"] = clock() - started
    started = clock()
    text = json.dumps(fake.dump())
    times["dump() + json.dumps"] = clock() - started
    started = clock()
    FakeCheckout.load(json.loads(text))
    times["json.loads + load()"] = clock() - started
    return times, {"snapshot": len(snap.payload), "dump (JSON)": len(text)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    figures: dict[str, list[float]] = {}
    sizes: dict[str, int] = {}
    for _ in range(args.rounds):
        times, sizes = one_round(args.sessions)
        for name, seconds in times.items():
            figures.setdefault(name, []).append(seconds)
    baseline = statistics.median(figures["create the world"])
    print(f"{args.sessions:,} sessions + 100 customers, median of {args.rounds} rounds")
    print(f"{'':24}{'ms':>10}{'x create':>10}")
    for name, rounds in figures.items():
        median = statistics.median(rounds)
        print(f"{name:24}{median * 1000:10.1f}{median / baseline:10.3f}")
    for name, size in sizes.items():
        print(f"{name} size: {size:,} bytes")


if __name__ == "__main__":
    main()
