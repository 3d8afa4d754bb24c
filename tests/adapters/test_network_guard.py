"""The network guard: while a fake is active nothing reaches for a Stripe host over the network,
whatever client sends it; what the fake cannot answer fails at the call site, naming
fakecheckout, and is recorded in ``fake.unhandled``.

Attempts are counted with a Python audit hook: ``socket.getaddrinfo``/``gethostbyname`` (DNS)
and ``socket.connect`` events whose host is a Stripe host, seen after fakecheckout's own guard
(so an attempt that the guard refused is not counted: it never left the process).
"""

from __future__ import annotations

import asyncio
import io
import socket
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import aiohttp
import httpx
import pytest
import requests
import stripe

from fakecheckout import FakeCheckout, NetworkGuardError
from fakecheckout.adapters.hosts import is_stripe_host
from tests.factories import AUTH, KEY, payment_params

HOSTS = ("api.stripe.com", "files.stripe.com", "connect.stripe.com", "q9z.stripe.com")
"""The emulated host, two real hosts the fake does not emulate, and one that does not exist."""

_attempts: list[tuple[str, str]] | None = None


def _count(event: str, args: tuple[Any, ...]) -> None:
    if _attempts is None:
        return
    if event in ("socket.getaddrinfo", "socket.gethostbyname") and args:
        host = args[0]
    elif event == "socket.connect" and len(args) > 1 and isinstance(args[1], tuple):
        host = args[1][0]
    else:
        return
    if is_stripe_host(host) or host == "localhost":
        _attempts.append((event, str(host)))


with FakeCheckout():  # the guard's audit hook is added once, at the first start: before ours
    pass
sys.addaudithook(_count)


@pytest.fixture
def attempts() -> Iterator[list[tuple[str, str]]]:
    """The DNS lookups and connects to Stripe hosts (and ``localhost``) made during the test."""
    global _attempts
    _attempts = []
    try:
        yield _attempts
    finally:
        _attempts = None


def _sdk_calls() -> dict[str, Callable[[], Any]]:
    """Every HTTP client stripe-python can use, each creating a session."""

    def sync(http_client: Any) -> Callable[[], Any]:
        return lambda: stripe.StripeClient(
            KEY, http_client=http_client
        ).v1.checkout.sessions.create(payment_params())

    def async_(make: Callable[[], Any]) -> Callable[[], Any]:
        async def run() -> Any:
            http_client = make()
            try:
                client = stripe.StripeClient(KEY, http_client=http_client)
                return await client.v1.checkout.sessions.create_async(payment_params())
            finally:
                await http_client.close_async()

        return lambda: asyncio.run(run())

    return {
        "requests": sync(stripe.RequestsClient()),
        "httpx": sync(stripe.HTTPXClient(allow_sync_methods=True)),
        "urllib": sync(stripe.UrllibClient()),
        "httpx_async": async_(stripe.HTTPXClient),
        "aiohttp": async_(stripe.AIOHTTPClient),
    }


def _raw_get(client: str, url: str) -> int:
    """GET ``url`` with a raw client; its HTTP status."""
    if client == "requests":
        return requests.get(url, headers=AUTH).status_code
    if client == "httpx":
        return httpx.get(url, headers=AUTH).status_code
    if client == "urllib":
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers=AUTH)) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return error.code

    async def run() -> int:
        if client == "httpx_async":
            async with httpx.AsyncClient() as http:
                return (await http.get(url, headers=AUTH)).status_code
        async with aiohttp.ClientSession() as session, session.get(url, headers=AUTH) as r:
            return r.status

    return asyncio.run(run())


RAW_CLIENTS = ("requests", "httpx", "urllib", "httpx_async", "aiohttp")


def test_the_counter_sees_a_real_lookup(attempts):
    """The counting hook works: a lookup of localhost outside any fake is counted."""
    socket.getaddrinfo("localhost", 80)
    assert ("socket.getaddrinfo", "localhost") in attempts


def test_every_sdk_client_reaches_the_fake_with_no_network_attempt(attempts):
    with FakeCheckout() as fake:
        created = {name: call()["id"] for name, call in _sdk_calls().items()}
    assert attempts == []
    assert all(fake.sessions.retrieve(session_id) for session_id in created.values())
    assert fake.unhandled == []


@pytest.mark.parametrize("client", RAW_CLIENTS)
@pytest.mark.parametrize("host", HOSTS)
def test_raw_clients_make_no_network_attempt_to_any_stripe_host(attempts, client, host):
    with FakeCheckout(strict=False) as fake:
        status = _raw_get(client, f"https://{host}/v1/checkout/sessions")
    assert attempts == []
    if host == "api.stripe.com":
        assert (status, fake.unhandled) == (200, [])
    else:
        assert status == 404
        assert fake.unhandled == [("GET", f"https://{host}/v1/checkout/sessions")]


def test_an_unemulated_host_fails_the_sdk_call_with_a_message_naming_fakecheckout(attempts):
    upload = {"purpose": "dispute_evidence", "file": io.BytesIO(b"%PDF-1.4")}
    with FakeCheckout(strict=False) as fake, pytest.raises(stripe.InvalidRequestError) as info:
        stripe.StripeClient(KEY).v1.files.create(upload)  # files.stripe.com
    assert "fakecheckout does not emulate files.stripe.com" in str(info.value)
    assert fake.unhandled == [("POST", "https://files.stripe.com/v1/files")]
    assert attempts == []


@pytest.mark.parametrize(
    "reach",
    [
        pytest.param(lambda host: socket.getaddrinfo(host, 443), id="getaddrinfo"),
        pytest.param(lambda host: socket.gethostbyname(host), id="gethostbyname"),
        pytest.param(lambda host: socket.create_connection((host, 443), timeout=1), id="create"),
        pytest.param(lambda host: socket.socket().connect((host, 443)), id="connect"),
        pytest.param(lambda host: asyncio.run(asyncio.open_connection(host, 443)), id="asyncio"),
    ],
)
@pytest.mark.parametrize("host", HOSTS)
def test_raw_sockets_are_refused_at_the_call_site(attempts, reach, host):
    with FakeCheckout(strict=False) as fake, pytest.raises(NetworkGuardError) as info:
        reach(host)
    assert "fakecheckout blocked" in str(info.value)
    assert attempts == []
    assert [target.partition(":")[0] for _, target in fake.unhandled] == [host]


def test_a_refused_connection_fails_the_strict_fake_on_stop():
    fake = FakeCheckout()
    fake.start()
    with pytest.raises(NetworkGuardError):
        socket.getaddrinfo("files.stripe.com", 443)
    with pytest.raises(Exception, match="socket.getaddrinfo files.stripe.com:443"):
        fake.stop()


def test_other_hosts_are_not_guarded(attempts):
    with FakeCheckout():
        socket.getaddrinfo("localhost", 80)
    assert attempts == [("socket.getaddrinfo", "localhost")]


def test_the_guard_is_off_once_no_fake_is_active(attempts):
    with FakeCheckout():
        pass
    socket.getaddrinfo("localhost", 80)  # the guard does not raise for anything now
    from fakecheckout.adapters import network_guard

    assert network_guard._on_blocked is None
