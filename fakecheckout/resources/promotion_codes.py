"""Promotion codes (``/v1/promotion_codes``): the ``promotion_code`` object, its direct API and
its routes.

A promotion code is a customer-facing ``code`` for a coupon, named by
``promotion={"type": "coupon", "coupon": …}``. That form is Stripe's since 2025-09-30.clover
(https://docs.stripe.com/changelog/clover/2025-09-30/polymorphic-coupon); before it the coupon was
the top-level ``coupon`` parameter and field, which the per-version boundary translates.
``code`` is unique among the account's active codes, compared case-insensitively.
https://docs.stripe.com/api/promotion_codes
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fakecheckout.core import errors, versioned, versions
from fakecheckout.core.objects import ObjectAPI, merge_metadata
from fakecheckout.core.params import validate
from fakecheckout.core.resource import Resource, Route
from fakecheckout.core.store import Record

URL = "/v1/promotion_codes"
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def restrictions_object(given: dict[str, Any] | None) -> dict[str, Any]:
    """A promotion code's ``restrictions`` hash from the ``restrictions`` parameter."""
    given = given or {}
    out: dict[str, Any] = {
        "first_time_transaction": given.get("first_time_transaction", False),
        "minimum_amount": given.get("minimum_amount"),
        "minimum_amount_currency": given.get("minimum_amount_currency"),
    }
    if "currency_options" in given:
        out["currency_options"] = {
            code: {"minimum_amount": option["minimum_amount"]}
            for code, option in sorted(given["currency_options"].items())
        }
    return out


def promotion_code_object(
    *, code_id: str, created: int, code: str, coupon: str, checked: dict[str, Any]
) -> dict[str, Any]:
    """A ``promotion_code`` object with every field of stripe-python's ``PromotionCode`` class."""
    return {
        "id": code_id,
        "object": "promotion_code",
        "active": checked.get("active", True),
        "code": code,
        "created": created,
        "customer": checked.get("customer"),
        "customer_account": checked.get("customer_account"),
        "expires_at": checked.get("expires_at"),
        "livemode": False,
        "max_redemptions": checked.get("max_redemptions"),
        "metadata": {k: v for k, v in (checked.get("metadata") or {}).items() if v != ""},
        "promotion": {"coupon": coupon, "type": "coupon"},
        "restrictions": restrictions_object(checked.get("restrictions")),
        "times_redeemed": 0,
    }


def unusable_reason(code: dict[str, Any], now: int) -> str | None:
    """Why a promotion code cannot be redeemed at ``now`` (``None``: it can)."""
    if not code["active"]:
        return "inactive"
    if code["expires_at"] is not None and now >= code["expires_at"]:
        return "expired"
    most = code["max_redemptions"]
    if most is not None and code["times_redeemed"] >= most:
        return "used up (`max_redemptions` reached)"
    return None


def _active_code(record: Record) -> str | None:
    return str(record.fields["code"]).lower() if record.fields["active"] else None


class PromotionCodesAPI(ObjectAPI):
    """The promotion codes of one account: ``fake.promotion_codes`` and ``/v1/promotion_codes``."""

    OBJECT = "promotion_code"
    URL = URL
    FILTERS = {
        "active": lambda record: "true" if record.get("active") else "false",
        "coupon": lambda record: record.fields["promotion"]["coupon"],
        "customer": lambda record: record.get("customer"),
        "customer_account": lambda record: record.get("customer_account"),
        "code": lambda record: str(record.fields["code"]).lower(),
        "active_code": _active_code,
    }

    def _render(self, record: Record, expand: Sequence[str]) -> dict[str, Any]:
        """Before ``2025-09-30.clover`` a promotion code shows its coupon as the whole ``coupon``
        object (no ``promotion`` hash), as those versions' ``PromotionCode`` class has it."""
        out = super()._render(record, expand)
        if record.deleted or versions.has("polymorphic_coupon", versions.current()):
            return out
        promotion = out.pop("promotion", None) or {}
        coupon = promotion.get("coupon")
        if isinstance(coupon, str):
            coupon = self._account.coupons.lookup(coupon)
        out["coupon"] = coupon
        return versioned.stripe_field_order(out)

    def create(self, /, **params: Any) -> dict[str, Any]:
        """``POST /v1/promotion_codes`` for ``promotion[coupon]``."""
        with self._world.operation() as now:
            checked = validate("promotion_codes.create", params)
            expand = checked.pop("expand", [])
            promotion = checked["promotion"]
            if promotion.get("type") != "coupon":
                raise errors.invalid_enum("promotion[type]", ("coupon",))
            if "coupon" not in promotion:
                raise errors.requires("promotion[coupon]", "when `promotion[type]` is `coupon`")
            coupon = self._account.coupons._find(promotion["coupon"], param="promotion[coupon]")
            if "customer" in checked:
                self._account.customers._find(checked["customer"], param="customer")
            if checked.get("max_redemptions") is not None and checked["max_redemptions"] < 1:
                raise errors.value_too_small("max_redemptions", 1)
            restrictions = checked.get("restrictions") or {}
            if "minimum_amount" in restrictions and "minimum_amount_currency" not in restrictions:
                raise errors.requires(
                    "restrictions[minimum_amount_currency]",
                    "when `restrictions[minimum_amount]` is set",
                )
            code = checked.get("code") or self._new_code()
            if checked.get("active", True) and self._active_holder(code) is not None:
                raise errors.promotion_code_in_use(code)
            self._account.expander.check(self.OBJECT, expand)
            fields = promotion_code_object(
                code_id=self._world.ids.new("promo_", 24),
                created=now,
                code=code,
                coupon=coupon["id"],
                checked=checked,
            )
            return self._render(self._insert(fields, now=now), expand)

    def retrieve(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002
        """``GET /v1/promotion_codes/{id}``."""
        with self._world.operation():
            checked = validate("promotion_codes.retrieve", params)
            return self._render(self._get(id), checked.get("expand", []))

    def update(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002
        """``POST /v1/promotion_codes/{id}``: ``active``, ``metadata``,
        ``restrictions[currency_options]``."""
        with self._world.operation() as now:
            checked = validate("promotion_codes.update", params)
            record = self._get(id)
            fields = record.fields
            expand = checked.pop("expand", [])
            changes: dict[str, Any] = {}
            if "active" in checked:
                if checked["active"] and not fields["active"]:
                    holder = self._active_holder(fields["code"])
                    if holder is not None and holder.id != record.id:
                        raise errors.promotion_code_in_use(fields["code"])
                changes["active"] = checked["active"]
            if "metadata" in checked:
                changes["metadata"] = merge_metadata(
                    fields["metadata"], checked["metadata"], param="metadata"
                )
            options = (checked.get("restrictions") or {}).get("currency_options")
            if options is not None:
                restrictions = dict(fields["restrictions"])
                merged = dict(restrictions.get("currency_options") or {})
                for code, option in options.items():
                    merged[code] = {"minimum_amount": option["minimum_amount"]}
                restrictions["currency_options"] = dict(sorted(merged.items()))
                changes["restrictions"] = restrictions
            self._account.expander.check(self.OBJECT, expand)
            self._modify(record, changes, now=now)
            return self._render(record, expand)

    def list(self, /, **params: Any) -> dict[str, Any]:
        """``GET /v1/promotion_codes``: newest first; ``active``, ``code`` (case-insensitive),
        ``coupon``, ``customer``, ``customer_account``, ``created``."""
        with self._world.operation():
            checked = validate("promotion_codes.list", params)
            wanted: dict[str, str] = {}
            if "active" in checked:
                wanted["active"] = "true" if checked["active"] else "false"
            if "code" in checked:
                wanted["code"] = checked["code"].lower()
            for name in ("coupon", "customer", "customer_account"):
                if name in checked:
                    wanted[name] = checked[name]
            return self._list(checked, wanted)

    # --- for Checkout (the lock is held) ---

    def _redeemable(
        self, code_id: str, *, param: str, now: int, customer: str | None, first_time: bool
    ) -> dict[str, Any]:
        """The promotion code named in ``param`` if a session for ``customer`` may use it.

        ``first_time`` says whether that customer has never paid (no completed, paid session).
        """
        code = self._find(code_id, param=param)
        reason = unusable_reason(code, now)
        if reason is not None:
            raise errors.promotion_code_not_redeemable(code["code"], reason, param=param)
        if code["customer"] is not None and code["customer"] != customer:
            raise errors.promotion_code_other_customer(param=param)
        if code["restrictions"]["first_time_transaction"] and not first_time:
            raise errors.promotion_code_first_time_only(param=param)
        result: dict[str, Any] = code
        return result

    def _redeem(self, code_id: str) -> None:
        """Count one redemption. Unverified whether Stripe sends ``promotion_code.updated``."""
        record = self._store.by_id.get(code_id)
        if record is not None:
            record.fields["times_redeemed"] += 1

    # --- helpers ---

    def _active_holder(self, code: str) -> Record | None:
        holders = self._store.by_filter.get(("active_code", code.lower()))
        if not holders:
            return None
        (_, holder_id), *_ = holders.descending((2**63, 0), (-(2**63) - 1, 0))
        return self._store.by_id[holder_id]

    def _new_code(self) -> str:
        raw = self._world.ids.new("", 8)
        return "".join(_CODE_ALPHABET[ord(c) % len(_CODE_ALPHABET)] for c in raw)


RESOURCE = Resource(
    name="promotion_codes",
    object="promotion_code",
    api=PromotionCodesAPI,
    routes=(
        Route("POST", URL, lambda ns, ids, p: ns.promotion_codes.create(**p)),
        Route("GET", URL, lambda ns, ids, p: ns.promotion_codes.list(**p)),
        Route("GET", URL + "/{id}", lambda ns, ids, p: ns.promotion_codes.retrieve(ids[0], **p)),
        Route("POST", URL + "/{id}", lambda ns, ids, p: ns.promotion_codes.update(ids[0], **p)),
    ),
    expandable={
        "promotion_code": {"customer": "customer", "promotion": "promotion_code.promotion"},
        "promotion_code.promotion": {"coupon": "coupon"},
    },
)


def _create_params_in_stored_form(params: dict[str, Any], version: str) -> dict[str, Any]:
    """Before ``2025-09-30.clover`` a promotion code names its coupon with the top-level
    ``coupon`` parameter; it is stored as the ``promotion`` hash that replaced it."""
    if "coupon" not in params or versions.has("polymorphic_coupon", version):
        return params
    out = dict(params)
    out["promotion"] = {"type": "coupon", "coupon": out.pop("coupon")}
    return out


versioned.register_params("promotion_codes.create", _create_params_in_stored_form)
