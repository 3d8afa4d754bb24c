"""What a completed Checkout Session points at, through both SDK styles: its SetupIntent (setup
mode's whole event sequence), the list filters and expansions that lead from a session to its
PaymentIntent, Subscription, Invoice and Customer and back, and the customer portal session a
customer is sent to afterwards (fake-only: sessions are completed with the fake's ``complete()``).
"""

from __future__ import annotations

from typing import Any

import pytest
import stripe

from ._support import (
    SUCCESS_URL,
    Backend,
    ClientStyle,
    SdkStyle,
    assert_stripe_error,
    ids_of,
    payment_params,
)
from .test_subscriptions import subscribe

pytestmark = pytest.mark.fake_only

RETURN_URL = "https://example.com/account"


def setup_session(sdk: SdkStyle, **params: Any) -> Any:
    return sdk.create({"mode": "setup", "currency": "usd", "success_url": SUCCESS_URL, **params})


def complete(backend: Backend, session_id: str) -> dict[str, Any]:
    assert backend.fake is not None
    completed: dict[str, Any] = backend.fake.sessions.complete(session_id)
    return completed


def create_portal_session(sdk: SdkStyle, **params: Any) -> Any:
    if isinstance(sdk, ClientStyle):
        return sdk.call(sdk.client.v1.billing_portal.sessions, "create", params=params)
    return sdk.call(stripe.billing_portal.Session, "create", **params)


def event_types(backend: Backend) -> list[str]:
    assert backend.fake is not None
    return [event["type"] for event in reversed(backend.fake.events.all())]


# --- SetupIntents -------------------------------------------------------------------------------


def test_setup_mode_sends_its_events_in_stripes_order(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    customer = stripe_backend.make_customer()
    session = setup_session(sdk, customer=customer)
    complete(stripe_backend, session["id"])
    assert event_types(stripe_backend) == [
        "customer.created",
        "setup_intent.created",
        "payment_method.attached",
        "setup_intent.succeeded",
        "checkout.session.completed",
    ]


def test_the_sessions_setup_intent_waits_for_a_card_until_completion(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    session = setup_session(sdk)
    intent = sdk.resource("setup_intents").retrieve(session["setup_intent"])
    assert intent["object"] == "setup_intent"
    assert (intent["status"], intent["usage"]) == ("requires_payment_method", "off_session")
    assert intent["payment_method"] is None


def test_a_completed_setup_session_expands_to_a_succeeded_intent_and_its_card(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    customer = stripe_backend.make_customer()
    session = setup_session(sdk, customer=customer)
    complete(stripe_backend, session["id"])
    shown = sdk.retrieve(session["id"], {"expand": ["setup_intent.payment_method"]})
    intent = shown["setup_intent"]
    assert (intent["status"], intent["customer"]) == ("succeeded", customer)
    assert intent["payment_method"]["card"]["last4"] == "4242"
    assert intent["payment_method"]["customer"] == customer


def test_an_expired_setup_session_leaves_its_intent_canceled_as_abandoned(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    session = setup_session(sdk)
    sdk.expire(session["id"])
    intent = sdk.resource("setup_intents").retrieve(session["setup_intent"])
    assert (intent["status"], intent["cancellation_reason"]) == ("canceled", "abandoned")
    assert event_types(stripe_backend)[-2:] == ["setup_intent.canceled", "checkout.session.expired"]


def test_setup_intents_list_by_customer(sdk: SdkStyle, stripe_backend: Backend) -> None:
    customer = stripe_backend.make_customer()
    mine = setup_session(sdk, customer=customer)
    setup_session(sdk)
    listed = sdk.resource("setup_intents").list(customer=customer)
    assert ids_of(listed["data"]) == [mine["setup_intent"]]


def test_an_unknown_setup_intent_is_stripes_404(sdk: SdkStyle, stripe_backend: Backend) -> None:
    with pytest.raises(stripe.InvalidRequestError) as caught:
        sdk.resource("setup_intents").retrieve("seti_missing")
    assert_stripe_error(
        caught.value,
        stripe.InvalidRequestError,
        status=404,
        message="No such setup_intent: 'seti_missing'",
        code="resource_missing",
        param="id",
    )


# --- from a session to its objects and back -----------------------------------------------------


def test_list_by_payment_intent_finds_the_session_that_made_it(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    paid = complete(stripe_backend, sdk.create(payment_params())["id"])
    sdk.create(payment_params())
    listed = sdk.list({"payment_intent": paid["payment_intent"]})
    assert ids_of(listed["data"]) == [paid["id"]]


def test_list_by_subscription_finds_the_session_that_made_it(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    done = subscribe(sdk, stripe_backend)
    listed = sdk.list({"subscription": done["subscription"]})
    assert ids_of(listed["data"]) == [done["id"]]


def test_a_paid_session_expands_to_its_intent_and_its_charge(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    paid = complete(stripe_backend, sdk.create(payment_params())["id"])
    shown = sdk.retrieve(paid["id"], {"expand": ["payment_intent.latest_charge"]})
    intent = shown["payment_intent"]
    assert (intent["id"], intent["status"]) == (paid["payment_intent"], "succeeded")
    assert intent["latest_charge"]["object"] == "charge"
    assert intent["latest_charge"]["payment_intent"] == intent["id"]


def test_a_subscription_session_expands_to_its_subscription_invoice_and_customer(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    done = subscribe(sdk, stripe_backend)
    shown = sdk.retrieve(done["id"], {"expand": ["subscription", "invoice", "customer"]})
    assert (shown["subscription"]["object"], shown["subscription"]["id"]) == (
        "subscription",
        done["subscription"],
    )
    assert (shown["invoice"]["object"], shown["invoice"]["status"]) == ("invoice", "paid")
    assert (shown["customer"]["object"], shown["customer"]["id"]) == ("customer", done["customer"])


# --- the customer portal ------------------------------------------------------------------------


def test_a_portal_session_sends_the_customer_to_a_portal_url(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    customer = stripe_backend.make_customer()
    portal = create_portal_session(sdk, customer=customer, return_url=RETURN_URL)
    assert portal["object"] == "billing_portal.session"
    assert (portal["customer"], portal["return_url"]) == (customer, RETURN_URL)
    assert portal["configuration"].startswith("bpc_")
    base = sdk.door.api_base or "https://billing.stripe.com"
    assert portal["url"].startswith(f"{base}/p/session/test_")


def test_a_portal_session_for_an_unknown_customer_is_no_such_customer(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    with pytest.raises(stripe.InvalidRequestError) as caught:
        create_portal_session(sdk, customer="cus_missing", return_url=RETURN_URL)
    assert_stripe_error(
        caught.value,
        stripe.InvalidRequestError,
        status=400,
        message="No such customer: 'cus_missing'",
        code="resource_missing",
        param="customer",
    )


def test_a_portal_session_without_a_customer_is_missing_param(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    with pytest.raises(stripe.InvalidRequestError) as caught:
        create_portal_session(sdk, return_url=RETURN_URL)
    assert_stripe_error(
        caught.value,
        stripe.InvalidRequestError,
        status=400,
        message="Missing required param: customer.",
        code="parameter_missing",
        param="customer",
    )
