"""``expand``: a field holding an id becomes the object it names, along dotted paths.

Each resource declares, per object it renders, which fields are expandable and the object each
one points at (``{"customer": "customer", "line_items": "list:item"}``). A ``list:<object>``
target is a list whose ``data`` items are ``<object>``: its paths go on through ``data.``
(``line_items.data.price.product``; a list endpoint's ``data.customer``); an ``each:<object>``
target is a plain list of such hashes (``shipping_options.shipping_rate``). An id is looked up by
the resolver of the object it points at; a target no resource emulates can only stay ``null``.

Expansion never changes what is stored: every hash it writes into is copied first.
https://docs.stripe.com/api/expanding_objects
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from . import errors

EACH = "each:"
"""A target ``each:<object>`` is a plain list (no ``data``) whose items are ``<object>`` hashes:
the path goes on in every item (``shipping_options.shipping_rate``)."""

MAX_DEPTH = 4
"""Stripe expands at most four levels (``line_items.data.price.product``)."""

Resolver = Callable[[str], "dict[str, Any] | None"]
"""``resolve(id)``: the object with that id rendered (a deleted one as its stub), else ``None``."""


class Expander:
    """Expands rendered objects; built per operation from the registry and one account's state.

    ``fields`` maps an object name to its expandable fields and their targets; ``resolvers`` maps
    an object name to how to look one up by id; ``virtual`` maps an object name's fields that are
    not on the object until expanded (a session's ``line_items``) to what builds them.
    """

    def __init__(
        self,
        fields: Mapping[str, Mapping[str, str]],
        resolvers: Mapping[str, Resolver],
        virtual: Mapping[tuple[str, str], Callable[[dict[str, Any]], dict[str, Any]]] | None = None,
    ) -> None:
        self._fields = fields
        self._resolvers = resolvers
        self._virtual = virtual or {}

    def expand(self, obj: dict[str, Any], object_name: str, paths: Sequence[str]) -> None:
        """Expand ``paths`` in ``obj`` (a fresh top-level dict) in place; a bad path raises,
        also where a value on its way is null."""
        self.check(object_name, paths)
        for path in paths:
            self._expand(obj, object_name, path.split("."), path)

    def check(self, object_name: str, paths: Sequence[str]) -> None:
        """Raise what :meth:`expand` would raise for a path that is wrong whatever the values."""
        for path in paths:
            parts = path.split(".")
            if len(parts) > MAX_DEPTH:
                raise errors.expand_too_deep(path, MAX_DEPTH)
            name = object_name
            for part in parts:
                if name.startswith("list:"):
                    if part != "data":
                        raise errors.cannot_expand(path)
                    name = name[len("list:") :]
                    continue
                target = self._fields.get(name, {}).get(part)
                if target is None:
                    raise errors.cannot_expand(path)
                name = target.removeprefix(EACH)
            if (object_name.startswith("list:") and len(parts) == 1) or parts[-1] == "data":
                raise errors.cannot_expand(path)  # ``data`` itself is no expandable field

    def _expand(self, obj: dict[str, Any], name: str, parts: list[str], path: str) -> None:
        head, rest = parts[0], parts[1:]
        if name.startswith("list:"):
            if head != "data" or not rest:
                raise errors.cannot_expand(path)
            items = [dict(item) for item in obj["data"]]
            obj["data"] = items
            for item in items:
                self._expand(item, name[len("list:") :], rest, path)
            return
        target = self._fields.get(name, {}).get(head)
        if target is None:
            raise errors.cannot_expand(path)
        build = self._virtual.get((name, head))
        if build is not None and not isinstance(obj.get(head), dict):
            obj[head] = build(obj)
        value = obj.get(head)
        if value is None:
            return  # null stays null, whatever the rest of the path
        if isinstance(value, str):
            resolve = self._resolvers.get(target)
            found = resolve(value) if resolve is not None else None
            if found is None:
                raise errors.expand_not_emulated(path)
            value = found
        elif isinstance(value, dict):
            value = dict(value)  # expanded already (a line item's price): copy before writing
        elif isinstance(value, list) and target.startswith(EACH):
            # a plain list of hashes (a session's ``shipping_options``): the path goes on in each
            items = [dict(item) if isinstance(item, dict) else item for item in value]
            obj[head] = items
            if rest:
                for item in items:
                    if isinstance(item, dict):
                        self._expand(item, target[len(EACH) :], rest, path)
            return
        # else: a list a virtual field built (a line item's ``discounts``), fresh already
        obj[head] = value
        if rest:
            self._expand(value, target, rest, path)
