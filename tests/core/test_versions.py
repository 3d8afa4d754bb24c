"""API versions: each request is validated and answered at its own ``Stripe-Version``.

Version-specific tests name the version they check. https://docs.stripe.com/changelog
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

import fakecheckout
from fakecheckout import FakeCheckout, InvalidRequestError, strategies
from fakecheckout.core import param_tree, versions
from fakecheckout.resources.checkout_sessions import OPTIONAL_FIELDS

KEY = {"Authorization": "Bearer sk_test_versions123"}
PAYMENT = {
    "mode": "payment",
    "line_items": [{"price": "price_v", "quantity": 1}],
    "success_url": "https://example.com/ok",
}
FORM = "mode=payment&line_items[0][price]=price_v&line_items[0][quantity]=1"


def fake_at(api_version: str | None = None) -> FakeCheckout:
    fake = FakeCheckout(api_version=api_version, seed=9)
    fake.prices.add(id="price_v", unit_amount=1200, currency="usd")
    return fake


def post(fake: FakeCheckout, form: str, version: str | None) -> tuple[int, dict[str, str], Any]:
    headers = dict(KEY)
    if version is not None:
        headers["Stripe-Version"] = version
    status, out_headers, body = fake.handle("POST", "/v1/checkout/sessions", headers, form.encode())
    return status, out_headers, json.loads(body)


def test_api_versions_are_exported_oldest_first_and_end_at_endive():
    assert fakecheckout.API_VERSIONS[0] == "2023-10-16"
    assert fakecheckout.API_VERSIONS[-1] == "2026-10-28.endive"
    dates = [version[:10] for version in fakecheckout.API_VERSIONS]
    assert dates == sorted(dates)
    for pinned in ("2024-06-20", "2025-02-24.acacia", "2025-08-27.basil", "2026-08-26.dahlia"):
        assert pinned in fakecheckout.API_VERSIONS


def test_fake_api_version_defaults_to_the_newest():
    assert FakeCheckout().api_version == "2026-10-28.endive"
    assert FakeCheckout(api_version="2024-06-20").api_version == "2024-06-20"


def test_fake_refuses_an_api_version_that_is_none():
    with pytest.raises(ValueError, match="not a Stripe API version"):
        FakeCheckout(api_version="latest")


def test_payment_method_types_is_accepted_at_2026_08_26_dahlia():
    status, _, session = post(
        fake_at(), FORM + "&payment_method_types[0]=card", "2026-08-26.dahlia"
    )
    assert status == 200
    assert session["payment_method_types"] == ["card"]
    assert "allowed_payment_method_types" not in session


def test_payment_method_types_is_an_unknown_parameter_from_2026_09_30_endive():
    status, _, body = post(fake_at(), FORM + "&payment_method_types[0]=card", "2026-09-30.endive")
    assert status == 400
    assert body["error"]["code"] == "parameter_unknown"
    assert body["error"]["message"] == "Received unknown parameter: payment_method_types"


def test_allowed_payment_method_types_is_unknown_before_2026_09_30_endive():
    fake = fake_at("2026-08-26.dahlia")
    with pytest.raises(
        InvalidRequestError, match="unknown parameter: allowed_payment_method_types"
    ):
        fake.sessions.create(**PAYMENT, allowed_payment_method_types=["card"])


def test_ui_mode_embedded_is_accepted_and_read_back_at_2026_02_25_clover():
    fake = fake_at("2026-02-25.clover")
    session = fake.sessions.create(
        mode="payment",
        line_items=PAYMENT["line_items"],
        ui_mode="embedded",
        return_url="https://example.com/back",
    )
    assert session["ui_mode"] == "embedded"
    assert session["client_secret"] is not None
    assert session["url"] is None
    assert fake.sessions.retrieve(session["id"])["ui_mode"] == "embedded"


def test_ui_mode_embedded_is_refused_from_2026_03_25_dahlia_although_no_sdk_pins_it():
    status, _, body = post(fake_at(), FORM + "&ui_mode=embedded", "2026-03-25.dahlia")
    assert status == 400
    assert body["error"]["param"] == "ui_mode"
    assert body["error"]["message"].startswith("Invalid ui_mode: must be one of ")
    assert "embedded_page" in body["error"]["message"]


def test_ui_mode_custom_is_refused_at_2025_02_24_acacia_and_accepted_at_2025_03_31_basil():
    status, _, body = post(
        fake_at(), FORM + "&ui_mode=custom&return_url=https://e.com/r", "2025-02-24.acacia"
    )
    assert status == 400
    assert body["error"]["message"] == "Invalid ui_mode: must be one of hosted or embedded"
    status, _, session = post(
        fake_at(), FORM + "&ui_mode=custom&return_url=https://e.com/r", "2025-03-31.basil"
    )
    assert status == 200
    assert session["ui_mode"] == "custom"


def test_default_ui_mode_reads_hosted_at_2025_12_15_clover_and_hosted_page_at_dahlia():
    fake = fake_at()
    _, _, old = post(fake, FORM + "&success_url=https://e.com/ok", "2025-12-15.clover")
    assert old["ui_mode"] == "hosted"
    status, _, new = fake.handle(
        "GET",
        f"/v1/checkout/sessions/{old['id']}",
        {**KEY, "Stripe-Version": "2026-03-25.dahlia"},
        b"",
    )
    assert json.loads(new)["ui_mode"] == "hosted_page"


def test_shipping_details_is_a_top_level_null_at_2025_02_24_acacia():
    session = fake_at("2025-02-24.acacia").sessions.create(**PAYMENT)
    assert session["shipping_details"] is None
    keys = list(session)
    assert keys.index("shipping_details") == keys.index("shipping_cost") + 1


def test_shipping_details_is_gone_from_2025_03_31_basil():
    session = fake_at("2025-03-31.basil").sessions.create(**PAYMENT)
    assert "shipping_details" not in session


def test_a_version_between_two_known_ones_has_the_changes_released_before_it():
    fake = fake_at()
    status, _, body = post(fake, FORM + "&ui_mode=embedded", "2026-05-01.dahlia")
    assert status == 400
    status, _, session = post(
        fake, FORM + "&payment_method_types[0]=card&success_url=https://e.com", "2026-05-01.dahlia"
    )
    assert status == 200


def test_a_version_older_than_2023_10_16_behaves_as_2023_10_16():
    fake = fake_at()
    status, headers, session = post(
        fake, FORM + "&payment_method_types[0]=card&success_url=https://e.com", "2020-08-27"
    )
    assert status == 200
    assert headers["Stripe-Version"] == "2020-08-27"
    assert session["ui_mode"] == "hosted"
    assert "shipping_details" in session


def test_a_release_after_the_newest_known_one_in_endive_is_answered_as_the_newest():
    # stripe-node 23.2 pins 2026-11-18.endive, a monthly release newer than the fake's types.
    fake = fake_at()
    form = FORM + "&success_url=https://e.com"
    status, headers, session = post(fake, form, "2026-11-18.endive")
    assert status == 200
    assert headers["Stripe-Version"] == "2026-11-18.endive"
    assert set(session) == set(post(fake, form, fakecheckout.API_VERSIONS[-1])[2])
    assert post(fake, form + "&payment_method_types[0]=card", "2026-11-18.endive")[0] == 400


def test_the_fake_can_be_set_to_a_release_after_the_newest_known_one():
    assert FakeCheckout(api_version="2026-11-18.endive").api_version == "2026-11-18.endive"


@pytest.mark.parametrize(
    "header",
    [
        "2026-13-01",
        "2026-10-28.dahlia",
        "2099-01-01",
        "2099-01-01.endive",
        "2027-04-02.endive",
        "v1",
        "2024-06-20.acacia",
    ],
)
def test_a_stripe_version_that_is_no_api_version_gets_stripes_400(header):
    status, _, body = post(fake_at(), FORM, header)
    assert status == 400
    assert body == {
        "error": {
            "message": f"Invalid Stripe API version: {header}",
            "type": "invalid_request_error",
        }
    }


@pytest.mark.parametrize(
    "header", ["2026-10-28.endive; checkout_beta=v1", "2024-06-20;link_beta=v2"]
)
def test_a_version_with_a_beta_gets_stripes_400_for_a_beta_the_account_is_not_in(header):
    status, _, body = post(fake_at(), FORM + "&success_url=https://e.com", header)
    beta = header.partition(";")[2].partition("=")[0].strip()
    assert status == 400
    assert body == {
        "error": {
            "message": f"Invalid Stripe API version: {header}. You do not have permission to "
            f"pass this beta header: {beta}. If you have any questions, we can help at "
            "https://support.stripe.com/.",
            "type": "invalid_request_error",
        }
    }


@pytest.mark.parametrize("header", ["2026-10-28.dahlia; checkout_beta=v1", "2026-10-28.endive;"])
def test_a_beta_after_no_api_version_gets_the_plain_invalid_version_400(header):
    status, _, body = post(fake_at(), FORM, header)
    assert status == 400
    assert body["error"]["message"] == f"Invalid Stripe API version: {header}"


def test_the_response_echoes_the_request_version_else_the_account_default():
    fake = fake_at("2025-08-27.basil")
    _, headers, _ = post(fake, FORM + "&success_url=https://e.com", "2024-06-20")
    assert headers["Stripe-Version"] == "2024-06-20"
    _, headers, _ = post(fake, FORM + "&success_url=https://e.com", None)
    assert headers["Stripe-Version"] == "2025-08-27.basil"


def test_a_header_less_requests_call_is_answered_at_the_fakes_api_version_2024_06_20():
    with fake_at("2024-06-20"):
        response = requests.post(
            "https://api.stripe.com/v1/checkout/sessions",
            data={
                "mode": "payment",
                "line_items[0][price]": "price_v",
                "line_items[0][quantity]": "1",
                "payment_method_types[0]": "card",
                "success_url": "https://example.com/ok",
            },
            headers=KEY,
            timeout=5,
        )
    assert response.status_code == 200
    assert response.headers["Stripe-Version"] == "2024-06-20"
    assert response.json()["ui_mode"] == "hosted"
    assert "shipping_details" in response.json()


def test_an_event_has_the_account_default_api_version_2024_06_20_and_its_shape():
    fake = fake_at("2024-06-20")
    session = fake.sessions.create(**PAYMENT)
    fake.sessions.expire(session["id"])
    status, _, body = fake.handle(
        "GET", "/v1/events", {**KEY, "Stripe-Version": "2026-10-28.endive"}, b""
    )
    event = json.loads(body)["data"][0]
    assert event["api_version"] == "2024-06-20"
    assert event["data"]["object"]["ui_mode"] == "hosted"
    assert "shipping_details" in event["data"]["object"]
    assert "allowed_payment_method_types" not in event["data"]["object"]


def test_webhook_payloads_have_the_account_default_version_2025_02_24_acacia():
    fake = fake_at("2025-02-24.acacia")
    received: list[dict[str, Any]] = []
    fake.webhooks.subscribe(lambda payload, headers: received.append(json.loads(payload)))
    session = fake.sessions.create(**PAYMENT)
    fake.sessions.expire(session["id"])
    assert received[0]["api_version"] == "2025-02-24.acacia"
    assert received[0]["data"]["object"]["ui_mode"] == "hosted"


# --- the property: every response has exactly its version's field set -------------------------


@st.composite
def versioned_create(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    version = draw(st.sampled_from(fakecheckout.API_VERSIONS))
    params = draw(strategies.create_params())
    tree = param_tree.tree("create", version)
    if params["mode"] != "setup" and draw(st.booleans()):
        ui_mode = draw(st.sampled_from(tree.fields["ui_mode"].node.values))  # type: ignore[attr-defined]
        if ui_mode not in ("hosted", "hosted_page"):
            params.pop("success_url", None)
            params.pop("cancel_url", None)
            params["ui_mode"] = ui_mode
            if ui_mode not in ("elements", "form"):
                params["return_url"] = "https://example.com/back"
    name = (
        "payment_method_types"
        if "payment_method_types" in tree.fields
        else "allowed_payment_method_types"
    )
    if draw(st.booleans()):
        params[name] = ["card"]
    return version, params


@settings(max_examples=60, deadline=None)
@given(versioned_create())
def test_any_version_answers_exactly_that_versions_field_set(drawn):
    version, params = drawn
    fake = FakeCheckout(api_version=version, seed=1)
    try:
        session = fake.sessions.create(**params)
    except InvalidRequestError as error:  # a cross-field rule of the fake, not of the version
        assert "unknown parameter" not in error.message
        assert "Invalid ui_mode" not in error.message
        return
    expected = param_tree.fields_at("checkout.session", version)
    assert set(session) <= expected
    assert expected - set(session) <= set(OPTIONAL_FIELDS) | {"line_items"}


def test_fields_at_follow_the_dated_changes():
    assert "shipping_details" in param_tree.fields_at("checkout.session", "2025-02-24.acacia")
    assert "shipping_details" not in param_tree.fields_at("checkout.session", "2025-03-31.basil")
    assert "allowed_payment_method_types" not in param_tree.fields_at(
        "checkout.session", "2026-08-26.dahlia"
    )
    assert "allowed_payment_method_types" in param_tree.fields_at(
        "checkout.session", versions.LATEST
    )
    # an addition reaches back: branding_settings is typed only from 13.x
    assert "branding_settings" in param_tree.fields_at("checkout.session", "2023-10-16")


@pytest.mark.parametrize("version", fakecheckout.API_VERSIONS)
def test_line_items_have_exactly_their_versions_item_fields(version):
    fake = fake_at(version)
    session = fake.sessions.create(**PAYMENT)
    (item,) = fake.sessions.list_line_items(session["id"])["data"]
    expected = param_tree.fields_at("item", version)
    assert set(item) == expected - {"discounts", "taxes"}  # those two only when expanded


@pytest.mark.parametrize("version", fakecheckout.API_VERSIONS)
def test_events_have_exactly_their_versions_event_fields(version):
    fake = fake_at(version)
    fake.sessions.expire(fake.sessions.create(**PAYMENT)["id"])
    (event,) = fake.events.list(type="checkout.session.expired")["data"]
    assert event["api_version"] == version
    assert set(event) <= param_tree.fields_at("event", version)


def test_promotion_code_names_its_coupon_top_level_before_clover_2025_09_30():
    fake = fake_at("2025-08-27.basil")
    coupon = fake.coupons.create(percent_off=10, duration="once")
    code = fake.promotion_codes.create(coupon=coupon["id"], code="BASIL10")
    assert "promotion" not in code
    assert code["coupon"]["id"] == coupon["id"]
    assert code["coupon"]["object"] == "coupon"


def test_promotion_code_takes_promotion_coupon_from_clover_2025_09_30_on():
    fake = fake_at("2025-10-29.clover")
    coupon = fake.coupons.create(percent_off=10, duration="once")
    with pytest.raises(InvalidRequestError, match="Received unknown parameter: coupon"):
        fake.promotion_codes.create(coupon=coupon["id"], code="CLOVER10")
    code = fake.promotion_codes.create(
        promotion={"type": "coupon", "coupon": coupon["id"]}, code="CLOVER10"
    )
    assert code["promotion"] == {"coupon": coupon["id"], "type": "coupon"}
    assert "coupon" not in code


def test_promotion_code_parameter_promotion_is_unknown_before_clover():
    fake = fake_at("2025-08-27.basil")
    coupon = fake.coupons.create(percent_off=10, duration="once")
    with pytest.raises(InvalidRequestError, match="Received unknown parameter: promotion"):
        fake.promotion_codes.create(promotion={"type": "coupon", "coupon": coupon["id"]})
