"""Stripe's Search API: the query language, and the ``search_result`` page.

https://docs.stripe.com/search#search-query-language. A query is up to 10 clauses, each
``[-]field operator value``, joined by spaces or ``AND`` (all must match) or by ``OR`` (one must
match), never both. There are no parentheses, so nothing nests and parsing is one linear pass.

- ``field`` is a name such as ``email`` or ``metadata["key"]`` (either quote), checked against the
  resource's query fields (:class:`SearchField`); anything else is Stripe's "unsupported search
  field" error.
- ``operator`` is ``:`` (exact match), ``~`` (substring, string fields only, at least 3
  characters) or ``>``, ``<``, ``>=``, ``<=`` (numeric fields only).
- ``value`` is a quoted string (``'…'`` or ``"…"``, ``\\`` escapes the next character), a bare
  number (quotes are optional for numbers), or ``null`` (any case) for an empty field.

What matches, by the field's type (Stripe's table; every comparison ignores case):

- ``token``: the whole value equals the query value (booleans read as ``true``/``false``).
- ``string``: ``:`` matches when the value holds the query's words in the same order, so
  ``name:"one two"`` matches ``one two three``; words are what whitespace separates (a
  fakecheckout reading of "words"). ``~`` matches any substring.
- ``numeric``: compares numbers.
- ``metadata["key"]``: the key's value as a token; ``metadata["key"]:null`` matches objects without
  the key, so ``-metadata["key"]:null`` finds those that have it.

A field that is null (or an empty string) matches ``field:null`` and nothing else; a ``-`` clause
matches exactly the objects its clause does not.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from . import errors
from .pagination import DEFAULT_LIMIT, MAX_LIMIT

Kind = Literal["token", "string", "numeric", "metadata"]
Predicate = Callable[[Mapping[str, Any]], bool]

#: Stripe's limits (docs: "up to 10 query clauses", "a minimum of 3 characters"; the OpenAPI
#: spec's ``maxLength`` for ``query`` and ``page``).
MAX_CLAUSES = 10
MIN_SUBSTRING = 3
MAX_QUERY_LENGTH = 5000
MAX_PAGE_LENGTH = 5000

_OPERATORS = (">=", "<=", ":", "~", ">", "<")
_COMPARISONS = frozenset({">", "<", ">=", "<="})
_NUMBER_CHARS = frozenset("0123456789.")


@dataclass(frozen=True)
class SearchField:
    """One query field of a resource: its ``kind`` and how to read it from a rendered object.

    ``read`` defaults to the object's top-level attribute named ``name``. A ``metadata`` field
    reads the whole metadata hash; the clause picks the key.
    """

    name: str
    kind: Kind
    read: Callable[[Mapping[str, Any]], Any] | None = field(default=None, repr=False)

    def value(self, obj: Mapping[str, Any]) -> Any:
        """The field's value in ``obj`` (``None`` when absent)."""
        return self.read(obj) if self.read is not None else obj.get(self.name)


@dataclass(frozen=True)
class Clause:
    """One parsed clause: ``-metadata["k"]:null`` is ``Clause("metadata", ":", None, True, "k")``."""

    field: str
    operator: str
    value: str | None
    negated: bool = False
    key: str | None = None


@dataclass(frozen=True)
class Query:
    """A parsed query: its clauses and how they combine (``"AND"`` or ``"OR"``)."""

    clauses: tuple[Clause, ...]
    combinator: Literal["AND", "OR"] = "AND"


# --- parsing ------------------------------------------------------------------------------------


class _Reader:
    """A cursor over the query text; every failure is Stripe's "unable to parse" error."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0

    def done(self) -> bool:
        return self.at >= len(self.text)

    def peek(self) -> str:
        return self.text[self.at] if self.at < len(self.text) else ""

    def skip_spaces(self) -> bool:
        start = self.at
        while self.at < len(self.text) and self.text[self.at].isspace():
            self.at += 1
        return self.at > start

    def name(self) -> str:
        start = self.at
        while self.at < len(self.text) and (
            self.text[self.at].isalnum() or self.text[self.at] in "_."
        ):
            self.at += 1
        if self.at == start:
            raise errors.search_query_unparseable()
        return self.text[start : self.at]

    def quoted(self) -> str:
        quote = self.peek()
        self.at += 1
        out: list[str] = []
        while self.at < len(self.text):
            char = self.text[self.at]
            if char == "\\" and self.at + 1 < len(self.text):
                out.append(self.text[self.at + 1])
                self.at += 2
                continue
            self.at += 1
            if char == quote:
                return "".join(out)
            out.append(char)
        raise errors.search_query_unparseable()

    def keyword(self) -> Literal["AND", "OR"] | None:
        """``AND``/``OR`` (any case) followed by whitespace, consumed; else nothing moves."""
        for word in ("AND", "OR"):
            end = self.at + len(word)
            if (
                self.text[self.at : end].upper() == word
                and end < len(self.text)
                and self.text[end].isspace()
            ):
                self.at = end
                return "AND" if word == "AND" else "OR"
        return None


def parse(text: str) -> Query:
    """Parse a query's syntax (fields are checked later, against a resource)."""
    if len(text) > MAX_QUERY_LENGTH:
        raise errors.string_too_long("query", MAX_QUERY_LENGTH)
    reader = _Reader(text)
    clauses: list[Clause] = []
    combinator: Literal["AND", "OR"] | None = None
    reader.skip_spaces()
    while True:
        clauses.append(_clause(reader))
        if len(clauses) > MAX_CLAUSES:
            raise errors.search_too_many_clauses(MAX_CLAUSES)
        spaced = reader.skip_spaces()
        if reader.done():
            break
        if not spaced:
            raise errors.search_query_unparseable()
        joiner = reader.keyword()
        if joiner is None:
            joiner = "AND"  # a space alone joins with AND
        else:
            reader.skip_spaces()
        if combinator is not None and joiner != combinator:
            raise errors.search_and_or_mixed()
        combinator = joiner
        if reader.done():
            raise errors.search_query_unparseable()
    return Query(tuple(clauses), combinator or "AND")


def _clause(reader: _Reader) -> Clause:
    negated = reader.peek() == "-"
    if negated:
        reader.at += 1
    name = reader.name()
    key: str | None = None
    if name == "metadata" and reader.peek() == "[":
        reader.at += 1
        if reader.peek() not in ("'", '"'):
            raise errors.search_query_unparseable()
        key = reader.quoted()
        if reader.peek() != "]":
            raise errors.search_query_unparseable()
        reader.at += 1
    elif name == "metadata":
        raise errors.search_query_unparseable()
    operator = next((op for op in _OPERATORS if reader.text.startswith(op, reader.at)), None)
    if operator is None:
        raise errors.search_query_unparseable()
    reader.at += len(operator)
    if reader.peek() in ("'", '"'):
        return Clause(name, operator, reader.quoted(), negated, key)
    start = reader.at
    while not reader.done() and not reader.peek().isspace():
        reader.at += 1
    bare = reader.text[start : reader.at]
    if bare.lower() == "null":
        return Clause(name, operator, None, negated, key)
    if not _is_number(bare):
        raise errors.search_query_unparseable()
    return Clause(name, operator, bare, negated, key)


def _is_number(text: str) -> bool:
    digits = text[1:] if text.startswith("-") else text
    return (
        bool(digits)
        and set(digits) <= _NUMBER_CHARS
        and digits.count(".") <= 1
        and digits.strip(".") == digits
    )


# --- matching -----------------------------------------------------------------------------------


def compile_query(text: str, fields: Mapping[str, SearchField], *, resource: str) -> Predicate:
    """The predicate of ``text`` over rendered objects of ``resource`` (e.g. ``"customers"``).

    Raises Stripe's errors for a malformed query, an unsupported field or operator.
    """
    query = parse(text)
    tests = [_compile_clause(clause, fields, resource) for clause in query.clauses]
    if query.combinator == "OR":
        return lambda obj: any(test(obj) for test in tests)
    return lambda obj: all(test(obj) for test in tests)


def _compile_clause(clause: Clause, fields: Mapping[str, SearchField], resource: str) -> Predicate:
    spec = fields.get(clause.field)
    if spec is None or (spec.kind == "metadata") != (clause.key is not None):
        raise errors.search_unsupported_field(clause.field, resource)
    kind = "token" if spec.kind == "metadata" else spec.kind
    test = _value_test(clause, kind)
    key, negated = clause.key, clause.negated

    def matches(obj: Mapping[str, Any]) -> bool:
        actual = spec.value(obj)
        if key is not None:
            actual = actual.get(key) if isinstance(actual, Mapping) else None
        return test(actual) != negated

    return matches


def _value_test(clause: Clause, kind: str) -> Callable[[Any], bool]:
    operator, value = clause.operator, clause.value
    shown = clause.field if clause.key is None else f'metadata["{clause.key}"]'
    if value is None:
        if operator != ":":
            raise errors.search_query_unparseable()
        return _is_empty
    if operator == "~":
        if kind != "string":
            raise errors.search_unsupported_operator(shown, operator, kind)
        if len(value) < MIN_SUBSTRING:
            raise errors.search_substring_too_short(shown, MIN_SUBSTRING)
        wanted = value.casefold()
        return lambda actual: not _is_empty(actual) and wanted in _text(actual).casefold()
    if kind == "numeric":
        number = _number(value)
        if number is None:
            raise errors.search_not_a_number(shown, value)
        return _numeric_test(operator, number)
    if operator in _COMPARISONS:
        raise errors.search_unsupported_operator(shown, operator, kind)
    if kind == "string":
        words = tuple(value.casefold().split())
        return lambda actual: bool(words) and not _is_empty(actual) and _holds(actual, words)
    wanted = value.casefold()
    return lambda actual: not _is_empty(actual) and _text(actual).casefold() == wanted


def _numeric_test(operator: str, number: Decimal) -> Callable[[Any], bool]:
    compare: dict[str, Callable[[Decimal], bool]] = {
        ":": lambda actual: actual == number,
        ">": lambda actual: actual > number,
        "<": lambda actual: actual < number,
        ">=": lambda actual: actual >= number,
        "<=": lambda actual: actual <= number,
    }
    test = compare[operator]

    def numeric(actual: Any) -> bool:
        if isinstance(actual, bool) or not isinstance(actual, int | float):
            return False
        if isinstance(actual, float) and not math.isfinite(actual):
            return False  # Decimal refuses to order NaN
        return test(Decimal(actual))

    return numeric


def _number(text: str) -> Decimal | None:
    if not _is_number(text.strip()):
        return None
    try:
        return Decimal(text.strip())
    except InvalidOperation:  # pragma: no cover - _is_number admits only decimals
        return None


def _is_empty(actual: Any) -> bool:
    return actual is None or actual == ""


def _text(actual: Any) -> str:
    if isinstance(actual, bool):
        return "true" if actual else "false"
    if isinstance(actual, Mapping):  # an expanded object stands for its id
        return str(actual.get("id", ""))
    return str(actual)


def _holds(actual: Any, words: tuple[str, ...]) -> bool:
    have = _text(actual).casefold().split()
    width = len(words)
    return any(tuple(have[at : at + width]) == words for at in range(len(have) - width + 1))


# --- the search_result page ---------------------------------------------------------------------


def search_page(
    objects_newest_first: Iterable[Mapping[str, Any]],
    params: Mapping[str, Any],
    fields: Mapping[str, SearchField],
    *,
    url: str,
    include_total_count: bool = False,
    resource: str | None = None,
) -> dict[str, Any]:
    """One page of a search, as Stripe's ``search_result`` object.

    ``objects_newest_first`` are the resource's rendered objects in list order; ``params`` holds
    the validated ``query`` and optionally ``limit`` (1..100, default 10) and ``page`` (a
    ``next_page`` of an earlier result). ``url`` is the endpoint, e.g. ``"/v1/customers/search"``;
    ``resource`` names the resource in errors (default: the URL's second segment, ``customers``).
    ``include_total_count`` (the caller saw ``expand=["total_count"]``) adds ``total_count``, the
    number of all matches (exact; Stripe's is "only accurate up to 10,000").
    """
    query = params["query"]
    if resource is None:
        resource = url.strip("/").split("/")[1] if url.count("/") >= 2 else url
    matches = compile_query(query, fields, resource=resource)
    limit = params.get("limit")
    limit = DEFAULT_LIMIT if limit is None else limit
    if limit < 1:
        raise errors.value_too_small("limit", 1)
    if limit > MAX_LIMIT:
        raise errors.value_too_large("limit", MAX_LIMIT)
    digest = _digest(url, query)
    page_token = params.get("page")
    after = _decode_page(page_token, digest) if page_token else None

    data: list[dict[str, Any]] = []
    has_more = False
    total = 0
    past_cursor = after is None
    for obj in objects_newest_first:
        is_cursor = False
        if not past_cursor and after is not None:
            # The cursor object ends the part already served; if it is gone, the first older
            # object does (then objects of the cursor's second that followed it are skipped too).
            created = obj.get("created")
            is_cursor = obj.get("id") == after[1]
            past_cursor = is_cursor or (isinstance(created, int) and created < after[0])
        if not matches(obj):
            continue
        total += 1
        if not past_cursor or is_cursor:
            continue
        if len(data) < limit:
            data.append(dict(obj))
            continue
        has_more = True
        if not include_total_count:
            break
    next_page = _encode_page(data[-1], digest) if has_more else None
    result: dict[str, Any] = {
        "object": "search_result",
        "data": data,
        "has_more": has_more,
        "next_page": next_page,
    }
    if include_total_count:
        result["total_count"] = total
    result["url"] = url
    return result


def page_cursor(params: Mapping[str, Any], url: str) -> tuple[int, str] | None:
    """``(created, id)`` of the object a ``page`` token of this search ends after, or ``None``
    (no token, or a faulty one, which :func:`search_page` reports).

    :func:`search_page` skips every object before the first one that is that object or is older
    than ``created``; a caller may leave those out of ``objects_newest_first`` when it does not
    count the total.
    """
    token, query = params.get("page"), params.get("query")
    if not token or not isinstance(query, str):
        return None
    try:
        return _decode_page(token, _digest(url, query))
    except errors.StripeError:
        return None


def _digest(url: str, query: str) -> str:
    return hashlib.sha256(f"{url}\n{query}".encode()).hexdigest()[:16]


def _encode_page(last: Mapping[str, Any], digest: str) -> str:
    payload = json.dumps([last.get("created"), last.get("id"), digest], separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def _decode_page(token: object, digest: str) -> tuple[int, str]:
    """``(created, id)`` of a ``next_page`` minted for this very search, or Stripe's 400."""
    if not isinstance(token, str) or len(token) > MAX_PAGE_LENGTH:
        raise errors.search_invalid_page(str(token)[:100])
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        decoded = json.loads(raw.decode())
    except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError):
        raise errors.search_invalid_page(token) from None
    if (
        isinstance(decoded, list)
        and len(decoded) == 3
        and isinstance(decoded[0], int)
        and not isinstance(decoded[0], bool)
        and isinstance(decoded[1], str)
        and decoded[2] == digest
    ):
        return decoded[0], decoded[1]
    raise errors.search_invalid_page(token)
