"""A context variable set for the length of a ``with`` block, then put back."""

from __future__ import annotations

from contextvars import ContextVar, Token
from typing import Generic, TypeVar

T = TypeVar("T")


class Setting(Generic[T]):
    """``with Setting(variable, value):`` runs the block with ``variable`` set to ``value``.

    A class rather than a ``@contextmanager`` generator: every request enters a few of these
    (``versions.using``, ``params.trees_only``), and a generator costs about twice as much to
    enter and leave."""

    __slots__ = ("_token", "_value", "_variable")

    def __init__(self, variable: ContextVar[T], value: T) -> None:
        self._variable = variable
        self._value = value

    def __enter__(self) -> None:
        self._token: Token[T] = self._variable.set(self._value)

    def __exit__(self, *exc_info: object) -> None:
        self._variable.reset(self._token)
