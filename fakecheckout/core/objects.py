"""The direct API shared by resources stored whole (customers, products, prices): one place for
retrieve, the deleted stub, list pages, updates with ``previous_attributes`` and their events.

A subclass names its object (``OBJECT``), its list URL, its equality filters, and builds its
fields; it calls ``_insert``, ``_modify`` and ``_remove`` inside ``world.operation()``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from . import errors
from .jsondata import copy_json
from .listing import ListAll
from .pagination import _TOP, DEFAULT_LIMIT, CreatedRange, Key, PageRequest, envelope
from .params import METADATA_MAX_KEYS, validate
from .resource import ResourceAPI
from .search import SearchField, page_cursor, search_page
from .store import Record, Store

if TYPE_CHECKING:
    from .world import Account, World


def merge_metadata(current: dict[str, str] | None, given: Any, *, param: str) -> dict[str, str]:
    """Stripe's metadata update: keys merge, ``""`` unsets a key, ``metadata=""`` unsets all; the
    merged result keeps Stripe's limit of 50 keys."""
    if given == "":
        return {}
    merged = dict(current or {})
    for key, value in given.items():
        if value == "":
            merged.pop(key, None)
        else:
            merged[key] = value
    if len(merged) > METADATA_MAX_KEYS:
        raise errors.too_many_metadata_keys(param, len(merged), METADATA_MAX_KEYS)
    return merged


def previous_attributes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """``data.previous_attributes`` of an update event: the old values of what changed; inside a
    hash (``metadata``) only the keys that changed, ``null`` for a key that was not there."""
    changed: dict[str, Any] = {}
    for name, old in before.items():
        new = after.get(name)
        if old == new:
            continue
        if isinstance(old, dict) and isinstance(new, dict):
            keys = sorted(set(old) | set(new))
            changed[name] = {k: old.get(k) for k in keys if old.get(k) != new.get(k)}
        else:
            changed[name] = old
    return changed


class ObjectAPI(ListAll, ResourceAPI):
    """A resource whose stored record is its whole JSON object (``Record.fields``)."""

    OBJECT: ClassVar[str]
    """The ``object`` value (``customer``); events are ``<OBJECT>.created`` etc."""
    URL: ClassVar[str]
    """The list URL (``/v1/customers``)."""
    FILTERS: ClassVar[Mapping[str, Callable[[Record], str | None]]] = {}
    """Equality list filters (param name → how to read it from a record)."""
    SEARCH_FIELDS: ClassVar[Mapping[str, SearchField]] = {}
    """The query fields of ``/search`` (docs.stripe.com/search#supported-query-fields-for-each-
    resource); empty for a resource Stripe cannot search."""
    LABEL: ClassVar[str | None] = None
    """How Stripe's messages name the object (``webhook endpoint``); ``None``: ``OBJECT``."""
    EVENTS: ClassVar[bool] = True
    """Whether creates, updates and deletes record events (Stripe has none for some objects)."""

    def __init__(self, world: World, account: Account) -> None:
        super().__init__(world, account)
        self._store: Store[Record] = Store(self.FILTERS)

    # --- the registry's hooks (the lock is held) ---

    def lookup(self, object_id: str) -> dict[str, Any] | None:
        record = self._store.by_id.get(object_id)
        if record is None:
            return None
        return self._stub(record) if record.deleted else copy_json(record.fields)

    # --- for other resources (the lock is held) ---

    def _find(self, object_id: str, *, param: str) -> dict[str, Any]:
        """The stored object named in another request's ``param``; 400 when none (or deleted)."""
        given: object = object_id
        record = self._store.by_id.get(object_id) if isinstance(given, str) else None
        if record is None or record.deleted:
            raise errors.no_such_object(self._label, str(object_id), param=param, status=400)
        return record.fields

    # --- building blocks for the subclasses' endpoints ---

    def _get(self, object_id: object) -> Record:
        """The record of a path id (a deleted one too); Stripe's 404 when none."""
        if not isinstance(object_id, str):
            raise errors.malformed_id(self.OBJECT, type(object_id).__name__)
        record = self._store.by_id.get(object_id)
        if record is None:
            raise errors.no_such_object(self._label, object_id, param="id")
        return record

    def _live(self, object_id: object) -> Record:
        """The record of a path id that has not been deleted."""
        record = self._get(object_id)
        if record.deleted:
            raise errors.no_such_object(self._label, record.id, param="id")
        return record

    @property
    def _label(self) -> str:
        return self.LABEL or self.OBJECT

    def _render(self, record: Record, expand: Sequence[str]) -> dict[str, Any]:
        if record.deleted:
            if expand:
                self._account.expander.check(self.OBJECT, expand)
            return self._stub(record)
        out: dict[str, Any] = (
            dict(record.fields) if self._world.serializing() else copy_json(record.fields)
        )
        if expand:
            self._account.expander.expand(out, self.OBJECT, expand)
        return out

    def _stub(self, record: Record) -> dict[str, Any]:
        return {"id": record.id, "object": self.OBJECT, "deleted": True}

    def _insert(self, fields: dict[str, Any], *, now: int, event: bool = True) -> Record:
        """Store a new object and record ``<object>.created`` (unless ``event`` is false)."""
        record = Record(seq=self._world.next_seq(), fields=fields)
        self._store.add(record)
        if event and self.EVENTS:
            self._world.record_event(self._account, f"{self.OBJECT}.created", fields, at=now)
        return record

    def _modify(self, record: Record, changes: dict[str, Any], *, now: int) -> None:
        """Apply ``changes`` (checked in full already) and record ``<object>.updated`` when
        something changed, with ``previous_attributes``."""
        fields = record.fields
        before = {name: fields.get(name) for name in changes}
        previous = previous_attributes(before, changes)
        if not previous:
            return
        filters = self._store.filter_values(record)
        fields.update(changes)
        self._store.reindex(record, filters)
        if not self.EVENTS:
            return
        self._world.record_event(
            self._account,
            f"{self.OBJECT}.updated",
            fields,
            at=now,
            previous_attributes=previous,
        )

    def _remove(self, record: Record, *, now: int) -> dict[str, Any]:
        """Delete an object: it leaves every list, retrieves as the stub; ``<object>.deleted``."""
        self._store.remove(record)
        record.deleted = True
        if self.EVENTS:
            self._world.record_event(self._account, f"{self.OBJECT}.deleted", record.fields, at=now)
        return self._stub(record)

    def _list(
        self,
        checked: dict[str, Any],
        wanted: Mapping[str, str],
        *,
        matches: Callable[[Record], bool] | None = None,
    ) -> dict[str, Any]:
        """One page of the list endpoint, newest first, ``expand`` under ``data.``."""
        request = PageRequest.from_params(checked)
        expand = checked.get("expand", [])
        expander = self._account.expander
        expander.check(f"list:{self.OBJECT}", expand)
        records, has_more = self._store.page(
            wanted,
            request,
            object_name=self.OBJECT,
            created=CreatedRange.from_param(checked.get("created")),
            matches=matches,
        )
        out = envelope([self._render(record, ()) for record in records], has_more, self.URL)
        expander.expand(out, f"list:{self.OBJECT}", expand)
        return out

    def _search(self, endpoint: str, params: Mapping[str, Any]) -> dict[str, Any]:
        """One ``search_result`` page of ``GET <URL>/search``: ``query``, ``limit``, ``page``;
        ``expand`` takes ``total_count`` and paths under ``data.``."""
        with self._world.operation():
            checked = validate(endpoint, params)
            expand = list(checked.get("expand", []))
            include_total_count = "total_count" in expand
            expand = [path for path in expand if path != "total_count"]
            expander = self._account.expander
            expander.check(f"list:{self.OBJECT}", expand)
            url = f"{self.URL}/search"
            out = search_page(
                self._searched(checked, url, include_total_count),
                checked,
                self.SEARCH_FIELDS,
                url=url,
                include_total_count=include_total_count,
            )
            out["data"] = [self._render(self._store.by_id[obj["id"]], ()) for obj in out["data"]]
            expander.expand(out, f"list:{self.OBJECT}", expand)
            return out

    def _searched(
        self, checked: Mapping[str, Any], url: str, include_total_count: bool
    ) -> Iterable[Mapping[str, Any]]:
        """The objects a search reads, newest first: every live one, or only the candidates of
        the search postings when the query is selective enough for them to be cheaper."""
        store = self._store
        by_id = store.by_id
        query: object = checked.get("query")
        limit: object = checked.get("limit")
        found = None
        if isinstance(query, str):
            found = store.search.candidates(
                query,
                self.SEARCH_FIELDS,
                self._searchable,
                lambda: (object_id for _, object_id in store.newest_first()),
                lambda count: _cheaper_than_a_scan(
                    count, len(store.everything), limit, include_total_count
                ),
            )
        cursor = page_cursor(checked, url)
        if found is None:
            # Read lazily (a page stops after ``limit`` + 1 matches), from where the page starts
            # unless every match before it counts towards ``total_count``.
            below = _TOP if cursor is None or include_total_count else self._page_start(cursor)
            return (by_id[object_id].fields for _, object_id in store.descending(below))
        if cursor is not None and self._searchable(cursor[1]) is not None:
            found.add(cursor[1])  # the page starts after it, matching or not (``search_page``)
        records = sorted((by_id[object_id] for object_id in found), key=_list_key, reverse=True)
        return (record.fields for record in records)

    def _page_start(self, cursor: tuple[int, str]) -> Key:
        """The list key below which the first object ``search_page`` reads after ``cursor`` lies:
        the cursor object itself, or the first object older than its ``created``, whichever
        comes first newest first."""
        created, object_id = cursor
        older: Key = (created, 0)  # seq is never negative: (created, 0) admits only older ones
        record = self._store.by_id.get(object_id)
        if record is None or record.deleted:
            return older
        at: Key = (record.key[0], record.key[1] + 1)
        return max(at, older)

    def _searchable(self, object_id: str) -> dict[str, Any] | None:
        record = self._store.by_id.get(object_id)
        return None if record is None or record.deleted else record.fields


def _list_key(record: Record) -> tuple[int, int]:
    return record.key


def _cheaper_than_a_scan(candidates: int, stored: int, limit: object, counting: bool) -> bool:
    """Whether sorting ``candidates`` beats scanning newest first: a scan reads everything to
    count the total, else about ``stored / candidates`` objects per match it needs (``limit`` + 1),
    each costing several times a candidate's sort."""
    if counting:
        return candidates < stored
    wanted = (limit if isinstance(limit, int) else DEFAULT_LIMIT) + 1
    return candidates * candidates <= 8 * wanted * stored
