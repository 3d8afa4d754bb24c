"""``fakecheckout.strategies`` draws parameters the fake (and Stripe) accept."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from fakecheckout import FakeCheckout, ManualClock, strategies

NOW = 1_800_000_000


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(params=strategies.create_params(now=NOW))
def test_every_drawn_parameter_set_creates_an_open_session(params) -> None:
    fake = FakeCheckout(clock=ManualClock(NOW))
    session = fake.sessions.create(**params)
    assert session["status"] == "open"
    assert session["mode"] == params["mode"]
    if "expires_at" in params:
        assert NOW + 1800 <= session["expires_at"] <= NOW + 86400


@settings(max_examples=25, deadline=None)
@given(items=strategies.line_items("eur"))
def test_drawn_line_items_sum_to_the_session_total(items) -> None:
    fake = FakeCheckout(clock=ManualClock(NOW))
    session = fake.sessions.create(mode="payment", line_items=items)
    expected = sum(i["price_data"]["unit_amount"] * i["quantity"] for i in items)
    assert session["amount_total"] == expected
