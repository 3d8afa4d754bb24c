"""Replacing one method of a client library's class while a fake is on, and undoing it safely.

A ``MethodPatch`` puts a wrapper in place of ``owner.name``. Stopping it restores the original only
if the wrapper is still the attribute in place; if something patched over it since (a user's
``respx`` or ``aioresponses`` started inside the fake), the wrapper stays below that patch but
turns into a plain pass-through, so removing the other patch later leaves everything working.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Handle = Callable[[str, str, Mapping[str, str], bytes], tuple[int, dict[str, str], bytes]]
"""A fake's ``handle``: ``(method, url, headers, body) -> (status, headers, body)``."""

_MISSING = object()


class MethodPatch:
    """``owner.name`` replaced by ``make_wrapper(original, is_active)`` while started."""

    def __init__(
        self,
        owner: type,
        name: str,
        make_wrapper: Callable[[Any, Callable[[], bool]], Any],
    ) -> None:
        self.owner = owner
        self.name = name
        self._make_wrapper = make_wrapper
        self._own: object = _MISSING
        self._wrapper: object = None
        self._original: object = _MISSING
        self._flag: list[bool] = [False]
        """The running wrapper's on/off switch."""
        self._removed = False
        """Whether the last stop took the wrapper out (nothing had patched over it)."""

    def start(self) -> None:
        if self._flag[0]:
            raise RuntimeError(f"{self.owner.__name__}.{self.name} is already patched")
        self._own = self.owner.__dict__.get(self.name, _MISSING)
        original = getattr(self.owner, self.name)
        if self._removed and original is self._original:
            self._flag[0] = True  # the last wrapper, over the same original, is free: reuse it
        else:  # a new wrapper and switch: the old one may still sit, inert, under another patch
            flag = self._flag = [True]
            self._wrapper = self._make_wrapper(original, lambda: flag[0])
            self._original = original
        self._removed = False
        setattr(self.owner, self.name, self._wrapper)

    def stop(self) -> None:
        """Turn the wrapper into a pass-through; remove it when it is the one in place."""
        if not self._flag[0]:
            return
        self._flag[0] = False
        if self.owner.__dict__.get(self.name) is self._wrapper:
            if self._own is _MISSING:
                delattr(self.owner, self.name)
            else:
                setattr(self.owner, self.name, self._own)
            self._removed = True


class PatchingDoor:
    """A front door made of method patches: ``patches()`` lists them (empty when the client
    library is not installed); ``start``/``stop`` apply and undo them together."""

    def __init__(self, handle: Handle) -> None:
        self._handle = handle
        self._patches: list[MethodPatch] | None = None
        """``patches()``, made by the first start and reused (a stopped patch restarts cheaply)."""

    def patches(self) -> list[MethodPatch]:
        raise NotImplementedError

    def start(self) -> None:
        if self._patches is None:
            self._patches = self.patches()
        for patch in self._patches:
            patch.start()

    def stop(self) -> None:
        for patch in reversed(self._patches or ()):
            patch.stop()
