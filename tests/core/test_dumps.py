"""``fake.dump()`` / ``FakeCheckout.load(data)``: the whole world as JSON, and back."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from fakecheckout import FakeCheckout, InvalidDumpError, ManualClock, SystemClock
from fakecheckout.core.world import World
from fakecheckout.resources import RESOURCES

from .conftest import START, payment_params
from .test_snapshots import NOTES


@pytest.fixture
def fake(clock: ManualClock) -> FakeCheckout:
    fake = FakeCheckout(clock=clock, seed=1, api_version="2025-02-24.acacia")
    customer = fake.customers.create(email="ada@example.com")
    fake.sessions.create(**payment_params(customer=customer["id"]))
    fake.account("acct_connected1").products.create(name="Mug")
    return fake


def through_json(data: dict[str, Any]) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(json.dumps(data))
    return loaded


def test_a_dump_names_its_format_and_version(fake: FakeCheckout) -> None:
    data = fake.dump()
    assert (data["format"], data["format_version"]) == ("fakecheckout.dump", 1)


def test_a_loaded_dump_dumps_the_same_again(fake: FakeCheckout) -> None:
    data = through_json(fake.dump())
    assert through_json(FakeCheckout.load(data).dump()) == data


def test_a_loaded_world_lists_the_same_objects_in_the_same_order(fake: FakeCheckout) -> None:
    fake.sessions.create(**payment_params())
    loaded = FakeCheckout.load(through_json(fake.dump()))
    assert loaded.sessions.list() == fake.sessions.list()


def test_a_loaded_world_has_the_same_events(fake: FakeCheckout) -> None:
    loaded = FakeCheckout.load(through_json(fake.dump()))
    assert loaded.events.list() == fake.events.list()


def test_a_loaded_world_makes_the_ids_that_followed_the_dump(fake: FakeCheckout) -> None:
    loaded = FakeCheckout.load(through_json(fake.dump()))
    assert loaded.sessions.create(**payment_params()) == fake.sessions.create(**payment_params())


def test_a_loaded_world_keeps_connected_accounts(fake: FakeCheckout) -> None:
    loaded = FakeCheckout.load(through_json(fake.dump()))
    account = "acct_connected1"
    assert loaded.account(account).products.list() == fake.account(account).products.list()


def test_a_loaded_world_keeps_the_platform_account_id(fake: FakeCheckout) -> None:
    assert FakeCheckout.load(through_json(fake.dump())).account_id == fake.account_id


def test_a_loaded_world_signs_webhooks_with_the_dumped_secret(fake: FakeCheckout) -> None:
    loaded = FakeCheckout.load(through_json(fake.dump()))
    assert loaded.webhooks.secret == fake.webhooks.secret


def test_a_loaded_world_keeps_the_dumped_default_api_version(fake: FakeCheckout) -> None:
    assert FakeCheckout.load(through_json(fake.dump())).api_version == "2025-02-24.acacia"


def test_load_takes_the_fakes_arguments_over_the_dumped_ones(fake: FakeCheckout) -> None:
    loaded = FakeCheckout.load(fake.dump(), api_version="2026-10-28.endive", strict=False)
    assert (loaded.api_version, loaded.strict) == ("2026-10-28.endive", False)


def test_a_manual_clock_is_loaded_at_the_dumped_time(fake: FakeCheckout) -> None:
    fake.clock.advance(60)  # type: ignore[attr-defined]
    loaded = FakeCheckout.load(fake.dump())
    assert (type(loaded.clock), loaded.clock.now()) == (ManualClock, START + 60)


def test_a_clock_given_to_load_is_used_as_it_is(fake: FakeCheckout) -> None:
    clock = ManualClock(START + 5)
    assert FakeCheckout.load(fake.dump(), clock=clock).clock.now() == START + 5


def test_a_fake_on_the_system_clock_loads_on_the_system_clock() -> None:
    data = FakeCheckout(seed=1).dump()
    assert (data["clock"], type(FakeCheckout.load(data).clock)) == (None, SystemClock)


def test_a_stored_object_is_its_stripe_json_in_the_dump(fake: FakeCheckout) -> None:
    customer = fake.customers.list()["data"][0]
    assert json.dumps(customer, sort_keys=True) in json.dumps(fake.dump(), sort_keys=True)


def test_load_refuses_what_is_not_a_dict() -> None:
    with pytest.raises(InvalidDumpError, match="takes the dict that fake.dump\\(\\) returned"):
        FakeCheckout.load("fakecheckout.dump")


def test_load_refuses_another_format(fake: FakeCheckout) -> None:
    with pytest.raises(InvalidDumpError, match="not a fakecheckout dump: its 'format' is 'x'"):
        FakeCheckout.load({**fake.dump(), "format": "x"})


def test_load_refuses_another_format_version(fake: FakeCheckout) -> None:
    with pytest.raises(InvalidDumpError, match="loads dump format version 1, not 2"):
        FakeCheckout.load({**fake.dump(), "format_version": 2})


def test_load_refuses_a_dump_of_other_resources() -> None:
    data = World(resources=(*RESOURCES, NOTES)).dump()
    with pytest.raises(InvalidDumpError, match="only in the snapshot: \\['notes'\\]"):
        FakeCheckout.load(data)


def test_load_refuses_a_class_that_is_not_fakecheckouts(fake: FakeCheckout) -> None:
    data = fake.dump()
    data["state"]["world"]["ids"] = {"$obj": "subprocess:Popen", "$state": {}}
    with pytest.raises(InvalidDumpError, match="'subprocess:Popen' is not one of fakecheckout's"):
        FakeCheckout.load(data)


def test_load_refuses_a_missing_part(fake: FakeCheckout) -> None:
    data = fake.dump()
    del data["state"]["world"]["_timers"]
    with pytest.raises(InvalidDumpError, match="malformed fakecheckout dump at state.world"):
        FakeCheckout.load(data)


def test_load_refuses_an_unknown_tag(fake: FakeCheckout) -> None:
    data = fake.dump()
    data["state"]["world"]["_seq"] = {"$frobnicate": 1}
    with pytest.raises(InvalidDumpError, match="an unknown tag '\\$frobnicate'"):
        FakeCheckout.load(data)


def test_load_refuses_an_object_that_no_longer_renders(fake: FakeCheckout) -> None:
    data = fake.dump()
    text = json.dumps(data).replace('"email": "ada@example.com"', '"email": {"$tuple": 5}')
    with pytest.raises(InvalidDumpError, match="malformed fakecheckout dump"):
        FakeCheckout.load(json.loads(text))


def test_load_refuses_an_unknown_api_version(fake: FakeCheckout) -> None:
    with pytest.raises(InvalidDumpError, match="'1999-01-01' is not a known API version"):
        FakeCheckout.load({**fake.dump(), "api_version": "1999-01-01"})


def test_load_leaves_the_dump_unchanged(fake: FakeCheckout) -> None:
    data = fake.dump()
    kept = copy.deepcopy(data)
    FakeCheckout.load(data)
    assert data == kept


def test_dump_refuses_an_object_it_cannot_write_as_json() -> None:
    world = World(resources=(*RESOURCES, NOTES))
    world.notes.by_author["ada"] = {object()}
    with pytest.raises(TypeError, match="fake.dump\\(\\) cannot write builtins.object"):
        world.dump()


def test_load_refuses_a_name_that_reaches_outside_fakecheckout(fake: FakeCheckout) -> None:
    data = fake.dump()
    path = ["fakecheckout.core.snapshots", "sys", "modules", "os", "system"]
    data["state"]["world"]["_timers"] = [{"$name": path}]
    with pytest.raises(InvalidDumpError, match="names nothing of fakecheckout's"):
        FakeCheckout.load(data)


def test_load_refuses_a_class_reached_through_a_fakecheckout_module(fake: FakeCheckout) -> None:
    data = fake.dump()
    name = "fakecheckout.core.snapshots:threading.Thread"
    data["state"]["world"]["ids"] = {"$obj": name, "$state": {}}
    with pytest.raises(InvalidDumpError, match="is not one of fakecheckout's classes"):
        FakeCheckout.load(data)


def test_a_dump_writes_the_events_shared_compression_dictionary_once(clock: ManualClock) -> None:
    fake = FakeCheckout(clock=clock, seed=1)
    ids = [fake.sessions.create(**payment_params())["id"] for _ in range(5)]
    for session_id in ids:
        fake.sessions.expire(session_id)
    text = json.dumps(fake.dump())
    loaded = FakeCheckout.load(json.loads(text))
    assert text.count('"$ref"') >= 4
    assert [e["data"]["object"]["id"] for e in loaded.events.list()["data"]] == ids[::-1]


def test_a_dump_made_before_records_used_slots_still_loads(fake: FakeCheckout) -> None:
    def as_plain_state(node: Any) -> Any:  # how a record without slots was written
        if isinstance(node, dict):
            if str(node.get("$obj", "")).endswith(("EventRecord", ":Record")):
                return {**node, "$state": as_plain_state(node["$state"]["$tuple"][1])}
            return {k: as_plain_state(v) for k, v in node.items()}
        if isinstance(node, list):
            return [as_plain_state(v) for v in node]
        return node

    data = through_json(fake.dump())
    older = as_plain_state(data)
    assert older != data
    assert through_json(FakeCheckout.load(older).dump()) == data


def test_a_world_of_many_stored_records_and_events_dumps_the_same_after_loading(
    clock: ManualClock,
) -> None:
    fake = FakeCheckout(clock=clock, seed=3)
    for number in range(40):
        customer = fake.customers.create(email=f"c{number}@example.com")
        fake.customers.update(customer["id"], metadata={"n": str(number)})
    ids = [fake.sessions.create(**payment_params())["id"] for _ in range(5)]
    for session_id in ids:
        fake.sessions.expire(session_id)
    data = through_json(fake.dump())
    assert through_json(FakeCheckout.load(data).dump()) == data


def test_a_loaded_world_answers_a_list_through_the_http_door(fake: FakeCheckout) -> None:
    # The door reuses encoded list items (``EncodedCache``), which a dump leaves out: the loaded
    # world must start that cache empty, not without one.
    url = "https://api.stripe.com/v1/checkout/sessions?limit=3"
    auth = {"Authorization": "Bearer sk_test_dumps"}
    status, _, body = fake.handle("GET", url, auth, b"")
    loaded = FakeCheckout.load(through_json(fake.dump()))
    again = loaded.handle("GET", url, auth, b"")
    assert (again[0], json.loads(again[2])["data"]) == (status, json.loads(body)["data"])
