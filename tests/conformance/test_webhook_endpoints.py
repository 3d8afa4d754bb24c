"""Webhook endpoints (``/v1/webhook_endpoints``) through both SDK styles.

The URLs are public-looking ones that Stripe's test mode accepts; the fake never POSTs to a public
host, so nothing leaves the process (delivery itself is tested in
``tests/core/test_webhook_delivery.py`` against a loopback server).
"""

from __future__ import annotations

import pytest
import stripe

from ._support import SdkStyle, assert_stripe_error, ids_of, plain

URL = "https://example.com/fakecheckout/webhooks"

#: Every field of a webhook endpoint as Stripe sends it (Stripe's OpenAPI example); ``secret``
#: only in the create response.
FIELDS = {
    "id",
    "object",
    "api_version",
    "application",
    "created",
    "description",
    "enabled_events",
    "livemode",
    "metadata",
    "status",
    "url",
}


def test_create_returns_a_webhook_endpoint_with_every_field_and_its_secret(
    sdk: SdkStyle,
) -> None:
    created = sdk.resource("webhook_endpoints").create(
        url=URL, enabled_events=["checkout.session.completed"]
    )
    assert set(plain(created)) == FIELDS | {"secret"}
    assert created["object"] == "webhook_endpoint"
    assert created["id"].startswith("we_")
    assert created["secret"].startswith("whsec_")
    assert (created["url"], created["enabled_events"]) == (URL, ["checkout.session.completed"])
    assert (created["status"], created["livemode"]) == ("enabled", False)
    assert (created["api_version"], created["application"], created["description"]) == (
        None,
        None,
        None,
    )
    assert plain(created["metadata"]) == {}


def test_retrieve_shows_the_endpoint_without_its_secret(sdk: SdkStyle) -> None:
    endpoints = sdk.resource("webhook_endpoints")
    created = endpoints.create(url=URL, enabled_events=["*"], description="orders")
    retrieved = endpoints.retrieve(created["id"])
    assert set(plain(retrieved)) == FIELDS
    assert plain(retrieved) == {k: v for k, v in plain(created).items() if k != "secret"}


def test_create_keeps_the_api_version_asked_for(sdk: SdkStyle) -> None:
    created = sdk.resource("webhook_endpoints").create(
        url=URL, enabled_events=["*"], api_version="2024-06-20"
    )
    assert created["api_version"] == "2024-06-20"


def test_update_changes_url_events_description_and_merges_metadata(sdk: SdkStyle) -> None:
    endpoints = sdk.resource("webhook_endpoints")
    created = endpoints.create(url=URL, enabled_events=["*"], metadata={"a": "1", "b": "2"})
    updated = endpoints.update(
        created["id"],
        url=URL + "/v2",
        enabled_events=["checkout.session.completed", "checkout.session.expired"],
        description="checkout",
        metadata={"b": "", "c": "3"},
    )
    assert updated["url"] == URL + "/v2"
    assert updated["enabled_events"] == ["checkout.session.completed", "checkout.session.expired"]
    assert updated["description"] == "checkout"
    assert plain(updated["metadata"]) == {"a": "1", "c": "3"}
    assert "secret" not in plain(updated)


def test_disabled_sets_the_status_and_back(sdk: SdkStyle) -> None:
    endpoints = sdk.resource("webhook_endpoints")
    created = endpoints.create(url=URL, enabled_events=["*"])
    assert endpoints.update(created["id"], disabled=True)["status"] == "disabled"
    assert endpoints.retrieve(created["id"])["status"] == "disabled"
    assert endpoints.update(created["id"], disabled=False)["status"] == "enabled"


def test_list_shows_endpoints_newest_first(sdk: SdkStyle) -> None:
    endpoints = sdk.resource("webhook_endpoints")
    older = endpoints.create(url=URL + "/older", enabled_events=["*"])
    newer = endpoints.create(url=URL + "/newer", enabled_events=["*"])
    listing = endpoints.list(limit=100)
    assert listing["url"] == "/v1/webhook_endpoints"
    listed = [i for i in ids_of(listing["data"]) if i in (older["id"], newer["id"])]
    assert listed == [newer["id"], older["id"]]
    assert all("secret" not in plain(endpoint) for endpoint in listing["data"])


def test_list_pages_with_limit_and_starting_after(sdk: SdkStyle) -> None:
    endpoints = sdk.resource("webhook_endpoints")
    endpoints.create(url=URL + "/1", enabled_events=["*"])
    endpoints.create(url=URL + "/2", enabled_events=["*"])
    first = endpoints.list(limit=1)
    assert (len(first["data"]), first["has_more"]) == (1, True)
    second = endpoints.list(limit=1, starting_after=first["data"][0]["id"])
    assert second["data"][0]["id"] != first["data"][0]["id"]


def test_delete_returns_the_deleted_stub(sdk: SdkStyle) -> None:
    endpoints = sdk.resource("webhook_endpoints")
    created = endpoints.create(url=URL, enabled_events=["*"])
    deleted = endpoints.delete(created["id"])
    assert plain(deleted) == {"id": created["id"], "object": "webhook_endpoint", "deleted": True}


def test_a_deleted_endpoint_is_gone(sdk: SdkStyle) -> None:
    endpoints = sdk.resource("webhook_endpoints")
    created = endpoints.create(url=URL, enabled_events=["*"])
    endpoints.delete(created["id"])
    with pytest.raises(stripe.InvalidRequestError) as info:
        endpoints.retrieve(created["id"])
    assert info.value.http_status == 404
    assert created["id"] not in ids_of(endpoints.list(limit=100)["data"])


def test_retrieve_of_an_unknown_id_is_stripes_404(sdk: SdkStyle) -> None:
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.resource("webhook_endpoints").retrieve("we_NoSuchEndpoint0000000000")
    assert_stripe_error(
        info.value,
        stripe.InvalidRequestError,
        status=404,
        message="No such webhook endpoint: 'we_NoSuchEndpoint0000000000'",
        code="resource_missing",
        param="id",
    )


def test_create_with_a_malformed_url_is_a_400(sdk: SdkStyle) -> None:
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.resource("webhook_endpoints").create(
            url="https://exa mple.com/hook", enabled_events=["*"]
        )
    assert_stripe_error(
        info.value,
        stripe.InvalidRequestError,
        status=400,
        message="Not a valid URL",
        code="url_invalid",
        param="url",
    )


def test_create_without_enabled_events_is_a_400(sdk: SdkStyle) -> None:
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.resource("webhook_endpoints").create(url=URL)
    assert_stripe_error(
        info.value,
        stripe.InvalidRequestError,
        status=400,
        message="Missing required param: enabled_events.",
        code="parameter_missing",
        param="enabled_events",
    )


def test_create_with_an_unknown_event_type_is_a_400(sdk: SdkStyle) -> None:
    with pytest.raises(stripe.InvalidRequestError) as info:
        sdk.resource("webhook_endpoints").create(url=URL, enabled_events=["no.such.event"])
    error = info.value
    assert (error.http_status, error.param) == (400, "enabled_events[0]")
    assert error.user_message is not None
    assert error.user_message.startswith("Invalid enabled_events[0]: must be one of *, ")


@pytest.mark.fake_only
def test_the_seventeenth_endpoint_is_refused(sdk: SdkStyle) -> None:
    endpoints = sdk.resource("webhook_endpoints")
    for n in range(16):
        endpoints.create(url=f"{URL}/{n}", enabled_events=["*"])
    with pytest.raises(stripe.InvalidRequestError) as info:
        endpoints.create(url=URL, enabled_events=["*"])
    assert_stripe_error(
        info.value,
        stripe.InvalidRequestError,
        status=400,
        message="You have reached the maximum of 16 test webhook endpoints.",
    )
