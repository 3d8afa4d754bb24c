"""Hypothesis strategies for valid Checkout Session create parameters.

Needs the ``hypothesis`` extra (``pip install fakecheckout[hypothesis]``). Use them to property-test your
own integration against the fake::

    from fakecheckout import strategies

    @given(params=strategies.create_params(now=1_800_000_000))
    def test_any_session_can_be_expired(params): ...

Every value drawn is accepted by ``fake.sessions.create(**params)`` and by Stripe's API.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from .resources.checkout_sessions import MAX_LIFETIME, MIN_LIFETIME

CURRENCIES = ("usd", "eur", "gbp", "jpy", "cad", "aud", "chf", "sek")
INTERVALS = ("day", "week", "month", "year")

_words = (
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789 -_", min_size=1, max_size=40)
    .map(str.strip)
    .filter(bool)
)


def metadata() -> st.SearchStrategy[dict[str, str]]:
    """Metadata within Stripe's limits: up to 50 keys of at most 40 characters."""
    keys = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_0123456789", min_size=1, max_size=40)
    values = st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
        min_size=1,
        max_size=100,
    )
    return st.dictionaries(keys, values, max_size=10)


def price_data(currency: str, *, recurring: bool = False) -> st.SearchStrategy[dict[str, Any]]:
    """An inline ``price_data`` hash with ``product_data``."""
    base: dict[str, Any] = {
        "currency": st.just(currency),
        # Free, or enough that any total clears each currency's minimum charge (sek: 300) and
        # five items of twenty stay under the eight-digit maximum.
        "unit_amount": st.one_of(st.just(0), st.integers(300, 900_000)),
        "product_data": st.fixed_dictionaries({"name": _words}),
    }
    if recurring:
        base["recurring"] = st.fixed_dictionaries(
            {"interval": st.sampled_from(INTERVALS)},
            optional={"interval_count": st.integers(1, 3)},
        )
    return st.fixed_dictionaries(base)


def line_items(
    currency: str, *, recurring: bool = False, max_size: int = 5
) -> st.SearchStrategy[list[dict[str, Any]]]:
    """One to ``max_size`` line items in one currency; all recurring when ``recurring``."""
    item = st.fixed_dictionaries(
        {"price_data": price_data(currency, recurring=recurring), "quantity": st.integers(1, 20)}
    )
    return st.lists(item, min_size=1, max_size=max_size)


@st.composite
def create_params(
    draw: st.DrawFn,
    *,
    now: int | None = None,
    modes: tuple[str, ...] = ("payment", "setup", "subscription"),
) -> dict[str, Any]:
    """Parameters for ``Session.create``: a mode, matching line items, optional extras.

    With ``now`` (the fake's ``clock.now()``), some draws set ``expires_at`` 30 minutes to 24 hours
    after it.
    """
    mode = draw(st.sampled_from(modes))
    currency = draw(st.sampled_from(CURRENCIES))
    params: dict[str, Any] = {"mode": mode, "success_url": "https://example.com/success"}
    if mode == "setup":
        params["currency"] = currency
    else:
        params["line_items"] = draw(line_items(currency, recurring=mode == "subscription"))
    if draw(st.booleans()):
        params["metadata"] = draw(metadata())
    if draw(st.booleans()):
        params["client_reference_id"] = draw(_words)
    if draw(st.booleans()):
        params["customer_email"] = draw(st.emails())
    if now is not None and draw(st.booleans()):
        params["expires_at"] = now + draw(st.integers(MIN_LIFETIME, MAX_LIFETIME))
    if mode == "payment" and draw(st.booleans()):
        params["customer_creation"] = draw(st.sampled_from(("always", "if_required")))
    return params
