"""``fake.requests``: every HTTP request the fake answered, oldest first, in a bounded log.

The handler records each request it answers, through every front door alike (``requests``,
``httpx``, ``urllib``, ``aiohttp``, the server), including errors, "not emulated" 404s and the
failures ``fake.fail_next`` injects (a connection failure is logged with ``status`` and
``response`` of ``None``). Direct-API calls (``fake.sessions.create(...)``) are not requests and
are not logged: the log shows what the code under test sent.

Recording is cheap: an entry keeps references to what the handler already has (the raw form,
the request headers it shows, the response's bytes or, for an idempotent POST, the idempotency
store's compressed copy); ``params``, ``response`` and ``object_id`` are decoded the first time
they are read. Once ``max_logged`` entries are kept, each
new one drops the oldest.
"""

from __future__ import annotations

import itertools
import json
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, overload

from fakecheckout.core.errors import StripeError
from fakecheckout.http import forms
from fakecheckout.http.idempotency import inflate, pack_against

if TYPE_CHECKING:
    from fakecheckout.http import sent_params
from fakecheckout.http.path_patterns import compile_path, method_matches, normalize_method

MAX_LOGGED = 10_000
"""How many requests a fake keeps by default (``FakeCheckout(max_logged=...)``)."""

LOGGED_HEADERS = ("Idempotency-Key", "Stripe-Account", "Stripe-Version")
"""The request headers an entry keeps, by the names Stripe documents."""

_SHARED_LIMIT = 512
_shared_texts: dict[str, str] = {}
"""One copy of each path and ``Stripe-Version`` value the log keeps (they repeat request after
request): emptied when it reaches ``_SHARED_LIMIT``, so paths with ids cannot grow it."""


def _shared(text: str) -> str:
    found = _shared_texts.get(text)
    if found is None:
        if len(_shared_texts) >= _SHARED_LIMIT:
            _shared_texts.clear()
        found = _shared_texts[text] = text
    return found


_PACKED_FORM_SIZE = 128
"""Forms this long or longer are kept compressed (a shorter one would barely shrink)."""

_LISTED = 10
"""How many logged requests a failed ``assert_sent`` lists when none went to the path."""

PathIds = Callable[[str, str], list[str]]
"""``(method, path) -> ids`` of the route the path matched (empty when none did)."""


class RecordedRequest:
    """One answered request: ``method``, ``path``, ``params``, ``headers``, ``status``,
    ``response``, ``object_id``; ``number`` counts from 1 over the fake's life."""

    __slots__ = (
        "number",
        "method",
        "path",
        "status",
        "_form",
        "_zdict",
        "_raw_headers",
        "_body",
        "_path_ids",
        "_params",
        "_response",
    )

    def __init__(
        self,
        number: int,
        method: str,
        path: str,
        form: bytes,
        headers: Mapping[str, str],
        status: int | None,
        body: bytes | Callable[[], bytes] | None,
        path_ids: PathIds,
        zdict: bytes | None = None,
    ) -> None:
        self.number = number
        self.method = method
        """Upper-cased, as sent (``POST``)."""
        self.path = _shared(path) if len(path) <= 64 else path
        """The URL's path, without the query string (``/v1/checkout/sessions``)."""
        self.status = status
        """The HTTP status answered; ``None`` for an injected connection failure."""
        self._form = form
        self._zdict = zdict
        """When set, ``_form`` is packed against it (``idempotency.pack_against``)."""
        version = headers.get("stripe-version")
        self._raw_headers = (  # LOGGED_HEADERS' values, None for one not sent: a small tuple
            headers.get("idempotency-key"),
            headers.get("stripe-account"),
            None if version is None else _shared(version),
        )
        self._body = body
        self._path_ids = path_ids
        self._params: dict[str, Any] | None = None
        self._response: Any = _UNREAD

    @property
    def params(self) -> dict[str, Any]:
        """The decoded query string and form body (leaves are ``str``, as sent); ``{}`` for a
        form that does not decode (the request was answered with Stripe's 400)."""
        if self._params is None:
            try:
                form = self._form if self._zdict is None else inflate(self._form, self._zdict)
                self._params = forms.decode(form)
            except StripeError:
                self._params = {}
        return self._params

    @property
    def headers(self) -> dict[str, str]:
        """``Idempotency-Key``, ``Stripe-Account`` and ``Stripe-Version``, those that were sent."""
        return {
            name: value
            for name, value in zip(LOGGED_HEADERS, self._raw_headers, strict=True)
            if value is not None
        }

    @property
    def response(self) -> Any:
        """The answer's decoded JSON (an object, a list, or ``{"error": …}``); ``None`` for an
        injected connection failure."""
        if self._response is _UNREAD:
            body = self._body
            if callable(body):
                body = body()
            self._response = None if body is None else json.loads(body)
        return self._response

    @property
    def object_id(self) -> str | None:
        """The id of the object the request was about: the answered object's ``id``, else the
        first id in the path (``cs_…`` of ``/v1/checkout/sessions/cs_…/line_items``, or of a
        404), else ``None`` (a list, a failed create)."""
        answered = self.response
        if isinstance(answered, dict) and answered.get("object") not in ("list", "search_result"):
            answered_id = answered.get("id")
            if isinstance(answered_id, str):
                return answered_id
        ids = self._path_ids(self.method, self.path)
        return ids[0] if ids else None

    def matches(self, **params: Any) -> bool:
        """Whether this request sent every given param (the subset match of ``assert_sent``)."""
        from fakecheckout.http import sent_params  # on first use: not at import

        return sent_params.compare(sent_params.asked_leaves(params), self.params).ok

    def describe(self) -> str:
        """``#3 POST /v1/checkout/sessions -> 200 (cs_test_…)``."""
        answer = "connection failure" if self.status is None else str(self.status)
        object_id = self.object_id
        about = f" ({object_id})" if object_id else ""
        return f"#{self.number} {self.method} {self.path} -> {answer}{about}"

    def __repr__(self) -> str:
        return f"<RecordedRequest {self.describe()}>"


_UNREAD = object()


class RequestLog:
    """The requests one fake answered, oldest first (see the module docstring)."""

    def __init__(self, path_ids: PathIds, max_logged: int = MAX_LOGGED) -> None:
        given: object = max_logged
        if not isinstance(given, int) or isinstance(given, bool) or max_logged < 0:
            raise ValueError(f"max_logged must be a whole number >= 0: {max_logged!r}")
        self.max_logged = max_logged
        self._entries: deque[RecordedRequest] = deque(maxlen=max_logged)
        self._numbers = itertools.count(1)
        self._path_ids = path_ids
        self._zdict: bytes | None = None

    def record(
        self,
        method: str,
        path: str,
        form: bytes,
        headers: Mapping[str, str],
        status: int | None,
        body: bytes | Callable[[], bytes] | None,
    ) -> None:
        """Log one answered request (the handler calls this; ``headers`` have lower-case names;
        ``body`` may be a function returning the bytes). A longer form is kept packed against
        the first such form this log kept (requests of one kind share most of their text)."""
        zdict = None
        if len(form) >= _PACKED_FORM_SIZE and self.max_logged:
            zdict = self._zdict
            if zdict is None:
                zdict = self._zdict = form
            form = pack_against(form, zdict)
        self._entries.append(
            RecordedRequest(
                next(self._numbers),
                method,
                path,
                form,
                headers,
                status,
                body,
                self._path_ids,
                zdict,
            )
        )

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[RecordedRequest]:
        return iter(list(self._entries))

    @overload
    def __getitem__(self, index: int) -> RecordedRequest: ...
    @overload
    def __getitem__(self, index: slice) -> list[RecordedRequest]: ...
    def __getitem__(self, index: int | slice) -> RecordedRequest | list[RecordedRequest]:
        return list(self._entries)[index]

    def __repr__(self) -> str:
        return f"<RequestLog of {len(self)} request(s)>"

    def clear(self) -> None:
        """Forget every logged request (numbering goes on)."""
        self._entries.clear()

    def last(self) -> RecordedRequest:
        """The most recent request; ``IndexError`` when none is logged."""
        try:
            return self._entries[-1]
        except IndexError:
            raise IndexError("fakecheckout has logged no request yet") from None

    def filter(self, method: str | None = None, path: str | None = None) -> list[RecordedRequest]:
        """The logged requests with this method (any case, ``"*"``: any) and path (``*`` is any
        text within one segment, ``**`` any text), oldest first; ``None`` matches every one."""
        wanted = normalize_method(method) if method is not None else "*"
        pattern = compile_path(path) if path is not None else None
        return [
            entry
            for entry in list(self._entries)
            if method_matches(wanted, entry.method)
            and (pattern is None or pattern.fullmatch(entry.path) is not None)
        ]

    def assert_sent(self, method: str, path: str, /, **params: Any) -> RecordedRequest:
        """The latest request to ``method`` ``path`` that sent every given param (a subset match
        on the decoded params: see ``sent_params``); otherwise ``AssertionError`` showing the
        closest such request's params, param by param."""
        __tracebackhide__ = True  # pytest shows the caller's line, not this one
        from fakecheckout.http import sent_params  # on first use: not at import

        leaves = sent_params.asked_leaves(params)
        candidates = self.filter(method, path)
        best: tuple[int, RecordedRequest, sent_params.Comparison] | None = None
        for entry in reversed(candidates):
            comparison = sent_params.compare(leaves, entry.params)
            if comparison.ok:
                return entry
            if best is None or len(comparison.matched) > best[0]:
                best = (len(comparison.matched), entry, comparison)
        wanted = f"{normalize_method(method)} {path}"
        if best is None:
            raise AssertionError(self._nothing_sent_to(wanted))
        _, closest, comparison = best
        lines = [
            f"no {wanted} was sent with these params.",
            f"Closest (of {len(candidates)} sent): {closest.describe()}",
            *(f"  {line}" for line in comparison.differing),
        ]
        if comparison.matched:
            lines.append(f"  (matched: {', '.join(comparison.matched)})")
        raise AssertionError("\n".join(lines))

    def _nothing_sent_to(self, wanted: str) -> str:
        entries = list(self._entries)
        if not entries:
            return (
                f"no {wanted} was sent: fakecheckout has logged no request (direct-API calls "
                "such as fake.sessions.create() are not requests and are not logged)."
            )
        shown = entries[-_LISTED:]
        more = f", the last {len(shown)} shown" if len(entries) > len(shown) else ""
        lines = [f"no {wanted} was sent. Logged ({len(entries)} request(s){more}):"]
        lines.extend(f"  {entry.describe()}" for entry in shown)
        return "\n".join(lines)
