"""Events POSTed to webhook endpoints (``/v1/webhook_endpoints``), received by a real HTTP server
on loopback, verified by the stripe SDK, retried on the fake's clock."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import stripe

from fakecheckout import FakeCheckout, ManualClock
from fakecheckout.core.webhooks import RETRY_DELAYS, is_deliverable
from fakecheckout.core.world import World
from tests.webhook_receiver import Receiver, webhook_receiver

from .conftest import START, payment_params


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with webhook_receiver() as state:
        yield state


def endpoint(world: World, receiver: Receiver, events: list[str] | None = None) -> dict[str, Any]:
    return world.webhook_endpoints.create(url=receiver.url, enabled_events=events or ["*"])


def pending(world: World, event_id: str) -> int:
    count: int = world.events.retrieve(event_id)["pending_webhooks"]
    return count


def test_an_event_is_posted_to_the_endpoint_url_signed_with_its_secret(
    world: World, receiver: Receiver
) -> None:
    created = endpoint(world, receiver)
    customer = world.customers.create(email="ada@example.com")
    (request,) = receiver.requests
    assert request.path == "/stripe/webhooks"
    assert request.headers["Content-Type"] == "application/json; charset=utf-8"
    event = stripe.Webhook.construct_event(
        request.body, request.headers["Stripe-Signature"], created["secret"]
    )
    assert (event.type, event.data.object.id) == ("customer.created", customer["id"])


def test_the_signature_is_the_endpoints_own_not_the_in_process_secret(
    world: World, receiver: Receiver
) -> None:
    endpoint(world, receiver)
    world.customers.create()
    (request,) = receiver.requests
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(
            request.body, request.headers["Stripe-Signature"], world.webhooks.secret
        )


def test_each_endpoint_signs_with_its_own_secret(world: World, receiver: Receiver) -> None:
    first, second = endpoint(world, receiver), endpoint(world, receiver)
    world.customers.create()
    assert first["secret"] != second["secret"]
    for request, secret in zip(receiver.requests, (first["secret"], second["secret"]), strict=True):
        stripe.Webhook.construct_event(request.body, request.headers["Stripe-Signature"], secret)


def test_the_payload_is_the_event_as_events_retrieve_shows_it(
    world: World, receiver: Receiver
) -> None:
    endpoint(world, receiver)
    world.customers.create()
    posted = receiver.requests[0].event
    stored = world.events.retrieve(posted["id"])
    assert {**posted, "pending_webhooks": 0} == stored


def test_enabled_events_select_the_types_posted(world: World, receiver: Receiver) -> None:
    endpoint(world, receiver, ["product.created", "checkout.session.expired"])
    world.customers.create()
    world.products.create(name="Shirt")
    world.sessions.expire(world.sessions.create(**payment_params())["id"])
    assert receiver.types == ["product.created", "checkout.session.expired"]


def test_star_enables_every_event(world: World, receiver: Receiver) -> None:
    endpoint(world, receiver, ["*"])
    world.customers.create()
    world.products.create(name="Shirt")
    recorded = [event["type"] for event in reversed(world.events.list()["data"])]
    assert receiver.types == recorded == ["customer.created", "product.created"]


def test_an_event_of_a_type_not_enabled_is_not_owed(world: World, receiver: Receiver) -> None:
    endpoint(world, receiver, ["product.created"])
    world.customers.create()
    assert world.events.list()["data"][0]["pending_webhooks"] == 0
    assert receiver.requests == []


def test_events_are_posted_in_the_order_they_were_recorded(
    world: World, receiver: Receiver
) -> None:
    endpoint(world, receiver)
    customer = world.customers.create()
    world.customers.update(customer["id"], name="Ada")
    product = world.products.create(name="Shirt")
    world.products.delete(product["id"])
    session = world.sessions.create(**payment_params())
    world.sessions.complete(session["id"])
    recorded = [event["id"] for event in reversed(world.events.list(limit=100)["data"])]
    assert [request.event["id"] for request in receiver.requests] == recorded


def test_events_of_one_operation_keep_their_order(world: World, receiver: Receiver) -> None:
    endpoint(world, receiver)
    world.products.create(name="Shirt", default_price_data={"currency": "usd", "unit_amount": 1500})
    assert receiver.types == ["product.created", "price.created"]


def test_pending_webhooks_counts_down_as_an_endpoint_answers_2xx(
    world: World, receiver: Receiver
) -> None:
    endpoint(world, receiver)
    world.customers.create()
    posted = receiver.requests[0].event
    assert posted["pending_webhooks"] == 1  # the payload counts the delivery it is part of
    assert pending(world, posted["id"]) == 0


def test_pending_webhooks_counts_every_endpoint_still_owed(
    world: World, receiver: Receiver
) -> None:
    endpoint(world, receiver)
    endpoint(world, receiver)
    receiver.statuses = [500]
    world.customers.create()
    assert pending(world, receiver.requests[0].event["id"]) == 1


def test_a_non_2xx_answer_is_retried_once_the_fake_clock_reaches_the_first_backoff(
    world: World, clock: ManualClock, receiver: Receiver
) -> None:
    endpoint(world, receiver)
    receiver.statuses = [500]
    world.customers.create()
    event_id = receiver.requests[0].event["id"]
    clock.advance(RETRY_DELAYS[0] - 1)
    world.settle()
    assert (len(receiver.requests), pending(world, event_id)) == (1, 1)
    clock.advance(1)
    world.settle()
    assert [request.event["id"] for request in receiver.requests] == [event_id, event_id]
    assert pending(world, event_id) == 0


def test_a_due_retry_is_attempted_by_the_next_operation(
    world: World, clock: ManualClock, receiver: Receiver
) -> None:
    endpoint(world, receiver, ["customer.created"])
    receiver.statuses = [503]
    world.customers.create()
    clock.advance(RETRY_DELAYS[0])
    world.products.list()
    assert receiver.types == ["customer.created", "customer.created"]


def test_a_retry_is_a_new_signature_of_the_same_event(
    world: World, clock: ManualClock, receiver: Receiver
) -> None:
    created = endpoint(world, receiver)
    receiver.statuses = [500]
    world.customers.create()
    clock.advance(RETRY_DELAYS[0])
    world.settle()
    first, retry = receiver.requests
    assert first.event["id"] == retry.event["id"]
    stripe.Webhook.construct_event(retry.body, retry.headers["Stripe-Signature"], created["secret"])


def test_failures_are_retried_three_times_with_growing_backoff_then_given_up(
    world: World, clock: ManualClock, receiver: Receiver
) -> None:
    endpoint(world, receiver)
    receiver.statuses = [500] * 10
    world.customers.create()
    attempts = [len(receiver.requests)]
    for delay in RETRY_DELAYS:
        clock.advance(delay - 1)
        world.settle()
        clock.advance(1)
        world.settle()
        attempts.append(len(receiver.requests))
    clock.advance(30 * 24 * 3600)
    world.settle()
    assert attempts == [1, 2, 3, 4]
    assert len(receiver.requests) == 4
    assert list(RETRY_DELAYS) == sorted(RETRY_DELAYS)
    assert pending(world, receiver.requests[0].event["id"]) == 1  # never delivered


def test_a_timeout_counts_as_a_failed_attempt(
    world: World, clock: ManualClock, receiver: Receiver
) -> None:
    world.webhooks.endpoint_timeout = 0.2
    endpoint(world, receiver)
    receiver.hold = threading.Event()  # the receiver answers only after the test lets it
    world.customers.create()
    receiver.hold.set()
    event_id = receiver.requests[0].event["id"]
    assert pending(world, event_id) == 1
    clock.advance(RETRY_DELAYS[0])
    world.settle()
    assert (len(receiver.requests), pending(world, event_id)) == (2, 0)


def test_an_endpoint_nobody_listens_on_is_retried_and_stays_pending(
    world: World, clock: ManualClock
) -> None:
    with ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler) as closed:
        port = closed.server_address[1]  # bound, then closed: nothing listens there any more
    world.webhook_endpoints.create(url=f"http://127.0.0.1:{port}/", enabled_events=["*"])
    world.customers.create()
    event = world.events.list()["data"][0]
    assert event["pending_webhooks"] == 1


def test_a_deleted_endpoint_receives_nothing_more(world: World, receiver: Receiver) -> None:
    created = endpoint(world, receiver)
    world.customers.create()
    world.webhook_endpoints.delete(created["id"])
    world.customers.create()
    assert len(receiver.requests) == 1
    assert world.events.list()["data"][0]["pending_webhooks"] == 0


def test_deleting_an_endpoint_cancels_its_pending_retries(
    world: World, clock: ManualClock, receiver: Receiver
) -> None:
    created = endpoint(world, receiver)
    receiver.statuses = [500]
    world.customers.create()
    world.webhook_endpoints.delete(created["id"])
    clock.advance(RETRY_DELAYS[0])
    world.settle()
    assert len(receiver.requests) == 1


def test_a_disabled_endpoint_receives_nothing(world: World, receiver: Receiver) -> None:
    created = endpoint(world, receiver)
    world.webhook_endpoints.update(created["id"], disabled=True)
    world.customers.create()
    assert receiver.requests == []
    assert world.events.list()["data"][0]["pending_webhooks"] == 0


def test_a_retry_due_while_the_endpoint_is_disabled_is_dropped(
    world: World, clock: ManualClock, receiver: Receiver
) -> None:
    created = endpoint(world, receiver)
    receiver.statuses = [500]
    world.customers.create()
    world.webhook_endpoints.update(created["id"], disabled=True)
    clock.advance(RETRY_DELAYS[0])
    world.settle()
    world.webhook_endpoints.update(created["id"], disabled=False)
    clock.advance(RETRY_DELAYS[1])
    world.settle()
    assert len(receiver.requests) == 1


def test_an_endpoint_enabled_again_before_its_retry_still_gets_it(
    world: World, clock: ManualClock, receiver: Receiver
) -> None:
    created = endpoint(world, receiver)
    receiver.statuses = [500]
    world.customers.create()
    world.webhook_endpoints.update(created["id"], disabled=True)
    world.webhook_endpoints.update(created["id"], disabled=False)
    clock.advance(RETRY_DELAYS[0])
    world.settle()
    assert len(receiver.requests) == 2


def test_a_retry_goes_to_the_url_the_endpoint_has_then(
    world: World, clock: ManualClock, receiver: Receiver
) -> None:
    created = world.webhook_endpoints.create(url=receiver.url + "/old", enabled_events=["*"])
    receiver.statuses = [500]
    world.customers.create()
    world.webhook_endpoints.update(created["id"], url=receiver.url + "/new")
    clock.advance(RETRY_DELAYS[0])
    world.settle()
    assert [r.path for r in receiver.requests] == ["/stripe/webhooks/old", "/stripe/webhooks/new"]


def test_subscribed_callbacks_keep_receiving_beside_endpoints(
    world: World, receiver: Receiver
) -> None:
    received: list[bytes] = []
    world.webhooks.subscribe(lambda payload, headers: received.append(payload))
    endpoint(world, receiver)
    world.customers.create()
    assert len(received) == len(receiver.requests) == 1
    # As before, a subscribed callback counts in pending_webhooks; the endpoint counts down.
    assert world.events.list()["data"][0]["pending_webhooks"] == 1


def test_an_endpoint_receives_its_own_accounts_events_only(
    world: World, receiver: Receiver
) -> None:
    endpoint(world, receiver)
    world.account("acct_connected").customers.create()
    assert receiver.requests == []


def test_a_connect_endpoint_receives_the_events_of_connected_accounts(
    world: World, receiver: Receiver
) -> None:
    world.webhook_endpoints.create(url=receiver.url, enabled_events=["*"], connect=True)
    world.customers.create()
    world.account("acct_connected").customers.create()
    (request,) = receiver.requests
    assert request.event["account"] == "acct_connected"


def test_events_pending_webhooks_read_through_the_http_door(receiver: Receiver) -> None:
    fake = FakeCheckout(clock=ManualClock(START), seed=1)
    auth = {"Authorization": "Bearer sk_test_123"}
    body = f"url={receiver.url}&enabled_events[0]=customer.created".encode()
    status, _, _ = fake.handle("POST", "/v1/webhook_endpoints", auth, body)
    assert status == 200
    receiver.statuses = [500]
    fake.handle("POST", "/v1/customers", auth, b"")
    event_id = receiver.requests[0].event["id"]
    _, _, payload = fake.handle("GET", f"/v1/events/{event_id}", auth, b"")
    assert json.loads(payload)["pending_webhooks"] == 1
    fake.clock.advance(RETRY_DELAYS[0])  # type: ignore[attr-defined]
    fake.handle("GET", "/v1/customers", auth, b"")  # finds the retry due, delivers it after
    _, _, payload = fake.handle("GET", f"/v1/events/{event_id}", auth, b"")
    assert json.loads(payload)["pending_webhooks"] == 0


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://shop.localhost/hook",
        "http://[::1]:8000/hook",
        "http://10.0.0.7/hook",
        "http://192.168.1.2/hook",
        "http://app:8000/stripe",  # a container's service name
    ],
)
def test_local_urls_are_delivered_to(url: str) -> None:
    assert is_deliverable(url)


@pytest.mark.parametrize(
    "url",
    ["https://example.com/my/webhook/endpoint", "http://8.8.8.8/hook", "https://api.stripe.com/"],
)
def test_public_urls_are_never_contacted(url: str) -> None:
    assert not is_deliverable(url)
