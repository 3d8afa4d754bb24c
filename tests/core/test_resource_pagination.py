"""Every resource's list walks every object exactly once, newest first, in both directions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from fakecheckout import ManualClock
from fakecheckout.core.world import World

Maker = Callable[[World, int], str]


def _customer(world: World, n: int) -> str:
    return str(world.customers.create(email=f"c{n}@example.com")["id"])


def _product(world: World, n: int) -> str:
    return str(world.products.create(name=f"Product {n}")["id"])


def _price(world: World, n: int) -> str:
    return str(world.prices.create(unit_amount=n, currency="usd", product_data={"name": "P"})["id"])


MAKERS: dict[str, Maker] = {"customers": _customer, "products": _product, "prices": _price}


def _walk(api: Any, limit: int, **filters: Any) -> list[str]:
    seen: list[str] = []
    cursor: dict[str, str] = {}
    while True:
        page = api.list(limit=limit, **filters, **cursor)
        seen += [obj["id"] for obj in page["data"]]
        if not page["has_more"]:
            return seen
        cursor = {"starting_after": page["data"][-1]["id"]}


def _walk_back(api: Any, limit: int, newest_first: list[str]) -> list[str]:
    """From below the oldest object, ``ending_before`` pages towards the newest."""
    seen: list[str] = []
    cursor = newest_first[-1]
    seen.append(cursor)
    while True:
        page = api.list(limit=limit, ending_before=cursor)
        seen = [obj["id"] for obj in page["data"]] + seen
        if not page["data"] or not page["has_more"]:
            return seen
        cursor = page["data"][0]["id"]


@settings(max_examples=30, deadline=None)
@given(
    resource=st.sampled_from(sorted(MAKERS)),
    steps=st.lists(st.integers(0, 2), min_size=1, max_size=25),
    limit=st.integers(1, 7),
)
def test_pagination_walks_every_object_of_each_resource_once(
    resource: str, steps: list[int], limit: int
) -> None:
    clock = ManualClock(1_700_000_000)
    world = World(clock=clock)
    made = []
    for n, step in enumerate(steps):
        clock.advance(step)  # 0: several objects in the same second
        made.append(MAKERS[resource](world, n))
    api = getattr(world, resource)
    walked = _walk(api, limit)
    assert walked == list(reversed(made))
    assert _walk_back(api, limit, walked) == walked


@settings(max_examples=30, deadline=None)
@given(
    archived=st.lists(st.booleans(), min_size=1, max_size=20),
    limit=st.integers(1, 5),
)
def test_a_filtered_walk_visits_exactly_the_matching_objects(
    archived: list[bool], limit: int
) -> None:
    world = World(clock=ManualClock(1_700_000_000))
    product = world.products.create(name="P")["id"]
    active = []
    for n, gone in enumerate(archived):
        price = world.prices.create(product=product, unit_amount=n, currency="usd")["id"]
        if gone:
            world.prices.update(price, active=False)
        else:
            active.append(price)
    assert _walk(world.prices, limit, active=True, product=product) == list(reversed(active))
