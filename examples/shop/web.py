"""The shop's web app (Flask): the one view Stripe talks to, its webhook endpoint.

Needs Flask (``pip install flask``); the rest of the shop does not.
"""

from __future__ import annotations

import flask

from .shop import Shop

WEBHOOK_PATH = "/stripe/webhook"


def create_app(shop: Shop) -> flask.Flask:
    """A Flask app whose ``POST /stripe/webhook`` hands the raw body and the signature to
    ``shop.handle_webhook`` and answers its status."""
    app = flask.Flask(__name__)

    @app.post(WEBHOOK_PATH)
    def stripe_webhook() -> tuple[str, int]:
        request = flask.request
        status = shop.handle_webhook(
            request.get_data(), request.headers.get("Stripe-Signature", "")
        )
        return "", status

    return app
