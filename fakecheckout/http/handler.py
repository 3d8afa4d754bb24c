"""The one request handler every front door calls: auth, routing, idempotency, JSON responses.

``handle(world, method, url, headers, body) -> (status, headers, body)`` never raises: a
``StripeError`` becomes Stripe's error envelope and anything unexpected becomes the 500
``api_error`` envelope (the traceback goes to the ``fakecheckout`` logger). The one exception is
the connection failure ``fake.fail_next(..., error="connection")`` asks for:
``faults.InjectedConnectionError``, which each front door turns into its client's own error.
Every answered request is recorded in ``world.requests`` (``request_log``).

Order of checks: a pending ``fake.fail_next`` failure for the method and path (``faults``), then
route (an unknown route is Stripe's 404 whatever the credentials; one that
Stripe has but the fake does not emulate is also recorded in ``world.unhandled``), ``Authorization`` (401), ``Stripe-Account`` (403), ``Stripe-Version``
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
- ``Stripe-Account`` must look like ``acct_`` followed by letters and digits; the platform's own
  id (``fake.account_id``) addresses the platform, any other such id selects that connected
  account's own namespace (``world.account(id)``). Anything else is Stripe's 403
  ``account_invalid`` answer for an account the key cannot reach.
- Responses are compact JSON (no indentation), ASCII-escaped. Every response carries
  ``Content-Type: application/json``, a fresh ``Request-Id`` and ``Stripe-Version`` (the
  request's own when valid, else the fake's ``api_version``); errors add ``Stripe-Should-Retry`` (``true`` only for
  the 409 of a key in flight, see ``should_retry``); a ``POST``
  that sent an ``Idempotency-Key`` gets it echoed, and replays add ``Idempotent-Replayed: true``.
"""

from __future__ import annotations

import base64
import binascii
import functools
import logging
import re
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import unquote_plus

from fakecheckout.core import encoded, errors, versions
from fakecheckout.core.clock import Clock
from fakecheckout.core.params import trees_only
from fakecheckout.core.resource import Route
from fakecheckout.http import forms
from fakecheckout.http.faults import FailureRule, Faults, InjectedConnectionError
from fakecheckout.http.idempotency import IdempotencyStore, Replay, fingerprint
from fakecheckout.http.request_log import RequestLog

API_VERSION = versions.LATEST
"""The newest Stripe API version (the one stripe==16.1.0 pins); a fake's default."""

_logger = logging.getLogger("fakecheckout")

_parse_version = functools.lru_cache(maxsize=256)(versions.parse)
"""``versions.parse`` remembered for the few versions clients send (an invalid one raises, and
exceptions are not remembered)."""

_TEST_KEY = re.compile(r"(?:sk|rk)_test_[A-Za-z0-9_]+")
_PUBLISHABLE_KEY = re.compile(r"pk_(?:test|live)_[A-Za-z0-9_]+")
MAX_KEY_LENGTH = 255
"""Longer keys are malformed (decided here: Stripe's keys have about 110 characters)."""
_LIVE_KEY = re.compile(r"(?:sk|rk)_live_[A-Za-z0-9_]+")
_ACCOUNT = re.compile(r"acct_[A-Za-z0-9]+")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")

Response = tuple[int, dict[str, str], bytes]


class World(Protocol):
    """What the handler needs from a fake (``FakeCheckout`` provides it)."""

    @property
    def clock(self) -> Clock: ...
    @property
    def account_id(self) -> str: ...
    @property
    def unhandled(self) -> list[tuple[str, str]]: ...
    @property
    def idempotency(self) -> IdempotencyStore: ...
    @property
    def requests(self) -> RequestLog: ...
    @property
    def faults(self) -> Faults: ...
    def new_id(self, prefix: str, length: int = ...) -> str: ...
    def settle(self) -> list[dict[str, Any]]: ...
    def account(self, account_id: str) -> Any: ...
    def request_context(
        self, request_id: str, idempotency_key: str | None
    ) -> AbstractContextManager[None]: ...


if TYPE_CHECKING:
    ROUTES: tuple[Route, ...]
    """The emulated routes, tried in order: assembled from the registered resources' routes."""


def __getattr__(name: str) -> Any:
    if name == "ROUTES":
        return _routes()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _routes() -> tuple[Route, ...]:
    """``ROUTES``: the registry's, read when first needed (importing every resource module is
    most of ``import fakecheckout``; a ``FakeCheckout()`` imports them anyway), unless set."""
    routes: tuple[Route, ...] | None = globals().get("ROUTES")
    if routes is None:
        from fakecheckout import resources

        routes = globals()["ROUTES"] = resources.ROUTES
    return routes


def emulated_routes() -> list[str]:
    """The emulated routes as ``"METHOD /path"`` strings, for the unknown-route message."""
    return [str(route) for route in _routes()]


def path_ids(method: str, path: str) -> list[str]:
    """The decoded ids in ``path`` of the emulated route it matches (``[]`` when none does)."""
    found = _match(method.upper(), path)
    return found[1] if found is not None else []


def handle(
    world: World, method: str, url: str, headers: Mapping[str, str], body: bytes
) -> Response:
    """Answer one HTTP request as Stripe would. Never raises (see the module docstring)."""
    try:
        return _Request(world, method, url, headers, body).answer()
    except InjectedConnectionError:  # fake.fail_next: the front door raises its own error
        raise
    except Exception:
        _logger.exception("fakecheckout failed on %s %s", method, url)
        return _internal_error_response(world, headers)


class _Request:
    def __init__(
        self, world: World, method: str, url: str, headers: Mapping[str, str], body: bytes
    ) -> None:
        self.world = world
        self.method = method.upper()
        self.host, self.path, self.query = _split_url(url)
        self.headers = _lower(headers)
        self.unsafe_header = _drop_unsafe_echoes(self.headers)
        raw: object = body
        self.body = raw.encode("utf-8") if isinstance(raw, str) else bytes(body or b"")
        self.idempotency_key = (
            self.headers.get("idempotency-key", "") if self.method == "POST" else ""
        )
        self.request_id = world.new_id("req_", 14)
        self.form = self._form()
        self.logged_body: Callable[[], bytes] | None = None
        """What ``fake.requests`` keeps of the answer's body when the idempotency store kept it."""
        self.endpoint_ran = False
        self.version: str | None = None  # the request's valid ``Stripe-Version``, if it sent one

    def answer(self) -> Response:
        try:
            response = self._answer()
        except InjectedConnectionError:
            self.log(None, None)
            raise
        if not self.endpoint_ran:  # an endpoint's operation settled already (module docstring)
            self.world.settle()  # raises no StripeError; anything else is handle()'s 500
        self.log(response[0], response[2])
        return response

    def log(self, status: int | None, payload: bytes | None) -> None:
        """Record the answer in ``fake.requests`` (``None``: a connection failure): the raw form,
        the headers it shows, and the body (or the idempotency store's copy of it)."""
        body = payload if self.logged_body is None or payload is None else self.logged_body
        self.world.requests.record(self.method, self.path, self.form, self.headers, status, body)

    def _answer(self) -> Response:
        if self.unsafe_header:
            return self.error(errors.invalid_header_value(self.unsafe_header))
        if self.host and self.host != "api.stripe.com":  # files.stripe.com, connect.stripe.com…
            self.world.unhandled.append((self.method, f"https://{self.host}{self.path}"))
            return self.error(errors.host_not_emulated(self.method, self.host, self.path))
        failure = self.world.faults.take(self.method, self.path)
        if failure is not None:
            return self.injected(failure)
        found = _match(self.method, self.path)
        if found is None:
            return self.unrecognized()
        route, ids = found
        try:
            api_key = _api_key(self.headers.get("authorization", ""))
            account = self.headers.get("stripe-account", "")
            if account and not _ACCOUNT.fullmatch(account):
                raise errors.account_invalid(api_key, account)
            if account == self.world.account_id:
                account = ""  # the platform addressing itself: as if the header were absent
            if self.headers.get("stripe-version"):
                self.version = _parse_version(self.headers["stripe-version"])
            params = forms.decode(self.form)
            namespace = self.world.account(account) if account else self.world
            if not self.idempotency_key:
                return self.execute(route, namespace, ids, params)
            return self.idempotent(route, namespace, ids, params, api_key, account)
        except errors.StripeError as error:
            return self.error(error)

    def unrecognized(self) -> Response:
        """Stripe's 404 for a path that is no route of the fake. A route Stripe has is a gap in
        the fake: recorded in ``unhandled``, and named so (with the emulated routes) if strict."""
        from fakecheckout.http.route_recognition import is_stripe_route  # only here: big table

        if not is_stripe_route(self.method, self.path):
            return self.error(errors.unrecognized_url(self.method, self.path))
        self.world.unhandled.append((self.method, self.path))
        emulated = emulated_routes() if getattr(self.world, "strict", True) else None
        return self.error(errors.unrecognized_url(self.method, self.path, emulated))

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
        self.logged_body = store.finish(outcome, status, payload, keep=keep)
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
                trees_only(),
            ):
                result = route.endpoint(namespace, ids, params)
            return 200, _json(result), True
        except errors.StripeError as error:
            error = _hint_json_body(error)
            return error.http_status, _json(error.to_dict()), error.after_validation
        except Exception:
            _logger.exception("fakecheckout failed on %s %s", self.method, self.path)
            return 500, _json(errors.internal_error().to_dict()), True

    def injected(self, failure: FailureRule) -> Response:
        """The failure ``fake.fail_next`` asked for, in place of the endpoint (see ``faults``)."""
        status, headers, payload = self.error(failure.stripe_error())
        if failure.should_retry:
            headers["Stripe-Should-Retry"] = "true"
        return status, headers, payload

    def error(self, error: errors.StripeError) -> Response:
        error = _hint_json_body(error)
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
            headers["Stripe-Should-Retry"] = should_retry(status)
        return status, headers, payload

    def _form(self) -> bytes:
        query = self.query.encode("utf-8", "surrogatepass")
        if self.method != "POST" or not self.body:
            return query
        if not query:
            return self.body
        return query + b"&" + self.body


def should_retry(status: int) -> str:
    """``Stripe-Should-Retry`` for an error status: ``"true"`` only for the 409 of a key still in
    flight (the conflict clears once the first request ends; its message says "Please try again
    later"), ``"false"`` for content errors, which fail again unchanged, and for a 500, which an
    idempotent retry would only replay (stripe-python's ``_should_retry`` expects ``false`` "in
    most cases when a 500 is returned")."""
    return "true" if status == 409 else "false"


def _split_url(url: str) -> tuple[str, str, str]:
    """``(host, path, query)`` of a full URL or of a path; never raises (``urlsplit`` can). The
    host is lower-cased, without user, port or trailing dot; ``""`` for a path."""
    rest = url.partition("#")[0]
    host = ""
    scheme = _SCHEME.match(rest)
    if scheme:
        after = rest[scheme.end() :]
        cut = min((i for i in (after.find("/"), after.find("?")) if i >= 0), default=len(after))
        authority = after[:cut].rpartition("@")[2]
        if authority.startswith("["):
            host = authority.partition("]")[0][1:].lower()
        else:
            host = authority.partition(":")[0].rstrip(".").lower()
        rest = after[cut:]
    path, _, query = rest.partition("?")
    return host, path or "/", query


def _match(method: str, path: str) -> tuple[Route, list[str]] | None:
    for route in _routes():
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
    if len(key) > MAX_KEY_LENGTH:
        raise errors.invalid_api_key(key)
    if _PUBLISHABLE_KEY.fullmatch(key):
        raise errors.publishable_api_key()
    if _TEST_KEY.fullmatch(key):
        return key
    if _LIVE_KEY.fullmatch(key):
        raise errors.live_api_key(key)
    raise errors.invalid_api_key(key)


def _hint_json_body(error: errors.StripeError) -> errors.StripeError:
    """A JSON body decodes as a form whose one name is the JSON text (``{"mode": …``): the error
    about that name says that Stripe takes form-encoded bodies."""
    if error.param and error.param.lstrip()[:1] in ("{", "["):
        return errors.with_json_body_hint(error)
    return error


_ECHOED = {"stripe-version": "Stripe-Version", "idempotency-key": "Idempotency-Key"}
"""Request headers whose values a response carries back."""


def _drop_unsafe_echoes(headers: dict[str, str]) -> str | None:
    """Remove an echoed header whose value holds CR or LF (it would inject response headers) and
    return its name; ``None`` when all are safe. HTTP clients refuse to send such values, so only
    a direct ``handle`` call can: it gets a 400 that echoes nothing."""
    for lowered, name in _ECHOED.items():
        value = headers.get(lowered, "")
        if "\r" in value or "\n" in value:
            for other in _ECHOED:
                headers.pop(other, None)
            return name
    return None


def _lower(headers: Mapping[str, str]) -> dict[str, str]:
    """Header names lower-cased; ``bytes`` values (which ``requests`` allows) decoded as Latin-1."""
    try:  # every name and value a str (what clients send): one comprehension
        return {
            name.lower(): value
            for name, value in headers.items()
            if (type(name) is str and type(value) is str) or _not_text(value)
        }
    except _NotText:
        pass
    lowered: dict[str, str] = {}
    for name, value in headers.items():
        text: object = value
        if isinstance(text, bytes):
            text = text.decode("latin-1")
        lowered[str(name).lower()] = str(text)
    return lowered


class _NotText(Exception):
    """A header name or value that is not a ``str``: ``_lower`` takes the general way."""


def _not_text(value: object) -> bool:
    raise _NotText


def _json(data: Any) -> bytes:
    return encoded.dumps(data).encode("ascii")


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
        lowered = _lower(headers)
        _drop_unsafe_echoes(lowered)
        response_headers = _base_headers(world, lowered)
    except Exception:
        response_headers = {"Content-Type": "application/json", "Stripe-Version": API_VERSION}
    response_headers["Stripe-Should-Retry"] = "false"
    return 500, response_headers, body
