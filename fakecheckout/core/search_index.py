"""Postings for the Search API: which stored objects hold a term, so that a selective query
reads a few candidates instead of every object.

An index only narrows: the candidates it returns are a superset of the matches, and the query's
own predicate (:mod:`.search`) still decides each one, so a search gives the same page with or
without it. A field's postings are built on the first search that can use them and kept up to
date from then on (the store calls :meth:`SearchIndex.touch` on every change); a snapshot or dump
of the store leaves them out (they are derived) and they are built again when next needed.

The terms of a stored value, by the field's kind (each as :mod:`.search` compares, ignoring case):

- ``token``: the whole value; a ``field:'v'`` clause needs the term ``v``.
- ``string``: each whitespace-separated word; ``field:'one two'`` needs both words (the predicate
  then checks their order).
- ``metadata``: ``key`` and value together; ``metadata['k']:'v'`` needs that pair.
- ``numeric`` fields, ``~``, ``null`` and ``-`` clauses have no terms: a clause of those narrows
  nothing (an ``OR`` with one of them reads everything).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any

from . import errors
from .search import Clause, SearchField, _is_empty, _text, parse

ObjectOf = Callable[[str], "Mapping[str, Any] | None"]
"""The stored object of an id, or ``None`` once it is deleted (or gone)."""

_Need = tuple[str, tuple[str, ...]]
"""What one clause needs: a field and terms that a matching object holds, all of them."""


class SearchIndex:
    """The postings (term → ids) of the query fields a search has used, of one store."""

    def __init__(self) -> None:
        self._postings: dict[str, dict[str, str | set[str]]] = {}
        """field → term → the ids of the live objects holding it (built fields only); one id is
        kept as itself, a set costing ~200 bytes more, and most terms (an email) have one"""
        self._held: dict[str, dict[str, tuple[str, ...]]] = {}
        """field → id → the terms that object held when last read"""
        self._stale: set[str] = set()
        """ids touched since the postings were last brought up to date"""

    def touch(self, object_id: str) -> None:
        """Note that ``object_id`` was added, changed or deleted (read again at the next use)."""
        if self._postings:
            self._stale.add(object_id)

    def candidates(
        self,
        query: str,
        fields: Mapping[str, SearchField],
        object_of: ObjectOf,
        live_ids: Callable[[], Iterable[str]],
        worth: Callable[[int], bool],
    ) -> set[str] | None:
        """The ids of every live object that can match ``query`` (a new set), or ``None`` when
        its clauses narrow nothing (or it is malformed: the search reports that), or when
        ``worth(count)`` says that that many candidates would cost more than reading everything.

        ``live_ids`` lists the store's live objects, for building a field's postings.
        """
        plan = _plan(query, fields)
        if plan is None:
            return None
        combinator, needs = plan
        self._refresh(fields, object_of)
        for name in {name for name, _ in needs} - self._postings.keys():
            self._build(name, fields[name], object_of, live_ids())
        postings = [self._smallest(need) for need in needs]
        if combinator == "AND":
            postings = [min(postings, key=len)]
        if not worth(sum(map(len, postings))):  # before copying: a broad query's sets are big
            return None
        found: set[str] = set()
        return found.union(*postings)

    def _smallest(self, need: _Need) -> Collection[str]:
        name, terms = need
        if not terms:
            return ()  # a string clause without words matches nothing
        by_term = self._postings[name]
        return min((_ids(by_term.get(term)) for term in terms), key=len)

    def _build(self, name: str, spec: SearchField, object_of: ObjectOf, ids: Iterable[str]) -> None:
        postings: dict[str, str | set[str]] = {}
        held: dict[str, tuple[str, ...]] = {}
        for object_id in ids:
            obj = object_of(object_id)
            if obj is None:
                continue
            terms = terms_of(spec, obj)
            if terms:
                held[object_id] = tuple(terms)
                for term in terms:
                    _post(postings, term, object_id)
        self._postings[name] = postings
        self._held[name] = held

    def _refresh(self, fields: Mapping[str, SearchField], object_of: ObjectOf) -> None:
        """Bring every built field up to date with the objects touched since the last use."""
        if not self._stale:
            return
        for object_id in self._stale:
            obj = object_of(object_id)
            for name, postings in self._postings.items():
                held = self._held[name]
                old = frozenset(held.get(object_id, ()))
                new = frozenset() if obj is None else terms_of(fields[name], obj)
                if old == new:
                    continue
                for term in old - new:
                    _unpost(postings, term, object_id)
                for term in new - old:
                    _post(postings, term, object_id)
                if new:
                    held[object_id] = tuple(new)
                else:
                    held.pop(object_id, None)
        self._stale.clear()


def _ids(posting: str | set[str] | None) -> Collection[str]:
    if posting is None:
        return ()
    return (posting,) if isinstance(posting, str) else posting


def _post(postings: dict[str, str | set[str]], term: str, object_id: str) -> None:
    posting = postings.get(term)
    if posting is None:
        postings[term] = object_id
    elif isinstance(posting, str):
        postings[term] = {posting, object_id}
    else:
        posting.add(object_id)


def _unpost(postings: dict[str, str | set[str]], term: str, object_id: str) -> None:
    posting = postings[term]
    if isinstance(posting, str):
        del postings[term]
        return
    posting.discard(object_id)
    if len(posting) == 1:
        (postings[term],) = posting


def terms_of(spec: SearchField, obj: Mapping[str, Any]) -> frozenset[str]:
    """The terms the value of ``spec`` in ``obj`` holds (see the module's docstring)."""
    value = spec.value(obj)
    if spec.kind == "metadata":
        if not isinstance(value, Mapping):
            return frozenset()
        return frozenset(
            _pair(key, _text(item).casefold()) for key, item in value.items() if not _is_empty(item)
        )
    if _is_empty(value):
        return frozenset()
    if spec.kind == "token":
        return frozenset((_text(value).casefold(),))
    if spec.kind == "string":
        return frozenset(_text(value).casefold().split())
    return frozenset()


def _pair(key: object, value: str) -> str:
    return f"{key}\x00{value}"


def _plan(query: str, fields: Mapping[str, SearchField]) -> tuple[str, list[_Need]] | None:
    """How the index can narrow ``query``: ``(combinator, needs)``, or ``None``."""
    try:
        parsed = parse(query)
    except errors.StripeError:
        return None
    needs: list[_Need] = []
    for clause in parsed.clauses:
        need = _need(clause, fields)
        if need is None and parsed.combinator == "OR":
            return None
        if need is not None:
            needs.append(need)
    return (parsed.combinator, needs) if needs else None


def _need(clause: Clause, fields: Mapping[str, SearchField]) -> _Need | None:
    spec = fields.get(clause.field)
    if (
        spec is None
        or clause.negated
        or clause.operator != ":"
        or clause.value is None
        or (spec.kind == "metadata") != (clause.key is not None)
    ):
        return None
    wanted = clause.value.casefold()
    if spec.kind == "metadata":
        return spec.name, (_pair(clause.key, wanted),)
    if spec.kind == "token":
        return spec.name, (wanted,)
    if spec.kind == "string":
        return spec.name, tuple(wanted.split())
    return None
