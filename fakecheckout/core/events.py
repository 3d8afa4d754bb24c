"""Stripe ``event`` objects: recorded on every state change of any resource, listed like any list.

An event keeps the object as it was when the event happened, compressed (a million stored events
must stay small), and renders the full ``event`` object on every read.
https://docs.stripe.com/api/events/object
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Mapping
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
    zdict: bytes | None = None  # the dictionary ``data`` was compressed against (``pack_object``)

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
            "object": downgrade(json.loads(unpack(self.data, self.zdict)), self.api_version)
        }
        if self.previous is not None:
            out["data"]["previous_attributes"] = json.loads(unpack(self.previous, None))
        out["livemode"] = False
        out["pending_webhooks"] = self.pending_webhooks
        out["request"] = {"id": self.request_id, "idempotency_key": self.idempotency_key}
        out["type"] = self.type
        return out


_ENCODER = json.JSONEncoder(separators=(",", ":"), check_circular=False)

_WINDOW_BITS = 12
"""A 4 KB window and a small hash (``memLevel`` 4): against the dictionary an object packs a few
bytes larger than with zlib's defaults (~128 bytes instead of ~116 for an expired session), in
half the time, because the primed compressor copied for every event holds ~24 KB of state
instead of ~256 KB."""
_MEMORY_LEVEL = 4
_ZDICT_SIZE = 1 << _WINDOW_BITS  # the compressor sees no further back than its window
_zdicts: dict[str, bytes] = {}
"""Per ``object`` type, the first such object this process packed: what later ones are
compressed against (two sessions share most of their JSON, so one packs to ~160 bytes, not
~860 with plain zlib)."""
_compressors: dict[bytes, Any] = {}


def pack(obj: dict[str, Any]) -> bytes:
    """The compact stored form of a small JSON value (``previous_attributes``): plain zlib."""
    return zlib.compress(_ENCODER.encode(obj).encode(), 6)


def pack_object(obj: Mapping[str, Any], text: str | None = None) -> tuple[bytes, bytes | None]:
    """The compact stored form of an event's ``data.object``, and the dictionary ``unpack``
    needs for it (``None``: plain zlib, for a value with no ``object`` type). ``text``: the
    object's JSON, when the caller has it already."""
    raw = (_ENCODER.encode(obj) if text is None else text).encode()
    kind = obj.get("object")
    zdict = _zdicts.get(kind) if isinstance(kind, str) else None
    if zdict is None:
        if not isinstance(kind, str) or len(_zdicts) >= 256:
            return zlib.compress(raw, 6), None
        zdict = _zdicts[kind] = raw[-_ZDICT_SIZE:]
        _compressors[zdict] = zlib.compressobj(
            1, zlib.DEFLATED, _WINDOW_BITS, _MEMORY_LEVEL, zlib.Z_DEFAULT_STRATEGY, zdict=zdict
        )
    compressor = _compressors[zdict].copy()  # priming costs more than copying a primed one
    return compressor.compress(raw) + compressor.flush(), zdict


def unpack(data: bytes, zdict: bytes | None) -> bytes:
    """The JSON ``pack`` or ``pack_object`` stored as ``data``."""
    if zdict is None or not data[1] & 0x20:  # the zlib header's FDICT flag: a preset dictionary
        return zlib.decompress(data)
    decompressor = zlib.decompressobj(zlib.MAX_WBITS, zdict=zdict)
    return decompressor.decompress(data) + decompressor.flush()


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
