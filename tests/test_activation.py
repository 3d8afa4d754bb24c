"""Turning fakes on and off: context manager, start/stop, activate, current, nesting, strict."""

from __future__ import annotations

import asyncio

import pytest
import requests

import fakecheckout
from fakecheckout import FakeCheckout, ManualClock, UnhandledRequestError

KEY = "sk_test_123"
AUTH = {"Authorization": f"Bearer {KEY}"}
API = "https://api.stripe.com"


def _active() -> bool:
    try:
        fakecheckout.current()
    except RuntimeError:
        return False
    return True


# --- context manager and start/stop -------------------------------------------------------------


def test_context_manager_makes_the_fake_current():
    with FakeCheckout() as fake:
        assert fakecheckout.current() is fake


def test_context_manager_deactivates_on_exit():
    with FakeCheckout():
        pass
    assert not _active()


def test_start_and_stop_activate_and_deactivate():
    fake = FakeCheckout()
    fake.start()
    try:
        assert fake.active and fakecheckout.current() is fake
    finally:
        fake.stop()
    assert not fake.active


def test_stop_without_start_raises():
    with pytest.raises(RuntimeError, match="not started"):
        FakeCheckout().stop()


def test_starting_an_active_fake_again_raises():
    with FakeCheckout() as fake, pytest.raises(RuntimeError, match="already started"):
        fake.start()


def test_a_stopped_fake_can_start_again_with_its_state():
    fake = FakeCheckout()
    with fake:
        requests.post(f"{API}/v1/checkout/sessions", headers=AUTH, data={"mode": "bogus"})
    with fake:
        assert fakecheckout.current() is fake


def test_a_new_fake_starts_empty():
    fake = FakeCheckout()
    assert (fake.sessions.list()["data"], fake.unhandled, len(fake.idempotency)) == ([], [], 0)


def test_current_without_an_active_fake_raises():
    with pytest.raises(RuntimeError, match="no FakeCheckout is active"):
        fakecheckout.current()


# --- nesting ------------------------------------------------------------------------------------


def test_current_is_the_innermost_fake():
    with FakeCheckout(), FakeCheckout() as inner:
        assert fakecheckout.current() is inner


def test_current_is_the_outer_fake_again_after_the_inner_stops():
    with FakeCheckout() as outer:
        with FakeCheckout():
            pass
        assert fakecheckout.current() is outer


def test_stopping_an_outer_fake_first_stops_the_inner_and_raises():
    outer, inner = FakeCheckout(), FakeCheckout()
    outer.start()
    inner.start()
    with pytest.raises(RuntimeError, match="innermost"):
        outer.stop()
    assert (outer.active, inner.active, _active()) == (False, False, False)


def test_stopping_an_outer_fake_first_restores_requests():
    before = requests.adapters.HTTPAdapter.send
    outer, inner = FakeCheckout(), FakeCheckout()
    outer.start()
    inner.start()
    with pytest.raises(RuntimeError):
        outer.stop()
    assert requests.adapters.HTTPAdapter.send is before


# --- activate -----------------------------------------------------------------------------------


def test_bare_activate_runs_the_function_inside_a_fake():
    @fakecheckout.activate
    def run() -> bool:
        return isinstance(fakecheckout.current(), FakeCheckout)

    assert run() and not _active()


def test_activate_passes_arguments_and_returns_the_result():
    @fakecheckout.activate
    def add(a: int, *, b: int) -> int:
        return a + b

    assert add(1, b=2) == 3


def test_activate_gives_a_fresh_fake_per_call():
    @fakecheckout.activate
    def run() -> FakeCheckout:
        return fakecheckout.current()

    assert run() is not run()


def test_activate_with_arguments_configures_the_fake():
    clock = ManualClock(1_700_000_000)

    @fakecheckout.activate(clock=clock, seed=7, strict=False)
    def run() -> FakeCheckout:
        return fakecheckout.current()

    fake = run()
    assert (fake.clock, fake.strict) == (clock, False)


def test_activate_with_empty_parentheses_runs_inside_a_fake():
    @fakecheckout.activate()
    def run() -> bool:
        return isinstance(fakecheckout.current(), FakeCheckout)

    assert run()


def test_activate_with_a_seed_gives_the_same_ids_on_each_call():
    @fakecheckout.activate(seed=7)
    def run() -> str:
        return fakecheckout.current().new_id("req_", 14)

    assert run() == run()


def test_activate_keeps_the_function_name():
    @fakecheckout.activate
    def my_test() -> None: ...

    assert my_test.__name__ == "my_test"


def test_activate_runs_async_functions_inside_a_fake():
    @fakecheckout.activate
    async def run() -> bool:
        await asyncio.sleep(0)
        return isinstance(fakecheckout.current(), FakeCheckout)

    assert asyncio.run(run()) and not _active()


def test_activate_with_arguments_runs_async_functions():
    @fakecheckout.activate(seed=3)
    async def run() -> str:
        return fakecheckout.current().new_id("req_", 14)

    assert asyncio.run(run()) == asyncio.run(run())


def test_activate_stops_the_fake_when_the_function_raises():
    @fakecheckout.activate
    def run() -> None:
        raise ValueError("boom")

    with pytest.raises(ValueError):
        run()
    assert not _active()


# --- strict -------------------------------------------------------------------------------------


def test_strict_stop_raises_for_unhandled_requests():
    fake = FakeCheckout()
    fake.start()
    requests.get(f"{API}/v1/customers?limit=1", headers=AUTH)
    with pytest.raises(UnhandledRequestError) as raised:
        fake.stop()
    assert raised.value.unhandled == [("GET", "/v1/customers")]


def test_unhandled_request_error_lists_each_request():
    error = UnhandledRequestError([("GET", "/v1/customers"), ("POST", "/v1/refunds")])
    assert "  GET /v1/customers\n  POST /v1/refunds" in str(error)


def test_strict_stop_deactivates_before_raising():
    fake = FakeCheckout()
    fake.start()
    fake.unhandled.append(("GET", "/v1/customers"))
    with pytest.raises(UnhandledRequestError):
        fake.stop()
    assert not _active()


def test_non_strict_stop_does_not_raise():
    with FakeCheckout(strict=False) as fake:
        requests.get(f"{API}/v1/customers", headers=AUTH)
    assert fake.unhandled == [("GET", "/v1/customers")]


def test_strict_exit_does_not_mask_a_propagating_exception():
    with pytest.raises(ValueError, match="original"), FakeCheckout():
        requests.get(f"{API}/v1/customers", headers=AUTH)
        raise ValueError("original")


def test_strict_activate_raises_after_the_function():
    @fakecheckout.activate
    def run() -> int:
        requests.get(f"{API}/v1/customers", headers=AUTH)
        return 1

    with pytest.raises(UnhandledRequestError):
        run()


def test_strict_stop_raises_when_a_webhook_callback_raised():
    fake = fakecheckout.FakeCheckout()
    fake.webhooks.subscribe(lambda payload, headers: 1 / 0)
    fake.start()
    session = fake.sessions.create(
        mode="payment",
        line_items=[
            {
                "price_data": {"currency": "usd", "unit_amount": 1, "product_data": {"name": "x"}},
                "quantity": 1,
            }
        ],
    )
    fake.sessions.expire(session["id"])
    with pytest.raises(fakecheckout.WebhookDeliveryError) as caught:
        fake.stop()
    assert isinstance(caught.value.__cause__, ZeroDivisionError)


def test_non_strict_stop_keeps_webhook_failures_without_raising():
    fake = fakecheckout.FakeCheckout(strict=False)
    fake.webhooks.subscribe(lambda payload, headers: 1 / 0)
    with fake:
        session = fake.sessions.create(
            mode="payment",
            line_items=[
                {
                    "price_data": {
                        "currency": "usd",
                        "unit_amount": 1,
                        "product_data": {"name": "x"},
                    },
                    "quantity": 1,
                }
            ],
        )
        fake.sessions.expire(session["id"])
    assert len(fake.webhooks.failures) == 1
