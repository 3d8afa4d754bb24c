"""``fake.sessions.all(**filters)`` and ``all`` on every resource with a ``list``: every match, as
one plain list, newest first, with no 100-per-page cap."""

from __future__ import annotations

import pytest

from fakecheckout import FakeCheckout, InvalidRequestError, ManualClock
from tests.factories import START, payment_params


@pytest.fixture
def fake() -> FakeCheckout:
    return FakeCheckout(clock=ManualClock(START), seed=1)


def test_all_returns_every_session_newest_first_past_a_page_of_100(fake):
    created = [fake.sessions.create(**payment_params())["id"] for _ in range(205)]

    assert [session["id"] for session in fake.sessions.all()] == created[::-1]


def test_all_takes_the_filters_of_list(fake):
    kept = fake.sessions.create(**payment_params())["id"]
    expired = fake.sessions.create(**payment_params())["id"]
    fake.sessions.expire(expired)

    assert [s["id"] for s in fake.sessions.all(status="open")] == [kept]
    assert [s["id"] for s in fake.sessions.all(status="expired")] == [expired]


def test_all_of_nothing_is_an_empty_list(fake):
    assert fake.sessions.all() == []


def test_all_returns_the_objects_list_returns(fake):
    fake.sessions.create(**payment_params())

    assert fake.sessions.all() == fake.sessions.list()["data"]


@pytest.mark.parametrize("paging", ["limit", "starting_after", "ending_before"])
def test_all_refuses_paging_params(fake, paging):
    with pytest.raises(TypeError, match=f"takes list filters only, not {paging}"):
        fake.sessions.all(**{paging: 1 if paging == "limit" else "cs_test_x"})


def test_a_bad_filter_is_the_same_error_as_lists(fake):
    with pytest.raises(InvalidRequestError) as from_all:
        fake.sessions.all(status="paid")
    with pytest.raises(InvalidRequestError) as from_list:
        fake.sessions.list(status="paid")
    assert repr(from_all.value) == repr(from_list.value)


def test_every_resource_with_a_list_has_all(fake):
    ada = fake.customers.create(email="ada@example.com")
    fake.customers.create(email="bob@example.com")
    session = fake.sessions.create(**payment_params())
    fake.sessions.expire(session["id"])

    assert [c["id"] for c in fake.customers.all(email="ada@example.com")] == [ada["id"]]
    assert [e["type"] for e in fake.events.all(type="checkout.session.expired")] == [
        "checkout.session.expired"
    ]
    assert len(fake.products.all()) == 1  # the session's price_data made one


def test_a_connected_accounts_all_sees_only_its_sessions(fake):
    fake.sessions.create(**payment_params())
    connected = fake.account("acct_1Connected")
    mine = connected.sessions.create(**payment_params())["id"]

    assert [s["id"] for s in connected.sessions.all()] == [mine]
