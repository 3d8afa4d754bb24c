"""How a stored event keeps its object: JSON compressed against a dictionary per object type."""

from __future__ import annotations

import json
import zlib

from fakecheckout.core.events import pack, pack_object, unpack


def session_like(number: int) -> dict[str, object]:
    return {
        "id": f"cs_test_{number:08d}",
        "object": "test.packed_object",
        "amount_total": 1000 + number,
        "metadata": {"order": str(number)},
        "status": "expired",
        "url": None,
    }


def test_an_object_packed_against_its_types_dictionary_unpacks_to_its_json() -> None:
    pack_object(session_like(1))
    data, zdict = pack_object(session_like(2))
    assert json.loads(unpack(data, zdict)) == session_like(2)


def test_objects_of_one_type_share_one_dictionary() -> None:
    _, first = pack_object(session_like(3))
    _, second = pack_object(session_like(4))
    assert first is second


def test_a_later_object_of_a_type_packs_smaller_than_plain_zlib() -> None:
    pack_object(session_like(5))
    data, _ = pack_object(session_like(6))
    assert len(data) < len(zlib.compress(json.dumps(session_like(6)).encode(), 9))


def test_a_value_without_an_object_type_is_plain_zlib() -> None:
    data, zdict = pack_object({"metadata": {"order": "1"}})
    assert (zdict, json.loads(zlib.decompress(data))) == (None, {"metadata": {"order": "1"}})


def test_plain_zlib_data_unpacks_whatever_dictionary_is_given() -> None:
    _, zdict = pack_object(session_like(7))
    assert json.loads(unpack(pack({"a": 1}), zdict)) == {"a": 1}


def test_an_object_larger_than_the_compression_window_unpacks_to_its_json() -> None:
    big = {**session_like(8), "object": "test.large_object", "metadata": {}}
    big["metadata"] = {f"key_{i}": "v" * 400 for i in range(50)}  # ~21 KB of JSON
    pack_object(big)
    bigger = {**big, "id": "cs_test_larger", "amount_total": 1}
    data, zdict = pack_object(bigger)
    assert json.loads(unpack(data, zdict)) == bigger


def test_data_packed_with_zlib_s_full_window_still_unpacks() -> None:
    """Events in a dump made before the window shrank: 32 KB window and dictionary."""
    zdict = json.dumps(session_like(9)).encode()
    compressor = zlib.compressobj(1, zlib.DEFLATED, zlib.MAX_WBITS, 8, zdict=zdict)
    data = compressor.compress(json.dumps(session_like(10)).encode()) + compressor.flush()
    assert json.loads(unpack(data, zdict)) == session_like(10)
