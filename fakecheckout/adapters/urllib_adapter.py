"""The ``urllib.request`` front door (``stripe.UrllibClient`` and stdlib-only code).

While started, ``urllib.request.HTTPHandler.http_open`` and ``HTTPSHandler.https_open`` are
wrapped. Openers look these methods up on each call, so ``urlopen``, openers built before the fake
started and ``build_opener(ProxyHandler(...))`` (what the SDK builds for a proxy) all reach the fake
for a Stripe host. The answer is an ``addinfourl`` like the real one, so ``urllib``'s own
processors still raise ``HTTPError`` for a 4xx/5xx answer, as they do for Stripe's.

``urllib`` capitalizes header names (``Idempotency-key``); the fake reads headers
case-insensitively, as HTTP says.
"""

from __future__ import annotations

import http.client
import io
import urllib.error
import urllib.request
import urllib.response
from collections.abc import Callable, Iterable
from typing import Any

from fakecheckout.adapters.hosts import is_stripe_url
from fakecheckout.adapters.patching import MethodPatch, PatchingDoor
from fakecheckout.http.faults import InjectedConnectionError


class UrllibAdapter(PatchingDoor):
    """Routes ``urllib.request`` calls to Stripe hosts into ``handle`` while started."""

    def patches(self) -> list[MethodPatch]:
        patches = [MethodPatch(urllib.request.HTTPHandler, "http_open", self._wrapper)]
        https = getattr(urllib.request, "HTTPSHandler", None)  # absent without ssl
        if https is not None:
            patches.append(MethodPatch(https, "https_open", self._wrapper))
        return patches

    def _wrapper(self, original: Any, is_active: Callable[[], bool]) -> Any:
        def open_url(handler: Any, request: urllib.request.Request) -> Any:
            url = request.full_url
            if not is_active() or not is_stripe_url(url):
                return original(handler, request)
            return self._answer(request, url)

        return open_url

    def _answer(self, request: urllib.request.Request, url: str) -> urllib.response.addinfourl:
        headers = dict(request.header_items())
        try:
            status, response_headers, content = self._handle(
                request.get_method(), url, headers, _body(request.data)
            )
        except InjectedConnectionError as error:  # what ``do_open`` raises for an ``OSError``
            raise urllib.error.URLError(error) from error
        message = http.client.HTTPMessage()
        for name, value in response_headers.items():
            message[name] = value
        message["Content-Length"] = str(len(content))
        response = urllib.response.addinfourl(io.BytesIO(content), message, url, status)
        response.msg = http.client.responses.get(status, "")  # type: ignore[attr-defined]
        return response


def _body(data: Any) -> bytes:
    if data is None:
        return b""
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data)
    if isinstance(data, str):
        return data.encode("utf-8")
    if hasattr(data, "read"):
        return _body(data.read())
    chunks: Iterable[Any] = data
    return b"".join(_body(chunk) for chunk in chunks)
