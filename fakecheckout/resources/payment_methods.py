"""PaymentMethods (``/v1/payment_methods``): the card a customer paid with.

The fake makes them itself: a completed Checkout Session (payment, subscription or setup mode)
and the other flows behind it create one card PaymentMethod (Stripe's test card ``4242``), attached
to the customer when there is one (``payment_method.attached``). Retrieve, and list with
``customer`` and ``type``, are emulated; creating, updating, attaching and detaching through the
API are not.
https://docs.stripe.com/api/payment_methods
"""

from __future__ import annotations

from typing import Any

from fakecheckout.core import errors
from fakecheckout.core.params import validate
from fakecheckout.core.resource import Resource, Route

from .payment_objects import (
    PaymentObjectAPI,
    billing_details,
    card_fingerprint,
    payment_method_object,
)

URL = "/v1/payment_methods"


class PaymentMethodsAPI(PaymentObjectAPI):
    """The PaymentMethods of one account: ``fake.payment_methods`` and ``/v1/payment_methods``."""

    OBJECT = "payment_method"
    URL = URL
    FILTERS = {
        "customer": lambda record: record.get("customer"),
        "type": lambda record: record.get("type"),
    }
    EVENTS = False  # Stripe sends no payment_method.created; attaching sends its own event

    def retrieve(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002 - Stripe's name
        """``GET /v1/payment_methods/{id}``."""
        with self._world.operation():
            checked = validate("payment_methods.retrieve", params)
            return self._render(self._get(id), checked.get("expand", []))

    def list(self, /, **params: Any) -> dict[str, Any]:
        """``GET /v1/payment_methods``: newest first; ``customer`` and ``type`` select."""
        with self._world.operation():
            checked = validate("payment_methods.list", params)
            if "customer" in checked:
                self._account.customers._find(checked["customer"], param="customer")
            if "customer_account" in checked:
                raise errors.no_such_object(
                    "account", checked["customer_account"], param="customer_account", status=400
                )
            wanted: dict[str, str] = {
                name: checked[name] for name in ("customer", "type") if name in checked
            }
            return self._list(checked, wanted)

    # --- for other resources (the lock is held) ---

    def _create_card(
        self,
        *,
        customer: str | None,
        now: int,
        email: str | None = None,
        name: str | None = None,
    ) -> str:
        """A card PaymentMethod (Stripe's ``4242`` test card), attached to ``customer`` when
        given (``payment_method.attached``); returns its id."""
        fields = payment_method_object(
            method_id=self._world.ids.new("pm_", 24),
            created=now,
            customer=customer,
            fingerprint=card_fingerprint(self._account.account_id or self._world.account_id),
            billing=billing_details(email=email, name=name),
        )
        record = self._insert(fields, now=now, event=False)
        if customer is not None:
            self._event("payment_method.attached", record.id, now=now)
        return record.id

    def _attach(self, method_id: str, customer: str, *, now: int) -> None:
        """Attach an unattached PaymentMethod to ``customer`` (``payment_method.attached``)."""
        if self._fields(method_id)["customer"] is None:
            self._set(method_id, {"customer": customer})
            self._event("payment_method.attached", method_id, now=now)


RESOURCE = Resource(
    name="payment_methods",
    object="payment_method",
    api=PaymentMethodsAPI,
    routes=(
        Route("GET", URL, lambda ns, ids, p: ns.payment_methods.list(**p)),
        Route("GET", URL + "/{id}", lambda ns, ids, p: ns.payment_methods.retrieve(ids[0], **p)),
    ),
    expandable={"payment_method": {"customer": "customer"}},
)
