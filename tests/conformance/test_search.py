"""Search (``/v1/customers/search``, ``/v1/products/search``, ``/v1/prices/search``) through both
SDK styles: https://docs.stripe.com/search.

Stripe's search index lags writes by up to a minute, so the tests that read back what they just
created are fake-only (a documented divergence: the fake's search is immediately consistent);
the error tests run against Stripe too.
"""

from __future__ import annotations

import pytest
import stripe

from ._support import SdkStyle, assert_stripe_error, ids_of, plain


@pytest.mark.fake_only
def test_customer_search_by_email_substring_and_metadata_returns_a_search_result(
    sdk: SdkStyle,
) -> None:
    customers = sdk.resource("customers")
    amy = customers.create(email="amy@rocketrides.io", metadata={"tier": "gold"})
    customers.create(email="amy@example.com", metadata={"tier": "gold"})
    customers.create(email="bob@rocketrides.io")
    result = customers.search(query="email~'rocketrides' AND metadata['tier']:'gold'")
    assert result["object"] == "search_result"
    assert result["url"] == "/v1/customers/search"
    assert ids_of(result["data"]) == [amy["id"]]
    assert result["has_more"] is False
    assert result["next_page"] is None


@pytest.mark.fake_only
def test_search_pages_follow_next_page_until_has_more_is_false(sdk: SdkStyle) -> None:
    customers = sdk.resource("customers")
    made = [customers.create(email=f"page{n}@example.com", name="Pager") for n in range(3)]
    first = customers.search(query="name:'Pager'", limit=2)
    assert first["has_more"] is True
    second = customers.search(query="name:'Pager'", limit=2, page=first["next_page"])
    assert second["has_more"] is False
    walked = ids_of(first["data"]) + ids_of(second["data"])
    assert sorted(walked) == sorted(ids_of(made))


@pytest.mark.fake_only
def test_search_expands_total_count(sdk: SdkStyle) -> None:
    customers = sdk.resource("customers")
    for n in range(3):
        customers.create(email=f"count{n}@example.com", name="Counted")
    result = customers.search(query="name:'Counted'", limit=1, expand=["total_count"])
    assert plain(result)["total_count"] == 3


@pytest.mark.fake_only
def test_price_search_by_product_and_active(sdk: SdkStyle) -> None:
    product = sdk.resource("products").create(name="Search shirt")
    prices = sdk.resource("prices")
    kept = prices.create(product=product["id"], unit_amount=1200, currency="usd")
    archived = prices.create(product=product["id"], unit_amount=900, currency="usd")
    prices.update(archived["id"], active=False)
    result = prices.search(query=f"product:'{product['id']}' AND active:'true'")
    assert ids_of(result["data"]) == [kept["id"]]


@pytest.mark.fake_only
def test_product_search_by_name_ignores_case(sdk: SdkStyle) -> None:
    products = sdk.resource("products")
    shirt = products.create(name="Blue Shirt")
    products.create(name="Red Mug")
    assert ids_of(products.search(query="name:'blue shirt'")["data"]) == [shirt["id"]]


def test_search_on_an_unsupported_field_is_refused(sdk: SdkStyle) -> None:
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.resource("customers").search(query="nickname:'x'")
    assert_stripe_error(
        info.value,
        stripe.InvalidRequestError,
        status=400,
        param="query",
        message="Field `nickname` is an unsupported search field for resource `customers`. See "
        "http://stripe.com/docs/search#query-fields-for-customers for a list of supported fields.",
    )


def test_a_query_that_does_not_parse_is_refused(sdk: SdkStyle) -> None:
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.resource("products").search(query="asdf")
    assert_stripe_error(
        info.value,
        stripe.InvalidRequestError,
        status=400,
        param="query",
        message="We were unable to parse your search query. Try using the format "
        '`metadata["key"]:"value"` to query for metadata or key:"value" to query for other '
        "fields.",
    )
