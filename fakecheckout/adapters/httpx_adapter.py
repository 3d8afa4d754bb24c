"""The ``httpx`` front door, sync and async: Stripe hosts go to a fake, at the transport.

While started, ``httpx.HTTPTransport.handle_request`` and
``httpx.AsyncHTTPTransport.handle_async_request`` are wrapped (the place ``respx`` and
``pytest-httpx`` patch too), so every ``httpx.Client``/``AsyncClient`` that uses the default
transport, the SDK's ``*_async`` methods and ``stripe.HTTPXClient`` included, reaches the fake
for a request to a Stripe host, and nothing else changes: other hosts go on to the original
transport method. A client built with its own ``transport=`` (``httpx.MockTransport``) is left to
it. The fake answers in the caller's thread (and event loop: the answer is in memory, no I/O).

A no-op when ``httpx`` is not installed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fakecheckout.adapters.hosts import is_stripe_host
from fakecheckout.adapters.patching import MethodPatch, PatchingDoor
from fakecheckout.http.faults import InjectedConnectionError


class HttpxAdapter(PatchingDoor):
    """Routes ``httpx`` requests to Stripe hosts into ``handle`` while started."""

    def patches(self) -> list[MethodPatch]:
        try:
            import httpx
        except ImportError:
            return []
        return [
            MethodPatch(httpx.HTTPTransport, "handle_request", self._sync_wrapper),
            MethodPatch(httpx.AsyncHTTPTransport, "handle_async_request", self._async_wrapper),
        ]

    def _answer(self, request: Any, body: bytes) -> Any:
        import httpx

        try:
            status, headers, content = self._handle(
                request.method, str(request.url), _headers(request.headers), body
            )
        except InjectedConnectionError as error:
            raise httpx.ConnectError(str(error), request=request) from error
        return httpx.Response(status, headers=headers, content=content, request=request)

    def _sync_wrapper(self, original: Any, is_active: Callable[[], bool]) -> Any:
        def handle_request(transport: Any, request: Any) -> Any:
            if not is_active() or not is_stripe_host(request.url.host):
                return original(transport, request)
            return self._answer(request, request.read())

        return handle_request

    def _async_wrapper(self, original: Any, is_active: Callable[[], bool]) -> Any:
        async def handle_async_request(transport: Any, request: Any) -> Any:
            if not is_active() or not is_stripe_host(request.url.host):
                return await original(transport, request)
            return self._answer(request, await request.aread())

        return handle_async_request


def _headers(headers: Any) -> dict[str, str]:
    """``dict(headers)`` of ``httpx.Headers``, from its raw pairs: the mapping view decodes every
    header again for each one it looks up (most of the door's own cost). Repeated names are
    joined with ``", "``, as ``httpx`` joins them; a value that is not ASCII takes ``httpx``'s
    own path (it picks the encoding)."""
    out: dict[str, str] = {}
    try:
        for name, value in headers.raw:
            key, text = name.lower().decode("ascii"), value.decode("ascii")
            out[key] = f"{out[key]}, {text}" if key in out else text
    except UnicodeDecodeError:
        return dict(headers)
    return out
