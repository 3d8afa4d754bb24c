"""``FakeCheckout``: a ``World`` with the HTTP door, turned on and off; ``activate``, ``current``.

Activation is process-wide (``requests`` is patched for every thread) and nests as a stack: the
innermost active fake answers. Fakes are stopped in the reverse order of starting; stopping an
outer fake first stops the ones still active inside it (and raises ``RuntimeError``).
"""

from __future__ import annotations

import functools
import inspect
import threading
from collections.abc import Callable, Coroutine, Mapping
from types import TracebackType
from typing import Any, ParamSpec, TypeVar, overload

from fakecheckout.adapters.responses_adapter import RequestsAdapter
from fakecheckout.core.clock import Clock
from fakecheckout.core.world import World
from fakecheckout.http import handler
from fakecheckout.http.idempotency import IdempotencyStore

P = ParamSpec("P")
R = TypeVar("R")

_stack: list[FakeCheckout] = []
_stack_lock = threading.Lock()


class UnhandledRequestError(Exception):
    """Requests to ``api.stripe.com`` that the fake does not emulate were made while it was on."""

    def __init__(self, unhandled: list[tuple[str, str]]) -> None:
        self.unhandled = list(unhandled)
        lines = "\n".join(f"  {method} {path}" for method, path in self.unhandled)
        super().__init__(
            f"fakecheckout answered {len(self.unhandled)} request(s) with 404 because it does not "
            f"emulate them:\n{lines}\n(Pass strict=False to FakeCheckout to allow this.)"
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


class FakeCheckout(World):
    """An in-memory Stripe Checkout that answers ``requests`` calls to ``api.stripe.com``.

    Use it as a context manager, with ``start()``/``stop()``, or through ``activate``. With
    ``strict=True`` (the default), ``stop()`` raises ``UnhandledRequestError`` when a request was
    answered with the "not emulated" 404, unless an exception is already propagating.
    """

    def __init__(
        self, *, clock: Clock | None = None, seed: int | None = None, strict: bool = True
    ) -> None:
        super().__init__(clock=clock, seed=seed)
        self.strict = strict
        self.unhandled: list[tuple[str, str]] = []
        """``(method, path)`` of every request answered with the "not emulated" 404."""
        self.idempotency = IdempotencyStore()
        """The ``Idempotency-Key`` results this fake remembers (HTTP door only)."""
        self._adapter = RequestsAdapter(self.handle)

    def handle(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        """Answer one HTTP request as Stripe would; never raises. ``url`` may be a path."""
        return handler.handle(self, method, url, headers, body)

    @property
    def active(self) -> bool:
        """Whether this fake is started (somewhere in the stack of active fakes)."""
        with _stack_lock:
            return self in _stack

    def start(self) -> None:
        """Intercept ``requests`` calls to ``api.stripe.com``; this fake becomes the innermost."""
        with _stack_lock:
            if self in _stack:
                raise RuntimeError("this FakeCheckout is already started")
            self._adapter.start()
            _stack.append(self)

    def stop(self, *, exception_propagating: bool = False) -> None:
        """Stop intercepting; then, if strict, raise ``UnhandledRequestError`` for ``unhandled``,
        else ``WebhookDeliveryError`` if a webhook callback raised.

        ``exception_propagating=True`` (what ``__exit__`` passes when the block raised) skips the
        strict check so it does not hide the original exception. Fakes started after this one and
        still active are stopped first, and then ``RuntimeError`` reports that misuse.
        """
        with _stack_lock:
            if self not in _stack:
                raise RuntimeError("stop() called on a FakeCheckout that is not started")
            index = _stack.index(self)
            left_inside = len(_stack) - index - 1
            for fake in reversed(_stack[index:]):
                fake._adapter.stop()
            del _stack[index:]
        if left_inside:
            raise RuntimeError(
                f"{left_inside} FakeCheckout(s) started inside this one were still active; they "
                "are stopped now (stop the innermost fake first: fakes nest as a stack)"
            )
        if self.strict and not exception_propagating:
            if self.unhandled:
                raise UnhandledRequestError(self.unhandled)
            if self.webhooks.failures:
                raise WebhookDeliveryError(self.webhooks.failures)

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
    """The innermost active fake; ``RuntimeError`` when none is active."""
    with _stack_lock:
        if not _stack:
            raise RuntimeError("no FakeCheckout is active")
        return _stack[-1]


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
    injected: inside, ``current()`` returns the fake. Each call gets its own fake; a ``clock``
    given here is shared by those calls.
    """

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
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
