"""``fake.fail_next``: injected 500s, 429s, card errors and connection failures, through every door
and the SDK's own retries; nothing is stored by a failed request."""

from __future__ import annotations

import urllib.error
from typing import Any

import aiohttp
import httpx
import pytest
import requests
import stripe

from fakecheckout import FakeCheckout, UnfiredFailureError
from tests.factories import AUTH, KEY, payment_params

from .doors import DOORS, FORM, served, through_requests
from .test_request_log import CREATE, SESSIONS


@pytest.fixture
def fake():
    with FakeCheckout() as active:
        yield active


@pytest.fixture
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    """The SDK's retries happen at once (stripe 14 passes the response too)."""
    monkeypatch.setattr(
        stripe._http_client.HTTPClient, "_sleep_time_seconds", lambda self, *args: 0.0
    )


class Global:
    """The module-level style: ``stripe.checkout.Session.create(api_key=…)``."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, retries: int) -> None:
        monkeypatch.setattr(stripe, "max_network_retries", retries)
        monkeypatch.setattr(stripe, "default_http_client", None)

    def create(self, **options: Any) -> Any:
        return stripe.checkout.Session.create(api_key=KEY, **payment_params(), **options)


class Client:
    """The ``StripeClient`` style, with the client's own ``max_network_retries``."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, retries: int) -> None:
        self.client = stripe.StripeClient(KEY, max_network_retries=retries)

    def create(self, **options: Any) -> Any:
        return self.client.v1.checkout.sessions.create(payment_params(), options=options)


STYLES = [pytest.param(Global, id="global"), pytest.param(Client, id="client")]


def statuses(fake: FakeCheckout) -> list[int | None]:
    return [entry.status for entry in fake.requests]


# --- what each failure answers ---


def test_a_500_is_stripes_api_error_and_the_endpoint_does_not_run(fake):
    fake.fail_next("POST", "/v1/checkout/sessions")

    response = requests.post(SESSIONS, headers={**AUTH, **FORM}, data=CREATE)

    assert response.status_code == 500
    assert response.json() == {
        "error": {
            "message": "An unknown error occurred while processing this request. Please try again.",
            "type": "api_error",
        }
    }
    assert response.headers["Stripe-Should-Retry"] == "false"
    assert response.headers["Request-Id"].startswith("req_")
    assert fake.sessions.all() == []


def test_a_429_is_stripes_test_mode_rate_limit(fake):
    fake.fail_next("GET", "/v1/checkout/sessions", status=429)

    response = requests.get(SESSIONS, headers=AUTH)

    assert response.status_code == 429
    assert response.json() == {
        "error": {
            "code": "rate_limit",
            "doc_url": "https://stripe.com/docs/error-codes/rate-limit",
            "message": "Testmode request rate limit exceeded, the rate limits in testmode are "
            "lower than livemode. You can learn more about rate limits here "
            "https://stripe.com/docs/rate-limits.",
            "type": "invalid_request_error",
        }
    }
    assert response.headers["Stripe-Should-Retry"] == "false"


def test_a_lock_timeout_429_tells_the_client_to_retry(fake):
    fake.fail_next("GET", "/v1/checkout/sessions", status=429, error="lock_timeout")

    response = requests.get(SESSIONS, headers=AUTH)

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "lock_timeout"
    assert response.headers["Stripe-Should-Retry"] == "true"


@pytest.mark.parametrize(
    ("error", "body"),
    [
        (
            None,
            {
                "code": "card_declined",
                "decline_code": "generic_decline",
                "message": "Your card was declined.",
            },
        ),
        (
            "insufficient_funds",
            {
                "code": "card_declined",
                "decline_code": "insufficient_funds",
                "message": "Your card has insufficient funds.",
            },
        ),
        (
            "lost_card",
            {
                "code": "card_declined",
                "decline_code": "lost_card",
                "message": "Your card was declined.",
            },
        ),
        (
            "expired_card",
            {
                "code": "expired_card",
                "decline_code": "expired_card",
                "message": "Your card has expired.",
                "param": "exp_month",
            },
        ),
        (
            "incorrect_cvc",
            {
                "code": "incorrect_cvc",
                "decline_code": "incorrect_cvc",
                "message": "Your card's security code is incorrect.",
                "param": "cvc",
            },
        ),
    ],
)
def test_a_402_is_a_card_error_with_the_decline_code(fake, error, body):
    fake.fail_next("POST", "/v1/checkout/sessions", status=402, error=error)

    response = requests.post(SESSIONS, headers={**AUTH, **FORM}, data=CREATE)

    assert response.status_code == 402
    doc = f"https://stripe.com/docs/error-codes/{body['code'].replace('_', '-')}"
    assert response.json() == {"error": {**body, "doc_url": doc, "type": "card_error"}}


def test_the_sdk_raises_card_error_with_its_decline_code(fake):
    fake.fail_next("POST", "/v1/checkout/sessions", status=402, error="insufficient_funds")

    with pytest.raises(stripe.CardError) as declined:
        stripe.StripeClient(KEY).v1.checkout.sessions.create(payment_params())

    assert declined.value.code == "card_declined"
    assert declined.value.json_body["error"]["decline_code"] == "insufficient_funds"
    assert declined.value.user_message == "Your card has insufficient funds."


@pytest.mark.parametrize(
    ("status", "error", "message"),
    [
        (429, "card_declined", "error for status 429 is one of 'rate_limit', 'lock_timeout'"),
        (402, "rate_limit", "error for status 402 is one of 'card_declined'"),
        (500, "card_declined", "a 500 takes no error (it is an api_error)"),
        (404, None, "fail_next injects a 402, a 429 or a 5xx, or error='connection'"),
    ],
)
def test_a_failure_no_status_could_answer_is_refused(fake, status, error, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        fake.fail_next("POST", "/v1/checkout/sessions", status=status, error=error)


def test_times_must_be_at_least_one(fake):
    with pytest.raises(ValueError, match="times must be a whole number >= 1"):
        fake.fail_next("POST", "/v1/checkout/sessions", times=0)


# --- which requests fail ---


def test_the_next_times_matching_requests_fail_then_requests_run_again(fake):
    fake.fail_next("GET", "/v1/checkout/sessions", times=2)

    answered = [requests.get(SESSIONS, headers=AUTH).status_code for _ in range(3)]

    assert answered == [500, 500, 200]


def test_a_star_matches_any_id_in_the_path(fake):
    session = fake.sessions.create(**payment_params())
    fake.fail_next("GET", "/v1/checkout/sessions/*")

    failed = requests.get(f"{SESSIONS}/{session['id']}", headers=AUTH)
    listed = requests.get(SESSIONS, headers=AUTH)

    assert (failed.status_code, listed.status_code) == (500, 200)


def test_other_methods_are_not_failed(fake):
    fake.fail_next("POST", "/v1/checkout/sessions")

    listed = requests.get(SESSIONS, headers=AUTH)
    created = requests.post(SESSIONS, headers={**AUTH, **FORM}, data=CREATE)

    assert (listed.status_code, created.status_code) == (200, 500)


def test_rules_are_used_oldest_first(fake):
    fake.fail_next("GET", "/v1/checkout/sessions", status=429)
    fake.fail_next("GET", "/v1/**", status=503)

    answered = [requests.get(SESSIONS, headers=AUTH).status_code for _ in range(3)]

    assert answered == [429, 503, 200]


def test_a_failed_request_is_logged_with_its_status(fake):
    fake.fail_next("POST", "/v1/checkout/sessions", status=402)
    requests.post(SESSIONS, headers={**AUTH, **FORM}, data=CREATE)

    entry = fake.requests.last()
    assert (entry.status, entry.response["error"]["type"]) == (402, "card_error")


# --- connection failures, door by door ---

CONNECTION_ERRORS = {
    "requests": requests.exceptions.ConnectionError,
    "httpx": httpx.ConnectError,
    "httpx_async": httpx.ConnectError,
    "urllib": urllib.error.URLError,
    "aiohttp": aiohttp.ClientConnectorError,
}


@pytest.mark.parametrize("door", list(DOORS))
def test_a_connection_failure_raises_the_client_librarys_own_error(fake, door):
    fake.fail_next("POST", "/v1/checkout/sessions", error="connection")

    with pytest.raises(CONNECTION_ERRORS[door]):
        DOORS[door]("POST", SESSIONS, {**AUTH, **FORM}, CREATE)

    assert fake.sessions.all() == []
    assert (fake.requests.last().status, fake.requests.last().response) == (None, None)


def test_a_connection_failure_is_a_connection_error_for_a_direct_handle_call(fake):
    fake.fail_next("GET", "/v1/checkout/sessions", error="connection")

    with pytest.raises(ConnectionError):
        fake.handle("GET", "/v1/checkout/sessions", AUTH, b"")


def test_a_connection_failure_through_the_server_drops_the_connection():
    fake = FakeCheckout()
    fake.fail_next("GET", "/v1/checkout/sessions", error="connection")
    with served(fake) as base:
        with pytest.raises(requests.exceptions.ConnectionError):
            through_requests("GET", f"{base}/v1/checkout/sessions", AUTH, None)
        status, listed = through_requests("GET", f"{base}/v1/checkout/sessions", AUTH, None)
    assert (status, listed["object"]) == (200, "list")


# --- the SDK's retries ---


@pytest.mark.parametrize("style", STYLES)
def test_the_sdk_retries_a_lock_timeout_and_succeeds(fake, monkeypatch, no_sleep, style):
    fake.fail_next("POST", "/v1/checkout/sessions", status=429, error="lock_timeout")

    session = style(monkeypatch, retries=2).create()

    assert statuses(fake) == [429, 200]
    first, retry = fake.requests
    assert first.headers["Idempotency-Key"] == retry.headers["Idempotency-Key"]
    assert fake.sessions.all()[0]["id"] == session.id


@pytest.mark.parametrize("style", STYLES)
def test_the_sdk_does_not_retry_a_rate_limit(fake, monkeypatch, no_sleep, style):
    fake.fail_next("POST", "/v1/checkout/sessions", status=429)

    with pytest.raises(stripe.RateLimitError):
        style(monkeypatch, retries=2).create()

    assert statuses(fake) == [429]


@pytest.mark.parametrize("style", STYLES)
def test_the_sdk_retries_a_connection_failure_and_succeeds(fake, monkeypatch, no_sleep, style):
    fake.fail_next("POST", "/v1/checkout/sessions", error="connection")

    style(monkeypatch, retries=1).create()

    assert statuses(fake) == [None, 200]
    assert len(fake.sessions.all()) == 1


# --- idempotency: nothing is stored by a failed request ---


@pytest.mark.parametrize("status", [500, 429])
def test_an_idempotent_retry_after_an_injected_failure_runs(fake, monkeypatch, status):
    fake.fail_next("POST", "/v1/checkout/sessions", status=status)
    shop = Client(monkeypatch, retries=0)

    with pytest.raises(stripe.StripeError):
        shop.create(idempotency_key="order-1")
    session = shop.create(idempotency_key="order-1")
    again = shop.create(idempotency_key="order-1")

    assert statuses(fake) == [status, 200, 200]
    assert again.id == session.id
    assert again.last_response.headers.get("Idempotent-Replayed") == "true"
    assert [s["id"] for s in fake.sessions.all()] == [session.id]


def test_a_failed_request_stores_no_object_event_or_idempotency_key(fake):
    fake.fail_next("POST", "/v1/checkout/sessions", status=402)

    requests.post(SESSIONS, headers={**AUTH, **FORM, "Idempotency-Key": "k"}, data=CREATE)

    assert fake.sessions.all() == []
    assert fake.events.all() == []
    assert len(fake.idempotency) == 0


# --- failures no request used ---


def test_pending_failures_lists_the_rules_not_used_up(fake):
    used = fake.fail_next("GET", "/v1/checkout/sessions")
    waiting = fake.fail_next("POST", "/v1/checkout/sessions/*/expire", times=2)
    requests.get(SESSIONS, headers=AUTH)

    assert fake.pending_failures == [waiting]
    assert (used.remaining, waiting.remaining) == (0, 2)
    fake.faults.clear()


def test_a_strict_fake_fails_its_stop_for_a_failure_no_request_used():
    fake = FakeCheckout()
    fake.start()
    fake.fail_next("POST", "/v1/checkout/sessions/*/expire", status=429, times=2)

    with pytest.raises(UnfiredFailureError) as unfired:
        fake.stop()

    assert str(unfired.value) == (
        "1 fail_next failure(s) were never used: no matching request was sent, so the test did "
        "not exercise them:\n"
        "  fail_next(POST /v1/checkout/sessions/*/expire -> 429 (2 of 2 left))\n"
        "(Pass strict=False to FakeCheckout to allow this.)"
    )
    assert fake.pending_failures == []


def test_a_lenient_fake_stops_quietly_with_failures_left():
    with FakeCheckout(strict=False) as fake:
        fake.fail_next("GET", "/v1/checkout/sessions")
    assert len(fake.pending_failures) == 1
