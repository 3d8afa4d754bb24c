"""Idempotency-Key: replay, mismatch, what is stored, in-flight, expiry, scope, compactness."""

from __future__ import annotations

import json
import threading
import time
import tracemalloc
from typing import Any

import pytest
import stripe

from fakecheckout import FakeCheckout, ManualClock
from fakecheckout.http import forms, handler
from fakecheckout.http.idempotency import IdempotencyStore, Replay, Ticket, fingerprint
from tests.factories import KEY, payment_params, shirt

CREATE = payment_params(line_items=[shirt(unit_amount=1000)])
BODY = forms.encode(CREATE).encode()


def post(
    fake: FakeCheckout,
    key: str,
    body: bytes = BODY,
    path: str = "/v1/checkout/sessions",
    **headers: str,
) -> tuple[int, dict[str, str], bytes]:
    sent = {"Authorization": f"Bearer {KEY}", "Idempotency-Key": key, **headers}
    return fake.handle("POST", path, sent, body)


@pytest.fixture
def fake() -> FakeCheckout:
    return FakeCheckout(clock=ManualClock(1_700_000_000), seed=1)


# --- replay and mismatch ------------------------------------------------------------------------


def test_replay_returns_identical_status_and_body(fake):
    first = post(fake, "k1")
    again = post(fake, "k1")
    assert (again[0], again[2]) == (first[0], first[2])


def test_replay_carries_idempotent_replayed_header(fake):
    post(fake, "k1")
    assert post(fake, "k1")[1]["Idempotent-Replayed"] == "true"


def test_first_response_has_no_replayed_header(fake):
    assert "Idempotent-Replayed" not in post(fake, "k1")[1]


def test_replay_does_not_create_a_second_session(fake):
    post(fake, "k1")
    post(fake, "k1")
    assert len(fake.sessions.list()["data"]) == 1


def test_post_response_echoes_the_key(fake):
    assert post(fake, "k1")[1]["Idempotency-Key"] == "k1"


def test_error_response_echoes_the_key(fake):
    assert post(fake, "k1", b"mode=bogus")[1]["Idempotency-Key"] == "k1"


def test_get_ignores_the_key(fake):
    headers = {"Authorization": f"Bearer {KEY}", "Idempotency-Key": "k1"}
    _, response_headers, _ = fake.handle("GET", "/v1/checkout/sessions", headers, b"")
    assert ("Idempotency-Key" not in response_headers, len(fake.idempotency)) == (True, 0)


def test_same_key_with_other_params_is_400_idempotency_error(fake):
    post(fake, "k1")
    status, _, body = post(fake, "k1", BODY + b"&metadata[a]=1")
    error = json.loads(body)["error"]
    assert (status, error["type"]) == (400, "idempotency_error")
    assert "Try using a key other than 'k1'" in error["message"]


def test_same_key_on_another_path_is_a_mismatch(fake):
    session_id = json.loads(post(fake, "k1")[2])["id"]
    status, _, _ = post(fake, "k1", b"", f"/v1/checkout/sessions/{session_id}/expire")
    assert status == 400


def test_param_order_does_not_matter(fake):
    post(fake, "k1", b"mode=payment&" + BODY)
    reordered = BODY + b"&mode=payment"
    assert post(fake, "k1", reordered)[1].get("Idempotent-Replayed") == "true"


def test_mismatch_raises_sdk_idempotency_error(fake):
    client = stripe.StripeClient(KEY)
    with fake:
        client.v1.checkout.sessions.create(CREATE, options={"idempotency_key": "k1"})
        with pytest.raises(stripe.IdempotencyError):
            client.v1.checkout.sessions.create(
                {**CREATE, "metadata": {"a": "1"}}, options={"idempotency_key": "k1"}
            )


def test_sdk_replay_returns_the_same_session(fake):
    client = stripe.StripeClient(KEY)
    with fake:
        first = client.v1.checkout.sessions.create(CREATE, options={"idempotency_key": "k1"})
        again = client.v1.checkout.sessions.create(CREATE, options={"idempotency_key": "k1"})
    assert again.id == first.id


# --- what is stored -----------------------------------------------------------------------------


def test_validation_failure_is_not_stored(fake):
    assert post(fake, "k1", b"mode=bogus")[0] == 400
    status, headers, _ = post(fake, "k1")
    assert (status, "Idempotent-Replayed" in headers) == (200, False)


def test_not_found_is_stored_and_replayed(fake):
    # The endpoint ran and found nothing: Stripe keeps that result (API.md: failed after validation).
    path = "/v1/checkout/sessions/cs_test_missing/expire"
    first = post(fake, "k1", b"", path)
    again = post(fake, "k1", b"", path)
    assert (first[0], again[0]) == (404, 404)
    assert again[1]["Idempotent-Replayed"] == "true"
    assert again[2] == first[2]


def test_same_key_with_other_parameters_after_a_stored_404_is_a_mismatch(fake):
    assert post(fake, "k1", b"", "/v1/checkout/sessions/cs_test_missing/expire")[0] == 404
    assert post(fake, "k1")[0] == 400


def test_expiring_a_session_that_is_no_longer_open_is_replayed(fake):
    session_id = json.loads(post(fake, "create-1")[2])["id"]
    path = f"/v1/checkout/sessions/{session_id}/expire"
    assert post(fake, "expire-1", b"", path)[0] == 200
    first = post(fake, "expire-2", b"", path)
    again = post(fake, "expire-2", b"", path)
    assert (first[0], again[0], again[1].get("Idempotent-Replayed")) == (400, 400, "true")


def test_auth_failure_is_not_stored(fake):
    assert post(fake, "k1", Authorization="Bearer sk_nope")[0] == 401
    assert len(fake.idempotency) == 0


def _boom(namespace: Any, ids: list[str], params: dict[str, Any]) -> dict[str, Any]:
    raise ZeroDivisionError("boom")


def test_internal_error_is_stored_and_replayed(fake, monkeypatch):
    monkeypatch.setattr(handler, "ROUTES", [handler.Route("POST", "/v1/checkout/sessions", _boom)])
    assert post(fake, "k1")[0] == 500
    monkeypatch.undo()
    status, headers, _ = post(fake, "k1")
    assert (status, headers["Idempotent-Replayed"]) == (500, "true")


# --- in flight ----------------------------------------------------------------------------------


def test_key_in_flight_in_another_thread_is_409(fake):
    results: list[int] = []
    with fake.lock:  # the first request waits for the world's lock, holding its key
        worker = threading.Thread(target=lambda: results.append(post(fake, "k1")[0]))
        worker.start()
        deadline = time.monotonic() + 5
        while len(fake.idempotency) == 0 and time.monotonic() < deadline:
            time.sleep(0.001)
        status, headers, body = post(fake, "k1")
    worker.join()
    error = json.loads(body)["error"]
    assert (status, error["code"], headers["Stripe-Should-Retry"]) == (
        409,
        "idempotency_key_in_use",
        "true",
    )
    assert results == [200]


def test_key_is_free_after_the_request_finishes(fake):
    store = IdempotencyStore()
    ticket = store.begin(account="", api_key=KEY, key="k", request=b"f" * 16, now=0)
    assert isinstance(ticket, Ticket)
    store.finish(ticket, 400, b"{}")
    assert isinstance(
        store.begin(account="", api_key=KEY, key="k", request=b"g" * 16, now=0), Ticket
    )


# --- expiry -------------------------------------------------------------------------------------


def test_key_is_forgotten_24_hours_after_first_use(fake):
    post(fake, "k1")
    fake.clock.advance(24 * 60 * 60)
    status, headers, _ = post(fake, "k1", BODY + b"&metadata[a]=1")
    assert (status, "Idempotent-Replayed" in headers) == (200, False)


def test_key_is_remembered_until_24_hours(fake):
    post(fake, "k1")
    fake.clock.advance(24 * 60 * 60 - 1)
    assert post(fake, "k1")[1]["Idempotent-Replayed"] == "true"


def test_expired_entries_are_pruned():
    store = IdempotencyStore(ttl=10)
    for index in range(5):
        ticket = store.begin(account="", api_key=KEY, key=f"k{index}", request=bytes(16), now=index)
        assert isinstance(ticket, Ticket)
        store.finish(ticket, 200, b"{}")
    store.begin(account="", api_key=KEY, key="new", request=bytes(16), now=13)
    assert len(store) == 2  # k4 (first used at 4) and "new", in flight


# --- scope --------------------------------------------------------------------------------------


def test_keys_are_scoped_per_account(fake):
    post(fake, "k1")
    status, headers, _ = post(fake, "k1", BODY + b"&metadata[a]=1", **{"Stripe-Account": "acct_1"})
    assert (status, "Idempotent-Replayed" in headers) == (200, False)


def test_keys_are_scoped_per_api_key(fake):
    post(fake, "k1")
    status, headers, _ = post(fake, "k1", Authorization="Bearer sk_test_other")
    assert (status, "Idempotent-Replayed" in headers) == (200, False)


def test_key_of_255_characters_is_accepted(fake):
    assert post(fake, "k" * 255)[0] == 200


def test_key_longer_than_255_characters_is_400(fake):
    status, _, body = post(fake, "k" * 256)
    assert (status, json.loads(body)["error"]["type"]) == (400, "idempotency_error")


# --- the store ----------------------------------------------------------------------------------


def test_store_replays_bodies_byte_for_byte():
    store = IdempotencyStore()
    bodies = [b'{"a":1}', b"", bytes(range(256)) * 300, b'{"b":"' + b"x" * 5000 + b'"}']
    for index, body in enumerate(bodies):
        ticket = store.begin(account="", api_key=KEY, key=str(index), request=bytes(16), now=0)
        assert isinstance(ticket, Ticket)
        store.finish(ticket, 200, body)
    replays = [
        store.begin(account="", api_key=KEY, key=str(i), request=bytes(16), now=0) for i in range(4)
    ]
    assert replays == [Replay(200, body) for body in bodies]


def test_fingerprint_ignores_dict_order():
    first = fingerprint("POST", "/v1/x", [], {"a": "1", "b": {"c": "2", "d": "3"}})
    second = fingerprint("POST", "/v1/x", [], {"b": {"d": "3", "c": "2"}, "a": "1"})
    assert first == second


def test_stored_entry_is_compact():
    fake = FakeCheckout(seed=1)
    post(fake, "warm-up")
    count = 500
    tracemalloc.start()
    try:
        fake.sessions.create(**CREATE)  # warm the core's caches outside the measurement
        before = tracemalloc.take_snapshot()
        store = fake.idempotency
        for index in range(count):
            body = json.dumps(fake.sessions.create(**CREATE), separators=(",", ":")).encode()
            ticket = store.begin(
                account="", api_key=KEY, key=f"{index:036d}", request=bytes(16), now=0
            )
            assert isinstance(ticket, Ticket)
            store.finish(ticket, 200, body)
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    grown = sum(
        stat.size_diff
        for stat in after.compare_to(before, "filename")
        if stat.traceback[0].filename.endswith("idempotency.py")
    )
    per_entry = grown / count
    print(f"idempotency store: {per_entry:.0f} bytes per entry")
    assert per_entry < 600
