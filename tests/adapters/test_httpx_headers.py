"""The httpx door reads a request's headers as ``dict(request.headers)`` would, only faster."""

from __future__ import annotations

import httpx
import pytest

from fakecheckout.adapters.httpx_adapter import _headers


@pytest.mark.parametrize(
    "headers",
    [
        httpx.Headers({"Authorization": "Bearer sk_test_x", "Stripe-Version": "2026-10-28.endive"}),
        httpx.Headers([("Idempotency-Key", "a"), ("idempotency-key", "b")]),
        httpx.Headers([("X-Note", "café")], encoding="utf-8"),
    ],
    ids=["plain", "a repeated name", "not ascii"],
)
def test_the_door_reads_headers_as_httpx_shows_them(headers: httpx.Headers) -> None:
    request = httpx.Request("POST", "https://api.stripe.com/v1/customers", headers=headers)
    assert _headers(request.headers) == dict(request.headers)
