from __future__ import annotations

import contextlib
import datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fakecheckout.core.currencies import SUPPORTED
from fakecheckout.core.errors import StripeError
from fakecheckout.core.param_tree import ENDPOINTS
from fakecheckout.core.params import INTEGER_MAX, INTEGER_MIN, validate
from fakecheckout.core.paramspec import Array, Enum, Map, Node, Object, OneOf, Scalar


def error(endpoint: str, raw: dict[str, Any]) -> StripeError:
    with pytest.raises(StripeError) as caught:
        validate(endpoint, raw)
    return caught.value


def price_data(**overrides: Any) -> dict[str, Any]:
    return {"currency": "usd", "unit_amount": 1099, "product_data": {"name": "T"}, **overrides}


# --- a whole request on both doors --------------------------------------------------------------

PYTHON_CREATE = {
    "mode": "payment",
    "success_url": "https://example.com/ok?id={CHECKOUT_SESSION_ID}",
    "line_items": [
        {"price_data": price_data(unit_amount_decimal=Decimal("10.50")), "quantity": 2},
        {"price": "price_1", "quantity": 1},
    ],
    "metadata": {"a": "1", "b": ""},
    "expand": ["line_items"],
    "allow_promotion_codes": True,
    "expires_at": 1_800_003_600,
}

FORM_CREATE = {
    "mode": "payment",
    "success_url": "https://example.com/ok?id={CHECKOUT_SESSION_ID}",
    "line_items": {
        "0": {
            "price_data": {
                "currency": "usd",
                "unit_amount": "1099",
                "product_data": {"name": "T"},
                "unit_amount_decimal": "10.50",
            },
            "quantity": "2",
        },
        "1": {"price": "price_1", "quantity": "1"},
    },
    "metadata": {"a": "1", "b": ""},
    "expand": {"0": "line_items"},
    "allow_promotion_codes": "true",
    "expires_at": "1800003600",
}

COERCED_CREATE = {
    "mode": "payment",
    "success_url": "https://example.com/ok?id={CHECKOUT_SESSION_ID}",
    "line_items": [
        {"price_data": price_data(unit_amount_decimal="10.5"), "quantity": 2},
        {"price": "price_1", "quantity": 1},
    ],
    "metadata": {"a": "1", "b": ""},
    "expand": ["line_items"],
    "allow_promotion_codes": True,
    "expires_at": 1_800_003_600,
}


def test_python_values_are_coerced():
    assert validate("create", PYTHON_CREATE) == COERCED_CREATE


def test_form_strings_are_coerced_to_the_same_values():
    assert validate("create", FORM_CREATE) == COERCED_CREATE


def test_result_keeps_only_the_given_parameters():
    assert validate("create", {"mode": "setup"}) == {"mode": "setup"}


def test_validate_does_not_change_its_input():
    form = {"line_items": {"0": {"quantity": "2", "price": "price_1"}}}
    validate("create", form)
    assert form == {"line_items": {"0": {"quantity": "2", "price": "price_1"}}}


def test_none_means_not_given():
    assert validate("create", {"mode": None, "line_items": [{"price": "p", "quantity": None}]}) == {
        "line_items": [{"price": "p"}]
    }


def test_none_for_a_required_field_is_missing():
    raw = {"line_items": [{"price_data": price_data(currency=None)}]}
    assert error("create", raw).param == "line_items[0][price_data][currency]"


def test_empty_python_list_or_dict_is_not_given_as_the_sdk_sends_nothing():
    assert validate("create", {"line_items": [], "metadata": {}, "mode": "setup"}) == {
        "mode": "setup"
    }


def test_hash_with_nothing_to_send_inside_is_not_given():
    raw = {"automatic_tax": {"liability": {}}, "metadata": {"a": None}, "mode": "setup"}
    assert validate("create", raw) == {"mode": "setup"}


def test_unknown_parameter_with_nothing_to_send_is_not_sent():
    assert validate("create", {"bogus": None, "other": {}}) == {}


def test_array_item_the_sdk_leaves_out_is_a_gap_in_the_keys():
    err = error("create", {"line_items": [{}, {"price": "p"}]})
    assert err.param == "line_items"
    assert "You passed the keys `1`, we expected to have a key with the value `0`." in err.message


def test_trailing_array_item_the_sdk_leaves_out_is_dropped():
    raw = {"line_items": [{"price": "p"}, {"metadata": {}}]}
    assert validate("create", raw) == {"line_items": [{"price": "p"}]}


def test_unknown_endpoint_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown endpoint"):
        validate("delete", {})


# --- unknown and missing ------------------------------------------------------------------------


def test_unknown_top_level_parameter():
    err = error("create", {"bogus": "1"})
    assert (err.code, err.param, err.message) == (
        "parameter_unknown",
        "bogus",
        "Received unknown parameter: bogus",
    )


@pytest.mark.parametrize(
    "line_items", [[{"price": "p", "bogus": 1}], {"0": {"price": "p", "bogus": "1"}}]
)
def test_unknown_nested_parameter_names_its_bracket_path(line_items):
    err = error("create", {"line_items": line_items})
    assert err.param == "line_items[0][bogus]"
    assert err.message == "Received unknown parameter: line_items[0][bogus]"


def test_unknown_parameter_deep_in_a_hash_names_its_bracket_path():
    raw = {"line_items": [{"price_data": price_data(product_data={"name": "T", "x": "1"})}]}
    assert error("create", raw).param == "line_items[0][price_data][product_data][x]"


def test_retrieve_takes_only_expand():
    assert error("retrieve", {"line_items": {"limit": "3"}}).param == "line_items"


def test_update_rejects_a_create_only_parameter():
    assert error("update", {"success_url": "https://example.com"}).code == "parameter_unknown"


def test_request_options_are_unknown_parameters():
    assert error("create", {"idempotency_key": "k"}).param == "idempotency_key"


@pytest.mark.parametrize(
    "line_items",
    [
        [{"price_data": {"unit_amount": 5, "product_data": {"name": "T"}}}],
        {"0": {"price_data": {"unit_amount": "5", "product_data": {"name": "T"}}}},
    ],
)
def test_missing_required_sub_field_names_its_bracket_path(line_items):
    err = error("create", {"line_items": line_items})
    assert (err.code, err.param, err.message) == (
        "parameter_missing",
        "line_items[0][price_data][currency]",
        "Missing required param: line_items[0][price_data][currency].",
    )


def test_missing_required_field_of_a_top_level_hash():
    err = error("create", {"automatic_tax": {"liability": {"type": "self"}}})
    assert (err.code, err.param) == ("parameter_missing", "automatic_tax[enabled]")


# --- integers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"), [(5, 5), ("5", 5), ("-5", -5), ("007", 7), (Decimal("12"), 12)]
)
def test_integer_accepts_ints_and_digit_strings(given, expected):
    assert validate("list", {"limit": given}) == {"limit": expected}


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("abc", "abc"),
        ("5.0", "5.0"),
        (5.0, "5.0"),
        (True, "true"),
        (" 5", " 5"),
        ("+5", "+5"),
        ("\u0665", "\u0665"),
        (b"5", "b'5'"),
    ],
)
def test_integer_rejects_anything_else_showing_what_was_sent(given, shown):
    err = error("list", {"limit": given})
    assert (err.code, err.param, err.message) == (
        "parameter_invalid_integer",
        "limit",
        f"Invalid integer: {shown}",
    )


@pytest.mark.parametrize("given", [2**63, -(2**63) - 1, str(2**63), "1" * 30])
def test_integer_outside_64_bits_is_invalid(given):
    assert error("create", {"expires_at": given}).code == "parameter_invalid_integer"


@pytest.mark.parametrize("given", [INTEGER_MAX, INTEGER_MIN, str(INTEGER_MAX), str(INTEGER_MIN)])
def test_integer_at_64_bit_bounds_is_accepted(given):
    assert validate("create", {"expires_at": given}) == {"expires_at": int(given)}


def test_integer_too_large_to_print_is_invalid_without_printing_it():
    err = error("create", {"expires_at": 10**5000})
    assert err.message == "Invalid integer: <an integer of more than 1000 digits>"


def test_aware_datetime_for_an_integer_is_unix_seconds_as_the_sdk_sends_it():
    moment = datetime.datetime(2027, 1, 15, 8, 0, tzinfo=datetime.timezone.utc)
    assert validate("create", {"expires_at": moment}) == {"expires_at": int(moment.timestamp())}


def test_integer_inside_an_array_element_names_its_path():
    err = error("create", {"line_items": {"0": {"price": "p", "quantity": "two"}}})
    assert err.param == "line_items[0][quantity]"


# --- booleans, decimals, numbers ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"), [(True, True), (False, False), ("true", True), ("false", False)]
)
def test_boolean_accepts_bools_and_their_strings(given, expected):
    assert validate("create", {"allow_promotion_codes": given}) == {
        "allow_promotion_codes": expected
    }


@pytest.mark.parametrize("given", ["True", "1", 1, 0, "yes", {"a": "b"}])
def test_boolean_rejects_anything_else(given):
    err = error("create", {"allow_promotion_codes": given})
    assert err.param == "allow_promotion_codes"
    assert err.message.startswith("Invalid boolean: ")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("10.50", "10.5"),
        (Decimal("10.50"), "10.5"),
        (1099, "1099"),
        ("1099", "1099"),
        (0.5, "0.5"),
        ("007.10", "7.1"),
        ("-0.0", "0"),
        (".5", "0.5"),
        ("5.", "5"),
        (Decimal("1E-7"), "0.0000001"),
        (Decimal("1E+2"), "100"),
        ("0.000000000001", "0.000000000001"),
    ],
)
def test_decimal_is_returned_as_a_normalized_string(given, expected):
    raw = {"line_items": [{"price_data": price_data(unit_amount_decimal=given)}]}
    checked = validate("create", raw)
    assert checked["line_items"][0]["price_data"]["unit_amount_decimal"] == expected


@pytest.mark.parametrize(
    "given", ["abc", "NaN", "Infinity", "1e999", "1,5", "", " 1", "1_000", True, float("inf")]
)
def test_decimal_rejects_anything_else(given):
    raw = {"line_items": [{"price_data": price_data(unit_amount_decimal=given)}]}
    err = error("create", raw)
    assert err.param == "line_items[0][price_data][unit_amount_decimal]"
    assert err.code == ("parameter_invalid_empty" if given == "" else None)


@pytest.mark.parametrize(
    "given", ["0.0000000000001", "10.1234567890123", Decimal("1E-13"), 1.0000000000001]
)
def test_unit_amount_decimal_takes_at_most_12_decimal_places(given):
    raw = {"line_items": [{"price_data": price_data(unit_amount_decimal=given)}]}
    err = error("create", raw)
    assert (err.param, err.message) == (
        "line_items[0][price_data][unit_amount_decimal]",
        f"Invalid decimal: {given}",
    )


def test_unit_amount_decimal_with_trailing_zeros_past_12_places_is_accepted():
    raw = {"line_items": [{"price_data": price_data(unit_amount_decimal="1.500000000000000")}]}
    assert validate("create", raw)["line_items"][0]["price_data"]["unit_amount_decimal"] == "1.5"


@pytest.mark.parametrize(("given", "expected"), [("12.5", 12.5), (12.5, 12.5), (3, 3.0)])
def test_float_parameter_is_a_number(given, expected):
    raw = {"subscription_data": {"application_fee_percent": given}}
    assert validate("create", raw) == {"subscription_data": {"application_fee_percent": expected}}


def test_float_parameter_rejects_text():
    raw = {"subscription_data": {"application_fee_percent": "lots"}}
    err = error("create", raw)
    assert (err.param, err.message) == (
        "subscription_data[application_fee_percent]",
        "Invalid decimal: lots",
    )


# --- strings, enums, currencies, URLs -----------------------------------------------------------


def test_python_int_where_a_string_belongs_is_its_text():
    assert validate("create", {"client_reference_id": 42}) == {"client_reference_id": "42"}


@pytest.mark.parametrize("given", [{"a": "b"}, ["a"], b"bytes"])
def test_hash_array_or_bytes_where_a_string_belongs_is_invalid_string(given):
    err = error("create", {"client_reference_id": given})
    assert err.param == "client_reference_id"
    assert err.message.startswith("Invalid string: ")


def test_string_longer_than_5000_characters_is_too_long():
    assert validate("create", {"client_reference_id": "x" * 5000})
    err = error("create", {"client_reference_id": "x" * 5001})
    assert (err.param, err.message) == (
        "client_reference_id",
        "Invalid client_reference_id: must be at most 5000 characters",
    )


@pytest.mark.parametrize("given", ["bogus", "PAYMENT", 1])
def test_enum_rejects_other_values_listing_stripes_in_order(given):
    err = error("create", {"mode": given})
    assert (err.param, err.message) == (
        "mode",
        "Invalid mode: must be one of payment, setup, or subscription",
    )


def test_enum_with_two_values_uses_or():
    err = error("create", {"customer_creation": "never"})
    assert err.message == "Invalid customer_creation: must be one of if_required or always"


@pytest.mark.parametrize("types", [["card", "bogus"], {"0": "card", "1": "bogus"}])
def test_enum_inside_an_array_names_its_index(types):
    assert error("create", {"allowed_payment_method_types": types}).param == (
        "allowed_payment_method_types[1]"
    )


@pytest.mark.parametrize("given", ["usd", "USD", "Usd"])
def test_currency_is_accepted_in_any_case_and_returned_lowercase(given):
    assert validate("create", {"currency": given}) == {"currency": "usd"}


def test_unknown_currency_lists_the_supported_ones():
    err = error("create", {"line_items": [{"price_data": price_data(currency="zzz")}]})
    assert err.param == "line_items[0][price_data][currency]"
    assert err.message == (
        "Invalid currency: zzz. Stripe currently supports these currencies: " + ", ".join(SUPPORTED)
    )


def test_currency_options_keys_must_be_currencies():
    fixed = {"amount": 500, "currency": "usd", "currency_options": {"EUR": {"amount": "450"}}}
    raw = {
        "shipping_options": [{"shipping_rate_data": {"display_name": "S", "fixed_amount": fixed}}]
    }
    checked = validate("create", raw)
    options = checked["shipping_options"][0]["shipping_rate_data"]["fixed_amount"]
    assert options["currency_options"] == {"eur": {"amount": 450}}
    fixed["currency_options"] = {"zzz": {"amount": "450"}}
    err = error("create", raw)
    assert err.param == (
        "shipping_options[0][shipping_rate_data][fixed_amount][currency_options][zzz]"
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/ok?session_id={CHECKOUT_SESSION_ID}",
        "http://localhost:3000/done",
        "https://shop.example.co.uk",
        "https://[::1]:8443/x",
    ],
)
def test_url_accepts_absolute_http_urls(url):
    assert validate("create", {"success_url": url}) == {"success_url": url}


@pytest.mark.parametrize(
    "url",
    [
        "example.com/ok",
        "/relative",
        "ftp://example.com",
        "https://",
        "https:///path",
        "https://exa mple.com",
        "https://example.com:port/",
        "javascript:alert(1)",
        "https://{CHECKOUT_SESSION_ID}/x",
    ],
)
def test_url_rejects_anything_but_absolute_http_urls(url):
    err = error("create", {"success_url": url})
    assert (err.code, err.param, err.message) == ("url_invalid", "success_url", "Not a valid URL")


# --- arrays -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "expand",
    [
        ["a", "b"],
        ("a", "b"),
        {"0": "a", "1": "b"},
        {"1": "b", "0": "a"},
        {0: "a", 1: "b"},
    ],
)
def test_array_is_a_list_in_index_order(expand):
    assert validate("retrieve", {"expand": expand}) == {"expand": ["a", "b"]}


def test_array_with_a_gap_names_the_key_it_expected():
    err = error("retrieve", {"expand": {"1": "a"}})
    assert err.param == "expand"
    assert "You passed the keys `1`, we expected to have a key with the value `0`." in err.message


def test_array_with_non_numeric_keys_is_not_sequential():
    err = error("retrieve", {"expand": {"0": "a", "x": "b"}})
    assert "You passed the keys `0`, `x`, we expected to have a key with the value `1`." in (
        err.message
    )


@pytest.mark.parametrize("expand", ["line_items", 5])
def test_scalar_where_an_array_belongs_is_invalid_array(expand):
    err = error("retrieve", {"expand": expand})
    assert (err.param, err.message) == ("expand", "Invalid array")


def test_empty_string_inside_an_array_cannot_be_unset():
    err = error("retrieve", {"expand": [""]})
    assert (err.code, err.param) == ("parameter_invalid_empty", "expand[0]")


def test_none_inside_an_array_is_an_invalid_item():
    err = error("retrieve", {"expand": ["a", None]})
    assert (err.param, err.message) == ("expand[1]", "Invalid string: None")


def test_emptyable_array_accepts_empty_string():
    assert validate("update", {"shipping_options": ""}) == {"shipping_options": ""}


def test_non_emptyable_array_rejects_empty_string():
    assert error("retrieve", {"expand": ""}).code == "parameter_invalid_empty"


def test_array_of_arrays_from_the_form_is_rejected_item_by_item():
    err = error("retrieve", {"expand": [["a"]]})
    assert (err.param, err.message) == ("expand[0]", "Invalid string: ['a']")


# --- hashes and metadata ------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["x", ["a"], 5])
def test_non_hash_where_a_hash_belongs_is_invalid_hash(value):
    err = error("create", {"automatic_tax": value})
    assert (err.param, err.message) == ("automatic_tax", "Invalid hash")


def test_string_where_metadata_belongs_is_invalid_hash():
    assert error("create", {"metadata": "x"}).message == "Invalid hash"


def test_emptyable_hash_accepts_empty_string():
    assert validate("update", {"metadata": ""}) == {"metadata": ""}


def test_non_emptyable_hash_rejects_empty_string():
    err = error("create", {"metadata": ""})
    assert (err.code, err.param) == ("parameter_invalid_empty", "metadata")


def test_empty_string_for_a_scalar_that_cannot_be_unset():
    err = error("create", {"line_items": [{"price": ""}]})
    assert (err.code, err.param) == ("parameter_invalid_empty", "line_items[0][price]")
    assert err.message.startswith("You passed an empty string for 'line_items[0][price]'.")


def test_emptyable_scalar_accepts_empty_string():
    raw = {"payment_intent_data": {"description": ""}}
    assert validate("update", raw) == raw


def test_metadata_value_may_be_empty_to_unset_the_key():
    assert validate("update", {"metadata": {"a": ""}}) == {"metadata": {"a": ""}}


def test_metadata_values_are_strings():
    assert validate("create", {"metadata": {"n": 5, "b": True}}) == {
        "metadata": {"n": "5", "b": "true"}
    }


def test_metadata_value_that_is_a_hash_is_invalid_string():
    err = error("create", {"metadata": {"a": {"b": "c"}}})
    assert err.param == "metadata[a]"
    assert err.message.startswith("Invalid string: ")


def test_metadata_key_longer_than_40_characters_is_rejected():
    assert validate("create", {"metadata": {"k" * 40: "v"}})
    err = error("create", {"metadata": {"k" * 41: "v"}})
    assert err.param == f"metadata[{'k' * 41}]"
    assert err.message.startswith("Metadata keys can have up to 40 characters")


def test_metadata_value_longer_than_500_characters_is_rejected():
    assert validate("create", {"metadata": {"k": "v" * 500}})
    err = error("create", {"metadata": {"k": "v" * 501}})
    assert err.param == "metadata[k]"
    assert err.message.startswith("Metadata values can have up to 500 characters")


def test_metadata_with_more_than_50_keys_is_rejected():
    assert validate("create", {"metadata": {str(i): "v" for i in range(50)}})
    err = error("create", {"metadata": {str(i): "v" for i in range(51)}})
    assert err.param == "metadata"
    assert "up to 50 keys" in err.message


@pytest.mark.parametrize("key", ["", "a[b]", "a]"])
def test_metadata_key_that_cannot_be_written_in_brackets_is_invalid_hash(key):
    err = error("create", {"metadata": {key: "v"}})
    assert (err.param, err.message) == ("metadata", "Invalid hash")


def test_nested_metadata_limits_name_their_path():
    raw = {"line_items": [{"price": "p", "metadata": {"k": "v" * 501}}]}
    assert error("update", raw).param == "line_items[0][metadata][k]"


# --- created: integer or range ------------------------------------------------------------------


@pytest.mark.parametrize("given", [1_800_000_000, "1800000000"])
def test_created_accepts_an_integer(given):
    assert validate("list", {"created": given}) == {"created": 1_800_000_000}


@pytest.mark.parametrize("given", [{"gte": 10, "lt": 20}, {"gte": "10", "lt": "20"}])
def test_created_accepts_a_range(given):
    assert validate("list", {"created": given}) == {"created": {"gte": 10, "lt": 20}}


def test_created_range_rejects_unknown_bounds():
    assert error("list", {"created": {"after": "1"}}).param == "created[after]"


def test_created_range_bound_must_be_an_integer():
    err = error("list", {"created": {"gte": "soon"}})
    assert (err.code, err.param) == ("parameter_invalid_integer", "created[gte]")


def test_created_text_is_an_invalid_integer():
    assert error("list", {"created": "yesterday"}).code == "parameter_invalid_integer"


# --- junk ---------------------------------------------------------------------------------------


def test_deeply_nested_junk_is_a_stripe_error():
    deep: Any = "x"
    for _ in range(50_000):
        deep = [deep]
    assert error("create", {"metadata": {"k": deep}}).param == "metadata[k]"
    assert error("create", {"client_reference_id": {"a": deep}}).param == "client_reference_id"


def test_non_string_keys_are_read_as_the_sdk_writes_them():
    assert validate("create", {"metadata": {7: 1}}) == {"metadata": {"7": "1"}}
    assert error("create", {7: "x"}).param == "7"


# --- properties ---------------------------------------------------------------------------------

_VALID: dict[int, st.SearchStrategy[Any]] = {}
_JUNKY: dict[int, st.SearchStrategy[Any]] = {}


def _valid(node: Node) -> st.SearchStrategy[Any]:
    """Python values that are valid for ``node``, as a caller of the SDK would pass them."""
    if id(node) not in _VALID:
        _VALID[id(node)] = st.deferred(lambda: _build_valid(node))
    return _VALID[id(node)]


def _build_valid(node: Node) -> st.SearchStrategy[Any]:
    if isinstance(node, Scalar):
        return {
            "string": st.text(min_size=1, max_size=8),
            "integer": st.integers(INTEGER_MIN, INTEGER_MAX),
            "boolean": st.booleans(),
            "decimal": st.one_of(
                st.integers(-(10**9), 10**9),
                st.decimals(places=3, allow_nan=False, allow_infinity=False),
                st.from_regex(r"-?[0-9]{1,6}(\.[0-9]{1,12})?", fullmatch=True),
            ),
            "number": st.integers(-(10**6), 10**6).map(lambda i: i / 100),
            "url": st.from_regex(
                r"https?://[a-z]{1,8}\.com(/[a-z0-9]{0,6})?(\?id=\{CHECKOUT_SESSION_ID\})?",
                fullmatch=True,
            ),
            "currency": st.sampled_from(SUPPORTED),
        }[node.kind]
    if isinstance(node, Enum):
        return st.sampled_from(node.values)
    if isinstance(node, Array):
        return st.lists(_valid(node.items), min_size=1, max_size=2)
    if isinstance(node, Map):
        keys: st.SearchStrategy[str] = (
            st.sampled_from(SUPPORTED)
            if node.kind == "currency"
            else st.text(st.characters(exclude_characters="[]"), min_size=1, max_size=6)
        )
        return st.dictionaries(keys, st.just("") | _valid(node.values), min_size=1, max_size=2)
    if isinstance(node, OneOf):
        return st.one_of([_valid(option) for option in node.options])
    return _object(node)


def _object(node: Object) -> st.SearchStrategy[dict[str, Any]]:
    """A valid hash: every required field and one or two optional ones, often nested ones."""
    fields = {
        name: st.just("") | _valid(spec.node) if spec.emptyable else _valid(spec.node)
        for name, spec in node.fields.items()
    }
    optional = sorted(set(node.fields) - set(node.required))
    nested = [name for name in optional if not isinstance(node.fields[name].node, (Scalar, Enum))]
    names = st.sampled_from(optional)
    if nested:
        names = names | st.sampled_from(nested)
    chosen = st.sets(names, min_size=1, max_size=2) if optional else st.just(set())
    return chosen.flatmap(
        lambda names: st.fixed_dictionaries(
            {name: fields[name] for name in [*node.required, *sorted(names)]}
        )
    )


_NOTHING = object()


def _to_form(value: Any, data: st.DataObject) -> Any:
    """``value`` as the form decoder hands it over: string leaves, arrays as indexed hashes (in
    any order) or as ``a[]`` lists, and what the SDK sends nothing for (``{}``) left out."""
    if isinstance(value, dict):
        rendered = {key: _to_form(item, data) for key, item in value.items()}
        kept = {key: item for key, item in rendered.items() if item is not _NOTHING}
        return kept or _NOTHING
    if isinstance(value, list):
        items = [_to_form(item, data) for item in value]
        if not any(item is not _NOTHING for item in items):
            return _NOTHING
        if all(item is not _NOTHING for item in items) and data.draw(st.booleans()):
            return items
        order = data.draw(st.permutations(range(len(items))))
        return {str(index): items[index] for index in order if items[index] is not _NOTHING}
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _outcome(endpoint: str, raw: Any) -> Any:
    try:
        return validate(endpoint, {} if raw is _NOTHING else raw)
    except StripeError as err:
        return (err.param, err.message)


ENDPOINT_NAMES = st.sampled_from(sorted(name for name in ENDPOINTS if ENDPOINTS[name].fields))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_form_strings_validate_like_the_python_values_they_render(data):
    endpoint = data.draw(ENDPOINT_NAMES)
    python = data.draw(_object(ENDPOINTS[endpoint]))
    assert _outcome(endpoint, _to_form(python, data)) == _outcome(endpoint, python)


_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=2**63, max_value=2**70),
    st.just(5000).map(lambda digits: 10**digits),
    st.floats(),
    st.decimals(),
    st.text(max_size=6),
    st.binary(max_size=4),
    st.sampled_from(["", "true", "1", "-1.5", "usd", "https://x.com", "0", "1e99999"]),
    st.datetimes(),
)
_KEYS = st.one_of(st.text(max_size=4), st.sampled_from(["0", "1", "2", "email"]), st.integers(0, 3))
_JUNK = st.recursive(
    _LEAVES,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_KEYS, children, max_size=3),
    max_leaves=8,
)


def _junky(node: Node) -> st.SearchStrategy[Any]:
    """Values shaped like ``node`` with junk anywhere inside, or plain junk."""
    if id(node) not in _JUNKY:
        _JUNKY[id(node)] = st.deferred(lambda: _build_junky(node))
    return _JUNKY[id(node)]


def _mostly(usual: st.SearchStrategy[Any], rare: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """``usual`` seven times in eight, so that junk also reaches deep into the tree."""
    return st.integers(0, 7).flatmap(lambda pick: rare if pick == 0 else usual)


def _build_junky(node: Node) -> st.SearchStrategy[Any]:
    if isinstance(node, Object):
        pairs: st.SearchStrategy[Any] = st.tuples(_KEYS, _JUNK)
        if node.fields:  # an endpoint without parameters (a delete) gets junk only
            known = st.sampled_from(sorted(node.fields)).flatmap(
                lambda name: st.tuples(st.just(name), _junky(node.fields[name].node))
            )
            pairs = _mostly(known, pairs)
        shaped: st.SearchStrategy[Any] = st.lists(pairs, max_size=3).map(dict)
    elif isinstance(node, Array):
        inner = _junky(node.items)
        shaped = st.lists(inner, max_size=2) | st.dictionaries(_KEYS, inner, max_size=2)
    elif isinstance(node, Map):
        shaped = st.dictionaries(_KEYS, _junky(node.values), max_size=2)
    elif isinstance(node, OneOf):
        shaped = st.one_of([_junky(option) for option in node.options])
    else:
        shaped = _valid(node)
    return _mostly(shaped, _JUNK)


def _corrupt(value: Any, data: st.DataObject) -> Any:
    """``value`` with one node, at a random depth, replaced by junk."""
    if isinstance(value, dict) and value and data.draw(st.integers(0, 3)):
        keys = sorted(value, key=str)
        nested = [key for key in keys if isinstance(value[key], (dict, list))]
        key = data.draw(st.sampled_from(nested if nested and data.draw(st.booleans()) else keys))
        return {**value, key: _corrupt(value[key], data)}
    if isinstance(value, list) and value and data.draw(st.integers(0, 3)):
        index = data.draw(st.integers(0, len(value) - 1))
        return [*value[:index], _corrupt(value[index], data), *value[index + 1 :]]
    return data.draw(_JUNK)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_junk_shaped_like_the_tree_never_raises_anything_but_a_stripe_error(data):
    endpoint = data.draw(ENDPOINT_NAMES)
    shaped = _junky(ENDPOINTS[endpoint]).filter(lambda value: isinstance(value, dict))
    raw = data.draw(shaped | st.dictionaries(_KEYS, _JUNK, max_size=2))
    with contextlib.suppress(StripeError):
        validate(endpoint, raw)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_junk_deep_inside_valid_params_never_raises_anything_but_a_stripe_error(data):
    endpoint = data.draw(ENDPOINT_NAMES)
    valid = data.draw(_object(ENDPOINTS[endpoint]))
    if data.draw(st.booleans()):
        valid = _to_form(valid, data)
    raw = _corrupt({} if valid is _NOTHING else valid, data)
    if isinstance(raw, dict):
        with contextlib.suppress(StripeError):
            validate(endpoint, raw)
