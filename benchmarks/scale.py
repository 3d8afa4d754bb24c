"""Scale: the same calls with many objects stored as with few; mass expiry; a year of renewals.

All through ``fake.handle`` (no SDK, no door: the fake's own cost, the strictest view). Sizes
alternate round by round; the figure is the ratio of medians (big / small).
"""

from __future__ import annotations

import gc
import json
import statistics
import time
import urllib.parse
from collections.abc import Callable
from typing import Any

from common import (
    AUTH,
    DAY,
    Plan,
    Target,
    alternate,
    cycler,
    new_fake,
    nothing,
    ratio,
    round_ratios,
    spread,
    sync_round,
)

import fakecheckout
from fakecheckout.core import search

SCALE_GOAL = 1.2
LINEAR_GOAL = 1.2


def handle_ok(fake: fakecheckout.FakeCheckout, method: str, url: str, body: bytes = b"") -> Any:
    status, _, payload = fake.handle(method, url, AUTH, body)
    if status != 200:
        raise RuntimeError(f"{method} {url} -> {status}: {payload[:300]!r}")
    return json.loads(payload)


def customers_fake(n: int) -> tuple[fakecheckout.FakeCheckout, list[str]]:
    """A fake holding ``n`` customers, all with ``metadata[tier]=gold``."""
    fake = new_fake()
    ids = [
        fake.customers.create(email=f"c{i}@example.com", metadata={"tier": "gold"})["id"]
        for i in range(n)
    ]
    return fake, ids


GOLD_QUERY = "metadata['tier']:'gold'"
GOLD_SEARCH = "/v1/customers/search?query=metadata%5B%27tier%27%5D%3A%27gold%27"


def middle_page_token(fake: fakecheckout.FakeCheckout, ids: list[str]) -> str:
    """The ``next_page`` a walk through the gold search gets after its middle customer."""
    middle = fake.customers.retrieve(ids[len(ids) // 2])
    token = search._encode_page(middle, search._digest("/v1/customers/search", GOLD_QUERY))
    return urllib.parse.quote(token)


def session_ids(fake: fakecheckout.FakeCheckout) -> list[str]:
    return [record.id for record in fake.sessions._store.by_id.values()]


def bench_scale(
    plan: Plan, sessions: dict[str, fakecheckout.FakeCheckout]
) -> tuple[dict[str, Any], list[Target]]:
    """``sessions`` maps ``small``/``big`` to fakes holding that many open sessions."""
    customers = {"small": customers_fake(plan.scale_small), "big": customers_fake(plan.scale_big)}
    cycles = {w: cycler(session_ids(fake)) for w, fake in sessions.items()}
    customer_cycles = {w: cycler(ids) for w, (_, ids) in customers.items()}
    last_email = {w: f"c{len(ids) // 2}@example.com" for w, (_, ids) in customers.items()}
    middle_page = {w: middle_page_token(fake, ids) for w, (fake, ids) in customers.items()}

    def call(which: str, what: str) -> Callable[[], object]:
        fake, nxt = sessions[which], cycles[which]
        cfake, cnxt = customers[which][0], customer_cycles[which]
        calls: dict[str, Callable[[], object]] = {
            "sessions list(limit=10)": lambda: handle_ok(
                fake, "GET", "/v1/checkout/sessions?limit=10"
            ),
            "sessions list(limit=10, status=open)": lambda: handle_ok(
                fake, "GET", "/v1/checkout/sessions?limit=10&status=open"
            ),
            "sessions retrieve(each id in turn)": lambda: handle_ok(
                fake, "GET", f"/v1/checkout/sessions/{nxt()}"
            ),
            "customers list(limit=10)": lambda: handle_ok(cfake, "GET", "/v1/customers?limit=10"),
            "customers retrieve(each id in turn)": lambda: handle_ok(
                cfake, "GET", f"/v1/customers/{cnxt()}"
            ),
            "customers search(metadata['tier']:'gold', every one matches)": lambda: handle_ok(
                cfake, "GET", GOLD_SEARCH
            ),
            "customers search(metadata['tier']:'gold', the page after the middle one)": lambda: (
                handle_ok(cfake, "GET", f"{GOLD_SEARCH}&page={middle_page[which]}")
            ),
            "customers search(email:'<one>', one matches)": lambda: handle_ok(
                cfake, "GET", f"/v1/customers/search?query=email%3A%27{last_email[which]}%27"
            ),
        }
        return calls[what]

    whats = [
        "sessions list(limit=10)",
        "sessions list(limit=10, status=open)",
        "sessions retrieve(each id in turn)",
        "customers list(limit=10)",
        "customers retrieve(each id in turn)",
        "customers search(metadata['tier']:'gold', every one matches)",
        "customers search(metadata['tier']:'gold', the page after the middle one)",
        "customers search(email:'<one>', one matches)",
    ]
    out: dict[str, Any] = {"small": plan.scale_small, "big": plan.scale_big}
    targets = []
    for what in whats:
        informational = "[informational]" in what
        n = max(plan.calls // 10, 3) if informational else plan.calls * 2
        measured = alternate(
            {w: sync_round(nothing, call(w, what)) for w in ("small", "big")}, n, plan.rounds
        )
        out[what] = {w: measured[w].as_json() for w in measured} | {
            "ratio": ratio(measured, "big", "small"),
            "round_ratios": [round(r, 3) for r in round_ratios(measured, "big", "small")],
        }
        small_us = measured["small"].median_wall() * 1e6
        big_us = measured["big"].median_wall() * 1e6
        targets.append(
            Target(
                f"scale {plan.scale_big:,} vs {plan.scale_small:,}",
                what,
                ratio(measured, "big", "small"),
                None if informational else SCALE_GOAL,
                note=f"{big_us:,.0f} vs {small_us:,.0f} µs; rounds {spread(measured, 'big', 'small')}",
            )
        )
    return out, targets


def settle_time(fake: fakecheckout.FakeCheckout, jump: int) -> float:
    """Seconds the first request after a clock jump of ``jump`` takes (it settles all that is due)."""
    clock = fake.clock
    assert isinstance(clock, fakecheckout.ManualClock)
    clock.advance(jump)
    gc.collect()
    t0 = time.perf_counter()
    handle_ok(fake, "GET", "/v1/checkout/sessions?limit=1")
    return time.perf_counter() - t0


def bench_mass_expiry(
    plan: Plan, big: fakecheckout.FakeCheckout
) -> tuple[dict[str, Any], list[Target]]:
    """``big`` holds ``plan.expiry_big`` open sessions (it is expired here: used up)."""
    small_runs = []
    for _ in range(3):
        small_runs.append(settle_time(new_fake(sessions=plan.expiry_small), DAY + 1))
    small = statistics.median(small_runs)
    total = settle_time(big, DAY + 1)
    assert not big.sessions.list(status="open", limit=1)["data"]
    per_small, per_big = small / plan.expiry_small, total / plan.expiry_big
    out = {
        "small_sessions": plan.expiry_small,
        "small_runs_s": small_runs,
        "big_sessions": plan.expiry_big,
        "big_total_s": total,
        "per_session_us": {"small": us_(per_small), "big": us_(per_big)},
        "ratio": round(per_big / per_small, 3),
    }
    target = Target(
        "mass expiry",
        f"{plan.expiry_big:,} sessions expiring at once, per session vs {plan.expiry_small:,}",
        round(per_big / per_small, 3),
        LINEAR_GOAL,
        note=f"total {total:.2f} s; {us_(per_big):,.0f} vs {us_(per_small):,.0f} µs each",
    )
    return out, [target]


def us_(seconds: float) -> float:
    return round(seconds * 1e6, 1)


def _renewal_world(n: int) -> fakecheckout.FakeCheckout:
    fake = new_fake()
    price = fake.prices.create(
        currency="usd",
        unit_amount=1000,
        recurring={"interval": "month"},
        product_data={"name": "Plan"},
    )
    for i in range(n):  # subscriptions start from Checkout (POST /v1/subscriptions is not emulated)
        session = fake.sessions.create(
            mode="subscription",
            line_items=[{"price": price["id"], "quantity": 1}],
            customer_email=f"s{i}@example.com",
            success_url="https://example.com/ok",
        )
        fake.sessions.complete(session["id"])
    return fake


def bench_renewals(plan: Plan) -> tuple[dict[str, Any], list[Target]]:
    """A year of monthly renewals in one clock jump (runs once ``fake.subscriptions`` exists)."""
    what = (
        f"a year of monthly renewals for {plan.renewals_big:,} subscriptions in one jump, "
        f"per subscription vs {plan.renewals_small:,}"
    )
    if not hasattr(new_fake(), "subscriptions"):
        return {"skipped": "no subscriptions yet"}, [
            Target("renewals", what, None, LINEAR_GOAL, note="n/a (no subscriptions yet)")
        ]
    try:
        small_fake, big_fake = (
            _renewal_world(plan.renewals_small),
            _renewal_world(plan.renewals_big),
        )
        year = 365 * DAY + 1
        small, big = settle_time(small_fake, year), settle_time(big_fake, year)
    except Exception as exc:  # noqa: BLE001 - report what the subscriptions API refused
        return {"error": repr(exc)}, [
            Target("renewals", what, None, LINEAR_GOAL, note=f"n/a (error: {exc!r:.80})")
        ]
    per_small, per_big = small / plan.renewals_small, big / plan.renewals_big
    out = {"small_s": small, "big_s": big, "ratio": round(per_big / per_small, 3)}
    target = Target(
        "renewals",
        what,
        round(per_big / per_small, 3),
        LINEAR_GOAL,
        note=f"total {big:.2f} s; {us_(per_big):,.0f} vs {us_(per_small):,.0f} µs each",
    )
    return out, [target]
