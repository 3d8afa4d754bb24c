"""A list page through the HTTP door reuses the JSON of unchanged sessions (``core/encoded.py``):
every change to a session, wherever it is made, shows on the next page."""

from __future__ import annotations

import json
from typing import Any

import pytest

from fakecheckout import FakeCheckout, ManualClock
from fakecheckout.http import forms
from tests.factories import AUTH, START, payment_params, shirt

SESSIONS = "/v1/checkout/sessions"


@pytest.fixture
def fake() -> FakeCheckout:
    world = FakeCheckout(clock=ManualClock(START), seed=1)
    for order in range(3):
        world.sessions.create(
            **payment_params(line_items=[shirt()], metadata={"order": str(order)})
        )
    return world


def page(fake: FakeCheckout, query: str = "", headers: dict[str, str] | None = None) -> bytes:
    status, _, body = fake.handle("GET", f"{SESSIONS}?limit=10{query}", headers or AUTH, b"")
    assert status == 200, body
    return body


def newest(fake: FakeCheckout) -> dict[str, Any]:
    first: dict[str, Any] = json.loads(page(fake))["data"][0]
    return first


def test_a_page_read_twice_is_the_same_bytes(fake):
    assert page(fake) == page(fake)


def test_a_page_equals_the_page_built_without_reuse(fake):
    page(fake)
    # An expansion takes the general way; with no customer it changes nothing.
    assert json.loads(page(fake)) == json.loads(page(fake, "&expand[]=data.customer"))


@pytest.mark.parametrize("version", ["2022-08-01", "2024-06-20", "2025-03-31.basil"])
def test_each_api_version_gets_its_own_shape(fake, version):
    newest_shape = page(fake)
    versioned = {**AUTH, "Stripe-Version": version}
    reused = page(fake, headers=versioned)
    assert json.loads(reused) == json.loads(page(fake, "&expand[]=data.customer", versioned))
    assert page(fake) == newest_shape


def test_an_update_over_http_shows_on_the_next_page(fake):
    session_id = newest(fake)["id"]
    body = forms.encode({"metadata": {"order": "changed"}}).encode()
    assert fake.handle("POST", f"{SESSIONS}/{session_id}", AUTH, body)[0] == 200
    assert newest(fake)["metadata"] == {"order": "changed"}


def test_an_expiry_through_the_direct_api_shows_on_the_next_page(fake):
    before = newest(fake)
    assert before["url"] is not None
    fake.sessions.expire(before["id"])
    after = newest(fake)
    assert (after["status"], after["url"]) == ("expired", None)


def test_time_passing_expires_at_shows_on_the_next_page(fake):
    assert {session["status"] for session in json.loads(page(fake))["data"]} == {"open"}
    fake.clock.advance(24 * 60 * 60 + 1)
    assert {session["status"] for session in json.loads(page(fake))["data"]} == {"expired"}


def test_a_completed_session_shows_on_the_next_page(fake):
    session_id = newest(fake)["id"]
    fake.sessions.complete(session_id)
    assert newest(fake)["status"] == "complete"


def test_a_restored_snapshot_shows_on_the_next_page(fake):
    snapshot = fake.snapshot()
    session_id = newest(fake)["id"]
    fake.sessions.update(session_id, metadata={"order": "changed"})
    assert newest(fake)["metadata"] == {"order": "changed"}
    fake.restore(snapshot)
    assert newest(fake)["metadata"] == {"order": "2"}


def test_a_new_hosted_page_address_shows_on_the_next_page(fake):
    page(fake)
    fake.checkout_page_base_url = "http://127.0.0.1:12111"
    assert newest(fake)["url"].startswith("http://127.0.0.1:12111/c/pay/")
