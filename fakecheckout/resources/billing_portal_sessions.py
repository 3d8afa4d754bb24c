"""Customer portal sessions (``POST /v1/billing_portal/sessions``): a short-lived link that lets
a customer manage their billing on Stripe's portal.

Create is the only endpoint Stripe has. The session names the customer, the account's portal
configuration (one default ``bpc_…`` per account: the fake has no configurations API), the
``return_url``, and the deep-link ``flow`` that ``flow_data`` asks for. ``url`` is an address on
``billing.stripe.com`` (or on the fake's server, as a session's hosted page is), which the fake
does not serve (see ``docs/setup-and-portal.md``).
https://docs.stripe.com/api/customer_portal/sessions
"""

from __future__ import annotations

import base64
import hashlib
from typing import TYPE_CHECKING, Any

from fakecheckout.core import errors
from fakecheckout.core.jsondata import copy_json
from fakecheckout.core.params import validate
from fakecheckout.core.resource import Resource, ResourceAPI, Route

if TYPE_CHECKING:
    from fakecheckout.core.world import Account, World

URL = "/v1/billing_portal/sessions"
PORTAL_HOST = "https://billing.stripe.com"

#: The flows that deep-link into one subscription, each with its ``flow_data`` hash.
SUBSCRIPTION_FLOWS = (
    "subscription_cancel",
    "subscription_pause",
    "subscription_update",
    "subscription_update_confirm",
)


def portal_url(account_id: str, session_id: str, base: str | None = None) -> str:
    """``https://billing.stripe.com/p/session/test_<token>`` (``base`` replaces the host); the
    token, like Stripe's, encodes the account and a secret derived from the session id."""
    secret = hashlib.sha256(f"portal:{session_id}".encode()).hexdigest()[:32]
    token = base64.urlsafe_b64encode(f"{account_id},_{secret}".encode()).decode().rstrip("=")
    return f"{(base or PORTAL_HOST).rstrip('/')}/p/session/test_{token}"


def flow_object(given: dict[str, Any]) -> dict[str, Any]:
    """The session's ``flow`` from ``flow_data``: every flow hash ``null`` but the one asked for,
    ``after_completion`` defaulting to the portal's homepage."""
    completion = given.get("after_completion") or {"type": "portal_homepage"}
    hosted = completion.get("hosted_confirmation")
    redirect = completion.get("redirect")
    flow: dict[str, Any] = {
        "after_completion": {
            "hosted_confirmation": (
                {"custom_message": (hosted or {}).get("custom_message")}
                if completion["type"] == "hosted_confirmation"
                else None
            ),
            "redirect": {"return_url": redirect["return_url"]} if redirect else None,
            "type": completion["type"],
        },
        "subscription_cancel": None,
        "subscription_update": None,
        "subscription_update_confirm": None,
        "type": given["type"],
    }
    chosen: dict[str, Any] = given.get(given["type"]) or {}
    if given["type"] == "subscription_cancel":
        retention = chosen.get("retention")
        flow["subscription_cancel"] = {
            "retention": copy_json(retention) if retention else None,
            "subscription": chosen["subscription"],
        }
    elif given["type"] == "subscription_update_confirm":
        flow["subscription_update_confirm"] = {
            "discounts": [
                {"coupon": d.get("coupon"), "promotion_code": d.get("promotion_code")}
                for d in chosen["discounts"]
            ]
            if chosen.get("discounts")
            else None,
            "items": [
                {"id": item["id"], "price": item.get("price"), "quantity": item.get("quantity")}
                for item in chosen["items"]
            ],
            "subscription": chosen["subscription"],
        }
    elif chosen:  # subscription_update, subscription_pause: the subscription only
        flow[given["type"]] = {"subscription": chosen["subscription"]}
    return dict(sorted(flow.items()))


class BillingPortalSessionsAPI(ResourceAPI):
    """Customer portal sessions of one account: ``fake.billing_portal_sessions``."""

    def __init__(self, world: World, account: Account) -> None:
        super().__init__(world, account)
        self._sessions: dict[str, dict[str, Any]] = {}
        self._configuration: str | None = None

    def create(self, /, **params: Any) -> dict[str, Any]:
        """``POST /v1/billing_portal/sessions``: ``customer`` (required), ``return_url``,
        ``configuration``, ``flow_data``, ``locale``, ``on_behalf_of``."""
        with self._world.operation() as now:
            checked = validate("billing_portal_sessions.create", params)
            for name in ("customer_account", "after_expiration"):
                if name in checked:
                    raise errors.not_emulated_parameter(name)
            if "customer" not in checked:
                raise errors.missing_parameter("customer")
            self._account.customers._find(checked["customer"], param="customer")
            self._account.expander.check("billing_portal.session", checked.get("expand", []))
            configuration = self.default_configuration
            if checked.get("configuration", configuration) != configuration:
                raise errors.no_such_object(
                    "configuration", checked["configuration"], param="configuration", status=400
                )
            flow = checked.get("flow_data")
            if flow is not None:
                self._check_flow(flow)
            session_id = self._world.ids.new("bps_", 24)
            account_id = self._account.account_id or self._world.account_id
            session = {
                "id": session_id,
                "object": "billing_portal.session",
                "configuration": configuration,
                "created": now,
                "customer": checked["customer"],
                "customer_account": None,
                "flow": flow_object(flow) if flow is not None else None,
                "livemode": False,
                "locale": checked.get("locale"),
                "on_behalf_of": checked.get("on_behalf_of"),
                "return_url": checked.get("return_url"),
                "url": portal_url(account_id, session_id, self._world.checkout_page_base_url),
            }
            self._sessions[session_id] = session
            out: dict[str, Any] = copy_json(session)
            self._account.expander.expand(out, "billing_portal.session", checked.get("expand", []))
            return out

    @property
    def default_configuration(self) -> str:
        """The ``bpc_…`` id of the account's default portal configuration (made on first use)."""
        if self._configuration is None:
            self._configuration = self._world.ids.new("bpc_", 24)
        return self._configuration

    def lookup(self, object_id: str) -> dict[str, Any] | None:
        found = self._sessions.get(object_id)
        copied: dict[str, Any] | None = None if found is None else copy_json(found)
        return copied

    def _check_flow(self, flow: dict[str, Any]) -> None:
        """What ``flow_data`` needs besides its types: the hash of its ``type``, the redirect of
        a ``redirect`` completion, and subscriptions of this account."""
        kind = flow["type"]
        if kind in SUBSCRIPTION_FLOWS:
            if kind not in flow:
                raise errors.missing_parameter(f"flow_data[{kind}]")
            self._account.subscriptions._find(
                flow[kind]["subscription"], param=f"flow_data[{kind}][subscription]"
            )
        completion = flow.get("after_completion") or {}
        if completion.get("type") == "redirect" and "redirect" not in completion:
            raise errors.missing_parameter("flow_data[after_completion][redirect]")


RESOURCE = Resource(
    name="billing_portal_sessions",
    object="billing_portal.session",
    api=BillingPortalSessionsAPI,
    routes=(Route("POST", URL, lambda ns, ids, p: ns.billing_portal_sessions.create(**p)),),
    expandable={"billing_portal.session": {"configuration": "billing_portal.configuration"}},
)
