"""PaymentIntents, Charges, PaymentMethods and Refunds through both SDK styles: what a paid
payment-mode session leaves behind it, every endpoint and its errors.

A paid session needs the fake's ``complete()`` (Stripe completes one only when a customer pays on
its page), so those tests are fake-only; the unknown-id and missing-parameter errors run against
Stripe's test mode too."""

from __future__ import annotations

from typing import Any

import pytest
import stripe

from ._support import (
    Backend,
    ClientStyle,
    SdkStyle,
    assert_stripe_error,
    ids_of,
    payment_params,
    plain,
)

fake_only = pytest.mark.fake_only


def completed(sdk: SdkStyle, backend: Backend, *, complete: Any = None, **session: Any) -> Any:
    """A 1500 usd payment-mode session created through the SDK and completed by the fake
    (``complete``: its keyword arguments, e.g. ``{"payment_status": "unpaid"}``)."""
    created = sdk.create(payment_params(**session))
    assert backend.fake is not None
    return backend.fake.sessions.complete(created["id"], **(complete or {}))


def paid_intent(sdk: SdkStyle, backend: Backend, **session: Any) -> Any:
    """The PaymentIntent of a paid session, retrieved through the SDK."""
    intent_id = completed(sdk, backend, **session)["payment_intent"]
    return sdk.resource("payment_intents").retrieve(intent_id)


def intent_action(sdk: SdkStyle, action: str, intent_id: str, **params: Any) -> Any:
    """``capture`` or ``cancel`` of a PaymentIntent in the SDK style."""
    if isinstance(sdk, ClientStyle):
        return sdk.call(sdk.client.v1.payment_intents, action, intent_id, params=params)
    return sdk.call(stripe.PaymentIntent, action, intent_id, **params)


def refund_error(sdk: SdkStyle, **params: Any) -> stripe.InvalidRequestError:
    with pytest.raises(stripe.InvalidRequestError) as raised:
        sdk.resource("refunds").create(**params)
    return raised.value


# --- what a paid session leaves behind ----------------------------------------------------------


@fake_only
def test_a_paid_sessions_payment_intent_has_succeeded(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    intent = paid_intent(sdk, stripe_backend)
    assert (intent["object"], intent["status"]) == ("payment_intent", "succeeded")
    assert (intent["amount"], intent["amount_received"], intent["currency"]) == (1500, 1500, "usd")
    assert intent["latest_charge"].startswith("ch_")


@fake_only
def test_the_intents_charge_is_captured_and_names_it(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    intent = paid_intent(sdk, stripe_backend)
    charge = sdk.resource("charges").retrieve(intent["latest_charge"])
    assert (charge["object"], charge["status"], charge["captured"]) == ("charge", "succeeded", True)
    assert (charge["payment_intent"], charge["payment_method"]) == (
        intent["id"],
        intent["payment_method"],
    )
    assert "refunds" not in plain(charge)


@fake_only
def test_the_payment_method_is_a_visa_test_card(sdk: SdkStyle, stripe_backend: Backend) -> None:
    intent = paid_intent(sdk, stripe_backend)
    method = sdk.resource("payment_methods").retrieve(intent["payment_method"])
    assert (method["object"], method["type"]) == ("payment_method", "card")
    assert (method["card"]["brand"], method["card"]["last4"]) == ("visa", "4242")


@fake_only
def test_a_session_expands_its_payment_intent_and_latest_charge(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    session_id = completed(sdk, stripe_backend)["id"]
    session = sdk.retrieve(session_id, {"expand": ["payment_intent.latest_charge"]})
    assert session["payment_intent"]["object"] == "payment_intent"
    assert session["payment_intent"]["latest_charge"]["object"] == "charge"


@fake_only
def test_an_unpaid_session_leaves_the_intent_processing(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    done = completed(sdk, stripe_backend, complete={"payment_status": "unpaid"})
    intent = sdk.resource("payment_intents").retrieve(done["payment_intent"])
    assert (intent["status"], intent["latest_charge"]) == ("processing", None)


@fake_only
def test_a_failed_async_payment_leaves_the_intent_requires_payment_method(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    done = completed(sdk, stripe_backend, complete={"payment_status": "unpaid"})
    assert stripe_backend.fake is not None
    stripe_backend.fake.sessions.settle_async_payment(done["id"], succeeded=False)
    intent = sdk.resource("payment_intents").retrieve(done["payment_intent"])
    assert intent["status"] == "requires_payment_method"
    assert intent["last_payment_error"]["code"] == "card_declined"
    assert sdk.resource("charges").retrieve(intent["latest_charge"])["status"] == "failed"


@fake_only
def test_a_settled_delayed_first_payment_activates_the_subscription(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    price = stripe_backend.make_price(2000, recurring={"interval": "month"})
    created = sdk.create(
        payment_params(mode="subscription", line_items=[{"price": price, "quantity": 1}])
    )
    assert stripe_backend.fake is not None
    done = stripe_backend.fake.sessions.complete(created["id"], payment_status="unpaid")
    subscriptions, invoices = sdk.resource("subscriptions"), sdk.resource("invoices")
    assert subscriptions.retrieve(done["subscription"])["status"] == "incomplete"
    assert invoices.retrieve(done["invoice"])["status"] == "open"
    stripe_backend.fake.sessions.settle_async_payment(done["id"])
    assert subscriptions.retrieve(done["subscription"])["status"] == "active"
    assert invoices.retrieve(done["invoice"])["status"] == "paid"


# --- lists and update ---------------------------------------------------------------------------


@fake_only
def test_payment_intents_list_filters_by_customer(sdk: SdkStyle, stripe_backend: Backend) -> None:
    customer = stripe_backend.make_customer()
    kept = completed(sdk, stripe_backend, customer=customer)["payment_intent"]
    completed(sdk, stripe_backend)
    intents = sdk.resource("payment_intents")
    assert ids_of(intents.list(customer=customer)["data"]) == [kept]
    assert len(intents.list()["data"]) == 2


@fake_only
def test_charges_list_filters_by_payment_intent(sdk: SdkStyle, stripe_backend: Backend) -> None:
    intent = paid_intent(sdk, stripe_backend)
    completed(sdk, stripe_backend)
    listed = sdk.resource("charges").list(payment_intent=intent["id"])
    assert ids_of(listed["data"]) == [intent["latest_charge"]]
    assert listed["url"] == "/v1/charges"


@fake_only
def test_payment_methods_list_the_customers_saved_card(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    customer = stripe_backend.make_customer()
    intent = paid_intent(
        sdk,
        stripe_backend,
        customer=customer,
        payment_intent_data={"setup_future_usage": "off_session"},
    )
    listed = sdk.resource("payment_methods").list(customer=customer, type="card")
    assert ids_of(listed["data"]) == [intent["payment_method"]]


@fake_only
def test_update_merges_metadata_and_sets_the_description(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    intent = paid_intent(sdk, stripe_backend, payment_intent_data={"metadata": {"order": "7"}})
    updated = sdk.resource("payment_intents").update(
        intent["id"], metadata={"shipped": "yes"}, description="Order 7"
    )
    assert plain(updated["metadata"]) == {"order": "7", "shipped": "yes"}
    assert updated["description"] == "Order 7"


# --- capture and cancel -------------------------------------------------------------------------


def held_intent(sdk: SdkStyle, backend: Backend) -> Any:
    return paid_intent(sdk, backend, payment_intent_data={"capture_method": "manual"})


@fake_only
def test_a_manual_capture_session_leaves_the_intent_requires_capture(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    intent = held_intent(sdk, stripe_backend)
    assert (intent["status"], intent["capture_method"]) == ("requires_capture", "manual")
    assert intent["amount_capturable"] == 1500


@fake_only
def test_capture_succeeds_the_intent(sdk: SdkStyle, stripe_backend: Backend) -> None:
    intent = held_intent(sdk, stripe_backend)
    captured = intent_action(sdk, "capture", intent["id"])
    assert (captured["status"], captured["amount_received"]) == ("succeeded", 1500)
    assert sdk.resource("charges").retrieve(intent["latest_charge"])["captured"] is True


@fake_only
def test_a_partial_capture_releases_the_rest(sdk: SdkStyle, stripe_backend: Backend) -> None:
    intent = held_intent(sdk, stripe_backend)
    intent_action(sdk, "capture", intent["id"], amount_to_capture=1000)
    charge = sdk.resource("charges").retrieve(intent["latest_charge"])
    assert (charge["amount_captured"], charge["amount_refunded"]) == (1000, 500)


@fake_only
def test_capture_of_more_than_capturable_is_refused(sdk: SdkStyle, stripe_backend: Backend) -> None:
    intent = held_intent(sdk, stripe_backend)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        intent_action(sdk, "capture", intent["id"], amount_to_capture=1501)
    assert_stripe_error(
        raised.value,
        stripe.InvalidRequestError,
        status=400,
        message="The amount_to_capture (1501) must be less than or equal to the PaymentIntent's "
        "amount_capturable (1500).",
        code="amount_too_large",
        param="amount_to_capture",
    )


@fake_only
def test_capture_of_a_succeeded_intent_is_refused(sdk: SdkStyle, stripe_backend: Backend) -> None:
    intent = paid_intent(sdk, stripe_backend)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        intent_action(sdk, "capture", intent["id"])
    assert_stripe_error(
        raised.value,
        stripe.InvalidRequestError,
        status=400,
        message="This PaymentIntent could not be captured because it has a status of succeeded. "
        "Only a PaymentIntent with one of the following statuses may be captured: "
        "requires_capture.",
        code="payment_intent_unexpected_state",
    )


@fake_only
def test_cancel_releases_a_held_payment(sdk: SdkStyle, stripe_backend: Backend) -> None:
    intent = held_intent(sdk, stripe_backend)
    canceled = intent_action(sdk, "cancel", intent["id"], cancellation_reason="abandoned")
    assert (canceled["status"], canceled["cancellation_reason"]) == ("canceled", "abandoned")
    assert sdk.resource("charges").retrieve(intent["latest_charge"])["refunded"] is True


@fake_only
def test_cancel_of_a_succeeded_intent_is_refused(sdk: SdkStyle, stripe_backend: Backend) -> None:
    intent = paid_intent(sdk, stripe_backend)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        intent_action(sdk, "cancel", intent["id"])
    assert_stripe_error(
        raised.value,
        stripe.InvalidRequestError,
        status=400,
        message="You cannot cancel this PaymentIntent because it has a status of succeeded. Only "
        "a PaymentIntent with one of the following statuses may be canceled: "
        "requires_payment_method, requires_capture, requires_confirmation, requires_action, "
        "processing.",
        code="payment_intent_unexpected_state",
    )


# --- refunds ------------------------------------------------------------------------------------


@fake_only
def test_a_refund_by_payment_intent_refunds_the_whole_charge(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    intent = paid_intent(sdk, stripe_backend)
    refund = sdk.resource("refunds").create(
        payment_intent=intent["id"], reason="requested_by_customer"
    )
    assert (refund["object"], refund["status"], refund["amount"]) == ("refund", "succeeded", 1500)
    assert (refund["charge"], refund["reason"]) == (
        intent["latest_charge"],
        "requested_by_customer",
    )
    charge = sdk.resource("charges").retrieve(intent["latest_charge"])
    assert (charge["amount_refunded"], charge["refunded"]) == (1500, True)


@fake_only
def test_a_partial_refund_by_charge_keeps_its_metadata(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    intent = paid_intent(sdk, stripe_backend)
    refund = sdk.resource("refunds").create(
        charge=intent["latest_charge"], amount=500, metadata={"order": "7"}
    )
    assert (refund["amount"], plain(refund["metadata"])) == (500, {"order": "7"})
    charge = sdk.resource("charges").retrieve(intent["latest_charge"])
    assert (charge["amount_refunded"], charge["refunded"]) == (500, False)


@fake_only
def test_refunds_retrieve_list_and_update(sdk: SdkStyle, stripe_backend: Backend) -> None:
    intent = paid_intent(sdk, stripe_backend)
    refunds = sdk.resource("refunds")
    refund = refunds.create(payment_intent=intent["id"], amount=100)
    assert refunds.retrieve(refund["id"])["amount"] == 100
    assert ids_of(refunds.list(payment_intent=intent["id"])["data"]) == [refund["id"]]
    assert ids_of(refunds.list(charge=intent["latest_charge"])["data"]) == [refund["id"]]
    updated = refunds.update(refund["id"], metadata={"note": "damaged"})
    assert plain(updated["metadata"]) == {"note": "damaged"}


@fake_only
def test_the_charge_expands_its_refunds(sdk: SdkStyle, stripe_backend: Backend) -> None:
    intent = paid_intent(sdk, stripe_backend)
    refund = sdk.resource("refunds").create(payment_intent=intent["id"], amount=100)
    charge = sdk.resource("charges").retrieve(intent["latest_charge"], expand=["refunds"])
    assert ids_of(charge["refunds"]["data"]) == [refund["id"]]


@fake_only
def test_a_refund_of_more_than_the_charge_is_amount_too_large(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    intent = paid_intent(sdk, stripe_backend)
    assert_stripe_error(
        refund_error(sdk, payment_intent=intent["id"], amount=1501),
        stripe.InvalidRequestError,
        status=400,
        message="Refund amount ($15.01) is greater than charge amount ($15.00)",
        code="amount_too_large",
        param="amount",
    )


@fake_only
def test_a_refund_of_more_than_is_left_names_the_unrefunded_amount(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    intent = paid_intent(sdk, stripe_backend)
    sdk.resource("refunds").create(payment_intent=intent["id"], amount=1000)
    assert_stripe_error(
        refund_error(sdk, payment_intent=intent["id"], amount=600),
        stripe.InvalidRequestError,
        status=400,
        message="Refund amount ($6.00) is greater than unrefunded amount on charge ($5.00)",
        code="amount_too_large",
        param="amount",
    )


@fake_only
def test_a_refund_of_a_refunded_charge_is_charge_already_refunded(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    intent = paid_intent(sdk, stripe_backend)
    sdk.resource("refunds").create(payment_intent=intent["id"])
    assert_stripe_error(
        refund_error(sdk, charge=intent["latest_charge"]),
        stripe.InvalidRequestError,
        status=400,
        message=f"Charge {intent['latest_charge']} has already been refunded.",
        code="charge_already_refunded",
    )


@fake_only
def test_a_refund_of_a_processing_payment_has_no_successful_charge(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    intent_id = completed(sdk, stripe_backend, complete={"payment_status": "unpaid"})[
        "payment_intent"
    ]
    assert_stripe_error(
        refund_error(sdk, payment_intent=intent_id),
        stripe.InvalidRequestError,
        status=400,
        message=f"This PaymentIntent ({intent_id}) does not have a successful charge to refund.",
        param="payment_intent",
    )


@fake_only
def test_a_refund_of_an_uncaptured_charge_says_to_cancel_the_intent(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    intent = held_intent(sdk, stripe_backend)
    assert_stripe_error(
        refund_error(sdk, charge=intent["latest_charge"]),
        stripe.InvalidRequestError,
        status=400,
        message=f"This uncaptured Charge was created by a PaymentIntent ({intent['id']}). You "
        "must cancel the PaymentIntent to reverse the authorization instead of refunding the "
        "Charge directly. For more information, see "
        "https://stripe.com/docs/payments/payment-intents/creating-payment-intents"
        "#separate-auth-capture",
        param="charge",
    )


def test_a_refund_naming_neither_a_charge_nor_an_intent_is_refused(sdk: SdkStyle) -> None:
    assert_stripe_error(
        refund_error(sdk, amount=100),
        stripe.InvalidRequestError,
        status=400,
        message="One of the following params should be provided for this request: "
        "payment_intent or charge.",
        code="parameter_missing",
    )


@pytest.mark.parametrize(
    ("resource", "object_name", "object_id"),
    [
        ("payment_intents", "payment_intent", "pi_1NoSuchPaymentIntent000"),
        ("charges", "charge", "ch_1NoSuchCharge000"),
        ("payment_methods", "payment_method", "pm_1NoSuchPaymentMethod000"),
        ("refunds", "refund", "re_1NoSuchRefund000"),
    ],
)
def test_retrieve_of_an_unknown_id_is_a_404(
    sdk: SdkStyle, resource: str, object_name: str, object_id: str
) -> None:
    with pytest.raises(stripe.InvalidRequestError) as raised:
        sdk.resource(resource).retrieve(object_id)
    assert_stripe_error(
        raised.value,
        stripe.InvalidRequestError,
        status=404,
        message=f"No such {object_name}: '{object_id}'",
        code="resource_missing",
        param="id",
    )
