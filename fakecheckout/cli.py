"""``python -m fakecheckout serve [--host 127.0.0.1] [--port 12111] [--seed N] [--api-version V]``.

Serves one fake until SIGINT (Ctrl-C) or SIGTERM, then shuts down cleanly (requests in flight
finish) and exits 0. Logs one line per request to stderr; the first line names the address.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType
from typing import Any

DEFAULT_PORT = 12111
"""The port ``stripe-mock`` uses too, so tools preconfigured for it find the fake."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fakecheckout")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve a fake Stripe over HTTP")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback)")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help="0 picks a free port")
    serve.add_argument("--seed", type=int, default=None, help="reproducible ids")
    serve.add_argument("--api-version", default=None, help="the account's default API version")
    args = parser.parse_args(argv)
    return _serve(args.host, args.port, seed=args.seed, api_version=args.api_version)


def _serve(host: str, port: int, *, seed: int | None, api_version: str | None) -> int:
    from fakecheckout.fake import FakeCheckout
    from fakecheckout.server import FakeServer

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    log = logging.getLogger("fakecheckout.server")
    fake_kwargs: dict[str, Any] = {"seed": seed, "strict": False}
    if api_version is not None:
        fake_kwargs["api_version"] = api_version
    try:
        fake = FakeCheckout(**fake_kwargs)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        server = FakeServer(fake, host, port)
    except OSError as error:
        print(f"error: cannot listen on {host}:{port}: {error}", file=sys.stderr)
        return 1

    def stop(signum: int, frame: FrameType | None) -> None:
        log.info("fakecheckout: %s received, shutting down", signal.Signals(signum).name)
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    log.info("fakecheckout serving on %s (Ctrl-C to stop)", server.url)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
    log.info("fakecheckout stopped")
    return 0
