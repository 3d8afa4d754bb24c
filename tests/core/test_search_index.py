"""The search postings (``fakecheckout.core.search_index``): a selective search reads only the
objects that can match, and answers exactly what reading every object answers."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fakecheckout import FakeCheckout, ManualClock
from fakecheckout.core.search import search_page

from .conftest import START
from .test_search import (
    CUSTOMER_FIELDS,
    CUSTOMERS_URL,
    EMAILS,
    KEYS,
    VALUES,
    WORDS,
    GenClause,
    clauses,
    render,
)


def new_fake() -> FakeCheckout:
    return FakeCheckout(clock=ManualClock(START), seed=3)


def every_customer(fake: FakeCheckout) -> list[dict[str, Any]]:
    """All live customers, newest first, through the public list (the oracle reads them all)."""
    return fake.customers.all()


def scanned(fake: FakeCheckout, params: dict[str, Any], counting: bool) -> dict[str, Any]:
    """The page a search that reads every customer gives."""
    return search_page(
        every_customer(fake),
        params,
        CUSTOMER_FIELDS,
        url=CUSTOMERS_URL,
        include_total_count=counting,
    )


def searched(fake: FakeCheckout, params: dict[str, Any], counting: bool) -> dict[str, Any]:
    expand = ["total_count"] if counting else []
    return fake.customers.search(**params, expand=expand)


def summary(result: dict[str, Any]) -> tuple[Any, ...]:
    return (
        [obj["id"] for obj in result["data"]],
        result["has_more"],
        result["next_page"],
        result.get("total_count"),
    )


def always(count: int) -> bool:
    return True


# --- examples -----------------------------------------------------------------------------------


def test_an_exact_email_search_reads_only_the_customers_holding_that_email() -> None:
    fake = new_fake()
    for number in range(50):
        fake.customers.create(email=f"c{number}@example.com")
    store = fake.customers._store
    found = store.search.candidates(
        "email:'C7@example.com'",
        CUSTOMER_FIELDS,
        fake.customers._searchable,
        lambda: store.by_id,
        always,
    )
    assert found is not None
    assert [store.by_id[object_id].fields["email"] for object_id in found] == ["c7@example.com"]


def test_the_postings_forget_a_value_once_no_customer_holds_it() -> None:
    fake = new_fake()
    customer = fake.customers.create(email="old@example.com")
    fake.customers.search(query="email:'old@example.com'")
    fake.customers.update(customer["id"], email="new@example.com")
    store = fake.customers._store
    found = store.search.candidates(
        "email:'old@example.com'", CUSTOMER_FIELDS, fake.customers._searchable, list, always
    )
    assert found == set()


@pytest.mark.parametrize(
    ("resource", "field", "old", "new"),
    [
        ("customers", "email", "old@example.com", "new@example.com"),
        ("products", "name", "Blue", "Red"),
    ],
)
def test_an_object_is_found_by_its_new_value_and_not_its_old_one_after_an_update(
    resource: str, field: str, old: str, new: str
) -> None:
    api = getattr(new_fake(), resource)
    made = api.create(**{field: old})
    assert len(api.search(query=f"{field}:'{old}'")["data"]) == 1
    api.update(made["id"], **{field: new})
    assert api.search(query=f"{field}:'{old}'")["data"] == []
    assert [obj["id"] for obj in api.search(query=f"{field}:'{new}'")["data"]] == [made["id"]]


def test_the_postings_ignore_case_as_the_query_language_does() -> None:
    fake = new_fake()
    fake.customers.create(name="Jane ROCKET", metadata={"plan": "Gold"})
    for query in ("name:'jane rocket'", "name:'JANE'", "metadata['plan']:'gOLD'"):
        assert [c["name"] for c in fake.customers.search(query=query)["data"]] == ["Jane ROCKET"]


def test_a_deactivated_price_leaves_a_search_for_active_prices_of_its_product() -> None:
    fake = new_fake()
    product = fake.products.create(name="Mug")
    kept, dropped = (
        fake.prices.create(product=product["id"], currency="usd", unit_amount=amount)
        for amount in (500, 700)
    )
    query = f"product:'{product['id']}' AND active:'true'"
    assert {p["id"] for p in fake.prices.search(query=query)["data"]} == {kept["id"], dropped["id"]}
    fake.prices.update(dropped["id"], active=False)
    assert [p["id"] for p in fake.prices.search(query=query)["data"]] == [kept["id"]]


def test_a_deleted_customer_leaves_the_search_results() -> None:
    fake = new_fake()
    customer = fake.customers.create(metadata={"plan": "gold"})
    assert len(fake.customers.search(query="metadata['plan']:'gold'")["data"]) == 1
    fake.customers.delete(customer["id"])
    assert fake.customers.search(query="metadata['plan']:'gold'")["data"] == []


def test_a_restored_snapshot_searches_its_own_objects() -> None:
    fake = new_fake()
    fake.customers.create(email="kept@example.com")
    snapshot = fake.snapshot()
    fake.customers.create(email="later@example.com")
    assert len(fake.customers.search(query="email:'later@example.com'")["data"]) == 1
    fake.restore(snapshot)
    assert fake.customers.search(query="email:'later@example.com'")["data"] == []
    assert len(fake.customers.search(query="email:'kept@example.com'")["data"]) == 1


def test_a_loaded_dump_searches_its_objects() -> None:
    fake = new_fake()
    fake.customers.create(name="Jane Doe")
    fake.customers.search(query="name:'jane'")  # the postings exist before the dump
    loaded = FakeCheckout.load(fake.dump())
    assert [c["name"] for c in loaded.customers.search(query="name:'doe'")["data"]] == ["Jane Doe"]


def test_a_query_whose_clauses_narrow_nothing_reads_every_object() -> None:
    fake = new_fake()
    fake.customers.create(email="a@example.com")
    store = fake.customers._store
    for query in (
        "-email:'a@example.com'",
        "email~'example'",
        "created>0",
        "email:null",
        "email:'a@example.com' OR created>0",
        "unknown:'x'",
        "email:",
    ):
        found = store.search.candidates(
            query, CUSTOMER_FIELDS, fake.customers._searchable, lambda: store.by_id, always
        )
        assert found is None, query


def test_candidates_too_many_to_be_cheaper_than_reading_everything_are_not_gathered() -> None:
    fake = new_fake()
    for _ in range(10):
        fake.customers.create(metadata={"tier": "gold"})
    store = fake.customers._store
    counts: list[int] = []

    def worth(count: int) -> bool:
        counts.append(count)
        return count < 5

    query = "metadata['tier']:'gold'"
    assert (
        store.search.candidates(
            query, CUSTOMER_FIELDS, fake.customers._searchable, lambda: store.by_id, worth
        )
        is None
    )
    assert counts == [10]


def test_the_next_page_after_a_deleted_cursor_object_is_the_scans() -> None:
    fake = new_fake()
    for number in range(5):
        fake.customers.create(metadata={"plan": "gold"}, name=f"n{number}")
    first = fake.customers.search(query="metadata['plan']:'gold'", limit=2)
    fake.customers.delete(first["data"][-1]["id"])
    params = {"query": "metadata['plan']:'gold'", "limit": 2, "page": first["next_page"]}
    assert summary(searched(fake, params, True)) == summary(scanned(fake, params, True))


def test_a_cursor_object_that_stopped_matching_still_marks_where_the_next_page_starts() -> None:
    fake = new_fake()
    for number in range(3):  # all in one second: the list order is newest created first
        fake.customers.create(metadata={"plan": "gold"}, name=f"n{number}")
    first = fake.customers.search(query="metadata['plan']:'gold'", limit=1)
    assert [c["name"] for c in first["data"]] == ["n2"]
    fake.customers.update(first["data"][0]["id"], metadata={"plan": "silver"})
    following = fake.customers.search(
        query="metadata['plan']:'gold'", limit=1, page=first["next_page"]
    )
    assert [c["name"] for c in following["data"]] == ["n1"]


def test_a_next_page_of_a_scanned_search_starts_right_after_the_cursor_object() -> None:
    fake = new_fake()
    for number in range(4):  # all in one second
        fake.customers.create(name=f"customer {number}")
    names: list[str] = []
    params: dict[str, Any] = {"query": "name~'custom'", "limit": 1}  # a substring: no postings
    while True:
        page = fake.customers.search(**params)
        names += [c["name"] for c in page["data"]]
        if not page["has_more"]:
            break
        params["page"] = page["next_page"]
    assert names == ["customer 3", "customer 2", "customer 1", "customer 0"]


def test_a_next_page_after_a_deleted_cursor_object_starts_at_the_next_older_second() -> None:
    fake = new_fake()
    clock = fake.clock
    assert isinstance(clock, ManualClock)
    for second in range(3):
        for number in range(2):
            fake.customers.create(name=f"s{second} n{number}")
        clock.advance(1)
    first = fake.customers.search(query="-name:null", limit=1)  # a negation: no postings
    fake.customers.delete(first["data"][0]["id"])
    params = {"query": "-name:null", "limit": 2, "page": first["next_page"]}
    following = fake.customers.search(**params)
    assert [c["name"] for c in following["data"]] == ["s1 n1", "s1 n0"]
    assert summary(following) == summary(scanned(fake, params, False))


# --- the invariant ------------------------------------------------------------------------------

people = st.fixed_dictionaries(
    {},
    optional={
        "email": st.sampled_from([email for email in EMAILS if email]),
        "name": st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join),
        "phone": st.sampled_from(["+19999999999", "+1 555 0100"]),
        "metadata": st.dictionaries(st.sampled_from(KEYS), st.sampled_from(VALUES), max_size=2),
    },
)
changes = st.fixed_dictionaries(
    {},
    optional={
        "email": st.sampled_from([email for email in EMAILS if email]),
        "name": st.sampled_from([*WORDS, "amy doe"]),
        "metadata": st.dictionaries(st.sampled_from(KEYS), st.sampled_from([*VALUES, ""])),
    },
)
steps = st.one_of(
    st.tuples(st.just("create"), people, st.integers(0, 1)),
    st.tuples(st.just("update"), changes, st.integers(0, 30)),
    st.tuples(st.just("delete"), st.just({}), st.integers(0, 30)),
    st.tuples(st.just("search"), st.just({}), st.integers(0, 1)),
)


@settings(max_examples=200, deadline=None)
@given(
    history=st.lists(steps, max_size=25),
    parts=st.lists(clauses(), min_size=1, max_size=3),
    combinator=st.sampled_from([" AND ", " OR "]),
    limit=st.integers(1, 4),
    counting=st.booleans(),
    meddle=st.sampled_from(["nothing", "delete", "update"]),
    swap=st.booleans(),
)
def test_every_page_of_a_search_is_what_reading_every_object_gives(
    history: list[tuple[str, dict[str, Any], int]],
    parts: list[GenClause],
    combinator: str,
    limit: int,
    counting: bool,
    meddle: str,
    swap: bool,
) -> None:
    """Creates, updates and deletes before and after the postings exist (a search builds them),
    and a change to the cursor object between two pages, never make the two disagree."""
    fake = new_fake()
    clock = fake.clock
    assert isinstance(clock, ManualClock)
    if swap:  # every comparison ignores case
        parts = [
            (*part[:4], part[4].swapcase() if isinstance(part[4], str) else part[4])
            for part in parts
        ]
    query = combinator.join(render(part, "'") for part in parts)
    for action, data, number in history:
        live = [customer["id"] for customer in every_customer(fake)]
        if action == "create":
            fake.customers.create(**data)
            clock.advance(number)  # some customers share a second
        elif action == "search":
            fake.customers.search(query=query)
        elif live and action == "update":
            fake.customers.update(live[number % len(live)], **data)
        elif live and action == "delete":
            fake.customers.delete(live[number % len(live)])

    params: dict[str, Any] = {"query": query, "limit": limit}
    for _ in range(30):
        page = searched(fake, params, counting)
        assert summary(page) == summary(scanned(fake, params, counting))
        if not page["has_more"]:
            break
        last = page["data"][-1]["id"]
        if meddle == "delete":
            fake.customers.delete(last)
        elif meddle == "update":
            fake.customers.update(last, email="x@example.com", name="x", phone="0", metadata="")
        params = {**params, "page": page["next_page"]}
