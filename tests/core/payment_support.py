"""What the payment tests share: the events one action records."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from fakecheckout.core.world import World

T = TypeVar("T")


def recorded(world: World, action: Callable[[], T]) -> tuple[T, list[str]]:
    """What ``action()`` returns, and the types of the events it records, oldest first."""
    before = len(world.events.all())
    result = action()
    return result, [event["type"] for event in world.events.all()][::-1][before:]
