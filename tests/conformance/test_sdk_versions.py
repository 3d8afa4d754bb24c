"""Stripe's quickstart code through whichever ``stripe`` SDK is installed, at the version it pins.

CI runs this module (marker ``versions``) under the last release of stripe 8, 10, 11, 12, 14 and
15 as well as 16: ``payment_method_types=["card"]`` works before ``2026-09-30.endive`` and
``ui_mode="embedded"`` before ``2026-03-25.dahlia``; from then on Stripe refuses them.
"""

from __future__ import annotations

from typing import Any

import pytest
import stripe

from fakecheckout import API_VERSIONS, FakeCheckout

from ._support import FAKE_API_KEY

pytestmark = pytest.mark.versions

try:
    PINNED: str = stripe.api_version or ""
except AttributeError:  # pragma: no cover - every supported SDK has it
    PINNED = ""
if not PINNED:
    from stripe._api_version import _ApiVersion

    PINNED = _ApiVersion.CURRENT


def before(change: str) -> bool:
    return PINNED[:10] < change


@pytest.fixture
def fake() -> Any:
    with FakeCheckout() as active:
        active.prices.add(id="price_quickstart", unit_amount=2000, currency="usd")
        stripe.api_key = FAKE_API_KEY
        yield active


def quickstart_hosted() -> Any:
    return stripe.checkout.Session.create(
        payment_method_types=["card"],
        line_items=[{"price": "price_quickstart", "quantity": 1}],
        mode="payment",
        success_url="https://example.com/success",
        cancel_url="https://example.com/cancel",
    )


def quickstart_embedded() -> Any:
    return stripe.checkout.Session.create(
        ui_mode="embedded",
        line_items=[{"price": "price_quickstart", "quantity": 1}],
        mode="payment",
        return_url="https://example.com/return?session_id={CHECKOUT_SESSION_ID}",
    )


def test_the_sdk_pinned_version_is_one_the_fake_knows(fake):
    assert PINNED in API_VERSIONS


def test_a_session_created_by_this_sdk_reads_back_in_its_versions_shape(fake):
    session = quickstart_embedded() if before("2026-03-25") else None
    if session is None:
        session = stripe.checkout.Session.create(
            line_items=[{"price": "price_quickstart", "quantity": 1}],
            mode="payment",
            success_url="https://example.com/success",
        )
    assert session["object"] == "checkout.session"
    assert ("shipping_details" in session) == before("2025-03-31")
    assert ("allowed_payment_method_types" in session) == (not before("2026-09-30"))


@pytest.mark.skipif(not before("2026-09-30"), reason=f"{PINNED} has endive's removal")
def test_payment_method_types_quickstart_works_before_2026_09_30_endive(fake):
    session = quickstart_hosted()
    assert session["payment_method_types"] == ["card"]
    assert session["ui_mode"] == ("hosted" if before("2026-03-25") else "hosted_page")
    assert session["url"].startswith("https://checkout.stripe.com/c/pay/")
    if before("2025-03-31"):
        assert session["shipping_details"] is None


@pytest.mark.skipif(before("2026-09-30"), reason=f"{PINNED} still accepts payment_method_types")
def test_payment_method_types_quickstart_is_refused_from_2026_09_30_endive(fake):
    with pytest.raises(stripe.error.InvalidRequestError) as raised:
        quickstart_hosted()
    assert raised.value.user_message == "Received unknown parameter: payment_method_types"
    assert raised.value.param == "payment_method_types"


@pytest.mark.skipif(not before("2026-03-25"), reason=f"{PINNED} has dahlia's renamed ui_modes")
def test_embedded_quickstart_works_before_2026_03_25_dahlia(fake):
    session = quickstart_embedded()
    assert session["ui_mode"] == "embedded"
    assert session["client_secret"].startswith(session["id"] + "_secret_")
    assert stripe.checkout.Session.retrieve(session["id"])["ui_mode"] == "embedded"


@pytest.mark.skipif(before("2026-03-25"), reason=f"{PINNED} still accepts ui_mode=embedded")
def test_embedded_quickstart_is_refused_from_2026_03_25_dahlia(fake):
    with pytest.raises(stripe.error.InvalidRequestError) as raised:
        quickstart_embedded()
    assert raised.value.param == "ui_mode"
    assert "embedded_page" in raised.value.user_message
