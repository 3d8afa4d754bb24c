"""Comparing the params a test asks for with the decoded form a request sent, and explaining why not.

What a request sent is its decoded form: nested ``dict``s whose leaves are all ``str``. What a
test asks for is Python values, as the SDK's keyword arguments take them. Both are brought to the
same shape before comparing:

- the asked values are encoded as stripe-python encodes them: ``1500`` is ``"1500"``, ``True`` is
  ``"true"``, a ``datetime`` its epoch seconds, an object with an ``id`` (a ``StripeObject``) its
  id, a list is indexed like ``line_items[0]``; ``None`` means "not sent";
- in what was sent, a list (``expand[]=a``) counts as indexed too, so raw clients and the SDK
  compare alike.

The match is a subset match at every depth: each asked leaf must be there with that value; other
keys, other list items (after the ones asked for) and other params may be there too. An empty dict
or list asks for nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

ABSENT = object()
"""An asked leaf of ``None``: the param must not have been sent."""


@dataclass(frozen=True)
class Leaf:
    """One asked value: its path in the form, bracket name, the value as given and as sent."""

    path: tuple[str, ...]
    name: str
    asked: Any
    form: object  # a ``str``, or ``ABSENT``


@dataclass(frozen=True)
class Comparison:
    """How one request's params compare with the asked ones."""

    matched: list[str]
    differing: list[str]
    """One readable line per asked leaf that does not match."""

    @property
    def ok(self) -> bool:
        return not self.differing


def asked_leaves(params: Mapping[str, Any]) -> list[Leaf]:
    """The asked params as leaves, in the order given."""
    return list(_leaves(params, ()))


def compare(leaves: list[Leaf], sent: Mapping[str, Any]) -> Comparison:
    """Which asked leaves ``sent`` (a decoded form) has, and a line for each one it has not."""
    matched: list[str] = []
    differing: list[str] = []
    for leaf in leaves:
        found = _lookup(sent, leaf.path)
        if leaf.form is ABSENT:
            if found is ABSENT:
                matched.append(leaf.name)
            else:
                differing.append(f"{leaf.name}: asked None (not sent), sent {found!r}")
        elif found == leaf.form:
            matched.append(leaf.name)
        elif found is ABSENT:
            differing.append(f"{leaf.name}: asked {leaf.asked!r}, not sent")
        else:
            differing.append(f"{leaf.name}: asked {leaf.asked!r}, sent {found!r}")
    return Comparison(matched, differing)


def _leaves(value: Any, path: tuple[str, ...]) -> Iterator[Leaf]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from _leaves(item, (*path, str(key)))
        return
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, str(index)))
        return
    yield Leaf(path, _bracket_name(path), value, _encoded(value))


def _encoded(value: Any) -> object:
    """A scalar as stripe-python puts it in a form (``None``: ``ABSENT``)."""
    if value is None:
        return ABSENT
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return str(int(value.timestamp()))
    if isinstance(value, str | int | float | Decimal):
        return str(value)
    object_id = getattr(value, "id", None)
    if isinstance(object_id, str):
        return object_id
    return str(value)


def _lookup(sent: Any, path: tuple[str, ...]) -> Any:
    """The value at ``path`` in a decoded form (a list's items by index), else ``ABSENT``."""
    node = sent
    for key in path:
        if isinstance(node, Mapping):
            if key not in node:
                return ABSENT
            node = node[key]
        elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            return ABSENT
    return node


def _bracket_name(path: tuple[str, ...]) -> str:
    head, *rest = path
    return head + "".join(f"[{key}]" for key in rest)
