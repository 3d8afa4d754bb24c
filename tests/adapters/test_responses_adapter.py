"""The requests front door: Stripe calls reach the fake; other hosts reach what was there before."""

from __future__ import annotations

import gc
import re
import tracemalloc

import pytest
import requests
import requests_mock
import responses
import stripe
from requests.adapters import HTTPAdapter
from requests_mock.exceptions import NoMockAddress

from fakecheckout import FakeCheckout
from fakecheckout.adapters import StripeRoute
from tests.factories import AUTH, KEY, payment_params, shirt

SESSIONS = "https://api.stripe.com/v1/checkout/sessions"
CREATE = payment_params(line_items=[shirt(unit_amount=1000)])


@pytest.fixture
def client() -> stripe.StripeClient:
    return stripe.StripeClient(KEY)


@pytest.fixture
def outer() -> responses.RequestsMock:
    """A user's own ``responses`` mock, started before the fake; it answers example.com."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.get("https://example.com/ping", body="pong")
        mock.get(SESSIONS, body="outer mock answered a Stripe call")
        yield mock


def test_stripe_sdk_reaches_the_fake(client):
    with FakeCheckout() as fake:
        session = client.v1.checkout.sessions.create(CREATE)
    assert fake.sessions.retrieve(session.id)["id"] == session.id


def test_global_style_sdk_reaches_the_fake(monkeypatch):
    monkeypatch.setattr(stripe, "api_key", KEY)
    with FakeCheckout():
        session = stripe.checkout.Session.create(**CREATE)
        assert stripe.checkout.Session.expire(session.id).status == "expired"


def test_sdk_raises_its_own_error_for_a_fake_404(client):
    with FakeCheckout(), pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.checkout.sessions.retrieve("cs_test_missing")
    assert (raised.value.http_status, raised.value.code) == (404, "resource_missing")
    assert raised.value.request_id.startswith("req_")


def test_raw_requests_reach_the_fake():
    with FakeCheckout():
        response = requests.get(SESSIONS, headers=AUTH)
    assert (response.status_code, response.json()["object"]) == (200, "list")


def test_raw_requests_get_json_headers():
    with FakeCheckout():
        response = requests.get(SESSIONS, headers=AUTH)
    assert response.headers["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    "url",
    [
        "https://API.Stripe.COM/v1/checkout/sessions",
        "https://api.stripe.com:443/v1/checkout/sessions",
        "http://api.stripe.com/v1/checkout/sessions",
    ],
)
def test_any_scheme_port_and_case_of_the_stripe_host_is_intercepted(url):
    with FakeCheckout():
        assert requests.get(url, headers=AUTH).json()["object"] == "list"


def test_other_host_reaches_an_outer_responses_mock(outer):
    with FakeCheckout():
        assert requests.get("https://example.com/ping").text == "pong"


def test_outer_responses_mock_does_not_see_stripe_calls(outer):
    with FakeCheckout():
        assert requests.get(SESSIONS, headers=AUTH).json()["object"] == "list"


@pytest.mark.parametrize(
    "url", ["https://api.stripe.com.example.com/v1/x", "https://notstripe.com/v1/x"]
)
def test_lookalike_hosts_are_not_intercepted(outer, url):
    outer.get(url, body="outer")
    with FakeCheckout():
        assert requests.get(url).text == "outer"


def test_other_stripe_hosts_are_refused_with_the_not_emulated_404_even_over_an_outer_mock(outer):
    url = "https://files.stripe.com/v1/files"
    outer.get(url, body="outer")
    with FakeCheckout(strict=False) as fake:
        response = requests.get(url)
    assert response.status_code == 404
    assert "fakecheckout does not emulate files.stripe.com" in response.json()["error"]["message"]
    assert fake.unhandled == [("GET", url)]


def test_outer_responses_mock_answers_again_after_the_fake_stops(outer):
    with FakeCheckout():
        pass
    assert requests.get(SESSIONS).text == "outer mock answered a Stripe call"


def test_inner_responses_mock_answers_other_hosts():
    with FakeCheckout(), responses.RequestsMock() as inner:
        inner.get("https://example.com/ping", body="pong")
        assert requests.get("https://example.com/ping").text == "pong"


def test_inner_responses_mock_refuses_stripe_calls_by_default():
    inner = responses.RequestsMock(assert_all_requests_are_fired=False)
    with FakeCheckout(), inner, pytest.raises(requests.ConnectionError):
        requests.get(SESSIONS, headers=AUTH)


def test_inner_responses_mock_with_stripe_route_reaches_the_fake():
    with FakeCheckout() as fake, responses.RequestsMock() as inner:
        inner.add(StripeRoute(fake.handle))
        assert requests.get(SESSIONS, headers=AUTH).json()["object"] == "list"


def test_inner_requests_mock_blocks_stripe_calls_by_default():
    with FakeCheckout(), requests_mock.Mocker(), pytest.raises(NoMockAddress):
        requests.get(SESSIONS, headers=AUTH)


def test_inner_requests_mock_with_real_http_stripe_route_reaches_the_fake():
    with FakeCheckout(), requests_mock.Mocker() as inner:
        inner.register_uri(requests_mock.ANY, re.compile("https://api.stripe.com/"), real_http=True)
        inner.get("https://example.com/ping", text="pong")
        assert requests.get(SESSIONS, headers=AUTH).json()["object"] == "list"
        assert requests.get("https://example.com/ping").text == "pong"


def test_responses_activate_outside_the_fake_keeps_working():
    @responses.activate
    def run() -> tuple[str, str]:
        responses.get("https://example.com/ping", body="pong")
        with FakeCheckout():
            other = requests.get("https://example.com/ping").text
            stripe_call = requests.get(SESSIONS, headers=AUTH).json()["object"]
        return other, stripe_call

    assert run() == ("pong", "list")


def test_stop_restores_the_previous_send():
    before = HTTPAdapter.send
    with FakeCheckout():
        assert HTTPAdapter.send is not before
    assert HTTPAdapter.send is before


def test_innermost_fake_answers_stripe_calls(client):
    with FakeCheckout() as outer_fake, FakeCheckout() as inner_fake:
        session = client.v1.checkout.sessions.create(CREATE)
    assert (len(inner_fake.sessions.list()["data"]), len(outer_fake.sessions.list()["data"])) == (
        1,
        0,
    )
    assert inner_fake.sessions.retrieve(session.id)["id"] == session.id


def test_outer_fake_answers_again_after_the_inner_stops(client):
    with FakeCheckout() as outer_fake:
        with FakeCheckout():
            pass
        client.v1.checkout.sessions.create(CREATE)
    assert len(outer_fake.sessions.list()["data"]) == 1


def test_inner_fake_passes_other_hosts_through_the_outer_fake(outer):
    with FakeCheckout(), FakeCheckout():
        assert requests.get("https://example.com/ping").text == "pong"


def test_responses_keeps_no_call_records():
    fake = FakeCheckout()
    with fake:
        for _ in range(1000):
            requests.get(SESSIONS, headers=AUTH)
        mock = fake._adapter.mock
        assert mock is not None
        assert len(mock.calls) <= 1
        assert all(len(route.calls) == 0 for route in mock.registered())


def test_memory_does_not_grow_per_call():
    with FakeCheckout(max_logged=0):  # fake.requests keeps (a bounded number of) calls on purpose
        session = requests.Session()
        for _ in range(200):  # warm up pools and caches
            session.get(SESSIONS, headers=AUTH)
        tracemalloc.start()
        try:
            gc.collect()  # responses' bodies form reference cycles: count only what survives
            before = tracemalloc.get_traced_memory()[0]
            for _ in range(1000):
                session.get(SESSIONS, headers=AUTH)
            gc.collect()
            grown = tracemalloc.get_traced_memory()[0] - before
        finally:
            tracemalloc.stop()
    assert grown < 64_000, f"{grown} bytes for 1000 calls"  # a kept call costs kilobytes
