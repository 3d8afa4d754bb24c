"""Calendar arithmetic of billing periods: ``day``, ``week``, ``month`` and ``year`` intervals
times ``interval_count``, in UTC, anchored the way Stripe anchors a billing cycle.

Every period boundary is computed from the billing cycle anchor, never from the previous
boundary, so a subscription anchored on January 31 renews on February 28 (29 in a leap year),
March 31, April 30, …: the anchor's day of the month, or the month's last day when the month is
shorter (docs.stripe.com/billing/subscriptions/billing-cycle: "a subscription that renews monthly
on the 31st renews on the last day of shorter months"). The time of day is the anchor's.
"""

from __future__ import annotations

import calendar
import datetime

INTERVALS = ("day", "week", "month", "year")

_UTC = datetime.timezone.utc


def boundary(anchor: int, interval: str, interval_count: int, periods: int) -> int:
    """The timestamp ``periods`` billing periods after ``anchor`` (``periods`` ≥ 0)."""
    if interval == "day":
        return anchor + periods * interval_count * 86_400
    if interval == "week":
        return anchor + periods * interval_count * 7 * 86_400
    months = periods * interval_count * (12 if interval == "year" else 1)
    if interval not in ("month", "year"):
        raise ValueError(f"unknown billing interval {interval!r}")
    start = datetime.datetime.fromtimestamp(anchor, _UTC)
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return int(start.replace(year=year, month=month, day=day).timestamp())


def period(anchor: int, interval: str, interval_count: int, index: int) -> tuple[int, int]:
    """``(start, end)`` of the ``index``-th period (0 is the first) after ``anchor``."""
    return (
        boundary(anchor, interval, interval_count, index),
        boundary(anchor, interval, interval_count, index + 1),
    )
