"""The node types of the parameter tree (``param_tree.py`` builds one tree per endpoint from them).

A tree says what Stripe accepts, nothing more: ``params.validate`` walks it. Nodes are immutable
and shared, so whether ``""`` may unset a value is a property of the place a node is used
(``Field.emptyable``), not of the node.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

ScalarKind: TypeAlias = Literal[
    "string", "integer", "boolean", "decimal", "number", "url", "currency"
]
MapKind: TypeAlias = Literal["free", "metadata", "currency"]


@dataclass(frozen=True, slots=True)
class Scalar:
    """A leaf: ``string``, ``integer`` (64-bit), ``boolean``, ``decimal`` (a decimal string),
    ``number`` (a float), ``url`` (an absolute http(s) URL) or ``currency`` (a supported ISO code).
    """

    kind: ScalarKind


@dataclass(frozen=True, slots=True)
class Enum:
    """A string that must be one of ``values``, in Stripe's order (its error message keeps it)."""

    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Array:
    """A list whose items all match ``items``."""

    items: Node


@dataclass(frozen=True, slots=True)
class Map:
    """A hash with free keys whose values all match ``values``.

    ``kind`` adds key rules: ``metadata`` (Stripe's metadata limits) or ``currency`` (keys are
    currency codes, as in ``currency_options``).
    """

    values: Node
    kind: MapKind = "free"


@dataclass(frozen=True, slots=True)
class Field:
    """One named field of an ``Object``: its node, whether it is required, and whether ``""``
    is accepted for it (Stripe's "unset" value)."""

    node: Node
    required: bool = False
    emptyable: bool = False


@dataclass(frozen=True)
class Object:
    """A hash with a fixed set of named fields."""

    fields: Mapping[str, Field]
    required: tuple[str, ...] = field(init=False)  # in field order, so the first missing is stable

    def __post_init__(self) -> None:
        required = tuple(name for name, spec in self.fields.items() if spec.required)
        object.__setattr__(self, "required", required)


@dataclass(frozen=True, slots=True)
class OneOf:
    """Either of ``options``: a hash picks the ``Object``/``Map`` option, anything else the first
    other option (``created``: an integer or a range object)."""

    options: tuple[Node, ...]


Node: TypeAlias = "Scalar | Enum | Array | Map | Object | OneOf"

STRING = Scalar("string")
INTEGER = Scalar("integer")
BOOLEAN = Scalar("boolean")
DECIMAL = Scalar("decimal")
NUMBER = Scalar("number")
URL = Scalar("url")
CURRENCY = Scalar("currency")
