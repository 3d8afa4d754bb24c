"""One account's objects of one resource: by id, in list order, and indexed by equality filters.

A resource names its equality filters (``status``, ``customer``, ``email``, …) and how to read
each from a stored record; the store keeps one sorted index per ``(filter, value)`` so a filtered
list walks only the objects that match its most selective filter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from .compact import compact
from .pagination import _BOTTOM, _TOP, CreatedRange, Key, PageRequest, SortedIndex, page
from .search_index import SearchIndex


class Stored(Protocol):
    """What a store needs from a record: its id and its list key ``(created, seq)``."""

    @property
    def id(self) -> str: ...
    @property
    def key(self) -> Key: ...


R = TypeVar("R", bound=Stored)


@dataclass(eq=False, slots=True)
class Record:
    """A stored object kept whole (``fields`` is the full JSON object, newest API version)."""

    seq: int
    fields: dict[str, Any]
    deleted: bool = False

    def __post_init__(self) -> None:
        self.fields = compact(self.fields)  # a few hundred bytes less per stored object

    @property
    def id(self) -> str:
        object_id: str = self.fields["id"]
        return object_id

    @property
    def key(self) -> Key:
        return (self.fields["created"], self.seq)

    def get(self, name: str) -> Any:
        return self.fields.get(name)


_EMPTY = SortedIndex()


@dataclass
class Store(Generic[R]):
    """The records of one resource in one account; ``filters`` read a record's filter values."""

    filters: Mapping[str, Callable[[R], str | None]]
    by_id: dict[str, R] = field(default_factory=dict)
    everything: SortedIndex = field(default_factory=SortedIndex)
    by_filter: dict[tuple[str, str], SortedIndex] = field(default_factory=dict)
    search: SearchIndex = field(default_factory=SearchIndex)
    """The Search API's postings (derived: a snapshot or dump leaves them out)."""

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        del state["search"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.search = SearchIndex()

    def add(self, record: R) -> None:
        """Add a new ``record`` to the store and its list indexes."""
        key = record.key
        self.by_id[record.id] = record
        self.everything.add(key, record.id)
        self._reindex(record, dict.fromkeys(self.filters), key)

    def remove(self, record: R) -> None:
        """Take ``record`` out of every list (it stays in ``by_id``: a deleted object's stub)."""
        self.search.touch(record.id)
        self.everything.remove(record.key)
        for name, read in self.filters.items():
            value = read(record)
            if value is not None:
                self.by_filter[(name, value)].remove(record.key)

    def filter_values(self, record: R) -> dict[str, str | None]:
        return {name: read(record) for name, read in self.filters.items()}

    def reindex(self, record: R, before: Mapping[str, str | None]) -> None:
        """Move ``record`` between filter indexes after a change of the values in ``before``.

        A change to a filter or search field must come here (``ObjectAPI._modify`` does), or
        the indexes and the search postings miss it."""
        self._reindex(record, before, None)

    def _reindex(self, record: R, before: Mapping[str, str | None], key: Key | None) -> None:
        """``reindex``; the indexes share one ``key`` tuple (``None``: the record's)."""
        self.search.touch(record.id)
        for name, read in self.filters.items():
            old, new = before[name], read(record)
            if old == new:
                continue
            if key is None:
                key = record.key
            if old is not None:
                self.by_filter[(name, old)].remove(key)
            if new is not None:
                self.by_filter.setdefault((name, new), SortedIndex()).add(key, record.id)

    def newest_first(self) -> Iterator[tuple[Key, str]]:
        """Every listed (not deleted) record's key and id, in list order."""
        return self.everything.descending(_TOP, _BOTTOM)

    def descending(self, below: Key) -> Iterator[tuple[Key, str]]:
        """The listed records' keys and ids from the first key under ``below``, in list order."""
        return self.everything.descending(below, _BOTTOM)

    def key_of(self, object_id: str) -> Key | None:
        record = self.by_id.get(object_id)
        return None if record is None else record.key

    def page(
        self,
        wanted: Mapping[str, str],
        request: PageRequest,
        *,
        object_name: str,
        created: CreatedRange,
        matches: Callable[[R], bool] | None = None,
    ) -> tuple[list[R], bool]:
        """One page of the records whose filters equal ``wanted`` (and ``matches``), newest first.

        The smallest index a filter selects is walked; the other filters are checked per record.
        """
        candidates = [self.by_filter.get(item, _EMPTY) for item in wanted.items()]
        index = min(candidates, key=len) if candidates else self.everything
        by_id, filters = self.by_id, self.filters
        check: Callable[[str], bool] | None = None
        if len(wanted) > 1 or matches is not None:

            def check(object_id: str) -> bool:
                record = by_id[object_id]
                if not all(filters[n](record) == v for n, v in wanted.items()):
                    return False
                return matches is None or matches(record)

        ids, has_more = page(
            index,
            request,
            key_of=self.key_of,
            object_name=object_name,
            created=created,
            matches=check,
        )
        return [by_id[i] for i in ids], has_more
