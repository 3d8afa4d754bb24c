"""``World.operation()`` and ``World.request_context()``: what holds inside, and what is given back
on the way out, whether the block ends normally or raises."""

from __future__ import annotations

import threading

import pytest

from fakecheckout.core import versions
from fakecheckout.core.world import World

from .conftest import START


def lock_is_free(world: World) -> bool:
    """Whether another thread can take the world's lock now."""
    taken: list[bool] = []

    def attempt() -> None:
        got = world.lock.acquire(blocking=False)
        if got:
            world.lock.release()
        taken.append(got)

    thread = threading.Thread(target=attempt)
    thread.start()
    thread.join()
    return taken[0]


def test_an_operation_holds_the_lock_and_reads_the_clock(world: World) -> None:
    with world.operation() as now:
        assert now == START
        assert not lock_is_free(world)
    assert lock_is_free(world)


def test_an_operation_runs_at_the_fake_s_version_and_restores_the_caller_s(world: World) -> None:
    world.api_version = "2025-03-31.basil"
    with versions.using("2024-09-30.acacia"):
        with world.operation():
            assert versions.current() == "2024-09-30.acacia"  # the request's version wins
        assert versions.current() == "2024-09-30.acacia"
    with world.operation():
        assert versions.current() == "2025-03-31.basil"
    assert versions.current() == versions.LATEST


def test_an_operation_that_raises_gives_back_the_lock_and_the_version(world: World) -> None:
    with pytest.raises(LookupError), world.operation():
        raise LookupError("inside")
    assert lock_is_free(world)
    assert versions.current() == versions.LATEST


def test_a_failure_while_settling_gives_back_the_lock_and_the_version(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(now: int) -> list[object]:
        raise RuntimeError("settling failed")

    monkeypatch.setattr(world, "_settle", broken)
    with pytest.raises(RuntimeError, match="settling failed"), world.operation():
        pytest.fail("the block must not run")  # pragma: no cover
    assert lock_is_free(world)
    assert versions.current() == versions.LATEST


def test_operations_nest_in_one_thread(world: World) -> None:
    with world.operation(), world.operation() as inner:
        assert inner == START
    assert lock_is_free(world)


def test_a_request_context_names_the_request_only_inside(world: World) -> None:
    assert not world.serializing()
    with world.request_context("req_1", "key-1"):
        assert world.serializing()
    assert not world.serializing()
    with pytest.raises(KeyError), world.request_context("req_2", None):
        raise KeyError("inside")
    assert not world.serializing()
