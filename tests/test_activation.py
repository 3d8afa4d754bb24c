"""Turning fakes on and off: context manager, start/stop, activate, current, nesting, strict."""

from __future__ import annotations

import asyncio
import contextvars
import threading
from typing import Any

import pytest
import requests
import responses
import stripe

import fakecheckout
from fakecheckout import FakeCheckout, ManualClock, UnhandledRequestError
from tests.factories import payment_params, shirt

KEY = "sk_test_123"
AUTH = {"Authorization": f"Bearer {KEY}"}
API = "https://api.stripe.com"


SESSIONS = f"{API}/v1/checkout/sessions"
CREATE = payment_params(line_items=[shirt(unit_amount=1000)])


def _session_ids(fake: FakeCheckout) -> list[str]:
    return [session["id"] for session in fake.sessions.list()["data"]]


def _create_with_requests() -> str:
    response = requests.post(SESSIONS, headers=AUTH, data={"mode": "setup", "currency": "usd"})
    assert response.status_code == 200, response.text
    session_id: str = response.json()["id"]
    return session_id


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


# --- concurrency: each task or thread sees the fake it started ----------------------------------


def test_concurrent_async_activations_do_not_break_each_other():
    @fakecheckout.activate
    async def run(delay: float) -> tuple[FakeCheckout, FakeCheckout]:
        fake = fakecheckout.current()
        await asyncio.sleep(delay)
        return fake, fakecheckout.current()

    async def main() -> list[tuple[FakeCheckout, FakeCheckout]]:
        return await asyncio.gather(run(0.02), run(0.05))

    (a_before, a_after), (b_before, b_after) = asyncio.run(main())
    assert a_before is a_after and b_before is b_after and a_before is not b_before
    assert not _active()


def test_concurrent_async_activations_each_reach_their_own_fake():
    """A starts, B starts later; A calls Stripe and stops while B is active; then B calls."""
    seen: dict[str, Any] = {}

    async def main() -> None:
        b_started, a_done = asyncio.Event(), asyncio.Event()

        @fakecheckout.activate
        async def task_a() -> None:
            await b_started.wait()
            fake = fakecheckout.current()
            sdk = stripe.StripeClient(KEY).v1.checkout.sessions.create(CREATE).id
            seen["a"] = (fake, sdk, _create_with_requests())

        @fakecheckout.activate
        async def task_b() -> None:
            fake = fakecheckout.current()
            b_started.set()
            await a_done.wait()
            sdk = stripe.StripeClient(KEY).v1.checkout.sessions.create(CREATE).id
            seen["b"] = (fake, sdk, _create_with_requests(), fakecheckout.current())

        async def a_then_signal() -> None:
            try:
                await task_a()
            finally:
                a_done.set()

        await asyncio.gather(a_then_signal(), task_b())

    before = requests.adapters.HTTPAdapter.send
    asyncio.run(main())
    fake_a, sdk_a, raw_a = seen["a"]
    fake_b, sdk_b, raw_b, current_b = seen["b"]
    assert fake_a is not fake_b and current_b is fake_b
    assert sorted(_session_ids(fake_a)) == sorted([sdk_a, raw_a])
    assert sorted(_session_ids(fake_b)) == sorted([sdk_b, raw_b])
    assert requests.adapters.HTTPAdapter.send is before and not _active()


def test_a_task_created_inside_a_fake_sees_it():
    async def main(fake: FakeCheckout) -> bool:
        return await asyncio.create_task(asyncio.sleep(0, fakecheckout.current())) is fake

    with FakeCheckout() as fake:
        assert asyncio.run(main(fake))


def test_a_thread_started_inside_the_fake_reaches_it():
    seen: dict[str, Any] = {}

    def work() -> None:
        seen["current"] = fakecheckout.current()
        seen["id"] = _create_with_requests()

    with FakeCheckout() as fake:
        worker = threading.Thread(target=work)
        worker.start()
        worker.join()
    assert seen["current"] is fake and _session_ids(fake) == [seen["id"]]


def test_a_thread_without_a_fake_of_its_own_uses_the_latest_started_one():
    """The documented fallback; a thread run in a copy of the caller's context keeps its fake."""
    seen: dict[str, Any] = {}
    started, finish = threading.Event(), threading.Event()

    def own_fake() -> None:
        with FakeCheckout() as fake:
            seen["own"] = fake
            started.set()
            finish.wait()

    def plain() -> None:
        seen["plain"] = fakecheckout.current()

    def copied() -> None:
        seen["copied"] = fakecheckout.current()
        seen["copied_id"] = _create_with_requests()

    with FakeCheckout() as main_fake:
        other = threading.Thread(target=own_fake)
        other.start()
        started.wait()
        try:
            context = contextvars.copy_context()  # here, in the thread that started main_fake
            for target in (plain, lambda: context.run(copied)):
                worker = threading.Thread(target=target)
                worker.start()
                worker.join()
        finally:
            finish.set()
            other.join()
    assert (seen["plain"], seen["copied"]) == (seen["own"], main_fake)
    assert _session_ids(main_fake) == [seen["copied_id"]] and _session_ids(seen["own"]) == []


def test_a_fake_of_another_thread_stays_on_when_this_one_stops_first():
    seen: dict[str, Any] = {}
    started, main_stopped = threading.Event(), threading.Event()

    def work() -> None:
        with FakeCheckout() as fake:
            started.set()
            main_stopped.wait()
            seen["fake"], seen["id"] = fake, _create_with_requests()
            seen["current"] = fakecheckout.current()

    main_fake = FakeCheckout()
    main_fake.start()
    worker = threading.Thread(target=work)
    worker.start()
    started.wait()
    main_fake.stop()  # no RuntimeError: the other fake is not inside this one
    main_stopped.set()
    worker.join()
    assert seen["current"] is seen["fake"] and _session_ids(seen["fake"]) == [seen["id"]]
    assert _session_ids(main_fake) == [] and not _active()


def test_a_fake_started_in_a_task_can_be_stopped_outside_it():
    before = requests.adapters.HTTPAdapter.send

    async def start() -> FakeCheckout:
        fake = FakeCheckout()
        fake.start()
        return fake

    fake = asyncio.run(start())
    assert fake.active
    fake.stop()
    assert (fake.active, _active(), requests.adapters.HTTPAdapter.send) == (False, False, before)


def test_stopping_an_outer_fake_first_stops_only_this_contexts_inner_fakes():
    outer, inner, elsewhere = FakeCheckout(), FakeCheckout(), FakeCheckout()
    outer.start()
    contextvars.copy_context().run(elsewhere.start)
    inner.start()
    with pytest.raises(RuntimeError, match="1 FakeCheckout"):
        outer.stop()
    assert (outer.active, inner.active, elsewhere.active) == (False, False, True)
    elsewhere.stop()


def test_a_fake_started_inside_a_responses_mock_inside_a_fake_answers_first():
    before = requests.adapters.HTTPAdapter.send
    with FakeCheckout() as outer, responses.RequestsMock(assert_all_requests_are_fired=False):
        with FakeCheckout() as inner:
            session_id = _create_with_requests()
        assert fakecheckout.current() is outer
    assert (_session_ids(inner), _session_ids(outer)) == ([session_id], [])
    assert requests.adapters.HTTPAdapter.send is before


# --- strict -------------------------------------------------------------------------------------


def test_strict_stop_raises_for_unhandled_requests():
    fake = FakeCheckout()
    fake.start()
    requests.get(f"{API}/v1/disputes?limit=1", headers=AUTH)
    with pytest.raises(UnhandledRequestError) as raised:
        fake.stop()
    assert raised.value.unhandled == [("GET", "/v1/disputes")]


def test_strict_stop_does_not_blame_the_fake_for_a_path_that_is_no_stripe_route():
    with FakeCheckout() as fake:
        empty_id = requests.get(f"{API}/v1/checkout/sessions/", headers=AUTH)
        typo = requests.get(f"{API}/v1/chekout/sessions", headers=AUTH)
    assert (empty_id.status_code, typo.status_code, fake.unhandled) == (404, 404, [])


def test_unhandled_request_error_lists_each_request():
    error = UnhandledRequestError([("GET", "/v1/disputes"), ("POST", "/v1/refunds")])
    assert "  GET /v1/disputes\n  POST /v1/refunds" in str(error)


def test_strict_stop_deactivates_before_raising():
    fake = FakeCheckout()
    fake.start()
    fake.unhandled.append(("GET", "/v1/disputes"))
    with pytest.raises(UnhandledRequestError):
        fake.stop()
    assert not _active()


def test_non_strict_stop_does_not_raise():
    with FakeCheckout(strict=False) as fake:
        requests.get(f"{API}/v1/disputes", headers=AUTH)
    assert fake.unhandled == [("GET", "/v1/disputes")]


def test_strict_exit_does_not_mask_a_propagating_exception():
    with pytest.raises(ValueError, match="original"), FakeCheckout():
        requests.get(f"{API}/v1/disputes", headers=AUTH)
        raise ValueError("original")


def test_strict_activate_raises_after_the_function():
    @fakecheckout.activate
    def run() -> int:
        requests.get(f"{API}/v1/disputes", headers=AUTH)
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
                "price_data": {
                    "currency": "usd",
                    "unit_amount": 100,
                    "product_data": {"name": "x"},
                },
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
                        "unit_amount": 100,
                        "product_data": {"name": "x"},
                    },
                    "quantity": 1,
                }
            ],
        )
        fake.sessions.expire(session["id"])
    assert len(fake.webhooks.failures) == 1


def test_activate_on_a_class_wraps_async_test_methods_and_inherited_ones_once():
    class Base:
        def test_inherited(self) -> FakeCheckout:
            return fakecheckout.current()

    @fakecheckout.activate
    class TestThings(Base):
        async def test_async(self) -> FakeCheckout:
            return fakecheckout.current()

        def helper(self) -> bool:
            return _active()

    @fakecheckout.activate
    class TestMore(TestThings):
        pass

    things = TestMore()
    assert isinstance(asyncio.run(things.test_async()), FakeCheckout)
    assert isinstance(things.test_inherited(), FakeCheckout)
    assert not things.helper() and not _active()
    assert not hasattr(Base.test_inherited, "__wrapped__")  # the base class is left alone
    assert TestMore.__dict__.get("test_async") is None  # wrapped once, on TestThings
