"""The httpx (sync and async), urllib and aiohttp doors: Stripe hosts reach the fake, one world
for every door, other hosts go on to where they went before."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from urllib.parse import urlencode

import aiohttp
import httpx
import pytest
import requests
import stripe

import fakecheckout
from fakecheckout import FakeCheckout
from tests.factories import AUTH, KEY, payment_params
from tests.local_pages import local_pages

SESSIONS = "https://api.stripe.com/v1/checkout/sessions"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
CREATE_BODY = urlencode(
    {
        "mode": "payment",
        "success_url": "https://example.com/ok",
        "line_items[0][price_data][currency]": "usd",
        "line_items[0][price_data][unit_amount]": "1500",
        "line_items[0][price_data][product_data][name]": "T-shirt",
        "line_items[0][quantity]": "2",
    }
)


@pytest.fixture
def local_url() -> Iterator[str]:
    """A real server on loopback: the 'other host' a client reaches through the doors."""
    with local_pages({"/ping": b"pong"}) as base:
        yield f"{base}/ping"


def test_raw_httpx_reaches_the_fake():
    with FakeCheckout() as fake:
        created = httpx.post(SESSIONS, headers={**AUTH, **FORM}, content=CREATE_BODY).json()
    assert fake.sessions.retrieve(created["id"])["amount_total"] == 3000


def test_raw_async_httpx_reaches_the_fake():
    async def create() -> dict:
        async with httpx.AsyncClient() as client:
            response = await client.post(SESSIONS, headers={**AUTH, **FORM}, content=CREATE_BODY)
            return response.json()

    with FakeCheckout() as fake:
        created = asyncio.run(create())
    assert fake.sessions.retrieve(created["id"])["status"] == "open"


def test_raw_urllib_reaches_the_fake():
    request = urllib.request.Request(SESSIONS, CREATE_BODY.encode(), {**AUTH, **FORM})
    with FakeCheckout() as fake, urllib.request.urlopen(request) as response:
        created = json.load(response)
        assert response.status == 200
    assert fake.sessions.retrieve(created["id"])["amount_total"] == 3000


def test_urllib_raises_http_error_with_stripe_envelope_for_an_unknown_session():
    with FakeCheckout(), pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(urllib.request.Request(f"{SESSIONS}/cs_test_nope", headers=AUTH))
    assert info.value.code == 404
    assert json.load(info.value)["error"]["code"] == "resource_missing"


def test_raw_aiohttp_reaches_the_fake():
    async def create() -> tuple[int, dict]:
        async with (
            aiohttp.ClientSession() as session,
            session.post(SESSIONS, headers={**AUTH, **FORM}, data=CREATE_BODY) as r,
        ):
            return r.status, await r.json()

    with FakeCheckout() as fake:
        status, created = asyncio.run(create())
    assert status == 200
    assert fake.sessions.retrieve(created["id"])["amount_total"] == 3000


def test_aiohttp_raise_for_status_raises_client_response_error():
    async def retrieve() -> None:
        async with aiohttp.ClientSession() as session:
            response = await session.get(f"{SESSIONS}/cs_test_nope", headers=AUTH)
            response.raise_for_status()

    with FakeCheckout(), pytest.raises(aiohttp.ClientResponseError) as info:
        asyncio.run(retrieve())
    assert info.value.status == 404


def test_a_session_created_through_one_door_is_seen_through_every_other():
    with FakeCheckout():
        created = stripe.StripeClient(KEY).v1.checkout.sessions.create(payment_params())
        path = f"{SESSIONS}/{created.id}"
        seen = {
            "httpx": httpx.get(path, headers=AUTH).json()["id"],
            "urllib": json.load(urllib.request.urlopen(urllib.request.Request(path, headers=AUTH)))[
                "id"
            ],
            "requests": requests.get(path, headers=AUTH).json()["id"],
        }
    assert set(seen.values()) == {created.id}


def test_sdk_async_methods_need_nothing_but_an_active_fake():
    @fakecheckout.activate
    async def checkout() -> tuple[str, str]:
        session = await stripe.checkout.Session.create_async(api_key=KEY, **payment_params())
        return session.id, fakecheckout.current().sessions.retrieve(session.id)["status"]

    session_id, status = asyncio.run(checkout())
    assert session_id.startswith("cs_test_") and status == "open"


@pytest.mark.parametrize(
    "http_client",
    [
        pytest.param(lambda: stripe.HTTPXClient(allow_sync_methods=True), id="httpx"),
        pytest.param(stripe.UrllibClient, id="urllib"),
    ],
)
def test_stripe_sync_http_clients_reach_the_fake(http_client):
    client = stripe.StripeClient(KEY, http_client=http_client())
    with FakeCheckout() as fake:
        session = client.v1.checkout.sessions.create(payment_params())
    assert fake.sessions.retrieve(session.id)["id"] == session.id


@pytest.mark.parametrize(
    "http_client",
    [
        pytest.param(stripe.HTTPXClient, id="httpx"),
        pytest.param(stripe.AIOHTTPClient, id="aiohttp"),
    ],
)
def test_stripe_async_http_clients_reach_the_fake(http_client):
    async def create(client: stripe.StripeClient) -> str:
        session = await client.v1.checkout.sessions.create_async(payment_params())
        return session.id

    async def run() -> str:
        http = http_client()
        try:
            return await create(stripe.StripeClient(KEY, http_client=http))
        finally:
            await http.close_async()

    with FakeCheckout() as fake:
        session_id = asyncio.run(run())
    assert fake.sessions.retrieve(session_id)["id"] == session_id


def test_other_hosts_pass_through_every_door(local_url):
    async def through_aiohttp() -> str:
        async with aiohttp.ClientSession() as session, session.get(local_url) as response:
            return await response.text()

    async def through_async_httpx() -> str:
        async with httpx.AsyncClient() as client:
            return (await client.get(local_url)).text

    with FakeCheckout():
        answers = {
            httpx.get(local_url).text,
            urllib.request.urlopen(local_url).read().decode(),
            asyncio.run(through_aiohttp()),
            asyncio.run(through_async_httpx()),
        }
    assert answers == {"pong"}


def test_doors_are_removed_when_the_last_fake_stops():
    originals = (
        httpx.HTTPTransport.handle_request,
        httpx.AsyncHTTPTransport.handle_async_request,
        urllib.request.HTTPSHandler.https_open,
        aiohttp.ClientSession._request,
    )
    with FakeCheckout(), FakeCheckout():
        assert httpx.HTTPTransport.handle_request is not originals[0]
    assert (
        httpx.HTTPTransport.handle_request,
        httpx.AsyncHTTPTransport.handle_async_request,
        urllib.request.HTTPSHandler.https_open,
        aiohttp.ClientSession._request,
    ) == originals


def test_a_patch_put_over_a_door_keeps_working_after_the_fake_stops(monkeypatch):
    below = httpx.HTTPTransport.handle_request
    fake = FakeCheckout()
    fake.start()

    def user_patch(transport, request):  # what respx or pytest-httpx would install
        return httpx.Response(200, text="user mock", request=request)

    with monkeypatch.context() as patch:
        patch.setattr(httpx.HTTPTransport, "handle_request", user_patch)
        fake.stop()
        assert httpx.get("https://api.stripe.com/v1/x").text == "user mock"
    assert httpx.HTTPTransport.handle_request is not below  # the inert door stays under it
    with FakeCheckout():
        assert httpx.get(SESSIONS, headers=AUTH).json()["object"] == "list"
