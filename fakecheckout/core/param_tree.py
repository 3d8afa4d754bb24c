"""The parameter tree of each emulated endpoint at each API version, from ``param_trees/``.

``scripts/generate_param_tree.py`` writes one JSON file per endpoint: the merged parameter tree of
every stripe-python release in ``versions.RELEASES``, where each object field and enum value
carries a bit mask of the releases that have it. A file is read the first time its endpoint is
used, and the ``paramspec`` tree of a version is built once per span of versions that share it
(``versions.bucket``), so ``import fakecheckout`` reads nothing.

Node encoding: a scalar kind (``"string"``…); ``{"enum": {value: mask}}``; ``{"array": node}``;
``{"map": node, "kind": k}``; ``{"oneof": [nodes]}``; ``{"object": {name: [mask, required_mask,
emptyable_mask, node]}}``; ``{"variants": [[mask, node], …]}`` where releases type a parameter
differently.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping
from importlib import resources
from typing import Any

from . import versions
from .paramspec import Array, Enum, Field, Map, MapKind, Node, Object, OneOf, Scalar, ScalarKind

_SCALAR_KINDS = frozenset({"string", "integer", "boolean", "decimal", "number", "url", "currency"})

#: Enum values in the order Stripe's own messages list them, where a real message shows it (the
#: SDK types sort them): ``Invalid customer_creation: must be one of if_required or always``
#: (vapor-community/stripe-kit issue 216), ``Invalid ui_mode: must be one of hosted or embedded``
#: (a public project's copy of a pre-basil answer). Values not named keep the SDK's order, after.
API_ORDER: dict[tuple[str, str], tuple[str, ...]] = {
    ("create", "customer_creation"): ("if_required", "always"),
    ("create", "ui_mode"): ("hosted", "embedded"),
}


def _read(name: str) -> Any:
    text = resources.files(__package__).joinpath("param_trees").joinpath(name).read_text("utf-8")
    return json.loads(text)


@functools.cache
def index() -> dict[str, Any]:
    """``param_trees/index.json``: the releases, the per-release object fields and digests."""
    data: dict[str, Any] = _read("index.json")
    return data


def endpoint_names() -> tuple[str, ...]:
    return tuple(name.removesuffix(".json") for name in index()["digests"])


@functools.cache
def _versioned(endpoint: str) -> Any:
    if endpoint not in endpoint_names():
        raise KeyError(endpoint)
    return _read(f"{endpoint}.json")


@functools.lru_cache(maxsize=1024)
def tree(endpoint: str, version: str = versions.LATEST) -> Object:
    """``endpoint``'s parameter tree as ``version`` accepts it; ``KeyError`` for an unknown one
    (remembered per version: finding its bucket costs more than the lookup)."""
    return _tree(endpoint, versions.bucket(version))


@functools.cache
def _tree(endpoint: str, day: str) -> Object:
    root = _Builder(endpoint, day).node(_versioned(endpoint), "")
    assert isinstance(root, Object)
    return root


def fields_at(object_name: str, version: str) -> frozenset[str]:
    """The top-level fields an object (``checkout.session``, ``item``, ``event``) has at
    ``version`` by the releases' types and :mod:`versions`'s rules (not every one is always sent)."""
    masks: dict[str, int] = index()["shapes"][object_name]
    return frozenset(
        name
        for name, mask in masks.items()
        if versions.exists(mask, version, (object_name, name, None))
    )


class _Builder:
    def __init__(self, endpoint: str, day: str) -> None:
        self.endpoint = endpoint
        self.version = day  # a bucket date compares as its version does
        self.release = versions.release_index(day)

    def node(self, data: Any, path: str) -> Node:
        if isinstance(data, str):
            if data not in _SCALAR_KINDS:
                raise ValueError(f"unknown scalar kind {data!r} in {self.endpoint}")
            kind: ScalarKind = data  # type: ignore[assignment]
            return Scalar(kind)
        if "enum" in data:
            values = [
                value
                for value, mask in data["enum"].items()
                if versions.exists(mask, self.version, (self.endpoint, path, value))
            ]
            first = [v for v in API_ORDER.get((self.endpoint, path), ()) if v in values]
            return Enum((*first, *(v for v in values if v not in first)))
        if "array" in data:
            return Array(self.node(data["array"], path))
        if "map" in data:
            map_kind: MapKind = data["kind"]
            return Map(self.node(data["map"], path), kind=map_kind)
        if "oneof" in data:
            return OneOf(tuple(self.node(option, path) for option in data["oneof"]))
        if "variants" in data:
            return self.node(self._variant(data["variants"]), path)
        fields: dict[str, Field] = {}
        for name, (mask, required, emptyable, sub) in data["object"].items():
            child = f"{path}.{name}" if path else name
            if not versions.exists(mask, self.version, (self.endpoint, child, None)):
                continue
            bit = self._reference_bit(mask)
            fields[name] = Field(
                self.node(sub, child),
                required=bool(required >> bit & 1),
                emptyable=bool(emptyable >> bit & 1),
            )
        return Object(fields)

    def _reference_bit(self, mask: int) -> int:
        """The release whose flags apply: the request's own if it has the field, else the
        newest that has it."""
        if mask >> self.release & 1:
            return self.release
        return mask.bit_length() - 1

    def _variant(self, variants: list[list[Any]]) -> Any:
        for mask, node in variants:
            if mask >> self.release & 1:
                return node
        return max(variants, key=lambda entry: int(entry[0]))[1]


class _Latest(Mapping[str, Object]):
    """``ENDPOINTS``: each endpoint's tree at the newest version, read on first use."""

    def __getitem__(self, endpoint: str) -> Object:
        return tree(endpoint, versions.LATEST)

    def __iter__(self) -> Iterator[str]:
        return iter(endpoint_names())

    def __len__(self) -> int:
        return len(endpoint_names())


ENDPOINTS: Mapping[str, Object] = _Latest()
"""Each endpoint's parameter tree at the newest API version."""
