"""``Idempotency-Key``: replays, reuse with other parameters, and a key still in flight."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Mapping
from typing import Any

import pytest
import stripe

from fakecheckout import FakeCheckout

from ._support import (
    Backend,
    SdkStyle,
    assert_stripe_error,
    line_item,
    payment_params,
    response_header,
)


def new_key() -> str:
    """A key no earlier run has used (real mode keeps keys for 24 hours)."""
    return f"fakecheckout-conformance-{uuid.uuid4()}"


def test_same_key_and_params_return_the_same_session(sdk: SdkStyle) -> None:
    key = new_key()
    first = sdk.create(payment_params(), idempotency_key=key)
    again = sdk.create(payment_params(), idempotency_key=key)
    assert again["id"] == first["id"]


def test_replayed_response_carries_idempotent_replayed_true(sdk: SdkStyle) -> None:
    key = new_key()
    sdk.create(payment_params(), idempotency_key=key)
    again = sdk.create(payment_params(), idempotency_key=key)
    assert response_header(again, "Idempotent-Replayed") == "true"


def test_first_response_with_a_key_is_not_marked_replayed(sdk: SdkStyle) -> None:
    first = sdk.create(payment_params(), idempotency_key=new_key())
    assert response_header(first, "Idempotent-Replayed") is None


def test_same_key_with_other_params_raises_idempotency_error(sdk: SdkStyle) -> None:
    key = new_key()
    sdk.create(payment_params(), idempotency_key=key)
    with pytest.raises(stripe.IdempotencyError) as info:
        sdk.create(payment_params(line_items=[line_item(quantity=2)]), idempotency_key=key)
    assert_stripe_error(
        info.value,
        stripe.IdempotencyError,
        status=400,
        error_type="idempotency_error",
        message="Keys for idempotent requests can only be used with the same parameters they "
        f"were first used with. Try using a key other than '{key}' if you meant to execute a "
        "different request.",
    )


@pytest.mark.fake_only
def test_same_key_while_the_first_request_runs_is_409_key_in_use(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    """A webhook callback runs inside the first request, so its retry is truly concurrent."""
    assert stripe_backend.fake is not None
    session = sdk.create(payment_params())
    key = new_key()
    caught: list[stripe.StripeError] = []

    def send_again(payload: bytes, headers: Mapping[str, str]) -> None:
        try:
            sdk.expire(session["id"], idempotency_key=key)
        except stripe.StripeError as error:
            caught.append(error)

    unsubscribe = stripe_backend.fake.webhooks.subscribe(send_again)
    try:
        sdk.expire(session["id"], idempotency_key=key)
    finally:
        unsubscribe()
    assert len(caught) == 1
    assert_stripe_error(
        caught[0],
        stripe.APIError,  # stripe-python maps every 409 to APIError
        status=409,
        error_type="idempotency_error",
        code="idempotency_key_in_use",
        message="There is currently another in-progress request using this Idempotent Key "
        "(that probably means you submitted twice, and the other request is still going "
        f"through): {key}. Please try again later.",
    )


@pytest.mark.fake_only
def test_sdk_with_retries_retries_a_409_key_in_use_and_gets_the_first_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The 409 says ``Stripe-Should-Retry: true``, so stripe-python retries it with the same key;
    by then the first request has finished, and the retry gets its result replayed."""
    key = new_key()
    fake = FakeCheckout(strict=True)
    client = stripe.StripeClient("sk_test_retries", max_network_retries=2)
    create = client.v1.checkout.sessions.create
    first: list[Any] = []
    retries: list[int] = []

    def finish_first_then_retry_at_once(self: Any, num_retries: int, *response: Any) -> float:
        # stripe 15+ passes (num_retries); 14 passes (num_retries, response)
        retries.append(num_retries)
        fake.lock.release()  # the first request may now run to its end
        worker.join()
        return 0.0

    monkeypatch.setattr(
        stripe._http_client.HTTPClient, "_sleep_time_seconds", finish_first_then_retry_at_once
    )
    worker = threading.Thread(
        target=lambda: first.append(
            create(params=payment_params(), options={"idempotency_key": key})
        )
    )
    with fake:
        fake.lock.acquire()  # the first request registers its key, then waits for the lock
        worker.start()
        while len(fake.idempotency) == 0 and worker.is_alive():
            time.sleep(0.001)
        again = create(params=payment_params(), options={"idempotency_key": key})
    assert retries == [1]
    assert again["id"] == first[0]["id"]
    assert again.last_response.headers.get("Idempotent-Replayed") == "true"
