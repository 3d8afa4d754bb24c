"""``Stripe-Account``: a connected account's sessions live in their own namespace (fake-only:
the real mode would need a connected account)."""

from __future__ import annotations

import pytest
import stripe

from ._support import Backend, SdkStyle, assert_stripe_error, ids_of, payment_params

pytestmark = pytest.mark.fake_only

ACCOUNT = "acct_1"


def test_session_of_a_connected_account_is_retrieved_with_its_header(sdk: SdkStyle) -> None:
    session = sdk.create(payment_params(), stripe_account=ACCOUNT)
    assert sdk.retrieve(session["id"], stripe_account=ACCOUNT)["id"] == session["id"]


def test_session_of_a_connected_account_is_missing_without_the_header(sdk: SdkStyle) -> None:
    session = sdk.create(payment_params(), stripe_account=ACCOUNT)
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.retrieve(session["id"])
    assert (info.value.http_status, info.value.code) == (404, "resource_missing")


def test_platform_list_leaves_out_a_connected_accounts_sessions(sdk: SdkStyle) -> None:
    platform = sdk.create(payment_params())
    sdk.create(payment_params(), stripe_account=ACCOUNT)
    assert ids_of(sdk.list()["data"]) == [platform["id"]]


def test_connected_account_list_holds_only_its_own_sessions(sdk: SdkStyle) -> None:
    sdk.create(payment_params())
    connected = sdk.create(payment_params(), stripe_account=ACCOUNT)
    assert ids_of(sdk.list(stripe_account=ACCOUNT)["data"]) == [connected["id"]]


def test_connected_accounts_session_is_in_the_fakes_account_namespace(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    assert stripe_backend.fake is not None
    session = sdk.create(payment_params(), stripe_account=ACCOUNT)
    found = stripe_backend.fake.account(ACCOUNT).sessions.retrieve(session["id"])
    assert found["id"] == session["id"]


def test_malformed_stripe_account_raises_permission_error_403(sdk: SdkStyle) -> None:
    with pytest.raises(stripe.PermissionError) as info:
        sdk.list(stripe_account="not_an_account")
    key = sdk.backend.api_key
    masked = "sk_test_" + "*" * (len(key) - len("sk_test_") - 4) + key[-4:]
    assert_stripe_error(
        info.value,
        stripe.PermissionError,
        status=403,
        code="account_invalid",
        message=f"The provided key '{masked}' does not have access to account 'not_an_account' "
        "(or that account does not exist). Application access may have been revoked.",
    )
