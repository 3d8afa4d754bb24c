"""``fakecheckout serve``: a real HTTP server over a fake, with a hosted checkout page.

``serve(host="127.0.0.1", port=0, **fake_kwargs)`` runs it in a thread for a test; ``python -m
fakecheckout serve`` runs it in the foreground (``fakecheckout.cli``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fakecheckout.fake import FakeCheckout
from fakecheckout.server.http_server import FakeServer

__all__ = ["FakeServer", "RunningServer", "serve"]


class RunningServer:
    """What ``serve`` yields: the base address ``url`` and the ``fake`` behind it."""

    def __init__(self, server: FakeServer) -> None:
        self.server = server
        self.url = server.url
        """``http://HOST:PORT``: give it to the SDK (``base_addresses={"api": url}``)."""
        self.fake: FakeCheckout = server.fake
        """The fake that answers: its direct API, clock and webhooks see what clients did."""

    def __repr__(self) -> str:
        return f"<fakecheckout server {self.url}>"


@contextmanager
def serve(host: str = "127.0.0.1", port: int = 0, **fake_kwargs: Any) -> Iterator[RunningServer]:
    """Serve a new ``FakeCheckout(**fake_kwargs)`` over HTTP in a thread while the block runs.

    ``port=0`` picks a free port (read it from ``.url``). The fake is not started in-process:
    only clients given ``.url`` reach it (``with server.fake:`` intercepts in-process calls to
    ``api.stripe.com`` too). The server is shut down and closed when the block ends.
    """
    fake = FakeCheckout(**fake_kwargs)
    server = FakeServer(fake, host, port)
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.05},
        name="fakecheckout-serve",
        daemon=True,
    )
    thread.start()
    try:
        yield RunningServer(server)
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
