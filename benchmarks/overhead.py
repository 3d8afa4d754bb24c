"""Per-call overhead: the fake against a bare mock returning the very bytes the fake answered.

Three doors, five calls each (create, retrieve, update, list, expire):

- ``sdk``: the ``stripe`` SDK (global style, default ``RequestsClient``) against the active fake,
  and against a bare ``responses.RequestsMock`` whose callback returns the status, headers and
  body the fake produced for that call (checked byte for byte);
- ``requests``: raw ``requests.Session`` calls, same floor;
- ``httpx async``: raw ``httpx.AsyncClient`` calls through the default transport (which the fake's
  door intercepts), against an ``AsyncClient`` on an ``httpx.MockTransport`` returning the same bytes.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import requests
import responses
import stripe
from common import (
    CREATE_BODY,
    CREATE_PARAMS,
    KEY,
    SESSIONS,
    UPDATE_BODY,
    UPDATE_PARAMS,
    Plan,
    RoundRunner,
    Target,
    alternate,
    configure_sdk,
    new_fake,
    ratio,
    round_ratios,
    spread,
    sync_round,
)

import fakecheckout

CALLS = ("create", "retrieve", "update", "list", "expire")
GOALS = {"sdk": 1.10, "requests": 1.30, "httpx async": 1.30}
HEADERS = {
    "Authorization": f"Bearer {KEY}",
    "Content-Type": "application/x-www-form-urlencoded",
}
Reply = tuple[int, dict[str, str], bytes]


class Pool:
    """Open sessions for ``expire`` (one per call), refilled before each round, untimed."""

    def __init__(self, fake: fakecheckout.FakeCheckout) -> None:
        self.fake = fake
        self.ids: list[str] = []

    def refill(self, n: int) -> None:
        self.ids = [self.fake.sessions.create(**CREATE_PARAMS)["id"] for _ in range(n + 2)]

    def pop(self) -> str:
        return self.ids.pop()


def _sdk_calls(session_id: str, pool: Pool) -> dict[str, Callable[[], Any]]:
    session = stripe.checkout.Session
    return {
        "create": lambda: session.create(**CREATE_PARAMS),
        "retrieve": lambda: session.retrieve(session_id),
        "update": lambda: session.modify(session_id, **UPDATE_PARAMS),
        "list": lambda: session.list(limit=10),
        "expire": lambda: session.expire(pool.pop()),
    }


def _requests_calls(
    client: requests.Session, session_id: str, pool: Pool
) -> dict[str, Callable[[], Any]]:
    one = f"{SESSIONS}/{session_id}"
    return {
        "create": lambda: client.post(SESSIONS, data=CREATE_BODY, headers=HEADERS),
        "retrieve": lambda: client.get(one, headers=HEADERS),
        "update": lambda: client.post(one, data=UPDATE_BODY, headers=HEADERS),
        "list": lambda: client.get(f"{SESSIONS}?limit=10", headers=HEADERS),
        "expire": lambda: client.post(f"{SESSIONS}/{pool.pop()}/expire", headers=HEADERS),
    }


def _httpx_calls(session_id: str, pool: Pool) -> dict[str, Callable[[httpx.AsyncClient], Any]]:
    one = f"{SESSIONS}/{session_id}"
    return {
        "create": lambda c: c.post(SESSIONS, content=CREATE_BODY, headers=HEADERS),
        "retrieve": lambda c: c.get(one, headers=HEADERS),
        "update": lambda c: c.post(one, content=UPDATE_BODY, headers=HEADERS),
        "list": lambda c: c.get(f"{SESSIONS}?limit=10", headers=HEADERS),
        "expire": lambda c: c.post(f"{SESSIONS}/{pool.pop()}/expire", headers=HEADERS),
    }


def _stub(reply: Reply) -> Callable[[], Any]:
    """A context starting a bare ``responses`` mock that answers every Stripe request with ``reply``."""
    mock = responses.RequestsMock(assert_all_requests_are_fired=False)
    anything = re.compile(re.escape("https://api.stripe.com/") + ".*")
    for method in ("GET", "POST"):
        mock.add_callback(method, anything, callback=lambda request: reply)

    @contextmanager
    def on() -> Iterator[None]:
        mock.start()  # not ``with mock``: its exit forgets the registered routes
        try:
            yield
        finally:
            mock.stop(allow_assert=False)
            mock.calls.reset()  # responses records every call; the fake's door keeps none

    return on


def _with_refill(pool: Pool, run: RoundRunner, refill: bool) -> RoundRunner:
    def wrapped(n: int) -> tuple[float, float]:
        if refill:
            pool.refill(n)
        return run(n)

    return wrapped


def bench_sdk_and_requests(plan: Plan) -> tuple[dict[str, Any], list[Target]]:
    configure_sdk()
    fake = new_fake(sessions=100)
    pool = Pool(fake)
    session_id = fake.sessions.create(**CREATE_PARAMS)["id"]
    client = requests.Session()
    doors: dict[str, dict[str, Callable[[], Any]]] = {
        "sdk": _sdk_calls(session_id, pool),
        "requests": _requests_calls(client, session_id, pool),
    }
    out: dict[str, Any] = {}
    targets: list[Target] = []
    for door, calls in doors.items():
        for name in CALLS:
            call = calls[name]
            pool.refill(1)
            with fake:
                result = call()
            reply = _captured(result)
            stub = _stub(reply)
            pool.refill(1)
            with stub():
                assert _captured(call())[2] == reply[2], (door, name)
            measured = alternate(
                {
                    "fake": _with_refill(pool, sync_round(lambda: fake, call), name == "expire"),
                    "floor": _with_refill(pool, sync_round(stub, call), name == "expire"),
                },
                plan.calls,
                plan.rounds,
            )
            out[f"{door}:{name}"] = _row(measured, reply)
            targets.append(
                Target(
                    f"per call, {door}",
                    f"{name} vs equal-bytes responses mock",
                    ratio(measured, "fake", "floor"),
                    GOALS[door],
                    note=_note(measured),
                )
            )
    return out, targets


def bench_httpx_async(plan: Plan) -> tuple[dict[str, Any], list[Target]]:
    fake = new_fake(sessions=100)
    pool = Pool(fake)
    session_id = fake.sessions.create(**CREATE_PARAMS)["id"]
    calls = _httpx_calls(session_id, pool)
    out: dict[str, Any] = {}
    targets: list[Target] = []
    for name in CALLS:
        call = calls[name]

        async def once(make: Callable[[], httpx.AsyncClient], call: Any = call) -> httpx.Response:
            async with make() as client:
                response: httpx.Response = await call(client)
                return response

        pool.refill(2)
        with fake:
            first = asyncio.run(once(httpx.AsyncClient))
        reply: Reply = (first.status_code, dict(first.headers), first.content)

        def mock_client(reply: Reply = reply) -> httpx.AsyncClient:
            status, headers, body = reply
            transport = httpx.MockTransport(
                lambda request: httpx.Response(status, headers=headers, content=body)
            )
            return httpx.AsyncClient(transport=transport)

        assert asyncio.run(once(mock_client)).content == reply[2]

        def runner(
            make: Callable[[], httpx.AsyncClient], active: bool, call: Any = call, name: str = name
        ) -> RoundRunner:
            async def timed(n: int) -> tuple[float, float]:
                async with make() as client:
                    await call(client)
                    wall0, cpu0 = time.perf_counter(), time.process_time()
                    for _ in range(n):
                        await call(client)
                    return (time.perf_counter() - wall0) / n, (time.process_time() - cpu0) / n

            def run(n: int) -> tuple[float, float]:
                if name == "expire":
                    pool.refill(n)
                if active:
                    with fake:
                        return asyncio.run(timed(n))
                return asyncio.run(timed(n))

            return run

        measured = alternate(
            {"fake": runner(httpx.AsyncClient, True), "floor": runner(mock_client, False)},
            plan.calls,
            plan.rounds,
        )
        out[f"httpx async:{name}"] = _row(measured, reply)
        targets.append(
            Target(
                "per call, httpx async",
                f"{name} vs equal-bytes httpx.MockTransport",
                ratio(measured, "fake", "floor"),
                GOALS["httpx async"],
                note=_note(measured),
            )
        )
    return out, targets


def _captured(result: Any) -> Reply:
    if isinstance(result, requests.Response):
        return result.status_code, dict(result.headers), result.content
    response = result.last_response
    return response.code, dict(response.headers), response.body.encode("utf-8")


def _row(measured: dict[str, Any], reply: Reply) -> dict[str, Any]:
    return {
        "response_bytes": len(reply[2]),
        "fake": measured["fake"].as_json(),
        "floor": measured["floor"].as_json(),
        "ratio": ratio(measured, "fake", "floor"),
        "round_ratios": [round(r, 3) for r in round_ratios(measured, "fake", "floor")],
    }


def _note(measured: dict[str, Any]) -> str:
    fake, floor = measured["fake"].median_wall(), measured["floor"].median_wall()
    rounds = spread(measured, "fake", "floor")
    return f"{fake * 1e6:,.0f} vs {floor * 1e6:,.0f} µs; rounds {rounds}"
