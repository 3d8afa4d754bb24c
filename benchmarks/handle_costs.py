"""What ``fake.handle`` costs per call on its own, and "in context": right after a ``requests`` call.

Run from the project root (not part of the test suite, no goals)::

    python benchmarks/handle_costs.py               # 1,500 calls per round, 3 rounds
    python benchmarks/handle_costs.py --calls 3000 --only create,expire

The five calls of the per-call targets (create, retrieve, update, list, expire), each sent as
the SDK sends it (its headers, an ``Idempotency-Key`` on every POST, its ``Stripe-Version``) to a
fake holding 100 sessions. "Isolated" times ``fake.handle`` in a tight loop; "in context" times
the same call when each one follows a ``requests`` GET answered by a bare ``responses`` stub,
which is where the fake runs in a real test: the SDK's and the HTTP client's code have just run
and pushed the fake's code and data out of the CPU's caches. The per-call ratios of
``benchmarks/run.py`` move with the in-context figure, not the isolated one (see
``docs/performance.md``). The figure is the best of the rounds.
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import CREATE_BODY, CREATE_PARAMS, KEY, SESSIONS, UPDATE_BODY, new_fake  # noqa: E402
from overhead import _stub  # noqa: E402

SDK_HEADERS = {
    "User-Agent": "Stripe/v1 PythonBindings/16.1.0",
    "Accept-Encoding": "gzip, deflate",
    "Accept": "*/*",
    "Connection": "keep-alive",
    "X-Stripe-Client-User-Agent": '{"bindings_version": "16.1.0", "lang": "python", '
    '"httplib": "requests", "lang_version": "3.11.7"}',
    "Authorization": f"Bearer {KEY}",
    "Content-Type": "application/x-www-form-urlencoded",
    "Stripe-Version": "2026-10-28.endive",
}
CALLS = ("create", "retrieve", "update", "list", "expire")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1500, help="calls per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", default=",".join(CALLS), help="comma-separated calls")
    args = parser.parse_args()
    fake = new_fake(sessions=100)
    session_id = fake.sessions.create(**CREATE_PARAMS)["id"]
    one = f"{SESSIONS}/{session_id}"
    open_ids: list[str] = []

    def post(url: str, body: bytes) -> object:
        headers = {**SDK_HEADERS, "Idempotency-Key": str(uuid.uuid4())}
        return fake.handle("POST", url, headers, body)

    calls: dict[str, Callable[[], object]] = {
        "create": lambda: post(SESSIONS, CREATE_BODY),
        "retrieve": lambda: fake.handle("GET", one, SDK_HEADERS, b""),
        "update": lambda: post(one, UPDATE_BODY),
        "list": lambda: fake.handle("GET", f"{SESSIONS}?limit=10", SDK_HEADERS, b""),
        "expire": lambda: post(f"{SESSIONS}/{open_ids.pop()}/expire", b""),
    }
    client = requests.Session()
    status, headers, body = fake.handle("GET", one, SDK_HEADERS, b"")
    stub = _stub((status, headers, body))

    def between() -> None:
        client.get(one, headers={"Authorization": f"Bearer {KEY}"})

    def best(call: Callable[[], object], before: Callable[[], None] | None, name: str) -> float:
        figures = []
        for _ in range(args.rounds):
            if name == "expire":
                open_ids[:] = [
                    fake.sessions.create(**CREATE_PARAMS)["id"] for _ in range(args.calls)
                ]
            spent = 0.0
            for _ in range(args.calls):
                if before is not None:
                    before()
                started = time.perf_counter()
                call()
                spent += time.perf_counter() - started
            figures.append(spent / args.calls)
        return min(figures)

    print(f"fake.handle per call, best of {args.rounds} rounds of {args.calls} calls (µs)")
    print(f"{'call':10s} {'isolated':>9s} {'in context':>11s}")
    with stub():
        for name in args.only.split(","):
            isolated = best(calls[name], None, name)
            in_context = best(calls[name], between, name)
            print(f"{name:10s} {isolated * 1e6:9.1f} {in_context * 1e6:11.1f}")


if __name__ == "__main__":
    main()
