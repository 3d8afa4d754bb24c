from __future__ import annotations

import pytest

from fakecheckout import ManualClock
from fakecheckout.core.world import World
from tests.factories import START, payment_params, shirt

__all__ = ["START", "payment_params", "shirt"]


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def world(clock: ManualClock) -> World:
    return World(clock=clock, seed=1)
