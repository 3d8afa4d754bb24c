"""The request handler: routing, auth, headers, unknown routes, and the never-raises guarantee."""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import quote_plus

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from fakecheckout import FakeCheckout, ManualClock
from fakecheckout.core.errors import mask_key
from fakecheckout.http import forms, handler
from tests.factories import AUTH, KEY, START, payment_params, shirt

CREATE = payment_params(line_items=[shirt(unit_amount=1000)])


def call(
    fake: FakeCheckout,
    method: str,
    url: str,
    body: bytes | str = b"",
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], dict[str, Any]]:
    raw = body.encode() if isinstance(body, str) else body
    status, response_headers, payload = fake.handle(
        method, url, AUTH if headers is None else headers, raw
    )
    return status, response_headers, json.loads(payload)


def create(
    fake: FakeCheckout, headers: dict[str, str] | None = None, **extra: Any
) -> dict[str, Any]:
    status, _, session = call(
        fake, "POST", "/v1/checkout/sessions", forms.encode({**CREATE, **extra}), headers
    )
    assert status == 200, session
    return session


@pytest.fixture
def fake() -> FakeCheckout:
    return FakeCheckout(seed=1)


# --- routing ------------------------------------------------------------------------------------


def test_create_returns_a_checkout_session(fake):
    assert create(fake)["object"] == "checkout.session"


def test_retrieve_returns_the_created_session(fake):
    session = create(fake)
    status, _, got = call(fake, "GET", f"/v1/checkout/sessions/{session['id']}")
    assert (status, got["id"]) == (200, session["id"])


def test_update_changes_metadata(fake):
    session = create(fake)
    status, _, got = call(
        fake, "POST", f"/v1/checkout/sessions/{session['id']}", "metadata[order]=42"
    )
    assert (status, got["metadata"]) == (200, {"order": "42"})


def test_list_returns_a_list_envelope(fake):
    session = create(fake)
    status, _, got = call(fake, "GET", "/v1/checkout/sessions?limit=1")
    assert (status, got["object"], [s["id"] for s in got["data"]]) == (200, "list", [session["id"]])


def test_expire_with_an_empty_body_expires_the_session(fake):
    session = create(fake)
    status, _, got = call(fake, "POST", f"/v1/checkout/sessions/{session['id']}/expire")
    assert (status, got["status"]) == (200, "expired")


def test_line_items_lists_the_session_items(fake):
    session = create(fake)
    status, _, got = call(fake, "GET", f"/v1/checkout/sessions/{session['id']}/line_items")
    assert (status, got["object"], len(got["data"])) == (200, "list", 1)


def test_full_url_and_bare_path_reach_the_same_route(fake):
    session = create(fake)
    full = call(fake, "GET", f"https://api.stripe.com/v1/checkout/sessions/{session['id']}")
    bare = call(fake, "GET", f"/v1/checkout/sessions/{session['id']}")
    assert full[2] == bare[2]


def test_lower_case_method_is_accepted(fake):
    assert call(fake, "get", "/v1/checkout/sessions")[0] == 200


def test_path_id_is_percent_decoded(fake):
    status, _, got = call(fake, "GET", "/v1/checkout/sessions/" + quote_plus("cs_test_a b/c"))
    assert (status, got["error"]["message"]) == (404, "Invalid checkout.session id: cs_test_a b/c")


def test_query_string_on_post_is_read_with_the_body(fake):
    session = create(fake)
    url = f"/v1/checkout/sessions/{session['id']}?metadata[a]=1"
    status, _, got = call(fake, "POST", url, "metadata[b]=2")
    assert (status, got["metadata"]) == (200, {"a": "1", "b": "2"})


def test_body_wins_over_query_for_a_repeated_name(fake):
    session = create(fake)
    url = f"/v1/checkout/sessions/{session['id']}?metadata[a]=query"
    _, _, got = call(fake, "POST", url, "metadata[a]=body")
    assert got["metadata"] == {"a": "body"}


def test_get_ignores_a_body(fake):
    status, _, _ = call(fake, "GET", "/v1/checkout/sessions", "limit=not-a-number")
    assert status == 200


def test_malformed_form_is_a_400(fake):
    status, _, got = call(fake, "POST", "/v1/checkout/sessions", "a=1&a[b]=2")
    assert (status, got["error"]["type"]) == (400, "invalid_request_error")


def test_validation_error_from_the_core_is_returned(fake):
    status, _, got = call(fake, "GET", "/v1/checkout/sessions?bogus=1")
    assert (status, got["error"]["code"], got["error"]["param"]) == (
        400,
        "parameter_unknown",
        "bogus",
    )


def test_emulated_routes_name_every_registered_resource_endpoint():
    assert handler.emulated_routes() == [
        "POST /v1/checkout/sessions",
        "GET /v1/checkout/sessions",
        "GET /v1/checkout/sessions/{id}",
        "POST /v1/checkout/sessions/{id}",
        "POST /v1/checkout/sessions/{id}/expire",
        "GET /v1/checkout/sessions/{id}/line_items",
        "GET /v1/events",
        "GET /v1/events/{id}",
        "POST /v1/customers",
        "GET /v1/customers",
        "GET /v1/customers/search",
        "GET /v1/customers/{id}",
        "POST /v1/customers/{id}",
        "DELETE /v1/customers/{id}",
        "POST /v1/products",
        "GET /v1/products",
        "GET /v1/products/search",
        "GET /v1/products/{id}",
        "POST /v1/products/{id}",
        "DELETE /v1/products/{id}",
        "POST /v1/prices",
        "GET /v1/prices",
        "GET /v1/prices/search",
        "GET /v1/prices/{id}",
        "POST /v1/prices/{id}",
        "GET /v1/account",
        "POST /v1/coupons",
        "GET /v1/coupons",
        "GET /v1/coupons/{id}",
        "POST /v1/coupons/{id}",
        "DELETE /v1/coupons/{id}",
        "POST /v1/promotion_codes",
        "GET /v1/promotion_codes",
        "GET /v1/promotion_codes/{id}",
        "POST /v1/promotion_codes/{id}",
        "POST /v1/shipping_rates",
        "GET /v1/shipping_rates",
        "GET /v1/shipping_rates/{id}",
        "POST /v1/shipping_rates/{id}",
        "POST /v1/tax_rates",
        "GET /v1/tax_rates",
        "GET /v1/tax_rates/{id}",
        "POST /v1/tax_rates/{id}",
        "POST /v1/webhook_endpoints",
        "GET /v1/webhook_endpoints",
        "GET /v1/webhook_endpoints/{id}",
        "POST /v1/webhook_endpoints/{id}",
        "DELETE /v1/webhook_endpoints/{id}",
        "GET /v1/payment_intents",
        "GET /v1/payment_intents/{id}",
        "POST /v1/payment_intents/{id}",
        "POST /v1/payment_intents/{id}/cancel",
        "POST /v1/payment_intents/{id}/capture",
        "GET /v1/charges",
        "GET /v1/charges/{id}",
        "GET /v1/payment_methods",
        "GET /v1/payment_methods/{id}",
        "POST /v1/refunds",
        "GET /v1/refunds",
        "GET /v1/refunds/{id}",
        "POST /v1/refunds/{id}",
        "GET /v1/setup_intents",
        "GET /v1/setup_intents/{id}",
        "POST /v1/billing_portal/sessions",
        "GET /v1/subscriptions",
        "GET /v1/subscriptions/{id}",
        "POST /v1/subscriptions/{id}",
        "DELETE /v1/subscriptions/{id}",
        "GET /v1/invoices",
        "GET /v1/invoices/{id}",
        "GET /v1/invoices/{id}/lines",
    ]


# --- auth ---------------------------------------------------------------------------------------


def _basic(user: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:".encode()).decode()


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer sk_test_123",
        "Bearer rk_test_abc_DEF",
        "bearer sk_test_123",
        _basic("sk_test_123"),
    ],
)
def test_test_mode_keys_are_accepted(fake, authorization):
    headers = {"Authorization": authorization}
    assert call(fake, "GET", "/v1/checkout/sessions", headers=headers)[0] == 200


@pytest.mark.parametrize("headers", [{}, {"Authorization": ""}, {"Authorization": "Bearer "}])
def test_missing_api_key_is_401(fake, headers):
    status, _, got = call(fake, "GET", "/v1/checkout/sessions", headers=headers)
    assert status == 401
    assert got["error"]["message"].startswith("You did not provide an API key.")


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer sk_test_",
        "Bearer sk_test_a-b",
        "Bearer sk_123",
        "Token sk_test_123",
        "Basic !!!",
        _basic("rk_1"),
        "Bearer sk_test_" + "a" * 100_000,
    ],
)
def test_malformed_api_key_is_401_invalid(fake, authorization):
    status, _, got = call(
        fake, "GET", "/v1/checkout/sessions", headers={"Authorization": authorization}
    )
    assert (status, got["error"]["type"]) == (401, "invalid_request_error")
    assert got["error"]["message"].startswith("Invalid API Key provided: ")


@pytest.mark.parametrize("key", ["pk_test_123", "pk_live_123"])
def test_publishable_key_gets_stripes_publishable_key_message(fake, key):
    for authorization in (f"Bearer {key}", _basic(key)):
        status, _, got = call(
            fake, "GET", "/v1/checkout/sessions", headers={"Authorization": authorization}
        )
        assert (status, got["error"]) == (
            403,
            {
                "message": "This API call cannot be made with a publishable API key. Please use "
                "a secret API key. You can find a list of your API keys at "
                "https://dashboard.stripe.com/account/apikeys.",
                "type": "invalid_request_error",
            },
        )


def test_absurdly_long_key_gets_the_invalid_key_answer_in_bounded_size(fake):
    key = "sk_test_" + "a" * 100_000
    status, _, got = call(
        fake, "GET", "/v1/checkout/sessions", headers={"Authorization": f"Bearer {key}"}
    )
    assert status == 401
    assert got["error"]["message"].startswith("Invalid API Key provided: sk_test_****")
    assert len(got["error"]["message"]) < 6_000


def test_invalid_api_key_is_masked_in_the_message(fake):
    headers = {"Authorization": "Bearer sk_test_abc-defgh1234"}
    _, _, got = call(fake, "GET", "/v1/checkout/sessions", headers=headers)
    assert got["error"]["message"] == "Invalid API Key provided: sk_test_*********1234"


@pytest.mark.parametrize(
    ("authorization", "shown"),
    [
        ("Bearer sk_test_-", "sk_test_*"),
        ("Bearer sk_test_ab-d", "sk_test_****"),
        ("Bearer sk_test_ab-de", "sk_test_***de"),
        ("Bearer !!!", "***"),
        ("Token abc", "***"),
        ("Token sk_test_abc-defgh1234", "sk_test_*********1234"),
        ("sk_test_a-b", "sk_test_***"),
        (_basic("xk_test_1"), "*****st_1"),
    ],
)
def test_short_keys_and_other_schemes_are_masked(fake, authorization, shown):
    headers = {"Authorization": authorization}
    _, _, got = call(fake, "GET", "/v1/checkout/sessions", headers=headers)
    assert got["error"]["message"] == f"Invalid API Key provided: {shown}"


@pytest.mark.parametrize(
    ("key", "masked"),
    [
        ("", ""),
        ("a", "*"),
        ("abcd", "****"),
        ("abcde", "***de"),
        ("abcdefg", "****efg"),
        ("abcdefgh", "****efgh"),
        ("abcdefghij", "******ghij"),
        ("sk_test_abcd", "sk_test_****"),
        ("sk_test_abcdefghij", "sk_test_******ghij"),
        ("rk_live_abcdef", "rk_live_***def"),
    ],
)
def test_mask_key_shows_at_most_four_and_at_most_half_of_the_secret(key, masked):
    assert mask_key(key) == masked


@given(
    prefix=st.sampled_from(["", "sk_test_", "rk_live_"]),
    secret=st.text(st.characters(blacklist_characters="*"), max_size=30),
)
def test_mask_key_never_shows_more_than_half_or_four_characters_of_the_secret(prefix, secret):
    assume(prefix or not secret.startswith(("sk_", "rk_", "pk_")))
    masked = mask_key(prefix + secret)
    shown = masked[len(prefix) :].lstrip("*")
    assert masked == prefix + "*" * (len(secret) - len(shown)) + shown
    assert secret.endswith(shown)
    assert len(shown) <= min(4, len(secret) // 2)
    assert len(secret) > 4 or not shown


@pytest.mark.parametrize("key", ["sk_live_123456", "rk_live_123456"])
def test_live_key_is_401(fake, key):
    headers = {"Authorization": f"Bearer {key}"}
    status, _, got = call(fake, "GET", "/v1/checkout/sessions", headers=headers)
    assert status == 401
    assert "never accepts live keys" in got["error"]["message"]


def test_header_names_are_case_insensitive(fake):
    headers = {"AUTHORIZATION": f"Bearer {KEY}", "stripe-ACCOUNT": "acct_1"}
    session = create(fake, headers=headers)
    assert fake.account("acct_1").sessions.retrieve(session["id"])["id"] == session["id"]


# --- Stripe-Account -----------------------------------------------------------------------------


def test_stripe_account_selects_that_accounts_sessions(fake):
    session = create(fake, headers={**AUTH, "Stripe-Account": "acct_1"})
    path = f"/v1/checkout/sessions/{session['id']}"
    assert call(fake, "GET", path, headers={**AUTH, "Stripe-Account": "acct_1"})[0] == 200


def test_platform_does_not_see_a_connected_accounts_session(fake):
    session = create(fake, headers={**AUTH, "Stripe-Account": "acct_1"})
    assert call(fake, "GET", f"/v1/checkout/sessions/{session['id']}")[0] == 404


@pytest.mark.parametrize("account", ["acct_", "cus_1", "acct_1 2", "ACCT_1"])
def test_malformed_stripe_account_is_403_account_invalid(fake, account):
    headers = {**AUTH, "Stripe-Account": account}
    status, _, got = call(fake, "GET", "/v1/checkout/sessions", headers=headers)
    assert (status, got["error"]["code"]) == (403, "account_invalid")


# --- response headers ---------------------------------------------------------------------------


def test_response_is_json_with_request_id_and_pinned_version(fake):
    _, headers, _ = call(fake, "GET", "/v1/checkout/sessions")
    assert headers["Content-Type"] == "application/json"
    assert headers["Request-Id"].startswith("req_") and len(headers["Request-Id"]) == 18
    assert headers["Stripe-Version"] == "2026-10-28.endive"


def test_stripe_version_header_is_echoed(fake):
    headers = {**AUTH, "Stripe-Version": "2024-06-20"}
    assert call(fake, "GET", "/v1/checkout/sessions", headers=headers)[1]["Stripe-Version"] == (
        "2024-06-20"
    )


def test_each_response_has_its_own_request_id(fake):
    first = call(fake, "GET", "/v1/checkout/sessions")[1]["Request-Id"]
    second = call(fake, "GET", "/v1/checkout/sessions")[1]["Request-Id"]
    assert first != second


def test_error_response_says_do_not_retry(fake):
    _, headers, _ = call(fake, "GET", "/v1/checkout/sessions/cs_test_missing")
    assert headers["Stripe-Should-Retry"] == "false"
    assert headers["Request-Id"].startswith("req_")


def test_success_response_has_no_retry_header(fake):
    assert "Stripe-Should-Retry" not in call(fake, "GET", "/v1/checkout/sessions")[1]


# --- unknown routes -----------------------------------------------------------------------------


def test_unknown_route_is_404_naming_the_emulated_routes(fake):
    status, _, got = call(fake, "GET", "/v1/disputes")
    assert (status, got["error"]["type"]) == (404, "invalid_request_error")
    assert got["error"]["message"].startswith("Unrecognized request URL (GET: /v1/disputes).")
    assert "POST /v1/checkout/sessions/{id}/expire" in got["error"]["message"]


def test_unknown_route_is_recorded_without_query(fake):
    call(fake, "GET", "https://api.stripe.com/v1/disputes?limit=3")
    assert fake.unhandled == [("GET", "/v1/disputes")]


def test_unknown_route_message_has_no_query(fake):
    _, _, got = call(fake, "GET", "/v1/disputes?limit=3")
    assert "(GET: /v1/disputes)." in got["error"]["message"]


def test_unknown_route_is_404_even_without_api_key(fake):
    assert call(fake, "GET", "/v1/disputes", headers={})[0] == 404


def test_known_path_with_a_method_stripe_does_not_route_is_stripes_404_and_not_unhandled(fake):
    status, _, got = call(fake, "DELETE", "/v1/checkout/sessions/cs_test_1")
    assert (status, fake.unhandled) == (404, [])
    assert got["error"]["message"] == (
        "Unrecognized request URL (DELETE: /v1/checkout/sessions/cs_test_1). Please see "
        "https://stripe.com/docs or we can help at https://support.stripe.com/."
    )


@pytest.mark.parametrize(
    ("path", "hint"),
    [
        (
            "/v1/checkout/sessions/",
            " If you are trying to list objects, remove the trailing slash. If you are trying to "
            "retrieve an object, make sure you passed a valid (non-empty) identifier in your code.",
        ),
        ("/v1/chekout/sessions", ""),
        ("/v1/checkout/sessions/cs_test_1/line_items/li_1", ""),
        ("/v3/anything", ""),
    ],
)
def test_a_path_that_is_no_stripe_route_gets_stripes_exact_404_and_is_not_unhandled(
    fake, path, hint
):
    status, _, got = call(fake, "GET", path)
    assert (status, got["error"], fake.unhandled) == (
        404,
        {
            "message": f"Unrecognized request URL (GET: {path}).{hint} Please see "
            "https://stripe.com/docs or we can help at https://support.stripe.com/.",
            "type": "invalid_request_error",
        },
        [],
    )


def test_a_stripe_route_the_fake_does_not_emulate_is_unhandled_and_names_the_emulated_routes(
    fake,
):
    status, _, got = call(fake, "GET", "/v1/issuing/cards/ic_1")
    first, second = got["error"]["message"].split("\n")
    assert (status, fake.unhandled) == (404, [("GET", "/v1/issuing/cards/ic_1")])
    assert first == (
        "Unrecognized request URL (GET: /v1/issuing/cards/ic_1). Please see "
        "https://stripe.com/docs or we can help at https://support.stripe.com/."
    )
    assert second == (
        "fakecheckout does not emulate GET /v1/issuing/cards/ic_1; it emulates only these "
        f"routes: {'; '.join(handler.emulated_routes())}."
    )


def test_without_strict_the_not_emulated_answer_is_stripes_text_alone(fake):
    fake.strict = False
    _, _, got = call(fake, "GET", "/v1/issuing/cards/ic_1")
    assert "\n" not in got["error"]["message"]
    assert fake.unhandled == [("GET", "/v1/issuing/cards/ic_1")]


def test_trailing_slash_gets_the_list_or_retrieve_hint(fake):
    _, _, got = call(fake, "GET", "/v1/checkout/sessions/")
    assert (
        "If you are trying to list objects, remove the trailing slash." in (got["error"]["message"])
    )


def test_empty_id_segment_is_an_unknown_route(fake):
    assert call(fake, "POST", "/v1/checkout/sessions//expire")[0] == 404


def test_known_routes_are_not_recorded(fake):
    call(fake, "GET", "/v1/checkout/sessions/cs_test_missing")
    assert fake.unhandled == []


# --- settling due expiries on every request ---------------------------------------------------


def _expiring_soon() -> tuple[FakeCheckout, ManualClock, list[dict[str, Any]], str]:
    """A fake with a subscriber and one session that is due after ``clock.advance(1800)``."""
    clock = ManualClock(START)
    fake = FakeCheckout(clock=clock, seed=1)
    delivered: list[dict[str, Any]] = []
    fake.webhooks.subscribe(lambda payload, headers: delivered.append(json.loads(payload)))
    session = create(fake, expires_at=START + 1800)
    return fake, clock, delivered, session["id"]


@pytest.mark.parametrize(
    ("method", "url", "body", "headers", "status"),
    [
        ("GET", "/v1/checkout/sessions", "", {}, 401),
        ("GET", "/v1/checkout/sessions", "", {"Authorization": "Bearer sk_nope"}, 401),
        ("GET", "/v1/disputes", "", AUTH, 404),
        ("GET", "/v1/checkout/sessions", "", {**AUTH, "Stripe-Account": "bogus"}, 403),
        ("POST", "/v1/checkout/sessions", "a=1&a[b]=2", AUTH, 400),
    ],
    ids=["no-key", "invalid-key", "unknown-route", "bad-account", "form-error"],
)
def test_a_request_that_fails_before_the_endpoint_settles_due_expiries(
    method, url, body, headers, status
):
    fake, clock, delivered, session_id = _expiring_soon()
    clock.advance(1800)
    assert delivered == []  # advancing alone changes nothing observable
    assert call(fake, method, url, body, headers)[0] == status
    assert [(e["type"], e["data"]["object"]["id"]) for e in delivered] == [
        ("checkout.session.expired", session_id)
    ]
    events = fake.events.list()["data"]
    assert [(e["type"], e["id"]) for e in events][:1] == [
        ("checkout.session.expired", delivered[0]["id"])
    ]


def test_an_idempotent_replay_settles_due_expiries():
    fake, clock, delivered, session_id = _expiring_soon()
    headers = {**AUTH, "Idempotency-Key": "k1"}
    first = create(fake, headers=headers)
    clock.advance(1800)
    status, response_headers, replayed = call(
        fake, "POST", "/v1/checkout/sessions", forms.encode(CREATE), headers
    )
    assert (status, response_headers["Idempotent-Replayed"], replayed["id"]) == (
        200,
        "true",
        first["id"],
    )
    assert [e["data"]["object"]["id"] for e in delivered] == [session_id]


def test_an_idempotency_key_reused_with_other_parameters_settles_due_expiries():
    fake, clock, delivered, session_id = _expiring_soon()
    headers = {**AUTH, "Idempotency-Key": "k1"}
    create(fake, headers=headers)
    clock.advance(1800)
    status, _, got = call(fake, "POST", "/v1/checkout/sessions", "mode=setup", headers)
    assert (status, got["error"]["type"]) == (400, "idempotency_error")
    assert [e["data"]["object"]["id"] for e in delivered] == [session_id]


def test_a_request_before_the_session_is_due_settles_nothing():
    fake, clock, delivered, _ = _expiring_soon()
    clock.advance(1799)
    call(fake, "GET", "/v1/disputes", headers={})
    assert (delivered, [e["type"] for e in fake.events.list()["data"]]) == ([], [])


# --- never raises -------------------------------------------------------------------------------


def _boom(namespace: Any, ids: list[str], params: dict[str, Any]) -> dict[str, Any]:
    raise ZeroDivisionError("boom")


def test_unexpected_exception_becomes_500_api_error(fake, monkeypatch):
    monkeypatch.setattr(handler, "ROUTES", [handler.Route("GET", "/v1/checkout/sessions", _boom)])
    status, headers, got = call(fake, "GET", "/v1/checkout/sessions")
    assert (status, got["error"]["type"], headers["Stripe-Should-Retry"]) == (
        500,
        "api_error",
        "false",
    )


def test_unexpected_exception_is_logged(fake, monkeypatch, caplog):
    monkeypatch.setattr(handler, "ROUTES", [handler.Route("GET", "/v1/checkout/sessions", _boom)])
    call(fake, "GET", "/v1/checkout/sessions")
    assert "ZeroDivisionError" in caplog.text


def test_failing_request_id_still_gives_500(fake, monkeypatch):
    monkeypatch.setattr(fake, "new_id", _boom)
    status, headers, body = fake.handle("GET", "/v1/checkout/sessions", AUTH, b"")
    assert (status, json.loads(body)["error"]["type"]) == (500, "api_error")


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("POST", "/v1/checkout/sessions?self=1"),
        ("GET", "/v1/checkout/sessions?self=1"),
        ("GET", "/v1/checkout/sessions/cs_test_x?id=1"),
        ("POST", "/v1/checkout/sessions/cs_test_x/expire?id=1"),
    ],
)
def test_params_named_like_python_arguments_are_unknown_parameters(fake, method, url):
    status, _, got = call(fake, method, url)
    assert (status, got["error"].get("code")) == (400, "parameter_unknown")


_text = st.text(max_size=30)
_names = st.sampled_from(
    ["mode", "limit", "metadata[a]", "line_items[0][price]", "expand[]", "id", "self"]
)
_form = st.lists(st.tuples(st.one_of(_names, _text), _text), max_size=6).map(
    lambda pairs: "&".join(f"{quote_plus(k)}={quote_plus(v)}" for k, v in pairs)
)


@settings(max_examples=300, deadline=None)
@given(
    method=st.sampled_from(["GET", "POST", "DELETE", "get", ""]),
    path=st.sampled_from(
        [
            "/v1/checkout/sessions",
            "/v1/checkout/sessions/cs_test_x",
            "/v1/checkout/sessions/cs_test_x/expire",
            "/v1/checkout/sessions/cs_test_x/line_items",
            "https://api.stripe.com/v1/checkout/sessions",
            "http://[::1/v1",
            "",
        ]
    ),
    query=_form,
    body=st.one_of(_form.map(str.encode), st.binary(max_size=40)),
    headers=st.dictionaries(
        st.sampled_from(["Authorization", "Stripe-Account", "Idempotency-Key", "X"]),
        st.one_of(st.just(f"Bearer {KEY}"), st.just("acct_1"), _text),
    ),
)
def test_no_input_reaches_the_500_path(method, path, query, body, headers):
    fake = FakeCheckout(seed=1)
    status, _, payload = fake.handle(method, f"{path}?{query}", headers, body)
    assert status != 500, payload


# --- header injection ---------------------------------------------------------------------------


@pytest.mark.parametrize("header", ["Stripe-Version", "Idempotency-Key"])
@pytest.mark.parametrize("value", ["2026-10-28.endive\r\nSet-Cookie: a=b", "k\n", "\rX"])
def test_echoed_header_with_cr_or_lf_is_refused_and_never_echoed(fake, header, value):
    headers = {**AUTH, "Stripe-Version": "2026-10-28.endive", header: value}
    status, response_headers, body = fake.handle(
        "POST", "/v1/checkout/sessions", headers, forms.encode(payment_params()).encode()
    )
    error = json.loads(body)["error"]
    assert (status, error["type"], error["message"]) == (
        400,
        "invalid_request_error",
        f"Invalid value for the {header} header: header values cannot contain carriage returns "
        "or line feeds.",
    )
    assert not any("\r" in v or "\n" in v for v in response_headers.values())
    assert "Idempotency-Key" not in response_headers
    assert fake.sessions.list()["data"] == [] and len(fake.idempotency) == 0


# --- a JSON body ---------------------------------------------------------------------------------

JSON_HINT = (
    " (fakecheckout: the request body looks like JSON, but Stripe's API takes form-encoded bodies "
    "(application/x-www-form-urlencoded), as the stripe SDKs send them.)"
)


@pytest.mark.parametrize(
    "body",
    [
        {"mode": "payment", "line_items": [{"price": "price_1", "quantity": 1}]},
        {"mode": "payment"},
        [1, 2],
    ],
)
def test_a_json_body_gets_a_hint_that_stripe_takes_form_encoded_bodies(fake, body):
    text = json.dumps(body)
    status, _, got = call(
        fake,
        "POST",
        "/v1/checkout/sessions",
        body=text,
        headers={**AUTH, "Content-Type": "application/json"},
    )
    assert status == 400 and got["error"]["param"] == text
    assert got["error"]["message"].endswith(JSON_HINT)


def test_a_form_body_error_gets_no_json_hint(fake):
    _, _, got = call(fake, "POST", "/v1/checkout/sessions", body="a[b=1")
    assert "JSON" not in got["error"]["message"]
