"""``fakecheckout.http.forms``: Stripe's form / query-string codec."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
import responses
import stripe
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stripe._encode import _api_encode

from fakecheckout.core.errors import InvalidRequestError, StripeError
from fakecheckout.http.forms import MAX_DEPTH, MAX_PAIRS, decode, encode

# --- helpers ------------------------------------------------------------------------------------


def sdk_encode(params: dict[str, Any]) -> str:
    """What stripe-python 16.1.0 puts on the wire (``_api_requestor.py``, v1 requests)."""
    return urlencode(list(_api_encode(params))).replace("%5B", "[").replace("%5D", "]")


def indexed(value: Any) -> Any:
    """``value`` as ``decode`` returns it: lists become dicts keyed ``"0"``, ``"1"``, …"""
    if isinstance(value, dict):
        return {key: indexed(item) for key, item in value.items()}
    if isinstance(value, list):
        return {str(position): indexed(item) for position, item in enumerate(value)}
    return value


def assert_string_tree(value: Any) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            assert isinstance(key, str)
            assert_string_tree(item)
    elif isinstance(value, list):
        for item in value:
            assert_string_tree(item)
    else:
        assert isinstance(value, str)


def rejected(text: str | bytes) -> InvalidRequestError:
    with pytest.raises(InvalidRequestError) as caught:
        decode(text)
    assert caught.value.http_status == 400
    assert caught.value.type == "invalid_request_error"
    return caught.value


# --- percent-decoding and splitting -------------------------------------------------------------


def test_plain_pairs_decode_to_strings():
    assert decode("mode=payment&limit=3") == {"mode": "payment", "limit": "3"}


def test_empty_input_decodes_to_an_empty_dict():
    assert decode("") == {}
    assert decode(b"") == {}


def test_plus_is_a_space_and_percent_2b_is_a_plus():
    assert decode("name=T+shirt+%2B1") == {"name": "T shirt +1"}


def test_percent_encoded_utf8_decodes_to_text():
    assert decode("name=Caf%C3%A9+%E2%98%95") == {"name": "Café ☕"}


def test_names_are_percent_decoded_too():
    assert decode("success%5Furl=x") == {"success_url": "x"}


def test_percent_encoded_ampersand_and_equals_do_not_split():
    assert decode("a%26b=c%3Dd%26e") == {"a&b": "c=d&e"}


def test_only_the_first_equals_sign_separates_name_and_value():
    assert decode("success_url=https://x/s?a=1") == {"success_url": "https://x/s?a=1"}


def test_a_semicolon_does_not_separate_pairs():
    assert decode("a=1;b=2") == {"a": "1;b=2"}


def test_empty_pairs_are_skipped():
    assert decode("&&a=1&&b=2&") == {"a": "1", "b": "2"}


def test_a_name_without_an_equals_sign_has_an_empty_value():
    assert decode("a&b=2") == {"a": "", "b": "2"}


def test_blank_values_are_kept_for_nested_keys():
    assert decode("metadata[k]=") == {"metadata": {"k": ""}}


def test_a_blank_value_is_kept_for_a_plain_key():
    assert decode("metadata=") == {"metadata": ""}


def test_bytes_and_text_decode_alike():
    body = "name=Caf%C3%A9&metadata[k]=v+w"
    assert decode(body.encode()) == decode(body)


def test_raw_utf8_bytes_decode_to_text():
    assert decode("name=Café".encode()) == {"name": "Café"}


def test_undecodable_bytes_become_replacement_characters():
    assert decode(b"name=\xff%FE&k\xc3=1") == {"name": "\ufffd\ufffd", "k\ufffd": "1"}


def test_malformed_percent_escapes_are_kept_literally():
    assert decode("a=100%25&b=%zz&c=%") == {"a": "100%", "b": "%zz", "c": "%"}


def test_lone_surrogates_in_text_become_replacement_characters():
    assert set(decode("a=\udc80")["a"]) == {"\ufffd"}


# --- brackets -----------------------------------------------------------------------------------


def test_bracketed_keys_become_nested_dicts():
    assert decode("line_items[0][price_data][currency]=usd") == {
        "line_items": {"0": {"price_data": {"currency": "usd"}}}
    }


def test_numeric_keys_stay_dict_keys():
    assert decode("metadata[0]=x&expand[1]=b&expand[0]=a") == {
        "metadata": {"0": "x"},
        "expand": {"1": "b", "0": "a"},
    }


def test_percent_encoded_brackets_decode_like_literal_ones():
    assert decode("a%5Bb%5D%5B%5D=1&a[b][]=2") == {"a": {"b": ["1", "2"]}}


def test_brackets_in_values_are_plain_text():
    assert decode("name=[x]&m[k]=a[0]") == {"name": "[x]", "m": {"k": "a[0]"}}


def test_sibling_keys_share_their_parent_dict():
    assert decode("m[a]=1&m[b]=2&n=3") == {"m": {"a": "1", "b": "2"}, "n": "3"}


def test_empty_brackets_append_to_an_array():
    assert decode("expand[]=a&expand[]=b") == {"expand": ["a", "b"]}


def test_empty_brackets_after_a_key_append_to_a_nested_array():
    assert decode("a[b][]=1&a[b][]=2") == {"a": {"b": ["1", "2"]}}


def test_hashes_in_an_array_start_a_new_element_when_the_key_repeats():
    assert decode("a[][x]=1&a[][y]=2&a[][x]=3") == {"a": [{"x": "1", "y": "2"}, {"x": "3"}]}


def test_hashes_in_an_array_start_a_new_element_only_when_the_whole_path_repeats():
    assert decode("a[][x][y]=1&a[][x][z]=2") == {"a": [{"x": {"y": "1", "z": "2"}}]}
    assert decode("a[][x][y]=1&a[][x][y]=2") == {"a": [{"x": {"y": "1"}}, {"x": {"y": "2"}}]}


def test_a_path_with_another_array_continues_the_last_element():
    assert decode("a[][b][]=1&a[][b][]=2") == {"a": [{"b": ["1", "2"]}]}


def test_arrays_in_an_array_always_start_a_new_element():
    assert decode("a[][]=1&a[][]=2") == {"a": [["1"], ["2"]]}


def test_a_scalar_and_a_hash_appended_to_one_array_are_separate_elements():
    assert decode("a[]=1&a[][x]=2") == {"a": ["1", {"x": "2"}]}


# --- repeats and conflicts ----------------------------------------------------------------------


def test_a_repeated_plain_key_keeps_the_last_value():
    assert decode("mode=setup&mode=payment") == {"mode": "payment"}


def test_a_repeated_nested_key_keeps_the_last_value():
    assert decode("metadata[k]=1&metadata[k]=2") == {"metadata": {"k": "2"}}


@pytest.mark.parametrize("body", ["a=1&a[b]=2", "a[b]=2&a=1"])
def test_a_scalar_and_a_hash_with_the_same_name_conflict(body):
    error = rejected(body)
    assert error.param == "a"
    assert "hash" in error.message


@pytest.mark.parametrize("body", ["a[b]=1&a[]=2", "a[]=2&a[b]=1", "a[0]=x&a[]=y"])
def test_a_hash_and_an_empty_bracket_array_with_the_same_name_conflict(body):
    error = rejected(body)
    assert error.param == "a"
    assert "hash" in error.message


@pytest.mark.parametrize("body", ["a=1&a[]=2", "a[]=2&a=1"])
def test_a_scalar_and_an_empty_bracket_array_with_the_same_name_conflict(body):
    error = rejected(body)
    assert error.param == "a"
    assert "array" in error.message


def test_a_conflict_names_the_nested_node_in_bracket_form():
    error = rejected("line_items[0][price_data]=x&line_items[0][price_data][currency]=usd")
    assert error.param == "line_items[0][price_data]"


def test_a_conflict_inside_an_appended_element_names_its_position():
    assert rejected("a[][x]=1&a[][x]=2&a[][x][y]=3").param == "a[1][x]"


# --- malformed names and bounds -----------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "=x",
        "[x]=1",
        "[]=1",
        "a[]]=",
        "a[b=1",
        "a]=1",
        "a[b]c=1",
        "a[b[c]]=1",
        "a[b]]=1",
        "%5Bx%5D=1",
    ],
)
def test_empty_or_malformed_names_are_rejected(body):
    assert rejected(body).message.startswith("Invalid parameter name: ")


def test_an_empty_name_is_rejected_without_a_param():
    assert rejected("a=1&=x").param is None


def test_a_malformed_name_is_the_param():
    assert rejected("metadata[k=1").param == "metadata[k"


def test_names_up_to_the_depth_bound_are_accepted():
    expected: Any = "1"
    for _ in range(MAX_DEPTH):
        expected = {"b": expected}
    assert decode("a" + "[b]" * MAX_DEPTH + "=1") == {"a": expected}


def test_names_deeper_than_the_depth_bound_are_rejected():
    error = rejected("a" + "[]" * (MAX_DEPTH + 1) + "=1")
    assert error.param == "a"
    assert str(MAX_DEPTH) in error.message


def test_up_to_the_pair_bound_is_accepted():
    assert len(decode("&".join(f"k{i}=v" for i in range(MAX_PAIRS)))) == MAX_PAIRS


def test_more_pairs_than_the_bound_are_rejected():
    error = rejected("&".join(["a=1"] * (MAX_PAIRS + 1)))
    assert error.param is None
    assert str(MAX_PAIRS) in error.message


def test_a_maximal_body_decodes():
    # The most pairs at the deepest nesting; a quadratic decoder would take minutes here (speed
    # itself is measured by the benchmarks, not asserted).
    body = "&".join(f"a[][x{i}]" + "[y]" * (MAX_DEPTH - 2) + "=v" for i in range(MAX_PAIRS))
    decoded = decode(body)
    assert len(decoded["a"]) == 1
    assert len(decoded["a"][0]) == MAX_PAIRS


# --- encode -------------------------------------------------------------------------------------


def test_encode_nests_dicts_in_brackets():
    assert encode({"a": {"b": {"c": "d"}}}) == "a[b][c]=d"


def test_encode_always_indexes_lists():
    assert encode({"expand": ["x", "y"], "l": [{"p": "1"}]}) == "expand[0]=x&expand[1]=y&l[0][p]=1"


def test_encode_indexes_lists_in_lists():
    assert encode({"a": [["x", "y"]]}) == "a[0][0]=x&a[0][1]=y"


def test_encode_skips_none():
    assert encode({"a": None, "b": {"c": None}, "d": "1"}) == "d=1"


def test_encode_writes_booleans_in_lowercase():
    assert encode({"a": True, "b": False}) == "a=true&b=false"


def test_encode_writes_numbers_with_str():
    assert encode({"a": 5, "b": Decimal("1.50")}) == "a=5&b=1.50"


def test_encode_writes_an_aware_datetime_as_an_epoch():
    moment = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
    assert encode({"expires_at": moment}) == "expires_at=1704067200"


def test_encode_drops_empty_lists_and_dicts():
    assert encode({"a": [], "b": {}, "c": "1"}) == "c=1"


def test_encode_sends_an_empty_string_as_a_blank_value():
    assert encode({"metadata": ""}) == "metadata="


def test_encode_keeps_brackets_literal_and_percent_encodes_the_rest():
    assert encode({"u": "https://x/?id={ID}&a=[b] c"}) == (
        "u=https%3A%2F%2Fx%2F%3Fid%3D%7BID%7D%26a%3D[b]+c"
    )


def test_encode_sends_an_object_with_an_id_as_its_id():
    class Price:
        id = "price_1"

    assert encode({"price": Price()}) == "price=price_1"


def test_encode_sends_scalars_inside_lists_with_str_like_the_sdk():
    assert encode({"a": [True, None, 1]}) == "a[0]=True&a[1]=None&a[2]=1"


# --- the real SDK -------------------------------------------------------------------------------

CREATE_PARAMS: dict[str, Any] = {
    "mode": "payment",
    "success_url": "https://example.com/ok?session_id={CHECKOUT_SESSION_ID}",
    "line_items": [
        {
            "price_data": {
                "currency": "usd",
                "unit_amount": 1099,
                "product_data": {"name": "T-shirt & cap", "metadata": {"sku": "[ts-1]"}},
            },
            "quantity": 2,
        },
        {"price": "price_123", "quantity": 1},
    ],
    "metadata": {"order": "42", "note": ""},
    "expand": ["line_items", "payment_intent"],
    "allow_promotion_codes": True,
    "phone_number_collection": {"enabled": False},
    "shipping_options": [],
    "customer": None,
}

CREATE_TREE = {
    "mode": "payment",
    "success_url": "https://example.com/ok?session_id={CHECKOUT_SESSION_ID}",
    "line_items": {
        "0": {
            "price_data": {
                "currency": "usd",
                "unit_amount": "1099",
                "product_data": {"name": "T-shirt & cap", "metadata": {"sku": "[ts-1]"}},
            },
            "quantity": "2",
        },
        "1": {"price": "price_123", "quantity": "1"},
    },
    "metadata": {"order": "42", "note": ""},
    "expand": {"0": "line_items", "1": "payment_intent"},
    "allow_promotion_codes": "true",
    "phone_number_collection": {"enabled": "false"},
}


def sdk_client() -> stripe.StripeClient:
    return stripe.StripeClient("sk_test_forms", max_network_retries=0)


def test_decode_reads_a_real_sdk_create_request():
    with responses.RequestsMock() as mock:
        mock.add(
            responses.POST,
            "https://api.stripe.com/v1/checkout/sessions",
            json={"id": "cs_test_1", "object": "checkout.session"},
        )
        sdk_client().v1.checkout.sessions.create(params=CREATE_PARAMS)  # type: ignore[arg-type]
        body = mock.calls[0].request.body
    assert isinstance(body, str)
    assert decode(body) == CREATE_TREE
    assert encode(CREATE_PARAMS) == body


def test_decode_reads_a_real_sdk_list_query_string():
    with responses.RequestsMock() as mock:
        mock.add(
            responses.GET,
            "https://api.stripe.com/v1/checkout/sessions",
            json={"object": "list", "data": [], "has_more": False, "url": "/v1/checkout/sessions"},
        )
        sdk_client().v1.checkout.sessions.list(
            params={
                "limit": 3,
                "created": {"gte": 100},
                "customer_details": {"email": "a+b@c.d"},
                "expand": ["data.line_items"],
            }
        )
        url = mock.calls[0].request.url
    assert isinstance(url, str)
    assert decode(urlsplit(url).query) == {
        "limit": "3",
        "created": {"gte": "100"},
        "customer_details": {"email": "a+b@c.d"},
        "expand": {"0": "data.line_items"},
    }


# --- properties ---------------------------------------------------------------------------------

# Characters that stress the codec: separators, escapes, spaces, control and non-ASCII text.
# (An explicit alphabet: it keeps generation fast and hits these far more often than st.text().)
TRICKY = "abz09 +%&=#?/;,._-\x00\t\n\x7f\xe9\u2028\u20ac\u2615\ufffd\U0001f600"
# Keys have no square brackets (Stripe forbids them in metadata keys); values may.
keys = st.text(st.sampled_from(TRICKY), min_size=1, max_size=8)
values = st.text(st.sampled_from(TRICKY + "[]"), max_size=8)


def string_trees(depth: int) -> st.SearchStrategy[Any]:
    leaves = values
    if depth == 0:
        return leaves
    inner = string_trees(depth - 1)
    return st.one_of(
        leaves,
        st.dictionaries(keys, inner, min_size=1, max_size=3),
        st.lists(inner, min_size=1, max_size=3),
    )


@settings(max_examples=100)
@given(st.dictionaries(keys, string_trees(3), max_size=4))
def test_decode_inverts_encode(params):
    assert decode(encode(params)) == indexed(params)


def sdk_values(depth: int) -> st.SearchStrategy[Any]:
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        values,
        st.decimals(allow_nan=False, allow_infinity=False),
        st.datetimes(timezones=st.just(datetime.timezone.utc)),
    )
    if depth == 0:
        return scalars
    inner = sdk_values(depth - 1)
    return st.one_of(
        scalars,
        st.dictionaries(values, inner, max_size=3),
        st.lists(inner, max_size=3),
        st.lists(inner, max_size=3).map(tuple),
    )


@given(st.dictionaries(values, sdk_values(3), max_size=4))
def test_encode_matches_stripe_python_for_any_params(params):
    assert encode(params) == sdk_encode(params)


def decodes_or_raises_a_stripe_error(text: str | bytes) -> None:
    try:
        decoded = decode(text)
    except StripeError as error:
        assert 400 <= error.http_status < 500
        return
    assert isinstance(decoded, dict)
    assert_string_tree(decoded)


PIECES = ["a", "b", "0", "1", "[", "]", "[]", "[a]", "[0]", "=", "&", "%5B", "%5D", "%", "%zz"]
PIECES += ["%C3%A9", "+", " ", "é", "\x00"]


# The first st.text() of a fresh .hypothesis directory builds Hypothesis's Unicode table (~1 s).
@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_any_text_decodes_to_a_string_tree_or_raises_a_stripe_error(text):
    decodes_or_raises_a_stripe_error(text)


@given(st.binary())
def test_any_bytes_decode_to_a_string_tree_or_raise_a_stripe_error(data):
    decodes_or_raises_a_stripe_error(data)


@settings(max_examples=200)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_bracket_soup_decodes_to_a_string_tree_or_raises_a_stripe_error(text):
    decodes_or_raises_a_stripe_error(text)
    decodes_or_raises_a_stripe_error(text.encode("utf-8") + b"\xff")
