"""Which hosts are Stripe's: every front door and the network guard ask here."""

from __future__ import annotations

from urllib.parse import urlsplit

STRIPE_API_HOST = "api.stripe.com"
"""The one host the fake answers as Stripe's API; other Stripe hosts get the "not emulated" 404."""


def is_stripe_host(host: object) -> bool:
    """Whether ``host`` is ``stripe.com`` or a subdomain of it (case-insensitive, trailing dot
    allowed); ``bytes`` host names (as ``socket`` accepts) count too."""
    if isinstance(host, bytes):
        try:
            host = host.decode("ascii")
        except UnicodeDecodeError:
            return False
    if not isinstance(host, str):
        return False
    name = host.rstrip(".").lower()
    return name == "stripe.com" or name.endswith(".stripe.com")


def is_stripe_url(url: str) -> bool:
    """Whether ``url``'s host is a Stripe host (see :func:`is_stripe_host`)."""
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return False
    return is_stripe_host(host)
