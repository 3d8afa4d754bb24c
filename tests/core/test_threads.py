"""One lock: concurrent operations lose nothing and never collide."""

from __future__ import annotations

import threading

from fakecheckout.core.world import World

from .conftest import payment_params


def test_eight_threads_creating_at_once_lose_nothing(world: World) -> None:
    per_thread = 50
    created: list[list[str]] = [[] for _ in range(8)]
    barrier = threading.Barrier(8)

    def work(slot: int) -> None:
        barrier.wait()
        for _ in range(per_thread):
            created[slot].append(world.sessions.create(**payment_params())["id"])

    threads = [threading.Thread(target=work, args=(slot,)) for slot in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    every_id = [session_id for ids in created for session_id in ids]
    assert len(every_id) == len(set(every_id)) == 8 * per_thread
    listed: list[str] = []
    params: dict[str, str | int] = {"limit": 100}
    while True:
        page = world.sessions.list(**params)
        listed.extend(s["id"] for s in page["data"])
        if not page["has_more"]:
            break
        params["starting_after"] = page["data"][-1]["id"]
    assert sorted(listed) == sorted(every_id)
