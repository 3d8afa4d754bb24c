"""How the handler reads a request's URL: host (lower-cased, without user, port or trailing dot),
path (``/`` when empty) and query, from a full URL or from a path alone; never raising."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fakecheckout.http.handler import _split_url


@pytest.mark.parametrize(
    ("url", "parts"),
    [
        (
            "https://api.stripe.com/v1/checkout/sessions?limit=3",
            ("api.stripe.com", "/v1/checkout/sessions", "limit=3"),
        ),
        ("/v1/checkout/sessions?limit=3", ("", "/v1/checkout/sessions", "limit=3")),
        ("HTTPS://user@API.Stripe.COM.:443/v1?q", ("api.stripe.com", "/v1", "q")),
        ("https://[::1]:8080/v1/x", ("::1", "/v1/x", "")),
        ("https://files.stripe.com", ("files.stripe.com", "/", "")),
        ("https://connect.stripe.com?x=1", ("connect.stripe.com", "/", "x=1")),
        ("https://api.stripe.com/v1/x?a=1#fragment?b=2", ("api.stripe.com", "/v1/x", "a=1")),
        ("https://api.stripe.com#/v1/x", ("api.stripe.com", "/", "")),
    ],
)
def test_a_url_splits_into_host_path_and_query(url: str, parts: tuple[str, str, str]) -> None:
    assert _split_url(url) == parts


@given(st.lists(st.sampled_from([*"ab:/?#@[].%A", "https://", "stripe.com"])).map("".join))
def test_any_text_splits_without_raising(url: str) -> None:
    host, path, query = _split_url(url)
    assert host == host.lower()
    assert path  # "/" at least, for a URL with nothing after its host
    assert "#" not in path + query  # the fragment is never sent
