"""Eight threads hammer one fake while its clock jumps: nothing is lost, duplicated or done twice.

One run (a module-scoped fixture, ~5-10 s on 2 cores): 8 threads × 1,000 mixed requests through
``fake.handle`` (create, create replayed with its ``Idempotency-Key``, list walks, retrieve,
update, expire, line items, event walks) and ``fake.sessions.complete(...)`` called directly,
with a webhook subscriber recording each delivery, while another thread moves a ``ManualClock``
forward in steps of 1-20 minutes (and calls ``fake.settle()`` now and then), so that sessions
pass their ``expires_at`` in the middle of everything. Each test then checks one property of the
final world, or of what the threads saw along the way.

A second, smaller run makes the threads race for shared ``Idempotency-Key`` values on a still
clock (with a moving one, a key is legitimately forgotten 24 fake hours after its first use).
Both runs lower ``sys.setswitchinterval`` so that threads interleave inside operations.
"""

from __future__ import annotations

import json
import random
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest

from fakecheckout import FakeCheckout, ManualClock, StripeError
from fakecheckout.http import forms
from tests.factories import payment_params

START = 1_800_000_000
IDEMPOTENCY_TTL = 24 * 60 * 60
THREADS = 8
PER_THREAD = 1_000
#: The clock jumps once per this many worker steps (paced by progress, not by wall time, so a
#: loaded machine still gives every kind of ending).
STEPS_PER_JUMP = 8
AUTH = {"Authorization": "Bearer sk_test_concurrency"}
SESSIONS = "/v1/checkout/sessions"
CREATE_BODY = forms.encode(payment_params()).encode()
FINAL = ("complete", "expired")


@dataclass
class Log:
    """What one worker did and saw."""

    created: list[str] = field(default_factory=list)
    replayed: list[tuple[str, str]] = field(default_factory=list)  # (first id, replayed id)
    expired_by: dict[str, str] = field(default_factory=dict)  # session id -> Request-Id
    completed: list[str] = field(default_factory=list)
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    seen_final: dict[str, str] = field(default_factory=dict)
    steps: int = 0


@dataclass
class Run:
    fake: FakeCheckout
    logs: list[Log]
    errors: list[BaseException]
    clock_jumps: int
    seconds: float
    delivered: list[str]

    @property
    def created(self) -> list[str]:
        return [session_id for log in self.logs for session_id in log.created]


def call(fake: FakeCheckout, method: str, url: str, body: bytes = b"", **headers: str):
    status, response_headers, payload = fake.handle(method, url, {**AUTH, **headers}, body)
    return status, response_headers, json.loads(payload)


def walk(fake: FakeCheckout, url: str, *, limit: int = 100) -> list[dict[str, Any]]:
    """Every object of a list, newest first, page by page with ``starting_after``."""
    joiner = "&" if "?" in url else "?"
    found: list[dict[str, Any]] = []
    cursor = ""
    while True:
        page_url = f"{url}{joiner}limit={limit}" + (f"&starting_after={cursor}" if cursor else "")
        status, _, page = call(fake, "GET", page_url)
        assert status == 200, page
        found.extend(page["data"])
        if not page["has_more"]:
            return found
        cursor = page["data"][-1]["id"]


def walk_back(fake: FakeCheckout, url: str, oldest: str, *, limit: int) -> list[str]:
    """The ids of a list walked from its ``oldest`` object to the newest with ``ending_before``,
    returned newest first (so a consistent list gives what ``walk`` gives)."""
    found = [oldest]
    cursor = oldest
    while True:
        status, _, page = call(fake, "GET", f"{url}?limit={limit}&ending_before={cursor}")
        assert status == 200, page
        found.extend(item["id"] for item in reversed(page["data"]))
        if not page["has_more"]:
            return list(reversed(found))
        cursor = page["data"][0]["id"]


def _work(fake: FakeCheckout, slot: int, log: Log, known: list[str], start: threading.Barrier):
    rnd = random.Random(slot)
    expect = log.statuses
    start.wait()
    for step in range(PER_THREAD):
        log.steps += 1
        roll = rnd.random()
        target = rnd.choice(known) if known else None
        if roll < 0.25 or target is None:
            key = f"t{slot}-{step}"
            first_used = fake.clock.now()
            status, _, session = call(
                fake, "POST", SESSIONS, CREATE_BODY, **{"Idempotency-Key": key}
            )
            expect["create", status] += 1
            if status == 200:
                log.created.append(session["id"])
                known.append(session["id"])
                if rnd.random() < 0.2:
                    again, headers, replay = call(
                        fake, "POST", SESSIONS, CREATE_BODY, **{"Idempotency-Key": key}
                    )
                    if headers.get("Idempotent-Replayed") == "true":
                        expect["replay", again] += 1
                        log.replayed.append((session["id"], replay.get("id")))
                    elif fake.clock.now() - first_used >= IDEMPOTENCY_TTL:
                        # On a loaded machine the clock thread can move 24 h between the two
                        # calls: the key is forgotten, as it should be, and this is a new create.
                        expect["create", again] += 1
                        if again == 200:
                            log.created.append(replay["id"])
                            known.append(replay["id"])
                    else:
                        log.problems.append(f"replay of {key} not marked: {headers}")
        elif roll < 0.40:
            _walk_a_little(fake, rnd, log, SESSIONS, status_filter=True)
        elif roll < 0.55:
            status, _, session = call(fake, "GET", f"{SESSIONS}/{target}")
            expect["retrieve", status] += 1
            if status == 200:
                _check_final_stays(log, session)
        elif roll < 0.63:
            status, _, session = call(
                fake, "POST", f"{SESSIONS}/{target}", f"metadata[t{slot}]={step}".encode()
            )
            expect["update", status] += 1
            if status == 200:
                _check_final_stays(log, session)
        elif roll < 0.73:
            status, headers, session = call(fake, "POST", f"{SESSIONS}/{target}/expire")
            expect["expire", status] += 1
            if status == 200:
                if target in log.expired_by:
                    log.problems.append(f"{target} expired twice by this thread")
                log.expired_by[target] = headers["Request-Id"]
        elif roll < 0.83:
            try:
                fake.sessions.complete(target)
            except StripeError as error:
                expect["complete", error.http_status] += 1
            else:
                expect["complete", 200] += 1
                log.completed.append(target)
        elif roll < 0.88:
            status, _, _ = call(fake, "GET", f"{SESSIONS}/{target}/line_items")
            expect["line_items", status] += 1
        else:
            _walk_a_little(fake, rnd, log, "/v1/events", status_filter=False)


def _check_final_stays(log: Log, session: dict[str, Any]) -> None:
    """Statuses are final: once this thread saw one, it must never see another."""
    before = log.seen_final.get(session["id"])
    if before is not None and session["status"] != before:
        log.problems.append(f"{session['id']} went from {before} to {session['status']}")
    if session["status"] in FINAL:
        log.seen_final[session["id"]] = session["status"]


def _walk_a_little(fake: FakeCheckout, rnd: random.Random, log: Log, url: str, *, status_filter):
    """One to three pages with ``starting_after``: newest first, no object twice, filter kept."""
    wanted = rnd.choice([None, "open", "complete", "expired"]) if status_filter else None
    base = f"{url}?status={wanted}&" if wanted else f"{url}?"
    limit = rnd.randint(1, 20)
    seen: set[str] = set()
    last_key: tuple[int, ...] | None = None
    cursor = ""
    for _ in range(rnd.randint(1, 3)):
        page_url = f"{base}limit={limit}" + (f"&starting_after={cursor}" if cursor else "")
        status, _, page = call(fake, "GET", page_url)
        log.statuses["list", status] += 1
        if status != 200:
            return
        for item in page["data"]:
            if item["id"] in seen:
                log.problems.append(f"{item['id']} twice in one walk of {base}")
            seen.add(item["id"])
            if wanted and item["status"] != wanted:
                log.problems.append(f"{item['id']} is {item['status']} in a {wanted} list")
            key = (item["created"],)
            if last_key is not None and key > last_key:
                log.problems.append(f"{url} not newest first at {item['id']}")
            last_key = key
        if not page["has_more"] or not page["data"]:
            return
        cursor = page["data"][-1]["id"]


@contextmanager
def eager_switching(seconds: float = 1e-5) -> Iterator[None]:
    """Let the interpreter switch threads every ``seconds`` (default 5 ms): far more interleavings."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(seconds)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


@pytest.fixture(scope="module")
def run() -> Run:
    clock = ManualClock(START)
    fake = FakeCheckout(clock=clock, seed=11)
    logs = [Log() for _ in range(THREADS)]
    known: list[str] = []
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS + 1)
    done = threading.Event()
    jumps = 0
    delivered: list[str] = []
    fake.webhooks.subscribe(lambda payload, headers: delivered.append(json.loads(payload)["id"]))

    def worker(slot: int) -> None:
        try:
            _work(fake, slot, logs[slot], known, start)
        except BaseException as error:  # reported by a test
            errors.append(error)

    def clock_mover() -> None:
        nonlocal jumps
        rnd = random.Random(99)
        start.wait()
        paced = 0
        while not done.is_set():
            progress = sum(log.steps for log in logs)
            if progress - paced < STEPS_PER_JUMP:
                time.sleep(0.0005)
                continue
            while progress - paced >= STEPS_PER_JUMP:  # catch up after being descheduled
                paced += STEPS_PER_JUMP
                clock.advance(rnd.randint(60, 1200))
                jumps += 1
                if jumps % 10 == 0:
                    fake.settle()

    workers = [threading.Thread(target=worker, args=(slot,)) for slot in range(THREADS)]
    mover = threading.Thread(target=clock_mover)
    began = time.perf_counter()
    with eager_switching():
        for thread in [*workers, mover]:
            thread.start()
        for thread in workers:
            thread.join()
        done.set()
        mover.join()
    return Run(fake, logs, errors, jumps, time.perf_counter() - began, delivered)


@pytest.fixture(scope="module")
def final(run: Run) -> dict[str, Any]:
    """The world after the run: every session by id, every event, as the HTTP door lists them."""
    sessions = walk(run.fake, SESSIONS)
    events = walk(run.fake, "/v1/events")
    return {
        "sessions": sessions,
        "by_id": {s["id"]: s for s in sessions},
        "events": events,
    }


# --- what the threads saw ------------------------------------------------------------------------


def test_no_thread_raised(run: Run) -> None:
    assert run.errors == []


def test_every_answer_was_an_expected_status(run: Run) -> None:
    allowed = {
        ("create", 200),
        ("replay", 200),
        ("retrieve", 200),
        ("update", 200),
        ("expire", 200),
        ("expire", 400),  # no longer open
        ("complete", 200),
        ("complete", 400),  # no longer open
        ("line_items", 200),
        ("list", 200),
    }
    seen = Counter[tuple[str, int]]()
    for log in run.logs:
        seen.update(log.statuses)
    assert set(seen) <= allowed, seen


def test_walks_and_reads_during_the_run_were_consistent(run: Run) -> None:
    assert [problem for log in run.logs for problem in log.problems] == []


def test_the_run_exercised_every_kind_of_ending(run: Run, final: dict[str, Any]) -> None:
    statuses = Counter(s["status"] for s in final["sessions"])
    explicit = sum(len(log.expired_by) for log in run.logs)
    completed = sum(len(log.completed) for log in run.logs)
    by_time = statuses["expired"] - explicit
    assert run.clock_jumps > 50
    assert min(explicit, completed, by_time, statuses["open"]) > 20, (
        statuses,
        explicit,
        completed,
        by_time,
    )


# --- sessions ------------------------------------------------------------------------------------


def test_created_ids_are_unique(run: Run) -> None:
    assert (
        len(set(run.created))
        == len(run.created)
        == sum(log.statuses["create", 200] for log in run.logs)
    )


def test_an_idempotent_replay_returns_the_same_session(run: Run) -> None:
    pairs = [pair for log in run.logs for pair in log.replayed]
    assert pairs
    assert all(first == again for first, again in pairs)


def test_every_created_session_is_retrievable(run: Run) -> None:
    statuses = {call(run.fake, "GET", f"{SESSIONS}/{i}")[0] for i in run.created}
    assert statuses == {200}


def test_walking_every_page_lists_each_created_session_exactly_once(
    run: Run, final: dict[str, Any]
) -> None:
    listed = [s["id"] for s in final["sessions"]]
    assert len(listed) == len(set(listed))
    assert sorted(listed) == sorted(run.created)


def test_walking_backwards_lists_the_same_sessions_in_the_same_order(
    run: Run, final: dict[str, Any]
) -> None:
    listed = [s["id"] for s in final["sessions"]]
    assert walk_back(run.fake, SESSIONS, listed[-1], limit=37) == listed


def test_status_lists_partition_the_sessions(run: Run, final: dict[str, Any]) -> None:
    by_status = {
        status: [s["id"] for s in walk(run.fake, f"{SESSIONS}?status={status}")]
        for status in ("open", "complete", "expired")
    }
    every = [i for ids in by_status.values() for i in ids]
    assert sorted(every) == sorted(final["by_id"])
    for status, ids in by_status.items():
        assert {final["by_id"][i]["status"] for i in ids} <= {status}


def test_completed_sessions_are_the_ones_completed(run: Run, final: dict[str, Any]) -> None:
    completed = [i for log in run.logs for i in log.completed]
    assert len(completed) == len(set(completed))
    complete = {i for i, s in final["by_id"].items() if s["status"] == "complete"}
    assert set(completed) == complete


def test_a_session_expired_by_request_was_expired_once_and_never_completed(
    run: Run, final: dict[str, Any]
) -> None:
    expired_by: list[str] = [i for log in run.logs for i in log.expired_by]
    assert len(expired_by) == len(set(expired_by))
    assert {final["by_id"][i]["status"] for i in expired_by} == {"expired"}


# --- events --------------------------------------------------------------------------------------


def _events_by_session(final: dict[str, Any]) -> dict[str, Counter[str]]:
    found: dict[str, Counter[str]] = {i: Counter() for i in final["by_id"]}
    for event in final["events"]:
        if event["type"].startswith("checkout.session."):  # not the payment's own events
            found[event["data"]["object"]["id"]][event["type"]] += 1
    return found


def test_event_ids_are_unique(final: dict[str, Any]) -> None:
    ids = [e["id"] for e in final["events"]]
    assert len(ids) == len(set(ids))


def test_walking_event_pages_backwards_sees_each_event_once(
    run: Run, final: dict[str, Any]
) -> None:
    listed = [e["id"] for e in final["events"]]
    assert walk_back(run.fake, "/v1/events", listed[-1], limit=41) == listed


def test_each_expired_session_has_exactly_one_expired_event(final: dict[str, Any]) -> None:
    events = _events_by_session(final)
    expired = [i for i, s in final["by_id"].items() if s["status"] == "expired"]
    assert expired
    assert {i: events[i] for i in expired} == {
        i: Counter({"checkout.session.expired": 1}) for i in expired
    }


def test_each_completed_session_has_exactly_one_completed_event(final: dict[str, Any]) -> None:
    events = _events_by_session(final)
    complete = [i for i, s in final["by_id"].items() if s["status"] == "complete"]
    assert complete
    assert {i: events[i] for i in complete} == {
        i: Counter({"checkout.session.completed": 1}) for i in complete
    }


def test_open_sessions_have_no_events(final: dict[str, Any]) -> None:
    events = _events_by_session(final)
    assert {i: events[i] for i, s in final["by_id"].items() if s["status"] == "open"} == {
        i: Counter() for i, s in final["by_id"].items() if s["status"] == "open"
    }


def test_an_expiry_by_request_names_that_request(run: Run, final: dict[str, Any]) -> None:
    by_request = {i: request for log in run.logs for i, request in log.expired_by.items()}
    named = {
        e["data"]["object"]["id"]: e["request"]["id"]
        for e in final["events"]
        if e["type"] == "checkout.session.expired" and e["request"]["id"] is not None
    }
    assert named == by_request


def test_an_expiry_by_time_is_dated_at_expires_at(run: Run, final: dict[str, Any]) -> None:
    timed = [
        e
        for e in final["events"]
        if e["type"] == "checkout.session.expired" and e["request"]["id"] is None
    ]
    assert timed
    assert all(e["created"] == e["data"]["object"]["expires_at"] for e in timed)


def test_each_event_was_delivered_to_the_webhook_exactly_once(
    run: Run, final: dict[str, Any]
) -> None:
    assert run.fake.webhooks.failures == []
    assert sorted(run.delivered) == sorted(e["id"] for e in final["events"])


def test_the_event_list_and_the_direct_api_agree(run: Run, final: dict[str, Any]) -> None:
    direct: list[str] = []
    params: dict[str, Any] = {"limit": 100}
    while True:
        page = run.fake.events.list(**params)
        direct.extend(e["id"] for e in page["data"])
        if not page["has_more"]:
            break
        params["starting_after"] = page["data"][-1]["id"]
    assert direct == [e["id"] for e in final["events"]]


# --- racing for one idempotency key ----------------------------------------------------------------

SHARED_KEYS = 150


@pytest.fixture(scope="module")
def shared_keys() -> tuple[FakeCheckout, list[tuple[str, int, str | None]]]:
    """8 threads send the same create with the same key, key after key, released together."""
    fake = FakeCheckout(clock=ManualClock(START), seed=12)
    results: list[tuple[str, int, str | None]] = []
    together = threading.Barrier(THREADS)

    def worker() -> None:
        for n in range(SHARED_KEYS):
            key = f"shared-{n}"
            together.wait()
            status, _, body = call(fake, "POST", SESSIONS, CREATE_BODY, **{"Idempotency-Key": key})
            results.append((key, status, body.get("id") if status == 200 else None))

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    with eager_switching():
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return fake, results


def test_racing_for_one_key_answers_the_session_or_409_in_flight(shared_keys) -> None:
    _, results = shared_keys
    assert len(results) == THREADS * SHARED_KEYS
    assert {status for _, status, _ in results} == {200, 409}


def test_racing_for_one_key_creates_exactly_one_session_per_key(shared_keys) -> None:
    fake, results = shared_keys
    by_key: dict[str, set[str]] = {}
    for key, _, session_id in results:
        if session_id is not None:
            by_key.setdefault(key, set()).add(session_id)
    assert len(by_key) == SHARED_KEYS
    assert all(len(ids) == 1 for ids in by_key.values())
    listed = [s["id"] for s in walk(fake, SESSIONS)]
    assert sorted(listed) == sorted(i for ids in by_key.values() for i in ids)
