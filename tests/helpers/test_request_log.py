"""``fake.requests``: every request the fake answered, through every door, and ``assert_sent``."""

from __future__ import annotations

import pytest
import requests
import stripe

import fakecheckout
from fakecheckout import FakeCheckout, RecordedRequest
from fakecheckout.http import request_log
from tests.adapters.test_client_doors import CREATE_BODY
from tests.factories import AUTH, KEY, payment_params

from .doors import DOORS, FORM, served, through_requests

API = "https://api.stripe.com"
SESSIONS = f"{API}/v1/checkout/sessions"
CREATE = CREATE_BODY.encode()


@pytest.fixture
def fake():
    with FakeCheckout() as active:
        yield active


def sdk() -> stripe.StripeClient:
    return stripe.StripeClient(KEY)


def create_session(**overrides) -> str:
    return str(sdk().v1.checkout.sessions.create(payment_params(**overrides)).id)


# --- what is logged ---


@pytest.mark.parametrize("door", list(DOORS))
def test_every_front_door_logs_the_request_alike(fake, door):
    status, created = DOORS[door]("POST", SESSIONS, {**AUTH, **FORM}, CREATE)

    entry = fake.requests.last()
    assert_logged_create(entry, created)
    assert entry.params["line_items"] == {
        "0": {
            "price_data": {
                "currency": "usd",
                "unit_amount": "1500",
                "product_data": {"name": "T-shirt"},
            },
            "quantity": "2",
        }
    }
    assert entry.response == created


def test_the_server_logs_the_request_as_the_in_process_doors_do():
    fake = FakeCheckout()
    with served(fake) as base:
        status, created = through_requests(
            "POST", f"{base}/v1/checkout/sessions", {**AUTH, **FORM}, CREATE
        )
    assert_logged_create(fake.requests.last(), created)


def assert_logged_create(entry: RecordedRequest, created: dict) -> None:
    """``entry`` is the logged, successful create that answered ``created``."""
    assert (entry.method, entry.path, entry.status, entry.object_id) == (
        "POST",
        "/v1/checkout/sessions",
        200,
        created["id"],
    )


def test_requests_are_logged_oldest_first_with_numbers(fake):
    session_id = create_session()
    sdk().v1.checkout.sessions.retrieve(session_id)
    sdk().v1.checkout.sessions.list()

    assert [(r.number, r.method, r.path) for r in fake.requests] == [
        (1, "POST", "/v1/checkout/sessions"),
        (2, "GET", f"/v1/checkout/sessions/{session_id}"),
        (3, "GET", "/v1/checkout/sessions"),
    ]
    assert len(fake.requests) == 3
    assert fake.requests[1].path == f"/v1/checkout/sessions/{session_id}"


def test_the_query_string_is_part_of_the_params_not_of_the_path(fake):
    requests.get(f"{SESSIONS}?limit=3&status=open", headers=AUTH)

    entry = fake.requests.last()
    assert (entry.path, entry.params) == ("/v1/checkout/sessions", {"limit": "3", "status": "open"})


def test_headers_keep_idempotency_key_stripe_account_and_stripe_version_when_sent(fake):
    headers = {
        **AUTH,
        **FORM,
        "Idempotency-Key": "order-1",
        "Stripe-Account": "acct_1Connected",
        "Stripe-Version": "2025-08-27.basil",
        "User-Agent": "shop/1.0",
    }
    requests.post(SESSIONS, headers=headers, data=CREATE)
    requests.get(SESSIONS, headers=AUTH)

    first, second = fake.requests
    assert first.headers == {
        "Idempotency-Key": "order-1",
        "Stripe-Account": "acct_1Connected",
        "Stripe-Version": "2025-08-27.basil",
    }
    assert second.headers == {}


def test_errors_are_logged_with_their_status_and_envelope(fake):
    requests.get(f"{SESSIONS}/cs_test_nope", headers=AUTH)

    entry = fake.requests.last()
    assert entry.status == 404
    assert entry.response["error"]["code"] == "resource_missing"
    assert entry.object_id == "cs_test_nope"  # the path's id when the answer has none


def test_a_route_the_fake_does_not_emulate_is_logged_too():
    fake = FakeCheckout(strict=False)
    with fake:
        requests.get(f"{API}/v1/disputes", headers=AUTH)
    assert [(r.method, r.path, r.status) for r in fake.requests] == [("GET", "/v1/disputes", 404)]


def test_the_object_id_of_a_sub_list_is_its_parent_and_of_a_list_none(fake):
    session_id = create_session()
    sdk().v1.checkout.sessions.line_items.list(session_id)
    sdk().v1.checkout.sessions.list()

    assert [r.object_id for r in fake.requests] == [session_id, session_id, None]


def test_direct_api_calls_are_not_logged(fake):
    fake.sessions.create(**payment_params())

    assert len(fake.requests) == 0


def test_the_log_keeps_the_last_max_logged_requests():
    with FakeCheckout(max_logged=2) as fake:
        for _ in range(5):
            requests.get(SESSIONS, headers=AUTH)
    assert [r.number for r in fake.requests] == [4, 5]
    assert fake.requests.max_logged == 2


def test_max_logged_must_be_a_whole_number():
    with pytest.raises(ValueError, match="max_logged must be a whole number >= 0"):
        FakeCheckout(max_logged=-1)


def test_logging_does_not_grow_the_responses_call_list(fake):
    for _ in range(5):
        requests.get(SESSIONS, headers=AUTH)

    assert len(fake.requests) == 5
    mock = fake._adapter.mock
    assert mock is not None
    assert len(mock.calls) <= 1


def test_the_response_is_decoded_only_when_read(fake, monkeypatch):
    decoded: list[bytes] = []
    real_loads = request_log.json.loads
    monkeypatch.setattr(
        request_log.json, "loads", lambda data: decoded.append(data) or real_loads(data)
    )
    requests.get(SESSIONS, headers=AUTH)
    requests.get(SESSIONS, headers=AUTH)
    entry = fake.requests.last()
    assert decoded == []

    assert entry.response["object"] == "list"
    assert entry.response["object"] == "list"
    assert len(decoded) == 1


def test_clear_forgets_the_logged_requests(fake):
    requests.get(SESSIONS, headers=AUTH)
    fake.requests.clear()
    requests.get(SESSIONS, headers=AUTH)

    assert [r.number for r in fake.requests] == [2]


def test_last_of_an_empty_log_raises_index_error(fake):
    with pytest.raises(IndexError, match="fakecheckout has logged no request yet"):
        fake.requests.last()


def test_recorded_request_is_exported_from_fakecheckout(fake):
    requests.get(SESSIONS, headers=AUTH)

    assert isinstance(fake.requests.last(), fakecheckout.RecordedRequest)
    assert RecordedRequest is request_log.RecordedRequest


# --- filter ---


def test_filter_selects_by_method_and_path(fake):
    session_id = create_session()
    sdk().v1.checkout.sessions.retrieve(session_id)
    sdk().v1.checkout.sessions.expire(session_id)

    assert [r.number for r in fake.requests.filter("POST")] == [1, 3]
    assert [r.number for r in fake.requests.filter(path="/v1/checkout/sessions")] == [1]
    assert [
        r.number for r in fake.requests.filter("get", f"/v1/checkout/sessions/{session_id}")
    ] == [2]


def test_a_star_in_a_path_matches_within_one_segment(fake):
    session_id = create_session()
    sdk().v1.checkout.sessions.retrieve(session_id)
    sdk().v1.checkout.sessions.expire(session_id)

    assert [r.number for r in fake.requests.filter(path="/v1/checkout/sessions/*")] == [2]
    assert [r.number for r in fake.requests.filter(path="/v1/checkout/sessions/*/expire")] == [3]


def test_a_double_star_in_a_path_matches_across_segments(fake):
    session_id = create_session()
    sdk().v1.checkout.sessions.expire(session_id)

    assert [r.number for r in fake.requests.filter("*", "/v1/**")] == [1, 2]


def test_a_path_pattern_with_a_query_string_is_refused(fake):
    with pytest.raises(ValueError, match="a path pattern holds no query string"):
        fake.requests.filter(path="/v1/checkout/sessions?limit=1")


# --- assert_sent ---


def test_assert_sent_passes_on_a_subset_of_the_params_and_returns_the_request(fake):
    session_id = create_session(customer_email="ada@example.com")

    entry = fake.requests.assert_sent(
        "POST", "/v1/checkout/sessions", customer_email="ada@example.com"
    )
    assert entry.object_id == session_id


def test_assert_sent_compares_python_values_as_the_sdk_encodes_them(fake):
    create_session(
        line_items=[
            {
                "price_data": {
                    "currency": "usd",
                    "unit_amount": 1500,
                    "product_data": {"name": "T-shirt"},
                },
                "quantity": 2,
            }
        ],
        phone_number_collection={"enabled": True},
    )

    fake.requests.assert_sent(
        "POST",
        "/v1/checkout/sessions",
        line_items=[{"price_data": {"unit_amount": 1500}, "quantity": 2}],
        phone_number_collection={"enabled": True},
    )


def test_assert_sent_none_means_the_param_was_not_sent(fake):
    create_session()

    fake.requests.assert_sent("POST", "/v1/checkout/sessions", customer=None)


def test_assert_sent_reads_a_raw_clients_brackets_as_the_sdks_indexes(fake):
    requests.get(f"{SESSIONS}?expand[]=data.line_items", headers=AUTH)

    fake.requests.assert_sent("GET", "/v1/checkout/sessions", expand=["data.line_items"])


def test_assert_sent_takes_path_wildcards(fake):
    session_id = create_session()
    sdk().v1.checkout.sessions.expire(session_id)

    assert (
        fake.requests.assert_sent("POST", "/v1/checkout/sessions/*/expire").object_id == session_id
    )


def test_a_failed_assert_sent_shows_the_closest_request_param_by_param(fake):
    closest = create_session(customer_email="ada@example.com")
    create_session(client_reference_id="order_2")

    with pytest.raises(AssertionError) as failed:
        fake.requests.assert_sent(
            "POST",
            "/v1/checkout/sessions",
            mode="payment",
            line_items=[{"quantity": 3}],
            customer_email="ada@example.com",
        )
    assert str(failed.value) == (
        "no POST /v1/checkout/sessions was sent with these params.\n"
        f"Closest (of 2 sent): #1 POST /v1/checkout/sessions -> 200 ({closest})\n"
        "  line_items[0][quantity]: asked 3, sent '1'\n"
        "  (matched: mode, customer_email)"
    )


def test_a_failed_assert_sent_shows_the_latest_of_equally_close_requests(fake):
    create_session(client_reference_id="order_1")
    latest = create_session(client_reference_id="order_2")

    with pytest.raises(AssertionError) as failed:
        fake.requests.assert_sent("POST", "/v1/checkout/sessions", client_reference_id="order_3")
    assert str(failed.value).splitlines()[1:] == [
        f"Closest (of 2 sent): #2 POST /v1/checkout/sessions -> 200 ({latest})",
        "  client_reference_id: asked 'order_3', sent 'order_2'",
    ]


def test_a_failed_assert_sent_of_an_absent_param_shows_what_was_sent(fake):
    create_session(customer_email="ada@example.com")

    with pytest.raises(AssertionError) as failed:
        fake.requests.assert_sent("POST", "/v1/checkout/sessions", customer_email=None)
    assert str(failed.value).splitlines()[2] == (
        "  customer_email: asked None (not sent), sent 'ada@example.com'"
    )


def test_a_failed_assert_sent_with_nothing_sent_to_the_path_lists_the_log(fake):
    session_id = create_session()
    requests.get(f"{SESSIONS}/cs_test_nope", headers=AUTH)

    with pytest.raises(AssertionError) as failed:
        fake.requests.assert_sent("POST", "/v1/customers", email="ada@example.com")
    assert str(failed.value) == (
        "no POST /v1/customers was sent. Logged (2 request(s)):\n"
        f"  #1 POST /v1/checkout/sessions -> 200 ({session_id})\n"
        "  #2 GET /v1/checkout/sessions/cs_test_nope -> 404 (cs_test_nope)"
    )


def test_a_failed_assert_sent_on_an_empty_log_says_direct_calls_are_not_logged(fake):
    fake.sessions.create(**payment_params())

    with pytest.raises(AssertionError) as failed:
        fake.requests.assert_sent("POST", "/v1/checkout/sessions")
    assert str(failed.value) == (
        "no POST /v1/checkout/sessions was sent: fakecheckout has logged no request (direct-API "
        "calls such as fake.sessions.create() are not requests and are not logged)."
    )


def test_a_recorded_request_matches_params_as_assert_sent_does(fake):
    create_session(client_reference_id="order_1")

    entry = fake.requests.last()
    assert entry.matches(client_reference_id="order_1", mode="payment")
    assert not entry.matches(client_reference_id="order_2")


def test_pytest_shows_a_failed_assert_sent_at_the_callers_line(pytester):
    pytester.makepyfile(
        """
        import requests

        def test_sent(fake_checkout):
            requests.get(
                "https://api.stripe.com/v1/checkout/sessions?limit=3",
                headers={"Authorization": "Bearer sk_test_123"},
            )
            fake_checkout.requests.assert_sent("GET", "/v1/checkout/sessions", limit=5)
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            '>*fake_checkout.requests.assert_sent("GET", "/v1/checkout/sessions", limit=5)',
            "E *AssertionError: no GET /v1/checkout/sessions was sent with these params.",
            "E *Closest (of 1 sent): #1 GET /v1/checkout/sessions -> 200",
            "E *limit: asked 5, sent '3'",
        ]
    )
    assert "request_log.py" not in result.stdout.str()


def test_each_long_form_is_shown_as_sent_though_the_log_keeps_it_compressed():
    log = request_log.RequestLog(lambda method, path: [], 10)
    forms = [f"metadata[order]={n}&description={'x' * 200}{n}".encode() for n in range(3)]
    for form in forms:
        log.record("POST", "/v1/customers", form, {}, 200, b"{}")
    assert [entry.params["metadata"]["order"] for entry in log] == ["0", "1", "2"]
    assert log.last().params["description"] == "x" * 200 + "2"
