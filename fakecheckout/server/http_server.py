"""``FakeServer``: a real HTTP server over one fake's ``handle``, plus its checkout page.

Built on the standard library's ``http.server.ThreadingHTTPServer`` (decided: it gives threaded
requests, HTTP/1.1 keep-alive and clean shutdown with no dependency, and the server needs no
routing, templating or async of its own; everything it answers comes from ``fake.handle`` and
``checkout_page``). One thread per connection; connections are kept alive (HTTP/1.1), and
closing the server ends idle ones, so ``close()`` never waits on a client.

Every request is logged as one line on the ``fakecheckout.server`` logger (INFO):
``127.0.0.1 "POST /v1/checkout/sessions" 200 2345``.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from fakecheckout.fake import FakeCheckout
from fakecheckout.http.faults import InjectedConnectionError
from fakecheckout.server import checkout_page

logger = logging.getLogger("fakecheckout.server")

_MAX_BODY = 16 * 1024 * 1024
"""Bodies above this size are refused (413) rather than read into memory."""


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed-ACK stall
    timeout = 60  # seconds a connection may stay silent (idle keep-alive, a body never sent)
    server: FakeServer
    server_version = "fakecheckout"
    sys_version = ""

    def do_GET(self) -> None:
        self._answer()

    do_POST = do_DELETE = do_PUT = do_PATCH = do_HEAD = do_OPTIONS = do_GET

    def _answer(self) -> None:
        body = self._read_body()
        if body is None:
            self._send(413, {"Content-Type": "text/plain"}, b"request body too large\n")
            self.close_connection = True
            return
        path = self.path.partition("?")[0]
        fake = self.server.fake
        method = "GET" if self.command == "HEAD" else self.command  # HEAD: GET's headers
        if checkout_page.is_page_path(path):
            try:
                status, headers, content = checkout_page.answer(fake, method, path)
            except Exception:  # a bug of the page must not kill the connection's thread
                logger.exception("fakecheckout's checkout page failed on %s %s", method, path)
                status, headers, content = 500, {"Content-Type": "text/plain"}, b"page error\n"
        else:
            try:
                status, headers, content = fake.handle(method, self.path, dict(self.headers), body)
            except InjectedConnectionError:  # fake.fail_next: end the connection, answer nothing
                logger.info('%s "%s %s" dropped', self.client_address[0], self.command, self.path)
                self.close_connection = True
                return
        self._send(status, headers, b"" if self.command == "HEAD" else content, len(content))

    def _read_body(self) -> bytes | None:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        if length > _MAX_BODY:
            return None
        return self.rfile.read(length) if length > 0 else b""

    def _read_chunked(self) -> bytes | None:
        chunks: list[bytes] = []
        total = 0
        while True:
            size_line = self.rfile.readline(1024).split(b";")[0].strip()
            try:
                size = int(size_line or b"0", 16)
            except ValueError:
                return b"".join(chunks)
            if size == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(chunks)
            total += size
            if total > _MAX_BODY:
                return None
            chunks.append(self.rfile.read(size))
            self.rfile.readline(1024)

    def _send(
        self, status: int, headers: dict[str, str], content: bytes, length: int | None = None
    ) -> None:
        self.send_response(status)
        for name, value in headers.items():
            if name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(content) if length is None else length))
        self.end_headers()
        self.wfile.write(content)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if getattr(self, "path", None) is None:  # the request line could not be parsed
            logger.info('%s "%s" %s', self.client_address[0], self.requestline[:200], code)
            return
        logger.info('%s "%s %s" %s', self.client_address[0], self.command, self.path, code)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        logger.info("%s %s", self.client_address[0], format % args)


class FakeServer(ThreadingHTTPServer):
    """Serves ``fake`` on ``(host, port)`` (port 0: a free one); ``url`` is its base address.

    ``serve_forever()`` in a thread of your choice, ``shutdown()`` from another, then
    ``server_close()``; or use ``fakecheckout.serve``. Sets ``fake.checkout_page_base_url`` so
    sessions' ``url`` opens this server's checkout page. The fake is not started: in-process
    clients are not intercepted unless you also ``start()`` it.
    """

    daemon_threads = False  # joined by server_close (daemon threads are not tracked)
    block_on_close = True

    def __init__(self, fake: FakeCheckout, host: str = "127.0.0.1", port: int = 0) -> None:
        self.fake = fake
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host, port), _RequestHandler)
        fake.checkout_page_base_url = self.url

    @property
    def url(self) -> str:
        """``http://HOST:PORT``, the address clients use (``api_base``)."""
        host, port = self.server_address[:2]
        shown = str(host if isinstance(host, str) else host.decode())
        if ":" in shown:
            shown = f"[{shown}]"
        return f"http://{shown}:{port}"

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def server_close(self) -> None:
        """Stop listening, end idle keep-alive connections, wait for requests in flight."""
        self.socket.close()  # no new connections
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):  # an idle reader sees the end; replies finish
                connection.shutdown(socket.SHUT_RD)
        super().server_close()  # joins the request threads (block_on_close)
