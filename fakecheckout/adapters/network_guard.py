"""The network guard: while a fake is active, no connection to a Stripe host leaves the process.

The front doors answer Stripe hosts before any socket is opened. The guard is the backstop for
everything else (a client without a door, raw ``socket`` code, a library that resolves names
itself): a Python audit hook (``sys.addaudithook``) that refuses the ``socket.getaddrinfo``,
``socket.gethostbyname`` and ``socket.connect`` events for ``stripe.com`` and its subdomains by
raising ``NetworkGuardError`` at the call site. An audit hook sees these calls however the
function was imported (``from socket import getaddrinfo``) and in every thread, the resolver
threads of ``asyncio`` included. ``sock.connect((name, port))`` resolves the name in C before its
audit event fires, so ``socket.socket.connect`` and ``connect_ex`` are also wrapped while a fake is
active. Code that resolves and connects in C without Python's ``socket`` (``pycurl``, ``aiodns``)
is out of the guard's reach.

Audit hooks cannot be removed: the hook is added once, when a fake first starts, and does nothing
(one boolean test) while no fake is active.
"""

from __future__ import annotations

import socket
import sys
import threading
from collections.abc import Callable
from typing import Any

from fakecheckout.adapters.hosts import is_stripe_host
from fakecheckout.adapters.patching import MethodPatch

OnBlocked = Callable[[str, str], None]
"""``on_blocked(event, target)``: told before the guard raises (to record it)."""

_lock = threading.Lock()
_hook_added = False
_on_blocked: OnBlocked | None = None


def _connect_wrapper(original: Any, is_active: Callable[[], bool]) -> Any:
    def connect(sock: socket.socket, address: Any, *args: Any) -> Any:
        if is_active():
            _audit("socket.connect", (sock, address))  # before the name is resolved
        return original(sock, address, *args)

    return connect


_connect_patches = [
    MethodPatch(socket.socket, "connect", _connect_wrapper),
    MethodPatch(socket.socket, "connect_ex", _connect_wrapper),
]


class NetworkGuardError(ConnectionRefusedError):
    """A connection to a Stripe host was refused because a ``FakeCheckout`` is active."""

    def __init__(self, event: str, target: str) -> None:
        self.event = event
        self.target = target
        super().__init__(
            f"fakecheckout blocked {event} for {target}: while a FakeCheckout is active no "
            "connection to a *.stripe.com host leaves the process. fakecheckout answers "
            "api.stripe.com through requests, httpx, urllib and aiohttp; this call came from "
            "another client (raw sockets, pycurl, ...), or from a Stripe host it does not emulate."
        )


def enable(on_blocked: OnBlocked) -> None:
    """Refuse connections to Stripe hosts from now on (adds the audit hook the first time)."""
    global _hook_added, _on_blocked
    with _lock:
        if not _hook_added:
            sys.addaudithook(_audit)
            _hook_added = True
        if _on_blocked is None:
            for patch in _connect_patches:
                patch.start()
        _on_blocked = on_blocked


def disable() -> None:
    """Let connections to Stripe hosts through again."""
    global _on_blocked
    with _lock:
        if _on_blocked is not None:
            for patch in _connect_patches:
                patch.stop()
        _on_blocked = None


def _audit(event: str, args: tuple[Any, ...]) -> None:
    on_blocked = _on_blocked
    if on_blocked is None or not event.startswith("socket."):
        return
    target = _stripe_target(event, args)
    if target is None:
        return
    on_blocked(event, target)
    raise NetworkGuardError(event, target)


def _stripe_target(event: str, args: tuple[Any, ...]) -> str | None:
    """``host:port`` (or ``host``) when the event reaches for a Stripe host, else ``None``."""
    if event == "socket.getaddrinfo" and args:
        host, port = args[0], args[1] if len(args) > 1 else None
    elif event == "socket.gethostbyname" and args:
        host, port = args[0], None
    elif event == "socket.connect" and len(args) > 1:
        address = args[1]
        if not isinstance(address, tuple) or not address:
            return None
        host, port = address[0], address[1] if len(address) > 1 else None
    else:
        return None
    if not is_stripe_host(host):
        return None
    name = host.decode("ascii") if isinstance(host, bytes) else str(host)
    return name if port is None else f"{name}:{port}"
