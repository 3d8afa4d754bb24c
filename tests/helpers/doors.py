"""One raw request through each front door, for the helpers' tests: ``DOORS[name](method, url,
headers, body) -> (status, json)``. A door's own errors (a connection failure) propagate."""

from __future__ import annotations

import asyncio
import json
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import aiohttp
import httpx
import requests

from fakecheckout import FakeCheckout
from fakecheckout.server import FakeServer

Send = Callable[[str, str, dict[str, str], bytes | None], tuple[int, Any]]

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def through_requests(method: str, url: str, headers: dict[str, str], body: bytes | None) -> Any:
    response = requests.request(method, url, headers=headers, data=body)
    return response.status_code, response.json()


def through_httpx(method: str, url: str, headers: dict[str, str], body: bytes | None) -> Any:
    response = httpx.request(method, url, headers=headers, content=body)
    return response.status_code, response.json()


def through_async_httpx(method: str, url: str, headers: dict[str, str], body: bytes | None) -> Any:
    async def send() -> Any:
        async with httpx.AsyncClient() as client:
            response = await client.request(method, url, headers=headers, content=body)
            return response.status_code, response.json()

    return asyncio.run(send())


def through_urllib(method: str, url: str, headers: dict[str, str], body: bytes | None) -> Any:
    request = urllib.request.Request(url, body, headers, method=method)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def through_aiohttp(method: str, url: str, headers: dict[str, str], body: bytes | None) -> Any:
    async def send() -> Any:
        async with (
            aiohttp.ClientSession() as session,
            session.request(method, url, headers=headers, data=body) as response,
        ):
            return response.status, await response.json()

    return asyncio.run(send())


DOORS: dict[str, Send] = {
    "requests": through_requests,
    "httpx": through_httpx,
    "httpx_async": through_async_httpx,
    "urllib": through_urllib,
    "aiohttp": through_aiohttp,
}
"""The in-process doors: each sends to ``https://api.stripe.com`` while a fake is active."""


@contextmanager
def served(fake: FakeCheckout) -> Iterator[str]:
    """``fake`` behind a real HTTP server on loopback; yields its base URL."""
    server = FakeServer(fake)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server.url
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
