"""The shape every resource shares: the registry, generic expansion, deletion and events."""

from __future__ import annotations

import json

import pytest

from fakecheckout import InvalidRequestError, ManualClock
from fakecheckout.core.world import World
from fakecheckout.http import handler
from fakecheckout.resources import RESOURCES
from tests.factories import payment_params


def test_the_handler_route_table_is_every_registered_resources_routes() -> None:
    assert list(handler.ROUTES) == [route for r in RESOURCES for route in r.routes]


def test_every_registered_resource_is_a_direct_api_of_the_world_and_each_account(
    world: World,
) -> None:
    connected = world.account("acct_1Connected")
    for resource in RESOURCES:
        assert getattr(world, resource.name) is world.platform.api(resource.name)
        assert getattr(connected, resource.name) is connected.api(resource.name)
        assert getattr(connected, resource.name) is not getattr(world, resource.name)


def test_every_registered_resource_is_listed_by_dir_before_first_use(world: World) -> None:
    names = {resource.name for resource in RESOURCES}
    assert names <= set(dir(world))
    assert names <= set(dir(world.account("acct_1Connected")))


def test_the_account_is_created_when_the_fake_is_even_if_first_used_later(
    world: World, clock: ManualClock
) -> None:
    made_at = clock.now()
    clock.advance(3600)
    assert world.accounts.retrieve_current()["created"] == made_at


def test_the_platforms_own_account_id_selects_the_platform(world: World) -> None:
    assert world.account(world.account_id) is world.platform


def test_expanding_more_than_four_levels_is_refused(world: World) -> None:
    session = world.sessions.create(**payment_params())
    with pytest.raises(InvalidRequestError) as caught:
        world.sessions.retrieve(session["id"], expand=["line_items.data.price.product.x"])
    assert caught.value.param == "expand"


def test_an_expandable_field_that_is_null_stays_null(world: World) -> None:
    customer = world.customers.create()
    expanded = world.customers.retrieve(
        customer["id"], expand=["invoice_settings.default_payment_method", "test_clock"]
    )
    assert expanded["invoice_settings"]["default_payment_method"] is None
    assert expanded["test_clock"] is None


def test_an_unknown_expand_path_of_a_customer_cannot_be_expanded(world: World) -> None:
    customer = world.customers.create()
    with pytest.raises(InvalidRequestError) as caught:
        world.customers.retrieve(customer["id"], expand=["email"])
    assert caught.value.message == "This property cannot be expanded (email)."


def test_expansion_does_not_change_what_is_stored(world: World) -> None:
    price = world.prices.create(unit_amount=100, currency="usd", product_data={"name": "P"})
    world.prices.retrieve(price["id"], expand=["product"])
    assert world.prices.retrieve(price["id"])["product"] == price["product"]


def test_a_refused_product_delete_changes_nothing(world: World) -> None:
    price = world.prices.create(unit_amount=100, currency="usd", product_data={"name": "P"})
    events_before = world.events.list()["data"]
    with pytest.raises(InvalidRequestError):
        world.products.delete(price["product"])
    assert world.products.retrieve(price["product"])["name"] == "P"
    assert world.events.list()["data"] == events_before


def test_a_product_without_prices_can_be_deleted_and_then_retrieves_as_a_stub(
    world: World,
) -> None:
    product = world.products.create(name="Lonely")
    world.products.delete(product["id"])
    assert world.products.retrieve(product["id"]) == {
        "id": product["id"],
        "object": "product",
        "deleted": True,
    }
    assert world.products.list()["data"] == []
    with pytest.raises(InvalidRequestError) as caught:
        world.prices.create(product=product["id"], unit_amount=1, currency="usd")
    assert (caught.value.http_status, caught.value.param) == (400, "product")


def test_an_update_that_changes_nothing_records_no_event(world: World) -> None:
    customer = world.customers.create(email="same@example.com")
    world.customers.update(customer["id"], email="same@example.com")
    assert [event["type"] for event in world.events.list()["data"]] == ["customer.created"]


def test_updating_a_deleted_customer_is_404(world: World) -> None:
    customer = world.customers.create()
    world.customers.delete(customer["id"])
    with pytest.raises(InvalidRequestError) as caught:
        world.customers.update(customer["id"], name="x")
    assert caught.value.http_status == 404


def test_transfer_lookup_key_records_the_old_price_losing_it(world: World) -> None:
    old = world.prices.add(unit_amount=1, currency="usd", lookup_key="k")
    world.prices.create(
        unit_amount=2,
        currency="usd",
        product_data={"name": "P"},
        lookup_key="k",
        transfer_lookup_key=True,
    )
    updated = [e for e in world.events.list()["data"] if e["type"] == "price.updated"]
    assert [e["data"]["object"]["id"] for e in updated] == [old["id"]]
    assert updated[0]["data"]["previous_attributes"] == {"lookup_key": "k"}


def test_archiving_the_default_price_of_a_product_is_refused(world: World) -> None:
    product = world.products.create(
        name="With default", default_price_data={"currency": "usd", "unit_amount": 500}
    )
    assert product["default_price"].startswith("price_")
    with pytest.raises(InvalidRequestError) as caught:
        world.prices.update(product["default_price"], active=False)
    assert caught.value.message == (
        "This price cannot be archived because it is the default price of its product."
    )


def test_a_completed_subscription_session_creates_its_customer_with_an_event(
    world: World,
) -> None:
    price = world.prices.add(unit_amount=900, currency="usd", recurring={"interval": "month"})
    session = world.sessions.create(
        mode="subscription",
        line_items=[{"price": price["id"], "quantity": 1}],
        success_url="https://example.com/ok",
        customer_email="sub@example.com",
    )
    completed = world.sessions.complete(session["id"])
    customer = world.customers.retrieve(completed["customer"])
    assert customer["email"] == "sub@example.com"
    types = [event["type"] for event in world.events.all()][::-1]
    assert types[-1] == "checkout.session.completed"
    assert types.index("customer.created") < types.index("customer.subscription.created")


def test_webhooks_carry_resource_events(world: World) -> None:
    delivered: list[str] = []
    world.webhooks.subscribe(lambda payload, headers: delivered.append(json.loads(payload)["type"]))
    customer = world.customers.create()
    world.customers.delete(customer["id"])
    assert delivered == ["customer.created", "customer.deleted"]


def test_a_wrong_path_through_a_null_field_cannot_be_expanded(world: World) -> None:
    session = world.sessions.create(**payment_params())
    with pytest.raises(InvalidRequestError) as caught:
        world.sessions.retrieve(session["id"], expand=["customer.nonsense"])
    assert caught.value.message == "This property cannot be expanded (customer.nonsense)."


def test_data_itself_cannot_be_expanded_even_on_an_empty_list(world: World) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        world.customers.list(expand=["data"])
    assert caught.value.message == "This property cannot be expanded (data)."


def test_a_chosen_product_id_in_use_is_refused_and_nothing_is_stored(world: World) -> None:
    world.products.create(id="prod_mine", name="First")
    with pytest.raises(InvalidRequestError) as caught:
        world.prices.create(
            unit_amount=1, currency="usd", product_data={"id": "prod_mine", "name": "Second"}
        )
    assert caught.value.param == "product_data[id]"
    assert world.products.retrieve("prod_mine")["name"] == "First"
    assert world.prices.list()["data"] == []
