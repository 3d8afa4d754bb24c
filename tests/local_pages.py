"""A tiny real HTTP server on loopback for tests: the 'other host' or a shop's own pages."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer


@contextmanager
def local_pages(pages: Mapping[str, bytes]) -> Iterator[str]:
    """Serve ``pages`` (path prefix → body, first match wins) on loopback; yields the base URL."""

    class Pages(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = next((b for prefix, b in pages.items() if self.path.startswith(prefix)), None)
            self.send_response(404 if body is None else 200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
