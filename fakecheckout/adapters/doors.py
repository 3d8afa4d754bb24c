"""Every front door besides ``requests``, and the network guard, turned on and off together.

``requests`` has its own layering (``fakecheckout.fake``'s ``_Layer``, for ``responses`` mocks
started inside a fake); the doors here are plain method patches (see ``patching``), started
when the first fake starts and stopped when the last one stops.
"""

from __future__ import annotations

from fakecheckout.adapters import network_guard
from fakecheckout.adapters.aiohttp_adapter import AiohttpAdapter
from fakecheckout.adapters.httpx_adapter import HttpxAdapter
from fakecheckout.adapters.responses_adapter import Handle
from fakecheckout.adapters.urllib_adapter import UrllibAdapter


class ClientDoors:
    """The ``httpx``, ``urllib`` and ``aiohttp`` doors over one ``handle``, and the guard."""

    def __init__(self, handle: Handle, on_blocked: network_guard.OnBlocked) -> None:
        self._doors = (HttpxAdapter(handle), UrllibAdapter(handle), AiohttpAdapter(handle))
        self._on_blocked = on_blocked

    def start(self) -> None:
        for door in self._doors:
            door.start()
        network_guard.enable(self._on_blocked)

    def stop(self) -> None:
        network_guard.disable()
        for door in reversed(self._doors):
            door.stop()
