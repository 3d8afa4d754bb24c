"""The ``fake_checkout`` fixture and marker. Wiring only: the behaviour is ``FakeCheckout``'s.

- ``fake_checkout``: a fresh, active ``FakeCheckout`` for one test, stopped after it even when it
  fails. With ``strict=True`` (the default), requests the fake does not emulate make the
  teardown fail with ``UnhandledRequestError``, and a webhook callback that raised with
  ``WebhookDeliveryError`` (reported as a test error), and ``fake.fail_next`` failures that no
  request used with ``UnfiredFailureError``, unless the test itself failed: then its own failure
  is the one reported.
- ``@pytest.mark.fake_checkout(**kwargs)``: keyword arguments for that ``FakeCheckout`` (``seed``,
  ``clock``, ``strict``); the nearest marker wins (function over class over module). A marked test
  gets the fixture even if it does not ask for it (reach the fake with
  ``fakecheckout.current()``).
- ``fake_checkout_factory`` (session-scoped): ``fake_checkout_factory(**kwargs)`` is a new, not
  started ``FakeCheckout``; the pattern for hypothesis ``@given`` tests, which need a fresh fake
  per example (``with fake_checkout_factory() as fake:`` in the body). ``fake_checkout`` in a
  ``@given`` test is refused with a message saying so, unless the test suppresses hypothesis's
  ``function_scoped_fixture`` health check (one fake shared by its examples, on purpose).
- ``fake_checkout_server``: what ``fakecheckout.serve()`` yields (``.url``, ``.fake``), for tests
  that need a real HTTP server; the marker's kwargs apply, and with ``strict`` its teardown
  reports what the fake's ``stop()`` would.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from typing import Any

import pytest

from fakecheckout.fake import FakeCheckout
from fakecheckout.server import RunningServer, serve

MARKER = "fake_checkout"
SERVER = "fake_checkout_server"

GIVEN_MESSAGE = (
    "fake_checkout is one fake for the whole test, but @given runs the test body once per "
    "example; use a fresh fake per example instead:\n"
    "    def test_x(fake_checkout_factory, ...):\n"
    "        with fake_checkout_factory() as fake:\n"
    "            ..."
)

_call_failed = pytest.StashKey[bool]()


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker, so ``--strict-markers`` accepts it."""
    config.addinivalue_line(
        "markers",
        f"{MARKER}(**kwargs): keyword arguments for the FakeCheckout of the fake_checkout fixture "
        "(seed=, clock=, strict=); a marked test uses the fixture.",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Give every test marked ``fake_checkout`` the fixture."""
    for item in items:
        if (
            isinstance(item, pytest.Function)
            and item.get_closest_marker(MARKER) is not None
            and MARKER not in item.fixturenames
            and SERVER not in item.fixturenames
        ):
            item.fixturenames.insert(0, MARKER)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Remember whether the test body failed, so the teardown does not pile a second error on."""
    report = yield
    if report.when == "call":
        item.stash[_call_failed] = report.failed
    return report


@pytest.fixture
def fake_checkout(request: pytest.FixtureRequest) -> Iterator[FakeCheckout]:
    """A fresh, active ``FakeCheckout`` for this test (see the module docstring)."""
    if _given_without_opting_out(request.function):
        pytest.fail(GIVEN_MESSAGE, pytrace=False)
    fake = FakeCheckout(**_marker_kwargs(request))
    fake.start()
    yield fake
    fake.stop(exception_propagating=request.node.stash.get(_call_failed, False))


@pytest.fixture(scope="session")
def fake_checkout_factory() -> Callable[..., FakeCheckout]:
    """``FakeCheckout`` itself: ``fake_checkout_factory(**kwargs)`` is a new fake, not started.

    Session-scoped, so hypothesis ``@given`` accepts it; start one per example with ``with``.
    """
    return FakeCheckout


@pytest.fixture
def fake_checkout_server(request: pytest.FixtureRequest) -> Iterator[RunningServer]:
    """``fakecheckout.serve(**marker kwargs)`` for this test: ``.url`` and ``.fake``."""
    with serve(**_marker_kwargs(request)) as server:
        yield server
    if server.fake.strict and not request.node.stash.get(_call_failed, False):
        failure = server.fake._strict_failure()
        if failure is not None:
            raise failure


def _given_without_opting_out(function: object) -> bool:
    """Whether ``function`` is a hypothesis ``@given`` test that did not suppress the
    ``function_scoped_fixture`` health check (suppressing it means sharing one fake on purpose)."""
    if not getattr(function, "is_hypothesis_test", False):
        return False
    chosen = getattr(function, "_hypothesis_internal_use_settings", None)
    suppressed = getattr(chosen, "suppress_health_check", ())
    return not any(getattr(check, "name", "") == "function_scoped_fixture" for check in suppressed)


def _marker_kwargs(request: pytest.FixtureRequest) -> dict[str, Any]:
    marker = request.node.get_closest_marker(MARKER)
    if marker is not None and marker.args:
        raise TypeError(f"@pytest.mark.{MARKER} takes keyword arguments only")
    return dict(marker.kwargs) if marker is not None else {}
