"""A session's JSON built from pieces (``encode_session``) is byte for byte the JSON of its
rendered object, whatever the session holds and whatever state it is in."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fakecheckout import FakeCheckout, ManualClock
from fakecheckout.core.encoded import encode
from fakecheckout.resources.checkout_sessions import encode_session, render
from fakecheckout.strategies import create_params
from tests.factories import AUTH, START, payment_params, shirt

ui_modes = st.sampled_from([{}, {"ui_mode": "embedded_page", "return_url": "https://e.com/r"}])
endings = st.sampled_from(["open", "expire", "complete", "time"])
pages = st.sampled_from([None, "http://127.0.0.1:12111", "http://localhost:8000/"])


def _record(fake: FakeCheckout, session_id: str) -> Any:
    return fake.sessions._store.by_id[session_id]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(create_params(now=START, modes=("payment", "subscription")), ui_modes, endings, pages)
def test_the_pieced_json_of_a_session_is_the_json_of_its_object(
    params: dict[str, Any], ui_mode: dict[str, str], ending: str, page: str | None
) -> None:
    fake = FakeCheckout(clock=ManualClock(START), seed=1)
    if ui_mode:
        params = {key: value for key, value in params.items() if key != "success_url"}
    session = fake.sessions.create(**params, **ui_mode)
    if ending == "expire":
        fake.sessions.expire(session["id"])
    elif ending == "complete":
        fake.sessions.complete(session["id"])
    elif ending == "time":
        fake.clock.advance(2 * 24 * 60 * 60)
        fake.settle()
    record = _record(fake, session["id"])
    text = encode_session(record, page)
    if ui_mode:  # ``return_url`` is an optional field: the general way
        assert text is None
    else:
        assert text == encode(render(record, copy=False, page=page))


def test_a_session_with_an_optional_field_takes_the_general_way() -> None:
    fake = FakeCheckout(clock=ManualClock(START), seed=1)
    session = fake.sessions.create(
        **payment_params(line_items=[shirt()]),
        tax_id_collection={"enabled": True},
    )
    assert encode_session(_record(fake, session["id"])) is None


def test_an_embedded_session_over_http_is_the_json_of_the_direct_api_object() -> None:
    fake = FakeCheckout(clock=ManualClock(START), seed=1)
    params = {k: v for k, v in payment_params(line_items=[shirt()]).items() if k != "success_url"}
    session_id = fake.sessions.create(
        **params, ui_mode="embedded_page", return_url="https://e.com/r"
    )["id"]
    status, _, body = fake.handle("GET", f"/v1/checkout/sessions/{session_id}", AUTH, b"")
    assert status == 200
    assert body == json.dumps(fake.sessions.retrieve(session_id), separators=(",", ":")).encode()


def test_a_retrieve_over_http_is_the_json_of_the_direct_api_object() -> None:
    fake = FakeCheckout(clock=ManualClock(START), seed=1)
    session_id = fake.sessions.create(**payment_params(line_items=[shirt()]))["id"]
    status, _, body = fake.handle("GET", f"/v1/checkout/sessions/{session_id}", AUTH, b"")
    assert status == 200
    direct = fake.sessions.retrieve(session_id)
    assert body == json.dumps(direct, separators=(",", ":")).encode()


def test_an_expiry_event_holds_the_object_the_expire_call_answered() -> None:
    fake = FakeCheckout(clock=ManualClock(START), seed=1)
    session_id = fake.sessions.create(**payment_params(line_items=[shirt()]))["id"]
    status, _, body = fake.handle("POST", f"/v1/checkout/sessions/{session_id}/expire", AUTH, b"")
    assert status == 200
    event = fake.events.list(type="checkout.session.expired")["data"][0]
    assert event["data"]["object"] == json.loads(body)
    assert json.loads(body)["status"] == "expired"
