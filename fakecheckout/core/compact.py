"""Stored objects in CPython's key-sharing dicts: each keeps its values, one table its keys.

A stored product, price or line item is a plain ``dict`` of some twenty keys, the same keys in
the same order for every object of its kind. A dict made as an instance's ``__dict__`` shares
its key table with every other instance of the class, so it holds only its values: about 200
bytes less per object. It is an ordinary ``dict`` in every other way (equality, order, updates,
``type(...) is dict``); when a key is removed or one arrives out of order, CPython quietly gives
it a table of its own, so nothing depends on the sharing but the memory.
"""

from __future__ import annotations

from typing import Any

#: One empty class per object kind (``"product"``, ``"item"``…): the owner of its key table.
_HOLDERS: dict[str, type] = {}


def compact(fields: dict[str, Any]) -> dict[str, Any]:
    """A dict equal to ``fields`` (same keys, order and values) that shares its key table with the
    other objects of its kind (``fields["object"]``)."""
    kind = str(fields.get("object", ""))
    holder = _HOLDERS.get(kind)
    if holder is None:
        holder = _HOLDERS[kind] = type(f"_{kind}_fields", (), {})
    out: dict[str, Any] = holder().__dict__
    # One key at a time: ``dict.update`` into an empty dict copies the other dict's own table.
    for name, value in fields.items():
        out[name] = value
    return out
