"""Coupons (``/v1/coupons``): the ``coupon`` object, its direct API and its routes.

A coupon takes ``percent_off`` or ``amount_off`` (in ``currency``, with ``currency_options`` for
other currencies) off a Checkout Session, optionally only off the lines of ``applies_to[products]``.
It is ``valid`` until ``redeem_by`` passes on the fake's clock or ``max_redemptions`` are used up;
completing a session that uses it counts a redemption (``times_redeemed``).
https://docs.stripe.com/api/coupons
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from fakecheckout.core import errors
from fakecheckout.core.jsondata import copy_json
from fakecheckout.core.objects import ObjectAPI, merge_metadata
from fakecheckout.core.params import validate
from fakecheckout.core.resource import Resource, Route
from fakecheckout.core.store import Record

if TYPE_CHECKING:
    from fakecheckout.core.world import Account, World

URL = "/v1/coupons"


def coupon_object(*, coupon_id: str, created: int, checked: dict[str, Any]) -> dict[str, Any]:
    """A ``coupon`` object with every field of stripe-python's ``Coupon`` class but ``deleted``
    and ``applies_to``, which Stripe includes only when expanded (kept apart, see
    :meth:`CouponsAPI.virtual_fields`)."""
    options = checked.get("currency_options")
    return {
        "id": coupon_id,
        "object": "coupon",
        "amount_off": checked.get("amount_off"),
        "created": created,
        "currency": checked.get("currency"),
        "currency_options": None
        if options is None
        else {code: {"amount_off": o["amount_off"]} for code, o in sorted(options.items())},
        "duration": checked.get("duration", "once"),
        "duration_in_months": checked.get("duration_in_months"),
        "livemode": False,
        "max_redemptions": checked.get("max_redemptions"),
        "metadata": {k: v for k, v in (checked.get("metadata") or {}).items() if v != ""},
        "name": checked.get("name"),
        "percent_off": None if "percent_off" not in checked else _number(checked["percent_off"]),
        "redeem_by": checked.get("redeem_by"),
        "times_redeemed": 0,
        "valid": True,
    }


def is_valid(coupon: dict[str, Any], now: int) -> bool:
    """Whether a coupon can still be redeemed at ``now`` (Stripe's ``valid``)."""
    redeem_by, most = coupon.get("redeem_by"), coupon.get("max_redemptions")
    if redeem_by is not None and now >= redeem_by:
        return False
    return most is None or coupon["times_redeemed"] < most


def amount_off_in(coupon: dict[str, Any], currency: str) -> int | None:
    """An ``amount_off`` coupon's amount in ``currency`` (``None`` when it has none there)."""
    if coupon.get("currency") == currency:
        amount: int = coupon["amount_off"]
        return amount
    option = (coupon.get("currency_options") or {}).get(currency)
    return None if option is None else int(option["amount_off"])


def _number(value: Any) -> float | int:
    """``percent_off`` as Stripe shows it: ``25`` stays an integer, ``25.5`` a decimal."""
    number = float(value)
    return int(number) if number.is_integer() else number


class CouponsAPI(ObjectAPI):
    """The coupons of one account: ``fake.coupons`` and ``/v1/coupons``."""

    OBJECT = "coupon"
    URL = URL

    def __init__(self, world: World, account: Account) -> None:
        super().__init__(world, account)
        self._applies_to: dict[str, dict[str, list[str]]] = {}

    def create(self, /, **params: Any) -> dict[str, Any]:
        """``POST /v1/coupons``: ``percent_off`` or ``amount_off`` with ``currency``."""
        with self._world.operation() as now:
            checked = validate("coupons.create", params)
            expand = checked.pop("expand", [])
            self._check_create(checked)
            coupon_id = checked.get("id") or self._world.ids.new("", 8)
            if coupon_id in self._store.by_id:
                raise errors.already_exists("coupon", coupon_id, param="id")
            self._account.expander.check(self.OBJECT, expand)
            fields = coupon_object(coupon_id=coupon_id, created=now, checked=checked)
            if "applies_to" in checked:
                products = list(checked["applies_to"].get("products", []))
                self._applies_to[coupon_id] = {"products": products}
            return self._render(self._insert(fields, now=now), expand)

    def retrieve(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002
        """``GET /v1/coupons/{id}``; a deleted coupon is Stripe's stub (``deleted: true``)."""
        with self._world.operation():
            checked = validate("coupons.retrieve", params)
            return self._render(self._get(id), checked.get("expand", []))

    def update(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002
        """``POST /v1/coupons/{id}``: only ``name``, ``metadata`` and ``currency_options``."""
        with self._world.operation() as now:
            checked = validate("coupons.update", params)
            record = self._live(id)
            expand = checked.pop("expand", [])
            changes: dict[str, Any] = {}
            if "name" in checked:
                changes["name"] = checked["name"] or None
            if "metadata" in checked:
                changes["metadata"] = merge_metadata(
                    record.fields["metadata"], checked["metadata"], param="metadata"
                )
            if "currency_options" in checked:
                options = dict(record.fields.get("currency_options") or {})
                for code, option in checked["currency_options"].items():
                    options[code] = {"amount_off": option["amount_off"]}
                changes["currency_options"] = dict(sorted(options.items()))
            self._account.expander.check(self.OBJECT, expand)
            self._modify(record, changes, now=now)
            return self._render(record, expand)

    def delete(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002
        """``DELETE /v1/coupons/{id}``: sessions that already use it keep their discount."""
        with self._world.operation() as now:
            validate("coupons.delete", params)
            return self._remove(self._live(id), now=now)

    def list(self, /, **params: Any) -> dict[str, Any]:
        """``GET /v1/coupons``: newest first; ``created``."""
        with self._world.operation():
            return self._list(validate("coupons.list", params), {})

    # --- for promotion codes and Checkout (the lock is held) ---

    def _redeemable(self, coupon_id: str, *, param: str, now: int) -> dict[str, Any]:
        """The coupon named in ``param``, refused when unknown, deleted or no longer valid."""
        coupon = self._find(coupon_id, param=param)
        if not is_valid(coupon, now):
            raise errors.coupon_not_valid(coupon_id, param=param)
        found: dict[str, Any] = copy_json({**coupon, "valid": True})
        found["applies_to"] = copy_json(self._applies_to.get(coupon_id))
        return found

    def _redeem(self, coupon_id: str) -> None:
        """Count one redemption (a completed session that used the coupon).

        Unverified: whether Stripe sends ``coupon.updated`` for it; the fake sends none.
        """
        record = self._store.by_id.get(coupon_id)
        if record is not None:
            record.fields["times_redeemed"] += 1

    # --- helpers ---

    def virtual_fields(self) -> dict[tuple[str, str], Callable[[dict[str, Any]], Any]]:
        def applies_to(coupon: dict[str, Any]) -> dict[str, Any] | None:
            found = self._applies_to.get(coupon["id"])
            return None if found is None else copy_json(found)

        return {("coupon", "applies_to"): applies_to}

    def lookup(self, object_id: str) -> dict[str, Any] | None:
        found = super().lookup(object_id)
        if found is not None and not found.get("deleted"):
            found["valid"] = is_valid(found, self._world.clock.now())
        return found

    def _render(self, record: Record, expand: Sequence[str]) -> dict[str, Any]:
        out = super()._render(record, expand)
        if not record.deleted:
            out["valid"] = is_valid(record.fields, self._world.clock.now())
        return out

    def _check_create(self, checked: dict[str, Any]) -> None:
        percent_off, amount_off = checked.get("percent_off"), checked.get("amount_off")
        if percent_off is not None and amount_off is not None:
            raise errors.only_one_of("amount_off", "percent_off")
        if percent_off is None and amount_off is None:
            raise errors.coupon_needs_discount()
        if percent_off is not None:
            if float(percent_off) <= 0:
                raise errors.value_too_small("percent_off", 0)
            if float(percent_off) > 100:
                raise errors.value_too_large("percent_off", 100)
        if amount_off is not None:
            if amount_off < 1:
                raise errors.value_too_small("amount_off", 1)
            if "currency" not in checked:
                raise errors.requires("currency", "when `amount_off` is set")
        duration = checked.get("duration", "once")
        if duration == "repeating" and "duration_in_months" not in checked:
            raise errors.requires("duration_in_months", "when `duration` is `repeating`")
        if duration != "repeating" and "duration_in_months" in checked:
            raise errors.not_allowed_with("duration_in_months", "unless `duration` is `repeating`")
        if checked.get("max_redemptions") is not None and checked["max_redemptions"] < 1:
            raise errors.value_too_small("max_redemptions", 1)
        for product_index, product in enumerate(
            (checked.get("applies_to") or {}).get("products", [])
        ):
            self._account.products._find(product, param=f"applies_to[products][{product_index}]")


RESOURCE = Resource(
    name="coupons",
    object="coupon",
    api=CouponsAPI,
    routes=(
        Route("POST", URL, lambda ns, ids, p: ns.coupons.create(**p)),
        Route("GET", URL, lambda ns, ids, p: ns.coupons.list(**p)),
        Route("GET", URL + "/{id}", lambda ns, ids, p: ns.coupons.retrieve(ids[0], **p)),
        Route("POST", URL + "/{id}", lambda ns, ids, p: ns.coupons.update(ids[0], **p)),
        Route("DELETE", URL + "/{id}", lambda ns, ids, p: ns.coupons.delete(ids[0], **p)),
    ),
    expandable={"coupon": {"applies_to": "coupon.applies_to"}},
)
