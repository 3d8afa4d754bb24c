"""What the subscription and invoice tests share: a subscription started through Checkout."""

from __future__ import annotations

from typing import Any

from fakecheckout.core.world import World

DAY = 86_400


def monthly_price(world: World, unit_amount: int = 2000, **recurring: Any) -> str:
    """A recurring price (monthly unless ``recurring`` says otherwise); returns its id."""
    price = world.prices.create(
        currency="usd",
        unit_amount=unit_amount,
        recurring={"interval": "month", **recurring},
        product_data={"name": "Pro plan"},
    )
    return str(price["id"])


def subscribe(
    world: World, price: str | None = None, *, quantity: int = 1, **session: Any
) -> dict[str, Any]:
    """A ``subscription``-mode session for ``price`` (a new monthly one by default), completed;
    returns the completed session."""
    session_params: dict[str, Any] = {
        "mode": "subscription",
        "line_items": [{"price": price or monthly_price(world), "quantity": quantity}],
        "success_url": "https://example.com/ok",
        **session,
    }
    created = world.sessions.create(**session_params)
    return world.sessions.complete(created["id"])


def event_types(world: World, since: int = 0) -> list[str]:
    """Every recorded event type of the platform, oldest first, from the ``since``-th on."""
    return [event["type"] for event in world.events.all()][::-1][since:]
