"""A fake nobody holds any more is freed at once: nothing in it points back at it, so reference
counting frees it without waiting for a garbage collection (an autouse fixture starts and stops
a fake for every test, most of them never using it)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from fakecheckout import FakeCheckout


@pytest.fixture
def no_collections() -> Iterator[None]:
    """No garbage collection runs meanwhile, so only reference counting can free anything."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@pytest.mark.usefixtures("no_collections")
def test_a_started_and_stopped_fake_is_freed_when_dropped() -> None:
    fake = FakeCheckout()
    fake.start()
    fake.stop()
    gone = weakref.ref(fake)
    del fake
    assert gone() is None


@pytest.mark.usefixtures("no_collections")
def test_a_fake_used_as_a_context_manager_is_freed_when_dropped() -> None:
    with FakeCheckout() as fake:
        pass
    gone = weakref.ref(fake)
    del fake
    assert gone() is None


@pytest.mark.parametrize(
    ("part", "use"),
    [
        (lambda fake: fake.platform, lambda account: account.world),
        (lambda fake: fake.webhooks, lambda webhooks: webhooks.redeliver("evt_123")),
    ],
    ids=["an account", "the webhooks"],
)
def test_a_part_outliving_its_fake_says_so(
    part: Callable[[FakeCheckout], Any], use: Callable[[Any], object]
) -> None:
    fake = FakeCheckout()
    held = part(fake)
    del fake
    gc.collect()
    with pytest.raises(RuntimeError, match="no longer exists"):
        use(held)


def test_an_account_of_a_living_fake_reaches_it() -> None:
    fake = FakeCheckout()
    assert fake.platform.world is fake
    assert fake.account("acct_1Connected").world is fake


def test_a_connected_account_outliving_its_fake_names_the_reason() -> None:
    fake = FakeCheckout()
    connected = fake.account("acct_1Connected")
    del fake
    gc.collect()
    with pytest.raises(AttributeError, match="no longer exists"):
        connected.sessions  # noqa: B018 - an API not built yet needs the fake
