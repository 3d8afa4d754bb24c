"""The ``aiohttp`` front door (``stripe.AIOHTTPClient``), when ``aiohttp`` is installed.

While started, ``aiohttp.ClientSession._request`` (what ``session.get``/``post``/``request``
await, also as ``async with``) is wrapped: a request to a Stripe host is answered by the fake
with a ``FakeClientResponse``, and every other request goes on to the original method.

``FakeClientResponse`` is not an ``aiohttp.ClientResponse``: building a real one needs
``aiohttp``'s private connection objects, whose constructor changes between releases. It has the
public reading API that clients use (``status``, ``reason``, ``headers``, ``url``, ``method``,
``ok``, ``content.read()``, ``read()``, ``text()``, ``json()``, ``raise_for_status()``,
``release()``, ``close()``, ``async with``).
"""

from __future__ import annotations

import json as json_module
from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode

from fakecheckout.adapters.hosts import is_stripe_url
from fakecheckout.adapters.patching import MethodPatch, PatchingDoor
from fakecheckout.http.faults import InjectedConnectionError


class AiohttpAdapter(PatchingDoor):
    """Routes ``aiohttp`` requests to Stripe hosts into ``handle`` while started."""

    def patches(self) -> list[MethodPatch]:
        try:
            import aiohttp
        except ImportError:
            return []
        return [MethodPatch(aiohttp.ClientSession, "_request", self._wrapper)]

    def _wrapper(self, original: Any, is_active: Callable[[], bool]) -> Any:
        async def _request(session: Any, method: str, str_or_url: Any, **kwargs: Any) -> Any:
            url = _full_url(session, str_or_url, kwargs.get("params"))
            if not is_active() or not is_stripe_url(url):
                return await original(session, method, str_or_url, **kwargs)
            headers = _headers(session, kwargs.get("headers"))
            body = _body(kwargs.get("data"), kwargs.get("json"), headers)
            try:
                status, response_headers, content = self._handle(method, url, headers, body)
            except InjectedConnectionError as error:
                raise _connector_error(url, error) from error
            return FakeClientResponse(method.upper(), url, status, response_headers, content)

        return _request


class _Content:
    """The body as ``aiohttp``'s ``StreamReader`` offers it: ``read()``, ``readany()``, chunks."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._offset = 0

    async def read(self, n: int = -1) -> bytes:
        end = len(self._data) if n < 0 else min(len(self._data), self._offset + n)
        chunk = self._data[self._offset : end]
        self._offset = end
        return chunk

    async def readany(self) -> bytes:
        return await self.read()

    def at_eof(self) -> bool:
        return self._offset >= len(self._data)

    async def iter_any(self) -> Any:
        chunk = await self.read()
        if chunk:
            yield chunk

    def __aiter__(self) -> Any:
        return self.iter_any()


class FakeClientResponse:
    """A fake's answer, read like an ``aiohttp.ClientResponse`` (see the module docstring)."""

    def __init__(
        self, method: str, url: str, status: int, headers: Mapping[str, str], body: bytes
    ) -> None:
        from multidict import CIMultiDict, CIMultiDictProxy
        from yarl import URL

        self.method = method
        self.url = URL(url)
        self.real_url = self.url
        self.status = status
        self.reason = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else ""
        all_headers = CIMultiDict(headers)
        all_headers["Content-Length"] = str(len(body))
        self.headers = CIMultiDictProxy(all_headers)
        self.history: tuple[Any, ...] = ()
        self.content = _Content(body)
        self._body = body
        self.closed = False

    @property
    def ok(self) -> bool:
        return self.status < 400

    @property
    def content_type(self) -> str:
        return str(self.headers.get("Content-Type", "application/octet-stream")).split(";")[0]

    async def read(self) -> bytes:
        return self._body

    async def text(self, encoding: str | None = None, errors: str = "strict") -> str:
        return self._body.decode(encoding or "utf-8", errors)

    async def json(self, *, loads: Callable[[str], Any] = json_module.loads, **_: Any) -> Any:
        return loads(self._body.decode("utf-8"))

    def raise_for_status(self) -> None:
        if self.ok:
            return
        import aiohttp

        raise aiohttp.ClientResponseError(
            _request_info(self),
            self.history,
            status=self.status,
            message=self.reason,
            headers=self.headers,
        )

    def release(self) -> None:
        self.closed = True

    def close(self) -> None:
        self.closed = True

    async def wait_for_close(self) -> None:
        self.closed = True

    async def __aenter__(self) -> FakeClientResponse:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self.release()

    def __repr__(self) -> str:
        return f"<FakeClientResponse({self.url}) [{self.status} {self.reason}]>"


def _connector_error(url: str, error: OSError) -> Exception:
    """The ``aiohttp.ClientConnectorError`` of a connection to ``url`` that failed with ``error``
    (its connection key's fields vary between releases: those not known here are ``None``)."""
    import aiohttp
    from aiohttp.client_reqrep import ConnectionKey
    from yarl import URL

    target = URL(url)
    known: dict[str, Any] = {
        "host": target.host,
        "port": target.port,
        "is_ssl": target.scheme == "https",
        "ssl": True,  # aiohttp's "default verification"
    }
    fields: dict[str, Any] = {name: known.get(name) for name in ConnectionKey._fields}
    key = ConnectionKey(**fields)
    return aiohttp.ClientConnectorError(key, error)


def _request_info(response: FakeClientResponse) -> Any:
    import aiohttp
    from multidict import CIMultiDict, CIMultiDictProxy

    empty: CIMultiDictProxy[str] = CIMultiDictProxy(CIMultiDict())
    return aiohttp.RequestInfo(response.url, response.method, empty, response.url)


def _full_url(session: Any, str_or_url: Any, params: Any) -> str:
    from yarl import URL

    build = getattr(session, "_build_url", None)
    url = build(str_or_url) if build is not None else URL(str(str_or_url))
    if params:
        url = url.extend_query(params)
    return str(url)


def _headers(session: Any, headers: Any) -> dict[str, str]:
    merged: dict[str, str] = {}
    defaults = getattr(session, "headers", None) or {}
    for source in (defaults, headers or {}):
        items = source.items() if hasattr(source, "items") else source
        for name, value in items:
            merged[str(name)] = str(value)
    return merged


def _body(data: Any, json: Any, headers: dict[str, str]) -> bytes:
    if json is not None:
        headers.setdefault("Content-Type", "application/json")
        return json_module.dumps(json).encode("utf-8")
    if data is None:
        return b""
    if isinstance(data, bytes | bytearray):
        return bytes(data)
    if isinstance(data, str):
        return data.encode("utf-8")
    if isinstance(data, (Mapping, list | tuple)):
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        return urlencode(list(data.items()) if isinstance(data, Mapping) else list(data)).encode()
    raise TypeError(
        f"fakecheckout cannot send an aiohttp body of type {type(data).__name__} to Stripe"
    )
