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
"""

from __future__ import annotations

from collections.abc import Generator, Iterator

import pytest

from fakecheckout.fake import FakeCheckout

MARKER = "fake_checkout"

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
    marker = request.node.get_closest_marker(MARKER)
    if marker is not None and marker.args:
        raise TypeError(f"@pytest.mark.{MARKER} takes keyword arguments only")
    fake = FakeCheckout(**(marker.kwargs if marker is not None else {}))
    fake.start()
    yield fake
    fake.stop(exception_propagating=request.node.stash.get(_call_failed, False))
