"""Listing sessions: newest first, cursors, has_more, filters, limit."""

from __future__ import annotations

import pytest

from fakecheckout import InvalidRequestError, ManualClock
from fakecheckout.core.world import World

from .conftest import payment_params


def create_many(world: World, clock: ManualClock, count: int, step: int = 1) -> list[str]:
    ids = []
    for _ in range(count):
        ids.append(world.sessions.create(**payment_params())["id"])
        clock.advance(step)
    return ids


def test_list_envelope_has_object_url_and_has_more(world: World) -> None:
    listing = world.sessions.list()
    assert listing == {
        "object": "list",
        "data": [],
        "has_more": False,
        "url": "/v1/checkout/sessions",
    }


def test_list_is_newest_first(world: World, clock: ManualClock) -> None:
    ids = create_many(world, clock, 3)
    assert [s["id"] for s in world.sessions.list()["data"]] == ids[::-1]


def test_sessions_created_in_the_same_second_list_later_created_first(
    world: World, clock: ManualClock
) -> None:
    ids = create_many(world, clock, 3, step=0)
    assert [s["id"] for s in world.sessions.list()["data"]] == ids[::-1]


def test_limit_defaults_to_10(world: World, clock: ManualClock) -> None:
    create_many(world, clock, 12)
    listing = world.sessions.list()
    assert len(listing["data"]) == 10
    assert listing["has_more"] is True


def test_starting_after_continues_with_older_sessions(world: World, clock: ManualClock) -> None:
    ids = create_many(world, clock, 5)
    page = world.sessions.list(limit=2, starting_after=ids[3])
    assert [s["id"] for s in page["data"]] == [ids[2], ids[1]]
    assert page["has_more"] is True


def test_ending_before_returns_the_newer_sessions_nearest_the_cursor(
    world: World, clock: ManualClock
) -> None:
    ids = create_many(world, clock, 5)
    page = world.sessions.list(limit=2, ending_before=ids[1])
    assert [s["id"] for s in page["data"]] == [ids[3], ids[2]]
    assert page["has_more"] is True


def test_has_more_is_false_on_the_last_page(world: World, clock: ManualClock) -> None:
    ids = create_many(world, clock, 3)
    page = world.sessions.list(limit=2, starting_after=ids[1])
    assert [s["id"] for s in page["data"]] == [ids[0]]
    assert page["has_more"] is False


@pytest.mark.parametrize(
    ("limit", "message"),
    [
        (0, "This value must be greater than or equal to 1."),
        (101, "This value must be less than or equal to 100."),
    ],
)
def test_limit_out_of_range_is_refused(world: World, limit: int, message: str) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        world.sessions.list(limit=limit)
    assert (caught.value.param, caught.value.message) == ("limit", message)


def test_limit_that_is_not_an_integer_is_refused(world: World) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        world.sessions.list(limit="ten")
    assert (caught.value.code, caught.value.message) == (
        "parameter_invalid_integer",
        "Invalid integer: ten",
    )


def test_both_cursors_are_refused(world: World, clock: ManualClock) -> None:
    ids = create_many(world, clock, 2)
    with pytest.raises(InvalidRequestError) as caught:
        world.sessions.list(starting_after=ids[0], ending_before=ids[1])
    assert caught.value.message == (
        "Received both starting_after and ending_before parameters. Please pass in only one."
    )
    assert (caught.value.code, caught.value.param) == (None, None)


@pytest.mark.parametrize("cursor", ["starting_after", "ending_before"])
def test_unknown_cursor_is_a_400_naming_the_cursor(world: World, cursor: str) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        world.sessions.list(**{cursor: "cs_test_gone"})
    error = caught.value
    assert (error.http_status, error.code, error.param) == (400, "resource_missing", cursor)


def test_created_filter_takes_an_integer_or_a_range(world: World, clock: ManualClock) -> None:
    ids = create_many(world, clock, 4, step=10)
    created = [world.sessions.retrieve(i)["created"] for i in ids]
    assert [s["id"] for s in world.sessions.list(created=created[1])["data"]] == [ids[1]]
    in_range = world.sessions.list(created={"gt": created[0], "lte": created[2]})
    assert [s["id"] for s in in_range["data"]] == [ids[2], ids[1]]


def test_filters_combine(world: World, clock: ManualClock) -> None:
    customer = world.customers.add(email="ada@example.com")
    mine = world.sessions.create(**payment_params(customer=customer["id"]))
    world.sessions.create(**payment_params(customer=customer["id"]))
    world.sessions.create(**payment_params(customer_email="bob@example.com"))
    world.sessions.expire(mine["id"])
    found = world.sessions.list(customer=customer["id"], status="expired")["data"]
    assert [s["id"] for s in found] == [mine["id"]]
    by_email = world.sessions.list(customer_details={"email": "bob@example.com"})["data"]
    assert [s["customer_email"] for s in by_email] == ["bob@example.com"]


def test_filter_with_no_match_is_an_empty_page(world: World, clock: ManualClock) -> None:
    create_many(world, clock, 2)
    assert world.sessions.list(payment_intent="pi_nope")["data"] == []


def test_list_expand_takes_data_prefixed_paths(world: World, clock: ManualClock) -> None:
    create_many(world, clock, 1)
    listing = world.sessions.list(expand=["data.line_items"])
    assert listing["data"][0]["line_items"]["object"] == "list"
    with pytest.raises(InvalidRequestError):
        world.sessions.list(expand=["line_items"])


def test_line_items_list_pages_in_session_order(world: World) -> None:
    from .conftest import shirt

    session = world.sessions.create(
        **payment_params(line_items=[shirt(unit_amount=a) for a in (100, 200, 300)])
    )
    first = world.sessions.list_line_items(session["id"], limit=2)
    assert [i["amount_total"] for i in first["data"]] == [100, 200]
    assert first["has_more"] is True
    assert first["url"] == f"/v1/checkout/sessions/{session['id']}/line_items"
    rest = world.sessions.list_line_items(session["id"], starting_after=first["data"][-1]["id"])
    assert [i["amount_total"] for i in rest["data"]] == [300]
    assert rest["has_more"] is False
