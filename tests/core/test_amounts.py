"""The amount rules of ``fakecheckout/core/amounts.py``: worked examples from Stripe's docs, and
each rule's edge cases. Properties over random carts are in ``test_amounts_properties.py``."""

from __future__ import annotations

from decimal import Decimal

from fakecheckout.core import amounts
from fakecheckout.core.amounts import LineInput


def rate(percentage: float, *, inclusive: bool, rate_id: str = "txr_1") -> dict[str, object]:
    return {"id": rate_id, "percentage": percentage, "inclusive": inclusive}


def percent_coupon(percent_off: float, products: list[str] | None = None) -> dict[str, object]:
    applies = None if products is None else {"products": products}
    return {"id": "C", "percent_off": percent_off, "amount_off": None, "applies_to": applies}


def test_support_stripe_inclusive_tax_example_keeps_the_total_at_the_price() -> None:
    """support.stripe.com/questions/inclusive-and-exclusive-tax-options-in-the-tax-rate-api-and-stripe-tax:
    "if the price is €600 and you set an inclusive tax rate of 10%, the invoice total will still
    be €600"."""
    result = amounts.totals([LineInput(60000, "prod_1", [rate(10, inclusive=True)])])
    assert result.total == 60000
    assert result.tax == 5455  # 60000 × 10 / 110 = 5454.5…, half up


def test_support_stripe_exclusive_tax_example_adds_the_tax_on_top() -> None:
    """Same article: "An exclusive tax rate of 10% on a €600 price will result in an invoice
    total of €660"."""
    result = amounts.totals([LineInput(60000, "prod_1", [rate(10, inclusive=False)])])
    assert (result.tax, result.total) == (6000, 66000)


def test_api_reference_coupon_example_takes_25_5_percent_off() -> None:
    """The coupon object of docs.stripe.com/api/coupons/object: ``percent_off: 25.5``."""
    result = amounts.totals([LineInput(1000, "prod_1")], coupon=percent_coupon(25.5))
    assert (result.discount, result.total) == (255, 745)


def test_percent_of_a_fraction_of_a_cent_rounds_half_up() -> None:
    assert amounts.discount_total(percent_coupon(12.5), 100, None) == 13  # 12.5 → 13
    assert amounts.discount_total(percent_coupon(12.5), 99, None) == 12  # 12.375 → 12


def test_percent_off_is_exact_for_a_binary_unfriendly_percentage() -> None:
    assert amounts.percent(8.25) == Decimal("8.25")
    assert amounts.line_taxes(5400, [rate(8.25, inclusive=False)])[0].amount == 446


def test_amount_off_never_exceeds_what_it_applies_to() -> None:
    coupon = {"id": "C", "percent_off": None, "amount_off": 5000, "applies_to": None}
    result = amounts.totals([LineInput(1200, "prod_1")], coupon=coupon, amount_off=5000)
    assert (result.discount, result.total) == (1200, 0)


def test_allocation_is_proportional_and_sums_exactly() -> None:
    assert amounts.allocate(100, [1, 1, 1]) == [34, 33, 33]
    assert amounts.allocate(10, [700, 300]) == [7, 3]
    assert sum(amounts.allocate(1001, [333, 333, 334])) == 1001


def test_allocation_gives_leftover_cents_to_the_largest_remainders() -> None:
    # exact shares 2.5, 1.666…, 0.833…: floors 2, 1, 0; two cents left, to remainders .833 and .666
    assert amounts.allocate(5, [300, 200, 100]) == [2, 2, 1]


def test_a_coupon_for_some_products_discounts_only_their_lines() -> None:
    lines = [LineInput(1000, "prod_shirt"), LineInput(3000, "prod_hat")]
    result = amounts.totals(lines, coupon=percent_coupon(50, ["prod_hat"]))
    assert [line.discount for line in result.lines] == [0, 1500]


def test_tax_is_computed_on_the_discounted_amount() -> None:
    result = amounts.totals(
        [LineInput(10000, "prod_1", [rate(20, inclusive=False)])], coupon=percent_coupon(10)
    )
    assert (result.discount, result.tax, result.total) == (1000, 1800, 10800)


def test_two_inclusive_rates_are_extracted_together() -> None:
    taxes = amounts.line_taxes(
        11500, [rate(10, inclusive=True, rate_id="a"), rate(5, inclusive=True, rate_id="b")]
    )
    assert [(tax.amount, tax.taxable_amount) for tax in taxes] == [(1000, 10000), (500, 10000)]


def test_zero_decimal_amounts_are_whole_units() -> None:
    """JPY has no minor unit (docs.stripe.com/currencies#zero-decimal): ¥1,000 at 10 % exclusive."""
    result = amounts.totals([LineInput(1000, "prod_1", [rate(10, inclusive=False)])])
    assert (result.tax, result.total) == (100, 1100)


def test_shipping_is_added_to_the_total_and_not_discounted() -> None:
    result = amounts.totals([LineInput(2000, "prod_1")], coupon=percent_coupon(50), shipping=500)
    assert (result.discount, result.total) == (1000, 1500)
