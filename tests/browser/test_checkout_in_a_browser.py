"""A real browser pays on the hosted checkout page: headless Chromium (Debian's ``chromium``)
driven by Playwright, against ``fakecheckout.serve``.

Skipped, with the reason, only when Playwright or ``/usr/bin/chromium`` is missing (``.ci/run``
installs both). Playwright's own browser download (``playwright install``) is never used.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator

import pytest
import stripe

import fakecheckout
from tests.factories import KEY, shirt
from tests.local_pages import local_pages
from tests.webhook_receiver import webhook_receiver

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

pytestmark = [
    pytest.mark.skipif(
        importlib.util.find_spec("playwright") is None,
        reason="Playwright's Python package is not installed (pip install playwright)",
    ),
    pytest.mark.skipif(
        not os.access(CHROMIUM, os.X_OK),
        reason=f"{CHROMIUM} is missing (apt-get install chromium)",
    ),
]


def _page(title: str) -> bytes:
    return f"<!doctype html><title>{title}</title><h1>{title}</h1>".encode()


@pytest.fixture
def shop() -> Iterator[str]:
    """The shop's own pages: /success?session_id=… and /cart."""
    with local_pages(
        {"/success": _page("Thanks for your order"), "/cart": _page("Your cart")}
    ) as url:
        yield url


@pytest.fixture
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield launched
        finally:
            launched.close()


def test_a_customer_pays_in_a_browser_and_lands_on_the_success_page(shop, browser):
    received: list[stripe.Event] = []
    with fakecheckout.serve(seed=4) as server, webhook_receiver() as endpoint_inbox:
        secret = server.fake.webhooks.secret
        server.fake.webhooks.subscribe(
            lambda payload, headers: received.append(
                stripe.Webhook.construct_event(payload, headers["Stripe-Signature"], secret)
            )
        )
        client = stripe.StripeClient(KEY, base_addresses={"api": server.url})
        endpoint = client.v1.webhook_endpoints.create(
            params={"url": endpoint_inbox.url, "enabled_events": ["checkout.session.completed"]}
        )
        session = client.v1.checkout.sessions.create(
            params={
                "mode": "payment",
                "line_items": [shirt(quantity=2, unit_amount=1500)],
                "success_url": f"{shop}/success?session_id={{CHECKOUT_SESSION_ID}}",
                "cancel_url": f"{shop}/cart",
            }
        )
        page = browser.new_page()  # type: ignore[attr-defined]
        page.goto(session.url)
        assert "30.00 USD" in page.text_content("body")
        page.get_by_role("button", name="Pay", exact=True).click()
        page.wait_for_url(f"{shop}/success?session_id={session.id}")
        assert page.text_content("h1") == "Thanks for your order"
        assert client.v1.checkout.sessions.retrieve(session.id).status == "complete"

    assert [e.type for e in received] == [
        "payment_intent.created",
        "charge.succeeded",
        "payment_intent.succeeded",
        "checkout.session.completed",
    ]
    assert received[-1].data.object.id == session.id
    (delivery,) = endpoint_inbox.requests
    event = stripe.Webhook.construct_event(
        delivery.body.decode(), delivery.headers["Stripe-Signature"], endpoint.secret
    )
    assert (event.type, event.data.object.id) == ("checkout.session.completed", session.id)


def test_a_customer_cancels_in_a_browser_and_returns_to_the_cart(shop, browser):
    with fakecheckout.serve() as server:
        client = stripe.StripeClient(KEY, base_addresses={"api": server.url})
        session = client.v1.checkout.sessions.create(
            params={
                "mode": "payment",
                "line_items": [shirt()],
                "success_url": f"{shop}/success",
                "cancel_url": f"{shop}/cart",
            }
        )
        page = browser.new_page()  # type: ignore[attr-defined]
        page.goto(session.url)
        page.get_by_role("link", name="Cancel and return").click()
        page.wait_for_url(f"{shop}/cart")
        assert client.v1.checkout.sessions.retrieve(session.id).status == "open"


def test_an_embedded_session_is_paid_in_an_iframe_of_the_shops_page(browser):
    with fakecheckout.serve() as server:
        client = stripe.StripeClient(KEY, base_addresses={"api": server.url})
        with local_pages({"/return": _page("Order received")}) as shop:
            session = client.v1.checkout.sessions.create(
                params={
                    "mode": "payment",
                    "ui_mode": "embedded_page",
                    "line_items": [shirt()],
                    "return_url": f"{shop}/return?session_id={{CHECKOUT_SESSION_ID}}",
                }
            )
            frame_url = f"{server.url}/c/embedded/{session.client_secret}"
            checkout = f'<!doctype html><title>Checkout</title><iframe src="{frame_url}"></iframe>'
            with local_pages({"/checkout": checkout.encode()}) as page_host:
                page = browser.new_page()  # type: ignore[attr-defined]
                page.goto(f"{page_host}/checkout")
                page.frame_locator("iframe").get_by_role("button", name="Pay", exact=True).click()
                page.wait_for_url(f"{shop}/return?session_id={session.id}")
        assert client.v1.checkout.sessions.retrieve(session.id).status == "complete"
