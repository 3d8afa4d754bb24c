"""What a resource module declares (``Resource``), and the base of every resource's direct API.

A resource module (``fakecheckout/resources/customers.py``) holds everything particular to one
Stripe resource: its object, its parameters' endpoint keys, its direct API class, its routes, its
list filters and its expandable fields. It ends with one ``RESOURCE = Resource(...)``, and
``fakecheckout/resources/__init__.py`` registers it with one line. The world, the request handler
and the expander read the registry; none of them names a resource.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .events import EventRecord
    from .world import Account, World

Endpoint = Callable[[Any, list[str], dict[str, Any]], dict[str, Any]]
"""``endpoint(account, path_ids, params) -> result``; ``account`` has ``.customers`` etc."""

PATH_PARAMETER = re.compile(r"\{[a-z_]+\}")
"""A path parameter in a route template (``{id}``)."""


@dataclass(frozen=True)
class Route:
    """One emulated endpoint: ``GET /v1/customers/{id}`` → ``endpoint``."""

    method: str
    template: str
    endpoint: Endpoint
    pattern: re.Pattern[str] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        parts = re.split(r"(\{[a-z_]+\})", self.template)
        regex = "".join(
            "([^/]+)" if PATH_PARAMETER.fullmatch(part) else re.escape(part) for part in parts
        )
        object.__setattr__(self, "pattern", re.compile(regex))

    def __str__(self) -> str:
        return f"{self.method} {self.template}"


class ResourceAPI:
    """One resource's operations on one account (what ``fake.customers`` etc. are).

    Subclasses take the SDK's keyword arguments, return plain dicts identical to Stripe's JSON
    and raise :class:`~fakecheckout.StripeError` subclasses as Stripe would answer.
    """

    def __init__(self, world: World, account: Account) -> None:
        self._world = world
        self._account = account

    def lookup(self, object_id: str) -> dict[str, Any] | None:
        """The object ``object_id`` as ``expand`` shows it (the lock is held); ``None``: none."""
        return None

    def virtual_fields(self) -> Mapping[tuple[str, str], Callable[[dict[str, Any]], Any]]:
        """Fields absent from the object until expanded, and what builds each one."""
        return {}

    def on_due(self, object_id: str, at: int) -> EventRecord | list[EventRecord] | None:
        """A timer the resource scheduled with ``World.schedule`` has come (the lock is held);
        returns the event (or events, in order) it recorded."""
        return None

    def webhook_destinations(self, event_type: str, *, connected: bool) -> list[str]:
        """The ids of this resource's webhook endpoints owed an event of ``event_type`` (one of
        this account's, or with ``connected`` one of a connected account's); the lock is held."""
        return []

    def webhook_destination(self, endpoint_id: str) -> tuple[str, str] | None:
        """``(url, secret)`` to POST to now, or ``None`` when the endpoint no longer takes
        deliveries (deleted or disabled); the lock is held."""
        return None


@dataclass(frozen=True)
class Resource:
    """One Stripe resource as the registry knows it.

    ``name`` is the attribute on ``fake`` (Stripe's resource in plural snake case), ``object`` the
    ``object`` value of what it renders, ``api`` its direct API class, ``routes`` its endpoints,
    ``expandable`` the expandable fields of each object it renders (object name → field →
    the object it points at, ``list:<object>`` for an embedded list).
    """

    name: str
    object: str
    api: type[ResourceAPI]
    routes: tuple[Route, ...] = ()
    expandable: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
