"""Encoded JSON text is spliced into an answer unchanged, and reused only while what it was made
from is unchanged."""

from __future__ import annotations

import json
import pickle
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from fakecheckout.core.encoded import Encoded, EncodedCache, dumps, encode, encode_value, member

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)
pages = st.fixed_dictionaries(
    {
        "object": st.just("list"),
        "data": st.lists(st.dictionaries(st.text(max_size=5), json_values), max_size=4),
        "has_more": st.booleans(),
        "url": st.text(max_size=10),
    }
)

COMPACT = {"separators": (",", ":")}


@given(pages, st.data())
def test_a_page_of_encoded_items_is_the_json_of_the_page_of_their_values(
    page: dict[str, Any], data: st.DataObject
) -> None:
    items: list[Any] = [encode(item) if data.draw(st.booleans()) else item for item in page["data"]]
    assert dumps({**page, "data": items}) == json.dumps(page, **COMPACT)


@given(json_values)
def test_an_encoded_result_is_sent_as_it_is(value: Any) -> None:
    assert dumps(encode(value)) == json.dumps(value, **COMPACT)


def test_the_cache_gives_the_same_text_while_the_fields_are_equal() -> None:
    cache = EncodedCache()
    fields = {"id": "cs_1", "metadata": {"a": "1"}}
    renders: list[int] = []

    def render() -> Encoded:
        renders.append(1)
        return encode(fields)

    first = cache.get("cs_1", "v1", fields, render)
    assert cache.get("cs_1", "v1", {"id": "cs_1", "metadata": {"a": "1"}}, render) is first
    assert len(renders) == 1


def test_a_change_inside_the_stored_fields_renders_afresh() -> None:
    cache = EncodedCache()
    fields: dict[str, Any] = {"id": "cs_1", "metadata": {"a": "1"}}
    cache.get("cs_1", "v1", fields, lambda: encode(fields))
    fields["metadata"]["a"] = "2"  # changed in place, as an update may do
    text = cache.get("cs_1", "v1", fields, lambda: encode(fields))
    assert json.loads(text)["metadata"] == {"a": "2"}


def test_another_context_renders_afresh() -> None:
    cache = EncodedCache()
    fields = {"id": "cs_1"}
    cache.get("cs_1", "v1", fields, lambda: encode({"shape": 1}))
    assert json.loads(cache.get("cs_1", "v2", fields, lambda: encode({"shape": 2}))) == {"shape": 2}


def test_the_cache_keeps_only_the_most_recently_used() -> None:
    cache = EncodedCache(size=2)
    for name in ("a", "b", "a", "c"):
        cache.get(name, None, {"id": name}, lambda name=name: encode({"id": name}))
    assert len(cache) == 2
    assert json.loads(cache.get("a", None, {"id": "a"}, lambda: encode({"id": "x"}))) == {"id": "a"}
    assert json.loads(cache.get("b", None, {"id": "b"}, lambda: encode({"id": "new"}))) == {
        "id": "new"
    }


def test_a_pickled_cache_comes_back_empty() -> None:
    cache = EncodedCache(size=3)
    cache.get("a", None, {"id": "a"}, lambda: encode({"id": "a"}))
    copy = pickle.loads(pickle.dumps(cache))
    assert len(copy) == 0
    copy.get("b", None, {"id": "b"}, lambda: encode({"id": "b"}))
    assert len(copy) == 1


@given(json_values)
def test_a_member_is_the_json_of_its_name_and_value(value: Any) -> None:
    assert "{" + member("name", value) + "}" == json.dumps({"name": value}, **COMPACT)


@given(st.floats(allow_nan=False) | st.integers() | st.text() | st.booleans())
def test_a_scalar_is_encoded_as_the_encoder_writes_it(value: Any) -> None:
    assert encode_value(value) == json.dumps(value, **COMPACT)
