"""The list index behind every list: chunked, and the same as one sorted list whatever is added,
removed and read (small chunks here, so splits and emptied chunks happen)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fakecheckout.core.pagination import Key, SortedIndex

keys = st.tuples(st.integers(0, 40), st.integers(0, 3))
operations = st.lists(st.tuples(st.booleans(), keys), max_size=250)


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(SortedIndex, "CHUNK", 3)


def apply(operations: list[tuple[bool, Key]]) -> tuple[SortedIndex, list[Key]]:
    index, model = SortedIndex(), set()
    for adding, key in operations:
        if adding and key not in model:
            index.add(key, f"id{key}")
            model.add(key)
        elif not adding:
            index.remove(key)
            model.discard(key)
    return index, sorted(model)


@given(operations, keys, keys)
def test_descending_reads_the_keys_below_newest_first(
    operations: list[tuple[bool, Key]], below: Key, floor: Key
) -> None:
    index, model = apply(operations)
    expected = [(key, f"id{key}") for key in reversed(model) if floor <= key < below]
    assert list(index.descending(below, floor)) == expected


@given(operations, keys, keys)
def test_ascending_reads_the_keys_above_oldest_first(
    operations: list[tuple[bool, Key]], above: Key, ceiling: Key
) -> None:
    index, model = apply(operations)
    expected = [(key, f"id{key}") for key in model if above < key < ceiling]
    assert list(index.ascending(above, ceiling)) == expected


@given(operations)
def test_length_counts_the_keys_present(operations: list[tuple[bool, Key]]) -> None:
    index, model = apply(operations)
    assert len(index) == len(model)


def test_removing_an_absent_key_changes_nothing() -> None:
    index = SortedIndex()
    index.add((1, 0), "a")
    index.remove((2, 0))
    index.remove((0, 0))
    assert list(index.descending((9, 0), (0, 0))) == [((1, 0), "a")]
