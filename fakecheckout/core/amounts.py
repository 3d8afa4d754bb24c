"""The amounts of a Checkout Session: each rule written once, with where it comes from.

All amounts are integers in the currency's minor unit (cents; yen for a zero-decimal currency,
whose minor unit is the unit itself), so one set of rules serves every currency: Stripe states every
amount, ``amount_off`` and ``fixed_amount[amount]`` included, in the smallest currency unit
(https://docs.stripe.com/currencies#zero-decimal).

Rules (the docs of each function say which source it follows and what is unverified):

1. :func:`line_subtotal` — a line's ``amount_subtotal`` is ``unit_amount × quantity`` ("Total
   before any discounts or taxes are applied", https://docs.stripe.com/api/checkout/sessions/line_items).
2. :func:`discount_total` — a coupon discounts the sum of the lines it applies to (all lines, or
   the lines whose product is in ``applies_to[products]``): ``percent_off`` of that sum rounded half
   up, or ``amount_off`` capped at that sum so no total goes negative
   (https://docs.stripe.com/api/coupons/object, https://docs.stripe.com/billing/subscriptions/coupons).
3. :func:`allocate` — the discount is spread over those lines in proportion to their amounts,
   the leftover cents going to the lines with the largest remainders (largest-remainder method).
4. :func:`line_taxes` — tax is computed on each line's amount *after* its discount
   (https://docs.stripe.com/payments/checkout/use-manual-tax-rates: tax rates apply to the
   discounted line amount); an exclusive rate adds ``round_half_up(base × p / 100)``; inclusive
   rates are extracted from the base: ``round_half_up(base × p / (100 + Σ inclusive p))``
   (https://support.stripe.com/questions/inclusive-and-exclusive-tax-options-in-the-tax-rate-api-and-stripe-tax:
   "if the price is €600 and you set an inclusive tax rate of 10%, the invoice total will still be
   €600").
5. :func:`totals` — ``amount_total = amount_subtotal − amount_discount + amount_shipping +
   exclusive tax``; ``total_details.amount_tax`` counts inclusive and exclusive tax ("the sum of
   all the tax amounts", https://docs.stripe.com/api/checkout/sessions/object#checkout_session_object-total_details).

Unverified against Stripe test mode: the rounding mode (half up) and the allocation of leftover
cents (rule 3); Stripe does not document either for Checkout.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

_HUNDRED = Decimal(100)


def round_half_up(value: Decimal) -> int:
    """Round to a whole minor unit, halves away from zero (amounts here are never negative)."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def percent(value: float | int | str) -> Decimal:
    """A percentage as Stripe sends it (``25.5``) as an exact decimal (no binary float error)."""
    return Decimal(str(value))


def line_subtotal(unit_amount: int, quantity: int) -> int:
    """Rule 1: ``unit_amount × quantity``."""
    return unit_amount * quantity


def discount_total(coupon: Mapping[str, Any], eligible: int, amount_off: int | None) -> int:
    """Rule 2: what ``coupon`` takes off ``eligible`` (the sum of the lines it applies to).

    ``amount_off`` is the coupon's amount in the session's currency (its ``currency_options``
    entry when the currencies differ), ``None`` for a percent coupon.
    """
    if amount_off is not None:
        return min(amount_off, eligible)
    return min(eligible, round_half_up(eligible * percent(coupon["percent_off"]) / _HUNDRED))


def allocate(total: int, weights: Sequence[int]) -> list[int]:
    """Rule 3: split ``total`` over ``weights`` in proportion, summing exactly to ``total``.

    Each share is first rounded down; the cents left over go one each to the shares with the
    largest fractional remainders, the earlier line first on a tie. No share exceeds its weight
    when ``total <= sum(weights)``.
    """
    whole = sum(weights)
    if whole == 0 or total == 0:
        return [0 for _ in weights]
    exact = [Decimal(total) * weight / whole for weight in weights]
    shares = [int(value.to_integral_value(rounding=ROUND_FLOOR)) for value in exact]
    leftover = total - sum(shares)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - shares[i]), i))
    for index in order[:leftover]:
        shares[index] += 1
    return shares


@dataclass(frozen=True)
class Tax:
    """One tax rate's tax on one line: ``amount`` on ``taxable_amount``."""

    rate: Mapping[str, Any]
    amount: int
    taxable_amount: int

    @property
    def inclusive(self) -> bool:
        return bool(self.rate["inclusive"])


def line_taxes(base: int, rates: Sequence[Mapping[str, Any]]) -> list[Tax]:
    """Rule 4: the taxes of a line whose discounted amount is ``base``, in the rates' order.

    Inclusive rates are extracted from ``base`` together (their taxable amount is what remains
    after all of them); exclusive rates apply to that same net amount.
    """
    if not rates:  # most lines: no Decimal arithmetic at all
        return []
    inclusive_sum = sum((percent(r["percentage"]) for r in rates if r["inclusive"]), Decimal(0))
    included = {
        index: round_half_up(base * percent(rate["percentage"]) / (_HUNDRED + inclusive_sum))
        for index, rate in enumerate(rates)
        if rate["inclusive"]
    }
    net = base - sum(included.values())
    taxes = []
    for index, rate in enumerate(rates):
        if index in included:
            taxes.append(Tax(rate, included[index], net))
        else:
            amount = round_half_up(net * percent(rate["percentage"]) / _HUNDRED)
            taxes.append(Tax(rate, amount, net))
    return taxes


@dataclass(frozen=True)
class LineInput:
    """What the amounts of one line depend on."""

    subtotal: int
    product: str | None
    tax_rates: Sequence[Mapping[str, Any]] = ()


@dataclass
class LineAmounts:
    """A line's computed amounts (``amount_discount``, ``amount_tax``, ``amount_total``)."""

    subtotal: int
    discount: int = 0
    taxes: list[Tax] = field(default_factory=list)

    @property
    def tax(self) -> int:
        return sum(tax.amount for tax in self.taxes)

    @property
    def exclusive_tax(self) -> int:
        return sum(tax.amount for tax in self.taxes if not tax.inclusive)

    @property
    def total(self) -> int:
        return self.subtotal - self.discount + self.exclusive_tax


@dataclass
class Totals:
    """The session's amounts: per line, and summed (rule 5)."""

    lines: list[LineAmounts]
    shipping: int

    @property
    def subtotal(self) -> int:
        return sum(line.subtotal for line in self.lines)

    @property
    def discount(self) -> int:
        return sum(line.discount for line in self.lines)

    @property
    def tax(self) -> int:
        return sum(line.tax for line in self.lines)

    @property
    def total(self) -> int:
        return sum(line.total for line in self.lines) + self.shipping


def applies_to(coupon: Mapping[str, Any] | None, product: str | None) -> bool:
    """Whether ``coupon`` discounts a line of ``product`` (``applies_to[products]``)."""
    if coupon is None:
        return False
    restricted = (coupon.get("applies_to") or {}).get("products")
    return restricted is None or product in restricted


def totals(
    lines: Sequence[LineInput],
    *,
    coupon: Mapping[str, Any] | None = None,
    amount_off: int | None = None,
    shipping: int = 0,
) -> Totals:
    """Every amount of a session from its lines, its coupon (if any) and its shipping amount."""
    computed = [LineAmounts(subtotal=line.subtotal) for line in lines]
    eligible = [i for i, line in enumerate(lines) if applies_to(coupon, line.product)]
    if coupon is not None and eligible:
        weights = [lines[i].subtotal for i in eligible]
        total = discount_total(coupon, sum(weights), amount_off)
        for index, share in zip(eligible, allocate(total, weights), strict=True):
            computed[index].discount = share
    for line, amounts in zip(lines, computed, strict=True):
        amounts.taxes = line_taxes(amounts.subtotal - amounts.discount, line.tax_rates)
    return Totals(lines=computed, shipping=shipping)
