"""Refunds: money back from a paid Checkout Session's charge, by PaymentIntent or by charge; what
a refund changes on the charge, its events, and Stripe's errors for what cannot be refunded."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fakecheckout import InvalidRequestError, ManualClock
from fakecheckout.core.world import World

from .conftest import START, payment_params
from .payment_support import recorded


def _paid(world: World, **create: Any) -> dict[str, Any]:
    """The PaymentIntent of a completed, paid payment-mode session (1500 usd by default)."""
    session = world.sessions.create(**payment_params(**create))
    done = world.sessions.complete(session["id"])
    return world.payment_intents.retrieve(done["payment_intent"])


def _refund_error(world: World, **params: Any) -> InvalidRequestError:
    with pytest.raises(InvalidRequestError) as info:
        world.refunds.create(**params)
    return info.value


def test_a_refund_by_payment_intent_refunds_all_of_its_charge(world: World) -> None:
    intent = _paid(world)
    refund = world.refunds.create(payment_intent=intent["id"])
    assert (refund["object"], refund["status"], refund["amount"]) == ("refund", "succeeded", 1500)
    assert (refund["charge"], refund["payment_intent"]) == (intent["latest_charge"], intent["id"])
    assert (refund["currency"], refund["created"]) == ("usd", START)


def test_a_full_refund_marks_the_charge_refunded(world: World) -> None:
    intent = _paid(world)
    world.refunds.create(payment_intent=intent["id"])
    charge = world.charges.retrieve(intent["latest_charge"])
    assert (charge["amount_refunded"], charge["refunded"]) == (1500, True)


def test_a_partial_refund_by_charge_leaves_the_charge_not_refunded(world: World) -> None:
    intent = _paid(world)
    refund = world.refunds.create(charge=intent["latest_charge"], amount=500)
    assert refund["amount"] == 500
    charge = world.charges.retrieve(intent["latest_charge"])
    assert (charge["amount_refunded"], charge["refunded"]) == (500, False)


def test_a_partial_refund_by_payment_intent_names_the_same_charge(world: World) -> None:
    intent = _paid(world)
    refund = world.refunds.create(payment_intent=intent["id"], amount=300)
    assert (refund["amount"], refund["charge"]) == (300, intent["latest_charge"])


def test_a_refund_without_amount_refunds_what_is_left(world: World) -> None:
    intent = _paid(world)
    world.refunds.create(charge=intent["latest_charge"], amount=1000)
    rest = world.refunds.create(charge=intent["latest_charge"])
    assert rest["amount"] == 500
    assert world.charges.retrieve(intent["latest_charge"])["refunded"] is True


def test_partial_refunds_add_up_to_a_full_refund(world: World) -> None:
    intent = _paid(world)
    for amount in (500, 500, 500):
        world.refunds.create(payment_intent=intent["id"], amount=amount)
    charge = world.charges.retrieve(intent["latest_charge"])
    assert (charge["amount_refunded"], charge["refunded"]) == (1500, True)


def test_the_intent_still_reads_succeeded_after_a_refund(world: World) -> None:
    intent = _paid(world)
    world.refunds.create(payment_intent=intent["id"])
    after = world.payment_intents.retrieve(intent["id"])
    assert (after["status"], after["amount_received"]) == ("succeeded", 1500)


def test_reason_and_metadata_are_kept(world: World) -> None:
    intent = _paid(world)
    refund = world.refunds.create(
        payment_intent=intent["id"], reason="requested_by_customer", metadata={"order": "7"}
    )
    assert (refund["reason"], refund["metadata"]) == ("requested_by_customer", {"order": "7"})


def test_reason_defaults_to_null(world: World) -> None:
    refund = world.refunds.create(payment_intent=_paid(world)["id"])
    assert (refund["reason"], refund["metadata"]) == (None, {})


def test_an_unknown_reason_is_refused(world: World) -> None:
    error = _refund_error(world, payment_intent=_paid(world)["id"], reason="changed_my_mind")
    assert error.param == "reason"


def test_a_refund_names_the_charges_customer_and_payment_method(world: World) -> None:
    customer = world.customers.create(email="ada@example.com")
    intent = _paid(world, customer=customer["id"])
    refund = world.refunds.create(payment_intent=intent["id"])
    assert (refund["customer"], refund["payment_method"]) == (
        customer["id"],
        intent["payment_method"],
    )


def test_a_refund_records_refund_created_then_charge_refunded(world: World) -> None:
    intent = _paid(world)
    _, types = recorded(
        world, lambda: world.refunds.create(payment_intent=intent["id"], amount=400)
    )
    assert types == ["refund.created", "charge.refunded"]


def test_the_charge_refunded_event_shows_the_charge_after_the_refund(world: World) -> None:
    intent = _paid(world)
    world.refunds.create(payment_intent=intent["id"], amount=400)
    newest, refund_event = world.events.all()[:2]
    assert newest["type"] == "charge.refunded"
    assert newest["data"]["object"]["amount_refunded"] == 400
    assert refund_event["data"]["object"]["amount"] == 400


def test_retrieve_returns_the_refund(world: World) -> None:
    refund = world.refunds.create(payment_intent=_paid(world)["id"], amount=100)
    assert world.refunds.retrieve(refund["id"]) == refund


def test_an_unknown_refund_is_stripes_404(world: World) -> None:
    with pytest.raises(InvalidRequestError) as info:
        world.refunds.retrieve("re_nope")
    assert (info.value.http_status, info.value.code) == (404, "resource_missing")
    assert info.value.message == "No such refund: 're_nope'"


def test_list_is_newest_first(world: World, clock: ManualClock) -> None:
    intent = _paid(world)
    first = world.refunds.create(payment_intent=intent["id"], amount=100)
    clock.advance(60)
    second = world.refunds.create(payment_intent=intent["id"], amount=200)
    listed = world.refunds.list()
    assert [refund["id"] for refund in listed["data"]] == [second["id"], first["id"]]
    assert (listed["object"], listed["url"]) == ("list", "/v1/refunds")


def test_list_filters_by_payment_intent_and_by_charge(world: World) -> None:
    kept, other = _paid(world), _paid(world)
    refund = world.refunds.create(payment_intent=kept["id"], amount=100)
    world.refunds.create(payment_intent=other["id"], amount=100)
    by_intent = world.refunds.list(payment_intent=kept["id"])["data"]
    by_charge = world.refunds.list(charge=kept["latest_charge"])["data"]
    assert [r["id"] for r in by_intent] == [r["id"] for r in by_charge] == [refund["id"]]


def test_update_merges_metadata_with_refund_updated(world: World) -> None:
    refund = world.refunds.create(payment_intent=_paid(world)["id"], metadata={"order": "7"})
    updated, types = recorded(
        world, lambda: world.refunds.update(refund["id"], metadata={"note": "damaged"})
    )
    assert updated["metadata"] == {"order": "7", "note": "damaged"}
    assert types == ["refund.updated"]


def test_the_charge_lists_its_refunds_when_expanded(world: World) -> None:
    intent = _paid(world)
    refund = world.refunds.create(payment_intent=intent["id"], amount=100)
    charge = world.charges.retrieve(intent["latest_charge"], expand=["refunds"])
    assert [r["id"] for r in charge["refunds"]["data"]] == [refund["id"]]
    assert charge["refunds"]["url"] == f"/v1/charges/{intent['latest_charge']}/refunds"


def test_a_refund_larger_than_the_charge_is_stripes_amount_too_large(world: World) -> None:
    intent = _paid(world)
    error = _refund_error(world, payment_intent=intent["id"], amount=1501)
    assert error.message == "Refund amount ($15.01) is greater than charge amount ($15.00)"
    assert (error.http_status, error.code, error.param) == (400, "amount_too_large", "amount")


def test_a_refund_larger_than_what_is_left_names_the_unrefunded_amount(world: World) -> None:
    intent = _paid(world)
    world.refunds.create(payment_intent=intent["id"], amount=1000)
    error = _refund_error(world, payment_intent=intent["id"], amount=600)
    assert error.message == (
        "Refund amount ($6.00) is greater than unrefunded amount on charge ($5.00)"
    )


def test_a_refund_of_a_refunded_charge_is_charge_already_refunded(world: World) -> None:
    intent = _paid(world)
    world.refunds.create(payment_intent=intent["id"])
    error = _refund_error(world, charge=intent["latest_charge"])
    assert error.message == f"Charge {intent['latest_charge']} has already been refunded."
    assert error.code == "charge_already_refunded"


def test_a_refund_of_a_processing_payment_has_no_charge_to_refund(world: World) -> None:
    session = world.sessions.create(**payment_params())
    done = world.sessions.complete(session["id"], payment_status="unpaid")
    error = _refund_error(world, payment_intent=done["payment_intent"])
    assert error.message == (
        f"This PaymentIntent ({done['payment_intent']}) does not have a successful charge to "
        "refund."
    )
    assert (error.http_status, error.param) == (400, "payment_intent")


def test_a_refund_of_a_declined_charge_has_no_charge_to_refund(world: World) -> None:
    session = world.sessions.create(**payment_params())
    done = world.sessions.complete(session["id"], payment_status="unpaid")
    world.sessions.settle_async_payment(done["id"], succeeded=False)
    intent = world.payment_intents.retrieve(done["payment_intent"])
    error = _refund_error(world, charge=intent["latest_charge"])
    assert error.message.startswith(f"This PaymentIntent ({intent['id']}) does not have")
    assert error.param == "charge"


def test_a_refund_of_an_uncaptured_charge_says_to_cancel_the_intent(world: World) -> None:
    intent = _paid(world, payment_intent_data={"capture_method": "manual"})
    error = _refund_error(world, charge=intent["latest_charge"])
    assert error.message.startswith(
        f"This uncaptured Charge was created by a PaymentIntent ({intent['id']}). You must "
        "cancel the PaymentIntent to reverse the authorization instead of refunding the Charge "
        "directly."
    )
    assert world.charges.retrieve(intent["latest_charge"])["amount_refunded"] == 0


def test_a_refund_of_a_zero_amount_is_refused(world: World) -> None:
    error = _refund_error(world, payment_intent=_paid(world)["id"], amount=0)
    assert error.param == "amount"


def test_a_refund_needs_a_charge_or_a_payment_intent(world: World) -> None:
    error = _refund_error(world, amount=100)
    assert error.code == "parameter_missing"


def test_a_refund_of_an_unknown_charge_is_no_such_charge(world: World) -> None:
    error = _refund_error(world, charge="ch_nope")
    assert (error.code, error.param, error.message) == (
        "resource_missing",
        "charge",
        "No such charge: 'ch_nope'",
    )


def test_a_failed_refund_records_no_event_and_no_refund(world: World) -> None:
    intent = _paid(world)
    _, types = recorded(
        world, lambda: _refund_error(world, payment_intent=intent["id"], amount=9999)
    )
    assert types == []
    assert world.refunds.list()["data"] == []


@settings(max_examples=60, deadline=None)
@given(amounts=st.lists(st.one_of(st.none(), st.integers(-5, 1700)), max_size=8))
def test_refunds_never_exceed_the_charge_and_failures_change_nothing(
    amounts: list[int | None],
) -> None:
    world = World(clock=ManualClock(START), seed=1)
    intent = _paid(world)
    charge_id = intent["latest_charge"]
    succeeded = 0
    for amount in amounts:
        before = (world.charges.retrieve(charge_id), len(world.events.all()))
        params: dict[str, Any] = {"charge": charge_id}
        if amount is not None:
            params["amount"] = amount
        try:
            refund = world.refunds.create(**params)
        except InvalidRequestError:
            assert (world.charges.retrieve(charge_id), len(world.events.all())) == before
            continue
        succeeded += refund["amount"]
        charge = world.charges.retrieve(charge_id)
        assert charge["amount_refunded"] == succeeded <= charge["amount"]
        assert charge["refunded"] is (succeeded == charge["amount"])
    listed = world.refunds.list(charge=charge_id, limit=100)["data"]
    assert sum(refund["amount"] for refund in listed) == succeeded
