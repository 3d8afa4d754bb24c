"""Lists through the SDK: ``auto_paging_iter()`` both ways, ``next_page()``/``previous_page()``.

Each test lists the sessions of a customer of its own, so on the real API it sees only what it
created. The fake backend creates 250 sessions; the real one fewer (``backend.many``).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import stripe

from ._support import Backend, SdkStyle, ids_of, payment_params


def create_sessions(sdk: SdkStyle, customer: str, count: int) -> list[Any]:
    """``count`` sessions of ``customer``, oldest first."""
    return [sdk.create(payment_params(customer=customer)) for _ in range(count)]


def assert_each_once_in_created_order(
    listed: list[Any], expected_ids: list[str], backend: Backend, *, newest_first: bool
) -> None:
    """Every expected session exactly once, ordered by ``created``.

    Stripe orders sessions created in the same second in an undocumented way; the fake puts the
    later-created one first (API.md "Order", D), so only the fake is held to the exact order.
    """
    assert Counter(ids_of(listed)) == Counter(expected_ids)
    created = [session["created"] for session in listed]
    assert created == sorted(created, reverse=newest_first)
    if backend.is_fake:
        assert ids_of(listed) == (expected_ids[::-1] if newest_first else expected_ids)


@pytest.mark.doors("requests", "aiohttp", "server")  # 250 sessions each: a subset of doors
def test_auto_paging_iter_yields_every_session_once_newest_first(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    customer = stripe_backend.make_customer()
    created = create_sessions(sdk, customer, stripe_backend.many)
    listed = list(sdk.list({"customer": customer, "limit": 10}).auto_paging_iter())
    assert_each_once_in_created_order(listed, ids_of(created), stripe_backend, newest_first=True)


@pytest.mark.doors("requests", "httpx_async", "server")
def test_auto_paging_iter_from_ending_before_walks_back_to_the_newest(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    customer = stripe_backend.make_customer()
    oldest, *later = create_sessions(sdk, customer, stripe_backend.many + 1)
    first_page = sdk.list({"customer": customer, "limit": 10, "ending_before": oldest["id"]})
    listed = list(first_page.auto_paging_iter())
    assert_each_once_in_created_order(listed, ids_of(later), stripe_backend, newest_first=False)


def test_list_limit_3_returns_the_3_newest_with_has_more(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    customer = stripe_backend.make_customer()
    created = ids_of(create_sessions(sdk, customer, 7))
    page = sdk.list({"customer": customer, "limit": 3})
    assert Counter(ids_of(page["data"])) == Counter(created[-3:])
    assert page["has_more"] is True


def test_next_page_continues_after_the_last_session(sdk: SdkStyle, stripe_backend: Backend) -> None:
    customer = stripe_backend.make_customer()
    created = ids_of(create_sessions(sdk, customer, 7))
    second = sdk.list({"customer": customer, "limit": 3}).next_page()
    assert Counter(ids_of(second["data"])) == Counter(created[1:4])
    assert second["has_more"] is True


def test_next_page_of_the_last_page_is_empty(sdk: SdkStyle, stripe_backend: Backend) -> None:
    customer = stripe_backend.make_customer()
    created = ids_of(create_sessions(sdk, customer, 7))
    third = sdk.list({"customer": customer, "limit": 3}).next_page().next_page()
    assert (ids_of(third["data"]), third["has_more"]) == ([created[0]], False)
    assert third.next_page().is_empty


def test_previous_page_of_an_ending_before_page_returns_the_newer_sessions(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    customer = stripe_backend.make_customer()
    created = ids_of(create_sessions(sdk, customer, 7))
    page = sdk.list({"customer": customer, "limit": 3, "ending_before": created[0]})
    assert (Counter(ids_of(page["data"])), page["has_more"]) == (Counter(created[1:4]), True)
    newer = page.previous_page()
    assert (Counter(ids_of(newer["data"])), newer["has_more"]) == (Counter(created[4:]), False)


def test_previous_page_after_next_page_sends_both_cursors_and_is_rejected(
    sdk: SdkStyle, stripe_backend: Backend
) -> None:
    """stripe-python keeps ``starting_after`` and adds ``ending_before`` (stripe-python#585)."""
    customer = stripe_backend.make_customer()
    create_sessions(sdk, customer, 7)
    second = sdk.list({"customer": customer, "limit": 3}).next_page()
    with pytest.raises(stripe.InvalidRequestError) as info:
        second.previous_page()
    assert info.value.user_message == (
        "Received both starting_after and ending_before parameters. Please pass in only one."
    )
