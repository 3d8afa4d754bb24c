"""API keys (401) and routes that are not emulated (404).

The SDK refuses to send a request without a key, so keyless requests go through raw
``requests``; everything else goes through the SDK in both styles.
"""

from __future__ import annotations

import pytest
import requests
import stripe

import fakecheckout
from fakecheckout.http.handler import emulated_routes

from ._support import (
    API_BASE,
    SESSIONS_URL,
    UNKNOWN_SESSION,
    Backend,
    ClientStyle,
    SdkStyle,
    assert_stripe_error,
)

UNRECOGNIZED = "Unrecognized request URL ({method}: {path})."
HELP = " Please see https://stripe.com/docs or we can help at https://support.stripe.com/."

# --- API keys -----------------------------------------------------------------------------------


def test_request_without_authorization_is_401_no_api_key(stripe_backend: Backend) -> None:
    response = requests.get(SESSIONS_URL, timeout=30)
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error"
    assert error["message"].startswith(
        "You did not provide an API key. You need to provide your API key in the Authorization "
        "header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY')."
    )


def test_request_with_empty_bearer_token_is_401_no_api_key(stripe_backend: Backend) -> None:
    response = requests.get(SESSIONS_URL, headers={"Authorization": "Bearer "}, timeout=30)
    assert response.status_code == 401
    assert response.json()["error"]["message"].startswith("You did not provide an API key.")


def test_publishable_key_raises_permission_error_with_stripes_publishable_key_message(
    sdk: SdkStyle,
) -> None:
    """The 403 is decided from stripe-ruby's ``PermissionError`` for this message (2025)."""
    with pytest.raises(stripe.PermissionError) as info:
        sdk.retrieve(UNKNOWN_SESSION, api_key="pk_test_fakecheckoutConformance1234")
    assert_stripe_error(
        info.value,
        stripe.PermissionError,
        status=403,
        message="This API call cannot be made with a publishable API key. Please use a secret "
        "API key. You can find a list of your API keys at "
        "https://dashboard.stripe.com/account/apikeys.",
    )


def test_malformed_api_key_raises_authentication_error_401_with_masked_key(
    sdk: SdkStyle,
) -> None:
    with pytest.raises(stripe.AuthenticationError) as info:
        sdk.retrieve(UNKNOWN_SESSION, api_key="sk_test_not-a-real-key-1234")
    assert_stripe_error(
        info.value,
        stripe.AuthenticationError,
        status=401,
        message="Invalid API Key provided: sk_test_" + "*" * len("not-a-real-key-") + "1234",
    )


def test_live_api_key_raises_authentication_error_401(sdk: SdkStyle) -> None:
    with pytest.raises(stripe.AuthenticationError) as info:
        sdk.retrieve(UNKNOWN_SESSION, api_key="sk_live_fakecheckoutConformance1234")
    assert info.value.http_status == 401
    assert info.value.user_message.startswith(
        "Invalid API Key provided: sk_live_" + "*" * len("fakecheckoutConformance") + "1234"
    )


@pytest.mark.fake_only
def test_live_api_key_message_says_only_test_keys_are_accepted(sdk: SdkStyle) -> None:
    with pytest.raises(stripe.AuthenticationError) as info:
        sdk.retrieve(UNKNOWN_SESSION, api_key="sk_live_fakecheckoutConformance1234")
    assert "it never accepts live keys" in info.value.user_message


# --- routes that are not emulated ---------------------------------------------------------------


def test_unknown_route_is_404_unrecognized_request_url(stripe_backend: Backend) -> None:
    path = "/v1/checkout/no_such_resource"
    response = requests.get(API_BASE + path, headers=stripe_backend.auth, timeout=30)
    stripe_backend.forget_unhandled()
    assert response.status_code == 404
    error = response.json()["error"]
    assert (error["type"], error.get("code"), error.get("param")) == (
        "invalid_request_error",
        None,
        None,
    )
    assert error["message"].startswith(UNRECOGNIZED.format(method="GET", path=path) + HELP)


def test_trailing_slash_route_gets_the_list_or_retrieve_hint(stripe_backend: Backend) -> None:
    path = "/v1/checkout/sessions/"
    response = requests.get(API_BASE + path, headers=stripe_backend.auth, timeout=30)
    stripe_backend.forget_unhandled()
    assert response.status_code == 404
    assert response.json()["error"]["message"].startswith(
        UNRECOGNIZED.format(method="GET", path=path) + " If you are trying to list objects, "
        "remove the trailing slash. If you are trying to retrieve an object, make sure you passed "
        "a valid (non-empty) identifier in your code." + HELP
    )


def _retrieve_dispute(sdk: SdkStyle) -> None:
    if isinstance(sdk, ClientStyle):
        sdk.client.v1.disputes.retrieve("dp_x")
    else:
        stripe.Dispute.retrieve("dp_x")


@pytest.mark.fake_only
def test_unknown_route_through_the_sdk_names_the_emulated_routes(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    with pytest.raises(stripe.InvalidRequestError) as info:
        _retrieve_dispute(sdk)
    stripe_backend.forget_unhandled()
    assert_stripe_error(
        info.value,
        stripe.InvalidRequestError,
        status=404,
        message=UNRECOGNIZED.format(method="GET", path="/v1/disputes/dp_x")
        + HELP
        + "\nfakecheckout does not emulate GET /v1/disputes/dp_x; it emulates only these "
        + f"routes: {'; '.join(emulated_routes())}.",
    )


@pytest.mark.fake_only
def test_unknown_route_is_recorded_in_unhandled(sdk: SdkStyle, stripe_backend: Backend) -> None:
    assert stripe_backend.fake is not None
    with pytest.raises(stripe.InvalidRequestError):
        _retrieve_dispute(sdk)
    unhandled = list(stripe_backend.fake.unhandled)
    stripe_backend.forget_unhandled()
    assert unhandled == [("GET", "/v1/disputes/dp_x")]


@pytest.mark.fake_only
def test_strict_fake_stop_raises_unhandled_request_error_after_an_unknown_route(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    fake = stripe_backend.fake
    assert fake is not None
    with pytest.raises(stripe.InvalidRequestError):
        _retrieve_dispute(sdk)
    with pytest.raises(fakecheckout.UnhandledRequestError) as info:
        fake.stop()
    assert info.value.unhandled == [("GET", "/v1/disputes/dp_x")]
    assert "GET /v1/disputes/dp_x" in str(info.value)
