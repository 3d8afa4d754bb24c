"""Every session the fake returns matches the reference JSON Schema of ``checkout.session``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from fakecheckout import InvalidRequestError, ManualClock
from fakecheckout.core.world import World

from .conftest import payment_params, shirt

SCHEMA = json.loads(
    (Path(__file__).parent.parent / "fixtures" / "checkout.session.schema.json").read_text()
)
VALIDATOR = Draft202012Validator(SCHEMA)
ITEM_VALIDATOR = Draft202012Validator({**SCHEMA["$defs"]["item"], "$defs": SCHEMA["$defs"]})


def assert_valid(session: dict[str, Any]) -> None:
    errors = sorted(VALIDATOR.iter_errors(session), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)
    for field in SCHEMA["required"]:
        assert field in session, field
    allowed = set(SCHEMA["properties"])
    assert set(session) <= allowed, set(session) - allowed


def sessions_of_every_kind(world: World, clock: ManualClock) -> list[dict[str, Any]]:
    monthly = world.prices.add(unit_amount=900, currency="usd", recurring={"interval": "month"})
    customer = world.customers.add(email="ada@example.com")
    made = [
        world.sessions.create(**payment_params()),
        world.sessions.create(**payment_params(expand=["line_items"], metadata={"k": "v"})),
        world.sessions.create(mode="setup", currency="usd", success_url="https://e.com/ok"),
        world.sessions.create(
            mode="subscription",
            line_items=[{"price": monthly["id"], "quantity": 1}],
            customer=customer["id"],
        ),
        world.sessions.create(
            mode="payment",
            line_items=[shirt()],
            ui_mode="embedded_page",
            return_url="https://e.com/return",
        ),
        world.sessions.create(
            **payment_params(
                shipping_options=[
                    {
                        "shipping_rate_data": {
                            "display_name": "Post",
                            "type": "fixed_amount",
                            "fixed_amount": {"amount": 500, "currency": "usd"},
                        }
                    }
                ],
                automatic_tax={"enabled": True},
                custom_fields=[
                    {
                        "key": "size",
                        "label": {"type": "custom", "custom": "Size"},
                        "type": "dropdown",
                        "dropdown": {"options": [{"label": "S", "value": "s"}]},
                    }
                ],
                custom_text={"submit": {"message": "Thanks"}},
                consent_collection={"terms_of_service": "required"},
                phone_number_collection={"enabled": True},
                tax_id_collection={"enabled": True},
                invoice_creation={"enabled": True, "invoice_data": {"description": "Order"}},
                after_expiration={"recovery": {"enabled": True}},
            )
        ),
    ]
    made.append(world.sessions.expire(made[0]["id"]))
    return made


def test_every_kind_of_session_matches_the_schema(world: World, clock: ManualClock) -> None:
    for session in sessions_of_every_kind(world, clock):
        assert_valid(session)


def test_listed_sessions_match_the_schema(world: World, clock: ManualClock) -> None:
    sessions_of_every_kind(world, clock)
    for session in world.sessions.list(limit=100, expand=["data.line_items"])["data"]:
        assert_valid(session)


def test_line_items_match_the_item_schema(world: World) -> None:
    session = world.sessions.create(**payment_params(line_items=[shirt(), shirt(quantity=3)]))
    for item in world.sessions.list_line_items(session["id"])["data"]:
        errors = list(ITEM_VALIDATOR.iter_errors(item))
        assert not errors, errors


def test_shipping_option_adds_to_the_total(world: World) -> None:
    session = world.sessions.create(
        **payment_params(
            shipping_options=[
                {
                    "shipping_rate_data": {
                        "display_name": "Post",
                        "type": "fixed_amount",
                        "fixed_amount": {"amount": 500, "currency": "usd"},
                    }
                }
            ]
        )
    )
    assert session["amount_subtotal"] == 1500
    assert session["amount_total"] == 2000
    assert session["total_details"]["amount_shipping"] == 500
    assert session["shipping_cost"]["amount_total"] == 500


@pytest.mark.parametrize("field", sorted(SCHEMA["required"]))
def test_always_present_field_is_present(world: World, field: str) -> None:
    assert field in world.sessions.create(**payment_params())


def test_echoed_optional_hashes_match_the_schema(world: World) -> None:
    price = world.prices.add(unit_amount=300, currency="usd", product_name="Sticker")
    session = world.sessions.create(
        **payment_params(
            branding_settings={"display_name": "Shop", "border_style": "rounded"},
            name_collection={"business": {"enabled": True}},
            optional_items=[{"price": price["id"], "quantity": 1}],
            wallet_options={"link": {"display": "never"}},
            managed_payments={"enabled": False},
            adaptive_pricing={"enabled": True},
            saved_payment_method_options={"payment_method_save": "enabled"},
            shipping_address_collection={"allowed_countries": ["FR", "DE"]},
            excluded_payment_method_types=["klarna"],
        )
    )
    assert_valid(session)
    assert session["optional_items"] == [
        {"adjustable_quantity": None, "price": price["id"], "quantity": 1}
    ]
    assert session["name_collection"] == {"business": {"enabled": True, "optional": False}}
    assert session["branding_settings"]["display_name"] == "Shop"


def test_optional_item_with_an_unknown_price_is_refused(world: World) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        world.sessions.create(
            **payment_params(optional_items=[{"price": "price_nope", "quantity": 1}])
        )
    assert caught.value.param == "optional_items[0][price]"
