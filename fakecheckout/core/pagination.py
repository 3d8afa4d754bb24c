"""Stripe's list semantics, shared by every list the fake serves.

Objects are kept in a :class:`SortedIndex` ordered by ``(created, seq)``; lists read it newest first
(equal ``created``: the later-created first). ``starting_after`` walks to older objects, ``ending_before``
to newer ones, and a page never costs more than the objects it has to look at.
https://docs.stripe.com/api/pagination
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from . import errors

Key = tuple[int, int]
"""``(created, seq)``: the order of a list, ``seq`` being a per-world creation counter."""

DEFAULT_LIMIT = 10
MAX_LIMIT = 100


class SortedIndex:
    """Object ids kept sorted by :data:`Key`, ascending; lists read it from the end.

    The keys live in chunks of at most ``2 * CHUNK`` (a list of sorted lists, with each chunk's
    largest key), so adding or removing anywhere costs O(log n + CHUNK), never O(n): a mass
    expiry takes thousands of sessions off the front of the ``status=open`` index at once.
    """

    CHUNK = 512

    def __init__(self) -> None:
        self._keys: list[list[Key]] = []
        self._ids: list[list[str]] = []
        self._maxes: list[Key] = []
        self._len = 0

    def __len__(self) -> int:
        return self._len

    def add(self, key: Key, object_id: str) -> None:
        maxes = self._maxes
        self._len += 1
        if not maxes:
            self._keys.append([key])
            self._ids.append([object_id])
            maxes.append(key)
            return
        if key > maxes[-1]:  # the common case: a new object is the newest
            at = len(maxes) - 1
            keys, ids = self._keys[at], self._ids[at]
            keys.append(key)
            ids.append(object_id)
            maxes[at] = key
        else:
            at = bisect_left(maxes, key)
            keys, ids = self._keys[at], self._ids[at]
            position = bisect_left(keys, key)
            keys.insert(position, key)
            ids.insert(position, object_id)
        if len(keys) > 2 * self.CHUNK:
            half = len(keys) // 2
            self._keys[at : at + 1] = [keys[:half], keys[half:]]
            self._ids[at : at + 1] = [ids[:half], ids[half:]]
            maxes[at : at + 1] = [keys[half - 1], keys[-1]]

    def remove(self, key: Key) -> None:
        maxes = self._maxes
        at = bisect_left(maxes, key)
        if at == len(maxes):
            return
        keys, ids = self._keys[at], self._ids[at]
        position = bisect_left(keys, key)
        if position == len(keys) or keys[position] != key:
            return
        del keys[position]
        del ids[position]
        self._len -= 1
        if keys:
            maxes[at] = keys[-1]
        else:
            del self._keys[at], self._ids[at], maxes[at]

    def descending(self, below: Key, floor: Key) -> Iterator[tuple[Key, str]]:
        """``(key, id)`` with ``floor <= key < below``, newest first."""
        chunks, id_chunks = self._keys, self._ids
        first = min(bisect_left(self._maxes, below), len(chunks) - 1)
        for at in range(first, -1, -1):
            keys, ids = chunks[at], id_chunks[at]
            top = bisect_left(keys, below) if at == first else len(keys)
            for position in range(top - 1, -1, -1):
                key = keys[position]
                if key < floor:
                    return
                yield key, ids[position]

    def ascending(self, above: Key, ceiling: Key) -> Iterator[tuple[Key, str]]:
        """``(key, id)`` with ``above < key < ceiling``, oldest first."""
        chunks, id_chunks = self._keys, self._ids
        first = bisect_right(self._maxes, above)
        for at in range(first, len(chunks)):
            keys, ids = chunks[at], id_chunks[at]
            for position in range(bisect_right(keys, above) if at == first else 0, len(keys)):
                key = keys[position]
                if key >= ceiling:
                    return
                yield key, ids[position]


class UnionIndex:
    """Several disjoint indexes read as one (``types[]=a&types[]=b``), merged lazily."""

    def __init__(self, parts: list[SortedIndex]) -> None:
        self._parts = parts

    def __len__(self) -> int:
        return sum(len(part) for part in self._parts)

    def descending(self, below: Key, floor: Key) -> Iterator[tuple[Key, str]]:
        streams = [part.descending(below, floor) for part in self._parts]
        return heapq.merge(*streams, reverse=True)

    def ascending(self, above: Key, ceiling: Key) -> Iterator[tuple[Key, str]]:
        return heapq.merge(*(part.ascending(above, ceiling) for part in self._parts))


Index = SortedIndex | UnionIndex

#: Beyond every key: ``created`` is a 64-bit integer.
_TOP: Key = (2**63, 0)
_BOTTOM: Key = (-(2**63) - 1, 0)


@dataclass(frozen=True)
class CreatedRange:
    """An inclusive ``created`` interval; ``None`` ends are open."""

    minimum: int | None = None
    maximum: int | None = None

    @classmethod
    def from_param(cls, created: Any) -> CreatedRange:
        """From a validated ``created`` filter: an int, or ``{gt, gte, lt, lte}``."""
        if created is None:
            return cls()
        if isinstance(created, int):
            return cls(created, created)
        minimum: int | None = None
        maximum: int | None = None
        if "gt" in created:
            minimum = created["gt"] + 1
        if "gte" in created:
            minimum = max(created["gte"], minimum) if minimum is not None else created["gte"]
        if "lt" in created:
            maximum = created["lt"] - 1
        if "lte" in created:
            maximum = min(created["lte"], maximum) if maximum is not None else created["lte"]
        return cls(minimum, maximum)


PAGING_PARAMETERS = frozenset({"limit", "starting_after", "ending_before"})
"""The list parameters that choose a page (``PageRequest``'s fields), not what is listed."""


@dataclass(frozen=True)
class PageRequest:
    """The validated pagination parameters of one list call."""

    limit: int = DEFAULT_LIMIT
    starting_after: str | None = None
    ending_before: str | None = None

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> PageRequest:
        limit = params.get("limit", DEFAULT_LIMIT)
        if limit < 1:
            raise errors.value_too_small("limit", 1)
        if limit > MAX_LIMIT:
            raise errors.value_too_large("limit", MAX_LIMIT)
        starting_after = params.get("starting_after")
        ending_before = params.get("ending_before")
        return cls(limit, starting_after or None, ending_before or None)


def page(
    index: Index,
    request: PageRequest,
    *,
    key_of: Callable[[str], Key | None],
    object_name: str,
    created: CreatedRange = CreatedRange(),  # noqa: B008 - immutable
    matches: Callable[[str], bool] | None = None,
) -> tuple[list[str], bool]:
    """The ids of one page, newest first, and ``has_more`` in the paging direction.

    ``key_of`` finds a cursor's key (``None``: no such object, a 400 naming the cursor).
    Unknown cursors are reported before both cursors together, as Stripe does.
    """
    cursor_key: Key | None = None
    for name in ("starting_after", "ending_before"):
        cursor = getattr(request, name)
        if cursor is not None:
            cursor_key = key_of(cursor)
            if cursor_key is None:
                raise errors.no_such_cursor(object_name, cursor, param=name)
    if request.starting_after is not None and request.ending_before is not None:
        raise errors.both_cursors()

    floor = (created.minimum, -1) if created.minimum is not None else _BOTTOM
    ceiling = (created.maximum + 1, -1) if created.maximum is not None else _TOP
    wanted = request.limit + 1
    found: list[str] = []
    if request.ending_before is not None and cursor_key is not None:
        above = max(cursor_key, (floor[0], floor[1] - 1))
        for _, object_id in index.ascending(above, ceiling):
            if matches is None or matches(object_id):
                found.append(object_id)
                if len(found) == wanted:
                    break
        has_more = len(found) > request.limit
        return list(reversed(found[: request.limit])), has_more

    below = min(cursor_key, ceiling) if cursor_key is not None else ceiling
    for _, object_id in index.descending(below, floor):
        if matches is None or matches(object_id):
            found.append(object_id)
            if len(found) == wanted:
                break
    return found[: request.limit], len(found) > request.limit


def page_in_order(
    ids: list[str], request: PageRequest, *, object_name: str
) -> tuple[list[str], bool]:
    """A page of a list kept in its own order (a session's line items), first to last."""
    positions = {object_id: at for at, object_id in enumerate(ids)}
    for name in ("starting_after", "ending_before"):
        cursor = getattr(request, name)
        if cursor is not None and cursor not in positions:
            raise errors.no_such_cursor(object_name, cursor, param=name)
    if request.starting_after is not None and request.ending_before is not None:
        raise errors.both_cursors()
    if request.ending_before is not None:
        end = positions[request.ending_before]
        start = max(end - request.limit, 0)
        return ids[start:end], start > 0
    start = 0 if request.starting_after is None else positions[request.starting_after] + 1
    chunk = ids[start : start + request.limit]
    return chunk, start + request.limit < len(ids)


def envelope(data: list[dict[str, Any]], has_more: bool, url: str) -> dict[str, Any]:
    """Stripe's list object."""
    return {"object": "list", "data": data, "has_more": has_more, "url": url}
