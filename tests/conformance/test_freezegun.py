"""The fake's default ``SystemClock`` follows freezegun, through the SDK (fake-only)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from freezegun import freeze_time

from ._support import SdkStyle, payment_params

pytestmark = pytest.mark.fake_only

FROZEN = datetime(2031, 5, 1, 12, 0, tzinfo=timezone.utc)


def test_created_is_the_frozen_time(sdk: SdkStyle) -> None:
    with freeze_time(FROZEN):
        session = sdk.create(payment_params())
    assert session["created"] == int(FROZEN.timestamp())


def test_session_expires_when_frozen_time_moves_past_expires_at(sdk: SdkStyle) -> None:
    with freeze_time(FROZEN) as frozen:
        session = sdk.create(payment_params())
        frozen.tick(timedelta(hours=23, minutes=59))
        assert sdk.retrieve(session["id"])["status"] == "open"
        frozen.tick(timedelta(minutes=1))
        assert sdk.retrieve(session["id"])["status"] == "expired"
