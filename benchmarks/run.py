"""fakecheckout benchmarks: speed through the real ``stripe`` SDK, scaling, mass expiry, memory.

Run from the project root (not part of the test suite; pytest never collects this directory)::

    python benchmarks/run.py            # full run, ~1-2 minutes
    python benchmarks/run.py --quick    # fewer rounds and calls, ~20 s

It prints one table per measurement and writes every figure (with the raw rounds) to JSON
(``benchmarks/results.json`` unless ``--json`` says otherwise). Method, in short:

- **SDK vs stub**: the ``stripe`` SDK in global style (``stripe.max_network_retries = 0``) calls
  ``create``, ``retrieve`` and ``list(limit=10)`` against the active fake, and against a bare
  ``responses`` stub whose callback returns the very status, headers and body the fake produced
  for that call. The stub is the floor: SDK plus ``requests`` plus ``responses`` interception.
  Rounds alternate (fake, stub, fake, stub, ...); the figure is the median per-call time over the
  rounds, wall clock (``perf_counter``) and process CPU time (``process_time``).
- **Scale**: the same calls against a fake holding 100 sessions and one holding 20,000, both
  through ``fake.handle`` (no SDK: the fake's own cost, the strictest view) and through the SDK;
  alternating rounds, medians.
- **Mass expiry**: 20,000 open sessions, a ``ManualClock`` jump past every ``expires_at``, then
  the first request (which settles all of them) and a ``status=expired`` listing are timed.
- **Memory**: ``tracemalloc`` snapshots before and after N sessions created through the SDK
  (each ``POST`` carries a fresh ``Idempotency-Key``, whose reply the fake keeps for 24 h) and
  then expired through the SDK (one event each, one more idempotency reply each); retained bytes
  divided by N.
- **localstripe** (optional, a different fake Stripe server with no Checkout): ``Customer.create``
  and ``Customer.retrieve`` over loopback HTTP against localstripe, next to the fake's
  ``checkout.Session.create``/``retrieve`` in process. Different endpoints: an order of magnitude,
  not a like-for-like ratio. Needs localstripe in its own virtualenv (``--localstripe-python``).
"""

from __future__ import annotations

import argparse
import gc
import importlib.metadata
import json
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
import responses
import stripe

import fakecheckout
from fakecheckout.http import forms

KEY = "sk_test_benchmark"
AUTH = {"Authorization": f"Bearer {KEY}"}
START = 1_800_000_000
DAY = 24 * 60 * 60
STRIPE_BASE = "https://api.stripe.com"
SESSIONS = f"{STRIPE_BASE}/v1/checkout/sessions"
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_JSON = ROOT / "benchmarks" / "results.json"
DEFAULT_LOCALSTRIPE_PYTHON = Path("/tmp/ls-venv/bin/python")

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


@dataclass(frozen=True)
class Plan:
    """How much work each measurement does."""

    rounds: int
    sdk_calls: dict[str, int]
    handle_calls: int
    big: int
    small: int
    expiry_repeats: int
    memory_n: int
    localstripe_calls: int


FULL = Plan(
    rounds=15,
    sdk_calls={"create": 100, "retrieve": 150, "list": 40},
    handle_calls=200,
    big=20_000,
    small=100,
    expiry_repeats=3,
    memory_n=2_000,
    localstripe_calls=60,
)
QUICK = Plan(
    rounds=3,
    sdk_calls={"create": 60, "retrieve": 80, "list": 25},
    handle_calls=150,
    big=20_000,
    small=100,
    expiry_repeats=1,
    memory_n=500,
    localstripe_calls=40,
)


# --- timing --------------------------------------------------------------------------------------


@dataclass
class Rounds:
    """Per-call times of the rounds of one contestant, in seconds."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def median_wall(self) -> float:
        return statistics.median(self.wall)

    def median_cpu(self) -> float:
        return statistics.median(self.cpu)

    def as_json(self) -> dict[str, Any]:
        return {
            "median_wall_us": us(self.median_wall()),
            "median_cpu_us": us(self.median_cpu()),
            "rounds_wall_us": [us(t) for t in self.wall],
            "rounds_cpu_us": [us(t) for t in self.cpu],
        }


def us(seconds: float) -> float:
    return round(seconds * 1e6, 2)


def time_calls(call: Callable[[], object], n: int) -> tuple[float, float]:
    """Per-call wall and CPU seconds of ``n`` calls (after a collection, so GC debt is equal)."""
    gc.collect()
    wall0, cpu0 = time.perf_counter(), time.process_time()
    for _ in range(n):
        call()
    return (time.perf_counter() - wall0) / n, (time.process_time() - cpu0) / n


@contextmanager
def nothing() -> Iterator[None]:
    yield


def alternate(
    contestants: dict[str, tuple[Callable[[], Any], Callable[[], object]]],
    n: int,
    rounds: int,
) -> dict[str, Rounds]:
    """Run ``rounds`` rounds of each contestant in turn: A, B, A, B, ...

    A contestant is ``(context, call)``: ``context()`` is entered around its round (to start a
    fake or a stub) and ``call()`` is timed ``n`` times inside; one untimed call warms it first.
    """
    results = {name: Rounds() for name in contestants}
    for _ in range(rounds):
        for name, (context, call) in contestants.items():
            with context():
                call()
                wall, cpu = time_calls(call, n)
            results[name].wall.append(wall)
            results[name].cpu.append(cpu)
    return results


# --- fixtures ------------------------------------------------------------------------------------


def new_fake(stored: int = 0) -> fakecheckout.FakeCheckout:
    """A fake on a ``ManualClock`` holding ``stored`` open sessions (made through the direct API)."""
    fake = fakecheckout.FakeCheckout(clock=fakecheckout.ManualClock(START), seed=1)
    for _ in range(stored):
        fake.sessions.create(**CREATE_PARAMS)
    return fake


def configure_sdk(api_base: str = STRIPE_BASE) -> None:
    stripe.api_key = KEY
    stripe.max_network_retries = 0
    stripe.api_base = api_base


def captured(obj: Any) -> tuple[int, dict[str, str], bytes]:
    """What the SDK received for ``obj``: the stub answers with exactly this."""
    response = obj.last_response
    return response.code, dict(response.headers), response.body.encode("utf-8")


def handle_ok(fake: fakecheckout.FakeCheckout, method: str, url: str, body: bytes = b"") -> Any:
    status, _, payload = fake.handle(method, url, AUTH, body)
    if status != 200:
        raise RuntimeError(f"{method} {url} -> {status}: {payload[:300]!r}")
    return json.loads(payload)


# --- 1. the SDK against the fake and against a bare stub -----------------------------------------


def bench_sdk_vs_stub(plan: Plan) -> dict[str, Any]:
    configure_sdk()
    fake = new_fake(stored=100)
    with fake:
        session = stripe.checkout.Session.create(**CREATE_PARAMS)
        replies = {
            "create": captured(stripe.checkout.Session.create(**CREATE_PARAMS)),
            "retrieve": captured(stripe.checkout.Session.retrieve(session.id)),
            "list": captured(stripe.checkout.Session.list(limit=10)),
        }
    stub = responses.RequestsMock(assert_all_requests_are_fired=False)
    stub.add_callback("POST", SESSIONS, callback=lambda request: replies["create"])
    stub.add_callback(
        "GET",
        re.compile(re.escape(SESSIONS) + r"/[^/?]+(\?.*)?"),
        callback=lambda request: replies["retrieve"],
    )
    stub.add_callback("GET", SESSIONS, callback=lambda request: replies["list"])

    @contextmanager
    def stub_on() -> Iterator[None]:
        stub.start()  # not ``with stub``: its exit forgets the registered routes
        try:
            yield
        finally:
            stub.stop(allow_assert=False)
            stub.calls.reset()  # responses records every call; the fake's adapter keeps none

    calls: dict[str, Callable[[], object]] = {
        "create": lambda: stripe.checkout.Session.create(**CREATE_PARAMS),
        "retrieve": lambda: stripe.checkout.Session.retrieve(session.id),
        "list": lambda: stripe.checkout.Session.list(limit=10),
    }
    with stub_on():  # the stub really answers what the fake answered
        for name, call in calls.items():
            assert captured(call())[2] == replies[name][2], name
    out: dict[str, Any] = {}
    for name, call in calls.items():
        measured = alternate(
            {"fake": (lambda: fake, call), "stub": (stub_on, call)},
            plan.sdk_calls[name],
            plan.rounds,
        )
        fake_rounds, stub_rounds = measured["fake"], measured["stub"]
        out[name] = {
            "calls_per_round": plan.sdk_calls[name],
            "rounds": plan.rounds,
            "response_bytes": len(replies[name][2]),
            "fake": fake_rounds.as_json(),
            "stub": stub_rounds.as_json(),
            "ratio_wall": round(fake_rounds.median_wall() / stub_rounds.median_wall(), 3),
            "ratio_cpu": round(fake_rounds.median_cpu() / stub_rounds.median_cpu(), 3),
            "target": 1.3,
        }
    return out


# --- 2. scaling: 100 vs 20,000 stored sessions ---------------------------------------------------


def bench_scale(plan: Plan, small: fakecheckout.FakeCheckout, big: fakecheckout.FakeCheckout):
    configure_sdk()
    ids = {
        "small": [s["id"] for s in _walk(small)],
        "big": [s["id"] for s in _walk(big)],
    }
    middle = {name: found[len(found) // 2] for name, found in ids.items()}
    cycle = {name: _cycler(found) for name, found in ids.items()}
    fakes = {"small": small, "big": big}

    def handle_call(which: str, what: str) -> Callable[[], object]:
        fake = fakes[which]
        if what == "list":
            return lambda: handle_ok(fake, "GET", "/v1/checkout/sessions?limit=10")
        if what == "list_after":
            url = f"/v1/checkout/sessions?limit=10&starting_after={middle[which]}"
            return lambda: handle_ok(fake, "GET", url)
        if what == "list_status":
            return lambda: handle_ok(fake, "GET", "/v1/checkout/sessions?limit=10&status=open")
        nxt = cycle[which]
        return lambda: handle_ok(fake, "GET", f"/v1/checkout/sessions/{nxt()}")

    def sdk_call(which: str, what: str) -> Callable[[], object]:
        if what == "list":
            return lambda: stripe.checkout.Session.list(limit=10)
        nxt = cycle[which]
        return lambda: stripe.checkout.Session.retrieve(nxt())

    out: dict[str, Any] = {"small": plan.small, "big": plan.big}
    rows = [
        ("handle", "list", "list(limit=10)"),
        ("handle", "list_after", "list(limit=10, starting_after=<middle>)"),
        ("handle", "list_status", "list(limit=10, status=open)"),
        ("handle", "retrieve", "retrieve(<each stored id in turn>)"),
        ("sdk", "list", "list(limit=10)"),
        ("sdk", "retrieve", "retrieve(<each stored id in turn>)"),
    ]
    for door, what, label in rows:
        if door == "handle":
            contestants = {which: (nothing, handle_call(which, what)) for which in ("small", "big")}
            n = plan.handle_calls
        else:
            contestants = {
                which: (_started(fakes[which]), sdk_call(which, what)) for which in fakes
            }
            n = plan.sdk_calls[what]
        measured = alternate(contestants, n, plan.rounds)
        out[f"{door}:{what}"] = {
            "label": label,
            "door": door,
            "calls_per_round": n,
            "rounds": plan.rounds,
            "small": measured["small"].as_json(),
            "big": measured["big"].as_json(),
            "ratio_wall": round(measured["big"].median_wall() / measured["small"].median_wall(), 3),
            "ratio_cpu": round(measured["big"].median_cpu() / measured["small"].median_cpu(), 3),
            "target": 1.5 if what == "list" else None,
        }
    return out


def _started(fake: fakecheckout.FakeCheckout) -> Callable[[], Any]:
    return lambda: fake


def _cycler(values: list[str]) -> Callable[[], str]:
    state = {"at": 0}

    def nxt() -> str:
        at = state["at"]
        state["at"] = (at + 1) % len(values)
        return values[at]

    return nxt


def _walk(fake: fakecheckout.FakeCheckout, **filters: Any) -> Iterator[dict[str, Any]]:
    params: dict[str, Any] = {"limit": 100, **filters}
    while True:
        page = fake.sessions.list(**params)
        yield from page["data"]
        if not page["has_more"]:
            return
        params["starting_after"] = page["data"][-1]["id"]


# --- 3. mass expiry --------------------------------------------------------------------------------


AFTER_EXPIRY = {
    "list(limit=10, status=expired)": "/v1/checkout/sessions?limit=10&status=expired",
    "list(limit=100, status=expired)": "/v1/checkout/sessions?limit=100&status=expired",
    "events list(limit=10, type=checkout.session.expired)": (
        "/v1/events?limit=10&type=checkout.session.expired"
    ),
    "events list(limit=10, types[]=checkout.session.completed) [no match]": (
        "/v1/events?limit=10&types[]=checkout.session.completed"
    ),
    "events list(limit=10, type=checkout.session.async_*) [no match]": (
        "/v1/events?limit=10&type=checkout.session.async_*"
    ),
}
"""Requests timed after a mass expiry (median of ``handle_calls`` // 10 calls each)."""


def bench_mass_expiry(plan: Plan, first_big: fakecheckout.FakeCheckout) -> dict[str, Any]:
    """For each size: jump past every ``expires_at``, time the request that settles them all,
    then the lists that read the result."""
    out: dict[str, Any] = {"small": plan.small, "big": plan.big, "repeats": plan.expiry_repeats}
    for size_name, size in (("small", plan.small), ("big", plan.big)):
        runs: list[dict[str, float]] = []
        for repeat in range(plan.expiry_repeats):
            reuse = size_name == "big" and repeat == 0
            fake = first_big if reuse else new_fake(stored=size)
            clock = fake.clock
            assert isinstance(clock, fakecheckout.ManualClock)
            clock.advance(DAY + 1)
            gc.collect()
            t0 = time.perf_counter()
            page = handle_ok(fake, "GET", "/v1/checkout/sessions?limit=10")
            run = {"first request (settles all; GET list limit=10)": time.perf_counter() - t0}
            assert page["data"][0]["status"] == "expired"
            assert not fake.sessions.list(status="open", limit=1)["data"]
            for label, url in AFTER_EXPIRY.items():
                handle_ok(fake, "GET", url)
                samples = []
                for _ in range(max(plan.handle_calls // 10, 5)):
                    t0 = time.perf_counter()
                    handle_ok(fake, "GET", url)
                    samples.append(time.perf_counter() - t0)
                run[label] = statistics.median(samples)
            runs.append(run)
        out[size_name] = {
            "sessions": size,
            "runs_s": [{k: round(v, 6) for k, v in r.items()} for r in runs],
            "median_s": {k: round(statistics.median(r[k] for r in runs), 6) for k in runs[0]},
        }
    return out


# --- 4. memory -------------------------------------------------------------------------------------


def bench_memory(plan: Plan) -> dict[str, Any]:
    configure_sdk()
    n = plan.memory_n
    fake = new_fake()
    with fake:
        for _ in range(3):  # warm up: imports, caches, the idempotency store's dictionary
            stripe.checkout.Session.expire(stripe.checkout.Session.create(**CREATE_PARAMS).id)
        gc.collect()
        tracemalloc.start(1)
        try:
            before = tracemalloc.take_snapshot()
            ids = []
            for _ in range(n):
                ids.append(stripe.checkout.Session.create(**CREATE_PARAMS).id)
            gc.collect()
            created = tracemalloc.take_snapshot()
            for session_id in ids:
                stripe.checkout.Session.expire(session_id)
            del ids
            gc.collect()
            expired = tracemalloc.take_snapshot()
        finally:
            tracemalloc.stop()
    assert len(fake.events.list(limit=100)["data"]) == 100
    remembered = len(fake.idempotency)

    def per_file(snapshot: tracemalloc.Snapshot) -> list[dict[str, Any]]:
        stats = snapshot.compare_to(before, "filename")
        top = sorted(stats, key=lambda s: s.size_diff, reverse=True)[:6]
        return [
            {
                "file": _short(s.traceback[0].filename),
                "bytes_per_session": round(s.size_diff / n),
            }
            for s in top
        ]

    def total(snapshot: tracemalloc.Snapshot) -> int:
        return sum(s.size_diff for s in snapshot.compare_to(before, "filename"))

    return {
        "sessions": n,
        "idempotency_keys_remembered": remembered,
        "created_bytes_per_session": round(total(created) / n),
        "created_and_expired_bytes_per_session": round(total(expired) / n),
        "target_bytes": 10 * 1024,
        "top_files_after_expiry": per_file(expired),
    }


def _short(filename: str) -> str:
    for marker in ("/fakecheckout/", "/site-packages/", "/lib/python"):
        if marker in filename:
            return filename[filename.index(marker) + 1 :]
    return filename


# --- 5. localstripe --------------------------------------------------------------------------------

LOCALSTRIPE_SERVER = """
import sys
from aiohttp import web
from localstripe.server import app
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), access_log=None, print=None)
"""


def bench_localstripe(plan: Plan, python: Path) -> dict[str, Any]:
    if not python.exists():
        return {"skipped": f"no localstripe interpreter at {python} (see --localstripe-python)"}
    version = subprocess.run(
        [str(python), "-c", "import importlib.metadata as m; print(m.version('localstripe'))"],
        capture_output=True,
        text=True,
        check=False,
    )
    if version.returncode != 0:
        return {"skipped": f"localstripe is not importable by {python}"}
    port = _free_loopback_port()
    pickle_file = Path("/tmp/localstripe.pickle")  # localstripe writes it on every change
    pickle_existed = pickle_file.exists()
    server = subprocess.Popen(
        [str(python), "-c", LOCALSTRIPE_SERVER, str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for(port, server)
        local_base = f"http://127.0.0.1:{port}"
        configure_sdk(local_base)
        customer = stripe.Customer.create(email="bench@example.com")
        configure_sdk()
        fake = new_fake(stored=100)
        with fake:
            session = stripe.checkout.Session.create(**CREATE_PARAMS)

        @contextmanager
        def base(url: str) -> Iterator[None]:
            configure_sdk(url)
            try:
                yield
            finally:
                configure_sdk()

        @contextmanager
        def fake_on() -> Iterator[None]:
            with fake:
                yield

        out: dict[str, Any] = {"localstripe_version": version.stdout.strip(), "port": port}
        pairs = {
            "create": (
                lambda: stripe.Customer.create(email="bench@example.com"),
                lambda: stripe.checkout.Session.create(**CREATE_PARAMS),
            ),
            "retrieve": (
                lambda: stripe.Customer.retrieve(customer.id),
                lambda: stripe.checkout.Session.retrieve(session.id),
            ),
        }
        for name, (remote, local) in pairs.items():
            measured = alternate(
                {
                    "localstripe": (lambda: base(local_base), remote),
                    "fake": (fake_on, local),
                },
                plan.localstripe_calls,
                plan.rounds,
            )
            out[name] = {
                "localstripe_endpoint": f"customers.{name}",
                "fake_endpoint": f"checkout.sessions.{name}",
                "calls_per_round": plan.localstripe_calls,
                "rounds": plan.rounds,
                "localstripe": measured["localstripe"].as_json(),
                "fake": measured["fake"].as_json(),
                "ratio_wall": round(
                    measured["localstripe"].median_wall() / measured["fake"].median_wall(), 2
                ),
            }
        # One customer per create call (plus the first), each one pickled with the whole store.
        out["localstripe_customers_stored"] = 1 + plan.rounds * (plan.localstripe_calls + 1)
        return out
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if not pickle_existed:
            pickle_file.unlink(missing_ok=True)


def _free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if server.poll() is not None:
            stderr = server.stderr.read().decode() if server.stderr else ""
            raise RuntimeError(f"localstripe exited with {server.returncode}: {stderr[-2000:]}")
        try:
            requests.get(f"http://127.0.0.1:{port}/v1/customers", timeout=1)
            return
        except requests.ConnectionError:
            time.sleep(0.1)
    raise RuntimeError("localstripe did not start listening within 20 s")


# --- report ----------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": model or platform.processor(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "stripe": stripe.VERSION,
        "responses": importlib.metadata.version("responses"),
        "requests": importlib.metadata.version("requests"),
    }


def table(title: str, header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    print(f"\n{title}")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(
            "  ".join(
                str(c).rjust(w) if i else str(c).ljust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )


def fmt_us(value: float) -> str:
    return f"{value:,.1f} µs"


def fmt_s(value: float) -> str:
    return f"{value * 1000:,.1f} ms"


def verdict(value: float, target: float | None) -> str:
    if target is None:
        return ""
    return "ok" if value <= target else "OVER"


def report(results: dict[str, Any]) -> None:
    m = results["machine"]
    print(f"fakecheckout benchmarks ({results['mode']}): {results['command']}")
    print(
        f"machine: nproc={m['nproc']}, {m['cpu']}; {m['implementation']} {m['python']}; "
        f"stripe {m['stripe']}, requests {m['requests']}, responses {m['responses']}"
    )

    sdk = results["sdk_vs_stub"]
    table(
        "1. Through the stripe SDK: fake vs. bare responses stub (same bytes), median per call",
        ["call", "fake", "stub", "ratio (wall)", "ratio (cpu)", "target", "", "rounds x calls"],
        [
            [
                name,
                fmt_us(r["fake"]["median_wall_us"]),
                fmt_us(r["stub"]["median_wall_us"]),
                f"{r['ratio_wall']:.3f}",
                f"{r['ratio_cpu']:.3f}",
                f"<= {r['target']}",
                verdict(r["ratio_wall"], r["target"]),
                f"{r['rounds']} x {r['calls_per_round']}",
            ]
            for name, r in sdk.items()
        ],
    )

    scale = results["scale"]
    table(
        f"2. {scale['small']:,} vs {scale['big']:,} stored sessions, median per call",
        [
            "door",
            "call",
            f"{scale['small']:,}",
            f"{scale['big']:,}",
            "ratio (wall)",
            "ratio (cpu)",
            "target",
            "",
        ],
        [
            [
                r["door"],
                r["label"],
                fmt_us(r["small"]["median_wall_us"]),
                fmt_us(r["big"]["median_wall_us"]),
                f"{r['ratio_wall']:.3f}",
                f"{r['ratio_cpu']:.3f}",
                f"<= {r['target']}" if r["target"] else "",
                verdict(r["ratio_wall"], r["target"]),
            ]
            for key, r in scale.items()
            if isinstance(r, dict)
        ],
    )

    expiry = results["mass_expiry"]
    small, big = expiry["small"], expiry["big"]
    first = "first request (settles all; GET list limit=10)"
    rows = [
        [
            label,
            fmt_s(small["median_s"][label]),
            fmt_s(big["median_s"][label]),
            f"{big['median_s'][label] / small['median_s'][label]:.1f}",
        ]
        for label in small["median_s"]
    ]
    rows.insert(
        1,
        [
            "  per settled session",
            fmt_us(small["median_s"][first] / small["sessions"] * 1e6),
            fmt_us(big["median_s"][first] / big["sessions"] * 1e6),
            "",
        ],
    )
    table(
        "3. All sessions pass expires_at at once (ManualClock jump); fake.handle; first request: "
        f"median of {expiry['repeats']}, the others: median of each call",
        ["request", f"{small['sessions']:,} sessions", f"{big['sessions']:,} sessions", "ratio"],
        rows,
    )

    mem = results["memory"]
    table(
        f"4. Retained memory per session through the SDK (tracemalloc, N={mem['sessions']:,})",
        ["state", "bytes/session", "target", ""],
        [
            ["created (1 idempotency reply each)", f"{mem['created_bytes_per_session']:,}", "", ""],
            [
                "created + expired (2 replies, 1 event each)",
                f"{mem['created_and_expired_bytes_per_session']:,}",
                f"<= {mem['target_bytes']:,}",
                verdict(mem["created_and_expired_bytes_per_session"], mem["target_bytes"]),
            ],
        ]
        + [
            [f"  of which {t['file']}", f"{t['bytes_per_session']:,}", "", ""]
            for t in mem["top_files_after_expiry"]
        ],
    )

    ls = results["localstripe"]
    if "skipped" in ls:
        print(f"\n5. localstripe: skipped ({ls['skipped']})")
    else:
        table(
            f"5. localstripe {ls['localstripe_version']} over loopback HTTP (127.0.0.1) vs. the fake "
            "in process, through the SDK — DIFFERENT endpoints (localstripe has no Checkout)",
            [
                "call",
                "localstripe",
                "(1st round)",
                "(last round)",
                "fake",
                "localstripe / fake",
            ],
            [
                [
                    f"{r['localstripe_endpoint']} vs {r['fake_endpoint']}",
                    fmt_us(r["localstripe"]["median_wall_us"]),
                    fmt_us(r["localstripe"]["rounds_wall_us"][0]),
                    fmt_us(r["localstripe"]["rounds_wall_us"][-1]),
                    fmt_us(r["fake"]["median_wall_us"]),
                    f"{r['ratio_wall']:.1f}x",
                ]
                for key, r in ls.items()
                if isinstance(r, dict)
            ],
        )
        print(
            f"  (localstripe held {ls['localstripe_customers_stored']:,} customers at the end; it "
            "pickles its whole store to /tmp/localstripe.pickle on every write, so its create "
            "slows down as the store grows)"
        )
    print(f"\nJSON: {results['json']}  (total {results['elapsed_s']:.1f} s)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds and calls")
    parser.add_argument("--json", type=Path, default=None, help=f"output (default {DEFAULT_JSON})")
    parser.add_argument(
        "--localstripe-python",
        type=Path,
        default=DEFAULT_LOCALSTRIPE_PYTHON,
        help="an interpreter with localstripe installed (a throwaway venv); missing: skipped",
    )
    parser.add_argument("--no-localstripe", action="store_true", help="skip localstripe")
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    out = args.json or DEFAULT_JSON
    started = time.perf_counter()
    results: dict[str, Any] = {
        "mode": "quick" if args.quick else "full",
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "machine": machine(),
        "plan": plan.__dict__,
    }
    results["sdk_vs_stub"] = bench_sdk_vs_stub(plan)
    small, big = new_fake(stored=plan.small), new_fake(stored=plan.big)
    results["scale"] = bench_scale(plan, small, big)
    results["mass_expiry"] = bench_mass_expiry(plan, big)
    del small, big
    results["memory"] = bench_memory(plan)
    results["localstripe"] = (
        {"skipped": "--no-localstripe"}
        if args.no_localstripe
        else bench_localstripe(plan, args.localstripe_python)
    )
    results["elapsed_s"] = round(time.perf_counter() - started, 1)
    results["json"] = str(out)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    report(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
