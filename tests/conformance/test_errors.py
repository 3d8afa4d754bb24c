"""API.md's error decision table, row by row, through the ``stripe`` SDK in both styles.

Each test checks the exception class, ``http_status``, the body's ``type``/``code``/``param``
(absent where Stripe leaves them out), ``user_message`` and ``str(e)``.
"""

from __future__ import annotations

import time

import pytest
import stripe

from ._support import (
    UNKNOWN_PRICE,
    UNKNOWN_SESSION,
    Backend,
    SdkStyle,
    assert_stripe_error,
    line_item,
    payment_params,
)

# --- objects that do not exist ------------------------------------------------------------------


def test_retrieve_unknown_session_raises_invalid_request_error_404(sdk: SdkStyle) -> None:
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.retrieve(UNKNOWN_SESSION)
    assert_stripe_error(
        info.value,
        stripe.InvalidRequestError,
        status=404,
        code="resource_missing",
        param="session",  # API.md: unverified (U); a real-mode run confirms or refutes it
        message=f"No such checkout.session: '{UNKNOWN_SESSION}'",
    )


def test_expire_unknown_session_raises_invalid_request_error_404(sdk: SdkStyle) -> None:
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.expire(UNKNOWN_SESSION)
    assert (info.value.http_status, info.value.code) == (404, "resource_missing")


def test_list_line_items_of_unknown_session_raises_invalid_request_error_404(
    sdk: SdkStyle,
) -> None:
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.list_line_items(UNKNOWN_SESSION)
    assert (info.value.http_status, info.value.code) == (404, "resource_missing")


def test_retrieve_unreplaced_session_id_template_raises_invalid_id_error(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.retrieve("{CHECKOUT_SESSION_ID}")
    body = info.value.json_body["error"]  # type: ignore[index]
    assert body["message"] == "Invalid checkout.session id: {CHECKOUT_SESSION_ID}"
    assert (body.get("code"), body.get("param")) == (None, None)


def test_create_with_unknown_price_raises_invalid_request_error_400(sdk: SdkStyle) -> None:
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.create(payment_params(line_items=[{"price": UNKNOWN_PRICE, "quantity": 1}]))
    assert_stripe_error(
        info.value,
        stripe.InvalidRequestError,
        status=400,
        code="resource_missing",
        param="line_items[0][price]",
        message=f"No such price: '{UNKNOWN_PRICE}'",
    )


def test_unknown_price_param_names_the_failing_line_item(sdk: SdkStyle) -> None:
    items = [line_item(), {"price": UNKNOWN_PRICE, "quantity": 1}]
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.create(payment_params(line_items=items))
    assert info.value.param == "line_items[1][price]"


# --- parameters ---------------------------------------------------------------------------------


def test_create_with_unknown_parameter_raises_parameter_unknown(sdk: SdkStyle) -> None:
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.create(payment_params(no_such_param="x"))
    assert_stripe_error(
        info.value,
        stripe.InvalidRequestError,
        status=400,
        code="parameter_unknown",
        param="no_such_param",
        message="Received unknown parameter: no_such_param",
    )


def test_unknown_nested_parameter_is_named_in_bracket_form(sdk: SdkStyle) -> None:
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.create(payment_params(line_items=[{**line_item(), "colour": "red"}]))
    assert (info.value.code, info.value.param, info.value.user_message) == (
        "parameter_unknown",
        "line_items[0][colour]",
        "Received unknown parameter: line_items[0][colour]",
    )


def test_create_without_mode_raises_parameter_missing(sdk: SdkStyle) -> None:
    params = payment_params()
    del params["mode"]
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.create(params)
    assert_stripe_error(
        info.value,
        stripe.InvalidRequestError,
        status=400,
        code="parameter_missing",
        param="mode",
        message="Missing required param: mode.",
    )


def test_create_with_invalid_mode_lists_the_allowed_values(sdk: SdkStyle) -> None:
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.create(payment_params(mode="bogus"))
    assert_stripe_error(
        info.value,
        stripe.InvalidRequestError,
        status=400,
        param="mode",
        message="Invalid mode: must be one of payment, setup, or subscription",
    )


def test_list_with_non_integer_limit_raises_parameter_invalid_integer(sdk: SdkStyle) -> None:
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.list({"limit": "abc"})
    assert_stripe_error(
        info.value,
        stripe.InvalidRequestError,
        status=400,
        code="parameter_invalid_integer",
        param="limit",
        message="Invalid integer: abc",
    )


def test_list_with_limit_0_raises_must_be_at_least_1(sdk: SdkStyle) -> None:
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.list({"limit": 0})
    assert_stripe_error(
        info.value,
        stripe.InvalidRequestError,
        status=400,
        param="limit",
        message="This value must be greater than or equal to 1.",
    )


def test_list_with_limit_101_raises_must_be_at_most_100(sdk: SdkStyle) -> None:
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.list({"limit": 101})
    assert_stripe_error(
        info.value,
        stripe.InvalidRequestError,
        status=400,
        param="limit",
        message="This value must be less than or equal to 100.",
    )


def test_create_with_a_string_for_line_items_raises_invalid_array(sdk: SdkStyle) -> None:
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.create(payment_params(line_items="abc"))
    assert_stripe_error(
        info.value,
        stripe.InvalidRequestError,
        status=400,
        param="line_items",
        message="Invalid array",
    )


def test_create_with_a_string_for_a_hash_raises_invalid_hash(sdk: SdkStyle) -> None:
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.create(payment_params(automatic_tax="yes"))
    assert_stripe_error(
        info.value,
        stripe.InvalidRequestError,
        status=400,
        param="automatic_tax",
        message="Invalid hash",
    )


def test_create_with_unsupported_currency_raises_invalid_currency(sdk: SdkStyle) -> None:
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.create(payment_params(line_items=[line_item(currency="zzz")]))
    assert info.value.http_status == 400
    assert info.value.param == "line_items[0][price_data][currency]"
    assert info.value.user_message.startswith(
        "Invalid currency: zzz. Stripe currently supports these currencies: usd, "
    )


def test_create_with_empty_price_raises_parameter_invalid_empty(sdk: SdkStyle) -> None:
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.create(payment_params(line_items=[{"price": "", "quantity": 1}]))
    name = "line_items[0][price]"
    assert_stripe_error(
        info.value,
        stripe.InvalidRequestError,
        status=400,
        code="parameter_invalid_empty",
        param=name,
        message=f"You passed an empty string for '{name}'. We assume empty values are an attempt "
        f"to unset a parameter; however '{name}' cannot be unset. You should remove '{name}' from "
        "your request or supply a non-empty value.",
    )


def test_create_with_malformed_success_url_raises_url_invalid(sdk: SdkStyle) -> None:
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.create(payment_params(success_url="not a url"))
    assert_stripe_error(
        info.value,
        stripe.InvalidRequestError,
        status=400,
        code="url_invalid",
        param="success_url",
        message="Not a valid URL",
    )


# --- list cursors -------------------------------------------------------------------------------


def test_list_with_both_cursors_raises_pass_only_one(sdk: SdkStyle) -> None:
    first, second = sdk.create(payment_params()), sdk.create(payment_params())
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.list({"starting_after": first["id"], "ending_before": second["id"]})
    assert_stripe_error(
        info.value,
        stripe.InvalidRequestError,
        status=400,
        message="Received both starting_after and ending_before parameters. Please pass in only one.",
    )


@pytest.mark.parametrize("cursor", ["starting_after", "ending_before"])
def test_list_with_unknown_cursor_raises_resource_missing_400(sdk: SdkStyle, cursor: str) -> None:
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.list({cursor: UNKNOWN_SESSION})
    assert_stripe_error(
        info.value,
        stripe.InvalidRequestError,
        status=400,
        code="resource_missing",
        param=cursor,
        message=f"No such checkout.session: '{UNKNOWN_SESSION}'",
    )


# --- Checkout Session rules ---------------------------------------------------------------------


def test_create_with_expires_at_under_30_minutes_raises_too_soon(sdk: SdkStyle) -> None:
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.create(payment_params(expires_at=int(time.time()) + 10 * 60))
    assert_stripe_error(
        info.value,
        stripe.InvalidRequestError,
        status=400,
        message="The `expires_at` timestamp must be at least 30 minutes from Checkout Session "
        "creation.",
    )


def test_create_with_expires_at_over_24_hours_raises_too_late(sdk: SdkStyle) -> None:
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.create(payment_params(expires_at=int(time.time()) + 25 * 60 * 60))
    assert_stripe_error(
        info.value,
        stripe.InvalidRequestError,
        status=400,
        message="The `expires_at` timestamp must be less than 24 hours from Checkout Session "
        "creation.",
    )


def test_expire_of_an_expired_session_raises_only_open_sessions_can_be_expired(
    sdk: SdkStyle,
) -> None:
    session = sdk.create(payment_params())
    sdk.expire(session["id"])
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.expire(session["id"])
    assert_stripe_error(
        info.value,
        stripe.InvalidRequestError,
        status=400,
        message='Only Checkout Sessions with a status in ["open"] can be expired. This Checkout '
        "Session has a status of `expired`.",
    )


@pytest.mark.fake_only
def test_expire_of_a_completed_session_raises_only_open_sessions_can_be_expired(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    assert stripe_backend.fake is not None
    session = sdk.create(payment_params())
    stripe_backend.fake.sessions.complete(session["id"])
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.expire(session["id"])
    assert_stripe_error(
        info.value,
        stripe.InvalidRequestError,
        status=400,
        message='Only Checkout Sessions with a status in ["open"] can be expired. This Checkout '
        "Session has a status of `complete`.",
    )
