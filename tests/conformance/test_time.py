"""Time-based expiry through the SDK, driven by the fake's ``ManualClock`` (fake-only)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import stripe

from fakecheckout import ManualClock

from ._support import SdkStyle, assert_stripe_error, ids_of, payment_params

pytestmark = pytest.mark.fake_only

START = 1_900_000_000
DAY = 24 * 60 * 60


@pytest.fixture
def fake_clock() -> ManualClock:
    """Overrides conftest's: this module's fake reads this clock."""
    return ManualClock(START)


def test_created_and_expires_at_follow_the_fake_clock(sdk: SdkStyle) -> None:
    session = sdk.create(payment_params())
    assert (session["created"], session["expires_at"]) == (START, START + DAY)


def test_session_is_open_one_second_before_expires_at(
    sdk: SdkStyle, fake_clock: ManualClock
) -> None:
    session = sdk.create(payment_params())
    fake_clock.advance(DAY - 1)
    assert sdk.retrieve(session["id"])["status"] == "open"


def test_session_is_expired_once_expires_at_has_come(
    sdk: SdkStyle, fake_clock: ManualClock
) -> None:
    session = sdk.create(payment_params())
    fake_clock.advance(timedelta(days=1))
    retrieved = sdk.retrieve(session["id"])
    assert (retrieved["status"], retrieved["url"]) == ("expired", None)


def test_custom_expires_at_30_minutes_out_is_honoured(
    sdk: SdkStyle, fake_clock: ManualClock
) -> None:
    session = sdk.create(payment_params(expires_at=START + 30 * 60))
    fake_clock.advance(30 * 60)
    assert sdk.retrieve(session["id"])["status"] == "expired"


def test_time_expired_session_is_listed_under_status_expired(
    sdk: SdkStyle, fake_clock: ManualClock
) -> None:
    soon = sdk.create(payment_params(expires_at=START + 30 * 60))
    later = sdk.create(payment_params())
    fake_clock.advance(30 * 60)
    assert ids_of(sdk.list({"status": "expired"})["data"]) == [soon["id"]]
    assert ids_of(sdk.list({"status": "open"})["data"]) == [later["id"]]


def test_expire_after_time_based_expiry_raises_only_open_sessions_can_be_expired(
    sdk: SdkStyle, fake_clock: ManualClock
) -> None:
    session = sdk.create(payment_params())
    fake_clock.advance(DAY)
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.expire(session["id"])
    assert_stripe_error(
        info.value,
        stripe.InvalidRequestError,
        status=400,
        message='Only Checkout Sessions with a status in ["open"] can be expired. This Checkout '
        "Session has a status of `expired`.",
    )


def test_expires_at_limits_are_measured_from_the_fake_clock(sdk: SdkStyle) -> None:
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.create(payment_params(expires_at=START + 30 * 60 - 1))
    assert "at least 30 minutes" in info.value.user_message


def test_expired_session_stays_expired_when_the_clock_moves_back(
    sdk: SdkStyle, fake_clock: ManualClock
) -> None:
    session = sdk.create(payment_params())
    fake_clock.advance(DAY)
    sdk.retrieve(session["id"])
    fake_clock.set(START)
    assert sdk.retrieve(session["id"])["status"] == "expired"
