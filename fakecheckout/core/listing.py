"""``all(**filters)``: every object a resource's ``list`` would return, as one plain list.

For assertions that read like prose (``assert len(fake.sessions.all(status="open")) == 3``): the
same filters, validation and order (newest first) as ``list``, with no 100-per-page cap. It walks
``list``'s pages (100 at a time, by ``starting_after``), so it costs what listing every page
costs, and it takes no paging parameters of its own.
"""

from __future__ import annotations

from typing import Any, Protocol

from fakecheckout.core.pagination import MAX_LIMIT, PAGING_PARAMETERS


class _Listable(Protocol):
    def list(self, /, **params: Any) -> dict[str, Any]: ...


class ListAll:
    """Gives a direct API with a ``list`` method its ``all``."""

    def all(self: _Listable, /, **filters: Any) -> list[dict[str, Any]]:
        """Every object ``list(**filters)`` selects, newest first, across all pages."""
        paging = sorted(PAGING_PARAMETERS.intersection(filters))  # all() returns every page
        if paging:
            raise TypeError(
                f"all() returns every page: it takes list filters only, not {', '.join(paging)}"
            )
        found: list[dict[str, Any]] = []
        cursor: dict[str, str] = {}
        while True:
            page = self.list(**filters, limit=MAX_LIMIT, **cursor)
            found.extend(page["data"])
            if not page["has_more"] or not page["data"]:
                return found
            cursor = {"starting_after": page["data"][-1]["id"]}
