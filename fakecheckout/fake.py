"""``FakeCheckout``: a ``World`` with the HTTP door, turned on and off; ``activate``, ``current``.

Which fake answers follows the caller's context (a ``contextvars.ContextVar``), so concurrent
``asyncio`` tasks and threads that each start a fake do not see each other's:

- Each context (an ``asyncio`` task, a thread, ``contextvars.copy_context().run``) keeps its own
  stack of the fakes it started; the innermost active one answers ``current()`` *and* every
  ``requests`` call to ``api.stripe.com`` made from that context, whatever other tasks or threads
  started since. ``asyncio`` tasks copy their creator's context, so a task created inside
  ``with fake:`` sees ``fake``.
- A context that started no active fake (typically a ``threading.Thread`` or a thread pool worker
  started inside ``with fake:``: new threads do not inherit contextvars) falls back to the most
  recently started fake still active in the process. With a single fake (the usual test) that is
  the fake; with several fakes active at once in different tasks, run the thread's work with
  ``contextvars.copy_context().run`` or ``asyncio.to_thread`` to pin it to the caller's fake.
- Within one context fakes nest as a stack and stop in the reverse order of starting; stopping an
  outer fake first stops the ones still active inside it *in that context* (and raises
  ``RuntimeError``). Fakes started in other contexts are not affected. A fake started in one
  context may be stopped from another (an ``async`` fixture's teardown); that raises nothing.

Interception itself is process-wide: ``responses`` patches ``requests.adapters.HTTPAdapter.send``
for every thread. All active fakes share one interceptor (a private ``RequestsAdapter``) whose
Stripe route asks the context above which fake answers; it is installed when the first fake
starts and removed when the last one stops, so a fake stopping never unpatches ``requests`` under
another one. If something else patched ``send`` on top of it in between (a user's ``responses``
mock started inside an active fake), a fake started then installs a second interceptor on top,
so it sees Stripe calls first, as before; an interceptor is removed once no fake uses it and its
patch is the one in place (removing it then restores exactly what was below it).
"""

from __future__ import annotations

import contextvars
import functools
import inspect
import threading
from collections.abc import Callable, Coroutine, Mapping
from types import TracebackType
from typing import Any, ParamSpec, TypeVar, overload

import requests.adapters

from fakecheckout.adapters.doors import ClientDoors
from fakecheckout.adapters.responses_adapter import RequestsAdapter
from fakecheckout.core import versions
from fakecheckout.core.clock import Clock
from fakecheckout.core.world import World
from fakecheckout.http import handler
from fakecheckout.http.faults import FailureRule, Faults, new_rule
from fakecheckout.http.idempotency import IdempotencyStore
from fakecheckout.http.request_log import MAX_LOGGED, RequestLog

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")

_context_stack: contextvars.ContextVar[tuple[FakeCheckout, ...]] = contextvars.ContextVar(
    "fakecheckout_active", default=()
)
"""The fakes started in this context and not stopped from it, outermost first (may hold fakes
stopped from another context: those are skipped)."""

_lock = threading.Lock()
"""Guards ``_started``, ``_layers`` and every fake's ``_layer``."""

_started: list[FakeCheckout] = []
"""Every active fake in the process, in the order they started (the fallback is the last)."""


class _Layer:
    """One installed interceptor: a ``RequestsAdapter`` routing Stripe calls to the context's fake,
    and how many active fakes use it."""

    def __init__(self) -> None:
        self.adapter = _spare_adapters.pop() if _spare_adapters else RequestsAdapter(_dispatch)
        self.adapter.start()
        self.installed: object = requests.adapters.HTTPAdapter.send
        self.users = 0


_layers: list[_Layer] = []
"""The installed interceptors, bottom first (normally at most one)."""

_spare_adapters: list[RequestsAdapter] = []
"""The last removed interceptor's adapter, stopped: the next one reuses it (and its mock)."""


def _acquire_layer() -> _Layer:
    """The interceptor whose patch is in place now, or a new one on top. ``_lock`` is held."""
    _prune_layers()
    send = requests.adapters.HTTPAdapter.send
    for layer in _layers:
        if layer.installed is send:
            break
    else:
        layer = _Layer()
        _layers.append(layer)
    layer.users += 1
    return layer


def _prune_layers() -> None:
    """Remove unused interceptors whose patch is the one in place. ``_lock`` is held."""
    while True:
        send = requests.adapters.HTTPAdapter.send
        unused = next((x for x in _layers if x.users == 0 and x.installed is send), None)
        if unused is None:
            return
        unused.adapter.stop()  # restores the send that was in place below it
        _layers.remove(unused)
        _spare_adapters[:] = [unused.adapter]


def _resolve() -> FakeCheckout | None:
    """The innermost active fake of this context, else the most recently started active one."""
    stack = _context_stack.get()
    with _lock:
        for fake in reversed(stack):
            if fake._layer is not None:
                return fake
        return _started[-1] if _started else None


def _dispatch(
    method: str, url: str, headers: Mapping[str, str], body: bytes
) -> tuple[int, dict[str, str], bytes]:
    """The shared interceptor's Stripe route: the calling context's fake answers."""
    fake = _resolve()
    if fake is None:  # only after misuse: an interceptor left under a patch that outlived it
        raise RuntimeError(
            "a request to api.stripe.com was intercepted but no FakeCheckout is active"
        )
    return fake.handle(method, url, headers, body)


def _record_blocked(event: str, target: str) -> None:
    """The network guard refused ``event`` for ``target``: the calling context's fake records it."""
    fake = _resolve()
    if fake is not None:
        fake.unhandled.append((event, target))


_doors = ClientDoors(_dispatch, _record_blocked)
"""The httpx, urllib and aiohttp doors and the network guard: on while any fake is active."""


class UnhandledRequestError(Exception):
    """Requests to Stripe hosts that the fake does not emulate were made while it was on."""

    def __init__(self, unhandled: list[tuple[str, str]]) -> None:
        self.unhandled = list(unhandled)
        lines = "\n".join(f"  {method} {path}" for method, path in self.unhandled)
        super().__init__(
            f"fakecheckout refused {len(self.unhandled)} request(s) because it does not emulate "
            f"them (a 404 answer, or a blocked connection to a Stripe host):\n{lines}\n"
            "(Pass strict=False to FakeCheckout to allow this.)"
        )


class WebhookDeliveryError(Exception):
    """Webhook callbacks raised while the fake was on (each failure is in ``failures``)."""

    def __init__(self, failures: list[tuple[str, BaseException]]) -> None:
        self.failures = list(failures)
        lines = "\n".join(f"  {event_id}: {exc!r}" for event_id, exc in self.failures)
        super().__init__(
            f"{len(self.failures)} webhook delivery(ies) raised in a subscribed callback:\n{lines}"
        )
        self.__cause__ = self.failures[0][1] if self.failures else None


class UnfiredFailureError(Exception):
    """``fake.fail_next`` failures that no request used up while the fake was on."""

    def __init__(self, pending: list[FailureRule]) -> None:
        self.pending = list(pending)
        lines = "\n".join(f"  fail_next({rule})" for rule in self.pending)
        super().__init__(
            f"{len(self.pending)} fail_next failure(s) were never used: no matching request was "
            f"sent, so the test did not exercise them:\n{lines}\n"
            "(Pass strict=False to FakeCheckout to allow this.)"
        )


class FakeCheckout(World):
    """An in-memory Stripe Checkout that answers ``requests`` calls to ``api.stripe.com``.

    Use it as a context manager, with ``start()``/``stop()``, or through ``activate``. With
    ``strict=True`` (the default), ``stop()`` raises ``UnhandledRequestError`` when a request was
    answered with the "not emulated" 404, unless an exception is already propagating.
    """

    STATE = (*World.STATE, "idempotency")

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        seed: int | None = None,
        strict: bool = True,
        api_version: str | None = None,
        max_logged: int = MAX_LOGGED,
    ) -> None:
        super().__init__(clock=clock, seed=seed)
        self.api_version = versions.default_version(api_version)
        """The account's default API version: for requests without ``Stripe-Version``, direct-API
        calls, events and webhook payloads (``None``: the newest, ``API_VERSIONS[-1]``)."""
        self.strict = strict
        self.unhandled: list[tuple[str, str]] = []
        """``(method, path)`` of every request answered with the "not emulated" 404 (the full URL
        for a Stripe host other than ``api.stripe.com``), and ``(audit event, host:port)`` of every
        connection to a Stripe host that the network guard refused."""
        self.idempotency = IdempotencyStore()
        """The ``Idempotency-Key`` results this fake remembers (HTTP door only)."""
        self.requests = RequestLog(handler.path_ids, max_logged)
        """Every HTTP request this fake answered, oldest first, the last ``max_logged`` of them
        (``fakecheckout.http.request_log``): ``last()``, ``filter()``, ``assert_sent()``."""
        self.faults = Faults()
        """The pending ``fail_next`` failures (``fakecheckout.http.faults``)."""
        self._layer: _Layer | None = None

    def handle(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        """Answer one HTTP request as Stripe would; never raises. ``url`` may be a path."""
        return handler.handle(self, method, url, headers, body)

    def fail_next(
        self,
        method: str,
        path: str,
        *,
        status: int = 500,
        error: str | None = None,
        times: int = 1,
    ) -> FailureRule:
        """Answer the next ``times`` requests to ``method`` ``path`` (``*``: any text within a
        path segment, ``**``: any text) with a failure instead of running them: ``status`` 500 (or
        another 5xx) ``api_error``, 429 ``rate_limit`` (``error="lock_timeout"``: the 429 the SDK
        retries), 402 ``card_error`` with ``error`` as its code (``card_declined`` by default, or a
        decline code such as ``insufficient_funds``), or ``error="connection"``: a network
        failure the client sees as its own connection error. Nothing is stored by a failed
        request. Returns the rule (``remaining`` counts down); with ``strict``, ``stop()`` raises
        ``UnfiredFailureError`` for rules still pending."""
        rule = new_rule(method, path, status=status, error=error, times=times)
        self.faults.add(rule)
        return rule

    @property
    def pending_failures(self) -> list[FailureRule]:
        """The ``fail_next`` rules with failures left to inject, oldest first."""
        return self.faults.pending

    @property
    def active(self) -> bool:
        """Whether this fake is started (in any context)."""
        return self._layer is not None

    @property
    def _adapter(self) -> RequestsAdapter | None:
        """The interceptor routing ``requests`` calls while this fake is active."""
        layer = self._layer
        return layer.adapter if layer is not None else None

    def start(self) -> None:
        """Intercept ``requests`` calls to ``api.stripe.com``; this fake becomes the innermost of
        the calling context (see the module docstring)."""
        stack = _context_stack.get()
        with _lock:
            if self._layer is not None:
                raise RuntimeError("this FakeCheckout is already started")
            self._layer = _acquire_layer()
            _started.append(self)
            if len(_started) == 1:
                _doors.start()
            live = tuple(fake for fake in stack if fake._layer is not None and fake is not self)
        _context_stack.set((*live, self))

    def stop(self, *, exception_propagating: bool = False) -> None:
        """Stop intercepting; then, if strict, raise ``UnhandledRequestError`` for ``unhandled``,
        else ``WebhookDeliveryError`` if a webhook callback raised, else ``UnfiredFailureError``
        for ``fail_next`` failures no request used (they are forgotten then).

        ``exception_propagating=True`` (what ``__exit__`` passes when the block raised) skips the
        strict check so it does not hide the original exception. Fakes started after this one in
        the same context and still active are stopped first, and then ``RuntimeError`` reports
        that misuse. Fakes of other contexts are left alone.
        """
        stack = _context_stack.get()
        with _lock:
            if self._layer is None:
                raise RuntimeError("stop() called on a FakeCheckout that is not started")
            index = next((i for i in reversed(range(len(stack))) if stack[i] is self), None)
            inside: list[FakeCheckout] = []
            if index is not None:
                inside = [f for f in stack[index + 1 :] if f._layer is not None and f is not self]
            for fake in (*reversed(inside), self):
                fake._release()
            _prune_layers()
        if index is not None:
            _context_stack.set(stack[:index])
        if inside:
            raise RuntimeError(
                f"{len(inside)} FakeCheckout(s) started inside this one were still active; they "
                "are stopped now (stop the innermost fake first: fakes nest as a stack)"
            )
        if self.strict and not exception_propagating:
            failure = self._strict_failure()
            if failure is not None:
                raise failure

    def _strict_failure(self) -> Exception | None:
        """What a strict ``stop()`` raises: ``UnhandledRequestError`` for ``unhandled``, else
        ``WebhookDeliveryError`` if a webhook callback raised, else ``UnfiredFailureError`` for
        ``fail_next`` rules no request used; ``None`` when all went well."""
        if self.unhandled:
            return UnhandledRequestError(self.unhandled)
        if self.webhooks.failures:
            return WebhookDeliveryError(self.webhooks.failures)
        pending = self.faults.pending
        if pending:
            self.faults.clear()
            return UnfiredFailureError(pending)
        return None

    def _release(self) -> None:
        """Mark this fake stopped and let go of its interceptor. ``_lock`` is held."""
        layer, self._layer = self._layer, None
        if layer is not None:
            layer.users -= 1
            _started.remove(self)
            if not _started:
                _doors.stop()

    def __enter__(self) -> FakeCheckout:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop(exception_propagating=exc_type is not None)


def current() -> FakeCheckout:
    """The innermost active fake of the calling context (else the most recently started active
    fake in the process, see the module docstring); ``RuntimeError`` when none is active."""
    fake = _resolve()
    if fake is None:
        raise RuntimeError("no FakeCheckout is active")
    return fake


@overload
def activate(func: type[T], /) -> type[T]: ...
@overload
def activate(func: Callable[P, R], /) -> Callable[P, R]: ...
@overload
def activate(
    *, clock: Clock | None = None, seed: int | None = None, strict: bool = True
) -> Callable[[Callable[P, R]], Callable[P, R]]: ...
def activate(
    func: Callable[P, R] | None = None,
    /,
    *,
    clock: Clock | None = None,
    seed: int | None = None,
    strict: bool = True,
) -> Callable[P, R] | Callable[[Callable[P, R]], Callable[P, R]]:
    """Run the decorated function (sync or async) inside a fresh, active ``FakeCheckout``.

    Bare (``@activate``) or with the fake's arguments (``@activate(seed=1)``). Nothing is
    injected: inside, ``current()`` returns the fake. On a class (a plain test class or a
    ``unittest.TestCase``), each of its ``test*`` methods, sync or async and inherited ones too,
    is wrapped the same way and the class itself is returned, as ``moto.mock_aws`` and
    ``freezegun.freeze_time`` do; ``setUp`` and ``tearDown`` run outside the fake. Each call gets its own fake, also when calls
    run concurrently (``asyncio.gather`` of decorated coroutines, threads): each sees and reaches
    its own. A ``clock`` given here is shared by those calls.
    """

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        if inspect.isclass(function):
            return _decorate_class(function, decorate)  # type: ignore[arg-type]
        if inspect.iscoroutinefunction(function):
            return _async_wrapper(function, clock=clock, seed=seed, strict=strict)  # type: ignore[return-value]

        @functools.wraps(function)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            with FakeCheckout(clock=clock, seed=seed, strict=strict):
                return function(*args, **kwargs)

        return wrapper

    if func is not None:
        return decorate(func)
    return decorate


_ACTIVATED = "__fakecheckout_activated__"


def _decorate_class(klass: type[T], decorate: Callable[[Callable[..., Any]], Any]) -> type[T]:
    """Wrap each ``test*`` method of ``klass`` (own and inherited) with ``decorate``, in place."""
    for name in dir(klass):
        if not name.startswith("test"):
            continue
        attribute = inspect.getattr_static(klass, name)
        if not inspect.isfunction(attribute) or getattr(attribute, _ACTIVATED, False):
            continue  # not a plain method, or wrapped already (a decorated base class)
        wrapped = decorate(attribute)
        setattr(wrapped, _ACTIVATED, True)
        setattr(klass, name, wrapped)
    return klass


def _async_wrapper(
    function: Callable[P, Coroutine[Any, Any, R]],
    *,
    clock: Clock | None,
    seed: int | None,
    strict: bool,
) -> Callable[P, Coroutine[Any, Any, R]]:
    @functools.wraps(function)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with FakeCheckout(clock=clock, seed=seed, strict=strict):
            return await function(*args, **kwargs)

    return wrapper
