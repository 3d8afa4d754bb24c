"""SetupIntents (``/v1/setup_intents``): a card saved for later, behind a setup-mode Checkout
Session.

The fake makes them itself: a setup-mode session gets its SetupIntent when it is created
(``requires_payment_method``, ``usage: off_session``, ``setup_intent.created``); completing the
session saves a card PaymentMethod, attached to the customer when there is one, and the intent
``succeeded`` (``payment_method.attached``, ``setup_intent.succeeded``); expiring the session
(by request or at ``expires_at``) ``canceled`` it with ``cancellation_reason: abandoned``
(``setup_intent.canceled``). See ``docs/setup-and-portal.md``. Retrieve and list (``customer``,
``payment_method``, ``created``) are emulated; creating, confirming, updating and canceling
SetupIntents through the API are not.

The field set is Stripe's own example (``fixtures3.json``) with the card options of the API
reference's example; the SDKs' other fields (:data:`SENT_ONLY_WHEN_SET`) are left out, as that
example leaves them out, and no field of a SetupIntent was ever removed, so every version shows
the same shape.
https://docs.stripe.com/api/setup_intents
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from fakecheckout.core import errors
from fakecheckout.core.params import validate
from fakecheckout.core.resource import Resource, Route

from .payment_objects import PaymentObjectAPI, client_secret

if TYPE_CHECKING:
    from fakecheckout.core.events import EventRecord

URL = "/v1/setup_intents"

#: ``setup_intent_data`` keys of a Checkout Session that the SetupIntent shows.
FROM_SESSION = ("description", "metadata", "on_behalf_of")

#: Fields of the SDKs' SetupIntent (``param_trees/index.json`` ``shapes``) that Stripe's example
#: leaves out: sent only when set, and never set on an intent the fake makes.
SENT_ONLY_WHEN_SET = frozenset(
    {"allowed_payment_method_types", "attach_to_self", "customer_account", "managed_payments"}
)

#: List filters that select by equality.
EQUALITY = ("customer", "payment_method")


def setup_intent_object(
    *,
    intent_id: str,
    created: int,
    customer: str | None,
    payment_method_types: Sequence[str],
) -> dict[str, Any]:
    """A ``setup_intent`` as Checkout creates it: no payment method yet, for off-session use."""
    return {
        "id": intent_id,
        "object": "setup_intent",
        "application": None,
        "automatic_payment_methods": None,
        "cancellation_reason": None,
        "client_secret": client_secret(intent_id),
        "created": created,
        "customer": customer,
        "description": None,
        "excluded_payment_method_types": None,
        "flow_directions": None,
        "last_setup_error": None,
        "latest_attempt": None,
        "livemode": False,
        "mandate": None,
        "metadata": {},
        "next_action": None,
        "on_behalf_of": None,
        "payment_method": None,
        "payment_method_configuration_details": None,
        "payment_method_options": {
            "card": {
                "mandate_options": None,
                "network": None,
                "request_three_d_secure": "automatic",
            }
        },
        "payment_method_types": list(payment_method_types),
        "single_use_mandate": None,
        "status": "requires_payment_method",
        "usage": "off_session",
    }


class SetupIntentsAPI(PaymentObjectAPI):
    """The SetupIntents of one account: ``fake.setup_intents`` and ``/v1/setup_intents``."""

    OBJECT = "setup_intent"
    URL = URL
    FILTERS = {
        "customer": lambda record: record.get("customer"),
        "payment_method": lambda record: record.get("payment_method"),
    }
    EVENTS = False  # its events are its state changes, recorded by each one

    def retrieve(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002 - Stripe's name
        """``GET /v1/setup_intents/{id}`` (``client_secret`` is not sent)."""
        with self._world.operation():
            params.pop("client_secret", None)
            checked = validate("setup_intents.retrieve", params)
            return self._render(self._get(id), checked.get("expand", []))

    def list(self, /, **params: Any) -> dict[str, Any]:
        """``GET /v1/setup_intents``: newest first; ``customer``, ``payment_method`` and
        ``created`` select."""
        with self._world.operation():
            checked = validate("setup_intents.list", params)
            if "attach_to_self" in checked:
                raise errors.not_emulated_parameter("attach_to_self")
            if "customer_account" in checked:  # no intent of the fake names an Account
                return self._list(checked, {}, matches=lambda record: False)
            wanted = {name: checked[name] for name in EQUALITY if name in checked}
            return self._list(checked, wanted)

    # --- for Checkout Sessions (the lock is held) ---

    def _create_for_checkout(
        self,
        intent_id: str,
        *,
        customer: str | None,
        payment_method_types: Sequence[str],
        setup_intent_data: dict[str, Any],
        now: int,
    ) -> None:
        """The SetupIntent ``intent_id`` of a new setup-mode session (``setup_intent.created``);
        ``setup_intent_data`` gives its ``description``, ``metadata`` and ``on_behalf_of``."""
        fields = setup_intent_object(
            intent_id=intent_id,
            created=now,
            customer=customer,
            payment_method_types=payment_method_types,
        )
        for name in FROM_SESSION:
            if setup_intent_data.get(name):
                fields[name] = setup_intent_data[name]
        self._insert(fields, now=now, event=False)
        self._event("setup_intent.created", intent_id, now=now)

    def _succeed(
        self,
        intent_id: str,
        *,
        customer: str | None,
        email: str | None,
        name: str | None,
        now: int,
    ) -> str:
        """The customer saved a card: a card PaymentMethod (attached to ``customer`` when given,
        ``payment_method.attached``), then ``setup_intent.succeeded``; returns the method's id."""
        method_id = self._account.payment_methods._create_card(
            customer=customer, now=now, email=email, name=name
        )
        self._set(
            intent_id,
            {
                "customer": customer,
                "latest_attempt": self._world.ids.new("setatt_", 24),
                "payment_method": method_id,
                "status": "succeeded",
            },
        )
        self._event("setup_intent.succeeded", intent_id, now=now)
        return str(method_id)

    def _abandon(self, intent_id: str, *, now: int, by_request: bool) -> EventRecord | None:
        """Its session expired unfinished: ``canceled`` (``abandoned``), ``setup_intent.canceled``
        (``by_request=False``: at the session's ``expires_at``, no request caused it)."""
        record = self._store.by_id.get(intent_id)
        if record is None or record.fields["status"] != "requires_payment_method":
            return None
        self._set(intent_id, {"cancellation_reason": "abandoned", "status": "canceled"})
        return self._world.record_event(
            self._account,
            "setup_intent.canceled",
            self._fields(intent_id),
            at=now,
            by_request=by_request,
        )


RESOURCE = Resource(
    name="setup_intents",
    object="setup_intent",
    api=SetupIntentsAPI,
    routes=(
        Route("GET", URL, lambda ns, ids, p: ns.setup_intents.list(**p)),
        Route("GET", URL + "/{id}", lambda ns, ids, p: ns.setup_intents.retrieve(ids[0], **p)),
    ),
    expandable={
        "setup_intent": {
            "application": "application",
            "customer": "customer",
            "latest_attempt": "setup_attempt",
            "mandate": "mandate",
            "on_behalf_of": "account",
            "payment_method": "payment_method",
            "single_use_mandate": "mandate",
        },
    },
)
