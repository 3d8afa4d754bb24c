"""The currencies Stripe accepts in a ``currency`` parameter.

https://docs.stripe.com/currencies
"""

from __future__ import annotations

from . import errors

# In the order Stripe lists them in its ``Invalid currency: … Stripe currently supports these
# currencies: …`` message (usd first, then alphabetical, then codes added or retired later), as
# quoted from real responses by several third-party projects. The message lists a few legacy codes
# (eek, lvl, ltl, vef, …) too: Stripe's parameter check accepts what its message lists.
SUPPORTED: tuple[str, ...] = (
    "usd", "aed", "afn", "all", "amd", "ang", "aoa", "ars", "aud", "awg", "azn", "bam", "bbd",
    "bdt", "bgn", "bhd", "bif", "bmd", "bnd", "bob", "brl", "bsd", "bwp", "byn", "bzd", "cad",
    "cdf", "chf", "clp", "cny", "cop", "crc", "cve", "czk", "djf", "dkk", "dop", "dzd", "egp",
    "etb", "eur", "fjd", "fkp", "gbp", "gel", "gip", "gmd", "gnf", "gtq", "gyd", "hkd", "hnl",
    "hrk", "htg", "huf", "idr", "ils", "inr", "isk", "jmd", "jod", "jpy", "kes", "kgs", "khr",
    "kmf", "krw", "kwd", "kyd", "kzt", "lak", "lbp", "lkr", "lrd", "lsl", "mad", "mdl", "mga",
    "mkd", "mmk", "mnt", "mop", "mur", "mvr", "mwk", "mxn", "myr", "mzn", "nad", "ngn", "nio",
    "nok", "npr", "nzd", "omr", "pab", "pen", "pgk", "php", "pkr", "pln", "pyg", "qar", "ron",
    "rsd", "rub", "rwf", "sar", "sbd", "scr", "sek", "sgd", "shp", "sle", "sos", "srd", "std",
    "szl", "thb", "tjs", "tnd", "top", "try", "ttd", "twd", "tzs", "uah", "ugx", "uyu", "uzs",
    "vnd", "vuv", "wst", "xaf", "xcd", "xof", "xpf", "yer", "zar", "zmw", "usdc", "btn", "ghs",
    "eek", "lvl", "svc", "vef", "ltl", "sll", "mro",
)  # fmt: skip

_SUPPORTED_SET = frozenset(SUPPORTED)


def is_supported(code: str) -> bool:
    """Whether ``code`` (lowercase ISO 4217) is a currency Stripe accepts."""
    return code in _SUPPORTED_SET


# --- minor units and charge limits ---------------------------------------------------------------
# https://docs.stripe.com/currencies#zero-decimal and #minimum-and-maximum-charge-amounts

ZERO_DECIMAL: frozenset[str] = frozenset(
    [
        "bif",
        "clp",
        "djf",
        "gnf",
        "jpy",
        "kmf",
        "krw",
        "mga",
        "pyg",
        "rwf",
        "ugx",
        "vnd",
        "vuv",
        "xaf",
        "xof",
        "xpf",
    ]
)
"""Currencies whose amounts are whole units (``unit_amount=50`` is ¥50)."""

THREE_DECIMAL: frozenset[str] = frozenset(["bhd", "jod", "kwd", "omr", "tnd"])
"""Currencies with three decimal places in their minor units."""

MINIMUM_CHARGE: dict[str, int] = {
    "usd": 50, "aed": 200, "aud": 50, "bgn": 100, "brl": 50, "cad": 50, "chf": 50,
    "czk": 1500, "dkk": 250, "eur": 50, "gbp": 30, "hkd": 400, "huf": 17500, "inr": 50,
    "jpy": 50, "mxn": 1000, "myr": 200, "nok": 300, "nzd": 50, "pln": 200, "ron": 200,
    "sek": 300, "sgd": 50, "thb": 1000,
}  # fmt: skip
"""Stripe's minimum charge per settlement currency, in minor units (its published table).
For other currencies Stripe requires the amount to *convert* to its settlement minimum, which needs
exchange rates the fake does not have: no minimum is checked for them (a divergence)."""

MAXIMUM_CHARGE: dict[str, int] = {"idr": 999_999_999_999}
"""Exceptions to the eight-digit limit: "up to twelve digits for IDR"."""

DEFAULT_MAXIMUM_CHARGE = 99_999_999
"""The amount supports up to eight digits (99999999, $999,999.99 for usd)."""

_SYMBOLS = {
    "usd": "$", "aud": "$", "cad": "$", "hkd": "$", "mxn": "$", "nzd": "$", "sgd": "$",
    "brl": "R$", "eur": "€", "gbp": "£", "inr": "₹", "jpy": "¥",
}  # fmt: skip


def decimal_places(code: str) -> int:
    """How many decimal places one minor unit of ``code`` has."""
    if code in ZERO_DECIMAL:
        return 0
    return 3 if code in THREE_DECIMAL else 2


def display_amount(amount: int, code: str) -> str:
    """``50, "usd"`` → ``"$0.50"`` (the symbol where it is well known, else none); ``"¥50"``."""
    places = decimal_places(code)
    major = f"{amount / 10**places:,.{places}f}" if places else f"{amount:,}"
    return f"{_SYMBOLS.get(code, '')}{major}"


def maximum_charge(code: str) -> int:
    return MAXIMUM_CHARGE.get(code, DEFAULT_MAXIMUM_CHARGE)


def check_checkout_total(currency: str, total: int) -> None:
    """A payment-mode Checkout total must be a charge Stripe can make: at least the currency's
    minimum charge (a zero total needs no payment and is allowed) and at most its maximum."""
    minimum = MINIMUM_CHARGE.get(currency)
    if minimum is not None and 0 < total < minimum:
        raise errors.total_below_minimum(display_amount(minimum, currency), currency)
    maximum = maximum_charge(currency)
    if total > maximum:
        raise errors.total_above_maximum(display_amount(maximum, currency), currency)
