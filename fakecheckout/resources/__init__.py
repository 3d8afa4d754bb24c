"""The emulated Stripe resources: one module each, registered here with one line each.

The world builds every account's direct APIs (``fake.customers`` …) from ``RESOURCES``, the
request handler its route table, and the expander its expandable fields. Adding a resource is
one new module ending in ``RESOURCE = Resource(...)`` and one line below (see
``docs/architecture.md``).
"""

from __future__ import annotations

from fakecheckout.core.resource import Resource

from . import (
    account,
    billing_portal_sessions,
    charges,
    checkout_sessions,
    coupons,
    customers,
    events,
    invoices,
    payment_intents,
    payment_methods,
    prices,
    products,
    promotion_codes,
    refunds,
    setup_intents,
    shipping_rates,
    subscriptions,
    tax_rates,
    webhook_endpoints,
)

RESOURCES: tuple[Resource, ...] = (
    checkout_sessions.RESOURCE,
    events.RESOURCE,
    customers.RESOURCE,
    products.RESOURCE,
    prices.RESOURCE,
    account.RESOURCE,
    coupons.RESOURCE,
    promotion_codes.RESOURCE,
    shipping_rates.RESOURCE,
    tax_rates.RESOURCE,
    webhook_endpoints.RESOURCE,
    payment_intents.RESOURCE,
    charges.RESOURCE,
    payment_methods.RESOURCE,
    refunds.RESOURCE,
    setup_intents.RESOURCE,
    billing_portal_sessions.RESOURCE,
    subscriptions.RESOURCE,
    invoices.RESOURCE,
)
"""Every registered resource; routes are tried in this order."""

ROUTES = tuple(route for resource in RESOURCES for route in resource.routes)
"""The route table of the request handler, assembled from the resources' routes."""
