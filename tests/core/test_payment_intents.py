"""What a completed payment-mode Checkout Session creates behind it: the PaymentIntent, its
Charge and PaymentMethod, their events in Stripe's order, cancel and capture."""

from __future__ import annotations

from typing import Any

import pytest

from fakecheckout import FakeCheckout, InvalidRequestError
from fakecheckout.core.world import World

from .conftest import START, payment_params, shirt
from .payment_support import recorded


def _complete(world: World, **complete: Any) -> tuple[dict[str, Any], list[str]]:
    """A payment-mode session completed (``create``: its create parameters), and the events the
    completion records."""
    session = world.sessions.create(**complete.pop("create", payment_params()))
    return recorded(world, lambda: world.sessions.complete(session["id"], **complete))


def test_a_paid_session_creates_a_succeeded_payment_intent_before_checkout_session_completed(
    world: World,
) -> None:
    done, types = _complete(world)
    assert types == [
        "payment_intent.created",
        "charge.succeeded",
        "payment_intent.succeeded",
        "checkout.session.completed",
    ]
    intent = world.payment_intents.retrieve(done["payment_intent"])
    assert intent["status"] == "succeeded"
    assert (intent["amount"], intent["amount_received"]) == (1500, 1500)
    assert intent["latest_charge"].startswith("ch_")
    assert intent["payment_method"].startswith("pm_")


def test_the_charge_of_a_paid_session_is_captured_and_names_its_intent(world: World) -> None:
    done, _ = _complete(world)
    intent = world.payment_intents.retrieve(done["payment_intent"])
    charge = world.charges.retrieve(intent["latest_charge"])
    assert charge["status"] == "succeeded"
    assert (charge["captured"], charge["paid"], charge["refunded"]) == (True, True, False)
    assert (charge["amount_captured"], charge["amount_refunded"]) == (1500, 0)
    assert charge["payment_intent"] == intent["id"]
    assert charge["payment_method"] == intent["payment_method"]
    assert "refunds" not in charge


def test_the_payment_method_is_a_test_visa_card(world: World) -> None:
    done, _ = _complete(world)
    intent = world.payment_intents.retrieve(done["payment_intent"])
    method = world.payment_methods.retrieve(intent["payment_method"])
    assert method["type"] == "card"
    assert (method["card"]["brand"], method["card"]["last4"]) == ("visa", "4242")


def test_an_unpaid_session_leaves_the_intent_processing_without_a_charge(world: World) -> None:
    done, types = _complete(world, payment_status="unpaid")
    assert types == [
        "payment_intent.created",
        "payment_intent.processing",
        "checkout.session.completed",
    ]
    intent = world.payment_intents.retrieve(done["payment_intent"])
    assert (intent["status"], intent["latest_charge"]) == ("processing", None)


def test_a_settled_async_payment_succeeds_before_the_sessions_async_event(world: World) -> None:
    done, _ = _complete(world, payment_status="unpaid")
    _, types = recorded(world, lambda: world.sessions.settle_async_payment(done["id"]))
    assert types == [
        "charge.succeeded",
        "payment_intent.succeeded",
        "checkout.session.async_payment_succeeded",
    ]
    assert world.payment_intents.retrieve(done["payment_intent"])["status"] == "succeeded"


def test_a_failed_async_payment_needs_a_new_payment_method(world: World) -> None:
    done, _ = _complete(world, payment_status="unpaid")
    _, types = recorded(
        world, lambda: world.sessions.settle_async_payment(done["id"], succeeded=False)
    )
    assert types == [
        "charge.failed",
        "payment_intent.payment_failed",
        "checkout.session.async_payment_failed",
    ]
    intent = world.payment_intents.retrieve(done["payment_intent"])
    assert intent["status"] == "requires_payment_method"
    assert intent["payment_method"] is None
    assert intent["last_payment_error"]["code"] == "card_declined"
    assert world.charges.retrieve(intent["latest_charge"])["status"] == "failed"


def test_no_payment_required_creates_no_intent(world: World) -> None:
    done, types = _complete(world, payment_status="no_payment_required")
    assert done["payment_intent"] is None
    assert types == ["checkout.session.completed"]


def _manual(world: World) -> dict[str, Any]:
    done, _ = _complete(
        world, create=payment_params(payment_intent_data={"capture_method": "manual"})
    )
    return world.payment_intents.retrieve(done["payment_intent"])


def test_manual_capture_leaves_the_intent_requires_capture(world: World) -> None:
    intent = _manual(world)
    assert intent["status"] == "requires_capture"
    assert (intent["amount_capturable"], intent["amount_received"]) == (1500, 0)
    charge = world.charges.retrieve(intent["latest_charge"])
    assert (charge["captured"], charge["amount_captured"]) == (False, 0)


def test_capture_succeeds_the_intent_and_captures_the_charge(world: World) -> None:
    intent = _manual(world)
    captured, types = recorded(world, lambda: world.payment_intents.capture(intent["id"]))
    assert types == ["charge.captured", "payment_intent.succeeded"]
    assert (captured["status"], captured["amount_received"]) == ("succeeded", 1500)
    charge = world.charges.retrieve(intent["latest_charge"])
    assert (charge["captured"], charge["amount_captured"]) == (True, 1500)


def test_a_partial_capture_releases_the_rest(world: World) -> None:
    intent = _manual(world)
    world.payment_intents.capture(intent["id"], amount_to_capture=1000)
    charge = world.charges.retrieve(intent["latest_charge"])
    assert (charge["amount_captured"], charge["amount_refunded"]) == (1000, 500)


def test_capture_of_more_than_capturable_is_refused(world: World) -> None:
    intent = _manual(world)
    with pytest.raises(InvalidRequestError) as info:
        world.payment_intents.capture(intent["id"], amount_to_capture=1501)
    assert info.value.code == "amount_too_large"
    assert world.payment_intents.retrieve(intent["id"])["status"] == "requires_capture"


def test_capture_of_a_succeeded_intent_is_refused(world: World) -> None:
    done, _ = _complete(world)
    with pytest.raises(InvalidRequestError) as info:
        world.payment_intents.capture(done["payment_intent"])
    assert info.value.code == "payment_intent_unexpected_state"


def test_cancel_of_an_uncaptured_intent_releases_its_charge(world: World) -> None:
    intent = _manual(world)
    canceled, types = recorded(
        world, lambda: world.payment_intents.cancel(intent["id"], cancellation_reason="abandoned")
    )
    assert types == ["charge.refunded", "payment_intent.canceled"]
    assert (canceled["status"], canceled["cancellation_reason"]) == ("canceled", "abandoned")
    assert canceled["canceled_at"] == START
    assert world.charges.retrieve(intent["latest_charge"])["refunded"] is True


def test_cancel_of_a_succeeded_intent_is_stripes_unexpected_state_error(world: World) -> None:
    done, _ = _complete(world)
    with pytest.raises(InvalidRequestError) as info:
        world.payment_intents.cancel(done["payment_intent"])
    assert info.value.message == (
        "You cannot cancel this PaymentIntent because it has a status of succeeded. Only a "
        "PaymentIntent with one of the following statuses may be canceled: "
        "requires_payment_method, requires_capture, requires_confirmation, requires_action, "
        "processing."
    )
    assert info.value.code == "payment_intent_unexpected_state"


def test_update_merges_metadata_and_sets_the_description(world: World) -> None:
    done, _ = _complete(world)
    intents = world.payment_intents
    intents.update(done["payment_intent"], metadata={"order": "7"})
    updated, types = recorded(
        world, lambda: intents.update(done["payment_intent"], description="Order 7")
    )
    assert (updated["metadata"], updated["description"]) == ({"order": "7"}, "Order 7")
    assert types == []  # Stripe has no payment_intent.updated event


def test_list_filters_by_customer(world: World) -> None:
    customer = world.customers.create(email="ada@example.com")
    _complete(world, create=payment_params(customer=customer["id"]))
    _complete(world)
    listed = world.payment_intents.list(customer=customer["id"])["data"]
    assert [intent["customer"] for intent in listed] == [customer["id"]]
    assert len(world.payment_intents.list()["data"]) == 2


def test_charges_list_filters_by_payment_intent(world: World) -> None:
    done, _ = _complete(world)
    _complete(world)
    listed = world.charges.list(payment_intent=done["payment_intent"])["data"]
    assert [charge["payment_intent"] for charge in listed] == [done["payment_intent"]]


def test_setup_future_usage_attaches_the_payment_method_to_the_customer(world: World) -> None:
    customer = world.customers.create(email="ada@example.com")
    params = payment_params(
        customer=customer["id"], payment_intent_data={"setup_future_usage": "off_session"}
    )
    done, types = _complete(world, create=params)
    assert types[:2] == ["payment_intent.created", "payment_method.attached"]
    listed = world.payment_methods.list(customer=customer["id"], type="card")["data"]
    intent = world.payment_intents.retrieve(done["payment_intent"])
    assert [method["id"] for method in listed] == [intent["payment_method"]]
    assert intent["setup_future_usage"] == "off_session"


def test_payment_intent_data_description_and_metadata_reach_the_intent(world: World) -> None:
    data = {"description": "Order 9", "metadata": {"order": "9"}}
    done, _ = _complete(world, create=payment_params(payment_intent_data=data))
    intent = world.payment_intents.retrieve(done["payment_intent"])
    assert (intent["description"], intent["metadata"]) == ("Order 9", {"order": "9"})


def test_a_session_expands_its_payment_intent_and_the_charge(world: World) -> None:
    done, _ = _complete(world)
    paths = ["payment_intent.latest_charge", "payment_intent.payment_method"]
    session = world.sessions.retrieve(done["id"], expand=paths)
    assert session["payment_intent"]["object"] == "payment_intent"
    assert session["payment_intent"]["latest_charge"]["object"] == "charge"
    assert session["payment_intent"]["payment_method"]["object"] == "payment_method"


def test_before_basil_intents_and_charges_show_invoice(world: World) -> None:
    from fakecheckout.core import versions

    done, _ = _complete(world)
    with versions.using("2025-02-24.acacia"):
        intent = world.payment_intents.retrieve(done["payment_intent"])
        charge = world.charges.retrieve(intent["latest_charge"])
    assert intent["invoice"] is None and charge["invoice"] is None
    assert "invoice" not in world.payment_intents.retrieve(done["payment_intent"])


def test_create_for_payment_outcome_failed_declines(world: World) -> None:
    with world.operation() as now:
        intent_id = world.payment_intents._create_for_payment(
            amount=700, currency="eur", customer=None, now=now, outcome="failed"
        )
    intent = world.payment_intents.retrieve(intent_id)
    assert intent["status"] == "requires_payment_method"
    assert world.charges.retrieve(intent["latest_charge"])["failure_code"] == "card_declined"


def test_create_card_attaches_to_the_customer(world: World) -> None:
    customer = world.customers.create()
    with world.operation() as now:
        method_id = world.payment_methods._create_card(customer=customer["id"], now=now)
    assert world.payment_methods.retrieve(method_id)["customer"] == customer["id"]


def test_an_unknown_intent_is_stripes_404(world: World) -> None:
    with pytest.raises(InvalidRequestError) as info:
        world.payment_intents.retrieve("pi_nope")
    assert (info.value.http_status, info.value.code) == (404, "resource_missing")
    assert info.value.message == "No such payment_intent: 'pi_nope'"


def test_capture_method_is_automatic_async_from_2024_04_10(world: World) -> None:
    from fakecheckout.core import versions

    done, _ = _complete(world)
    with versions.using("2024-04-10"):
        later, _ = _complete(world)
    with versions.using("2023-10-16"):
        older, _ = _complete(world)
    methods = [
        world.payment_intents.retrieve(completed["payment_intent"])["capture_method"]
        for completed in (done, later, older)
    ]
    assert methods == ["automatic_async", "automatic_async", "automatic"]


def test_the_charge_of_a_canceled_intent_cannot_be_refunded(world: World) -> None:
    intent = _manual(world)
    world.payment_intents.cancel(intent["id"])
    with pytest.raises(InvalidRequestError) as info:
        world.refunds.create(charge=intent["latest_charge"])
    assert info.value.message == (
        f"This PaymentIntent ({intent['id']}) does not have a successful charge to refund."
    )


def test_the_intent_is_for_the_total_after_a_dynamic_tax_rate_applies() -> None:
    """docs.stripe.com/payments/checkout/use-manual-tax-rates: the customer pays the total with
    the rate matching their address (``dynamic_tax_rates`` exist before 2025-03-31.basil)."""
    fake = FakeCheckout(api_version="2023-10-16")
    tax = fake.tax_rates.create(display_name="VAT", percentage=20, inclusive=False, country="GB")
    item = {**shirt(), "dynamic_tax_rates": [tax["id"]]}
    session = fake.sessions.create(**payment_params(line_items=[item]))
    address = {"country": "GB", "line1": "1 High St", "city": "London", "postal_code": "N1"}
    done = fake.sessions.complete(session["id"], customer_details={"address": address})
    intent = fake.payment_intents.retrieve(done["payment_intent"])
    assert done["amount_total"] == 1800
    assert intent["amount"] == intent["amount_received"] == 1800
