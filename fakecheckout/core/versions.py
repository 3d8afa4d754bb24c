"""Stripe API versions: which ones exist, which changes each has, and the current operation's.

A version is ``YYYY-MM-DD`` (before acacia) or ``YYYY-MM-DD.<major>`` (from ``2024-09-30.acacia``
on). A request's version has every change released at or before its date, whatever SDK sent it
(API.md, "API versions"); a version older than the oldest supported one behaves as the oldest.

Changes come from two places. The generated parameter trees and object field sets
(``param_trees/``) say in which stripe-python releases a parameter, enum value or field exists:
an addition reaches every version (Stripe adds without breaking), and a removal takes effect at
the start of the named major containing the first release without it (Stripe removes only in
majors). :data:`CHANGES` dates what the releases cannot: additions that belong to a breaking
change (``ui_mode="hosted_page"`` exists only from dahlia), with the changelog page of each.

The current operation's version lives in a ``ContextVar``: the HTTP door sets it per request
(:func:`using`); direct-API calls see the fake's own ``api_version``.
https://docs.stripe.com/upgrades  https://docs.stripe.com/changelog
"""

from __future__ import annotations

import contextvars
import datetime
import re
from dataclasses import dataclass

from . import errors
from .contextual import Setting

#: The named majors: the first version of each (breaking changes happen only here).
MAJORS: tuple[str, ...] = (
    "2024-09-30.acacia",
    "2025-03-31.basil",
    "2025-09-30.clover",
    "2026-03-25.dahlia",
    "2026-09-30.endive",
)

#: The stripe-python releases whose types the parameter trees come from, with the version each
#: pins (the same list as ``scripts/generate_param_tree.py``'s ``SDKS``), oldest first.
RELEASES: tuple[tuple[str, str], ...] = (
    ("8.11.1", "2023-10-16"),
    ("10.12.1", "2024-06-20"),
    ("11.6.1", "2025-02-24.acacia"),
    ("12.5.2", "2025-08-27.basil"),
    ("13.2.1", "2025-10-29.clover"),
    ("14.2.0", "2025-12-15.clover"),
    ("14.4.2", "2026-02-25.clover"),
    ("15.6.2", "2026-08-26.dahlia"),
    ("16.1.0", "2026-10-28.endive"),
)

#: Versions pinned by the other stripe-python releases since 8.0 (9.x; 11.1-11.5; 12.1-12.4;
#: 14.0; 14.3), whose types the releases above already cover.
OTHER_PINNED: tuple[str, ...] = (
    "2024-04-10",
    "2024-10-28.acacia",
    "2024-11-20.acacia",
    "2024-12-18.acacia",
    "2025-01-27.acacia",
    "2025-04-30.basil",
    "2025-05-28.basil",
    "2025-06-30.basil",
    "2025-07-30.basil",
    "2025-11-17.clover",
    "2026-01-28.clover",
)

API_VERSIONS: tuple[str, ...] = tuple(
    sorted(
        {version for _, version in RELEASES} | set(MAJORS) | set(OTHER_PINNED),
        key=lambda v: v[:10],
    )
)
"""Every API version fakecheckout knows by name, oldest first."""

OLDEST = API_VERSIONS[0]
LATEST = API_VERSIONS[-1]

#: How long after its first version the newest major may still have releases the fake has not
#: seen. Stripe has begun a major about every six months (March and September) since acacia, so
#: a date later than this belongs to a major whose name the fake cannot know.
NEWEST_MAJOR_DAYS = 183
_NEWEST_MAJOR_ENDS = datetime.date.fromisoformat(MAJORS[-1][:10]) + datetime.timedelta(
    days=NEWEST_MAJOR_DAYS
)

_FORMAT = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})(?:\.([a-z]+))?")


@dataclass(frozen=True)
class Change:
    """One dated change of the API (a page of Stripe's changelog)."""

    released: str  # the version that made it
    page: str  # docs.stripe.com/changelog/<page>
    summary: str


CHANGES: dict[str, Change] = {
    "custom_ui_mode": Change(
        "2025-03-31.basil",
        "basil/2025-03-31/add-checkout-session-custom-ui-mode",
        "ui_mode value custom added",
    ),
    "polymorphic_coupon": Change(
        "2025-09-30.clover",
        "clover/2025-09-30/polymorphic-coupon",
        "promotion codes name their coupon as promotion[coupon] (with promotion[type]=coupon) "
        "instead of the top-level coupon",
    ),
    "shipping_details_moved": Change(
        "2025-03-31.basil",
        "basil/2025-03-31/checkout-session-remove-shipping-details",
        "top-level shipping_details removed from the session "
        "(now collected_information.shipping_details)",
    ),
    "ui_modes_renamed": Change(
        "2026-03-25.dahlia",
        "dahlia/2026-03-25/updates-available-checkout-session-ui-modes",
        "ui_mode values renamed: hosted -> hosted_page, embedded -> embedded_page, "
        "custom -> elements (form added)",
    ),
    "payment_method_types_removed": Change(
        "2026-09-30.endive",
        "endive/2026-09-30/remove-payment-method-types-checkout-sessions",
        "create parameter payment_method_types removed; allowed_payment_method_types added",
    ),
}

#: Parameters (``endpoint``, dotted path, enum value or ``None``) and object fields
#: (``object``, field, ``None``) that exist only from a change on (the releases alone would let
#: them reach back to every version).
ADDED_BY: dict[tuple[str, str, str | None], str] = {
    ("create", "ui_mode", "custom"): "custom_ui_mode",
    ("create", "ui_mode", "hosted_page"): "ui_modes_renamed",
    ("create", "ui_mode", "embedded_page"): "ui_modes_renamed",
    ("create", "ui_mode", "elements"): "ui_modes_renamed",
    ("create", "ui_mode", "form"): "ui_modes_renamed",
    ("create", "allowed_payment_method_types", None): "payment_method_types_removed",
    ("checkout.session", "allowed_payment_method_types", None): "payment_method_types_removed",
    ("promotion_codes.create", "promotion", None): "polymorphic_coupon",
    ("promotion_code", "promotion", None): "polymorphic_coupon",
}


def date(version: str) -> str:
    """The release date of a version (``2026-03-25``)."""
    return version[:10]


def parse(header: str) -> str:
    """A ``Stripe-Version`` header as a version, or Stripe's 400 for one that is none.

    Accepted: a real date, without a suffix before acacia and with the suffix of its major from
    acacia on (``2025-05-01.basil``): a version between two known ones is taken by its date
    (API.md). A date after the newest known version is accepted while it can still belong to
    the newest major (:data:`NEWEST_MAJOR_DAYS`): Stripe's monthly releases only add, so an SDK
    released after this fake keeps working. Anything else is invalid. A valid version followed
    by a beta (``; name=v1``) is refused as Stripe refuses a beta the account is not in: the fake
    models no beta.
    """
    version, beta_separator, betas = header.strip().partition(";")
    if beta_separator:
        name, equals, _ = betas.partition("=")
        try:
            parse(version)
        except errors.StripeError:
            raise errors.invalid_api_version(header) from None
        if equals and name.strip():
            raise errors.beta_not_permitted(header.strip(), name.strip())
        raise errors.invalid_api_version(header)
    version = version.strip()
    matched = _FORMAT.fullmatch(version)
    if matched is None:
        raise errors.invalid_api_version(header)
    try:
        day = datetime.date.fromisoformat(matched.group(1))
    except ValueError:
        raise errors.invalid_api_version(header) from None
    if day > _NEWEST_MAJOR_ENDS or matched.group(2) != major_name(matched.group(1)):
        raise errors.invalid_api_version(header)
    return version


def major_name(day: str) -> str | None:
    """The name of the major a date falls in (``None`` before acacia)."""
    name = None
    for start in MAJORS:
        if date(start) <= day:
            name = start.partition(".")[2]
    return name


def major_start(version: str) -> str:
    """The first version of ``version``'s major (the version itself before acacia)."""
    start = version
    for candidate in MAJORS:
        if date(candidate) <= date(version):
            start = candidate
    return start


def has(change: str, version: str) -> bool:
    """Whether ``version`` has the change named ``change`` (a key of :data:`CHANGES`)."""
    return date(version) >= date(CHANGES[change].released)


def release_index(version: str) -> int:
    """The index in :data:`RELEASES` of the newest release pinning ``version`` or older (the
    oldest release for a version older than all)."""
    index = 0
    for position, (_, pinned) in enumerate(RELEASES):
        if date(pinned) <= date(version):
            index = position
    return index


def removal_date(mask: int) -> str | None:
    """When something the releases in ``mask`` have stops existing: the start of the major of the
    first release after the last one that has it; ``None`` when the newest release has it."""
    last = mask.bit_length() - 1
    if last >= len(RELEASES) - 1 or mask == 0:
        return None
    return date(major_start(RELEASES[last + 1][1]))


def exists(mask: int, version: str, key: tuple[str, str, str | None] | None = None) -> bool:
    """Whether something the releases in ``mask`` have exists at ``version`` (module docstring)."""
    added = ADDED_BY.get(key) if key is not None else None
    if added is not None and not has(added, version):
        return False
    removed = removal_date(mask)
    return removed is None or date(version) < removed


def boundaries() -> tuple[str, ...]:
    """The dates at which anything changes: a tree or shape is the same between two of them."""
    dates = {date(v) for v in MAJORS} | {date(v) for _, v in RELEASES}
    dates |= {date(change.released) for change in CHANGES.values()}
    return tuple(sorted(dates))


def bucket(version: str) -> str:
    """The latest boundary at or before ``version`` (the oldest for an older one)."""
    found = boundaries()[0]
    for day in boundaries():
        if day <= date(version):
            found = day
    return found


# --- the current operation's version ------------------------------------------------------------

_requested: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "fakecheckout_api_version", default=None
)


def current(default: str = LATEST) -> str:
    """The version of the operation running: the request's, else ``default`` (the fake's own)."""
    version = _requested.get()
    return default if version is None else version


def using(version: str | None) -> Setting[str | None]:
    """Run the block at ``version`` (``None``: at the fake's own version)."""
    return Setting(_requested, version)


def default_version(api_version: str | None) -> str:
    """``FakeCheckout(api_version=...)`` checked: ``None`` is the newest; ``ValueError`` for a
    string that is no version."""
    if api_version is None:
        return LATEST
    try:
        return parse(api_version)
    except errors.StripeError:
        raise ValueError(
            f"not a Stripe API version: {api_version!r} (known: {', '.join(API_VERSIONS)})"
        ) from None
