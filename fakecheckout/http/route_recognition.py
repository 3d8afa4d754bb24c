"""Whether a request names a route of Stripe's API at all (whether or not the fake emulates it).

Stripe answers a path that is none of its routes (a typo, an empty id such as
``GET /v1/checkout/sessions/``) with its 404 ``Unrecognized request URL``; a route it has answers
normally. The fake gives Stripe's 404 for both, but only the second is a gap in the fake, recorded
in ``fake.unhandled``. The route list is generated (``stripe_routes.ROUTES``).
"""

from __future__ import annotations

import functools
import re

from fakecheckout.core.resource import PATH_PARAMETER
from fakecheckout.http.stripe_routes import ROUTES


def is_stripe_route(method: str, path: str) -> bool:
    """Whether ``METHOD path`` (no query string) is one of Stripe's routes on api.stripe.com."""
    pattern = _patterns().get(method.upper())
    return pattern is not None and pattern.fullmatch(path) is not None


@functools.cache
def _patterns() -> dict[str, re.Pattern[str]]:
    """One alternation per method; a path parameter is one non-empty segment."""
    templates: dict[str, list[str]] = {}
    for method, template in ROUTES:
        parts = PATH_PARAMETER.split(template)
        regex = "[^/]+".join(re.escape(part) for part in parts)
        templates.setdefault(method, []).append(regex)
    return {method: re.compile("|".join(found)) for method, found in templates.items()}
