"""Defaults that real Stripe responses (``reference/recordings/``) show."""

from __future__ import annotations

from fakecheckout import FakeCheckout

ITEMS = [{"price": "price_r", "quantity": 1}]


def fake() -> FakeCheckout:
    made = FakeCheckout(seed=3)
    made.prices.add(id="price_r", unit_amount=1000, currency="usd")
    made.prices.add(id="price_m", unit_amount=900, currency="usd", recurring={"interval": "month"})
    return made


def test_payment_mode_defaults_match_the_recorded_payment_session():
    session = fake().sessions.create(mode="payment", line_items=ITEMS, success_url="https://e.com")
    assert session["payment_method_collection"] == "if_required"
    assert session["payment_method_options"] == {"card": {"request_three_d_secure": "automatic"}}
    assert session["adaptive_pricing"] == {"enabled": True}
    assert session["managed_payments"] == {"enabled": False}


def test_subscription_mode_collects_a_payment_method_always():
    session = fake().sessions.create(
        mode="subscription",
        line_items=[{"price": "price_m", "quantity": 1}],
        success_url="https://e.com",
    )
    assert session["payment_method_collection"] == "always"


def test_setup_mode_has_no_card_options_and_no_adaptive_pricing():
    session = fake().sessions.create(mode="setup", currency="usd", success_url="https://e.com")
    assert session["payment_method_collection"] == "always"
    assert session["payment_method_options"] == {}
    assert session["adaptive_pricing"] is None


def test_a_completed_session_lists_no_tax_ids_as_an_empty_list():
    made = fake()
    session = made.sessions.create(mode="payment", line_items=ITEMS, success_url="https://e.com")
    completed = made.sessions.complete(session["id"])
    assert completed["customer_details"]["tax_ids"] == []


def test_a_session_for_a_customer_has_the_recorded_collected_and_saved_options():
    made = fake()
    customer = made.customers.add(email="jo@example.com")
    session = made.sessions.create(
        mode="subscription",
        customer=customer["id"],
        line_items=[{"price": "price_m", "quantity": 1}],
        success_url="https://e.com",
    )
    assert session["collected_information"] == {
        "business_name": None,
        "individual_name": None,
        "shipping_details": None,
    }
    assert session["saved_payment_method_options"] == {
        "allow_redisplay_filters": ["always"],
        "payment_method_remove": "disabled",
        "payment_method_save": None,
    }


def test_a_session_without_a_customer_has_no_collected_or_saved_options():
    session = fake().sessions.create(mode="payment", line_items=ITEMS, success_url="https://e.com")
    assert session["collected_information"] is None
    assert session["saved_payment_method_options"] is None
