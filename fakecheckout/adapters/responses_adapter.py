"""The ``requests`` front door: calls to Stripe hosts go to a fake, through ``responses``.

While started, a private ``responses.RequestsMock`` patches ``requests.adapters.HTTPAdapter.send``.
Every request whose host is ``stripe.com`` or one of its subdomains (any scheme, port, method and
path) is answered by the fake's ``handle`` (which answers ``api.stripe.com`` and refuses the other
Stripe hosts with its "not emulated" 404); every other request passes through to the ``send``
that was in place when ``start()`` ran: the network, or an outer ``responses`` mock (a user's
``@responses.activate``) or an outer fake, so those keep working inside.

- Only Stripe hosts are intercepted, even if ``stripe.api_base`` points elsewhere (a user who
  changed it wants another server, such as ``fakecheckout serve``).
- A ``responses`` mock started *after* the fake (inside it) sits on top of it and sees Stripe
  calls first; it refuses them unless told otherwise. Start your own mock first (outside), or
  add the fake's route to it: ``rsps.add(StripeRoute(fake.handle))``. Never ``add_passthru`` the
  Stripe host on an inner mock: ``responses`` would send it to the real network.
- ``responses`` records every call it answers; the fake's mock drops them, so memory does not
  grow with the number of calls.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Mapping
from typing import Any

import requests.adapters
import requests.exceptions
import responses
from requests import PreparedRequest

from fakecheckout.adapters.hosts import is_stripe_url
from fakecheckout.adapters.patching import Handle, MethodPatch
from fakecheckout.http.faults import InjectedConnectionError

__all__ = ["Handle", "RequestsAdapter", "StripeRoute"]

# Shown by ``responses`` when it lists routes; matching is ``StripeRoute.matches``.
_STRIPE_URL = re.compile(r"https?://(?:[^/?#@]*\.)?stripe\.com(?::\d+)?/.*", re.IGNORECASE)

# Every URL whose host is not a Stripe host: these pass through to the previous ``send``.
_NOT_STRIPE = re.compile(
    r"^(?![a-z][a-z0-9+.-]*://(?:[^/?#@]*@)?(?:[^/?#@:]*\.)?stripe\.com\.?(?::\d*)?(?:[/?#]|$))",
    re.IGNORECASE,
)


class StripeRoute(responses.CallbackResponse):
    """A ``responses`` route that sends every request to a Stripe host to ``handle``.

    It matches any method and path on ``stripe.com`` and its subdomains, and keeps no record of its calls, only their
    number (``call_count``, so a ``responses`` mock that asserts every route fired is satisfied).
    """

    def __init__(self, handle: Handle) -> None:
        super().__init__("GET", _STRIPE_URL, self._answer, content_type=None)
        self._handle = handle
        self._count = 0
        self._count_lock = threading.Lock()

    def matches(self, request: PreparedRequest) -> tuple[bool, str]:
        if is_stripe_url(str(request.url)):
            return True, ""
        return False, "URL is not on a Stripe host"

    @property
    def calls(self) -> responses.CallList:
        """A new empty list each time: ``responses`` adds to it and nothing keeps it."""
        return responses.CallList()

    @property
    def call_count(self) -> int:
        """How many requests this route answered."""
        return self._count

    def _answer(self, request: PreparedRequest) -> tuple[int, dict[str, str], bytes]:
        with self._count_lock:
            self._count += 1
        headers = {str(name): str(value) for name, value in request.headers.items()}
        try:
            return self._handle(str(request.method), str(request.url), headers, _body(request.body))
        except InjectedConnectionError as error:
            raise requests.exceptions.ConnectionError(error, request=request) from error


class RequestsAdapter:
    """Routes ``requests`` calls to Stripe hosts into one fake while started.

    The private mock's routing (``RequestsMock._on_request``: match, build the ``requests``
    response, pass other hosts through) answers, but the patch of ``HTTPAdapter.send`` is a plain
    ``setattr`` (``MethodPatch``) rather than ``responses``' own ``unittest.mock.patch``, which
    resolves its dotted target by importing on every start: most of a start's cost.
    """

    def __init__(self, handle: Handle) -> None:
        self._handle = handle
        self._mock: responses.RequestsMock | None = None
        self._patch: MethodPatch | None = None
        self._below: object = None
        self._spare: tuple[object, responses.RequestsMock, MethodPatch] | None = None
        """The last mock, the ``send`` it passes other hosts to and its patch: the next start
        reuses them when that ``send`` is still the one in place (building a mock is most of a
        start; a reused patch keeps its wrapper)."""

    @property
    def mock(self) -> responses.RequestsMock | None:
        """The private ``responses`` mock while started, else ``None``."""
        return self._mock

    def start(self) -> None:
        """Patch ``requests``; other hosts go on to the ``HTTPAdapter.send`` in place now."""
        if self._mock is not None:
            raise RuntimeError("this adapter is already started")
        below = requests.adapters.HTTPAdapter.send
        spare, self._spare = self._spare, None
        if spare is not None and spare[0] is below:
            _, mock, patch = spare
        else:
            mock = responses.RequestsMock(
                assert_all_requests_are_fired=False, real_adapter_send=below
            )
            mock.add(StripeRoute(self._answer))
            mock.add_passthru(_NOT_STRIPE)
            patch = MethodPatch(requests.adapters.HTTPAdapter, "send", _sender(mock))
        patch.start()
        self._mock, self._patch, self._below = mock, patch, below

    def stop(self) -> None:
        """Undo the patch (a no-op when not started)."""
        mock, self._mock = self._mock, None
        patch, self._patch = self._patch, None
        if patch is not None:
            patch.stop()
        if mock is not None and patch is not None:
            mock.calls.reset()
            self._spare = (self._below, mock, patch)

    def _answer(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        mock = self._mock
        if mock is not None:
            # ``responses`` appends each call after this returns: at most one stays listed.
            mock.calls.reset()
        return self._handle(method, url, headers, body)


def _sender(mock: responses.RequestsMock) -> Callable[[Any, Callable[[], bool]], Any]:
    """``HTTPAdapter.send`` while the adapter is on: what ``mock.start()`` would install; once
    stopped (if something patched over it meanwhile), the ``send`` that was below it."""

    def make(original: Any, is_active: Callable[[], bool]) -> Any:
        on_send = mock.unbound_on_send()

        def send(adapter: Any, request: PreparedRequest, *args: Any, **kwargs: Any) -> Any:
            if not is_active():
                return original(adapter, request, *args, **kwargs)
            return on_send(adapter, request, *args, **kwargs)

        return send

    return make


def _body(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode("utf-8")
    return b"".join(chunk.encode("utf-8") if isinstance(chunk, str) else chunk for chunk in body)
