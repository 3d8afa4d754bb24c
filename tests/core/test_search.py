"""Stripe's search query language and search result pages (``fakecheckout.core.search``).

Each test names the example of https://docs.stripe.com/search it checks ("docs: …" below quotes the
page, as crawled and as stripe/agent-toolkit's ``parameters.ts`` quotes it); the error texts come from
stripe-ruby-mock/stripe-ruby-mock, whose price and product specs expect them from Stripe.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fakecheckout.core.errors import StripeError
from fakecheckout.core.search import MAX_QUERY_LENGTH, search_page
from fakecheckout.resources.customers import CustomersAPI
from fakecheckout.resources.prices import PricesAPI
from fakecheckout.resources.products import ProductsAPI

CUSTOMER_FIELDS = CustomersAPI.SEARCH_FIELDS
PRODUCT_FIELDS = ProductsAPI.SEARCH_FIELDS
PRICE_FIELDS = PricesAPI.SEARCH_FIELDS

CUSTOMERS_URL = "/v1/customers/search"
PRICES_URL = "/v1/prices/search"
PRODUCTS_URL = "/v1/products/search"


def make(prefix: str, base: dict[str, Any], number: int, fields: dict[str, Any]) -> dict[str, Any]:
    return {"id": f"{prefix}_{number}", "created": 1_700_000_000 + number, **base, **fields}


def customer(number: int, **fields: Any) -> dict[str, Any]:
    base = {"object": "customer", "email": None, "name": None, "phone": None, "metadata": {}}
    return make("cus", base, number, fields)


def price(number: int, **fields: Any) -> dict[str, Any]:
    base = {"object": "price", "active": True, "currency": "usd", "lookup_key": None}
    base |= {"metadata": {}, "product": "prod_1", "type": "one_time"}
    return make("price", base, number, fields)


def product(number: int, **fields: Any) -> dict[str, Any]:
    base = {"object": "product", "active": True, "description": None, "metadata": {}}
    base |= {"name": f"Product {number}", "shippable": None, "url": None}
    return make("prod", base, number, fields)


def newest_first(objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(objects, key=lambda obj: obj["created"], reverse=True)


def ids(
    objects: list[dict[str, Any]],
    query: str,
    *,
    fields: Mapping[str, Any] = CUSTOMER_FIELDS,
    url: str = CUSTOMERS_URL,
) -> list[str]:
    result = search_page(newest_first(objects), {"query": query, "limit": 100}, fields, url=url)
    return [obj["id"] for obj in result["data"]]


def error_of(
    objects: list[dict[str, Any]],
    params: dict[str, Any],
    *,
    fields: Mapping[str, Any] = CUSTOMER_FIELDS,
    url: str = CUSTOMERS_URL,
) -> StripeError:
    with pytest.raises(StripeError) as caught:
        search_page(newest_first(objects), params, fields, url=url)
    return caught.value


UNPARSEABLE = (
    "We were unable to parse your search query. Try using the format "
    '`metadata["key"]:"value"` to query for metadata or key:"value" to query for other fields.'
)

AMY = customer(1, email="amy@rocketrides.io", name="Amy Rocket", metadata={"key": "value"})
SALLY = customer(2, email="sally@rocketrides.io", name="Sally Ride", metadata={"key": "other"})
XAMY = customer(3, email="xamy", name="Xamy")
NOBODY = customer(4)
PEOPLE = [AMY, SALLY, XAMY, NOBODY]


# --- examples of the docs page ------------------------------------------------------------------


def test_customers_email_search_finds_the_customer_with_that_email() -> None:
    """docs, "Customers email search": ``query="email:'sally@rocketrides.io'"``."""
    assert ids(PEOPLE, "email:'sally@rocketrides.io'") == ["cus_2"]


def test_exact_match_is_case_insensitive() -> None:
    """docs, Search Syntax: ``currency:"eur"`` matches "EUR" in a case-insensitive comparison."""
    prices = [price(1, currency="eur"), price(2, currency="usd")]
    assert ids(prices, 'currency:"EUR"', fields=PRICE_FIELDS, url=PRICES_URL) == ["price_1"]
    assert ids(PEOPLE, 'email:"AMY@RocketRides.io"') == ["cus_1"]


def test_string_exact_match_finds_the_words_of_the_query_in_the_same_order() -> None:
    """docs, field types: ``name:"one two three"`` matches "one two three" and "one two three four"."""
    people = [
        customer(1, name="one two three"),
        customer(2, name="one two three four"),
        customer(3, name="three two one"),
        customer(4, name="one two"),
    ]
    assert ids(people, 'name:"one two three"') == ["cus_2", "cus_1"]


def test_substring_match_finds_the_value_inside_a_longer_one() -> None:
    """docs, Search Syntax: ``email~"amy"`` returns matches for amy@rocketrides.io and xamy."""
    assert ids(PEOPLE, 'email~"amy"') == ["cus_3", "cus_1"]
    assert ids(PEOPLE, 'email~"AMY"') == ["cus_3", "cus_1"]
    assert ids(PEOPLE, 'name~"rOCKET"') == ["cus_1"]


def test_substring_must_be_at_least_three_characters() -> None:
    """docs, Search Syntax: "substrings must be a minimum of 3 characters"."""
    assert ids(PEOPLE, 'name~"amy"') == ["cus_3", "cus_1"]
    error = error_of(PEOPLE, {"query": 'name~"am"'})
    assert (error.http_status, error.type, error.param) == (400, "invalid_request_error", "query")
    assert "at least 3 characters" in error.message


def test_substring_match_is_only_for_string_fields() -> None:
    """docs: "Certain fields such as email and name support substring matching" (token fields
    such as a price's ``currency`` support exact match only)."""
    error = error_of([price(1)], {"query": 'currency~"usd"'}, fields=PRICE_FIELDS, url=PRICES_URL)
    assert error.message.startswith("We were unable to parse your search query.")
    assert "`~`" in error.message


def test_greater_than_on_a_string_returns_an_error() -> None:
    """docs: "Using an unsupported operator, such as specifying greater than (>) on a string,
    returns an error"."""
    error = error_of(PEOPLE, {"query": 'email>"amy"'})
    assert (error.http_status, error.param) == (400, "query")
    assert "`>`" in error.message


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("created>1700000002", ["cus_4", "cus_3"]),
        ("created<1700000002", ["cus_1"]),
        ("created>=1700000002", ["cus_4", "cus_3", "cus_2"]),
        ("created<=1700000002", ["cus_2", "cus_1"]),
        ("created:1700000002", ["cus_2"]),
    ],
)
def test_numeric_comparators_on_created(query: str, expected: list[str]) -> None:
    """docs, query fields for customers: ``created>1620310503`` (numeric)."""
    assert ids(PEOPLE, query) == expected


def test_quotation_marks_are_optional_for_numeric_values() -> None:
    """docs, Search Syntax: ``amount>="10"`` brings up objects where the amount is 10 or greater."""
    assert ids(PEOPLE, 'created>="1700000003"') == ids(PEOPLE, "created>=1700000003")
    assert ids(PEOPLE, 'created>="1700000003"') == ["cus_4", "cus_3"]


def test_a_numeric_field_compared_with_text_is_an_error() -> None:
    """docs: numeric fields take exact match, greater than and less than of numbers."""
    error = error_of(PEOPLE, {"query": 'created>"yesterday"'})
    assert "not a number" in error.message


def test_string_values_need_quotation_marks() -> None:
    """docs, Quotes: "You must use quotation marks around string values"."""
    assert error_of(PEOPLE, {"query": "email:amy@rocketrides.io"}).message == UNPARSEABLE


def test_quotes_inside_quotes_are_escaped_with_a_backslash() -> None:
    """docs, Quotes: ``description:"the story called \\"The Sky and the Sea.\\""``."""
    products = [
        product(1, description='the story called "The Sky and the Sea."'),
        product(2, description="the story called The Sky"),
    ]
    query = r'description:"the story called \"The Sky and the Sea.\""'
    assert ids(products, query, fields=PRODUCT_FIELDS, url=PRODUCTS_URL) == ["prod_1"]


def test_single_and_double_quotes_are_the_same() -> None:
    """docs examples use both: ``email:'sally@rocketrides.io'`` and ``email:"amy@rocketrides.io"``."""
    assert ids(PEOPLE, "email:'sally@rocketrides.io'") == ids(
        PEOPLE, 'email:"sally@rocketrides.io"'
    )


def test_metadata_search_matches_the_value_of_the_key() -> None:
    """docs, Metadata: ``metadata["donation-id"]:"asdf-jkl"``."""
    people = [
        customer(1, metadata={"donation-id": "asdf-jkl"}),
        customer(2, metadata={"donation-id": "other"}),
        customer(3, metadata={"other-key": "asdf-jkl"}),
    ]
    assert ids(people, 'metadata["donation-id"]:"asdf-jkl"') == ["cus_1"]
    assert ids(people, "metadata['donation-id']:'ASDF-JKL'") == ["cus_1"]


def test_negated_null_metadata_clause_finds_objects_that_have_the_key() -> None:
    """docs, Metadata: ``-metadata["donation-id"]:null`` matches records where donation-id is a key."""
    people = [customer(1, metadata={"donation-id": "x"}), customer(2, metadata={"y": "x"})]
    assert ids(people, '-metadata["donation-id"]:null') == ["cus_1"]
    assert ids(people, 'metadata["donation-id"]:null') == ["cus_2"]


def test_null_finds_records_where_the_field_is_empty() -> None:
    """docs, Search Syntax: ``url:null`` returns records where a URL field is empty (any case)."""
    products = [product(1, url="https://example.com/jacket"), product(2, url=None)]
    assert ids(products, "url:null", fields=PRODUCT_FIELDS, url=PRODUCTS_URL) == ["prod_2"]
    assert ids(products, "url:NULL", fields=PRODUCT_FIELDS, url=PRODUCTS_URL) == ["prod_2"]
    assert ids(products, '-url:"null"', fields=PRODUCT_FIELDS, url=PRODUCTS_URL) == [
        "prod_2",
        "prod_1",
    ]


def test_a_dash_negates_the_clause() -> None:
    """docs: ``-email:"amy@rocketrides.io"`` returns records that don't match that email."""
    assert ids(PEOPLE, '-email:"amy@rocketrides.io"') == ["cus_4", "cus_3", "cus_2"]


def test_clauses_separated_by_a_space_must_all_match() -> None:
    """docs: ``email:"amy@rocketrides.io" metadata["key"]:"value"`` matches where both hold."""
    twin = customer(5, email="amy@rocketrides.io", metadata={"key": "no"})
    assert ids([*PEOPLE, twin], 'email:"amy@rocketrides.io" metadata["key"]:"value"') == ["cus_1"]
    query = 'email:"amy@rocketrides.io" AND metadata["key"]:"value"'
    assert ids([*PEOPLE, twin], query) == ["cus_1"]


def test_or_matches_either_clause() -> None:
    """docs, Search Syntax: ``currency:"usd" OR currency:"eur"``."""
    prices = [price(1, currency="usd"), price(2, currency="eur"), price(3, currency="gbp")]
    query = 'currency:"usd" OR currency:"eur"'
    assert ids(prices, query, fields=PRICE_FIELDS, url=PRICES_URL) == ["price_2", "price_1"]


def test_and_and_or_are_case_insensitive() -> None:
    """docs: "using the AND or OR keywords (case insensitive)"."""
    assert ids(PEOPLE, "name:'amy' or name:'sally'") == ["cus_2", "cus_1"]
    assert ids(PEOPLE, "name:'amy' and email~'rocket'") == ["cus_1"]


def test_and_and_or_cannot_be_combined_in_one_query() -> None:
    """docs: "AND and OR operators are mutually exclusive" (a space counts as AND)."""
    for query in ("name:'a' AND name:'b' OR name:'c'", "name:'a' name:'b' OR name:'c'"):
        error = error_of(PEOPLE, {"query": query})
        assert (error.http_status, error.param) == (400, "query")
        assert "AND and OR" in error.message


def test_at_most_ten_clauses() -> None:
    """docs (as Stripe's agent toolkit quotes them): "You can combine up to 10 query clauses"."""
    ten = " AND ".join(["-name:'nobody'"] * 10)
    assert len(ids(PEOPLE, ten)) == 4
    error = error_of(PEOPLE, {"query": ten + " AND -name:'nobody'"})
    assert "at most 10 clauses" in error.message


def test_parentheses_are_not_part_of_the_language() -> None:
    """docs (as Stripe's agent toolkit quotes them): "there's no option to use parentheses"."""
    query = "(name:'amy' OR name:'sally')"
    assert error_of(PEOPLE, {"query": query}).message == UNPARSEABLE


@pytest.mark.parametrize(
    "query",
    ["asdf", "", "   ", "name:", "name:'open", "name:'a' AND", "-", "name 'a'", "name:'a'name:'b'"],
)
def test_a_query_that_is_not_clauses_is_unparseable(query: str) -> None:
    """stripe-ruby-mock's live spec: ``query: 'asdf'`` → "We were unable to parse your search query."."""
    error = error_of(PEOPLE, {"query": query})
    assert (error.http_status, error.type, error.message) == (
        400,
        "invalid_request_error",
        UNPARSEABLE,
    )


def test_a_field_outside_the_resources_query_fields_is_unsupported() -> None:
    """stripe-ruby-mock's live spec: ``foo:"bar"`` on prices → "Field `foo` is an unsupported
    search field for resource `prices`."."""
    error = error_of([price(1)], {"query": 'foo:"bar"'}, fields=PRICE_FIELDS, url=PRICES_URL)
    assert error.message == (
        "Field `foo` is an unsupported search field for resource `prices`. See "
        "http://stripe.com/docs/search#query-fields-for-prices for a list of supported fields."
    )
    assert error.http_status == 400


def test_each_resource_searches_only_its_own_fields() -> None:
    """docs, query fields: ``phone`` is a customer field, ``url`` a product field."""
    assert ids(PEOPLE, 'phone:"+19999999999"') == []
    error = error_of(PEOPLE, {"query": 'url:"/jacket"'})
    assert "unsupported search field for resource `customers`" in error.message


def test_price_fields_active_type_lookup_key_and_product() -> None:
    """docs, query fields for prices: ``active:"true"``, ``type:"recurring"``,
    ``lookup_key:"standard_monthly"``, ``product:"prod_123"``."""
    prices = [
        price(1, lookup_key="standard_monthly", product="prod_123"),
        price(2, active=False, type="recurring", product={"id": "prod_9", "object": "product"}),
    ]

    def search(query: str) -> list[str]:
        return ids(prices, query, fields=PRICE_FIELDS, url=PRICES_URL)

    assert search('active:"true"') == ["price_1"]
    assert search('active:"false"') == ["price_2"]
    assert search('type:"recurring"') == ["price_2"]
    assert search('lookup_key:"standard_monthly"') == ["price_1"]
    assert search('product:"prod_123"') == ["price_1"]
    assert search('product:"prod_9"') == ["price_2"]


def test_product_fields_description_name_shippable_url() -> None:
    """docs, query fields for products: ``description~"t-shirts"``, ``name~"amy"``,
    ``shippable:"true"``, ``url~"/dinosaur_swag"``."""
    products = [
        product(1, description="Our t-shirts", shippable=True, url="https://x.com/dinosaur_swag"),
        product(2, name="Amy's jacket", shippable=False),
    ]

    def search(query: str) -> list[str]:
        return ids(products, query, fields=PRODUCT_FIELDS, url=PRODUCTS_URL)

    assert search('description~"t-shirts"') == ["prod_1"]
    assert search('name~"amy"') == ["prod_2"]
    assert search('shippable:"true"') == ["prod_1"]
    assert search('url~"/dinosaur_swag"') == ["prod_1"]


# --- the search result ----------------------------------------------------------------------------


def test_the_result_is_a_search_result_object() -> None:
    """docs.stripe.com/api/pagination/search: object, url, has_more, data, next_page."""
    result = search_page(
        newest_first(PEOPLE), {"query": "email~'amy'"}, CUSTOMER_FIELDS, url=CUSTOMERS_URL
    )
    assert result == {
        "object": "search_result",
        "data": [XAMY, AMY],
        "has_more": False,
        "next_page": None,
        "url": "/v1/customers/search",
    }


def test_total_count_appears_only_when_expanded() -> None:
    """docs.stripe.com/api/pagination/search: total_count "isn't included by default"."""
    params = {"query": "-name:'nobody'", "limit": 1}
    plain = search_page(newest_first(PEOPLE), params, CUSTOMER_FIELDS, url=CUSTOMERS_URL)
    assert "total_count" not in plain
    counted = search_page(
        newest_first(PEOPLE), params, CUSTOMER_FIELDS, url=CUSTOMERS_URL, include_total_count=True
    )
    assert counted["total_count"] == 4
    second = search_page(
        newest_first(PEOPLE),
        {**params, "page": counted["next_page"]},
        CUSTOMER_FIELDS,
        url=CUSTOMERS_URL,
        include_total_count=True,
    )
    assert second["total_count"] == 4


def test_limit_defaults_to_ten() -> None:
    """docs, search request format: "the default is 10"."""
    people = [customer(number) for number in range(12)]
    result = search_page(
        newest_first(people), {"query": "name:null"}, CUSTOMER_FIELDS, url=CUSTOMERS_URL
    )
    assert len(result["data"]) == 10
    assert result["has_more"] is True


@pytest.mark.parametrize("limit", [0, 101])
def test_limit_ranges_between_1_and_100(limit: int) -> None:
    """docs, search request format: "Limit can range between 1 and 100"."""
    error = error_of(PEOPLE, {"query": "name:null", "limit": limit})
    assert (error.http_status, error.param) == (400, "limit")


def test_next_page_fetches_the_following_results() -> None:
    """docs.stripe.com/api/pagination/search: pass next_page as page for the next results."""
    people = [customer(number, name="Jane") for number in range(5)]
    params: dict[str, Any] = {"query": "name:'jane'", "limit": 2}
    seen: list[str] = []
    pages = 0
    while True:
        result = search_page(newest_first(people), params, CUSTOMER_FIELDS, url=CUSTOMERS_URL)
        pages += 1
        seen += [obj["id"] for obj in result["data"]]
        if not result["has_more"]:
            assert result["next_page"] is None
            break
        params = {**params, "page": result["next_page"]}
    assert seen == ["cus_4", "cus_3", "cus_2", "cus_1", "cus_0"]
    assert pages == 3


def test_results_are_newest_first() -> None:
    """Divergence note: Stripe does not document the order; fakecheckout keeps list order."""
    assert ids(PEOPLE, "-name:'nobody'") == ["cus_4", "cus_3", "cus_2", "cus_1"]


@pytest.mark.parametrize("page", ["garbage", "!!!", "W10", "x" * 6000])
def test_a_page_that_is_not_a_next_page_is_refused(page: str) -> None:
    """docs: page takes "the next_page value returned in a previous response"."""
    error = error_of(PEOPLE, {"query": "name:null", "page": page})
    assert (error.http_status, error.type, error.param) == (400, "invalid_request_error", "page")


def test_a_next_page_of_another_query_is_refused() -> None:
    """docs: page continues "a previous response" of the same search."""
    first = search_page(
        newest_first(PEOPLE), {"query": "-name:'x'", "limit": 1}, CUSTOMER_FIELDS, url=CUSTOMERS_URL
    )
    error = error_of(PEOPLE, {"query": "-name:'y'", "page": first["next_page"]})
    assert error.param == "page"


def test_a_too_long_query_is_refused() -> None:
    """Stripe's OpenAPI spec: query has maxLength 5000."""
    query = "name:'" + "a" * MAX_QUERY_LENGTH + "'"
    assert error_of(PEOPLE, {"query": query}).param == "query"


# --- properties ---------------------------------------------------------------------------------

WORDS = ["amy", "Rocket", "rides", "JANE", "doe", "o'neil", 'say "hi"', "back\\slash"]
EMAILS = ["amy@rocketrides.io", "Xamy@Example.com", "jane.doe@example.com", "o'neil@ex.io", None]
KEYS = ["order", "donation-id", "plan"]
VALUES = ["1", "two", "Three", "asdf-jkl"]
STRING_FIELDS = ["email", "name", "phone"]


@st.composite
def people(draw: st.DrawFn) -> list[dict[str, Any]]:
    count = draw(st.integers(0, 12))
    out = []
    for number in range(count):
        name_words = draw(st.lists(st.sampled_from(WORDS), max_size=3))
        out.append(
            customer(
                number,
                created=draw(st.integers(0, 5)),
                email=draw(st.sampled_from(EMAILS)),
                name=" ".join(name_words) if name_words else None,
                phone=draw(st.sampled_from([None, "", "+19999999999", "+1 555 0100"])),
                metadata=draw(st.dictionaries(st.sampled_from(KEYS), st.sampled_from(VALUES))),
            )
        )
    # Newest first; in one second, the later-created first (as the fake's lists order).
    return sorted(out, key=lambda obj: (obj["created"], int(obj["id"][4:])), reverse=True)


# A generated clause: (negated, field, metadata key, operator, value); value None is ``null``.
GenClause = tuple[bool, str, "str | None", str, "str | int | None"]


@st.composite
def clauses(draw: st.DrawFn) -> GenClause:
    negated = draw(st.booleans())
    shape = draw(st.sampled_from(["phrase", "substring", "created", "metadata", "null"]))
    if shape == "phrase":
        field = draw(st.sampled_from(STRING_FIELDS))
        words = draw(
            st.lists(st.sampled_from(WORDS + ["amy@rocketrides.io"]), min_size=1, max_size=2)
        )
        return negated, field, None, ":", " ".join(words)
    if shape == "substring":
        field = draw(st.sampled_from(STRING_FIELDS))
        source = draw(st.sampled_from([*WORDS, *(email for email in EMAILS if email)]))
        start = draw(st.integers(0, max(len(source) - 3, 0)))
        length = draw(st.integers(3, max(len(source) - start, 3)))
        return negated, field, None, "~", source[start : start + length].swapcase()
    if shape == "created":
        return (
            negated,
            "created",
            None,
            draw(st.sampled_from([":", ">", "<", ">=", "<="])),
            draw(st.integers(-1, 6)),
        )
    if shape == "metadata":
        return (
            negated,
            "metadata",
            draw(st.sampled_from(KEYS)),
            ":",
            draw(st.sampled_from([*VALUES, None])),
        )
    return negated, draw(st.sampled_from(STRING_FIELDS)), None, ":", None


def quote(text: str, mark: str) -> str:
    escaped = text.replace("\\", "\\\\").replace(mark, "\\" + mark)
    return mark + escaped + mark


def render(clause: GenClause, mark: str) -> str:
    negated, field, key, operator, value = clause
    name = field if key is None else f"metadata[{quote(key, mark)}]"
    if value is None:
        shown = "null"
    elif isinstance(value, int):
        shown = str(value)
    else:
        shown = quote(value, mark)
    return ("-" if negated else "") + name + operator + shown


def brute_force(obj: dict[str, Any], clause: GenClause) -> bool:
    """The docs' rules, written out plainly and apart from the module under test."""
    negated, field, key, operator, value = clause
    actual = obj["metadata"].get(key) if key is not None else obj[field]
    if value is None:
        hit = actual in (None, "")
    elif actual in (None, ""):
        hit = False
    elif field == "created":
        assert isinstance(value, int)
        hit = {
            ":": actual == value,
            ">": actual > value,
            "<": actual < value,
            ">=": actual >= value,
            "<=": actual <= value,
        }[operator]
    elif operator == "~":
        hit = str(value).lower() in actual.lower()
    elif key is not None:
        hit = actual.lower() == str(value).lower()
    else:
        padded_value = " " + " ".join(actual.lower().split()) + " "
        padded_query = " " + " ".join(str(value).lower().split()) + " "
        hit = padded_query in padded_value
    return hit != negated


@settings(max_examples=300, deadline=None)
@given(
    objects=people(),
    parts=st.lists(clauses(), min_size=1, max_size=2)
    | st.lists(clauses(), min_size=1, max_size=10),
    combinator=st.sampled_from(["AND", "and", "OR", "or", " "]),
    mark=st.sampled_from(["'", '"']),
    limit=st.integers(1, 5),
)
def test_search_agrees_with_a_brute_force_filter_and_pages_walk_every_match_once(
    objects: list[dict[str, Any]],
    parts: list[GenClause],
    combinator: str,
    mark: str,
    limit: int,
) -> None:
    joiner = "  " if combinator == " " else f" {combinator} "
    query = joiner.join(render(part, mark) for part in parts)
    combine = any if combinator.upper() == "OR" else all
    expected = [obj["id"] for obj in objects if combine(brute_force(obj, part) for part in parts)]

    seen: list[str] = []
    params: dict[str, Any] = {"query": query, "limit": limit}
    for _ in range(len(objects) + 2):
        result = search_page(
            objects, params, CUSTOMER_FIELDS, url=CUSTOMERS_URL, include_total_count=True
        )
        assert result["total_count"] == len(expected)
        assert len(result["data"]) <= limit
        seen += [obj["id"] for obj in result["data"]]
        if not result["has_more"]:
            assert result["next_page"] is None
            break
        assert len(result["data"]) == limit
        params = {**params, "page": result["next_page"]}
    assert seen == expected


@settings(max_examples=200, deadline=None)
@given(
    query=st.text(max_size=60) | st.text(alphabet="-:~<>=\"'\\ []metadaANDOR()nul0123", max_size=60)
)
def test_any_query_gets_a_result_or_a_stripe_error(query: str) -> None:
    """Bad input never produces another exception (BRIEF: no traceback, no hang)."""
    try:
        result = search_page(
            newest_first(PEOPLE), {"query": query}, CUSTOMER_FIELDS, url=CUSTOMERS_URL
        )
    except StripeError as error:
        assert error.http_status == 400
    else:
        assert result["object"] == "search_result"


@settings(max_examples=100, deadline=None)
@given(page=st.text(max_size=80) | st.binary(max_size=60).map(lambda raw: raw.hex()))
def test_any_page_gets_a_result_or_a_stripe_error(page: str) -> None:
    """A made-up ``page`` is a 400 naming ``page``, never another exception."""
    try:
        search_page(
            newest_first(PEOPLE),
            {"query": "name:null", "page": page},
            CUSTOMER_FIELDS,
            url=CUSTOMERS_URL,
        )
    except StripeError as error:
        assert error.param == "page"
