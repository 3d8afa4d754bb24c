"""The ``checkout.session`` object: building it from validated create parameters, updating it, and
rendering it as the JSON Stripe sends.

A stored session keeps only what differs from :data:`TEMPLATE`, so a million sessions stay small; the
full object is rebuilt (and copied, so callers cannot change what is stored) on every read.
https://docs.stripe.com/api/checkout/sessions/object
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from . import errors
from .catalog import Catalog, decimal_amount, price_object
from .ids import BYTE_TO_BASE62, IdFactory
from .params import METADATA_MAX_KEYS

MIN_LIFETIME = 30 * 60
MAX_LIFETIME = 24 * 60 * 60
MAX_PAYMENT_LINE_ITEMS = 100
MAX_SUBSCRIPTION_LINE_ITEMS = 20  # of each kind: recurring and one-time
#: The largest unit amount accepted (12 digits). Unverified: Stripe's limits vary by currency.
MAX_UNIT_AMOUNT = 10**12 - 1

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


def render(record: SessionRecord, *, copy: bool = True) -> dict[str, Any]:
    """The full ``checkout.session`` JSON object (without ``line_items``).

    With ``copy`` (the default) nothing in it is shared with what is stored, so a caller may change
    it; ``copy=False`` is for a result that is only serialized (the HTTP door), and skips that.
    """
    fields = record.fields
    out: dict[str, Any] = {}
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
        out["url"] = hosted_url(out["id"])
    if out["ui_mode"] != "hosted_page" and status == "open":
        out["client_secret"] = client_secret(out["id"])
    return out


_CONTAINERS = (dict, list)


def render_line_item(item: dict[str, Any], *, copy: bool = True) -> dict[str, Any]:
    """A line item (``item`` object); ``copy`` as for :func:`render`."""
    copied: dict[str, Any] = copy_json(item) if copy else item
    return copied


def copy_json(value: Any) -> Any:
    """A deep copy of JSON-shaped data (dicts, lists, scalars), faster than ``copy.deepcopy``."""
    if type(value) is dict:
        return {key: copy_json(item) for key, item in value.items()}
    if type(value) is list:
        return [copy_json(item) for item in value]
    return value


def hosted_url(session_id: str) -> str:
    """``https://checkout.stripe.com/c/pay/<id>#<fragment>``; the fragment is derived from the id."""
    return f"https://checkout.stripe.com/c/pay/{session_id}#fid{_derived(session_id, 'url', 48)}"


def client_secret(session_id: str) -> str:
    """``<id>_secret_<random>``, derived from the id (Stripe's format is undocumented)."""
    return f"{session_id}_secret_{_derived(session_id, 'secret', 24)}"


def _derived(session_id: str, purpose: str, length: int) -> str:
    digest = hashlib.sha512(f"{purpose}:{session_id}".encode()).digest()
    return digest[:length].translate(BYTE_TO_BASE62).decode("ascii")


# --- creation -----------------------------------------------------------------------------------


@dataclass
class Builder:
    """Turns validated create (or update) parameters into stored fields; holds what it needs."""

    ids: IdFactory
    catalog: Catalog
    now: int

    def create(self, params: dict[str, Any], *, seq: int, account: str | None) -> SessionRecord:
        mode = params.get("mode")
        if mode is None:
            raise errors.missing_parameter("mode")
        ui_mode = params.get("ui_mode", "hosted_page")
        self._check_mode_rules(params, mode, ui_mode)

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
            recompute_amounts(record)
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
        for index, discount in enumerate(params.get("discounts") or []):
            # fakecheckout keeps no coupons or promotion codes, so any id is unknown, as at Stripe.
            for kind in ("coupon", "promotion_code"):
                if kind in discount:
                    raise errors.no_such_object(
                        kind, discount[kind], param=f"discounts[{index}][{kind}]", status=400
                    )
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
            description = self.catalog.products.get(price["product"], "")
        elif "price_data" in entry:
            price, description = self._inline_price(index, entry["price_data"])
        else:
            raise errors.line_item_needs_price()
        if "quantity" not in entry:
            raise errors.missing_parameter(f"{prefix}[quantity]")
        quantity: int = entry["quantity"]
        if quantity < 0:
            raise errors.value_too_small(f"{prefix}[quantity]", 0)
        self._check_tax_rates(index, entry)
        item = {
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
        }
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
            for name in ("metadata", "adjustable_quantity"):
                if name not in entry:
                    replacement[name] = item[name]
            item = replacement
        self._check_tax_rates(index, entry)
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

    def _check_tax_rates(self, index: int, entry: dict[str, Any]) -> None:
        # fakecheckout keeps no tax rates, so any id is unknown, as at Stripe.
        for tax_index, rate in enumerate(entry.get("tax_rates") or []):
            raise errors.no_such_object(
                "tax_rate", rate, param=f"line_items[{index}][tax_rates][{tax_index}]", status=400
            )

    def _inline_price(self, index: int, data: dict[str, Any]) -> tuple[dict[str, Any], str]:
        prefix = f"line_items[{index}][price_data]"
        if "product" in data and "product_data" in data:
            raise errors.price_data_product_and_product_data(index)
        if "product" in data:
            product = data["product"]
            description = self.catalog.product(product, param=f"{prefix}[product]")
        elif "product_data" in data:
            product = self.ids.new("prod_", 14)
            description = data["product_data"]["name"]
        else:
            raise errors.price_data_needs_product(index)
        unit_amount = data.get("unit_amount")
        unit_amount_decimal = data.get("unit_amount_decimal")
        if unit_amount is None and unit_amount_decimal is None:
            raise errors.price_data_needs_amount(index)
        if unit_amount is not None and unit_amount_decimal is not None:
            raise errors.only_one_of(f"{prefix}[unit_amount]", f"{prefix}[unit_amount_decimal]")
        for name, given in (
            ("unit_amount", unit_amount),
            ("unit_amount_decimal", unit_amount_decimal),
        ):
            if given is None:
                continue
            amount = Decimal(given)
            if amount < 0:
                raise errors.value_too_small(f"{prefix}[{name}]", 0)
            if amount > MAX_UNIT_AMOUNT:
                raise errors.value_too_large(f"{prefix}[{name}]", MAX_UNIT_AMOUNT)
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
        return price, description

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
        options = []
        for index, entry in enumerate(given):
            prefix = f"shipping_options[{index}]"
            if "shipping_rate" in entry:
                raise errors.no_such_object(
                    "shipping_rate",
                    entry["shipping_rate"],
                    param=f"{prefix}[shipping_rate]",
                    status=400,
                )
            data = entry.get("shipping_rate_data")
            if data is None:
                raise errors.missing_parameter(f"{prefix}[shipping_rate_data]")
            fixed = data.get("fixed_amount") or {"amount": 0, "currency": currency}
            if fixed["currency"] != currency:
                raise errors.shipping_currency_mismatch(index, currency, fixed["currency"])
            options.append(
                {"shipping_amount": fixed["amount"], "shipping_rate": self.ids.new("shr_", 24)}
            )
        return options

    # --- update ---

    def update(self, record: SessionRecord, params: dict[str, Any]) -> dict[str, Any]:
        """The fields an update changes, checked in full before anything is applied."""
        changes: dict[str, Any] = {}
        fields = record.fields
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
    """Session totals from line items and the selected (first) shipping option."""
    fields = record.fields
    subtotal = sum(item["amount_subtotal"] for item in record.line_items)
    options = fields.get("shipping_options") or []
    shipping = options[0]["shipping_amount"] if options else 0
    fields["amount_subtotal"] = subtotal
    fields["amount_total"] = subtotal + shipping
    if options:
        fields["shipping_cost"] = {
            "amount_subtotal": shipping,
            "amount_tax": 0,
            "amount_total": shipping,
            "shipping_rate": options[0]["shipping_rate"],
        }
        fields["total_details"] = {
            "amount_discount": 0,
            "amount_shipping": shipping,
            "amount_tax": 0,
        }
    else:
        fields.pop("shipping_cost", None)
        fields.pop("total_details", None)


def set_item_amounts(item: dict[str, Any]) -> None:
    price = item["price"]
    amount = decimal_amount(price["unit_amount"], price["unit_amount_decimal"], item["quantity"])
    item["amount_subtotal"] = amount
    item["amount_total"] = amount


def merge_metadata(current: dict[str, str] | None, given: Any, *, param: str) -> dict[str, str]:
    """Stripe's metadata update: keys merge, ``""`` unsets a key, ``metadata=""`` unsets all; the
    merged result keeps Stripe's limit of 50 keys."""
    if given == "":
        return {}
    merged = dict(current or {})
    for key, value in given.items():
        if value == "":
            merged.pop(key, None)
        else:
            merged[key] = value
    if len(merged) > METADATA_MAX_KEYS:
        raise errors.too_many_metadata_keys(param, len(merged), METADATA_MAX_KEYS)
    return merged


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
