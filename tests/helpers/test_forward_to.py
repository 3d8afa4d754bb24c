"""``fake.webhooks.forward_to(client, path)`` and ``redeliver``: events POSTed to a web app's test
client, signed as Stripe signs them, through Flask, Django, Starlette and FastAPI.

Each framework is an optional extra (``webhooks-frameworks``): its tests skip when it is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import stripe

from fakecheckout import (
    DeliveryPolicy,
    FakeCheckout,
    InvalidRequestError,
    WebhookDeliveryError,
    WebhookRejected,
)

PATH = "/stripe/webhook"
LINE_ITEMS = [
    {
        "price_data": {"currency": "usd", "unit_amount": 500, "product_data": {"name": "Mug"}},
        "quantity": 1,
    }
]


@dataclass
class Inbox:
    """What the app's webhook view saw: the events it verified, and each raw request."""

    secret: str
    answer: int = 200
    events: list[dict[str, Any]] = field(default_factory=list)
    bodies: list[bytes] = field(default_factory=list)
    content_types: list[str] = field(default_factory=list)

    def receive(self, body: bytes, signature: str, content_type: str) -> int:
        """The view's job: verify the signature over the raw body, keep the event."""
        self.bodies.append(body)
        self.content_types.append(content_type)
        try:
            event = stripe.Webhook.construct_event(body, signature, self.secret)
        except (ValueError, stripe.SignatureVerificationError):
            return 400
        self.events.append(event.to_dict())
        return self.answer

    @property
    def types(self) -> list[str]:
        return [event["type"] for event in self.events]

    @property
    def ids(self) -> list[str]:
        return [event["id"] for event in self.events]


def flask_client(inbox: Inbox) -> Any:
    flask = pytest.importorskip("flask")
    app = flask.Flask(__name__)

    @app.post(PATH)
    def webhook() -> tuple[str, int]:
        request = flask.request
        status = inbox.receive(
            request.get_data(),
            request.headers.get("Stripe-Signature", ""),
            request.content_type or "",
        )
        return "", status

    return app.test_client()


def django_client(inbox: Inbox) -> Any:
    pytest.importorskip("django")
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            ROOT_URLCONF=__name__,
            ALLOWED_HOSTS=["testserver"],
            MIDDLEWARE=["django.middleware.csrf.CsrfViewMiddleware"],
            SECRET_KEY="not-a-secret",
        )
        import django

        django.setup()
    from django.test import Client

    DJANGO_INBOX[:] = [inbox]
    return Client(enforce_csrf_checks=True)


DJANGO_INBOX: list[Inbox] = []
"""The inbox of the Django app under test (Django's URLconf is this module: one app per process)."""


def _django_view(request: Any) -> Any:
    from django.http import HttpResponse

    status = DJANGO_INBOX[0].receive(
        request.body, request.headers.get("Stripe-Signature", ""), request.content_type
    )
    return HttpResponse(status=status)


def __getattr__(name: str) -> Any:
    """Django reads ``urlpatterns`` from the URLconf module lazily, once it is configured."""
    if name == "urlpatterns":
        from django.urls import path
        from django.views.decorators.csrf import csrf_exempt

        return [path(PATH.lstrip("/"), csrf_exempt(_django_view))]
    raise AttributeError(name)


def starlette_client(inbox: Inbox) -> Any:
    pytest.importorskip("starlette")
    pytest.importorskip("httpx")
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route
    from starlette.testclient import TestClient

    async def webhook(request: Request) -> Response:
        status = inbox.receive(
            await request.body(),
            request.headers.get("stripe-signature", ""),
            request.headers.get("content-type", ""),
        )
        return Response(status_code=status)

    return TestClient(Starlette(routes=[Route(PATH, webhook, methods=["POST"])]))


def fastapi_client(inbox: Inbox) -> Any:
    fastapi = pytest.importorskip("fastapi")
    pytest.importorskip("httpx")
    from fastapi.testclient import TestClient

    app = fastapi.FastAPI()

    async def webhook(request: Any) -> Any:
        status = inbox.receive(
            await request.body(),
            request.headers.get("stripe-signature", ""),
            request.headers.get("content-type", ""),
        )
        return fastapi.Response(status_code=status)

    # FastAPI reads the annotation to inject the request; a local name cannot be a string one.
    webhook.__annotations__ = {"request": fastapi.Request, "return": fastapi.Response}
    app.post(PATH)(webhook)
    return TestClient(app)


FRAMEWORKS: dict[str, Callable[[Inbox], Any]] = {
    "flask": flask_client,
    "django": django_client,
    "starlette": starlette_client,
    "fastapi": fastapi_client,
}


@pytest.fixture
def fake() -> Iterator[FakeCheckout]:
    with FakeCheckout(seed=15) as fake:
        yield fake


@pytest.fixture
def inbox(fake: FakeCheckout) -> Inbox:
    return Inbox(secret=fake.webhooks.secret)


@pytest.fixture(params=sorted(FRAMEWORKS))
def client(request: pytest.FixtureRequest, inbox: Inbox) -> Any:
    """The webhook app's test client, once per framework."""
    return FRAMEWORKS[request.param](inbox)


def expired_session(fake: FakeCheckout) -> str:
    """A session that expires: one event (a completion also records its payment's events)."""
    session = fake.sessions.create(
        mode="payment", line_items=LINE_ITEMS, success_url="https://x.test"
    )
    fake.sessions.expire(session["id"])
    return str(session["id"])


def test_every_event_is_posted_to_the_path_and_verifies_with_the_webhook_secret(
    fake: FakeCheckout, inbox: Inbox, client: Any
) -> None:
    forwarding = fake.webhooks.forward_to(client, PATH)

    session_id = expired_session(fake)

    assert inbox.types == ["checkout.session.expired"]
    assert inbox.events[0]["data"]["object"]["id"] == session_id
    assert [(d.event_type, d.status) for d in forwarding.deliveries] == [
        ("checkout.session.expired", 200)
    ]


def test_the_body_is_the_raw_json_with_stripes_content_type(
    fake: FakeCheckout, inbox: Inbox, client: Any
) -> None:
    fake.webhooks.forward_to(client, PATH)

    expired_session(fake)

    event = fake.events.list()["data"][0]
    payload, _ = fake.webhooks.sign(event)
    assert inbox.bodies == [payload]
    assert inbox.content_types[0].split(";")[0] == "application/json"


def test_a_secret_given_is_the_one_the_events_are_signed_with(
    fake: FakeCheckout, inbox: Inbox, client: Any
) -> None:
    inbox.secret = "whsec_the_apps_own"
    fake.webhooks.forward_to(client, PATH, secret="whsec_the_apps_own")

    expired_session(fake)

    assert inbox.types == ["checkout.session.expired"]


def test_an_answer_other_than_2xx_is_a_delivery_failure_a_strict_stop_reports(
    inbox: Inbox,
) -> None:
    inbox.answer = 500
    fake = FakeCheckout(seed=15)
    inbox.secret = fake.webhooks.secret
    client = flask_client(inbox)
    fake.start()
    fake.webhooks.forward_to(client, PATH)
    expired_session(fake)  # the request that caused the event still succeeds

    with pytest.raises(WebhookDeliveryError) as raised:
        fake.stop()

    [(event_id, rejected)] = raised.value.failures
    assert isinstance(rejected, WebhookRejected)
    assert (rejected.event_id, rejected.status) == (inbox.ids[0], 500)
    assert str(rejected) == (
        f"POST /stripe/webhook answered 500 to {event_id} (Stripe counts anything but 2xx as a "
        "failed delivery and retries it)"
    )


def test_a_wrong_secret_shows_as_the_apps_400(fake: FakeCheckout, inbox: Inbox) -> None:
    forwarding = fake.webhooks.forward_to(flask_client(inbox), PATH, secret="whsec_not_the_apps")

    expired_session(fake)

    assert [d.status for d in forwarding.deliveries] == [400]
    assert [type(exc) for _, exc in fake.webhooks.failures] == [WebhookRejected]
    fake.webhooks.failures.clear()


def test_redeliver_posts_the_same_event_again_newly_signed(
    fake: FakeCheckout, inbox: Inbox, client: Any
) -> None:
    fake.webhooks.forward_to(client, PATH)
    expired_session(fake)

    fake.webhooks.redeliver(inbox.ids[0])

    assert inbox.ids == [inbox.ids[0]] * 2
    assert inbox.bodies[0] == inbox.bodies[1]


def test_redeliver_of_an_unknown_event_is_stripes_no_such_event(fake: FakeCheckout) -> None:
    with pytest.raises(InvalidRequestError) as raised:
        fake.webhooks.redeliver("evt_missing")

    assert str(raised.value) == "No such event: 'evt_missing'"


def test_stop_ends_the_forwarding(fake: FakeCheckout, inbox: Inbox) -> None:
    with fake.webhooks.forward_to(flask_client(inbox), PATH):
        expired_session(fake)

    expired_session(fake)

    assert len(inbox.events) == 1


def test_a_duplicating_policy_posts_each_event_twice_in_a_row(
    fake: FakeCheckout, inbox: Inbox, client: Any
) -> None:
    fake.webhooks.forward_to(client, PATH, policy=DeliveryPolicy(duplicate=1.0))

    expired_session(fake)
    expired_session(fake)

    first, second = (event["id"] for event in fake.events.list()["data"][::-1])
    assert inbox.ids == [first, first, second, second]


@pytest.mark.parametrize("seed", range(8))
def test_a_reordering_policy_delivers_each_event_once_held_ones_after_a_later_one(
    fake: FakeCheckout, inbox: Inbox, seed: int
) -> None:
    forwarding = fake.webhooks.forward_to(
        flask_client(inbox), PATH, policy=DeliveryPolicy(reorder=0.5, seed=seed)
    )
    for _ in range(6):
        expired_session(fake)

    forwarding.flush()

    recorded = [event["id"] for event in fake.events.list()["data"][::-1]]
    assert sorted(inbox.ids) == sorted(recorded)
    assert forwarding.held == []


def test_a_held_event_is_posted_right_after_the_next_one(fake: FakeCheckout, inbox: Inbox) -> None:
    # With this seed the first event is held back and the second is not.
    forwarding = fake.webhooks.forward_to(
        flask_client(inbox), PATH, policy=DeliveryPolicy(reorder=0.5, seed=1)
    )

    first = expired_session(fake)
    assert (inbox.events, len(forwarding.held)) == ([], 1)
    second = expired_session(fake)

    assert [event["data"]["object"]["id"] for event in inbox.events] == [second, first]
    assert forwarding.held == []


def test_stopping_posts_what_is_still_held(fake: FakeCheckout, inbox: Inbox) -> None:
    forwarding = fake.webhooks.forward_to(
        flask_client(inbox), PATH, policy=DeliveryPolicy(reorder=1.0)
    )
    expired_session(fake)
    assert inbox.events == []

    forwarding.stop()

    assert inbox.types == ["checkout.session.expired"]


def test_forward_to_refuses_a_client_of_no_known_framework(fake: FakeCheckout) -> None:
    with pytest.raises(TypeError, match="Flask, Django or Starlette/FastAPI test client"):
        fake.webhooks.forward_to(object(), PATH)


@pytest.mark.parametrize("chance", [-0.1, 1.5])
def test_a_delivery_policy_takes_chances_between_0_and_1(chance: float) -> None:
    with pytest.raises(ValueError, match="a chance between 0 and 1"):
        DeliveryPolicy(duplicate=chance)
