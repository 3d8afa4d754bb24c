"""``fakecheckout.testing.CheckoutMachine``: its rules, its delivery queue and its hooks, one step
at a time (a machine's rules are its methods), and whole runs under hypothesis."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import settings
from hypothesis.stateful import invariant, run_state_machine_as_test

import fakecheckout
from fakecheckout import ManualClock
from fakecheckout.testing import START, CheckoutMachine

LINE_ITEMS = [
    {
        "price_data": {"currency": "usd", "unit_amount": 500, "product_data": {"name": "Mug"}},
        "quantity": 1,
    }
]


class Recording(CheckoutMachine):
    """Opens sessions through the direct API; its endpoint answers ``answer`` and keeps each
    delivered event."""

    answer = 200
    enabled_events = ("checkout.session.*",)

    def __init__(self) -> None:
        super().__init__()
        self.received: list[dict[str, Any]] = []
        self.settled_checks = 0

    def create_checkout(self) -> str:
        session = self.fake.sessions.create(
            mode="payment", line_items=LINE_ITEMS, success_url="https://x.test"
        )
        return str(session["id"])

    def deliver_webhook(self, payload: bytes, headers: dict[str, str]) -> int:
        assert headers["Stripe-Signature"].startswith("t=")
        self.received.append(json.loads(payload))
        return self.answer

    def check_settled(self) -> None:
        self.settled_checks += 1

    @property
    def received_types(self) -> list[str]:
        return [event["type"] for event in self.received]


class Drawn:
    """Stands for hypothesis's ``data`` in a rule called by hand: every draw is ``value``."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def draw(self, strategy: Any, label: str | None = None) -> Any:
        return self.value


@pytest.fixture
def machine() -> Any:
    machine = Recording()
    yield machine
    machine.teardown()


def test_each_machine_runs_in_its_own_active_fake_on_a_manual_clock(machine: Recording) -> None:
    assert fakecheckout.current() is machine.fake
    assert isinstance(machine.fake.clock, ManualClock)
    assert machine.fake.clock.now() == START


def test_teardown_stops_the_fake() -> None:
    machine = Recording()

    machine.teardown()

    assert not machine.fake.active


def test_events_wait_until_a_delivery_rule_sends_them(machine: Recording) -> None:
    machine.pay(machine.create())

    assert machine.received == []
    assert [event["type"] for event in machine.pending] == ["checkout.session.completed"]

    machine.deliver_the_oldest_event()

    assert machine.received_types == ["checkout.session.completed"]
    assert machine.pending == []


def test_a_later_event_can_be_delivered_first(machine: Recording) -> None:
    first, second = machine.create(), machine.create()
    machine.pay(first)
    machine.expire(second)

    machine.deliver_a_later_event_first(Drawn(1))
    machine.deliver_everything()

    assert machine.received_types == ["checkout.session.expired", "checkout.session.completed"]


def test_an_event_delivered_again_arrives_twice(machine: Recording) -> None:
    machine.pay(machine.create())
    machine.deliver_the_oldest_event()
    event_id = machine.received[0]["id"]

    machine.deliver_an_event_again(Drawn(event_id))

    assert [event["id"] for event in machine.received] == [event_id, event_id]
    assert machine.delivered == [event_id, event_id]


def test_a_refused_delivery_goes_back_in_the_queue(machine: Recording) -> None:
    machine.pay(machine.create())
    machine.answer = 500

    machine.deliver_the_oldest_event()

    assert [event["type"] for event in machine.pending] == ["checkout.session.completed"]
    assert machine.delivered == []


def test_check_settled_runs_when_the_queue_empties(machine: Recording) -> None:
    machine.pay(machine.create())
    machine.pay(machine.create())

    machine.deliver_the_oldest_event()
    assert machine.settled_checks == 0
    machine.deliver_the_oldest_event()

    assert machine.settled_checks == 1


def test_a_delayed_payment_completes_unpaid_then_settles(machine: Recording) -> None:
    session = machine.pay_with_a_delayed_method(machine.create())
    machine.settle_delayed_payment(session, succeeded=False)
    machine.deliver_everything()

    assert machine.received_types == [
        "checkout.session.completed",
        "checkout.session.async_payment_failed",
    ]
    assert machine.received[0]["data"]["object"]["payment_status"] == "unpaid"


def test_an_abandoned_session_expires_at_its_expires_at(machine: Recording) -> None:
    session = machine.create()
    expires_at = machine.fake.sessions.retrieve(session)["expires_at"]

    machine.abandon_until_expiry(session)
    machine.deliver_everything()

    assert machine.received_types == ["checkout.session.expired"]
    assert machine.clock.now() == expires_at


def test_a_clock_jump_past_a_day_expires_open_sessions(machine: Recording) -> None:
    machine.create()

    machine.jump_the_clock(24 * 60 * 60 + 1)

    assert [event["type"] for event in machine.pending] == ["checkout.session.expired"]


def test_paying_a_session_that_is_no_longer_open_does_nothing(machine: Recording) -> None:
    session = machine.create()
    machine.expire(session)

    machine.pay(session)

    assert machine.fake.sessions.retrieve(session)["status"] == "expired"


def test_without_create_checkout_the_machine_says_what_to_override() -> None:
    machine = CheckoutMachine()
    try:
        with pytest.raises(NotImplementedError, match="override create_checkout"):
            machine.create()
    finally:
        machine.teardown()


def test_the_default_delivery_needs_a_webhook_client() -> None:
    machine = Recording()
    try:
        with pytest.raises(NotImplementedError, match="set self.webhook_client"):
            CheckoutMachine.deliver_webhook(machine, b"{}", {})
    finally:
        machine.teardown()


def test_the_default_delivery_posts_to_the_webhook_client() -> None:
    flask = pytest.importorskip("flask")
    app = flask.Flask(__name__)
    bodies: list[bytes] = []

    @app.post(CheckoutMachine.webhook_path)
    def webhook() -> tuple[str, int]:
        bodies.append(flask.request.get_data())
        return "", 204

    class Posting(Recording):
        def __init__(self) -> None:
            super().__init__()
            self.webhook_client = app.test_client()

        deliver_webhook = CheckoutMachine.deliver_webhook

    machine = Posting()
    try:
        machine.pay(machine.create())
        machine.deliver_the_oldest_event()
    finally:
        machine.teardown()

    assert [json.loads(body)["type"] for body in bodies] == ["checkout.session.completed"]
    assert machine.pending == []


def test_a_subclass_invariant_failing_fails_the_run_and_leaves_no_fake_active() -> None:
    class NeverTwoSessions(Recording):
        @invariant()
        def at_most_one_session(self) -> None:
            assert len(self.fake.sessions.list()["data"]) < 2, "two sessions"

    with pytest.raises(AssertionError, match="two sessions"):
        run_state_machine_as_test(
            NeverTwoSessions,
            settings=settings(
                max_examples=50,
                stateful_step_count=10,
                deadline=None,
                database=None,
                derandomize=True,
                print_blob=False,
            ),
        )
    with pytest.raises(RuntimeError):
        fakecheckout.current()


def test_a_correct_integration_passes_a_bounded_run() -> None:
    run_state_machine_as_test(
        Recording,
        settings=settings(
            max_examples=10, stateful_step_count=15, deadline=None, database=None, derandomize=True
        ),
    )
