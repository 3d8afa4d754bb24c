"""``GET /v1/events`` and ``GET /v1/events/{id}`` through the request handler."""

from __future__ import annotations

import json

from fakecheckout import FakeCheckout, ManualClock

AUTH = {"Authorization": "Bearer sk_test_123"}


def call(fake: FakeCheckout, method: str, url: str, body: bytes = b"", **headers: str):
    status, response_headers, payload = fake.handle(method, url, {**AUTH, **headers}, body)
    return status, response_headers, json.loads(payload)


def create_and_expire(fake: FakeCheckout) -> tuple[str, str]:
    body = (
        b"mode=payment&line_items[0][price_data][currency]=usd&line_items[0][quantity]=1"
        b"&line_items[0][price_data][unit_amount]=100&line_items[0][price_data][product_data][name]=x"
    )
    _, _, session = call(fake, "POST", "/v1/checkout/sessions", body)
    _, headers, _ = call(
        fake, "POST", f"/v1/checkout/sessions/{session['id']}/expire", **{"Idempotency-Key": "k1"}
    )
    return session["id"], headers["Request-Id"]


def test_event_names_the_request_that_caused_it() -> None:
    fake = FakeCheckout(clock=ManualClock(1_800_000_000))
    _, request_id = create_and_expire(fake)
    status, _, listing = call(fake, "GET", "/v1/events?type=checkout.session.expired")
    assert status == 200
    assert listing["url"] == "/v1/events"
    assert listing["data"][0]["request"] == {"id": request_id, "idempotency_key": "k1"}


def test_event_retrieve_by_id() -> None:
    fake = FakeCheckout(clock=ManualClock(1_800_000_000))
    session_id, _ = create_and_expire(fake)
    event_id = fake.events.list()["data"][0]["id"]
    status, _, event = call(fake, "GET", f"/v1/events/{event_id}")
    assert status == 200
    assert event["data"]["object"]["id"] == session_id


def test_unknown_event_is_a_404() -> None:
    status, _, body = call(FakeCheckout(), "GET", "/v1/events/evt_nope")
    assert status == 404
    assert body["error"]["code"] == "resource_missing"


def test_time_based_expiry_event_has_no_request() -> None:
    clock = ManualClock(1_800_000_000)
    fake = FakeCheckout(clock=clock)
    fake.sessions.create(
        mode="payment",
        line_items=[
            {
                "price_data": {
                    "currency": "usd",
                    "unit_amount": 100,
                    "product_data": {"name": "x"},
                },
                "quantity": 1,
            }
        ],
        expires_at=clock.now() + 1800,
    )
    clock.advance(1800)
    _, _, listing = call(fake, "GET", "/v1/events?types[]=checkout.session.expired")
    assert listing["data"][0]["request"] == {"id": None, "idempotency_key": None}


def test_events_of_a_connected_account_are_separate_and_name_it() -> None:
    fake = FakeCheckout()
    session = fake.account("acct_1").sessions.create(
        mode="payment",
        line_items=[
            {
                "price_data": {
                    "currency": "usd",
                    "unit_amount": 100,
                    "product_data": {"name": "x"},
                },
                "quantity": 1,
            }
        ],
    )
    fake.account("acct_1").sessions.expire(session["id"])
    _, _, mine = call(fake, "GET", "/v1/events", **{"Stripe-Account": "acct_1"})
    _, _, platform = call(fake, "GET", "/v1/events")
    assert mine["data"][0]["account"] == "acct_1"
    assert platform["data"] == []


def test_a_webhook_callback_during_a_request_acts_as_a_direct_api_caller() -> None:
    fake = FakeCheckout(clock=ManualClock(1_800_000_000))
    session_id, _ = create_and_expire(fake)  # no subscriber yet: nothing delivered
    other = fake.sessions.create(
        mode="payment",
        line_items=[
            {
                "price_data": {
                    "currency": "usd",
                    "unit_amount": 100,
                    "product_data": {"name": "x"},
                },
                "quantity": 1,
            }
        ],
    )
    seen: list[dict] = []

    def callback(payload: bytes, headers: dict[str, str]) -> None:
        if seen:
            return
        retrieved = fake.sessions.retrieve(other["id"])
        retrieved["metadata"]["injected"] = "yes"  # a copy: changes nothing stored
        seen.append(fake.sessions.expire(other["id"]))

    fake.webhooks.subscribe(callback)
    third = fake.sessions.create(
        mode="payment",
        line_items=[
            {
                "price_data": {
                    "currency": "usd",
                    "unit_amount": 100,
                    "product_data": {"name": "x"},
                },
                "quantity": 1,
            }
        ],
    )
    status, _, _ = call(fake, "POST", f"/v1/checkout/sessions/{third['id']}/expire")
    assert status == 200
    assert fake.sessions.retrieve(other["id"])["metadata"] == {}
    caused_by_callback = fake.events.list(limit=1)["data"][0]
    assert caused_by_callback["data"]["object"]["id"] == other["id"]
    assert caused_by_callback["request"] == {"id": None, "idempotency_key": None}
