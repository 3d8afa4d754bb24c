"""Events (``/v1/events``): what every resource's state changes recorded, newest first.

Recording is shared machinery (``World.record_event``, ``fakecheckout.core.events``); this module
is the resource that reads them back.
https://docs.stripe.com/api/events
"""

from __future__ import annotations

from typing import Any

from fakecheckout.core import errors
from fakecheckout.core.events import types_matching
from fakecheckout.core.listing import ListAll
from fakecheckout.core.pagination import (
    CreatedRange,
    Index,
    PageRequest,
    UnionIndex,
    envelope,
    page,
)
from fakecheckout.core.params import validate
from fakecheckout.core.resource import Resource, ResourceAPI, Route


class EventsAPI(ListAll, ResourceAPI):
    """The events of one account: ``fake.events`` and ``/v1/events``."""

    def retrieve(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002
        """``GET /v1/events/{id}``."""
        with self._world.operation():
            validate("events.retrieve", params)
            given: object = id  # a direct call may pass anything
            if not isinstance(given, str):
                raise errors.malformed_id("event", errors.shown(given))
            event = self._account.event_store.by_id.get(id)
            if event is None:
                raise errors.no_such_event(id)
            return event.render()

    def list(self, /, **params: Any) -> dict[str, Any]:
        """``GET /v1/events``: newest first; ``type`` takes a ``checkout.session.*`` wildcard."""
        with self._world.operation():
            checked = validate("events.list", params)
            request = PageRequest.from_params(checked)
            store = self._account.event_store
            if "type" in checked and "types" in checked:
                raise errors.only_one_of("type", "types")
            index: Index = store.everything
            if "type" in checked or "types" in checked:
                # Every type has its own index: read the union of those that match.
                wanted = types_matching(checked.get("type"), checked.get("types"), store.by_type)
                index = UnionIndex([store.by_type[name] for name in wanted])

            ids, has_more = page(
                index,
                request,
                key_of=lambda event_id: (
                    store.by_id[event_id].key if event_id in store.by_id else None
                ),
                object_name="event",
                created=CreatedRange.from_param(checked.get("created")),
            )
            return envelope([store.by_id[i].render() for i in ids], has_more, "/v1/events")


RESOURCE = Resource(
    name="events",
    object="event",
    api=EventsAPI,
    routes=(
        Route("GET", "/v1/events", lambda ns, ids, p: ns.events.list(**p)),
        Route("GET", "/v1/events/{id}", lambda ns, ids, p: ns.events.retrieve(ids[0], **p)),
    ),
)
