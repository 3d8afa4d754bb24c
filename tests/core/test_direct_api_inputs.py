"""Direct-API values no HTTP request can carry: cycles, shared values, huge numbers.

Each call ends in a result or a ``StripeError`` promptly, and a message shows a bounded
rendering of what it was given.
"""

from __future__ import annotations

from typing import Any

import pytest

from fakecheckout import FakeCheckout, StripeError
from fakecheckout.core.world import World
from tests.factories import AUTH, payment_params, shirt

BIG = 10**5000


def _error(call: Any, *args: Any, **kwargs: Any) -> StripeError:
    with pytest.raises(StripeError) as info:
        call(*args, **kwargs)
    return info.value


def test_a_metadata_hash_that_contains_itself_is_refused(world: World):
    cyclic: dict[str, Any] = {}
    cyclic["a"] = cyclic
    error = _error(world.sessions.create, **payment_params(metadata=cyclic))
    assert (error.http_status, error.param) == (400, "metadata[a]")
    assert "contains itself" in error.message


def test_an_array_that_contains_itself_is_refused_in_any_parameter(world: World):
    cyclic: list[Any] = []
    cyclic.append(cyclic)
    for call in (
        lambda: world.sessions.create(**payment_params(line_items=cyclic)),
        lambda: world.sessions.list(expand=cyclic),
        lambda: world.events.list(types=cyclic),
    ):
        assert "contains itself" in _error(call).message


def test_a_cycle_deep_inside_a_line_item_names_its_bracket_path(world: World):
    item = shirt()
    loop: dict[str, Any] = {}
    loop["x"] = loop
    item["price_data"]["product_data"]["metadata"] = loop
    error = _error(world.sessions.create, **payment_params(line_items=[item]))
    assert error.param == "line_items[0][price_data][product_data][metadata][x]"


def test_a_value_shared_between_branches_is_no_cycle(world: World):
    item = shirt()
    session = world.sessions.create(**payment_params(line_items=[item, item]))
    assert session["amount_total"] == 2 * item["price_data"]["unit_amount"]


def test_an_array_shared_at_every_level_is_judged_promptly(world: World):
    shared: list[Any] = ["line_items"]
    for _ in range(200):  # 2**200 paths, 200 containers: each container is looked into once
        shared = [shared, shared]
    error = _error(world.sessions.list, expand=shared)
    assert error.param == "expand[0]"


def test_a_huge_unit_amount_in_prices_add_is_an_invalid_integer_with_a_bounded_message(
    world: World,
):
    error = _error(world.prices.add, unit_amount=BIG, currency="usd")
    assert (error.param, error.message) == (
        "unit_amount",
        "Invalid integer: <an integer of more than 1000 digits>",
    )


def test_a_huge_email_in_customers_add_is_an_invalid_string_with_a_bounded_message(world: World):
    error = _error(world.customers.add, email=BIG)
    assert error.message == "Invalid string: <an integer of more than 1000 digits>"


def test_a_huge_session_id_in_complete_is_a_malformed_id_with_a_bounded_message(world: World):
    error = _error(world.sessions.complete, BIG)
    assert error.message == "Invalid checkout.session id: <an integer of more than 1000 digits>"


def test_a_message_quoting_a_huge_text_keeps_its_ends_and_says_what_it_left_out(world: World):
    error = _error(world.sessions.retrieve, "cs_" + "x" * 100_000)
    assert error.message.startswith("Invalid checkout.session id: cs_xxx")
    assert "characters left out" in error.message and len(error.message) < 6_000


def test_a_cyclic_value_from_a_webhook_callback_during_a_request_is_refused():
    fake = FakeCheckout(seed=1)
    refused: list[str | None] = []

    def callback(payload: Any, headers: Any) -> None:
        cyclic: dict[str, Any] = {}
        cyclic["a"] = cyclic
        refused.append(_error(fake.customers.create, metadata=cyclic).param)

    fake.webhooks.subscribe(callback)
    status, _, _ = fake.handle("POST", "/v1/customers", AUTH, b"email=a%40example.com")
    assert (status, refused) == (200, ["metadata[a]"])
