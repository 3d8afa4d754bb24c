"""The hosted checkout page of ``fakecheckout serve``: what a browser sees at a session's ``url``.

Routes (everything else is the API's):

- ``GET /c/pay/<session id>``: a hosted-page session (``ui_mode="hosted_page"``): its line items,
  amounts and currency, a "Pay" button and, when the session has a ``cancel_url``, a cancel link
  to it. An expired or completed session shows a short "expired" or "already paid" page instead.
- ``POST /c/pay/<session id>``: the button. Completes the session exactly as
  ``fake.sessions.complete(id)`` does (events and webhooks included), then answers
  ``303 See Other`` to ``success_url`` with ``{CHECKOUT_SESSION_ID}`` replaced.
- ``GET``/``POST /c/embedded/<client_secret>``: the same page and button for a session with a
  ``client_secret`` (``ui_mode="embedded_page"`` or ``"elements"``), which a test page can show in
  an ``<iframe>``. Paying redirects the top page to ``return_url`` (``{CHECKOUT_SESSION_ID}``
  replaced) unless ``redirect_on_completion`` is ``"never"``; then the frame shows a confirmation
  and posts ``{"type": "fakecheckout.checkout.complete", "session_id": …}`` to its parent window
  (what Stripe.js's ``onComplete`` would report).

The page is deliberately plain HTML (no script except that message), so any browser automation
finds the button by its accessible name, "Pay".
"""

from __future__ import annotations

import html
import json
import re
from typing import Any
from urllib.parse import unquote

from fakecheckout.core.currencies import decimal_places
from fakecheckout.core.errors import StripeError
from fakecheckout.core.world import World
from fakecheckout.resources.checkout_sessions import client_secret

Response = tuple[int, dict[str, str], bytes]

_HOSTED = re.compile(r"/c/pay/([^/?#]+)/?")
_EMBEDDED = re.compile(r"/c/embedded/([^/?#]+)/?")

# How many decimals each currency's minor unit has (Stripe's docs on currencies).


def is_page_path(path: str) -> bool:
    """Whether ``path`` (without the query) belongs to the checkout page, not to the API."""
    return path.startswith("/c/")


def answer(world: World, method: str, path: str) -> Response:
    """The page's answer to ``method path``; never raises."""
    hosted = _HOSTED.fullmatch(path)
    embedded = _EMBEDDED.fullmatch(path)
    if hosted is not None:
        found = _find(world, unquote(hosted.group(1)), secret=None)
    elif embedded is not None:
        secret = unquote(embedded.group(1))
        found = _find(world, secret.partition("_secret_")[0], secret=secret)
    else:
        found = None
    if found is None:
        return _page(
            404, "Something went wrong", "<p>The page you were looking for could not be found.</p>"
        )
    namespace, session = found
    if method == "POST":
        return _pay(namespace, session, embedded=embedded is not None)
    if method not in ("GET", "HEAD"):
        return _page(
            405, "Method not allowed", "<p>Use the Pay button.</p>", {"Allow": "GET, POST"}
        )
    return _show(namespace, session, path)


def _find(
    world: World, session_id: str, *, secret: str | None
) -> tuple[Any, dict[str, Any]] | None:
    """The namespace holding the session, and the session (only for its own page kind)."""
    for namespace in world.namespaces():
        try:
            session = namespace.sessions.retrieve(session_id)
        except StripeError:
            continue
        if secret is None and session["ui_mode"] != "hosted_page":
            return None
        if secret is not None and (
            session["ui_mode"] == "hosted_page" or client_secret(session["id"]) != secret
        ):
            return None
        return namespace, session
    return None


def _show(namespace: Any, session: dict[str, Any], path: str) -> Response:
    closed = _closed_page(session)
    if closed is not None:
        return closed
    items = namespace.sessions.list_line_items(session["id"], limit=100)["data"]
    currency = session.get("currency") or ""
    rows = "".join(
        "<tr><td>{name}</td><td class=qty>{qty}</td><td class=amount>{amount}</td></tr>".format(
            name=html.escape(str(item.get("description") or "")),
            qty=html.escape(str(item.get("quantity") or "")),
            amount=html.escape(
                money(item.get("amount_total") or 0, item.get("currency") or currency)
            ),
        )
        for item in items
    )
    total = money(session.get("amount_total") or 0, currency)
    cancel = session.get("cancel_url")
    cancel_link = (
        f'<p><a id="cancel" href="{html.escape(cancel)}">Cancel and return</a></p>'
        if cancel
        else ""
    )
    target = ' target="_top"' if session["ui_mode"] != "hosted_page" else ""
    body = (
        f'<p class="mode">{html.escape(str(session.get("mode")))} · '
        f'<span id="currency">{html.escape(currency.upper())}</span></p>'
        "<table><thead><tr><th>Item</th><th>Qty</th><th>Amount</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
        f'<p>Total due <strong id="total">{html.escape(total)}</strong></p>'
        f'<form method="post" action="{html.escape(path)}"{target}><button type="submit" id="pay">Pay</button></form>'
        f"{cancel_link}"
    )
    return _page(200, "fakecheckout · Checkout", body)


def _closed_page(session: dict[str, Any]) -> Response | None:
    if session["status"] == "expired":
        return _page(200, "Session expired", "<p>This Checkout Session has expired.</p>")
    if session["status"] == "complete":
        return _page(200, "Already paid", "<p>This Checkout Session has already been paid.</p>")
    return None


def _pay(namespace: Any, session: dict[str, Any], *, embedded: bool) -> Response:
    closed = _closed_page(session)
    if closed is not None:
        return closed
    try:
        completed = namespace.sessions.complete(session["id"])
    except StripeError:  # completed or expired by another request in between
        return _closed_page(namespace.sessions.retrieve(session["id"])) or _page(
            409, "Something went wrong", "<p>This Checkout Session cannot be paid.</p>"
        )
    target = completed.get("return_url") if embedded else completed.get("success_url")
    if embedded and completed.get("redirect_on_completion") == "never":
        target = None
    if target:
        location = str(target).replace("{CHECKOUT_SESSION_ID}", completed["id"])
        return 303, {"Location": location, "Content-Length": "0"}, b""
    message = json.dumps({"type": "fakecheckout.checkout.complete", "session_id": completed["id"]})
    script = f"<script>window.parent.postMessage({message}, '*');</script>" if embedded else ""
    return _page(200, "Payment complete", f"<p>Thanks for your payment.</p>{script}")


def money(amount: int, currency: str) -> str:
    """``1500, "usd"`` → ``"15.00 USD"``, with the currency's own number of decimals."""
    code = currency.lower()
    decimals = decimal_places(code)
    value = f"{amount / 10**decimals:,.{decimals}f}" if decimals else f"{amount:,}"
    return f"{value} {code.upper()}".strip()


def _page(status: int, title: str, body: str, extra: dict[str, str] | None = None) -> Response:
    document = (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        f"<title>{html.escape(title)}</title>"
        "<style>body{font:16px system-ui,sans-serif;max-width:32em;margin:3em auto}"
        "td,th{padding:.3em .6em;text-align:left}.amount,.qty{text-align:right}"
        "button{font-size:1.1em;padding:.5em 2em}</style></head>"
        f"<body><h1>{html.escape(title)}</h1>{body}</body></html>"
    ).encode()
    headers = {
        "Content-Type": "text/html; charset=utf-8",
        "Content-Length": str(len(document)),
        "Cache-Control": "no-store",
        **(extra or {}),
    }
    return status, headers, document
