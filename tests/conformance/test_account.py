"""The platform account: ``GET /v1/account`` and ``Stripe-Account`` naming the platform itself."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import stripe

from ._support import Backend, ClientStyle, SdkStyle, payment_params, plain

ACCOUNT_EXAMPLE = json.loads(
    (Path(__file__).parents[1] / "fixtures" / "account.example.json").read_text()
)
"""Stripe's own example ``account`` (from its OpenAPI fixtures)."""


def retrieve_account(sdk: SdkStyle) -> Any:
    if isinstance(sdk, ClientStyle):
        return sdk.client.v1.accounts.retrieve_current()
    return stripe.Account.retrieve()


def test_retrieve_the_account_has_every_field_of_stripes_example(sdk: SdkStyle) -> None:
    account = retrieve_account(sdk)
    assert set(plain(account)) == set(ACCOUNT_EXAMPLE)
    assert account["object"] == "account"
    assert account["id"].startswith("acct_")
    assert set(plain(account["settings"])) == set(ACCOUNT_EXAMPLE["settings"])
    assert set(plain(account["business_profile"])) == set(ACCOUNT_EXAMPLE["business_profile"])


@pytest.mark.fake_only
def test_the_account_is_the_fakes_account_id(sdk: SdkStyle, stripe_backend: Backend) -> None:
    assert stripe_backend.fake is not None
    assert retrieve_account(sdk)["id"] == stripe_backend.fake.account_id


def test_stripe_account_naming_the_platform_reaches_the_platforms_sessions(
    sdk: SdkStyle,
) -> None:
    """dj-stripe re-retrieves with ``Stripe-Account: <its own id>``; Stripe answers as if the
    header were absent."""
    platform = retrieve_account(sdk)["id"]
    session = sdk.create(payment_params())
    again = sdk.retrieve(session["id"], stripe_account=platform)
    assert again["id"] == session["id"]
    listed = sdk.list({"limit": 1}, stripe_account=platform)
    assert [item["id"] for item in listed["data"]] == [session["id"]]


@pytest.mark.fake_only
def test_the_account_id_is_reproducible_with_a_seed() -> None:
    from fakecheckout import FakeCheckout

    assert FakeCheckout(seed=4).account_id == FakeCheckout(seed=4).account_id
    assert FakeCheckout(seed=4).account_id != FakeCheckout(seed=5).account_id
