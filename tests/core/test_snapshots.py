"""``fake.snapshot()`` / ``fake.restore(snapshot)``: the whole world put back, in memory."""

from __future__ import annotations

import json
from typing import Any

import pytest

from fakecheckout import FakeCheckout, ManualClock
from fakecheckout.core.resource import Resource, ResourceAPI, Route
from fakecheckout.core.snapshots import Snapshot
from fakecheckout.core.webhooks import RETRY_DELAYS
from fakecheckout.core.world import World
from fakecheckout.resources import RESOURCES
from tests.factories import AUTH
from tests.webhook_receiver import webhook_receiver

from .conftest import START, payment_params


@pytest.fixture
def fake(clock: ManualClock) -> FakeCheckout:
    return FakeCheckout(clock=clock, seed=1)


def post(fake: FakeCheckout, path: str, body: str, **headers: str) -> tuple[int, dict[str, Any]]:
    status, response_headers, raw = fake.handle("POST", path, {**AUTH, **headers}, body.encode())
    return status, {"replayed": response_headers.get("Idempotent-Replayed"), **json.loads(raw)}


def test_objects_created_after_the_snapshot_are_gone_after_restore(fake: FakeCheckout) -> None:
    kept = fake.sessions.create(**payment_params())
    snap = fake.snapshot()
    fake.sessions.create(**payment_params())
    fake.restore(snap)
    assert [s["id"] for s in fake.sessions.list()["data"]] == [kept["id"]]


def test_changes_after_the_snapshot_are_undone(fake: FakeCheckout) -> None:
    customer = fake.customers.create(email="a@example.com")
    snap = fake.snapshot()
    fake.customers.update(customer["id"], email="b@example.com")
    fake.restore(snap)
    assert fake.customers.retrieve(customer["id"]) == customer


def test_the_ids_after_restore_are_the_ids_that_followed_the_snapshot(fake: FakeCheckout) -> None:
    snap = fake.snapshot()
    first = fake.sessions.create(**payment_params())
    fake.restore(snap)
    assert fake.sessions.create(**payment_params()) == first


def test_an_unseeded_fakes_ids_after_restore_are_the_ids_that_followed_the_snapshot() -> None:
    fake = FakeCheckout()
    snap = fake.snapshot()  # taken before the fake made any object id
    first = fake.customers.create()["id"]
    fake.restore(snap)
    assert fake.customers.create()["id"] == first


def test_a_seeded_fakes_account_id_is_reproducible() -> None:
    assert FakeCheckout(seed=7).account_id == FakeCheckout(seed=7).account_id


def test_events_recorded_after_the_snapshot_are_gone(fake: FakeCheckout) -> None:
    fake.customers.create()
    before = fake.events.list()
    snap = fake.snapshot()
    fake.customers.create()
    fake.restore(snap)
    assert fake.events.list() == before


def test_a_snapshot_restores_the_same_world_twice(fake: FakeCheckout) -> None:
    snap = fake.snapshot()
    first = fake.sessions.create(**payment_params())
    fake.restore(snap)
    fake.sessions.expire(fake.sessions.create(**payment_params())["id"])
    fake.restore(snap)
    assert fake.sessions.create(**payment_params()) == first


def test_a_manual_clock_goes_back_to_the_snapshots_time(
    fake: FakeCheckout, clock: ManualClock
) -> None:
    snap = fake.snapshot()
    clock.advance(3600)
    fake.restore(snap)
    assert clock.now() == START


def test_an_expiry_scheduled_before_the_snapshot_still_fires(
    fake: FakeCheckout, clock: ManualClock
) -> None:
    session = fake.sessions.create(**payment_params())
    snap = fake.snapshot()
    fake.restore(snap)
    clock.set(session["expires_at"])
    assert fake.sessions.retrieve(session["id"])["status"] == "expired"


def test_an_expiry_that_fired_after_the_snapshot_is_undone(
    fake: FakeCheckout, clock: ManualClock
) -> None:
    session = fake.sessions.create(**payment_params())
    snap = fake.snapshot()
    clock.set(session["expires_at"])
    fake.sessions.list()
    fake.restore(snap)
    assert fake.sessions.retrieve(session["id"])["status"] == "open"


def test_a_direct_api_taken_before_restore_sees_the_restored_world(fake: FakeCheckout) -> None:
    customers = fake.customers
    snap = fake.snapshot()
    customers.create()
    fake.restore(snap)
    assert (customers.list()["data"], customers is fake.customers) == ([], True)


def test_a_resource_first_used_after_the_snapshot_is_empty_after_restore_and_stays_the_same_api(
    fake: FakeCheckout,
) -> None:
    snap = fake.snapshot()
    coupons = fake.coupons  # built on first use, after the snapshot
    coupons.create(percent_off=10, duration="once")
    fake.restore(snap)
    assert fake.coupons is coupons
    assert coupons.list()["data"] == []


def test_a_resource_first_used_after_restore_is_restored_with_its_objects(
    fake: FakeCheckout,
) -> None:
    coupon = fake.coupons.create(percent_off=10, duration="once")
    snap = fake.snapshot()
    other = FakeCheckout(seed=2)
    other.restore(snap)
    assert other.coupons.retrieve(coupon["id"]) == coupon


def test_a_connected_account_first_used_after_the_snapshot_is_empty_after_restore(
    fake: FakeCheckout,
) -> None:
    snap = fake.snapshot()
    fake.account("acct_connected1").customers.create()
    fake.restore(snap)
    assert fake.account("acct_connected1").customers.list()["data"] == []


def test_a_connected_accounts_objects_are_restored(fake: FakeCheckout) -> None:
    connected = fake.account("acct_connected1")
    customer = connected.customers.create()
    snap = fake.snapshot()
    connected.customers.delete(customer["id"])
    fake.restore(snap)
    assert connected.customers.list()["data"] == [customer]


def test_an_idempotency_key_used_before_the_snapshot_is_replayed_after_restore(
    fake: FakeCheckout,
) -> None:
    first = post(fake, "/v1/customers", "email=a%40example.com", **{"Idempotency-Key": "k1"})
    snap = fake.snapshot()
    fake.restore(snap)
    again = post(fake, "/v1/customers", "email=a%40example.com", **{"Idempotency-Key": "k1"})
    assert again == (first[0], {**first[1], "replayed": "true"})


def test_an_idempotency_key_first_used_after_the_snapshot_is_forgotten(
    fake: FakeCheckout,
) -> None:
    snap = fake.snapshot()
    first = post(fake, "/v1/customers", "", **{"Idempotency-Key": "k1"})
    fake.restore(snap)
    assert post(fake, "/v1/customers", "", **{"Idempotency-Key": "k1"}) == first


def test_a_snapshot_can_be_restored_into_another_fake(fake: FakeCheckout) -> None:
    customer = fake.customers.create(name="Ada")
    other = FakeCheckout(seed=2)
    other.restore(fake.snapshot())
    assert other.customers.list()["data"] == [customer]


def test_restore_takes_only_a_snapshot(fake: FakeCheckout) -> None:
    with pytest.raises(TypeError, match="restore\\(\\) takes what snapshot\\(\\) returned"):
        fake.restore({"format": "fakecheckout.dump"})  # type: ignore[arg-type]


def test_a_snapshot_of_a_fake_with_other_resources_is_refused(fake: FakeCheckout) -> None:
    smaller = World(resources=RESOURCES[:3])
    with pytest.raises(ValueError, match="other resources than this one"):
        smaller.restore(fake.snapshot())


def test_a_snapshot_shows_its_size(fake: FakeCheckout) -> None:
    snap = fake.snapshot()
    assert isinstance(snap, Snapshot)
    assert repr(snap) == f"<fakecheckout Snapshot: {len(snap.payload):,} bytes>"


class NotesAPI(ResourceAPI):
    """A resource written without a thought for snapshots: its state is its own attributes."""

    def __init__(self, world: World, account: Any) -> None:
        super().__init__(world, account)
        self.notes: list[str] = []
        self.by_author: dict[str, set[str]] = {}

    def add(self, author: str, text: str) -> None:
        with self._world.operation():
            self.notes.append(text)
            self.by_author.setdefault(author, set()).add(text)


NOTES = Resource(
    name="notes",
    object="note",
    api=NotesAPI,
    routes=(Route("GET", "/v1/notes", lambda ns, ids, p: {}),),
)


def test_a_new_resources_own_state_is_restored_with_no_code_of_its_own() -> None:
    world = World(resources=(*RESOURCES, NOTES))
    notes: NotesAPI = world.notes
    notes.add("ada", "first")
    snap = world.snapshot()
    notes.add("ada", "second")
    world.restore(snap)
    assert (notes.notes, notes.by_author) == (["first"], {"ada": {"first"}})


def test_a_webhook_retry_pending_at_the_snapshot_is_attempted_after_restore(
    fake: FakeCheckout, clock: ManualClock
) -> None:
    with webhook_receiver() as receiver:
        fake.webhook_endpoints.create(url=receiver.url, enabled_events=["customer.created"])
        receiver.statuses = [500]
        fake.customers.create()
        snap = fake.snapshot()
        clock.advance(RETRY_DELAYS[0])
        fake.settle()
        fake.restore(snap)
        clock.advance(RETRY_DELAYS[0])
        fake.settle()
        assert receiver.types == ["customer.created"] * 3


def test_a_worlds_snapshot_is_refused_by_a_fake_that_holds_more(fake: FakeCheckout) -> None:
    with pytest.raises(TypeError, match="another kind of fake .* than this FakeCheckout"):
        fake.restore(World().snapshot())
