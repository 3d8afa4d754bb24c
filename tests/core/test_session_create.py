"""Creating a Checkout Session: defaults, derived fields and the create-time rules."""

from __future__ import annotations

import re

import pytest

from fakecheckout import InvalidRequestError
from fakecheckout.core.world import World

from .conftest import START, payment_params, shirt


def test_create_returns_an_open_checkout_session(world: World) -> None:
    session = world.sessions.create(**payment_params())
    assert session["object"] == "checkout.session"
    assert session["status"] == "open"
    assert session["payment_status"] == "unpaid"
    assert session["livemode"] is False


def test_session_id_looks_like_a_test_mode_id(world: World) -> None:
    session = world.sessions.create(**payment_params())
    assert re.fullmatch(r"cs_test_[ab]1[0-9A-Za-z]{56}", session["id"])


def test_same_seed_gives_the_same_ids(clock) -> None:
    first = World(clock=clock, seed=7).sessions.create(**payment_params())
    second = World(clock=clock, seed=7).sessions.create(**payment_params())
    assert first["id"] == second["id"]


def test_created_is_the_clock_and_expires_at_is_24_hours_later(world: World) -> None:
    session = world.sessions.create(**payment_params())
    assert session["created"] == START
    assert session["expires_at"] == START + 86400


def test_amounts_are_unit_amount_times_quantity_summed(world: World) -> None:
    session = world.sessions.create(
        **payment_params(line_items=[shirt(quantity=2), shirt(unit_amount=250, quantity=3)])
    )
    assert session["amount_subtotal"] == 2 * 1500 + 3 * 250
    assert session["amount_total"] == 2 * 1500 + 3 * 250
    assert session["total_details"] == {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0}
    assert session["currency"] == "usd"


def test_hosted_page_session_has_a_url_and_no_client_secret(world: World) -> None:
    session = world.sessions.create(**payment_params())
    assert session["ui_mode"] == "hosted_page"
    assert session["url"].startswith(f"https://checkout.stripe.com/c/pay/{session['id']}#")
    assert session["client_secret"] is None


@pytest.mark.parametrize("ui_mode", ["embedded_page", "elements", "form"])
def test_other_ui_modes_have_a_client_secret_and_no_url(world: World, ui_mode: str) -> None:
    params = payment_params(ui_mode=ui_mode)
    del params["success_url"]
    session = world.sessions.create(**params)
    assert session["url"] is None
    assert session["client_secret"].startswith(session["id"] + "_secret_")


def test_line_items_are_absent_unless_expanded(world: World) -> None:
    session = world.sessions.create(**payment_params())
    assert "line_items" not in session
    expanded = world.sessions.create(**payment_params(expand=["line_items"]))
    assert expanded["line_items"]["object"] == "list"
    assert expanded["line_items"]["url"] == f"/v1/checkout/sessions/{expanded['id']}/line_items"
    assert expanded["line_items"]["data"][0]["description"] == "T-shirt"


def test_parameters_with_a_field_are_echoed(world: World) -> None:
    session = world.sessions.create(
        **payment_params(
            client_reference_id="order-42",
            customer_email="ada@example.com",
            locale="fr",
            metadata={"order": "42"},
            cancel_url="https://example.com/cancel",
            allowed_payment_method_types=["card", "link"],
            allow_promotion_codes=True,
            billing_address_collection="required",
            submit_type="donate",
        )
    )
    assert session["client_reference_id"] == "order-42"
    assert session["customer_email"] == "ada@example.com"
    assert session["customer_details"]["email"] == "ada@example.com"
    assert session["locale"] == "fr"
    assert session["metadata"] == {"order": "42"}
    assert session["cancel_url"] == "https://example.com/cancel"
    assert session["allowed_payment_method_types"] == ["card", "link"]
    assert session["payment_method_types"] == ["card", "link"]
    assert session["allow_promotion_codes"] is True
    assert session["billing_address_collection"] == "required"
    assert session["submit_type"] == "donate"


def test_string_values_from_a_form_are_coerced_like_python_values(world: World) -> None:
    as_strings = {
        "mode": "payment",
        "line_items": {
            "0": {
                "price_data": {
                    "currency": "usd",
                    "unit_amount": "1500",
                    "product_data": {"name": "T-shirt"},
                },
                "quantity": "2",
            }
        },
        "allow_promotion_codes": "true",
    }
    session = world.sessions.create(**as_strings)
    assert session["amount_total"] == 3000
    assert session["allow_promotion_codes"] is True


def test_setup_mode_has_a_setup_intent_and_no_amounts(world: World) -> None:
    session = world.sessions.create(mode="setup", currency="eur", success_url="https://e.com/ok")
    assert session["setup_intent"].startswith("seti_")
    assert session["payment_status"] == "no_payment_required"
    assert session["amount_subtotal"] is None
    assert session["amount_total"] is None
    assert session["total_details"] is None
    assert session["currency"] == "eur"


def test_registered_price_is_used_by_id(world: World) -> None:
    price = world.prices.add(unit_amount=999, currency="eur", product_name="Mug")
    session = world.sessions.create(
        mode="payment", line_items=[{"price": price["id"], "quantity": 3}], expand=["line_items"]
    )
    item = session["line_items"]["data"][0]
    assert item["price"] == price
    assert item["description"] == "Mug"
    assert session["amount_total"] == 2997
    assert session["currency"] == "eur"


def test_unknown_price_is_a_400_naming_the_line_item(world: World) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        world.sessions.create(
            mode="payment", line_items=[shirt(), {"price": "price_nope", "quantity": 1}]
        )
    error = caught.value
    assert error.http_status == 400
    assert error.code == "resource_missing"
    assert error.param == "line_items[1][price]"
    assert error.message == "No such price: 'price_nope'"


def test_recurring_price_needs_subscription_mode(world: World) -> None:
    price = world.prices.add(unit_amount=500, currency="usd", recurring={"interval": "month"})
    with pytest.raises(InvalidRequestError) as caught:
        world.sessions.create(mode="payment", line_items=[{"price": price["id"], "quantity": 1}])
    assert caught.value.param == "line_items[0]"
    assert "subscription" in caught.value.message


def test_subscription_mode_needs_a_recurring_price(world: World) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        world.sessions.create(mode="subscription", line_items=[shirt()])
    assert "recurring" in caught.value.message


def test_subscription_with_a_recurring_price_is_created(world: World) -> None:
    price = world.prices.add(unit_amount=500, currency="usd", recurring={"interval": "month"})
    session = world.sessions.create(
        mode="subscription", line_items=[{"price": price["id"], "quantity": 1}]
    )
    assert session["mode"] == "subscription"
    assert session["amount_total"] == 500
    assert session["invoice_creation"] is None


def test_missing_mode_is_a_missing_param(world: World) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        world.sessions.create(line_items=[shirt()])
    assert (caught.value.code, caught.value.param) == ("parameter_missing", "mode")
    assert caught.value.message == "Missing required param: mode."


def test_payment_mode_needs_line_items(world: World) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        world.sessions.create(mode="payment")
    assert caught.value.param == "line_items"


def test_line_items_need_a_quantity(world: World) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        world.sessions.create(
            mode="payment",
            line_items=[
                {"price_data": {"currency": "usd", "unit_amount": 1, "product_data": {"name": "x"}}}
            ],
        )
    assert caught.value.param == "line_items[0][quantity]"


def test_line_items_in_two_currencies_are_refused(world: World) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        world.sessions.create(mode="payment", line_items=[shirt(), shirt(currency="eur")])
    assert caught.value.param == "line_items[1]"


def test_expires_at_may_be_30_minutes_to_24_hours_after_creation(world: World) -> None:
    for lifetime in (1800, 7200, 86400):
        session = world.sessions.create(**payment_params(expires_at=START + lifetime))
        assert session["expires_at"] == START + lifetime


def test_expires_at_sooner_than_30_minutes_is_refused(world: World) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        world.sessions.create(**payment_params(expires_at=START + 1799))
    assert caught.value.message == (
        "The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation."
    )
    assert caught.value.param is None


def test_expires_at_later_than_24_hours_is_refused(world: World) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        world.sessions.create(**payment_params(expires_at=START + 86401))
    assert caught.value.message == (
        "The `expires_at` timestamp must be less than 24 hours from Checkout Session creation."
    )


def test_success_url_is_not_allowed_for_embedded_page(world: World) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        world.sessions.create(**payment_params(ui_mode="embedded_page"))
    assert caught.value.param == "success_url"


def test_invalid_mode_lists_the_three_modes(world: World) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        world.sessions.create(**payment_params(mode="donation"))
    assert caught.value.message == "Invalid mode: must be one of payment, setup, or subscription"


def test_unknown_parameter_is_refused(world: World) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        world.sessions.create(**payment_params(colour="red"))
    assert (caught.value.code, caught.value.param) == ("parameter_unknown", "colour")


def test_customer_must_exist(world: World) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        world.sessions.create(**payment_params(customer="cus_missing"))
    assert (caught.value.http_status, caught.value.param) == (400, "customer")


def test_known_customer_is_echoed_and_expandable(world: World) -> None:
    customer = world.customers.add(email="ada@example.com")
    session = world.sessions.create(**payment_params(customer=customer["id"], expand=["customer"]))
    assert session["customer"]["id"] == customer["id"]
    assert session["customer_creation"] is None
    assert session["customer_details"]["email"] == "ada@example.com"


def test_a_failed_create_stores_nothing(world: World) -> None:
    with pytest.raises(InvalidRequestError):
        world.sessions.create(**payment_params(expand=["payment_link.nope"]))
    assert world.sessions.list()["data"] == []


def test_returned_objects_are_copies(world: World) -> None:
    session = world.sessions.create(**payment_params(metadata={"a": "1"}))
    session["metadata"]["a"] = "changed"
    session["payment_method_types"].append("evil")
    again = world.sessions.retrieve(session["id"])
    assert again["metadata"] == {"a": "1"}
    assert again["payment_method_types"] == ["card"]


def test_unit_amount_decimal_rounds_half_up_per_line(world: World) -> None:
    item = {
        "price_data": {
            "currency": "usd",
            "unit_amount_decimal": "100.5",
            "product_data": {"name": "Bolt"},
        },
        "quantity": 3,
    }
    assert world.sessions.create(mode="payment", line_items=[item])["amount_total"] == 302


@pytest.mark.parametrize("value", ["-5", "-0.5"])
def test_negative_unit_amount_decimal_is_refused(world: World, value: str) -> None:
    item = {
        "price_data": {
            "currency": "usd",
            "unit_amount_decimal": value,
            "product_data": {"name": "x"},
        },
        "quantity": 1,
    }
    with pytest.raises(InvalidRequestError) as caught:
        world.sessions.create(mode="payment", line_items=[item])
    assert caught.value.param == "line_items[0][price_data][unit_amount_decimal]"


def test_huge_unit_amount_decimal_is_a_400(world: World) -> None:
    item = {
        "price_data": {
            "currency": "usd",
            "unit_amount_decimal": "1" + "0" * 28,
            "product_data": {"name": "x"},
        },
        "quantity": 1,
    }
    with pytest.raises(InvalidRequestError) as caught:
        world.sessions.create(mode="payment", line_items=[item])
    assert caught.value.message == "This value must be less than or equal to 999999999999."
