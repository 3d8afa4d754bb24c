"""Customer portal sessions: ``POST /v1/billing_portal/sessions``, its object and its errors."""

from __future__ import annotations

import base64

import pytest

from fakecheckout import InvalidRequestError
from fakecheckout.core.world import World

from .conftest import START

RETURN_URL = "https://example.com/account"


def _customer(world: World) -> str:
    return str(world.customers.create(email="portal@example.com")["id"])


def _subscription(world: World) -> str:
    price = world.prices.create(
        unit_amount=900,
        currency="usd",
        recurring={"interval": "month"},
        product_data={"name": "Pro"},
    )
    session = world.sessions.create(
        mode="subscription",
        line_items=[{"price": price["id"], "quantity": 1}],
        success_url="https://example.com/ok",
    )
    return str(world.sessions.complete(session["id"])["subscription"])


def test_a_portal_session_names_the_customer_and_where_to_return(world: World) -> None:
    customer = _customer(world)
    portal = world.billing_portal_sessions.create(customer=customer, return_url=RETURN_URL)
    assert portal["object"] == "billing_portal.session"
    assert portal["id"].startswith("bps_")
    assert (portal["customer"], portal["return_url"]) == (customer, RETURN_URL)
    assert (portal["created"], portal["livemode"]) == (START, False)
    assert (portal["flow"], portal["locale"], portal["on_behalf_of"]) == (None, None, None)
    assert portal["customer_account"] is None


def test_the_fields_are_stripes_in_stripes_order(world: World) -> None:
    portal = world.billing_portal_sessions.create(customer=_customer(world))
    assert list(portal) == [
        "id",
        "object",
        "configuration",
        "created",
        "customer",
        "customer_account",
        "flow",
        "livemode",
        "locale",
        "on_behalf_of",
        "return_url",
        "url",
    ]


def test_without_return_url_the_session_has_none(world: World) -> None:
    assert world.billing_portal_sessions.create(customer=_customer(world))["return_url"] is None


def test_every_session_of_an_account_uses_its_one_default_configuration(world: World) -> None:
    customer = _customer(world)
    first = world.billing_portal_sessions.create(customer=customer)
    second = world.billing_portal_sessions.create(customer=customer)
    assert first["configuration"].startswith("bpc_")
    assert first["configuration"] == second["configuration"]
    assert first["configuration"] == world.billing_portal_sessions.default_configuration


def test_naming_the_default_configuration_is_accepted(world: World) -> None:
    default = world.billing_portal_sessions.default_configuration
    portal = world.billing_portal_sessions.create(customer=_customer(world), configuration=default)
    assert portal["configuration"] == default


def test_the_url_is_a_portal_link_on_billing_stripe_com(world: World) -> None:
    portal = world.billing_portal_sessions.create(customer=_customer(world))
    prefix = "https://billing.stripe.com/p/session/test_"
    assert portal["url"].startswith(prefix)
    token = portal["url"][len(prefix) :]
    decoded = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    assert decoded.startswith(f"{world.account_id},_")


def test_each_session_has_its_own_url(world: World) -> None:
    customer = _customer(world)
    urls = {world.billing_portal_sessions.create(customer=customer)["url"] for _ in range(3)}
    assert len(urls) == 3


def test_the_url_is_on_the_fakes_server_when_it_serves_pages(world: World) -> None:
    world.checkout_page_base_url = "http://127.0.0.1:12111"
    portal = world.billing_portal_sessions.create(customer=_customer(world))
    assert portal["url"].startswith("http://127.0.0.1:12111/p/session/test_")


def test_locale_and_on_behalf_of_are_shown(world: World) -> None:
    portal = world.billing_portal_sessions.create(
        customer=_customer(world), locale="fr", on_behalf_of="acct_1Connected"
    )
    assert (portal["locale"], portal["on_behalf_of"]) == ("fr", "acct_1Connected")


def test_a_payment_method_update_flow_defaults_to_the_portal_homepage(world: World) -> None:
    portal = world.billing_portal_sessions.create(
        customer=_customer(world), flow_data={"type": "payment_method_update"}
    )
    assert portal["flow"] == {
        "after_completion": {
            "hosted_confirmation": None,
            "redirect": None,
            "type": "portal_homepage",
        },
        "subscription_cancel": None,
        "subscription_update": None,
        "subscription_update_confirm": None,
        "type": "payment_method_update",
    }


def test_a_redirect_after_completion_keeps_its_return_url(world: World) -> None:
    portal = world.billing_portal_sessions.create(
        customer=_customer(world),
        flow_data={
            "type": "payment_method_update",
            "after_completion": {"type": "redirect", "redirect": {"return_url": RETURN_URL}},
        },
    )
    assert portal["flow"]["after_completion"]["redirect"] == {"return_url": RETURN_URL}


def test_a_hosted_confirmation_shows_its_custom_message(world: World) -> None:
    portal = world.billing_portal_sessions.create(
        customer=_customer(world),
        flow_data={
            "type": "payment_method_update",
            "after_completion": {
                "type": "hosted_confirmation",
                "hosted_confirmation": {"custom_message": "Thanks!"},
            },
        },
    )
    completion = portal["flow"]["after_completion"]
    assert completion["hosted_confirmation"] == {"custom_message": "Thanks!"}


def test_a_subscription_cancel_flow_names_the_subscription(world: World) -> None:
    subscription = _subscription(world)
    customer = world.subscriptions.retrieve(subscription)["customer"]
    portal = world.billing_portal_sessions.create(
        customer=customer,
        flow_data={
            "type": "subscription_cancel",
            "subscription_cancel": {"subscription": subscription},
        },
    )
    assert portal["flow"]["type"] == "subscription_cancel"
    assert portal["flow"]["subscription_cancel"] == {
        "retention": None,
        "subscription": subscription,
    }


def test_a_subscription_update_confirm_flow_lists_its_items(world: World) -> None:
    subscription = _subscription(world)
    shown = world.subscriptions.retrieve(subscription)
    item = shown["items"]["data"][0]["id"]
    portal = world.billing_portal_sessions.create(
        customer=shown["customer"],
        flow_data={
            "type": "subscription_update_confirm",
            "subscription_update_confirm": {
                "subscription": subscription,
                "items": [{"id": item, "quantity": 2}],
            },
        },
    )
    assert portal["flow"]["subscription_update_confirm"] == {
        "discounts": None,
        "items": [{"id": item, "price": None, "quantity": 2}],
        "subscription": subscription,
    }


def test_a_missing_customer_is_stripes_missing_param(world: World) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        world.billing_portal_sessions.create(return_url=RETURN_URL)
    error = caught.value
    assert (error.http_status, error.code, error.param) == (400, "parameter_missing", "customer")
    assert error.message == "Missing required param: customer."


def test_an_unknown_customer_is_stripes_no_such_customer(world: World) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        world.billing_portal_sessions.create(customer="cus_missing")
    error = caught.value
    assert (error.http_status, error.code, error.param) == (400, "resource_missing", "customer")
    assert error.message == "No such customer: 'cus_missing'"


def test_a_deleted_customer_is_no_such_customer(world: World) -> None:
    customer = _customer(world)
    world.customers.delete(customer)
    with pytest.raises(InvalidRequestError) as caught:
        world.billing_portal_sessions.create(customer=customer)
    assert caught.value.message == f"No such customer: '{customer}'"


def test_an_unknown_configuration_is_no_such_configuration(world: World) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        world.billing_portal_sessions.create(customer=_customer(world), configuration="bpc_other")
    error = caught.value
    assert (error.code, error.param) == ("resource_missing", "configuration")
    assert error.message == "No such configuration: 'bpc_other'"


def test_a_subscription_flow_needs_its_hash(world: World) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        world.billing_portal_sessions.create(
            customer=_customer(world), flow_data={"type": "subscription_update"}
        )
    assert caught.value.message == "Missing required param: flow_data[subscription_update]."


def test_a_flow_naming_an_unknown_subscription_is_no_such_subscription(world: World) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        world.billing_portal_sessions.create(
            customer=_customer(world),
            flow_data={
                "type": "subscription_cancel",
                "subscription_cancel": {"subscription": "sub_x"},
            },
        )
    error = caught.value
    assert error.param == "flow_data[subscription_cancel][subscription]"
    assert error.message == "No such subscription: 'sub_x'"


def test_a_redirect_completion_needs_its_redirect(world: World) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        world.billing_portal_sessions.create(
            customer=_customer(world),
            flow_data={"type": "payment_method_update", "after_completion": {"type": "redirect"}},
        )
    assert caught.value.param == "flow_data[after_completion][redirect]"


def test_an_invalid_return_url_is_refused(world: World) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        world.billing_portal_sessions.create(customer=_customer(world), return_url="not a url")
    assert (caught.value.param, caught.value.message) == ("return_url", "Not a valid URL")


def test_a_refused_request_creates_no_configuration_or_session(world: World) -> None:
    with pytest.raises(InvalidRequestError):
        world.billing_portal_sessions.create(customer="cus_missing")
    assert world.billing_portal_sessions._sessions == {}
    assert world.billing_portal_sessions._configuration is None


def test_expanding_the_configuration_is_refused_as_not_emulated(world: World) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        world.billing_portal_sessions.create(customer=_customer(world), expand=["configuration"])
    assert caught.value.param == "expand"
