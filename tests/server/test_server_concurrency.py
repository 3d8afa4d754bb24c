"""Through the server, 8 client threads × 500 mixed requests: nothing lost, nothing mixed up."""

from __future__ import annotations

import threading
from collections import Counter

import stripe

import fakecheckout
from tests.factories import KEY, payment_params

THREADS = 8
REQUESTS_PER_THREAD = 500
ROUND = 5
"""One round: create, retrieve, update, list line items, then expire every other session."""


def _every(list_page) -> list[dict]:
    """Every object of a direct-API list, page by page."""
    found: list[dict] = []
    page = list_page(limit=100)
    found += page["data"]
    while page["has_more"]:
        page = list_page(limit=100, starting_after=found[-1]["id"])
        found += page["data"]
    return found


def test_eight_threads_of_mixed_requests_lose_nothing():
    failures: list[BaseException] = []
    created: dict[int, list[str]] = {}
    expired: dict[int, list[str]] = {}

    with fakecheckout.serve(seed=1) as server:

        def work(worker: int) -> None:
            client = stripe.StripeClient(KEY, base_addresses={"api": server.url})
            sessions = client.v1.checkout.sessions
            mine: list[str] = []
            gone: list[str] = []
            try:
                for index in range(REQUESTS_PER_THREAD // ROUND):
                    session = sessions.create(
                        payment_params(metadata={"worker": str(worker), "index": str(index)})
                    )
                    mine.append(session.id)
                    assert sessions.retrieve(session.id).metadata["worker"] == str(worker)
                    sessions.update(session.id, params={"metadata": {"seen": "yes"}})
                    assert sessions.line_items.list(session.id).data[0].quantity == 1
                    if index % 2:
                        sessions.expire(session.id)
                        gone.append(session.id)
                    else:
                        assert sessions.list(params={"limit": 1}).object == "list"
            except BaseException as error:  # reported below, with the thread's work so far
                failures.append(error)
            created[worker], expired[worker] = mine, gone

        threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        fake = server.fake
        assert failures == []
        stored = {s["id"]: s for s in _every(fake.sessions.list)}
        expired_events = _every(fake.events.list)

    every = [session_id for ids in created.values() for session_id in ids]
    assert len(every) == len(set(every)) == THREADS * REQUESTS_PER_THREAD // ROUND
    assert set(stored) == set(every)
    for worker, ids in created.items():
        for session_id in ids:
            metadata = stored[session_id]["metadata"]
            assert (metadata["worker"], metadata["seen"]) == (str(worker), "yes")
    gone = {session_id for ids in expired.values() for session_id in ids}
    assert Counter(s["status"] for s in stored.values()) == {
        "expired": len(gone),
        "open": len(every) - len(gone),
    }
    assert {e["data"]["object"]["id"] for e in expired_events} == gone
