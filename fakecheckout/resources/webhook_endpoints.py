"""Webhook endpoints (``/v1/webhook_endpoints``): the ``webhook_endpoint`` object, its direct API,
its routes, and which endpoints an event is owed to.

Once an endpoint is registered, every event whose type it enables (``*``: all) is POSTed to its
``url``, signed with its ``secret`` (``fakecheckout.core.webhooks``), and retried on the fake's
clock while the endpoint does not answer 2xx (``World._deliver_outbox``). An endpoint of the
platform created with ``connect=true`` receives the events of connected accounts instead of the
platform's own. Stripe records no events about webhook endpoints themselves.
https://docs.stripe.com/api/webhook_endpoints
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any

from fakecheckout.core import errors
from fakecheckout.core.objects import ObjectAPI, merge_metadata
from fakecheckout.core.params import validate
from fakecheckout.core.resource import Resource, Route
from fakecheckout.core.store import Record

if TYPE_CHECKING:
    from fakecheckout.core.world import Account, World

URL = "/v1/webhook_endpoints"

MAX_ENDPOINTS = 16
"""Stripe's limit of webhook endpoints in test mode."""

ALL_EVENTS = "*"


def webhook_endpoint_object(
    *,
    endpoint_id: str,
    created: int,
    url: str,
    enabled_events: list[str],
    api_version: str | None,
) -> dict[str, Any]:
    """A ``webhook_endpoint`` object with every field Stripe sends (API 2026-10-28.endive), but
    ``secret``, which only the create response shows."""
    return {
        "id": endpoint_id,
        "object": "webhook_endpoint",
        "api_version": api_version,
        "application": None,
        "created": created,
        "description": None,
        "enabled_events": enabled_events,
        "livemode": False,
        "metadata": {},
        "status": "enabled",
        "url": url,
    }


class WebhookEndpointsAPI(ObjectAPI):
    """The webhook endpoints of one account: ``fake.webhook_endpoints`` and
    ``/v1/webhook_endpoints``."""

    OBJECT = "webhook_endpoint"
    LABEL = "webhook endpoint"
    URL = URL
    EVENTS = False

    def __init__(self, world: World, account: Account) -> None:
        super().__init__(world, account)
        # Kept beside the object: Stripe shows an endpoint's secret only when creating it.
        self._secrets: dict[str, str] = {}
        self._connect: dict[str, bool] = {}

    def create(self, /, **params: Any) -> dict[str, Any]:
        """``POST /v1/webhook_endpoints``; the response alone carries the signing ``secret``."""
        with self._world.operation() as now:
            checked = validate("webhook_endpoints.create", params)
            expand = checked.pop("expand", [])
            live = sum(1 for record in self._store.by_id.values() if not record.deleted)
            if live >= MAX_ENDPOINTS:
                raise errors.too_many_webhook_endpoints(MAX_ENDPOINTS)
            fields = webhook_endpoint_object(
                endpoint_id=self._world.ids.new("we_", 24),
                created=now,
                url=checked["url"],
                enabled_events=_enabled_events(checked["enabled_events"]),
                api_version=checked.get("api_version"),
            )
            fields.update(self._changes(fields, checked))
            self._account.expander.check(self.OBJECT, expand)
            record = self._insert(fields, now=now)
            secret = "whsec_" + self._world.ids.new("", 32)
            self._secrets[record.id] = secret
            self._connect[record.id] = bool(checked.get("connect", False))
            return _with_secret(self._render(record, expand), secret)

    def retrieve(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002
        """``GET /v1/webhook_endpoints/{id}`` (without the ``secret``)."""
        with self._world.operation():
            checked = validate("webhook_endpoints.retrieve", params)
            return self._render(self._live(id), checked.get("expand", []))

    def update(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002
        """``POST /v1/webhook_endpoints/{id}``: ``url``, ``enabled_events``, ``description``,
        ``metadata`` (merged), ``disabled`` (``status`` becomes ``disabled``/``enabled``)."""
        with self._world.operation() as now:
            checked = validate("webhook_endpoints.update", params)
            record = self._live(id)
            expand = checked.pop("expand", [])
            changes = self._changes(record.fields, checked)
            if "url" in checked:
                changes["url"] = checked["url"]
            if "enabled_events" in checked:
                changes["enabled_events"] = _enabled_events(checked["enabled_events"])
            if "disabled" in checked:
                changes["status"] = "disabled" if checked["disabled"] else "enabled"
            self._account.expander.check(self.OBJECT, expand)
            self._modify(record, changes, now=now)
            return self._render(record, expand)

    def delete(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002
        """``DELETE /v1/webhook_endpoints/{id}``: no more deliveries, retries included."""
        with self._world.operation() as now:
            validate("webhook_endpoints.delete", params)
            return self._remove(self._live(id), now=now)

    def list(self, /, **params: Any) -> dict[str, Any]:
        """``GET /v1/webhook_endpoints``: newest first."""
        with self._world.operation():
            checked = validate("webhook_endpoints.list", params)
            return self._list(checked, {})

    # --- the world's delivery hooks (the lock is held) ---

    def webhook_destinations(self, event_type: str, *, connected: bool) -> builtins.list[str]:
        return [
            record.id
            for record in self._store.by_id.values()
            if not record.deleted
            and self._connect[record.id] == connected
            and _takes(record, event_type)
        ]

    def webhook_destination(self, endpoint_id: str) -> tuple[str, str] | None:
        record = self._store.by_id.get(endpoint_id)
        if record is None or record.deleted or record.fields["status"] != "enabled":
            return None
        return record.fields["url"], self._secrets[endpoint_id]

    # --- helpers ---

    def _changes(self, current: dict[str, Any], checked: dict[str, Any]) -> dict[str, Any]:
        changes: dict[str, Any] = {}
        if "description" in checked:
            changes["description"] = checked["description"] or None
        if "metadata" in checked:
            changes["metadata"] = merge_metadata(
                current.get("metadata"), checked["metadata"], param="metadata"
            )
        return changes


def _enabled_events(given: Any) -> list[str]:
    """The ``enabled_events`` list as stored: each type once, in the order given."""
    if not given:
        raise errors.missing_parameter("enabled_events")
    return list(dict.fromkeys(given))


def _takes(record: Record, event_type: str) -> bool:
    if record.fields["status"] != "enabled":
        return False
    enabled = record.fields["enabled_events"]
    return ALL_EVENTS in enabled or event_type in enabled


def _with_secret(out: dict[str, Any], secret: str) -> dict[str, Any]:
    """The create response: the object with ``secret`` in its place (after ``metadata``)."""
    shown = {name: value for name, value in out.items() if name < "secret"}
    shown["secret"] = secret
    shown.update((name, value) for name, value in out.items() if name > "secret")
    return shown


RESOURCE = Resource(
    name="webhook_endpoints",
    object="webhook_endpoint",
    api=WebhookEndpointsAPI,
    routes=(
        Route("POST", URL, lambda ns, ids, p: ns.webhook_endpoints.create(**p)),
        Route("GET", URL, lambda ns, ids, p: ns.webhook_endpoints.list(**p)),
        Route("GET", URL + "/{id}", lambda ns, ids, p: ns.webhook_endpoints.retrieve(ids[0], **p)),
        Route("POST", URL + "/{id}", lambda ns, ids, p: ns.webhook_endpoints.update(ids[0], **p)),
        Route("DELETE", URL + "/{id}", lambda ns, ids, p: ns.webhook_endpoints.delete(ids[0], **p)),
    ),
)
