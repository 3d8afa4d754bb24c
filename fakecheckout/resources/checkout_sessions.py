"""The ``checkout.session`` object: building it from validated create parameters, updating it, and
rendering it as the JSON Stripe sends.

A stored session keeps only what differs from :data:`TEMPLATE`, so a million sessions stay small; the
full object is rebuilt (and copied, so callers cannot change what is stored) on every read.
https://docs.stripe.com/api/checkout/sessions/object
"""

from __future__ import annotations

import builtins
import functools
import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from fakecheckout.core import errors, versions
from fakecheckout.core.compact import compact
from fakecheckout.core.currencies import check_checkout_total
from fakecheckout.core.encoded import Encoded, EncodedCache, encode, member, stand_in
from fakecheckout.core.ids import BYTE_TO_BASE62, IdFactory
from fakecheckout.core.jsondata import copy_json
from fakecheckout.core.listing import ListAll
from fakecheckout.core.objects import merge_metadata
from fakecheckout.core.pagination import CreatedRange, PageRequest, envelope, page_in_order
from fakecheckout.core.params import validate
from fakecheckout.core.resource import Resource, ResourceAPI, Route
from fakecheckout.core.store import Store
from fakecheckout.core.versioned import downgrade, is_newest

from . import checkout_amounts
from .prices import decimal_amount, price_object, unit_amounts
from .shipping_rates import amount_in, check_rate_data, shipping_rate_object

if TYPE_CHECKING:
    from fakecheckout.core.events import EventRecord
    from fakecheckout.core.world import Account, World

MIN_LIFETIME = 30 * 60
MAX_LIFETIME = 24 * 60 * 60
MAX_PAYMENT_LINE_ITEMS = 100
MAX_SUBSCRIPTION_LINE_ITEMS = 20  # of each kind: recurring and one-time

#: Every always-present field, with its value on a fresh ``payment``-mode session.
TEMPLATE: dict[str, Any] = {
    "id": None,
    "object": "checkout.session",
    "adaptive_pricing": {"enabled": True},
    "after_expiration": None,
    "allow_promotion_codes": None,
    "allowed_payment_method_types": None,
    "amount_subtotal": None,
    "amount_total": None,
    "automatic_tax": {"enabled": False, "liability": None, "provider": None, "status": None},
    "billing_address_collection": None,
    "cancel_url": None,
    "client_reference_id": None,
    "client_secret": None,
    "collected_information": None,
    "consent": None,
    "consent_collection": None,
    "created": None,
    "currency": None,
    "currency_conversion": None,
    "custom_fields": [],
    "custom_text": {
        "after_submit": None,
        "shipping_address": None,
        "submit": None,
        "terms_of_service_acceptance": None,
    },
    "customer": None,
    "customer_account": None,
    "customer_creation": "if_required",
    "customer_details": None,
    "customer_email": None,
    "discounts": [],
    "expires_at": None,
    "integration_identifier": None,
    "invoice": None,
    "invoice_creation": {
        "enabled": False,
        "invoice_data": {
            "account_tax_ids": None,
            "custom_fields": None,
            "description": None,
            "footer": None,
            "issuer": None,
            "metadata": {},
            "rendering_options": None,
        },
    },
    "livemode": False,
    "locale": None,
    "managed_payments": {"enabled": False},
    "metadata": {},
    "mode": "payment",
    "origin_context": None,
    "payment_intent": None,
    "payment_link": None,
    "payment_method_collection": "if_required",
    "payment_method_configuration_details": None,
    "payment_method_options": {"card": {"request_three_d_secure": "automatic"}},
    "payment_method_types": ["card"],
    "payment_status": "unpaid",
    "permissions": None,
    "phone_number_collection": {"enabled": False},
    "recovered_from": None,
    "saved_payment_method_options": None,
    "setup_intent": None,
    "shipping_address_collection": None,
    "shipping_cost": None,
    "shipping_options": [],
    "status": "open",
    "submit_type": None,
    "subscription": None,
    "success_url": None,
    "total_details": {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0},
    "ui_mode": "hosted_page",
    "url": None,
    "wallet_options": None,
}

#: Fields Stripe sends only when they apply (besides ``line_items``, which needs ``expand``).
OPTIONAL_FIELDS = (
    "branding_settings",
    "excluded_payment_method_types",
    "name_collection",
    "optional_items",
    "presentment_details",
    "redirect_on_completion",
    "return_url",
    "tax_id_collection",
)

#: Create parameters whose value Stripe shows unchanged on the object.
ECHOED = (
    "allow_promotion_codes",
    "allowed_payment_method_types",
    "billing_address_collection",
    "cancel_url",
    "client_reference_id",
    "customer_account",
    "customer_email",
    "excluded_payment_method_types",
    "integration_identifier",
    "locale",
    "origin_context",
    "payment_method_options",
    "return_url",
    "submit_type",
    "success_url",
    "wallet_options",
)

#: Create parameters the docs forbid with ``ui_mode="elements"``.
NOT_WITH_ELEMENTS = (
    "after_expiration",
    "branding_settings",
    "custom_fields",
    "custom_text",
    "origin_context",
)

#: The most items these array parameters take (Stripe's documented limits).
MAX_ITEMS = {"shipping_options": 5, "custom_fields": 3, "optional_items": 10}

#: ``branding_settings`` of an account that has set none (Stripe's defaults).
BRANDING_DEFAULTS: dict[str, Any] = {
    "background_color": "#ffffff",
    "border_style": "rounded",
    "button_color": "#0074d4",
    "display_name": "Test account",
    "font_family": "default",
    "icon": None,
    "logo": None,
}

#: ``collected_information`` and ``saved_payment_method_options`` of a session created for a
#: ``customer`` (payment or subscription mode), as recorded; without one both are ``null``.
COLLECTED_WITH_CUSTOMER: dict[str, Any] = {
    "business_name": None,
    "individual_name": None,
    "shipping_details": None,
}
SAVED_WITH_CUSTOMER: dict[str, Any] = {
    "allow_redisplay_filters": ["always"],
    "payment_method_remove": "disabled",
    "payment_method_save": None,
}

#: Create parameters shown on the object as a hash of these keys, ``null`` where not given.
HASHES_WITH_NULLS: dict[str, tuple[str, ...]] = {
    "consent_collection": ("payment_method_reuse_agreement", "promotions", "terms_of_service"),
    "saved_payment_method_options": (
        "allow_redisplay_filters",
        "payment_method_remove",
        "payment_method_save",
    ),
    "permissions": ("update_shipping_details",),
}

#: Fields holding an id of another object, which ``expand`` could turn into that object.
EXPANDABLE = (
    "customer",
    "invoice",
    "payment_intent",
    "payment_link",
    "setup_intent",
    "subscription",
)

FIELD_ORDER = ("id", "object") + tuple(
    sorted((set(TEMPLATE) | set(OPTIONAL_FIELDS)) - {"id", "object"})
)


@dataclass(eq=False)
class SessionRecord:
    """One stored session: what differs from :data:`TEMPLATE`, and its line items."""

    account: str | None
    seq: int
    fields: dict[str, Any]
    line_items: list[dict[str, Any]] = field(default_factory=list)

    @property
    def id(self) -> str:
        session_id: str = self.fields["id"]
        return session_id

    @property
    def key(self) -> tuple[int, int]:
        return (self.fields["created"], self.seq)

    @property
    def status(self) -> str:
        status: str = self.fields.get("status", "open")
        return status

    def get(self, name: str) -> Any:
        if name in self.fields:
            return self.fields[name]
        return TEMPLATE.get(name)


# --- rendering ----------------------------------------------------------------------------------


def render(record: SessionRecord, *, copy: bool = True, page: str | None = None) -> dict[str, Any]:
    """The full ``checkout.session`` JSON object (without ``line_items``).

    With ``copy`` (the default) nothing in it is shared with what is stored, so a caller may change
    it; ``copy=False`` is for a result that is only serialized (the HTTP door), and skips that.
    ``page`` is the hosted page's base address (``World.checkout_page_base_url``).
    """
    fields = record.fields
    out: dict[str, Any]
    if _OPTIONAL.isdisjoint(fields):  # the usual session: the template's order, its values replaced
        out = _ORDERED_TEMPLATE.copy()
        for name, value in fields.items():
            if name in out:
                out[name] = value
        if copy:
            for name, value in out.items():
                if type(value) in _CONTAINERS:
                    out[name] = copy_json(value)
    else:
        out = {}
        for name in FIELD_ORDER:
            if name in fields:
                value = fields[name]
            elif name in TEMPLATE:
                value = TEMPLATE[name]
            else:
                continue
            out[name] = copy_json(value) if copy and type(value) in _CONTAINERS else value
    status = out["status"]
    if out["ui_mode"] == "hosted_page" and status == "open":
        out["url"] = hosted_url(out["id"], page)
    if out["ui_mode"] != "hosted_page" and status == "open":
        out["client_secret"] = client_secret(out["id"])
    return out


_CONTAINERS = (dict, list)
_ORDERED_TEMPLATE = {name: TEMPLATE[name] for name in FIELD_ORDER if name in TEMPLATE}
_OPTIONAL = frozenset(OPTIONAL_FIELDS)


def encode_session(record: SessionRecord, page: str | None = None) -> Encoded | None:
    """``encode(render(record, page=page))``, built from the template's members encoded once, so
    only the fields the session stores are encoded; ``None`` for a session with optional fields
    (those take :func:`render`). The newest shape, as :func:`render`."""
    fields = record.fields
    if not _OPTIONAL.isdisjoint(fields):
        return None
    members = _TEMPLATE_MEMBERS.copy()
    for name, value in fields.items():
        if name in members:
            members[name] = member(name, value)
    if fields.get("status", _STATUS) == "open":
        if fields.get("ui_mode", _UI_MODE) == "hosted_page":
            members["url"] = member("url", hosted_url(fields["id"], page))
        else:
            members["client_secret"] = member("client_secret", client_secret(fields["id"]))
    return Encoded("{" + ",".join(members.values()) + "}")


_TEMPLATE_MEMBERS = {name: member(name, value) for name, value in _ORDERED_TEMPLATE.items()}
_STATUS, _UI_MODE = TEMPLATE["status"], TEMPLATE["ui_mode"]


def render_line_item(item: dict[str, Any], *, copy: bool = True) -> dict[str, Any]:
    """A line item (``item`` object); ``copy`` as for :func:`render`."""
    visible = {name: value for name, value in item.items() if name[0] != "_"}
    copied: dict[str, Any] = copy_json(visible) if copy else visible
    return copied


def hosted_url(session_id: str, page: str | None = None) -> str:
    """``https://checkout.stripe.com/c/pay/<id>#<fragment>`` (``page`` replaces the address before
    ``/c/pay``); the fragment is derived from the id."""
    base = (page or "https://checkout.stripe.com").rstrip("/")
    return f"{base}/c/pay/{session_id}#fid{_derived(session_id, 'url', 48)}"


def client_secret(session_id: str) -> str:
    """``<id>_secret_<random>``, derived from the id (Stripe's format is undocumented)."""
    return f"{session_id}_secret_{_derived(session_id, 'secret', 24)}"


@functools.lru_cache(maxsize=128)  # a list page renders the same open sessions again
def _derived(session_id: str, purpose: str, length: int) -> str:
    digest = hashlib.sha512(f"{purpose}:{session_id}".encode()).digest()
    return digest[:length].translate(BYTE_TO_BASE62).decode("ascii")


# --- creation -----------------------------------------------------------------------------------


class Catalog(Protocol):
    """The objects a session refers to by id, each raising Stripe's 400 when there is none."""

    def price(self, price_id: str, *, param: str) -> dict[str, Any]: ...
    def customer(self, customer_id: str, *, param: str) -> dict[str, Any]: ...
    def product(self, product_id: str, *, param: str) -> dict[str, Any]: ...
    def product_name(self, product_id: str) -> str: ...
    def coupon(self, coupon_id: str, *, param: str) -> dict[str, Any]: ...
    def promotion_code(
        self, code_id: str, *, param: str, customer: str | None
    ) -> dict[str, Any]: ...
    def tax_rate(self, rate_id: str, *, param: str) -> dict[str, Any]: ...
    def shipping_rate(self, rate_id: str, *, param: str) -> dict[str, Any]: ...


@dataclass
class Builder:
    """Turns validated create (or update) parameters into stored fields; holds what it needs."""

    ids: IdFactory
    catalog: Catalog
    now: int
    new_products: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    """Products that ``product_data`` creates, stored once the whole request has been checked."""
    new_shipping_rates: list[dict[str, Any]] = field(default_factory=list)
    """Shipping rates that ``shipping_rate_data`` creates, stored likewise."""
    automatic_tax: bool = False

    def create(self, params: dict[str, Any], *, seq: int, account: str | None) -> SessionRecord:
        mode = params.get("mode")
        if mode is None:
            raise errors.missing_parameter("mode")
        ui_mode = params.get("ui_mode", "hosted_page")
        self._check_mode_rules(params, mode, ui_mode)
        checkout_amounts.check_discount_params(params)
        self.automatic_tax = bool((params.get("automatic_tax") or {}).get("enabled"))

        fields: dict[str, Any] = {
            "id": self.ids.session_id(),
            "created": self.now,
            "expires_at": self._expires_at(params),
        }
        if mode != "payment":
            fields["mode"] = mode
            fields["payment_method_collection"] = "always"  # recordings: if_required in payment
        if mode == "setup":
            fields["payment_method_options"] = {}
            fields["adaptive_pricing"] = None
        if ui_mode != "hosted_page":
            fields["ui_mode"] = ui_mode
        for name in ECHOED:
            if name in params:
                fields[name] = params[name]
        if "allowed_payment_method_types" in params:
            # Stripe computes the eligible set; the fake takes the allowed list as that set.
            fields["payment_method_types"] = list(params["allowed_payment_method_types"])
        if "redirect_on_completion" in params or ui_mode == "embedded_page":
            fields["redirect_on_completion"] = params.get("redirect_on_completion", "always")
        if params.get("metadata"):
            fields["metadata"] = _without_empty(params["metadata"])
        self._customer_fields(params, mode, fields)
        self._echo_objects(params, mode, fields)
        if "payment_intent_data" in params:
            # Kept for the PaymentIntent a completion creates; the session shows no such field.
            fields["_payment_intent_data"] = params["payment_intent_data"]

        record = SessionRecord(account=account, seq=seq, fields=fields)
        if mode == "setup":
            fields["setup_intent"] = self.ids.new("seti_", 24)
            fields["payment_status"] = "no_payment_required"
            fields["total_details"] = None
            fields["invoice_creation"] = None
            fields["currency"] = params.get("currency")
        else:
            record.line_items = self.line_items(params["line_items"], mode=mode, existing=[])
            self._check_line_item_kinds(record.line_items, mode)
            fields["currency"] = record.line_items[0]["currency"]
            if "currency" in params and params["currency"] != fields["currency"]:
                raise errors.mixed_currencies(0, params["currency"], fields["currency"])
            if "shipping_options" in params:
                fields["shipping_options"] = self.shipping_options(
                    params["shipping_options"], fields["currency"]
                )
            if mode == "subscription":
                fields["invoice_creation"] = None
                if "subscription_data" in params:  # what completion gives the subscription
                    fields["_subscription_data"] = params["subscription_data"]
            fields.update(
                checkout_amounts.resolve_discounts(
                    params,
                    self.catalog,
                    currency=fields["currency"],
                    subtotal=sum(item["amount_subtotal"] for item in record.line_items),
                    customer=fields.get("customer"),
                    discount_id=self.ids.new("di_", 24),
                )
            )
            recompute_amounts(record)
            if mode == "payment":
                check_checkout_total(fields["currency"], fields["amount_total"])
        return record

    def _check_mode_rules(self, params: dict[str, Any], mode: str, ui_mode: str) -> None:
        if mode in ("payment", "subscription") and not params.get("line_items"):
            raise errors.missing_parameter("line_items")
        if mode == "setup":
            if params.get("line_items"):
                raise errors.not_allowed_with("line_items", "in `setup` mode")
            if "currency" not in params and "allowed_payment_method_types" not in params:
                raise errors.requires(
                    "currency", "in `setup` mode when `allowed_payment_method_types` is not set"
                )
        only_in = {
            "customer_creation": ("payment", "setup"),
            "payment_method_collection": ("subscription",),
            "submit_type": ("payment", "subscription"),
            "invoice_creation": ("payment",),
            "payment_intent_data": ("payment",),
            "subscription_data": ("subscription",),
            "setup_intent_data": ("setup",),
            "shipping_options": ("payment", "subscription"),
            "discounts": ("payment", "subscription"),
            "saved_payment_method_options": ("payment", "subscription"),
        }
        for name, modes in only_in.items():
            if name in params and mode not in modes:
                allowed = " or ".join(f"`{m}`" for m in modes)
                raise errors.not_allowed_with(name, f"in `{mode}` mode; only in {allowed} mode")
        if ui_mode in ("embedded_page", "elements"):
            for name in ("success_url", "cancel_url"):
                if name in params:
                    raise errors.not_allowed_with(name, f"when `ui_mode` is `{ui_mode}`")
        if ui_mode == "elements":
            for name in NOT_WITH_ELEMENTS:
                if name in params:
                    raise errors.not_allowed_with(name, "when `ui_mode` is `elements`")
        if "permissions" in params and ui_mode not in ("embedded_page", "elements"):
            raise errors.not_allowed_with(
                "permissions", "unless `ui_mode` is `embedded_page` or `elements`"
            )
        for name, maximum in MAX_ITEMS.items():
            if len(params.get(name) or []) > maximum:
                raise errors.too_many_items(name, maximum)
        else:
            for name in ("return_url", "redirect_on_completion"):
                if name in params and ui_mode == "hosted_page":
                    raise errors.not_allowed_with(name, "when `ui_mode` is `hosted_page`")
        if "customer" in params and "customer_email" in params:
            raise errors.only_one_of("customer", "customer_email")
        if "customer_update" in params and "customer" not in params:
            raise errors.requires("customer", "when `customer_update` is set")

    def _expires_at(self, params: dict[str, Any]) -> int:
        expires_at = params.get("expires_at")
        if expires_at is None:
            return self.now + MAX_LIFETIME
        # Divergence: both ends are inclusive; Stripe measures from its own clock, so users keep a margin.
        if expires_at - self.now < MIN_LIFETIME:
            raise errors.expires_at_too_soon()
        if expires_at - self.now > MAX_LIFETIME:
            raise errors.expires_at_too_late()
        result: int = expires_at
        return result

    def _customer_fields(self, params: dict[str, Any], mode: str, fields: dict[str, Any]) -> None:
        customer_id = params.get("customer")
        if customer_id is not None:
            customer = self.catalog.customer(customer_id, param="customer")
            fields["customer"] = customer_id
            fields["customer_creation"] = None
            if mode != "setup":  # what the recorded session with a customer shows
                fields["collected_information"] = dict(COLLECTED_WITH_CUSTOMER)
                fields["saved_payment_method_options"] = copy_json(SAVED_WITH_CUSTOMER)
            if customer.get("email"):
                fields["customer_details"] = customer_details(email=customer["email"])
        elif mode == "subscription":
            fields["customer_creation"] = "always"
        elif "customer_creation" in params:
            fields["customer_creation"] = params["customer_creation"]
        email = params.get("customer_email")
        if email is not None:
            fields["customer_details"] = customer_details(email=email)

    def _echo_objects(self, params: dict[str, Any], mode: str, fields: dict[str, Any]) -> None:
        """Create parameters that appear on the object as a hash of the same shape."""
        if "adaptive_pricing" in params:
            fields["adaptive_pricing"] = {
                "enabled": params["adaptive_pricing"].get("enabled", False)
            }
        if "managed_payments" in params:
            fields["managed_payments"] = {
                "enabled": params["managed_payments"].get("enabled", False)
            }
        if "automatic_tax" in params:
            enabled = params["automatic_tax"]["enabled"]
            liability = params["automatic_tax"].get("liability")
            if enabled and liability is None:
                liability = {"type": "self"}
            fields["automatic_tax"] = {
                "enabled": enabled,
                "liability": liability,
                "provider": "stripe" if enabled else None,
                "status": "requires_location_inputs" if enabled else None,
            }
        if "after_expiration" in params:
            recovery = params["after_expiration"].get("recovery")
            fields["after_expiration"] = {
                "recovery": None
                if recovery is None
                else {
                    "allow_promotion_codes": recovery.get("allow_promotion_codes", False),
                    "enabled": recovery["enabled"],
                    "expires_at": None,
                    "url": None,
                }
            }
        if "custom_text" in params:
            text = dict(TEMPLATE["custom_text"])
            for name, value in params["custom_text"].items():
                text[name] = value if value != "" else None
            fields["custom_text"] = text
        if "custom_fields" in params:
            fields["custom_fields"] = [custom_field(given) for given in params["custom_fields"]]
        if "invoice_creation" in params and mode == "payment":
            given = params["invoice_creation"]
            data = dict(TEMPLATE["invoice_creation"]["invoice_data"])
            for name, value in given.get("invoice_data", {}).items():
                data[name] = value
            fields["invoice_creation"] = {"enabled": given["enabled"], "invoice_data": data}
        if "phone_number_collection" in params:
            fields["phone_number_collection"] = {
                "enabled": params["phone_number_collection"]["enabled"]
            }
        if "shipping_address_collection" in params:
            fields["shipping_address_collection"] = params["shipping_address_collection"]
        if "tax_id_collection" in params:
            given = params["tax_id_collection"]
            fields["tax_id_collection"] = {
                "enabled": given["enabled"],
                "required": given.get("required", "never"),
            }
        for name, keys in HASHES_WITH_NULLS.items():
            if name in params:
                fields[name] = {key: params[name].get(key) for key in keys}
        if "payment_method_collection" in params:
            fields["payment_method_collection"] = params["payment_method_collection"]
        if "branding_settings" in params:
            # Divergence: Stripe fills what is not given from the account's branding settings.
            fields["branding_settings"] = {**BRANDING_DEFAULTS, **params["branding_settings"]}
        if "name_collection" in params:
            fields["name_collection"] = {
                kind: {"enabled": given["enabled"], "optional": given.get("optional", False)}
                for kind, given in params["name_collection"].items()
            }
        if "optional_items" in params:
            fields["optional_items"] = [
                self._optional_item(index, given)
                for index, given in enumerate(params["optional_items"])
            ]
        if "payment_method_configuration" in params:
            raise errors.no_such_object(
                "payment_method_configuration",
                params["payment_method_configuration"],
                param="payment_method_configuration",
                status=400,
            )

    def _optional_item(self, index: int, given: dict[str, Any]) -> dict[str, Any]:
        self.catalog.price(given["price"], param=f"optional_items[{index}][price]")
        return {
            "adjustable_quantity": adjustable_quantity(given.get("adjustable_quantity")),
            "price": given["price"],
            "quantity": given["quantity"],
        }

    # --- line items ---

    def line_items(
        self, given: list[dict[str, Any]], *, mode: str, existing: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """Line item objects for the ``line_items`` parameter (on update, ``id`` keeps an item)."""
        by_id = {item["id"]: item for item in existing}
        items: list[dict[str, Any]] = []
        currency: str | None = None
        kept: set[str] = set()
        for index, entry in enumerate(given):
            if "id" in entry:
                if entry["id"] in kept:
                    raise errors.line_item_twice(index, entry["id"])
                kept.add(entry["id"])
                item = self._update_item(index, entry, by_id)
            else:
                item = self._new_item(index, entry)
            if currency is None:
                currency = item["currency"]
            elif item["currency"] != currency:
                raise errors.mixed_currencies(index, currency, item["currency"])
            items.append(item)
        return items

    def _new_item(self, index: int, entry: dict[str, Any]) -> dict[str, Any]:
        prefix = f"line_items[{index}]"
        if "price" in entry and "price_data" in entry:
            raise errors.line_item_price_and_price_data(index)
        if "price" in entry:
            price = self.catalog.price(entry["price"], param=f"{prefix}[price]")
            description = self.catalog.product_name(price["product"])
        elif "price_data" in entry:
            price, description = self._inline_price(index, entry["price_data"])
        else:
            raise errors.line_item_needs_price()
        if "quantity" not in entry:
            raise errors.missing_parameter(f"{prefix}[quantity]")
        quantity: int = entry["quantity"]
        if quantity < 0:
            raise errors.value_too_small(f"{prefix}[quantity]", 0)
        hidden = checkout_amounts.resolve_tax_rates(
            entry, index, self.catalog, automatic_tax=self.automatic_tax
        )
        item = compact(
            {
                "id": self.ids.new("li_", 24),
                "object": "item",
                "adjustable_quantity": adjustable_quantity(entry.get("adjustable_quantity")),
                "amount_discount": 0,
                "amount_subtotal": 0,
                "amount_tax": 0,
                "amount_total": 0,
                "currency": price["currency"],
                "description": description,
                "metadata": _without_empty(entry.get("metadata") or {}),
                "price": price,
                "quantity": quantity,
                **hidden,
            }
        )
        set_item_amounts(item)
        return item

    def _update_item(
        self, index: int, entry: dict[str, Any], by_id: dict[str, dict[str, Any]]
    ) -> dict[str, Any]:
        """An existing item (``id``) with the fields given changed; the others keep their values."""
        found = by_id.get(entry["id"])
        if found is None:
            raise errors.no_such_object(
                "line_item", entry["id"], param=f"line_items[{index}][id]", status=400
            )
        item: dict[str, Any] = copy_json(found)
        if "price" in entry or "price_data" in entry:
            kept = {"quantity": item["quantity"], **entry}
            replacement = self._new_item(index, kept)
            replacement["id"] = item["id"]
            for name in ("metadata", "adjustable_quantity", "_tax_rates", "_dynamic_tax_rates"):
                if name not in entry and name in item:
                    replacement[name] = item[name]
            item = replacement
        item.update(
            checkout_amounts.resolve_tax_rates(
                entry, index, self.catalog, automatic_tax=self.automatic_tax
            )
        )
        if "quantity" in entry:
            if entry["quantity"] < 0:
                raise errors.value_too_small(f"line_items[{index}][quantity]", 0)
            item["quantity"] = entry["quantity"]
        if "adjustable_quantity" in entry:
            item["adjustable_quantity"] = adjustable_quantity(entry["adjustable_quantity"])
        if "metadata" in entry:
            item["metadata"] = merge_metadata(
                item["metadata"], entry["metadata"], param=f"line_items[{index}][metadata]"
            )
        set_item_amounts(item)
        return item

    def _inline_price(self, index: int, data: dict[str, Any]) -> tuple[dict[str, Any], str]:
        prefix = f"line_items[{index}][price_data]"
        if "product" in data and "product_data" in data:
            raise errors.price_data_product_and_product_data(index)
        if "product" in data:
            product = data["product"]
            description = self.catalog.product(product, param=f"{prefix}[product]")["name"]
        elif "product_data" in data:
            product = self.ids.new("prod_", 14)
            description = data["product_data"]["name"]
            self.new_products.append((product, data["product_data"]))
        else:
            raise errors.price_data_needs_product(index)
        if data.get("unit_amount") is None and data.get("unit_amount_decimal") is None:
            raise errors.price_data_needs_amount(index)
        unit_amount, unit_amount_decimal = unit_amounts(data, prefix)
        price = price_object(
            price_id=self.ids.new("price_", 24),
            created=self.now,
            currency=data["currency"],
            product=product,
            unit_amount=unit_amount,
            unit_amount_decimal=unit_amount_decimal,
            recurring=data.get("recurring"),
            active=False,
            tax_behavior=data.get("tax_behavior", "unspecified"),
        )
        return compact(price), description

    def _check_line_item_kinds(self, items: list[dict[str, Any]], mode: str) -> None:
        recurring = [item["price"]["type"] == "recurring" for item in items]
        if mode == "payment":
            if len(items) > MAX_PAYMENT_LINE_ITEMS:
                raise errors.too_many_items("line_items", MAX_PAYMENT_LINE_ITEMS)
            for index, is_recurring in enumerate(recurring):
                if is_recurring:
                    raise errors.recurring_price_needs_subscription_mode(index)
        elif mode == "subscription":
            if not any(recurring):
                raise errors.subscription_mode_needs_recurring_price()
            one_time = recurring.count(False)
            if max(one_time, len(items) - one_time) > MAX_SUBSCRIPTION_LINE_ITEMS:
                raise errors.too_many_items("line_items", MAX_SUBSCRIPTION_LINE_ITEMS)

    # --- shipping ---

    def shipping_options(self, given: list[dict[str, Any]], currency: str) -> list[dict[str, Any]]:
        """The session's ``shipping_options`` from stored rates or inline ``shipping_rate_data``
        (which creates a rate, stored once the request has been checked)."""
        options = []
        for index, entry in enumerate(given):
            prefix = f"shipping_options[{index}]"
            if "shipping_rate" in entry and "shipping_rate_data" in entry:
                raise errors.only_one_of(
                    f"{prefix}[shipping_rate]", f"{prefix}[shipping_rate_data]"
                )
            if "shipping_rate" in entry:
                option, _ = checkout_amounts.shipping_option(entry, index, self.catalog, currency)
                options.append(option)
                continue
            data = entry.get("shipping_rate_data")
            if data is None:
                raise errors.missing_parameter(f"{prefix}[shipping_rate_data]")
            data = {"fixed_amount": {"amount": 0, "currency": currency}, **data}
            check_rate_data(data, f"{prefix}[shipping_rate_data]")
            rate = shipping_rate_object(
                rate_id=self.ids.new("shr_", 24), created=self.now, data=data
            )
            amount = amount_in(rate, currency)
            if amount is None:
                raise errors.shipping_currency_mismatch(
                    index, currency, data["fixed_amount"]["currency"]
                )
            self.new_shipping_rates.append(rate)
            options.append({"shipping_amount": amount, "shipping_rate": rate["id"]})
        return options

    # --- update ---

    def update(self, record: SessionRecord, params: dict[str, Any]) -> dict[str, Any]:
        """The fields an update changes, checked in full before anything is applied."""
        changes: dict[str, Any] = {}
        fields = record.fields
        self.automatic_tax = bool((record.get("automatic_tax") or {}).get("enabled"))
        editing = [name for name in params if name not in ("metadata", "expand")]
        if editing and record.status != "open":
            raise errors.update_not_open(record.status)
        ui_mode = record.get("ui_mode")
        if "collected_information" in params and ui_mode not in ("embedded_page", "elements"):
            raise errors.not_allowed_with(
                "collected_information", "unless `ui_mode` is `embedded_page` or `elements`"
            )
        if "payment_intent_data" in params and ui_mode != "elements":
            raise errors.not_allowed_with("payment_intent_data", "unless `ui_mode` is `elements`")
        if "metadata" in params:
            changes["metadata"] = merge_metadata(
                record.get("metadata"), params["metadata"], param="metadata"
            )
        if "line_items" in params:
            if record.get("mode") == "setup":
                raise errors.not_allowed_with("line_items", "in `setup` mode")
            items = self.line_items(
                params["line_items"], mode=record.get("mode"), existing=record.line_items
            )
            if not items:
                raise errors.missing_parameter("line_items")
            self._check_line_item_kinds(items, record.get("mode"))
            if items[0]["currency"] != fields["currency"]:
                raise errors.mixed_currencies(0, fields["currency"], items[0]["currency"])
            changes["line_items"] = items
        if "shipping_options" in params:
            if record.get("mode") == "setup":
                raise errors.not_allowed_with("shipping_options", "in `setup` mode")
            if len(params["shipping_options"] or []) > MAX_ITEMS["shipping_options"]:
                raise errors.too_many_items("shipping_options", MAX_ITEMS["shipping_options"])
            given = params["shipping_options"]
            changes["shipping_options"] = (
                [] if given == "" else self.shipping_options(given, fields["currency"])
            )
        if "collected_information" in params:
            shipping = params["collected_information"].get("shipping_details")
            changes["collected_information"] = {
                "business_name": None,
                "individual_name": None,
                "shipping_details": None if not shipping else shipping_details(shipping),
            }
        if "payment_intent_data" in params:
            # Stored for the PaymentIntent that a completion creates; the session has no field for it.
            changes["_payment_intent_data"] = params["payment_intent_data"]
        return changes


def apply_update(record: SessionRecord, changes: dict[str, Any]) -> None:
    """Apply what :meth:`Builder.update` checked; nothing here can fail."""
    for name, value in changes.items():
        if name == "line_items":
            record.line_items = value
        else:
            record.fields[name] = value
    if "line_items" in changes or "shipping_options" in changes:
        recompute_amounts(record)


def recompute_amounts(record: SessionRecord) -> None:
    """Session and line-item amounts (see :mod:`fakecheckout.resources.checkout_amounts`)."""
    checkout_amounts.recompute(record)


def set_item_amounts(item: dict[str, Any]) -> None:
    price = item["price"]
    amount = decimal_amount(price["unit_amount"], price["unit_amount_decimal"], item["quantity"])
    item["amount_subtotal"] = amount
    item["amount_total"] = amount


def adjustable_quantity(given: dict[str, Any] | None) -> dict[str, Any] | None:
    if given is None:
        return None
    return {
        "enabled": given["enabled"],
        "maximum": given.get("maximum", 99) if given["enabled"] else None,
        "minimum": given.get("minimum", 0) if given["enabled"] else None,
    }


def customer_details(*, email: str | None, name: str | None = None) -> dict[str, Any]:
    return {
        "address": None,
        "business_name": None,
        "email": email,
        "individual_name": None,
        "name": name,
        "phone": None,
        "tax_exempt": "none",
        "tax_ids": None,
    }


def shipping_details(given: dict[str, Any]) -> dict[str, Any]:
    address = given["address"]
    return {
        "address": {
            "city": address.get("city"),
            "country": address["country"],
            "line1": address["line1"],
            "line2": address.get("line2"),
            "postal_code": address.get("postal_code"),
            "state": address.get("state"),
        },
        "name": given["name"],
    }


def custom_field(given: dict[str, Any]) -> dict[str, Any]:
    """A ``custom_fields[]`` entry of the object; only the hash of its ``type`` is present."""
    kind = given["type"]
    spec = given.get(kind, {})
    out: dict[str, Any] = {
        "key": given["key"],
        "label": {"custom": given["label"].get("custom"), "type": given["label"]["type"]},
        "optional": given.get("optional", False),
        "type": kind,
    }
    if kind == "dropdown":
        out["dropdown"] = {
            "default_value": spec.get("default_value"),
            "options": [
                {"label": o["label"], "value": o["value"]} for o in spec.get("options", [])
            ],
            "value": None,
        }
    else:
        out[kind] = {
            "default_value": spec.get("default_value"),
            "maximum_length": spec.get("maximum_length"),
            "minimum_length": spec.get("minimum_length"),
            "value": None,
        }
    return dict(sorted(out.items()))


def _without_empty(metadata: dict[str, str]) -> dict[str, str]:
    return {key: value for key, value in metadata.items() if value != ""}


# --- the direct API -----------------------------------------------------------------------------

SESSIONS_URL = "/v1/checkout/sessions"
_SESSION_ID = re.compile(r"cs_(?:test|live)_[0-9A-Za-z]+")
LINE_ITEMS_PREVIEW = 10

#: ``list`` filters that select sessions by equality, and how to read each from a session.
EQUALITY_FILTERS: dict[str, Callable[[SessionRecord], str | None]] = {
    "status": lambda record: record.status,
    "customer": lambda record: record.get("customer"),
    "customer_account": lambda record: record.get("customer_account"),
    "payment_intent": lambda record: record.get("payment_intent"),
    "payment_link": lambda record: record.get("payment_link"),
    "subscription": lambda record: record.get("subscription"),
    "customer_details[email]": lambda record: (record.get("customer_details") or {}).get("email"),
}


class _AccountCatalog:
    """The :class:`Catalog` of one account: its prices, customers and products."""

    def __init__(self, account: Account) -> None:
        self._account = account

    def price(self, price_id: str, *, param: str) -> dict[str, Any]:
        found: dict[str, Any] = self._account.prices._find(price_id, param=param)
        if not found["active"]:
            raise errors.price_inactive(param)
        copied: dict[str, Any] = copy_json(found)
        return copied

    def customer(self, customer_id: str, *, param: str) -> dict[str, Any]:
        found: dict[str, Any] = self._account.customers._find(customer_id, param=param)
        return found

    def product(self, product_id: str, *, param: str) -> dict[str, Any]:
        found: dict[str, Any] = self._account.products._find(product_id, param=param)
        return found

    def product_name(self, product_id: str) -> str:
        name: str = self._account.products._name_of(product_id)
        return name

    def coupon(self, coupon_id: str, *, param: str) -> dict[str, Any]:
        found: dict[str, Any] = self._account.coupons._redeemable(
            coupon_id, param=param, now=self._account.world.clock.now()
        )
        return found

    def promotion_code(self, code_id: str, *, param: str, customer: str | None) -> dict[str, Any]:
        first_time = customer is None or not self._account.sessions._customer_has_paid(customer)
        found: dict[str, Any] = self._account.promotion_codes._redeemable(
            code_id,
            param=param,
            now=self._account.world.clock.now(),
            customer=customer,
            first_time=first_time,
        )
        return found

    def tax_rate(self, rate_id: str, *, param: str) -> dict[str, Any]:
        found: dict[str, Any] = copy_json(self._account.tax_rates._usable(rate_id, param=param))
        return found

    def shipping_rate(self, rate_id: str, *, param: str) -> dict[str, Any]:
        found: dict[str, Any] = self._account.shipping_rates._usable(rate_id, param=param)
        return found


class SessionsAPI(ListAll, ResourceAPI):
    """Checkout Sessions of one account: the six endpoints, taking the SDK's keyword arguments.

    Every method returns plain dicts identical to Stripe's JSON and raises
    :class:`~fakecheckout.StripeError` subclasses as Stripe would answer.
    https://docs.stripe.com/api/checkout/sessions
    """

    def __init__(self, world: World, account: Account) -> None:
        super().__init__(world, account)
        self._store: Store[SessionRecord] = Store(EQUALITY_FILTERS)
        self._catalog = _AccountCatalog(account)
        self._item_owner: dict[str, SessionRecord] = {}
        self._encoded = EncodedCache()

    def create(self, /, **params: Any) -> dict[str, Any]:
        """``POST /v1/checkout/sessions``."""
        world = self._world
        with world.operation() as now:
            checked = validate("create", params)
            expand = checked.pop("expand", [])
            builder = Builder(world.ids, self._catalog, now)
            record = builder.create(checked, seq=world.next_seq(), account=self._account.account_id)
            self._account.expander.check("checkout.session", expand)
            self._store_products(builder, now)
            self._store.add(record)
            self._track_items(record)
            if record.get("mode") == "setup":
                self._create_setup_intent(record, checked, now=now)
            result = self._render(record, expand)
            world.schedule(self._account, RESOURCE.name, record.id, record.fields["expires_at"])
            return result

    def retrieve(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002 - Stripe's name
        """``GET /v1/checkout/sessions/{id}``; ``expand`` is the only parameter."""
        with self._world.operation():
            checked = validate("retrieve", params)
            return self._render(self._get(id), checked.get("expand", []))

    def update(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002
        """``POST /v1/checkout/sessions/{id}``: metadata, line items, shipping options, …"""
        world = self._world
        with world.operation() as now:
            checked = validate("update", params)
            record = self._get(id)
            expand = checked.pop("expand", [])
            builder = Builder(world.ids, self._catalog, now)
            changes = builder.update(record, checked)
            if expand:
                self._render(record, expand)  # an impossible expand fails before any change
            self._store_products(builder, now)
            apply_update(record, changes)
            self._track_items(record)
            return self._render(record, expand)

    def list(self, /, **params: Any) -> dict[str, Any]:
        """``GET /v1/checkout/sessions``: newest first, filtered, one page."""
        with self._world.operation():
            checked = validate("list", params)
            request = PageRequest.from_params(checked)
            expand = checked.get("expand", [])
            expander = self._account.expander
            expander.check("list:checkout.session", expand)
            wanted = {
                name: value
                for name in EQUALITY_FILTERS
                if (value := _filter_param(checked, name)) is not None
            }
            records, has_more = self._store.page(
                wanted,
                request,
                object_name="checkout.session",
                created=CreatedRange.from_param(checked.get("created")),
            )
            if not expand and self._world.serializing():
                return envelope(self._encoded_items(records), has_more, SESSIONS_URL)
            data = [self._render(record, expand, prefix="data.") for record in records]
            out = envelope(data, has_more, SESSIONS_URL)
            expander.expand(out, "list:checkout.session", expand)
            return downgrade(out, versions.current())

    def _encoded_items(self, records: Sequence[SessionRecord]) -> builtins.list[Any]:
        """A page's sessions as JSON text for the HTTP door, reused while a session is unchanged
        (see ``core/encoded.py``): encoding is most of what a list costs."""
        version = versions.current()
        page = self._world.checkout_page_base_url
        context = (version, page)
        newest = is_newest(version)

        def rendered(record: SessionRecord) -> Encoded:
            text = encode_session(record, page) if newest else None
            if text is not None:
                return text
            return encode(downgrade(self._render(record, (), prefix="data."), version))

        cache = self._encoded
        return [
            cache.get(record.id, context, record.fields, functools.partial(rendered, record))
            for record in records
        ]

    def expire(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002
        """``POST /v1/checkout/sessions/{id}/expire``: an ``open`` session becomes ``expired``."""
        world = self._world
        with world.operation() as now:
            checked = validate("expire", params)
            record = self._get(id)
            if record.status != "open":
                raise errors.expire_not_open(record.status)
            expand = checked.get("expand", [])
            if expand:
                self._render(record, expand)
            self._abandon_setup(record, now=now, by_request=True)
            changed = self._change(record, {"status": "expired"}, "expired", at=now)
            return self._render(record, expand, encoded=changed.encoded)

    def complete(
        self,
        id: str,  # noqa: A002
        /,
        *,
        payment_status: str | None = None,
        customer_details: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Simulate the customer finishing the hosted page: an ``open`` session becomes ``complete``.

        ``payment_status`` defaults to ``paid`` (``no_payment_required`` in setup mode);
        ``"unpaid"`` models a delayed payment method, settled later by
        :meth:`settle_async_payment`. Records ``checkout.session.completed``.
        Not a Stripe API endpoint: Stripe completes sessions when a customer pays.
        """
        world = self._world
        with world.operation() as now:
            record = self._get(id)
            if record.status != "open":
                raise errors.complete_not_open(record.status)
            mode = record.get("mode")
            allowed = (
                ("no_payment_required",)
                if mode == "setup"
                else ("paid", "unpaid", "no_payment_required")
            )
            status = payment_status or allowed[0]
            if status not in allowed:
                raise errors.invalid_enum("payment_status", allowed)
            details = _completed_details(record, customer_details)
            fields: dict[str, Any] = {
                "status": "complete",
                "payment_status": status,
                "customer_details": details,
            }
            customer_id = record.get("customer")
            creates_customer = mode == "subscription" or record.get("customer_creation") == "always"
            if customer_id is None and creates_customer:
                fields["customer"] = self._account.customers._create_for_checkout(
                    email=details["email"], name=details["name"], now=now
                )
            if any(item.get("_dynamic_tax_rates") for item in record.line_items):
                # The customer's address is known now: the matching dynamic tax rate applies,
                # before the payment is made for the total.
                record.fields["customer_details"] = details
                recompute_amounts(record)
            # What the payment creates behind the session (its events come before the session's).
            if mode == "payment":
                fields.update(self._complete_payment(record, fields, now=now))
            elif mode == "subscription":
                fields.update(self._complete_subscription(record, fields, now=now))
            else:
                fields.update(self._complete_setup(record, fields, now=now))
            self._redeem(record)
            changed = self._change(record, fields, "completed", at=now)
            return self._render(record, [], encoded=changed.encoded)

    def settle_async_payment(self, id: str, /, *, succeeded: bool = True) -> dict[str, Any]:  # noqa: A002
        """Settle the delayed payment of a session completed with ``payment_status="unpaid"``.

        Success makes it ``paid`` and records ``checkout.session.async_payment_succeeded``; failure
        leaves it ``unpaid`` and records ``checkout.session.async_payment_failed``.
        """
        with self._world.operation() as now:
            record = self._get(id)
            if (
                record.status != "complete"
                or record.get("payment_status") != "unpaid"
                or record.get("_async_settled")
            ):
                raise errors.no_pending_async_payment(record.status, record.get("payment_status"))
            fields: dict[str, Any] = {"_async_settled": True}
            if succeeded:
                fields["payment_status"] = "paid"
            fields.update(self._settle_payment(record, succeeded=succeeded, now=now))
            event = "async_payment_succeeded" if succeeded else "async_payment_failed"
            changed = self._change(record, fields, event, at=now)
            return self._render(record, [], encoded=changed.encoded)

    def list_line_items(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002
        """``GET /v1/checkout/sessions/{id}/line_items``, in the session's order."""
        with self._world.operation():
            checked = validate("list_line_items", params)
            record = self._get(id)
            request = PageRequest.from_params(checked)
            expand = checked.get("expand", [])
            expander = self._account.expander
            expander.check("list:item", expand)
            out = self._line_items_page(record, request)
            expander.expand(out, "list:item", expand)
            return out

    # --- what a completion creates behind the session, per mode (the lock is held) ---
    # Each returns the session fields it sets; ``fields`` holds the completion's fields so far
    # (``customer`` when one was created), and ``fields["payment_status"]`` the payment's outcome.

    def _complete_payment(
        self, record: SessionRecord, fields: dict[str, Any], *, now: int
    ) -> dict[str, Any]:
        """Payment mode: the PaymentIntent that the customer paid (none when nothing was due),
        its Charge and card PaymentMethod, with their events."""
        status = fields["payment_status"]
        if status == "no_payment_required":
            return {}
        data: dict[str, Any] = record.get("_payment_intent_data") or {}
        if status == "unpaid":
            outcome = "processing"
        elif data.get("capture_method") == "manual":
            outcome = "requires_capture"
        else:
            outcome = "succeeded"
        customer = fields.get("customer", record.get("customer"))
        setup_future_usage = data.get("setup_future_usage")
        intent_id = self._account.payment_intents._create_for_payment(
            amount=record.get("amount_total"),
            currency=record.get("currency"),
            customer=customer,
            now=now,
            outcome=outcome,
            description=data.get("description"),
            metadata=data.get("metadata"),
            setup_future_usage=setup_future_usage,
            attach=setup_future_usage is not None,
            payment_intent_data=data,
        )
        return {"payment_intent": intent_id}

    def _settle_payment(
        self, record: SessionRecord, *, succeeded: bool, now: int
    ) -> dict[str, Any]:
        """A delayed payment settles: the PaymentIntent behind the session follows (payment
        mode), or the subscription's first invoice and the subscription do (subscription mode)."""
        intent_id = record.get("payment_intent")
        if intent_id is not None:
            self._account.payment_intents._settle(intent_id, succeeded=succeeded, now=now)
        subscription_id = record.get("subscription")
        if subscription_id is not None:
            self._account.subscriptions._settle_first_payment(
                subscription_id, record.get("invoice"), succeeded=succeeded, now=now
            )
        return {}

    def _complete_subscription(
        self, record: SessionRecord, fields: dict[str, Any], *, now: int
    ) -> dict[str, Any]:
        """Subscription mode: the Subscription (its items from the recurring line items, the
        trial ``subscription_data`` asks for) and its first Invoice, paid."""
        result: dict[str, Any] = self._account.subscriptions._create_for_checkout(
            customer=fields.get("customer") or record.get("customer"),
            line_items=record.line_items,
            subscription_data=record.get("_subscription_data") or {},
            paid=fields["payment_status"] != "unpaid",
            now=now,
        )
        if fields["payment_status"] == "no_payment_required":
            result.pop("payment_status", None)
        return result

    def _complete_setup(
        self, record: SessionRecord, fields: dict[str, Any], *, now: int
    ) -> dict[str, Any]:
        """Setup mode: the SetupIntent (its id is the session's since creation) succeeds with a
        card PaymentMethod, attached to the session's customer when there is one."""
        details = fields["customer_details"]
        self._account.setup_intents._succeed(
            record.get("setup_intent"),
            customer=fields.get("customer") or record.get("customer"),
            email=details.get("email"),
            name=details.get("name"),
            now=now,
        )
        return {}

    def _create_setup_intent(
        self, record: SessionRecord, params: dict[str, Any], *, now: int
    ) -> None:
        """A new setup-mode session's SetupIntent (``setup_intent.created``)."""
        self._account.setup_intents._create_for_checkout(
            record.get("setup_intent"),
            customer=record.get("customer"),
            payment_method_types=record.get("payment_method_types"),
            setup_intent_data=params.get("setup_intent_data") or {},
            now=now,
        )

    def _abandon_setup(
        self, record: SessionRecord, *, now: int, by_request: bool
    ) -> EventRecord | None:
        """An expiring setup-mode session cancels its SetupIntent first (``abandoned``)."""
        if record.get("mode") != "setup":
            return None
        canceled: EventRecord | None = self._account.setup_intents._abandon(
            record.get("setup_intent"), now=now, by_request=by_request
        )
        return canceled

    # --- the registry's hooks (the lock is held) ---

    def on_due(self, object_id: str, at: int) -> EventRecord | builtins.list[EventRecord] | None:
        """A session's ``expires_at`` has come: an open session expires, at that time."""
        record = self._store.by_id[object_id]
        if record.status != "open":
            return None
        canceled = self._abandon_setup(record, now=at, by_request=False)
        expired = self._change(record, {"status": "expired"}, "expired", at=at, by_request=False)
        return expired.event if canceled is None else [canceled, expired.event]

    def virtual_fields(self) -> dict[tuple[str, str], Callable[[dict[str, Any]], Any]]:
        def line_items(session: dict[str, Any]) -> dict[str, Any]:
            record = self._store.by_id[session["id"]]
            return self._line_items_page(record, PageRequest(limit=LINE_ITEMS_PREVIEW))

        def hidden(name: str) -> Callable[[dict[str, Any]], Any]:
            def build(item: dict[str, Any]) -> Any:
                owner = self._item_owner.get(item["id"])
                stored = (
                    next((i for i in owner.line_items if i["id"] == item["id"]), None)
                    if owner
                    else None
                )
                return copy_json(stored.get(name, [])) if stored is not None else []

            return build

        return {
            ("checkout.session", "line_items"): line_items,
            ("item", "discounts"): hidden("_discounts"),
            ("item", "taxes"): hidden("_taxes"),
        }

    # --- helpers (the lock is held) ---

    def _change(
        self,
        record: SessionRecord,
        fields: dict[str, Any],
        event: str,
        *,
        at: int,
        by_request: bool = True,
    ) -> _Changed:
        """Apply a state change to ``record``, keep the list indexes right, record the event."""
        store = self._store
        before = store.filter_values(record)
        record.fields.update(fields)
        store.reindex(record, before)
        page = self._world.checkout_page_base_url
        encoded = encode_session(record, page)
        recorded = self._world.record_event(
            self._account,
            f"checkout.session.{event}",
            render(record, copy=False, page=page) if encoded is None else _KIND_ONLY,
            at=at,
            by_request=by_request,
            encoded=encoded,
        )
        return _Changed(recorded, encoded)

    def _store_products(self, builder: Builder, now: int) -> None:
        for product_id, data in builder.new_products:
            self._account.products._create_inline(data, now=now, product_id=product_id, event=False)
        for rate in builder.new_shipping_rates:
            self._account.shipping_rates._create_inline(rate, now=now)

    def _redeem(self, record: SessionRecord) -> None:
        """A completed session counts one redemption of its coupon and promotion code."""
        coupon = record.get("_coupon")
        if coupon is not None:
            self._account.coupons._redeem(coupon["id"])
        code = record.get("_promotion_code")
        if code is not None:
            self._account.promotion_codes._redeem(code)

    def _customer_has_paid(self, customer_id: str) -> bool:
        """Whether ``customer_id`` has a completed, paid session (a prior transaction)."""
        index = self._store.by_filter.get(("customer", customer_id))
        if not index:
            return False
        for _, session_id in index.descending((2**63, 0), (-(2**63) - 1, 0)):
            record = self._store.by_id[session_id]
            if record.status == "complete" and record.get("payment_status") == "paid":
                return True
        return False

    def _track_items(self, record: SessionRecord) -> None:
        for item in record.line_items:
            self._item_owner[item["id"]] = record

    def _get(self, session_id: str) -> SessionRecord:
        given: object = session_id  # a direct call may pass anything
        if not isinstance(given, str):
            raise errors.malformed_id("checkout.session", errors.shown(given))
        record = self._store.by_id.get(session_id)
        if record is None:
            if not _SESSION_ID.fullmatch(session_id):
                raise errors.malformed_id("checkout.session", session_id)
            raise errors.no_such_session(session_id)
        return record

    def _line_items_page(self, record: SessionRecord, request: PageRequest) -> dict[str, Any]:
        by_id = {item["id"]: item for item in record.line_items}
        ids, has_more = page_in_order(
            [item["id"] for item in record.line_items], request, object_name="line_item"
        )
        copy = not self._world.serializing()
        data = [render_line_item(by_id[i], copy=copy) for i in ids]
        return envelope(data, has_more, f"{SESSIONS_URL}/{record.id}/line_items")

    def _render(
        self,
        record: SessionRecord,
        expand: Sequence[str],
        *,
        prefix: str = "",
        encoded: Encoded | None = None,
    ) -> dict[str, Any]:
        """The session as the request's API version shows it; ``encoded``: its newest-shape JSON
        as it is now, when the caller has it (the event of a change just encoded it)."""
        if (
            not expand
            and not prefix
            and self._world.serializing()
            and is_newest(versions.current())
        ):
            text = encoded or encode_session(record, self._world.checkout_page_base_url)
            if text is not None:
                return stand_in(text)  # the HTTP door only sends it
        out = render(
            record,
            copy=not self._world.serializing(),
            page=self._world.checkout_page_base_url,
        )
        breakdown_path = f"{prefix}total_details.breakdown"
        wants_breakdown = any(
            path == breakdown_path or path.startswith(breakdown_path + ".") for path in expand
        )
        if wants_breakdown and out["total_details"] is not None:
            breakdown = copy_json(record.fields.get("_breakdown") or {"discounts": [], "taxes": []})
            out["total_details"] = {**out["total_details"], "breakdown": breakdown}
        if prefix:
            return out  # an item of a list: the list is shaped as a whole
        if expand:
            self._account.expander.expand(out, "checkout.session", expand)
        return downgrade(out, versions.current())


_KIND_ONLY = MappingProxyType({"object": "checkout.session"})
"""What ``record_event`` reads of the object when it is given the object's JSON."""


class _Changed(NamedTuple):
    """What ``SessionsAPI._change`` did: the event it recorded, and the session's JSON it
    encoded for it (``None``: a session with optional fields, see :func:`encode_session`)."""

    event: EventRecord
    encoded: Encoded | None


def _filter_param(params: dict[str, Any], name: str) -> str | None:
    if name == "customer_details[email]":
        details = params.get("customer_details")
        return None if details is None else details.get("email")
    value = params.get(name)
    return value if isinstance(value, str) else None


def _completed_details(record: SessionRecord, given: dict[str, Any] | None) -> dict[str, Any]:
    """``customer_details`` of a completed session: the argument, else what the session knew."""
    known = record.get("customer_details") or customer_details(email=record.get("customer_email"))
    details = copy_json(known)
    supplied: object = given if given is not None else {}
    if not isinstance(supplied, dict):
        raise errors.invalid_hash("customer_details")
    for name, value in supplied.items():
        param = f"customer_details[{name}]"
        if name not in details:
            raise errors.unknown_parameter(param)
        if name == "address":
            if value is not None and not isinstance(value, dict):
                raise errors.invalid_hash(param)
        elif name == "tax_ids":
            if value is not None and not isinstance(value, list):
                raise errors.invalid_array(param)
        elif value is not None and not isinstance(value, str):
            raise errors.invalid_string(param, value)
        details[name] = value
    if details.get("tax_ids") is None:
        details["tax_ids"] = []  # a completed session lists the tax ids collected (recordings)
    result: dict[str, Any] = details
    return result


RESOURCE = Resource(
    name="sessions",
    object="checkout.session",
    api=SessionsAPI,
    routes=(
        Route("POST", SESSIONS_URL, lambda ns, ids, p: ns.sessions.create(**p)),
        Route("GET", SESSIONS_URL, lambda ns, ids, p: ns.sessions.list(**p)),
        Route("GET", SESSIONS_URL + "/{id}", lambda ns, ids, p: ns.sessions.retrieve(ids[0], **p)),
        Route("POST", SESSIONS_URL + "/{id}", lambda ns, ids, p: ns.sessions.update(ids[0], **p)),
        Route(
            "POST",
            SESSIONS_URL + "/{id}/expire",
            lambda ns, ids, p: ns.sessions.expire(ids[0], **p),
        ),
        Route(
            "GET",
            SESSIONS_URL + "/{id}/line_items",
            lambda ns, ids, p: ns.sessions.list_line_items(ids[0], **p),
        ),
    ),
    expandable={
        "checkout.session": {
            **{name: name for name in EXPANDABLE},
            "line_items": "list:item",
            "total_details": "checkout.session.total_details",
            "discounts": "each:checkout.session.discount",
            "shipping_cost": "checkout.session.shipping_cost",
            "shipping_options": "each:checkout.session.shipping_option",
        },
        # Nested ids Stripe documents as expandable (docs.stripe.com/api/checkout/sessions/object)
        "checkout.session.total_details": {"breakdown": "total_details.breakdown"},
        "total_details.breakdown": {
            "discounts": "each:discount_amount",
            "taxes": "each:tax_amount",
        },
        "checkout.session.discount": {"coupon": "coupon", "promotion_code": "promotion_code"},
        "checkout.session.shipping_cost": {
            "shipping_rate": "shipping_rate",
            "taxes": "each:tax_amount",
        },
        "checkout.session.shipping_option": {"shipping_rate": "shipping_rate"},
        "discount_amount": {"discount": "discount"},
        "tax_amount": {"rate": "tax_rate"},
        "item": {
            "price": "price",
            "discounts": "each:discount_amount",
            "taxes": "each:tax_amount",
        },
    },
)
