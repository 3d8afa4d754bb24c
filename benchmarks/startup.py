"""Per test and start-up: the fixture's start and stop, ``import fakecheckout``, retained memory."""

from __future__ import annotations

import gc
import os
import statistics
import subprocess
import sys
import tempfile
import tracemalloc
import uuid
from pathlib import Path
from typing import Any

import responses
import stripe
from common import (
    CREATE_PARAMS,
    Plan,
    Target,
    alternate,
    configure_sdk,
    new_fake,
    ratio,
    round_ratios,
    spread,
    time_calls,
)

import fakecheckout

FIXTURE_GOAL = 1.3
IMPORT_GOAL_MS = 40.0
MEMORY_GOAL_BYTES = 4 * 1024
ROOT = Path(__file__).resolve().parent.parent


def _fixture_round(n: int) -> tuple[float, float]:
    """What the ``fake_checkout`` fixture does per test: a fresh fake, ``start``, ``stop``."""

    def once() -> None:
        fake = fakecheckout.FakeCheckout()
        fake.start()
        fake.stop()

    once()
    return time_calls(once, n)


def _bare_mock_round(n: int) -> tuple[float, float]:
    """The floor: what a test using a bare ``responses`` mock pays, ``with RequestsMock():``."""

    def once() -> None:
        with responses.RequestsMock(assert_all_requests_are_fired=False):
            pass

    once()
    return time_calls(once, n)


def bench_fixture(plan: Plan) -> tuple[dict[str, Any], list[Target]]:
    measured = alternate(
        {"fake": _fixture_round, "floor": _bare_mock_round}, plan.fixture_calls, plan.rounds
    )
    fake_us, floor_us = (measured[w].median_wall() * 1e6 for w in ("fake", "floor"))
    out = {w: measured[w].as_json() for w in measured} | {
        "ratio": ratio(measured, "fake", "floor"),
        "round_ratios": [round(r, 3) for r in round_ratios(measured, "fake", "floor")],
    }
    target = Target(
        "per test",
        "FakeCheckout() + start() + stop() vs a bare responses mock's start and stop",
        ratio(measured, "fake", "floor"),
        FIXTURE_GOAL,
        note=f"{fake_us:,.0f} vs {floor_us:,.0f} µs; rounds {spread(measured, 'fake', 'floor')}",
    )
    return out, [target]


_IMPORT_PROBE = (
    "import time, requests, responses\n"
    "t = time.perf_counter()\n"
    "import fakecheckout\n"
    "t1 = time.perf_counter()\n"
    "fakecheckout.FakeCheckout()\n"
    "print(t1 - t, time.perf_counter() - t1)\n"
)


def _probe_env() -> dict[str, str]:
    """The probe's environment: bytecode cached (in a private prefix, so the source tree stays
    clean), as for an installed package; ``PYTHONDONTWRITEBYTECODE`` would time compiling."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = os.path.join(tempfile.gettempdir(), "fakecheckout-bench-pyc")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return env


def bench_import(plan: Plan) -> tuple[dict[str, Any], list[Target]]:
    """``import fakecheckout`` in a fresh interpreter that has already imported requests and
    responses (so the figure is what fakecheckout adds); median of fresh interpreters, after one
    untimed run that writes the bytecode cache. The resource modules are imported by the first
    ``FakeCheckout()``, not by the import: that is reported on its own line (no goal)."""
    env = _probe_env()
    command = [sys.executable, "-c", _IMPORT_PROBE]
    subprocess.run(command, capture_output=True, check=True, cwd=ROOT, env=env)
    runs, first = [], []
    for _ in range(plan.import_runs):
        done = subprocess.run(
            command, capture_output=True, text=True, check=True, cwd=ROOT, env=env
        )
        imported, constructed = (float(x) * 1000 for x in done.stdout.split())
        runs.append(imported)
        first.append(constructed)
    median, first_median = statistics.median(runs), statistics.median(first)
    out = {
        "runs_ms": [round(r, 2) for r in runs],
        "median_ms": round(median, 2),
        "first_fake_runs_ms": [round(r, 2) for r in first],
        "first_fake_median_ms": round(first_median, 2),
    }
    targets = [
        Target(
            "start-up",
            "import fakecheckout, above requests + responses (fresh interpreters, median)",
            round(median, 1),
            IMPORT_GOAL_MS,
            unit="ms",
            note=f"min {min(runs):.1f} ms, max {max(runs):.1f} ms of {len(runs)}",
        ),
        Target(
            "start-up",
            "then the first FakeCheckout() (imports the resources) [informational]",
            round(first_median, 1),
            None,
            unit="ms",
            note=f"min {min(first):.1f} ms, max {max(first):.1f} ms",
        ),
    ]
    return out, targets


def bench_memory(plan: Plan) -> tuple[dict[str, Any], list[Target]]:
    """Bytes retained per session created through the SDK with an ``Idempotency-Key`` (its reply
    is kept for 24 h), measured with ``tracemalloc``."""
    configure_sdk()
    n = plan.memory_n
    fake = new_fake()
    with fake:
        for _ in range(3):  # warm up: imports, caches, the idempotency store's dictionary
            stripe.checkout.Session.create(idempotency_key=str(uuid.uuid4()), **CREATE_PARAMS)
        keys = [str(uuid.uuid4()) for _ in range(n)]
        gc.collect()
        tracemalloc.start(1)
        try:
            before = tracemalloc.take_snapshot()
            for key in keys:
                stripe.checkout.Session.create(idempotency_key=key, **CREATE_PARAMS)
            gc.collect()
            after = tracemalloc.take_snapshot()
        finally:
            tracemalloc.stop()
    assert len(fake.idempotency) == n + 3
    stats = after.compare_to(before, "filename")
    per_session = sum(s.size_diff for s in stats) / n
    top = sorted(stats, key=lambda s: s.size_diff, reverse=True)[:5]
    out = {
        "sessions": n,
        "bytes_per_session": round(per_session),
        "top_files": [
            {"file": _short(s.traceback[0].filename), "bytes_per_session": round(s.size_diff / n)}
            for s in top
        ],
    }
    target = Target(
        "memory",
        f"retained per session created through the SDK, idempotency reply included (N={n:,})",
        round(per_session),
        MEMORY_GOAL_BYTES,
        unit="B",
        note=", ".join(f"{t['file']} {t['bytes_per_session']:,}" for t in out["top_files"][:3]),
    )
    return out, [target]


def _short(filename: str) -> str:
    for marker in ("/fakecheckout/", "/site-packages/", "/lib/python"):
        if marker in filename:
            return filename[filename.index(marker) + 1 :]
    return filename
