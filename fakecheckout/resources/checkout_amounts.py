"""What a Checkout Session's discounts, shipping options and tax rates make of its amounts.

The parameters (``discounts``, ``shipping_options``, ``line_items[][tax_rates]`` and
``[dynamic_tax_rates]``) are resolved against the account's coupons, promotion codes, shipping
rates and tax rates here; the arithmetic is :mod:`fakecheckout.core.amounts`, rule by rule. What a
session keeps for its amounts is hidden from its JSON: fields and line-item keys starting with
``_`` (``_coupon``, ``_tax_rates``, …), never rendered.
https://docs.stripe.com/payments/checkout/discounts,
https://docs.stripe.com/payments/checkout/shipping,
https://docs.stripe.com/payments/checkout/use-manual-tax-rates
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from fakecheckout.core import amounts, errors

from .coupons import amount_off_in
from .shipping_rates import amount_in

if TYPE_CHECKING:
    from .checkout_sessions import SessionRecord

#: Checkout takes at most one discount (https://docs.stripe.com/api/checkout/sessions/create).
MAX_DISCOUNTS = 1


class PricingCatalog(Protocol):
    """The objects the amounts refer to, each raising Stripe's 400 when unusable."""

    def coupon(self, coupon_id: str, *, param: str) -> dict[str, Any]: ...
    def promotion_code(
        self, code_id: str, *, param: str, customer: str | None
    ) -> dict[str, Any]: ...
    def tax_rate(self, rate_id: str, *, param: str) -> dict[str, Any]: ...
    def shipping_rate(self, rate_id: str, *, param: str) -> dict[str, Any]: ...


def check_discount_params(params: dict[str, Any]) -> None:
    """The rules on ``discounts`` that need no stored object."""
    given = params.get("discounts")
    if not given:
        return
    if params.get("allow_promotion_codes") is not None:
        raise errors.only_one_of("allow_promotion_codes", "discounts")
    if len(given) > MAX_DISCOUNTS:
        raise errors.too_many_items("discounts", MAX_DISCOUNTS)
    for index, entry in enumerate(given):
        if "coupon" in entry and "promotion_code" in entry:
            raise errors.only_one_of(
                f"discounts[{index}][coupon]", f"discounts[{index}][promotion_code]"
            )


def resolve_discounts(
    params: dict[str, Any],
    catalog: PricingCatalog,
    *,
    currency: str,
    subtotal: int,
    customer: str | None,
    discount_id: str,
) -> dict[str, Any]:
    """The session fields ``discounts`` gives: the visible ``discounts`` list and the hidden
    coupon it applies (``_coupon``, ``_promotion_code``, ``_discount_id``)."""
    given = params.get("discounts") or []
    if not given:
        return {}
    entry = given[0]
    promotion_code: str | None = None
    if "promotion_code" in entry:
        param = "discounts[0][promotion_code]"
        code = catalog.promotion_code(entry["promotion_code"], param=param, customer=customer)
        _check_minimum(code, currency, subtotal, param=param)
        promotion_code = code["id"]
        coupon = catalog.coupon(code["promotion"]["coupon"], param=param)
    elif "coupon" in entry:
        param = "discounts[0][coupon]"
        coupon = catalog.coupon(entry["coupon"], param=param)
    else:
        return {}
    if coupon.get("amount_off") is not None and amount_off_in(coupon, currency) is None:
        raise errors.coupon_currency_mismatch(coupon["id"], currency, param=param)
    return {
        "discounts": [{"coupon": coupon["id"], "promotion_code": promotion_code}],
        "_coupon": coupon,
        "_promotion_code": promotion_code,
        "_discount_id": discount_id,
    }


def _check_minimum(code: dict[str, Any], currency: str, subtotal: int, *, param: str) -> None:
    restrictions = code["restrictions"]
    if restrictions["minimum_amount"] is None:
        return
    if restrictions["minimum_amount_currency"] == currency:
        minimum = restrictions["minimum_amount"]
    else:
        option = (restrictions.get("currency_options") or {}).get(currency)
        if option is None:
            reason = f"not available in `{currency}`"
            raise errors.promotion_code_not_redeemable(code["code"], reason, param=param)
        minimum = option["minimum_amount"]
    if subtotal < minimum:
        raise errors.promotion_code_minimum(minimum, currency, param=param)


def resolve_tax_rates(
    entry: dict[str, Any], index: int, catalog: PricingCatalog, *, automatic_tax: bool
) -> dict[str, Any]:
    """A line item's hidden ``_tax_rates`` and ``_dynamic_tax_rates`` from its parameters."""
    out: dict[str, Any] = {}
    for name in ("tax_rates", "dynamic_tax_rates"):
        if name not in entry:
            continue
        ids = entry[name] or []
        prefix = f"line_items[{index}][{name}]"
        if ids and automatic_tax:
            raise errors.manual_tax_with_automatic_tax(prefix)
        out[f"_{name}"] = [
            catalog.tax_rate(rate_id, param=f"{prefix}[{i}]") for i, rate_id in enumerate(ids)
        ]
    return out


def shipping_option(
    entry: dict[str, Any], index: int, catalog: PricingCatalog, currency: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(option, rate)`` of one ``shipping_options[]`` entry naming a stored rate."""
    param = f"shipping_options[{index}][shipping_rate]"
    rate = catalog.shipping_rate(entry["shipping_rate"], param=param)
    amount = amount_in(rate, currency)
    if amount is None:
        fixed = rate.get("fixed_amount") or {}
        raise errors.shipping_currency_mismatch(
            index, currency, str(fixed.get("currency")), param=param
        )
    return {"shipping_amount": amount, "shipping_rate": rate["id"]}, rate


def dynamic_match(
    rates: list[dict[str, Any]], address: dict[str, Any] | None
) -> list[dict[str, Any]]:
    """The dynamic tax rate that applies to ``address``: the first whose ``country`` matches and
    whose ``state`` (when it has one) matches too; none before an address is known."""
    if not address or not address.get("country"):
        return []
    for rate in rates:
        if rate.get("country") == address["country"] and rate.get("state") in (
            None,
            address.get("state"),
        ):
            return [rate]
    return []


def discount_object(record: SessionRecord) -> dict[str, Any]:
    """The ``discount`` object of a session's coupon (what line items and the breakdown show)."""
    fields = record.fields
    return {
        "id": fields["_discount_id"],
        "object": "discount",
        "checkout_session": fields["id"],
        "customer": fields.get("customer"),
        "customer_account": None,
        "end": None,
        "invoice": None,
        "invoice_item": None,
        "promotion_code": fields.get("_promotion_code"),
        "source": {"coupon": fields["_coupon"]["id"], "type": "coupon"},
        "start": fields["created"],
        "subscription": None,
        "subscription_item": None,
    }


def _tax_entry(tax: amounts.Tax) -> dict[str, Any]:
    return {
        "amount": tax.amount,
        "rate": dict(tax.rate),
        "taxability_reason": None,
        "taxable_amount": tax.taxable_amount,
    }


def recompute(record: SessionRecord) -> None:
    """Every amount of ``record`` from its line items, coupon, tax rates and selected (first)
    shipping option: the session's totals, each line's, and the hidden discounts and taxes that
    ``line_items.data.discounts``/``.taxes`` and ``total_details.breakdown`` show."""
    fields = record.fields
    coupon = fields.get("_coupon")
    options = fields.get("shipping_options") or []
    if coupon is None and not options and _untaxed(record.line_items):
        recompute_plain(record)
    else:
        recompute_by_rules(record)


def recompute_by_rules(record: SessionRecord) -> None:
    """``recompute`` through the rules of :mod:`fakecheckout.core.amounts`, for any session."""
    fields = record.fields
    coupon = fields.get("_coupon")
    options = fields.get("shipping_options") or []
    currency = fields.get("currency") or ""
    address = (fields.get("customer_details") or {}).get("address")
    shipping = options[0]["shipping_amount"] if options else 0
    inputs = [
        amounts.LineInput(
            subtotal=item["amount_subtotal"],
            product=item["price"]["product"],
            tax_rates=[
                *item.get("_tax_rates", []),
                *dynamic_match(item.get("_dynamic_tax_rates", []), address),
            ],
        )
        for item in record.line_items
    ]
    amount_off = None if coupon is None else amount_off_in(coupon, currency)
    computed = amounts.totals(inputs, coupon=coupon, amount_off=amount_off, shipping=shipping)
    discount = None if coupon is None else discount_object(record)
    for item, line in zip(record.line_items, computed.lines, strict=True):
        item["amount_discount"] = line.discount
        item["amount_tax"] = line.tax
        item["amount_total"] = line.total
        _keep_nonempty(
            item,
            "_discounts",
            [{"amount": line.discount, "discount": discount}]
            if discount is not None and line.discount
            else [],
        )
        _keep_nonempty(item, "_taxes", [_tax_entry(tax) for tax in line.taxes])
    fields["amount_subtotal"] = computed.subtotal
    fields["amount_total"] = computed.total
    if computed.discount or shipping or computed.tax:
        fields["total_details"] = {
            "amount_discount": computed.discount,
            "amount_shipping": shipping,
            "amount_tax": computed.tax,
        }
    else:  # all zero: the session template's value (see ``_keep_nonempty``)
        fields.pop("total_details", None)
    breakdown = {
        "discounts": []
        if discount is None
        else [{"amount": computed.discount, "discount": discount}],
        "taxes": _taxes_by_rate(computed),
    }
    _keep_nonempty(fields, "_breakdown", breakdown if any(breakdown.values()) else [])
    if options:
        fields["shipping_cost"] = {
            "amount_subtotal": shipping,
            "amount_tax": 0,
            "amount_total": shipping,
            "shipping_rate": options[0]["shipping_rate"],
        }
    else:
        fields.pop("shipping_cost", None)


def _untaxed(items: list[dict[str, Any]]) -> bool:
    """Whether no line item has a tax rate (fixed or dynamic)."""
    return not any(item.get("_tax_rates") or item.get("_dynamic_tax_rates") for item in items)


def recompute_plain(record: SessionRecord) -> None:
    """``recompute`` for a session with no coupon, no tax rate and no shipping option (most
    sessions): every total is the sum of the line subtotals, and nothing hidden is kept. What
    ``recompute_by_rules`` gives for such a session, without building the rules' inputs."""
    fields = record.fields
    subtotal = 0
    for item in record.line_items:
        item["amount_discount"] = 0
        item["amount_tax"] = 0
        item["amount_total"] = item["amount_subtotal"]
        item.pop("_discounts", None)
        item.pop("_taxes", None)
        subtotal += item["amount_subtotal"]
    fields["amount_subtotal"] = subtotal
    fields["amount_total"] = subtotal
    fields.pop("total_details", None)
    fields.pop("_breakdown", None)
    fields.pop("shipping_cost", None)


def _keep_nonempty(stored: dict[str, Any], name: str, value: Any) -> None:
    """Store the hidden ``name`` only when it holds something: most sessions have no discount
    and no tax, and an empty list or breakdown kept on every one is ~450 bytes per session.
    Readers take a missing one as empty (``hidden`` and ``_render`` in ``checkout_sessions``)."""
    if value:
        stored[name] = value
    else:
        stored.pop(name, None)


def _taxes_by_rate(computed: amounts.Totals) -> list[dict[str, Any]]:
    """``total_details.breakdown.taxes``: one entry per tax rate, summed over the lines."""
    by_rate: dict[str, dict[str, Any]] = {}
    for line in computed.lines:
        for tax in line.taxes:
            entry = by_rate.get(tax.rate["id"])
            if entry is None:
                by_rate[tax.rate["id"]] = _tax_entry(tax)
            else:
                entry["amount"] += tax.amount
                entry["taxable_amount"] += tax.taxable_amount
    return list(by_rate.values())
