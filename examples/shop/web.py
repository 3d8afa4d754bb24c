"""The shop's web app (Flask): the views Stripe talks to, its webhook endpoints.

Needs Flask (``pip install flask``); the rest of the shop does not.
"""

from __future__ import annotations

import flask

from .memberships import Memberships
from .shop import Shop
from .webhook_endpoint import WebhookEndpoint

WEBHOOK_PATH = "/stripe/webhook"
MEMBERSHIP_WEBHOOK_PATH = "/stripe/webhook/memberships"


def create_app(shop: Shop, memberships: Memberships | None = None) -> flask.Flask:
    """A Flask app whose ``POST /stripe/webhook`` hands the raw body and the signature to
    ``shop.handle_webhook`` and answers its status; with ``memberships``,
    ``POST /stripe/webhook/memberships`` does the same for the memberships' endpoint."""
    app = flask.Flask(__name__)
    _webhook_view(app, WEBHOOK_PATH, shop)
    if memberships is not None:
        _webhook_view(app, MEMBERSHIP_WEBHOOK_PATH, memberships)
    return app


def _webhook_view(app: flask.Flask, path: str, endpoint: WebhookEndpoint) -> None:
    def stripe_webhook() -> tuple[str, int]:
        request = flask.request
        status = endpoint.handle_webhook(
            request.get_data(), request.headers.get("Stripe-Signature", "")
        )
        return "", status

    app.add_url_rule(path, endpoint=path, view_func=stripe_webhook, methods=["POST"])
