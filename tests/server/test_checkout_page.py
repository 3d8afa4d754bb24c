"""The hosted checkout page of the server, driven with plain HTTP (the browser test clicks it)."""

from __future__ import annotations

import re

import pytest
import requests
import stripe

import fakecheckout
from fakecheckout.resources.checkout_sessions import client_secret
from tests.factories import KEY, payment_params, shirt

SUCCESS = "https://shop.example/thanks?session_id={CHECKOUT_SESSION_ID}"


@pytest.fixture
def server():
    with fakecheckout.serve(seed=2) as running:
        yield running


@pytest.fixture
def client(server) -> stripe.StripeClient:
    return stripe.StripeClient(KEY, base_addresses={"api": server.url})


def _page_url(session) -> str:
    return session.url.partition("#")[0]


def test_the_page_shows_line_items_amounts_and_currency(client):
    session = client.v1.checkout.sessions.create(
        payment_params(line_items=[shirt(quantity=2, unit_amount=1250, currency="eur")])
    )
    page = requests.get(_page_url(session)).text
    assert "T-shirt" in page
    assert "25.00 EUR" in page
    assert re.search(r"<button[^>]*>Pay</button>", page)


def test_a_zero_decimal_currency_shows_whole_units(client):
    session = client.v1.checkout.sessions.create(
        payment_params(line_items=[shirt(unit_amount=500, currency="jpy")])
    )
    assert "500 JPY" in requests.get(_page_url(session)).text


def test_paying_completes_the_session_and_redirects_to_success_url(client, server):
    session = client.v1.checkout.sessions.create(payment_params(success_url=SUCCESS))
    response = requests.post(_page_url(session), allow_redirects=False)
    assert response.status_code == 303
    assert response.headers["Location"] == f"https://shop.example/thanks?session_id={session.id}"
    completed = client.v1.checkout.sessions.retrieve(session.id)
    assert (completed.status, completed.payment_status) == ("complete", "paid")
    listed = server.fake.events.list(type="checkout.session.*")["data"]
    assert [e["type"] for e in listed] == ["checkout.session.completed"]


def test_the_cancel_link_goes_to_cancel_url_and_leaves_the_session_open(client):
    session = client.v1.checkout.sessions.create(
        payment_params(cancel_url="https://shop.example/cart")
    )
    assert 'href="https://shop.example/cart"' in requests.get(_page_url(session)).text
    assert client.v1.checkout.sessions.retrieve(session.id).status == "open"


def test_a_session_without_cancel_url_has_no_cancel_link(client):
    session = client.v1.checkout.sessions.create(payment_params())
    assert 'id="cancel"' not in requests.get(_page_url(session)).text


def test_an_expired_session_shows_the_expired_message(client):
    session = client.v1.checkout.sessions.create(payment_params())
    client.v1.checkout.sessions.expire(session.id)
    page = requests.get(_page_url(session)).text
    assert "This Checkout Session has expired." in page
    assert "<button" not in page


def test_a_completed_session_shows_already_paid_and_cannot_be_paid_again(client, server):
    session = client.v1.checkout.sessions.create(payment_params())
    requests.post(_page_url(session), allow_redirects=False)
    again = requests.post(_page_url(session), allow_redirects=False)
    assert "This Checkout Session has already been paid." in again.text
    assert len(server.fake.events.list(type="checkout.session.*")["data"]) == 1


def test_an_unknown_session_is_a_404_page(server):
    response = requests.get(f"{server.url}/c/pay/cs_test_nothing")
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/html")


def test_an_embedded_session_is_paid_through_its_client_secret(client, server):
    session = client.v1.checkout.sessions.create(
        payment_params(
            ui_mode="embedded_page",
            success_url=None,
            return_url="https://shop.example/return?session_id={CHECKOUT_SESSION_ID}",
        )
    )
    page_url = f"{server.url}/c/embedded/{session.client_secret}"
    assert 'target="_top"' in requests.get(page_url).text
    response = requests.post(page_url, allow_redirects=False)
    assert response.headers["Location"] == f"https://shop.example/return?session_id={session.id}"
    assert client.v1.checkout.sessions.retrieve(session.id).status == "complete"


def test_an_embedded_session_that_never_redirects_tells_the_parent_page(client, server):
    session = client.v1.checkout.sessions.create(
        payment_params(ui_mode="embedded_page", success_url=None, redirect_on_completion="never")
    )
    response = requests.post(f"{server.url}/c/embedded/{session.client_secret}")
    assert response.status_code == 200
    assert '"type": "fakecheckout.checkout.complete"' in response.text
    assert session.id in response.text


def test_a_wrong_client_secret_is_a_404(client, server):
    session = client.v1.checkout.sessions.create(
        payment_params(ui_mode="embedded_page", success_url=None, redirect_on_completion="never")
    )
    assert client_secret(session.id) == session.client_secret
    wrong = f"{session.id}_secret_wrong"
    assert requests.post(f"{server.url}/c/embedded/{wrong}").status_code == 404
    assert client.v1.checkout.sessions.retrieve(session.id).status == "open"


def test_a_hosted_session_has_no_embedded_page(client, server):
    session = client.v1.checkout.sessions.create(payment_params())
    secret = client_secret(session.id)
    assert requests.get(f"{server.url}/c/embedded/{secret}").status_code == 404


def test_a_connected_accounts_session_is_paid_on_that_account(client, server):
    session = client.v1.checkout.sessions.create(
        payment_params(), options={"stripe_account": "acct_1Connected"}
    )
    requests.post(_page_url(session), allow_redirects=False)
    paid = server.fake.account("acct_1Connected").sessions.retrieve(session.id)
    assert paid["status"] == "complete"
