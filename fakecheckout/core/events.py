"""Stripe ``event`` objects: recorded on every state change of any resource, listed like any list.

An event keeps the object as it was when the event happened, compressed (a million stored events
must stay small), and renders the full ``event`` object on every read.
https://docs.stripe.com/api/events/object
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from . import versions
from .pagination import SortedIndex
from .versioned import downgrade

API_VERSION = versions.LATEST


@dataclass(eq=False, slots=True)
class EventRecord:
    """One stored event."""

    id: str
    seq: int
    type: str
    created: int
    account: str | None
    data: bytes  # zlib-compressed JSON of the object as it was
    previous: bytes | None  # the same of ``data.previous_attributes`` (updates only)
    request_id: str | None
    idempotency_key: str | None
    pending_webhooks: int
    api_version: str = API_VERSION  # the account's default when it happened

    @property
    def key(self) -> tuple[int, int]:
        return (self.created, self.seq)

    def render(self) -> dict[str, Any]:
        """The ``event`` object, as Stripe sends it: ``data.object`` in the shape of the event's
        ``api_version`` (the account default), whatever version reads the event."""
        out: dict[str, Any] = {"id": self.id, "object": "event"}
        if self.account is not None:
            out["account"] = self.account
        out["api_version"] = self.api_version
        out["created"] = self.created
        out["data"] = {
            "object": downgrade(json.loads(zlib.decompress(self.data)), self.api_version)
        }
        if self.previous is not None:
            out["data"]["previous_attributes"] = json.loads(zlib.decompress(self.previous))
        out["livemode"] = False
        out["pending_webhooks"] = self.pending_webhooks
        out["request"] = {"id": self.request_id, "idempotency_key": self.idempotency_key}
        out["type"] = self.type
        return out


def pack(obj: dict[str, Any]) -> bytes:
    """The compact stored form of an event's ``data.object``."""
    return zlib.compress(json.dumps(obj, separators=(",", ":")).encode(), 6)


class EventStore:
    """One account's events, by id and in list order, with an index per type."""

    def __init__(self) -> None:
        self.by_id: dict[str, EventRecord] = {}
        self.everything = SortedIndex()
        self.by_type: dict[str, SortedIndex] = {}

    def add(self, event: EventRecord) -> None:
        self.by_id[event.id] = event
        key = event.key  # one tuple for both indexes
        self.everything.add(key, event.id)
        self.by_type.setdefault(event.type, SortedIndex()).add(key, event.id)


def types_matching(pattern: str | None, names: list[str] | None, known: Iterable[str]) -> list[str]:
    """The recorded event types a ``type`` filter (``checkout.session.*`` matches by prefix) or a
    ``types[]`` filter selects."""
    if names is not None:
        wanted = set(names)
        return [name for name in known if name in wanted]
    if pattern is None:
        return list(known)
    if pattern.endswith("*"):
        return [name for name in known if name.startswith(pattern[:-1])]
    return [name for name in known if name == pattern]
