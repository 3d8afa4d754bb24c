"""Clocks: where the fake reads "now" (Unix seconds) from."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta
from typing import Protocol, runtime_checkable


@runtime_checkable
class Clock(Protocol):
    """Anything with ``now() -> int`` (Unix seconds) can drive a fake."""

    def now(self) -> int: ...


class SystemClock:
    """The default clock: calls ``time.time()`` on every ``now()``, so freezegun and time-machine
    move it with no glue."""

    def now(self) -> int:
        return int(time.time())

    def __repr__(self) -> str:
        return "SystemClock()"


class ManualClock:
    """A clock that only moves when told to: ``advance(seconds)`` and ``set(when)``.

    ``when`` is Unix seconds (int or float) or an aware ``datetime``; a naive datetime raises
    ``ValueError`` because its instant is ambiguous.
    """

    def __init__(self, start: int | float | datetime) -> None:
        self._lock = threading.Lock()
        self._now = _to_seconds(start, "start")

    def now(self) -> int:
        with self._lock:
            return int(self._now)

    def advance(self, seconds: int | float | timedelta) -> None:
        """Move the clock by ``seconds`` (negative moves it back)."""
        given: object = seconds  # checked at run time too: callers may not be type-checked
        if isinstance(given, timedelta):
            delta = given.total_seconds()
        elif isinstance(given, (int, float)) and not isinstance(given, bool):
            delta = float(given)
        else:
            raise TypeError(
                f"advance() takes int, float or timedelta seconds, not {type(seconds).__name__}"
            )
        with self._lock:
            self._now += delta

    def set(self, when: int | float | datetime) -> None:
        """Put the clock at ``when``, forward or back."""
        value = _to_seconds(when, "when")
        with self._lock:
            self._now = value

    def __repr__(self) -> str:
        return f"ManualClock({self.now()})"


def _to_seconds(given: int | float | datetime, name: str) -> float:
    when: object = given
    if isinstance(when, datetime):
        if when.tzinfo is None or when.tzinfo.utcoffset(when) is None:
            raise ValueError(f"{name} must be an aware datetime (with tzinfo), not a naive one")
        return when.timestamp()
    if isinstance(when, (int, float)) and not isinstance(when, bool):
        return float(when)
    raise TypeError(f"{name} must be int, float or an aware datetime, not {type(when).__name__}")
