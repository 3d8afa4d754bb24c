"""JSON text as the HTTP door sends it, and the list items it can reuse from one page to the next.

Encoding is most of what a list page costs: ten sessions are about 21 KB of JSON. An object read
through the HTTP door (``World.serializing()``) may come back as :class:`Encoded` text instead of a
dict, and :func:`dumps` splices that text into the answer unchanged. :class:`EncodedCache` keeps
the text of the objects last listed, each with a copy of the stored fields it was made from, and
gives it back only while the stored fields are still equal to that copy, so no change to a stored
object (wherever it is made) can leave a stale answer behind.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable, Hashable
from json.encoder import encode_basestring_ascii
from typing import Any, cast

from fakecheckout.core.jsondata import copy_json

__all__ = ["Encoded", "EncodedCache", "dumps", "encode", "encode_value", "member", "stand_in"]

_ENCODER = json.JSONEncoder(separators=(",", ":"), check_circular=False)
"""Compact and ASCII-escaped; one instance (``json.dumps`` with options builds one per call).
Results are trees of plain data (no cycles), so the encoder keeps no record of what it has seen."""
_escape: Callable[[str], str] = encode_basestring_ascii


class Encoded(str):
    """The JSON text of one value, encoded as :func:`dumps` would encode it."""

    __slots__ = ()


def encode(data: Any) -> Encoded:
    """``data`` as :class:`Encoded` text."""
    return Encoded(_ENCODER.encode(data))


def encode_value(value: Any) -> str:
    """``value`` as JSON, as :func:`encode` writes it; strings, integers and constants without
    starting the encoder (one field of an object built from pieces)."""
    kind = type(value)
    if kind is str:
        return _escape(value)
    if kind is int:
        return int.__repr__(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    return _ENCODER.encode(value)


def member(name: str, value: Any) -> str:
    """One ``"name":value`` member of a JSON object."""
    return f"{_escape(name)}:{encode_value(value)}"


def stand_in(text: Encoded) -> dict[str, Any]:
    """``text`` where a result dict is expected: an endpoint answering the HTTP door
    (``World.serializing()``) may return JSON text for :func:`dumps` in place of the object."""
    return cast("dict[str, Any]", text)


def dumps(data: Any) -> str:
    """``data`` as compact, ASCII-escaped JSON. :class:`Encoded` text stands for its value: the
    whole result, or the items of a list page's ``data``."""
    if type(data) is Encoded:
        return data
    if type(data) is dict and _has_encoded(data.get("data")):
        members = (f"{_escape(name)}:{_value(value)}" for name, value in data.items())
        return "{" + ",".join(members) + "}"
    return _ENCODER.encode(data)


def _has_encoded(value: Any) -> bool:
    return type(value) is list and any(type(item) is Encoded for item in value)


def _value(value: Any) -> str:
    if type(value) is list:
        items = (item if type(item) is Encoded else _ENCODER.encode(item) for item in value)
        return "[" + ",".join(items) + "]"
    return encode_value(value)


class EncodedCache:
    """The :class:`Encoded` text of up to ``size`` stored objects, the most recently used kept.

    An entry holds the context it was rendered in (the API version, say), a deep copy of the
    stored fields it came from, and the text. :meth:`get` returns the text only when both the
    context and the fields are equal to the current ones; otherwise it renders afresh. (Equality
    is Python's: a value changed from ``1`` to ``True`` or ``1.0`` would count as unchanged. No
    stored Stripe field changes type that way.)
    """

    def __init__(self, size: int = 128) -> None:
        self._size = size
        self._entries: OrderedDict[str, tuple[Hashable, dict[str, Any], Encoded]] = OrderedDict()

    def get(
        self,
        object_id: str,
        context: Hashable,
        fields: dict[str, Any],
        render: Callable[[], Encoded],
    ) -> Encoded:
        """The text of the object ``object_id`` whose stored ``fields`` ``render()`` turns into
        the JSON text to send, in ``context``."""
        entries = self._entries
        entry = entries.get(object_id)
        if entry is not None and entry[0] == context and entry[1] == fields:
            entries.move_to_end(object_id)
            return entry[2]
        text = render()
        entries[object_id] = (context, copy_json(fields), text)
        entries.move_to_end(object_id)
        if len(entries) > self._size:
            entries.popitem(last=False)
        return text

    def __getstate__(self) -> dict[str, Any]:
        """A snapshot or dump keeps no entries: they are derived, and checked before use."""
        return {"_size": self._size}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._size = int(state["_size"])
        self._entries = OrderedDict()

    def clear(self) -> None:
        """Forget every entry."""
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
