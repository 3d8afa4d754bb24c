"""The currencies Stripe accepts in a ``currency`` parameter.

https://docs.stripe.com/currencies
"""

from __future__ import annotations

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
