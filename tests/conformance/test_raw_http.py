"""Raw ``requests`` calls, as curl users and other HTTP clients send them: form bodies with
literal or percent-encoded brackets, ``expand[]`` and ``expand[0]``, HTTP Basic auth, and the
headers every response carries."""

from __future__ import annotations

import base64
import uuid
from typing import Any

import pytest
import requests

from ._support import SESSIONS_URL, Backend

FORM = "application/x-www-form-urlencoded"
CREATE_FORM = (
    "mode=payment"
    "&success_url=https%3A%2F%2Fexample.com%2Fsuccess"
    "&line_items[0][price_data][currency]=usd"
    "&line_items[0][price_data][unit_amount]=1500"
    "&line_items[0][price_data][product_data][name]=T-shirt"
    "&line_items[0][quantity]=2"
)
PINNED_VERSION = "2026-10-28.endive"


def percent_encode_brackets(form: str) -> str:
    return form.replace("[", "%5B").replace("]", "%5D")


def post_session(
    backend: Backend, body: str, headers: dict[str, str] | None = None
) -> requests.Response:
    response = requests.post(
        SESSIONS_URL,
        data=body,
        headers={**backend.auth, "Content-Type": FORM, **(headers or {})},
        timeout=30,
    )
    if response.status_code == 200:
        backend.track(response.json()["id"])
    return response


def created(backend: Backend, body: str = CREATE_FORM) -> dict[str, Any]:
    response = post_session(backend, body)
    assert response.status_code == 200, response.text
    session: dict[str, Any] = response.json()
    return session


def test_form_body_with_literal_brackets_creates_a_session(stripe_backend: Backend) -> None:
    session = created(stripe_backend)
    assert (session["object"], session["amount_total"]) == ("checkout.session", 3000)


def test_form_body_with_percent_encoded_brackets_creates_the_same_session(
    stripe_backend: Backend,
) -> None:
    session = created(stripe_backend, percent_encode_brackets(CREATE_FORM))
    assert (session["object"], session["amount_total"]) == ("checkout.session", 3000)


@pytest.mark.parametrize(
    "expand",
    [
        "expand[]=line_items",
        "expand[0]=line_items",
        "expand%5B%5D=line_items",
        "expand%5B0%5D=line_items",
    ],
)
def test_form_body_expand_of_line_items_in_every_array_form(
    stripe_backend: Backend, expand: str
) -> None:
    session = created(stripe_backend, f"{CREATE_FORM}&{expand}")
    assert [item["quantity"] for item in session["line_items"]["data"]] == [2]


@pytest.mark.parametrize("expand", ["expand[]=line_items", "expand%5B0%5D=line_items"])
def test_query_string_expand_of_line_items_on_retrieve(
    stripe_backend: Backend, expand: str
) -> None:
    session_id = created(stripe_backend)["id"]
    response = requests.get(
        f"{SESSIONS_URL}/{session_id}?{expand}", headers=stripe_backend.auth, timeout=30
    )
    assert response.status_code == 200
    assert response.json()["line_items"]["object"] == "list"


def test_basic_auth_with_the_key_as_user_name_is_accepted(stripe_backend: Backend) -> None:
    response = requests.get(SESSIONS_URL, auth=(stripe_backend.api_key, ""), timeout=30)
    assert response.status_code == 200
    assert response.json()["object"] == "list"


def test_basic_auth_header_built_by_hand_is_accepted(stripe_backend: Backend) -> None:
    token = base64.b64encode(f"{stripe_backend.api_key}:".encode()).decode()
    response = requests.get(
        f"{SESSIONS_URL}?limit=1", headers={"Authorization": f"Basic {token}"}, timeout=30
    )
    assert response.status_code == 200


def test_response_has_a_request_id(stripe_backend: Backend) -> None:
    response = requests.get(SESSIONS_URL, headers=stripe_backend.auth, timeout=30)
    assert response.headers["Request-Id"].startswith("req_")


def test_response_content_type_is_json(stripe_backend: Backend) -> None:
    response = requests.get(SESSIONS_URL, headers=stripe_backend.auth, timeout=30)
    assert response.headers["Content-Type"].split(";")[0] == "application/json"


def test_response_echoes_the_requested_stripe_version(stripe_backend: Backend) -> None:
    response = requests.get(
        SESSIONS_URL,
        headers={**stripe_backend.auth, "Stripe-Version": PINNED_VERSION},
        timeout=30,
    )
    assert response.headers["Stripe-Version"] == PINNED_VERSION


@pytest.mark.fake_only
def test_response_without_requested_version_carries_the_pinned_version(
    stripe_backend: Backend,
) -> None:
    response = requests.get(SESSIONS_URL, headers=stripe_backend.auth, timeout=30)
    assert response.headers["Stripe-Version"] == PINNED_VERSION


def test_error_response_has_a_request_id(stripe_backend: Backend) -> None:
    response = requests.get(f"{SESSIONS_URL}?limit=abc", headers=stripe_backend.auth, timeout=30)
    assert response.status_code == 400
    assert response.headers["Request-Id"].startswith("req_")


@pytest.mark.fake_only
def test_error_response_says_stripe_should_not_retry(stripe_backend: Backend) -> None:
    response = requests.get(f"{SESSIONS_URL}?limit=abc", headers=stripe_backend.auth, timeout=30)
    assert response.headers["Stripe-Should-Retry"] == "false"


def test_replayed_post_carries_idempotent_replayed_true(stripe_backend: Backend) -> None:
    key = {"Idempotency-Key": f"fakecheckout-conformance-{uuid.uuid4()}"}
    first = post_session(stripe_backend, CREATE_FORM, key)
    again = post_session(stripe_backend, CREATE_FORM, key)
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
