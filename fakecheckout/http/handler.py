"""The one request handler every front door calls: auth, routing, idempotency, JSON responses.

``handle(world, method, url, headers, body) -> (status, headers, body)`` never raises: a
``StripeError`` becomes Stripe's error envelope and anything unexpected becomes the 500
``api_error`` envelope (the traceback goes to the ``fakecheckout`` logger).

Order of checks: route (an unknown route is a 404 whatever the credentials, and is recorded in
``world.unhandled``), ``Authorization`` (401), ``Stripe-Account`` (403), ``Stripe-Version``
(400, ``versions.parse``; the endpoint then runs at that version), parameters (400), then
``Idempotency-Key`` (POST only; see ``idempotency``), then the endpoint.

Every request settles due time-based expiries, whatever its outcome (API.md: "at the start of every
operation (each HTTP request …)"). A request that reaches an endpoint is settled by the core
operation it runs, at its start. Any other answer (a 401, 403 or 404, a form or idempotency
error, an idempotent replay) calls ``world.settle()`` (which also delivers the webhooks) once the
answer is decided and before it is returned; nothing in such an answer depends on the sessions, so
this is the same as settling first, except that a request never waits for the world's lock before
its ``Idempotency-Key`` is registered (a concurrent retry sees it in flight: 409).

Decisions that Stripe's docs leave open (fakecheckout's choices):

- Parameters: a ``GET`` reads the query string only. A ``POST`` reads the query string *and* the
  form body, decoded as one form with the query's pairs first (so for a repeated name the body
  wins). The body is always decoded as a form, whatever ``Content-Type`` says.
- Path ids are percent-decoded with ``unquote_plus``, the inverse of the SDK's ``quote_plus``.
- ``Authorization`` may be ``Bearer <key>`` or HTTP Basic with the key as user name (curl's
  ``-u sk_test_…:``). An empty key is "no API key" (401). Another scheme is an invalid key (401)
  whose message masks the credentials after the scheme word like any key.
- ``Stripe-Account`` must look like ``acct_`` followed by letters and digits; any such id selects
  that account's own namespace (``world.account(id)``). Anything else is Stripe's 403
  ``account_invalid`` answer for an account the key cannot reach.
- Responses are compact JSON (no indentation), ASCII-escaped. Every response carries
  ``Content-Type: application/json``, a fresh ``Request-Id`` and ``Stripe-Version`` (the
  request's own when valid, else the fake's ``api_version``); errors add ``Stripe-Should-Retry: false``; a ``POST``
  that sent an ``Idempotency-Key`` gets it echoed, and replays add ``Idempotent-Replayed: true``.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import re
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import unquote_plus

from fakecheckout.core import errors, versions
from fakecheckout.core.clock import Clock
from fakecheckout.http import forms
from fakecheckout.http.idempotency import IdempotencyStore, Replay, fingerprint

API_VERSION = versions.LATEST
"""The newest Stripe API version (the one stripe==16.1.0 pins); a fake's default."""

_logger = logging.getLogger("fakecheckout")

_TEST_KEY = re.compile(r"(?:sk|rk)_test_[A-Za-z0-9_]+")
_LIVE_KEY = re.compile(r"(?:sk|rk)_live_[A-Za-z0-9_]+")
_ACCOUNT = re.compile(r"acct_[A-Za-z0-9]+")
_PARAM = re.compile(r"\{[a-z_]+\}")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")

Response = tuple[int, dict[str, str], bytes]
Endpoint = Callable[[Any, list[str], dict[str, Any]], dict[str, Any]]
"""``endpoint(namespace, path_ids, params) -> result``; ``namespace`` has ``.sessions`` etc."""


class World(Protocol):
    """What the handler needs from a fake (``FakeCheckout`` provides it)."""

    @property
    def clock(self) -> Clock: ...
    @property
    def unhandled(self) -> list[tuple[str, str]]: ...
    @property
    def idempotency(self) -> IdempotencyStore: ...
    def new_id(self, prefix: str, length: int = ...) -> str: ...
    def settle(self) -> list[dict[str, Any]]: ...
    def account(self, account_id: str) -> Any: ...
    def request_context(
        self, request_id: str, idempotency_key: str | None
    ) -> AbstractContextManager[None]: ...


@dataclass(frozen=True)
class Route:
    """One emulated endpoint: ``GET /v1/checkout/sessions/{id}`` → ``endpoint``."""

    method: str
    template: str
    endpoint: Endpoint
    pattern: re.Pattern[str] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        parts = re.split(r"(\{[a-z_]+\})", self.template)
        regex = "".join("([^/]+)" if _PARAM.fullmatch(part) else re.escape(part) for part in parts)
        object.__setattr__(self, "pattern", re.compile(regex))

    def __str__(self) -> str:
        return f"{self.method} {self.template}"


ROUTES: list[Route] = [
    Route("POST", "/v1/checkout/sessions", lambda ns, ids, p: ns.sessions.create(**p)),
    Route("GET", "/v1/checkout/sessions", lambda ns, ids, p: ns.sessions.list(**p)),
    Route(
        "GET",
        "/v1/checkout/sessions/{id}",
        lambda ns, ids, p: ns.sessions.retrieve(ids[0], **p),
    ),
    Route(
        "POST",
        "/v1/checkout/sessions/{id}",
        lambda ns, ids, p: ns.sessions.update(ids[0], **p),
    ),
    Route(
        "POST",
        "/v1/checkout/sessions/{id}/expire",
        lambda ns, ids, p: ns.sessions.expire(ids[0], **p),
    ),
    Route(
        "GET",
        "/v1/checkout/sessions/{id}/line_items",
        lambda ns, ids, p: ns.sessions.list_line_items(ids[0], **p),
    ),
    Route("GET", "/v1/events", lambda ns, ids, p: ns.events.list(**p)),
    Route("GET", "/v1/events/{id}", lambda ns, ids, p: ns.events.retrieve(ids[0], **p)),
]
"""The emulated routes, tried in order."""


def emulated_routes() -> list[str]:
    """The emulated routes as ``"METHOD /path"`` strings, for the unknown-route message."""
    return [str(route) for route in ROUTES]


def handle(
    world: World, method: str, url: str, headers: Mapping[str, str], body: bytes
) -> Response:
    """Answer one HTTP request as Stripe would. Never raises (see the module docstring)."""
    try:
        return _Request(world, method, url, headers, body).answer()
    except Exception:
        _logger.exception("fakecheckout failed on %s %s", method, url)
        return _internal_error_response(world, headers)


class _Request:
    def __init__(
        self, world: World, method: str, url: str, headers: Mapping[str, str], body: bytes
    ) -> None:
        self.world = world
        self.method = method.upper()
        self.path, self.query = _split_url(url)
        self.headers = _lower(headers)
        raw: object = body
        self.body = raw.encode("utf-8") if isinstance(raw, str) else bytes(body or b"")
        self.idempotency_key = (
            self.headers.get("idempotency-key", "") if self.method == "POST" else ""
        )
        self.request_id = world.new_id("req_", 14)
        self.endpoint_ran = False
        self.version: str | None = None  # the request's valid ``Stripe-Version``, if it sent one

    def answer(self) -> Response:
        response = self._answer()
        if not self.endpoint_ran:  # an endpoint's operation settled already (module docstring)
            self.world.settle()  # raises no StripeError; anything else is handle()'s 500
        return response

    def _answer(self) -> Response:
        found = _match(self.method, self.path)
        if found is None:
            self.world.unhandled.append((self.method, self.path))
            return self.error(errors.unrecognized_url(self.method, self.path, emulated_routes()))
        route, ids = found
        try:
            api_key = _api_key(self.headers.get("authorization", ""))
            account = self.headers.get("stripe-account", "")
            if account and not _ACCOUNT.fullmatch(account):
                raise errors.account_invalid(api_key, account)
            if self.headers.get("stripe-version"):
                self.version = versions.parse(self.headers["stripe-version"])
            params = forms.decode(self._form())
            namespace = self.world.account(account) if account else self.world
            if not self.idempotency_key:
                return self.execute(route, namespace, ids, params)
            return self.idempotent(route, namespace, ids, params, api_key, account)
        except errors.StripeError as error:
            return self.error(error)

    def idempotent(
        self,
        route: Route,
        namespace: Any,
        ids: list[str],
        params: dict[str, Any],
        api_key: str,
        account: str,
    ) -> Response:
        store = self.world.idempotency
        outcome = store.begin(
            account=account,
            api_key=api_key,
            key=self.idempotency_key,
            request=fingerprint(self.method, route.template, ids, params),
            now=self.world.clock.now(),
        )
        if isinstance(outcome, Replay):
            extra = {"Idempotent-Replayed": "true"}
            return self.respond(outcome.status, outcome.body, extra)
        try:
            status, payload, keep = self.run(route, namespace, ids, params)
        except BaseException:  # KeyboardInterrupt and the like: forget the key, let it go
            store.abandon(outcome)
            raise
        store.finish(outcome, status, payload, keep=keep)
        return self.respond(status, payload)

    def execute(
        self, route: Route, namespace: Any, ids: list[str], params: dict[str, Any]
    ) -> Response:
        status, payload, _ = self.run(route, namespace, ids, params)
        return self.respond(status, payload)

    def run(
        self, route: Route, namespace: Any, ids: list[str], params: dict[str, Any]
    ) -> tuple[int, bytes, bool]:
        """Run the endpoint: status, body, and whether an ``Idempotency-Key`` keeps the result."""
        self.endpoint_ran = True
        try:
            with (
                versions.using(self.version),
                self.world.request_context(self.request_id, self.idempotency_key or None),
            ):
                result = route.endpoint(namespace, ids, params)
            return 200, _json(result), True
        except errors.StripeError as error:
            return error.http_status, _json(error.to_dict()), error.after_validation
        except Exception:
            _logger.exception("fakecheckout failed on %s %s", self.method, self.path)
            return 500, _json(errors.internal_error().to_dict()), True

    def error(self, error: errors.StripeError) -> Response:
        return self.respond(error.http_status, _json(error.to_dict()))

    def respond(self, status: int, payload: bytes, extra: dict[str, str] | None = None) -> Response:
        headers = _base_headers(self.world, self.headers, self.request_id)
        if self.version is not None:
            headers["Stripe-Version"] = self.version
        if self.idempotency_key:
            headers["Idempotency-Key"] = self.idempotency_key
        if extra:
            headers.update(extra)
        if status >= 400:
            headers["Stripe-Should-Retry"] = "false"
        return status, headers, payload

    def _form(self) -> bytes:
        query = self.query.encode("utf-8", "surrogatepass")
        if self.method != "POST" or not self.body:
            return query
        if not query:
            return self.body
        return query + b"&" + self.body


def _split_url(url: str) -> tuple[str, str]:
    """``(path, query)`` of a full URL or of a path; never raises (``urlsplit`` can)."""
    rest = url.partition("#")[0]
    scheme = _SCHEME.match(rest)
    if scheme:
        after = rest[scheme.end() :]
        cut = min((i for i in (after.find("/"), after.find("?")) if i >= 0), default=len(after))
        rest = after[cut:]
    path, _, query = rest.partition("?")
    return path or "/", query


def _match(method: str, path: str) -> tuple[Route, list[str]] | None:
    for route in ROUTES:
        if route.method != method:
            continue
        matched = route.pattern.fullmatch(path)
        if matched:
            return route, [unquote_plus(part) for part in matched.groups()]
    return None


def _api_key(authorization: str) -> str:
    """The API key in an ``Authorization`` header; raises the 401s of API.md's table."""
    scheme, _, credentials = authorization.strip().partition(" ")
    credentials = credentials.strip()
    if scheme.lower() == "basic" and credentials:
        try:
            decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise errors.invalid_api_key(credentials) from None
        key = decoded.partition(":")[0]
    elif scheme.lower() == "bearer":
        key = credentials
    elif not scheme:
        key = ""
    else:  # another scheme: mask what follows it as the key (or the lone word, e.g. a bare key)
        raise errors.invalid_api_key(credentials or scheme)
    if not key:
        raise errors.no_api_key()
    if _TEST_KEY.fullmatch(key):
        return key
    if _LIVE_KEY.fullmatch(key):
        raise errors.live_api_key(key)
    raise errors.invalid_api_key(key)


def _lower(headers: Mapping[str, str]) -> dict[str, str]:
    """Header names lower-cased; ``bytes`` values (which ``requests`` allows) decoded as Latin-1."""
    lowered: dict[str, str] = {}
    for name, value in headers.items():
        text: object = value
        if isinstance(text, bytes):
            text = text.decode("latin-1")
        lowered[str(name).lower()] = str(text)
    return lowered


def _json(data: Any) -> bytes:
    return json.dumps(data, separators=(",", ":")).encode("ascii")


def _base_headers(
    world: World, request_headers: Mapping[str, str], request_id: str | None = None
) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "Request-Id": request_id or world.new_id("req_", 14),
        "Stripe-Version": getattr(world, "api_version", API_VERSION),
    }


def _internal_error_response(world: World, headers: Mapping[str, str]) -> Response:
    body = _json(errors.internal_error().to_dict())
    try:
        response_headers = _base_headers(world, _lower(headers))
    except Exception:
        response_headers = {"Content-Type": "application/json", "Stripe-Version": API_VERSION}
    response_headers["Stripe-Should-Retry"] = "false"
    return 500, response_headers, body
