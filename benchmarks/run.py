"""fakecheckout benchmarks: every target of issue 16, measured side by side, reported as ratios.

Run from the project root (not part of the test suite; pytest never collects this directory)::

    python benchmarks/run.py             # the full run (100,000 stored objects), a few minutes
    python benchmarks/run.py --quick     # smaller sizes and fewer rounds, under a minute
    python benchmarks/run.py --peers     # also localstripe, side by side on customers

Machines are shared and noisy, so every timed figure is a ratio of two contestants measured in
alternating rounds of the same run (A, B, A, B, …), medians over the rounds. The summary prints
each target's measured figure next to its goal with ``ok`` or ``OVER``; the exit status is 1 when
any target is over (0 with ``--report-only``, as CI runs it). Every figure, with the raw rounds,
goes to ``benchmarks/results.json`` (``--json`` to change). Method: ``docs/performance.md``.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import FULL, QUICK, Target, new_fake  # noqa: E402
from overhead import bench_httpx_async, bench_sdk_and_requests  # noqa: E402
from peers import bench_peers  # noqa: E402
from scale import bench_mass_expiry, bench_renewals, bench_scale  # noqa: E402
from startup import bench_fixture, bench_import, bench_memory  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_JSON = ROOT / "benchmarks" / "results.json"
DEFAULT_LOCALSTRIPE_PYTHON = Path("/tmp/ls-venv/bin/python")


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "?"
    versions = {}
    for package in ("stripe", "requests", "responses", "httpx"):
        versions[package] = importlib.metadata.version(package)
    return {
        "nproc": os.cpu_count(),
        "cpu": model or platform.processor(),
        "load_average": load,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "platform": platform.platform(),
        **versions,
    }


def summary(targets: list[Target]) -> None:
    header = ["target", "what", "measured", "goal", "", "detail"]
    rows = [
        [
            t.section,
            t.what,
            "n/a" if t.measured is None else _figure(t.measured, t.unit),
            "" if t.goal is None else f"<= {t.goal:,g}{_unit(t.unit)}",
            t.verdict or ("-" if t.goal is None else "n/a"),
            t.note,
        ]
        for t in targets
    ]
    widths = [max(len(str(c)) for c in column) for column in zip(header, *rows, strict=True)]
    widths[1] = min(widths[1], 72)
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip())
    print("  ".join("-" * w for w in widths))
    for row in rows:
        cells = [
            (c.rjust(w) if i in (2, 3) else c.ljust(w))
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())


def _figure(value: float, unit: str) -> str:
    if unit == "x":
        return f"{value:.2f}x"
    return f"{value:,.0f}{_unit(unit)}" if value >= 100 else f"{value:,.1f}{_unit(unit)}"


def _unit(unit: str) -> str:
    return {"x": "x", "ms": " ms", "B": " B"}[unit]


SECTIONS = ("overhead", "httpx", "scale", "expiry", "renewals", "fixture", "import", "memory")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer rounds")
    parser.add_argument("--peers", action="store_true", help="also localstripe (customers)")
    parser.add_argument(
        "--only", action="append", choices=SECTIONS, help="run only these sections (repeatable)"
    )
    parser.add_argument(
        "--report-only", action="store_true", help="exit 0 even when a target is over"
    )
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where the figures go")
    parser.add_argument(
        "--localstripe-python",
        type=Path,
        default=DEFAULT_LOCALSTRIPE_PYTHON,
        help="an interpreter with localstripe installed (its own virtualenv)",
    )
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    wanted = set(args.only or SECTIONS)
    started = time.perf_counter()
    results: dict[str, Any] = {
        "command": " ".join(["python", *[Path(sys.argv[0]).as_posix(), *sys.argv[1:]]]),
        "machine": machine(),
        "plan": plan.__dict__,
    }
    targets: list[Target] = []

    def section(name: str, run: Any, *run_args: Any) -> None:
        t0 = time.perf_counter()
        print(f"[{name}] …", file=sys.stderr, flush=True)
        results[name], found = run(*run_args)
        results[name + "_elapsed_s"] = round(time.perf_counter() - t0, 1)
        targets.extend(found)

    if "overhead" in wanted:
        section("overhead", bench_sdk_and_requests, plan)
    if "httpx" in wanted:
        section("httpx", bench_httpx_async, plan)
    if "scale" in wanted:
        sessions = {"small": new_fake(plan.scale_small), "big": new_fake(plan.scale_big)}
        section("scale", bench_scale, plan, sessions)
        del sessions
    if "expiry" in wanted:
        section("expiry", bench_mass_expiry, plan, new_fake(plan.expiry_big))
    if "renewals" in wanted:
        section("renewals", bench_renewals, plan)
    if "fixture" in wanted:
        section("fixture", bench_fixture, plan)
    if "import" in wanted:
        section("import", bench_import, plan)
    if "memory" in wanted:
        section("memory", bench_memory, plan)
    if args.peers:
        section("peers", bench_peers, plan, args.localstripe_python)
    results["targets"] = [t.as_json() for t in targets]
    results["elapsed_s"] = round(time.perf_counter() - started, 1)
    args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")

    m = results["machine"]
    print(f"fakecheckout benchmarks, plan {plan.name}: {results['command']}")
    print(
        f"machine: {m['nproc']} CPUs ({m['cpu']}), load {m['load_average']}; {m['python']}; "
        f"stripe {m['stripe']}, requests {m['requests']}, responses {m['responses']}, "
        f"httpx {m['httpx']}"
    )
    print(f"ratios: medians of {plan.rounds} alternating rounds; figures in {args.json}\n")
    summary(targets)
    over = [t for t in targets if t.verdict == "OVER"]
    ok = [t for t in targets if t.verdict == "ok"]
    missing = [t for t in targets if t.goal is not None and t.measured is None]
    informational = [t for t in targets if t.goal is None]
    print(
        f"\n{len(ok)} ok, {len(over)} over, {len(missing)} not measurable yet, "
        f"{len(informational)} informational; {results['elapsed_s']:.0f} s"
    )
    if over and not args.report_only:
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
