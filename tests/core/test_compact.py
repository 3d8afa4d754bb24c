"""Stored objects kept in key-sharing dicts behave exactly like the dicts they were made from."""

from __future__ import annotations

import json
import sys
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from fakecheckout.core.compact import compact
from fakecheckout.resources.products import product_object

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)
objects = st.dictionaries(st.text(max_size=8), json_values, max_size=25).map(
    lambda fields: {"object": "thing", **fields}
)


@given(objects)
def test_a_compact_object_equals_the_original_in_keys_order_and_values(
    fields: dict[str, Any],
) -> None:
    stored = compact(fields)
    assert type(stored) is dict
    assert stored == fields
    assert list(stored) == list(fields)
    assert json.dumps(stored) == json.dumps(fields)


@given(objects, objects)
def test_changing_one_compact_object_leaves_the_others_of_its_kind_alone(
    first: dict[str, Any], second: dict[str, Any]
) -> None:
    one, other = compact(first), compact(second)
    before = dict(other)
    one["added"] = 1
    for name in list(one)[:2]:
        del one[name]
    assert other == before == second


def test_objects_of_one_kind_share_their_keys_and_take_less_memory() -> None:
    made = [product_object(product_id=f"prod_{n}", created=n, name="T-shirt") for n in range(3)]
    stored = [compact(fields) for fields in made]
    assert sys.getsizeof(stored[2]) < sys.getsizeof(made[2])
