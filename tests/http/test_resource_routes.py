"""Customers, products, prices and the account through the request handler (raw HTTP)."""

from __future__ import annotations

import json
from typing import Any

from fakecheckout import FakeCheckout, ManualClock

AUTH = {"Authorization": "Bearer sk_test_123"}


def call(
    fake: FakeCheckout, method: str, url: str, body: bytes = b"", **headers: str
) -> tuple[int, dict[str, str], Any]:
    status, response_headers, payload = fake.handle(method, url, {**AUTH, **headers}, body)
    return status, response_headers, json.loads(payload)


def test_delete_a_customer_with_http_delete() -> None:
    fake = FakeCheckout(clock=ManualClock(1_800_000_000))
    _, _, customer = call(fake, "POST", "/v1/customers", b"email=a%40example.com")
    status, _, deleted = call(fake, "DELETE", f"/v1/customers/{customer['id']}")
    assert (status, deleted) == (200, {"id": customer["id"], "object": "customer", "deleted": True})


def test_a_price_from_a_form_with_nested_recurring_and_product_data() -> None:
    fake = FakeCheckout(clock=ManualClock(1_800_000_000))
    body = (
        b"currency=usd&unit_amount=1200&recurring[interval]=year&product_data[name]=Annual"
        b"&lookup_key=annual&expand[0]=product"
    )
    status, _, price = call(fake, "POST", "/v1/prices", body)
    assert status == 200
    assert (price["recurring"]["interval"], price["product"]["name"]) == ("year", "Annual")
    _, _, listed = call(fake, "GET", "/v1/prices?lookup_keys[]=annual")
    assert [p["id"] for p in listed["data"]] == [price["id"]]


def test_stripe_account_with_the_platforms_own_id_is_the_platform() -> None:
    fake = FakeCheckout(clock=ManualClock(1_800_000_000))
    _, _, customer = call(fake, "POST", "/v1/customers", b"name=Platform")
    status, _, found = call(
        fake, "GET", f"/v1/customers/{customer['id']}", **{"Stripe-Account": fake.account_id}
    )
    assert (status, found["name"]) == (200, "Platform")


def test_a_connected_account_has_its_own_customers() -> None:
    fake = FakeCheckout(clock=ManualClock(1_800_000_000))
    _, _, customer = call(fake, "POST", "/v1/customers", b"name=Platform")
    status, _, missing = call(
        fake, "GET", f"/v1/customers/{customer['id']}", **{"Stripe-Account": "acct_1Other"}
    )
    assert status == 404
    assert missing["error"]["code"] == "resource_missing"


def test_get_account_answers_the_platform_and_a_connected_account_by_id() -> None:
    fake = FakeCheckout(clock=ManualClock(1_800_000_000))
    _, _, platform = call(fake, "GET", "/v1/account")
    _, _, connected = call(fake, "GET", "/v1/account", **{"Stripe-Account": "acct_1Other"})
    assert (platform["id"], platform["object"]) == (fake.account_id, "account")
    assert connected["id"] == "acct_1Other"


def test_an_unknown_parameter_of_a_customer_create_is_400_parameter_unknown() -> None:
    fake = FakeCheckout(clock=ManualClock(1_800_000_000))
    status, _, error = call(fake, "POST", "/v1/customers", b"colour=blue")
    assert status == 400
    assert error["error"]["code"] == "parameter_unknown"
    assert error["error"]["param"] == "colour"
    assert fake.customers.list()["data"] == []


def test_an_idempotency_key_is_shared_by_the_platform_with_and_without_its_own_id() -> None:
    fake = FakeCheckout(clock=ManualClock(1_800_000_000))
    key = {"Idempotency-Key": "once"}
    _, _, first = call(fake, "POST", "/v1/customers", b"name=A", **key)
    _, headers, again = call(
        fake, "POST", "/v1/customers", b"name=A", **key, **{"Stripe-Account": fake.account_id}
    )
    assert again == first
    assert headers["Idempotent-Replayed"] == "true"
    assert len(fake.customers.list()["data"]) == 1
