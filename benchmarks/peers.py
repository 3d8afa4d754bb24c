"""Peers in the same run (``--peers``): localstripe next to fakecheckout on customers.

Customers are an endpoint both emulate. Three contestants, rounds alternating, all through the
same ``stripe`` SDK (global style, ``RequestsClient``):

- ``localstripe``: its aiohttp server in its own process (its own virtualenv), over loopback HTTP;
- ``fakecheckout serve``: ``python -m fakecheckout serve`` in its own process, over loopback HTTP
  (the same transport as localstripe: the like-for-like comparison);
- ``fakecheckout in process``: the fake intercepting ``requests`` (how tests normally use it).

No goal: the figures are reported, with the method, in ``docs/performance.md``.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests
import stripe
from common import STRIPE_BASE, Plan, Target, alternate, configure_sdk, new_fake, sync_round

ROOT = Path(__file__).resolve().parent.parent
LOCALSTRIPE_SERVER = """
import sys
from aiohttp import web
from localstripe.server import app
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), access_log=None, print=None)
"""


def bench_peers(plan: Plan, localstripe_python: Path) -> tuple[dict[str, Any], list[Target]]:
    if not localstripe_python.exists():
        why = f"no localstripe interpreter at {localstripe_python} (--localstripe-python)"
        return {"skipped": why}, [Target("peers", "localstripe", None, None, note=f"n/a: {why}")]
    version = subprocess.run(
        [
            str(localstripe_python),
            "-c",
            "import importlib.metadata as m; print(m.version('localstripe'))",
        ],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    pickle_file = Path("/tmp/localstripe.pickle")  # localstripe writes its store on every change
    pickle_existed = pickle_file.exists()
    ls_port, fc_port = _free_port(), _free_port()
    servers = [
        subprocess.Popen(
            [str(localstripe_python), "-c", LOCALSTRIPE_SERVER, str(ls_port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
        subprocess.Popen(
            [sys.executable, "-m", "fakecheckout", "serve", "--port", str(fc_port), "--seed", "1"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=ROOT,
        ),
    ]
    try:
        bases = {
            "localstripe": f"http://127.0.0.1:{ls_port}",
            "fakecheckout serve": f"http://127.0.0.1:{fc_port}",
            "fakecheckout in process": STRIPE_BASE,
        }
        for server, base in zip(servers, bases.values(), strict=False):
            _wait_for(base, server)
        fake = new_fake()
        contexts: dict[str, Callable[[], Any]] = {
            "localstripe": lambda: _base(bases["localstripe"]),
            "fakecheckout serve": lambda: _base(bases["fakecheckout serve"]),
            "fakecheckout in process": lambda: fake,
        }
        customer_ids: dict[str, str] = {}
        for name, context in contexts.items():
            with context():
                customer_ids[name] = stripe.Customer.create(email="peer@example.com").id
        out: dict[str, Any] = {"localstripe_version": version}
        targets = []
        for call in ("create", "retrieve"):

            def runner(name: str, call: str = call) -> Callable[[int], tuple[float, float]]:
                def do() -> object:
                    if call == "create":
                        return stripe.Customer.create(email="peer@example.com")
                    return stripe.Customer.retrieve(customer_ids[name])

                return sync_round(contexts[name], do)

            measured = alternate(
                {name: runner(name) for name in contexts}, plan.peer_calls, plan.rounds
            )
            medians = {name: measured[name].median_wall() * 1e6 for name in measured}
            out[call] = {name: measured[name].as_json() for name in measured}
            targets.append(
                Target(
                    "peers (customers, SDK)",
                    f"{call}: localstripe / fakecheckout serve (both over loopback HTTP)",
                    round(medians["localstripe"] / medians["fakecheckout serve"], 2),
                    None,
                    note=", ".join(f"{n} {v:,.0f} µs" for n, v in medians.items()),
                )
            )
        return out, targets
    finally:
        configure_sdk()
        for server in servers:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        if not pickle_existed:
            pickle_file.unlink(missing_ok=True)


@contextmanager
def _base(url: str) -> Iterator[None]:
    configure_sdk(url)
    try:
        yield
    finally:
        configure_sdk()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"{base}: the server exited with {server.returncode}")
        try:
            requests.get(f"{base}/v1/customers", timeout=1)
            return
        except requests.ConnectionError:
            time.sleep(0.1)
    raise RuntimeError(f"{base}: not listening within 20 s")
