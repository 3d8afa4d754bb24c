"""Retrieve, update and manual expiry."""

from __future__ import annotations

import pytest

from fakecheckout import InvalidRequestError
from fakecheckout.core.world import World

from .conftest import payment_params, shirt


def test_retrieve_returns_what_create_returned(world: World) -> None:
    session = world.sessions.create(**payment_params())
    assert world.sessions.retrieve(session["id"]) == session


def test_retrieve_of_an_unknown_id_is_a_404(world: World) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        world.sessions.retrieve("cs_test_missing")
    error = caught.value
    assert (error.http_status, error.code, error.param) == (404, "resource_missing", "session")
    assert error.message == "No such checkout.session: 'cs_test_missing'"


def test_retrieve_takes_only_expand(world: World) -> None:
    session = world.sessions.create(**payment_params())
    with pytest.raises(InvalidRequestError) as caught:
        world.sessions.retrieve(session["id"], limit=3)
    assert caught.value.code == "parameter_unknown"


def test_expand_of_an_unknown_path_is_refused(world: World) -> None:
    session = world.sessions.create(**payment_params())
    with pytest.raises(InvalidRequestError) as caught:
        world.sessions.retrieve(session["id"], expand=["colour"])
    assert caught.value.param == "expand"
    assert caught.value.message == "This property cannot be expanded (colour)."


def test_expand_of_a_null_expandable_field_keeps_it_null(world: World) -> None:
    session = world.sessions.create(**payment_params())
    assert (
        world.sessions.retrieve(session["id"], expand=["payment_intent"])["payment_intent"] is None
    )


def test_expand_of_an_id_the_fake_does_not_model_is_refused(world: World) -> None:
    session = world.sessions.create(mode="setup", currency="usd")
    world.sessions.complete(session["id"])  # its SetupIntent names a SetupAttempt now
    with pytest.raises(InvalidRequestError) as caught:
        world.sessions.retrieve(session["id"], expand=["setup_intent.latest_attempt"])
    assert caught.value.param == "expand"
    assert "fakecheckout" in caught.value.message


def test_update_merges_metadata(world: World) -> None:
    session = world.sessions.create(**payment_params(metadata={"a": "1", "b": "2"}))
    updated = world.sessions.update(session["id"], metadata={"b": "3", "c": "4"})
    assert updated["metadata"] == {"a": "1", "b": "3", "c": "4"}


def test_update_with_an_empty_value_unsets_that_key(world: World) -> None:
    session = world.sessions.create(**payment_params(metadata={"a": "1", "b": "2"}))
    assert world.sessions.update(session["id"], metadata={"a": ""})["metadata"] == {"b": "2"}


def test_update_with_empty_metadata_unsets_every_key(world: World) -> None:
    session = world.sessions.create(**payment_params(metadata={"a": "1", "b": "2"}))
    assert world.sessions.update(session["id"], metadata="")["metadata"] == {}


def test_update_refuses_fields_that_are_not_updatable(world: World) -> None:
    session = world.sessions.create(**payment_params())
    with pytest.raises(InvalidRequestError) as caught:
        world.sessions.update(session["id"], success_url="https://example.com/other")
    assert (caught.value.code, caught.value.param) == ("parameter_unknown", "success_url")


def test_update_of_line_items_recomputes_the_amounts(world: World) -> None:
    session = world.sessions.create(**payment_params(expand=["line_items"]))
    item_id = session["line_items"]["data"][0]["id"]
    updated = world.sessions.update(
        session["id"], line_items=[{"id": item_id, "quantity": 4}, shirt(unit_amount=100)]
    )
    assert updated["amount_total"] == 4 * 1500 + 100
    items = world.sessions.list_line_items(session["id"])["data"]
    assert [item["id"] for item in items][0] == item_id
    assert len(items) == 2


def test_update_of_an_unknown_line_item_changes_nothing(world: World) -> None:
    session = world.sessions.create(**payment_params())
    with pytest.raises(InvalidRequestError) as caught:
        world.sessions.update(session["id"], line_items=[{"id": "li_nope", "quantity": 1}])
    assert caught.value.param == "line_items[0][id]"
    assert world.sessions.retrieve(session["id"]) == session


def test_expire_makes_an_open_session_expired_without_url(world: World) -> None:
    session = world.sessions.create(**payment_params())
    expired = world.sessions.expire(session["id"])
    assert expired["status"] == "expired"
    assert expired["url"] is None
    assert expired["payment_status"] == "unpaid"
    assert world.sessions.retrieve(session["id"]) == expired


def test_expire_keeps_every_other_field(world: World) -> None:
    session = world.sessions.create(**payment_params())
    expired = world.sessions.expire(session["id"])
    changed = {name for name in session if session[name] != expired[name]}
    assert changed == {"status", "url"}


def test_expire_of_an_expired_session_is_refused(world: World) -> None:
    session = world.sessions.create(**payment_params())
    world.sessions.expire(session["id"])
    with pytest.raises(InvalidRequestError) as caught:
        world.sessions.expire(session["id"])
    error = caught.value
    assert (error.http_status, error.code, error.param) == (400, None, None)
    assert error.message == (
        'Only Checkout Sessions with a status in ["open"] can be expired. '
        "This Checkout Session has a status of `expired`."
    )


def test_expire_of_an_unknown_session_is_a_404(world: World) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        world.sessions.expire("cs_test_missing")
    assert caught.value.http_status == 404


def test_metadata_of_an_expired_session_can_still_be_updated(world: World) -> None:
    session = world.sessions.create(**payment_params())
    world.sessions.expire(session["id"])
    assert world.sessions.update(session["id"], metadata={"a": "1"})["metadata"] == {"a": "1"}


def test_line_items_of_an_expired_session_cannot_be_updated(world: World) -> None:
    session = world.sessions.create(**payment_params())
    world.sessions.expire(session["id"])
    with pytest.raises(InvalidRequestError):
        world.sessions.update(session["id"], line_items=[shirt()])


def test_connected_accounts_do_not_see_each_others_sessions(world: World) -> None:
    session = world.account("acct_1").sessions.create(**payment_params())
    with pytest.raises(InvalidRequestError):
        world.sessions.retrieve(session["id"])
    assert world.account("acct_1").sessions.retrieve(session["id"])["id"] == session["id"]
    assert world.account("acct_2").sessions.list()["data"] == []


def test_an_id_that_cannot_be_a_session_id_is_reported_as_invalid(world: World) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        world.sessions.retrieve("{CHECKOUT_SESSION_ID}")
    error = caught.value
    assert error.message == "Invalid checkout.session id: {CHECKOUT_SESSION_ID}"
    assert (error.code, error.param) == (None, None)


def test_line_items_returned_are_copies(world: World) -> None:
    session = world.sessions.create(**payment_params())
    item = world.sessions.list_line_items(session["id"])["data"][0]
    item["price"]["unit_amount"] = 1
    item["metadata"]["x"] = "y"
    again = world.sessions.list_line_items(session["id"])["data"][0]
    assert again["price"]["unit_amount"] == 1500
    assert again["metadata"] == {}
