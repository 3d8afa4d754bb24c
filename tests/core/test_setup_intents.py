"""The SetupIntent behind a setup-mode Checkout Session: created with the session, succeeded
with a saved card when it completes, canceled when it expires; retrieve and list."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fakecheckout import InvalidRequestError, ManualClock
from fakecheckout.core import param_tree, versions
from fakecheckout.core.world import World
from fakecheckout.resources.setup_intents import SENT_ONLY_WHEN_SET

from .conftest import START, payment_params


def setup_params(**overrides: Any) -> dict[str, Any]:
    params: dict[str, Any] = {
        "mode": "setup",
        "currency": "usd",
        "success_url": "https://example.com/ok",
    }
    params.update(overrides)
    return params


def _types_since(world: World, count: int) -> list[str]:
    return [event["type"] for event in reversed(world.events.all())][count:]


def test_a_setup_mode_session_has_a_setup_intent_waiting_for_a_payment_method(
    world: World,
) -> None:
    session = world.sessions.create(**setup_params())
    intent = world.setup_intents.retrieve(session["setup_intent"])
    assert intent["object"] == "setup_intent"
    assert intent["status"] == "requires_payment_method"
    assert (intent["usage"], intent["payment_method"]) == ("off_session", None)
    assert intent["payment_method_types"] == ["card"]
    assert intent["created"] == session["created"] == START
    assert intent["client_secret"].startswith(f"{intent['id']}_secret_")


def test_creating_a_setup_mode_session_records_setup_intent_created(world: World) -> None:
    session = world.sessions.create(**setup_params())
    (event,) = world.events.all()
    assert event["type"] == "setup_intent.created"
    assert event["data"]["object"]["id"] == session["setup_intent"]


def test_the_setup_intent_names_the_sessions_customer(world: World) -> None:
    customer = world.customers.create(email="saver@example.com")
    session = world.sessions.create(**setup_params(customer=customer["id"]))
    assert world.setup_intents.retrieve(session["setup_intent"])["customer"] == customer["id"]


def test_setup_intent_data_gives_the_intent_its_description_metadata_and_on_behalf_of(
    world: World,
) -> None:
    data = {"description": "Card for later", "metadata": {"plan": "pro"}, "on_behalf_of": "acct_1"}
    session = world.sessions.create(**setup_params(setup_intent_data=data))
    intent = world.setup_intents.retrieve(session["setup_intent"])
    assert (intent["description"], intent["metadata"]) == ("Card for later", {"plan": "pro"})
    assert intent["on_behalf_of"] == "acct_1"


def test_payment_and_subscription_sessions_have_no_setup_intent(world: World) -> None:
    session = world.sessions.create(**payment_params())
    assert session["setup_intent"] is None
    assert world.setup_intents.list()["data"] == []


def test_completion_saves_a_card_attached_to_the_customer(world: World) -> None:
    customer = world.customers.create(email="saver@example.com")
    session = world.sessions.create(**setup_params(customer=customer["id"]))
    before = len(world.events.all())
    world.sessions.complete(session["id"])
    assert _types_since(world, before) == [
        "payment_method.attached",
        "setup_intent.succeeded",
        "checkout.session.completed",
    ]
    intent = world.setup_intents.retrieve(session["setup_intent"])
    assert intent["status"] == "succeeded"
    assert intent["latest_attempt"].startswith("setatt_")
    method = world.payment_methods.retrieve(intent["payment_method"])
    assert (method["type"], method["card"]["last4"]) == ("card", "4242")
    assert method["customer"] == customer["id"]


def test_without_a_customer_the_saved_card_stays_unattached(world: World) -> None:
    session = world.sessions.create(**setup_params())
    before = len(world.events.all())
    world.sessions.complete(session["id"])
    assert _types_since(world, before) == ["setup_intent.succeeded", "checkout.session.completed"]
    intent = world.setup_intents.retrieve(session["setup_intent"])
    assert (intent["status"], intent["customer"]) == ("succeeded", None)
    assert world.payment_methods.retrieve(intent["payment_method"])["customer"] is None


def test_customer_creation_always_attaches_the_card_to_the_new_customer(world: World) -> None:
    session = world.sessions.create(**setup_params(customer_creation="always"))
    before = len(world.events.all())
    done = world.sessions.complete(session["id"], customer_details={"email": "new@example.com"})
    assert _types_since(world, before) == [
        "customer.created",
        "payment_method.attached",
        "setup_intent.succeeded",
        "checkout.session.completed",
    ]
    intent = world.setup_intents.retrieve(session["setup_intent"])
    assert intent["customer"] == done["customer"]
    method = world.payment_methods.retrieve(intent["payment_method"])
    assert (method["customer"], method["billing_details"]["email"]) == (
        done["customer"],
        "new@example.com",
    )


def test_the_succeeded_event_carries_the_saved_payment_method(world: World) -> None:
    session = world.sessions.create(**setup_params())
    world.sessions.complete(session["id"])
    event = world.events.list(type="setup_intent.succeeded")["data"][0]
    assert event["data"]["object"]["status"] == "succeeded"
    assert event["data"]["object"]["payment_method"].startswith("pm_")


def test_expiring_the_session_cancels_its_setup_intent_as_abandoned(world: World) -> None:
    session = world.sessions.create(**setup_params())
    before = len(world.events.all())
    world.sessions.expire(session["id"])
    assert _types_since(world, before) == ["setup_intent.canceled", "checkout.session.expired"]
    intent = world.setup_intents.retrieve(session["setup_intent"])
    assert (intent["status"], intent["cancellation_reason"]) == ("canceled", "abandoned")


def test_a_session_expiring_at_expires_at_cancels_its_setup_intent_without_a_request(
    world: World, clock: ManualClock
) -> None:
    session = world.sessions.create(**setup_params(expires_at=START + 1800))
    clock.advance(1800)
    produced = world.settle()
    assert [event["type"] for event in produced] == [
        "setup_intent.canceled",
        "checkout.session.expired",
    ]
    assert produced[0]["request"] == {"id": None, "idempotency_key": None}
    assert world.setup_intents.retrieve(session["setup_intent"])["status"] == "canceled"


def test_expanding_setup_intent_on_a_completed_session_gives_the_intent_and_its_card(
    world: World,
) -> None:
    session = world.sessions.create(**setup_params())
    world.sessions.complete(session["id"])
    shown = world.sessions.retrieve(
        session["id"], expand=["setup_intent", "setup_intent.payment_method"]
    )
    assert shown["setup_intent"]["status"] == "succeeded"
    assert shown["setup_intent"]["payment_method"]["object"] == "payment_method"


def test_retrieve_takes_the_client_secret_the_browser_side_sends(world: World) -> None:
    session = world.sessions.create(**setup_params())
    intent = world.setup_intents.retrieve(session["setup_intent"])
    again = world.setup_intents.retrieve(intent["id"], client_secret=intent["client_secret"])
    assert again == intent


def test_retrieve_of_an_unknown_setup_intent_is_stripes_404(world: World) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        world.setup_intents.retrieve("seti_missing")
    error = caught.value
    assert (error.http_status, error.code, error.param) == (404, "resource_missing", "id")
    assert error.message == "No such setup_intent: 'seti_missing'"


def test_list_is_newest_first_and_filters_by_customer(world: World) -> None:
    customer = world.customers.create(email="saver@example.com")
    first = world.sessions.create(**setup_params(customer=customer["id"]))
    world.sessions.create(**setup_params())
    third = world.sessions.create(**setup_params(customer=customer["id"]))
    listed = world.setup_intents.list(customer=customer["id"])
    assert [i["id"] for i in listed["data"]] == [third["setup_intent"], first["setup_intent"]]
    assert (listed["url"], listed["has_more"]) == ("/v1/setup_intents", False)
    assert len(world.setup_intents.list()["data"]) == 3


def test_list_filters_by_the_saved_payment_method(world: World) -> None:
    done = world.sessions.create(**setup_params())
    world.sessions.create(**setup_params())
    world.sessions.complete(done["id"])
    method = world.setup_intents.retrieve(done["setup_intent"])["payment_method"]
    listed = world.setup_intents.list(payment_method=method)["data"]
    assert [i["id"] for i in listed] == [done["setup_intent"]]


def test_list_filters_by_created(world: World, clock: ManualClock) -> None:
    world.sessions.create(**setup_params())
    clock.advance(60)
    later = world.sessions.create(**setup_params())
    listed = world.setup_intents.list(created={"gt": START})["data"]
    assert [i["id"] for i in listed] == [later["setup_intent"]]


def test_list_by_customer_account_is_empty(world: World) -> None:
    world.sessions.create(**setup_params())
    assert world.setup_intents.list(customer_account="acct_1")["data"] == []


def test_list_refuses_attach_to_self_as_not_emulated(world: World) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        world.setup_intents.list(attach_to_self=True)
    assert caught.value.param == "attach_to_self"


def test_list_refuses_an_unknown_parameter(world: World) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        world.setup_intents.list(status="succeeded")
    assert caught.value.message == "Received unknown parameter: status"


def test_an_old_api_version_shows_the_same_setup_intent(world: World) -> None:
    intent_id = world.sessions.create(**setup_params())["setup_intent"]
    newest = world.setup_intents.retrieve(intent_id)
    with versions.using(versions.OLDEST):
        assert world.setup_intents.retrieve(intent_id) == newest


@pytest.mark.parametrize("version", versions.API_VERSIONS)
def test_the_fields_are_the_sdks_at_every_version_but_those_sent_only_when_set(
    world: World, version: str
) -> None:
    intent_id = world.sessions.create(**setup_params())["setup_intent"]
    with versions.using(version):
        shown = world.setup_intents.retrieve(intent_id)
    expected = param_tree.fields_at("setup_intent", version) - SENT_ONLY_WHEN_SET
    assert set(shown) == expected


STATUS_OF_SESSION = {
    "open": "requires_payment_method",
    "complete": "succeeded",
    "expired": "canceled",
}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["open", "complete", "expire", "timeout"]), max_size=8))
def test_a_setup_intents_status_follows_its_sessions(steps: list[str]) -> None:
    clock = ManualClock(START)
    world = World(clock=clock, seed=2)
    sessions = []
    for step in steps:
        session = world.sessions.create(**setup_params(expires_at=clock.now() + 1800))
        sessions.append(session["id"])
        if step == "complete":
            world.sessions.complete(session["id"])
        elif step == "expire":
            world.sessions.expire(session["id"])
        elif step == "timeout":
            clock.advance(1800)
    for session_id in sessions:
        session = world.sessions.retrieve(session_id)
        intent = world.setup_intents.retrieve(session["setup_intent"])
        assert intent["status"] == STATUS_OF_SESSION[session["status"]]
        assert (intent["payment_method"] is not None) is (session["status"] == "complete")
