"""Fuzzing ``fake.handle``: whatever arrives, the answer is Stripe-shaped and a failure changes nothing.

Hypothesis generates sequences of requests (methods, paths under ``/v1/checkout/sessions`` and
``/v1/events`` with real and made-up ids, random paths and full URLs; headers with every kind of
``Authorization``, ``Stripe-Account``, ``Idempotency-Key`` and junk; form bodies and query strings
with nested and malformed brackets, huge numbers, Unicode, duplicates, empty keys and deep nesting)
and sends them to a world seeded with sessions in every status, on the platform and on a connected
account, so updates and expiries hit real ids.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote, quote_plus

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from fakecheckout import FakeCheckout, ManualClock
from fakecheckout.core.param_tree import ENDPOINTS
from fakecheckout.core.paramspec import Array, Map, Node, Object, OneOf, Scalar
from fakecheckout.http import forms
from tests.factories import payment_params, shirt

START = 1_800_000_000
KEY = "sk_test_fuzz"
ACCOUNTS = ("acct_1fuzz", "acct_2fuzz")
STRIPE_ERROR_TYPES = {"api_error", "card_error", "idempotency_error", "invalid_request_error"}
STRIPE_ERROR_FIELDS = {
    "advice_code",
    "charge",
    "code",
    "decline_code",
    "doc_url",
    "message",
    "network_advice_code",
    "network_decline_code",
    "param",
    "payment_intent",
    "payment_method",
    "payment_method_type",
    "request_log_url",
    "setup_intent",
    "source",
    "type",
}
SHIRT = shirt(quantity=2)
VALID_CREATE = payment_params(line_items=[SHIRT])
FUZZ_SETTINGS = settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# --- the seeded world ----------------------------------------------------------------------------

PRICE_ID = "price_fuzzmug"


def seeded_fake() -> FakeCheckout:
    """A fresh fake holding sessions in every status; the same ids every time (``seed``)."""
    fake = FakeCheckout(clock=ManualClock(START), seed=7, strict=False)
    price = fake.prices.add(id=PRICE_ID, unit_amount=2500, currency="usd", product_name="Mug")
    fake.customers.add(email="buyer@example.com")
    sessions = fake.sessions
    sessions.create(
        mode="payment",
        line_items=[{"price": price["id"], "quantity": 3}, SHIRT],
        success_url="https://example.com/ok",
        metadata={"order": "1"},
        customer_email="buyer@example.com",
    )
    sessions.create(
        mode="payment",
        ui_mode="embedded_page",
        return_url="https://example.com/r",
        line_items=[SHIRT],
    )
    sessions.create(mode="setup", currency="usd", success_url="https://example.com/ok")
    sessions.complete(sessions.create(**VALID_CREATE)["id"])
    sessions.expire(sessions.create(**VALID_CREATE)["id"])
    for account in ACCOUNTS[:1]:
        connected = fake.account(account).sessions
        connected.create(**VALID_CREATE)
        connected.expire(connected.create(**VALID_CREATE)["id"])
    return fake


def _ids_of_seeded_world() -> tuple[list[str], list[str], list[str], str]:
    fake = seeded_fake()
    platform = fake.sessions.list(limit=100)["data"]
    open_payment = next(
        s["id"] for s in platform if (s["status"], s["mode"]) == ("open", "payment")
    )
    sessions = [s["id"] for s in platform]
    sessions += [s["id"] for s in fake.account(ACCOUNTS[0]).sessions.list(limit=100)["data"]]
    events = [e["id"] for e in fake.events.list(limit=100)["data"]]
    events += [e["id"] for e in fake.account(ACCOUNTS[0]).events.list(limit=100)["data"]]
    line_items = [
        item["id"]
        for session_id in sessions[:5]
        for item in fake.sessions.list_line_items(session_id)["data"]
    ]
    return sessions, events, line_items, open_payment


SESSION_IDS, EVENT_IDS, LINE_ITEM_IDS, OPEN_SESSION_ID = _ids_of_seeded_world()
KNOWN_IDS = SESSION_IDS + EVENT_IDS + LINE_ITEM_IDS


def _walk(lister: Callable[..., dict[str, Any]]) -> Iterator[dict[str, Any]]:
    params: dict[str, Any] = {"limit": 100}
    while True:
        page = lister(**params)
        yield from page["data"]
        if not page["has_more"]:
            return
        params["starting_after"] = page["data"][-1]["id"]


def kept_for_replay(
    request: tuple[str, str, dict[str, Any], bytes], status: int, payload: bytes
) -> bool:
    """A POST with a key whose failure came from the endpoint (no such object, wrong state)."""
    method, _, request_headers, _ = request
    keyed = any(
        name.lower() == "idempotency-key" and value for name, value in request_headers.items()
    )
    if method.upper() != "POST" or not keyed:
        return False
    error = json.loads(payload)["error"]
    return error.get("code") == "resource_missing" or error["message"].startswith(
        ("Only Checkout Sessions", "Invalid checkout.session id")
    )


CATALOG = ("customers", "products", "prices")
"""The resources stored whole; their lists are part of what a client observes."""


def snapshot(fake: FakeCheckout) -> dict[str, Any]:
    """Everything a client can observe: every list page, every line item, every event."""
    observed: dict[str, Any] = {"idempotency_keys": len(fake.idempotency)}
    for name, namespace in [("platform", fake), *((a, fake.account(a)) for a in ACCOUNTS)]:
        sessions = list(_walk(namespace.sessions.list))
        observed[name] = {
            "sessions": sessions,
            "line_items": {
                s["id"]: list(
                    _walk(lambda s=s, ns=namespace, **p: ns.sessions.list_line_items(s["id"], **p))
                )
                for s in sessions
            },
            "events": list(_walk(namespace.events.list)),
            **{name: list(_walk(getattr(namespace, name).list)) for name in CATALOG},
        }
    return observed


# --- strategies ----------------------------------------------------------------------------------

_text = st.text(max_size=24)


def _mostly(common: st.SearchStrategy[Any], rare: st.SearchStrategy[Any], *, in_ten: int = 8):
    """``common`` in ``in_ten`` draws out of ten, else ``rare``: keeps most requests deep."""
    return st.integers(0, 9).flatmap(lambda n: common if n < in_ten else rare)


_session_id = _mostly(
    st.sampled_from(SESSION_IDS),
    st.one_of(st.sampled_from(["cs_test_nope", "", " ", "%20", "cs_test_%2F"]), _text),
)
_object_id = _mostly(st.sampled_from([PRICE_ID, "cus_nope", "prod_nope"]), _text)
_event_id = _mostly(st.sampled_from(EVENT_IDS), st.one_of(st.just("evt_nope"), _text))

ROUTES = [
    ("POST", "/v1/checkout/sessions"),
    ("GET", "/v1/checkout/sessions"),
    ("GET", "/v1/checkout/sessions/{session}"),
    ("POST", "/v1/checkout/sessions/{session}"),
    ("POST", "/v1/checkout/sessions/{session}/expire"),
    ("GET", "/v1/checkout/sessions/{session}/line_items"),
    ("GET", "/v1/events"),
    ("GET", "/v1/events/{event}"),
    *((method, f"/v1/{name}") for name in CATALOG for method in ("GET", "POST")),
    *(
        (method, f"/v1/{name}/{{object}}")
        for name in CATALOG
        for method in ("GET", "POST", "DELETE")
        if (name, method) != ("prices", "DELETE")
    ),
    ("GET", "/v1/account"),
]
"""The emulated routes; most generated requests aim at one of them."""

_odd_paths = st.one_of(
    st.sampled_from(
        [
            "/v1/checkout/sessions/",
            "//v1/checkout/sessions",
            "/v1/checkout/sessions/%2F",
            "/V1/Checkout/Sessions",
            "/v1/checkout/sessions/a/b/c",
            "/v1/customers",
            "/v1/events/",
            "/",
            "",
            "*",
            "http://[::1/v1",
            "https://api.stripe.com/v1/checkout/sessions",
            "https://api.stripe.com:443/v1/events",
            "HTTPS://API.STRIPE.COM/v1/checkout/sessions",
            "https://user@api.stripe.com/v1/checkout/sessions",
            "/v1/checkout/sessions#frag",
        ]
    ),
    _text.map(lambda t: "/" + t),
    _text,
)
_odd_methods = st.one_of(
    st.sampled_from(["get", "post", "Get", "DELETE", "PUT", "PATCH", "HEAD", "OPTIONS", ""]),
    _text,
)


@st.composite
def targets(draw: st.DrawFn) -> tuple[str, str, str]:
    """``(method, path, route)``: mostly an emulated route with a real or made-up id, else
    anything (``route`` is then ``""``)."""
    if draw(st.integers(0, 9)) >= 8:
        method = draw(_mostly(st.sampled_from(["GET", "POST"]), _odd_methods, in_ten=5))
        return method, draw(_odd_paths), ""
    method, template = draw(st.sampled_from(ROUTES))
    route = f"{method} {template}"
    path = template.replace("{session}", draw(_session_id)).replace("{event}", draw(_event_id))
    path = path.replace("{object}", draw(_object_id))
    if draw(st.integers(0, 9)) == 0:
        path = "https://api.stripe.com" + path
    if draw(st.integers(0, 9)) == 0:
        method = method.lower()
    return method, path, route


_auth = st.one_of(
    st.sampled_from(
        [
            f"bearer {KEY}",
            f"  Bearer   {KEY}  ",
            "Bearer rk_test_fuzz",
            "Bearer sk_live_fuzz",
            "Bearer rk_live_fuzz",
            "Bearer pk_test_fuzz",
            "Bearer sk_test_",
            "Bearer ",
            "Bearer",
            "",
            "Token sk_test_fuzz",
            "Basic " + base64.b64encode(f"{KEY}:".encode()).decode(),
            "Basic " + base64.b64encode(b":").decode(),
            "Basic " + base64.b64encode(b"\xff\xfe").decode(),
            "Basic !!!",
            "Basic ",
            f"Bearer {KEY}\x00",
            f"Bearer {KEY} extra",
        ]
    ),
    _text,
)
_accounts = st.one_of(
    st.sampled_from([*ACCOUNTS, "acct_", "acct_1-x", "ACCT_1", "acct_ü", " acct_1fuzz", ""]),
    _text,
)
_idempotency_keys = st.one_of(
    st.sampled_from(["k1", "k2", "", " ", "x" * 255, "x" * 256, "ü" * 100]), _text
)
_junk_headers = st.fixed_dictionaries(
    {},
    optional={
        "Stripe-Version": st.one_of(st.sampled_from(["2026-10-28.endive", "1999-01-01"]), _text),
        "Content-Type": st.sampled_from(
            ["application/x-www-form-urlencoded", "application/json", "multipart/form-data", ""]
        ),
        "Stripe-Account ": _text,
        "X-Junk": _text,
    },
)


@st.composite
def headers(draw: st.DrawFn) -> dict[str, Any]:
    """Mostly a good key; sometimes a bad one, an account, an idempotency key, junk, bytes."""
    found: dict[str, Any] = {}
    roll = draw(st.integers(0, 9))
    if roll < 7:
        found["Authorization"] = f"Bearer {KEY}"
    elif roll < 9:
        found["Authorization"] = draw(_auth)
    if draw(st.integers(0, 4)) == 0:
        found["Stripe-Account"] = draw(_accounts)
    if draw(st.integers(0, 2)) == 0:
        found["Idempotency-Key"] = draw(_idempotency_keys)
    if draw(st.integers(0, 3)) == 0:
        found.update(draw(_junk_headers))
    if draw(st.integers(0, 19)) == 0:  # a second spelling of the name: the last one counts
        found[draw(st.sampled_from(["authorization", "AUTHORIZATION"]))] = draw(_auth)
    if draw(st.integers(0, 9)) == 0:  # requests also allows bytes header values
        found = {k: v.encode("utf-8", "surrogatepass") for k, v in found.items()}
    return found


_param_names = st.sampled_from(
    [
        # create / update
        "mode",
        "success_url",
        "cancel_url",
        "return_url",
        "ui_mode",
        "customer",
        "customer_email",
        "customer_creation",
        "client_reference_id",
        "currency",
        "expires_at",
        "locale",
        "submit_type",
        "billing_address_collection",
        "allow_promotion_codes",
        "line_items[0][price]",
        "line_items[0][quantity]",
        "line_items[0][price_data][currency]",
        "line_items[0][price_data][unit_amount]",
        "line_items[0][price_data][unit_amount_decimal]",
        "line_items[0][price_data][product_data][name]",
        "line_items[0][adjustable_quantity][enabled]",
        "line_items[1][price]",
        "line_items[0][id]",
        "line_items[][price]",
        "line_items[][quantity]",
        "line_items[]",
        "line_items",
        "metadata[order]",
        "metadata[]",
        "metadata",
        "payment_method_types[0]",
        "payment_method_types[]",
        "shipping_options[0][shipping_rate]",
        "shipping_options[0][shipping_rate_data][display_name]",
        "subscription_data[trial_period_days]",
        "payment_intent_data[capture_method]",
        "collected_information[shipping_details][name]",
        "custom_fields[0][key]",
        "discounts[0][coupon]",
        "automatic_tax[enabled]",
        "expand[0]",
        "expand[]",
        "expand",
        # list
        "limit",
        "starting_after",
        "ending_before",
        "status",
        "payment_intent",
        "payment_link",
        "subscription",
        "customer_details[email]",
        "created",
        "created[gte]",
        "created[lt]",
        "created[bogus]",
        "type",
        "types[]",
        "types[0]",
        # malformed and extreme
        "",
        "[",
        "]",
        "[x]",
        "a[",
        "a]",
        "a[b",
        "a[]]",
        "a[b]c",
        "a[b[c]]",
        "a[][]",
        "a" + "[x]" * 33,
        "metadata" + "[x]" * 32,
        "line_items" + "[]" * 12,
        "line_items[99999999999999999999][price]",
        "line_items[-1][price]",
        "metadata[" + "k" * 500 + "]",
        "metadata[ü]",
        "ü[ß]",
        "a%5Bb%5D",
        "%00",
        "__proto__",
        "id",
        "object",
    ]
)
_param_values = st.one_of(
    st.sampled_from(
        [
            "",
            "payment",
            "setup",
            "subscription",
            "usd",
            "eur",
            "USD",
            "xxx",
            "https://example.com/ok",
            "not a url",
            "1",
            "0",
            "-1",
            "2",
            "100",
            "101",
            "9" * 40,
            "-" + "9" * 40,
            "1e3",
            "1.5",
            "0x10",
            " 5",
            "５",
            "true",
            "false",
            "null",
            "open",
            "expired",
            "complete",
            "hosted_page",
            "embedded_page",
            "line_items",
            "data.line_items",
            "line_items.data.price",
            "customer",
            "payment_intent",
            "checkout.session.*",
            "checkout.session.expired",
            "\x00",
            "🦄" * 10,
            "a" * 5000,
            str(START + 3600),
            str(START),
        ]
    ),
    st.sampled_from(KNOWN_IDS),
    _text,
)


_FORM_BASES: dict[str, list[str]] = {
    "POST /v1/checkout/sessions": [
        forms.encode(VALID_CREATE),
        forms.encode({**VALID_CREATE, "metadata": {"order": "9"}, "expand": ["line_items"]}),
        forms.encode({"mode": "setup", "currency": "usd", "success_url": "https://e.com/ok"}),
        forms.encode({**VALID_CREATE, "ui_mode": "embedded_page", "success_url": None}),
    ],
    "POST /v1/checkout/sessions/{session}": [
        "metadata[order]=2",
        "metadata[order]=",
        "metadata[new]=x&expand[]=line_items",
        forms.encode({"line_items": [{"id": LINE_ITEM_IDS[0], "quantity": 5}]}),
        "shipping_options[0][shipping_rate_data][display_name]=Post",
    ],
    "POST /v1/checkout/sessions/{session}/expire": ["", "expand[]=line_items"],
    "GET /v1/checkout/sessions": [
        "limit=3",
        "status=expired",
        "status=open&limit=1",
        f"starting_after={SESSION_IDS[1]}",
        f"ending_before={SESSION_IDS[-1]}",
        f"created[gte]={START}",
        "customer_details[email]=buyer@example.com",
        "expand[]=data.line_items",
    ],
    "GET /v1/checkout/sessions/{session}": ["", "expand[]=line_items"],
    "GET /v1/checkout/sessions/{session}/line_items": [
        "limit=1",
        f"starting_after={LINE_ITEM_IDS[0]}",
    ],
    "GET /v1/events": [
        "limit=2",
        "type=checkout.session.*",
        "types[]=checkout.session.expired",
        f"starting_after={EVENT_IDS[0]}",
    ],
    "GET /v1/events/{event}": [""],
}


@st.composite
def forms_(draw: st.DrawFn, route: str = "") -> str:
    """A form body or query string: a base that suits ``route`` (``"METHOD template"``) or
    nothing, then real and broken pairs, percent-encoded or raw."""
    parts = [draw(_mostly(st.sampled_from(_FORM_BASES.get(route) or [""]), st.just(""), in_ten=7))]
    pairs = _mostly(
        st.just([]), st.lists(st.tuples(_param_names, _param_values), max_size=5), in_ten=3
    )
    for name, value in draw(pairs):
        if draw(st.booleans()):
            parts.append(f"{quote(name, safe='[]')}={quote_plus(value)}")
        else:
            parts.append(f"{name}={value}")  # raw: may carry &, =, %, # and non-ASCII
    if draw(st.integers(0, 4)) == 0:
        parts.reverse()
    return "&".join(part for part in parts if part)


@st.composite
def requests_(draw: st.DrawFn) -> tuple[str, str, dict[str, Any], bytes]:
    method, path, route = draw(targets())
    query_form = forms_(route) if method == "GET" else forms_()
    query = draw(_mostly(st.just(""), query_form, in_ten=2 if method == "GET" else 7))
    url = f"{path}?{query}" if query or draw(st.integers(0, 9)) == 0 else path
    body = draw(
        _mostly(
            forms_(route).map(lambda text: text.encode("utf-8", "surrogatepass")),
            st.one_of(st.binary(max_size=64), st.just(b"")),
            in_ten=9,
        )
    )
    return method, url, draw(headers()), body


request_sequences = st.lists(requests_(), min_size=1, max_size=4)

# Explicit extremes, cheaper to state than to generate.
AUTH = {"Authorization": f"Bearer {KEY}"}
TOO_MANY_PAIRS = [("POST", "/v1/checkout/sessions", AUTH, b"&".join([b"metadata[k]=v"] * 10_001))]
TOO_DEEP = [("GET", "/v1/checkout/sessions?a" + "[x]" * 40 + "=1", AUTH, b"")]
HUGE_LIMIT = [("GET", "/v1/checkout/sessions?limit=" + "9" * 5000, AUTH, b"")]
REUSED_KEY = [
    (
        "POST",
        "/v1/checkout/sessions",
        {**AUTH, "Idempotency-Key": "k"},
        forms.encode(VALID_CREATE).encode(),
    ),
    ("POST", "/v1/checkout/sessions", {**AUTH, "Idempotency-Key": "k"}, b"mode=setup"),
]
EXPIRE_COMPLETED = [
    ("POST", f"/v1/checkout/sessions/{sid}/expire", AUTH, b"") for sid in SESSION_IDS
]
UPDATE_WITH_ONE_BAD_FIELD = [
    ("POST", f"/v1/checkout/sessions/{sid}", AUTH, b"metadata[order]=2&bogus=1")
    for sid in SESSION_IDS
]


def send(fake: FakeCheckout, request: tuple[str, str, dict[str, Any], bytes]):
    method, url, request_headers, body = request
    return fake.handle(method, url, request_headers, body)


# --- the properties ------------------------------------------------------------------------------


@FUZZ_SETTINGS
@example(TOO_MANY_PAIRS)
@example(TOO_DEEP)
@example(HUGE_LIMIT)
@example(REUSED_KEY)
@given(request_sequences)
def test_no_request_raises_or_gets_a_5xx(sequence):
    fake = seeded_fake()
    for request in sequence:
        status, _, payload = send(fake, request)
        assert status < 500, (request, status, payload[:500])


@FUZZ_SETTINGS
@example(TOO_MANY_PAIRS)
@example(TOO_DEEP)
@example(REUSED_KEY)
@example(EXPIRE_COMPLETED)
@given(request_sequences)
def test_every_failure_is_a_stripe_error_envelope_with_request_id_and_no_retry(sequence):
    fake = seeded_fake()
    for request in sequence:
        status, response_headers, payload = send(fake, request)
        if status < 400:
            continue
        assert response_headers.get("Request-Id", "").startswith("req_"), response_headers
        retry = "true" if status == 409 else "false"  # only a key in flight is worth a retry
        assert response_headers.get("Stripe-Should-Retry") == retry, response_headers
        assert response_headers.get("Content-Type") == "application/json"
        body = json.loads(payload)
        assert list(body) == ["error"], body
        error = body["error"]
        assert error["type"] in STRIPE_ERROR_TYPES, error
        assert isinstance(error["message"], str) and error["message"], error
        assert set(error) <= STRIPE_ERROR_FIELDS, error


@FUZZ_SETTINGS
@given(request_sequences)
def test_every_success_is_a_json_object_with_request_id(sequence):
    fake = seeded_fake()
    for request in sequence:
        status, response_headers, payload = send(fake, request)
        if status >= 400:
            continue
        assert status == 200
        assert response_headers.get("Request-Id", "").startswith("req_")
        assert "Stripe-Should-Retry" not in response_headers
        body = json.loads(payload)
        assert isinstance(body, dict) and isinstance(body.get("object"), str), body


@FUZZ_SETTINGS
@example(TOO_MANY_PAIRS)
@example(REUSED_KEY)
@example(EXPIRE_COMPLETED)
@example(UPDATE_WITH_ONE_BAD_FIELD)
@given(request_sequences)
def test_a_failed_request_changes_nothing_observable(sequence):
    fake = seeded_fake()
    before = snapshot(fake)
    for request in sequence:
        status, _, payload = send(fake, request)
        after = snapshot(fake)
        if status >= 400:
            if kept_for_replay(request, status, payload):
                # A failure after validation is kept for the key's replay (API.md), nothing else.
                before["idempotency_keys"] = after["idempotency_keys"]
            assert after == before, (request, status, payload[:500])
        before = after


# --- numbers of any size in every numeric parameter ------------------------------------------------


def _numeric_names(node: Node, name: str = "") -> Iterator[str]:
    """The bracket names of the integer, decimal and number leaves of a parameter tree."""
    if isinstance(node, Scalar):
        if node.kind in ("integer", "decimal", "number"):
            yield name
    elif isinstance(node, Array):
        yield from _numeric_names(node.items, f"{name}[0]")
    elif isinstance(node, Map):
        yield from _numeric_names(node.values, f"{name}[usd]")
    elif isinstance(node, Object):
        for key, spec in node.fields.items():
            yield from _numeric_names(spec.node, f"{name}[{key}]" if name else key)
    elif isinstance(node, OneOf):
        for option in node.options:
            yield from _numeric_names(option, name)


_PRICE = "line_items[0][price_data]"
_SHIPPING = "shipping_options[0][shipping_rate_data]"
_LINE = {
    f"{_PRICE}[currency]": "usd",
    f"{_PRICE}[product_data][name]": "T-shirt",
    f"{_PRICE}[unit_amount]": "1500",
    "line_items[0][quantity]": "1",
}
_COMPANIONS: list[tuple[str, dict[str, str]]] = [
    # (a part of the numeric parameter's name, the pairs that let such a request validate)
    ("subscription_data", {"mode": "subscription", f"{_PRICE}[recurring][interval]": "month"}),
    ("[recurring]", {"mode": "subscription", f"{_PRICE}[recurring][interval]": "month"}),
    (
        "[billing_cycle_anchor_config]",
        {"subscription_data[billing_cycle_anchor_config][day_of_month]": "1"},
    ),
    (
        "[pending_invoice_item_interval]",
        {"subscription_data[pending_invoice_item_interval][interval]": "month"},
    ),
    (
        "payment_intent_data[transfer_data]",
        {"payment_intent_data[transfer_data][destination]": ACCOUNTS[0]},
    ),
    (
        "subscription_data[transfer_data]",
        {"subscription_data[transfer_data][destination]": ACCOUNTS[0]},
    ),
    ("line_items[0][adjustable_quantity]", {"line_items[0][adjustable_quantity][enabled]": "true"}),
    (
        "optional_items[0]",
        {"optional_items[0][price]": PRICE_ID, "optional_items[0][quantity]": "1"},
    ),
    (
        "optional_items[0][adjustable_quantity]",
        {"optional_items[0][adjustable_quantity][enabled]": "true"},
    ),
    (
        "custom_fields[0]",
        {
            "custom_fields[0][key]": "k",
            "custom_fields[0][label][type]": "custom",
            "custom_fields[0][label][custom]": "K",
        },
    ),
    ("custom_fields[0][numeric]", {"custom_fields[0][type]": "numeric"}),
    ("custom_fields[0][text]", {"custom_fields[0][type]": "text"}),
    (
        _SHIPPING,
        {
            f"{_SHIPPING}[display_name]": "Post",
            f"{_SHIPPING}[type]": "fixed_amount",
            f"{_SHIPPING}[fixed_amount][currency]": "usd",
            f"{_SHIPPING}[fixed_amount][amount]": "500",
            f"{_SHIPPING}[delivery_estimate][minimum][unit]": "day",
            f"{_SHIPPING}[delivery_estimate][minimum][value]": "1",
            f"{_SHIPPING}[delivery_estimate][maximum][unit]": "day",
            f"{_SHIPPING}[delivery_estimate][maximum][value]": "5",
        },
    ),
]
_RESOURCE_BASES = {
    "prices.create": {
        "currency": "usd",
        "product_data[name]": "P",
        "unit_amount": "100",
        "recurring[interval]": "month",
    },
    "products.create": {"name": "P", "default_price_data[currency]": "usd"},
    "coupons.create": {"percent_off": "10", "duration": "repeating", "duration_in_months": "3"},
    "tax_rates.create": {"display_name": "T", "inclusive": "false", "percentage": "8.25"},
    "shipping_rates.create": {
        "display_name": "S",
        "fixed_amount[amount]": "500",
        "fixed_amount[currency]": "usd",
    },
}
"""What a create of these resources needs besides the numeric parameter under test."""

_NUMERIC_TARGETS = [
    ("POST", "/v1/checkout/sessions", "create"),
    ("POST", "/v1/checkout/sessions/{open}", "update"),
    ("GET", "/v1/checkout/sessions", "list"),
    ("GET", "/v1/checkout/sessions/{open}/line_items", "list_line_items"),
    ("GET", "/v1/events", "events.list"),
    ("POST", "/v1/prices", "prices.create"),
    ("GET", "/v1/prices", "prices.list"),
    ("POST", "/v1/products", "products.create"),
    ("POST", "/v1/customers", "customers.create"),
    ("GET", "/v1/customers", "customers.list"),
    ("POST", "/v1/coupons", "coupons.create"),
    ("POST", "/v1/tax_rates", "tax_rates.create"),
    ("POST", "/v1/shipping_rates", "shipping_rates.create"),
]
NUMERIC_CASES = [
    (method, path, endpoint, name)
    for method, path, endpoint in _NUMERIC_TARGETS
    for name in sorted(set(_numeric_names(ENDPOINTS[endpoint])))
]

numbers = st.one_of(
    st.integers().map(str),
    st.integers(min_value=-(10**80), max_value=10**80).map(str),
    st.from_regex(r"\A-?[0-9]{1,60}(\.[0-9]{1,40})?\Z"),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(repr),
    st.sampled_from(["", "-0", "+1", "1e5", "1E+40", "1E-5", "0x1F", "１２", " 1", "1_000", "٣"]),
)


def numeric_request(case: tuple[str, str, str, str], value: str) -> tuple[str, str, dict, bytes]:
    """``value`` in the numeric parameter of ``case``, with what else that parameter needs."""
    method, path, endpoint, name = case
    pairs: dict[str, str] = {}
    if endpoint == "create":
        pairs.update(mode="payment", success_url="https://example.com/ok")
    if endpoint == "create" or name.startswith("line_items"):
        pairs.update(_LINE)
    pairs.update(_RESOURCE_BASES.get(endpoint, {}))
    if endpoint == "prices.create" and name in ("unit_amount", "unit_amount_decimal"):
        pairs.pop("unit_amount")
    for part, companions in _COMPANIONS:
        if part in name:
            pairs.update(companions)
    if name.endswith(("[unit_amount]", "[unit_amount_decimal]")):  # one unit amount at a time
        pairs.pop(f"{_PRICE}[unit_amount]", None)
    pairs[name] = value
    form = "&".join(f"{quote(k, safe='[]')}={quote_plus(v)}" for k, v in pairs.items())
    url = path.replace("{open}", OPEN_SESSION_ID)
    if method == "GET":
        return method, f"{url}?{form}", AUTH, b""
    return method, url, AUTH, form.encode()


@FUZZ_SETTINGS
@given(st.sampled_from(NUMERIC_CASES), numbers)
def test_any_number_in_any_numeric_parameter_gets_a_4xx_or_a_200_never_a_5xx(case, value):
    fake = seeded_fake()
    status, _, payload = send(fake, numeric_request(case, value))
    assert status in (200, 400), (case, value, status, payload[:300])


def test_a_unit_amount_decimal_of_10_to_the_28_or_more_is_a_400_not_a_500():
    case = ("POST", "/v1/checkout/sessions", "create", f"{_PRICE}[unit_amount_decimal]")
    status, _, payload = send(seeded_fake(), numeric_request(case, "1" + "0" * 28))
    assert status == 400, payload


def test_a_negative_unit_amount_decimal_is_a_400_like_a_negative_unit_amount():
    case = ("POST", "/v1/checkout/sessions", "create", f"{_PRICE}[unit_amount_decimal]")
    status, _, payload = send(seeded_fake(), numeric_request(case, "-5"))
    assert status == 400, payload
