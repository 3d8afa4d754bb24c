"""Signed webhook delivery, verified by the real stripe SDK."""

from __future__ import annotations

import json
import threading
import time
from datetime import datetime, timezone

import pytest
import stripe
from freezegun import freeze_time

from fakecheckout import ManualClock
from fakecheckout.core.world import World

from .conftest import START, payment_params


def collect(world: World) -> list[tuple[bytes, dict[str, str]]]:
    received: list[tuple[bytes, dict[str, str]]] = []
    world.webhooks.subscribe(lambda payload, headers: received.append((payload, headers)))
    return received


def test_secret_looks_like_a_webhook_secret(world: World) -> None:
    assert world.webhooks.secret.startswith("whsec_")


def test_delivered_event_verifies_with_construct_event(world: World) -> None:
    received = collect(world)
    session = world.sessions.create(**payment_params())
    world.sessions.complete(session["id"])
    payload, headers = received[-1]  # the payment's own events come first
    event = stripe.Webhook.construct_event(
        payload, headers["Stripe-Signature"], world.webhooks.secret
    )
    assert event.type == "checkout.session.completed"
    assert event.data.object.id == session["id"]


def test_signature_verifies_under_freezegun_far_from_now(world: World) -> None:
    received = collect(world)
    with freeze_time("2031-05-05"):
        world.sessions.expire(world.sessions.create(**payment_params())["id"])
        payload, headers = received[0]
        stripe.Webhook.construct_event(payload, headers["Stripe-Signature"], world.webhooks.secret)


def test_signature_verifies_with_a_manual_clock_anywhere() -> None:
    world = World(clock=ManualClock(datetime(1999, 1, 1, tzinfo=timezone.utc)))
    received = collect(world)
    world.sessions.expire(world.sessions.create(**payment_params())["id"])
    payload, headers = received[0]
    stripe.Webhook.construct_event(payload, headers["Stripe-Signature"], world.webhooks.secret)


def test_tampered_payload_fails_verification(world: World) -> None:
    received = collect(world)
    world.sessions.expire(world.sessions.create(**payment_params())["id"])
    payload, headers = received[0]
    tampered = payload.replace(b'"expired"', b'"complete"')
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(tampered, headers["Stripe-Signature"], world.webhooks.secret)


def test_stale_signature_fails_verification(world: World) -> None:
    world.sessions.expire(world.sessions.create(**payment_params())["id"])
    event = world.events.list()["data"][0]
    with freeze_time(datetime.fromtimestamp(time.time() - 3600, tz=timezone.utc)):
        payload, headers = world.webhooks.sign(event)
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(payload, headers["Stripe-Signature"], world.webhooks.secret)


def test_sign_returns_a_verifiable_pair_for_any_event(world: World) -> None:
    world.sessions.expire(world.sessions.create(**payment_params())["id"])
    event = world.events.list()["data"][0]
    payload, headers = world.webhooks.sign(event)
    verified = stripe.Webhook.construct_event(
        payload, headers["Stripe-Signature"], world.webhooks.secret
    )
    assert verified.id == event["id"]


def test_events_are_delivered_in_recorded_order(world: World, clock: ManualClock) -> None:
    received = collect(world)
    soon = world.sessions.create(**payment_params(expires_at=START + 1800))
    later = world.sessions.create(**payment_params())
    clock.advance(1800)
    world.sessions.complete(later["id"])
    delivered = [json.loads(payload) for payload, _ in received]
    sessions = [e for e in delivered if e["type"].startswith("checkout.session.")]
    assert [(e["type"], e["data"]["object"]["id"]) for e in sessions] == [
        ("checkout.session.expired", soon["id"]),
        ("checkout.session.completed", later["id"]),
    ]
    recorded = [e["id"] for e in reversed(world.events.list()["data"])]
    assert [e["id"] for e in delivered] == recorded


def test_callback_is_called_outside_the_lock(world: World) -> None:
    seen: list[str] = []

    def reads_back(payload: bytes, headers: dict[str, str]) -> None:
        session_id = json.loads(payload)["data"]["object"]["id"]
        done = threading.Event()

        def other_thread() -> None:
            seen.append(world.sessions.retrieve(session_id)["status"])
            done.set()

        threading.Thread(target=other_thread).start()
        assert done.wait(5), "the world's lock was held during delivery"

    world.webhooks.subscribe(reads_back)
    world.sessions.expire(world.sessions.create(**payment_params())["id"])
    assert seen == ["expired"]


def test_a_failing_callback_is_recorded_and_does_not_fail_the_call(world: World) -> None:
    def broken(payload: bytes, headers: dict[str, str]) -> None:
        raise RuntimeError("handler bug")

    world.webhooks.subscribe(broken)
    session = world.sessions.create(**payment_params())
    assert world.sessions.expire(session["id"])["status"] == "expired"
    assert [type(exc) for _, exc in world.webhooks.failures] == [RuntimeError]


def test_unsubscribe_stops_delivery(world: World) -> None:
    received: list[bytes] = []
    unsubscribe = world.webhooks.subscribe(lambda payload, headers: received.append(payload))
    unsubscribe()
    world.sessions.expire(world.sessions.create(**payment_params())["id"])
    assert received == []
