"""Fixtures of the conformance suite: ``stripe_backend`` (``fake`` / ``real``), ``door`` (the
SDK's HTTP client: ``requests``, ``httpx``, ``httpx_async``, ``urllib``, ``aiohttp``, ``server``)
and ``sdk`` (``global`` / ``client``, through the door): every test that drives the SDK runs
through every door with the same body.

- ``fake`` always runs: a fresh, strict ``FakeCheckout`` intercepts ``requests`` to
  ``api.stripe.com``, so nothing reaches the network.
- ``real`` runs only when ``STRIPE_TEST_SECRET_KEY`` holds a test-mode key (``sk_test_…`` or
  ``rk_test_…``); it is marked ``real``, so ``-m real`` selects it and ``-m "not real"`` leaves
  it out. What a real-mode test creates is cleaned up after it (sessions expired, customers
  deleted, prices archived). A live key stops the run before any test.
- ``@pytest.mark.fake_only``: the test needs the fake (its clock, ``complete()``, connected
  accounts without a real one, its own messages); its ``real`` variant is skipped.
- ``fake_clock``: the clock of the fake backend (``None``: the system clock); a module
  overrides this fixture to drive time.

Run the real mode: ``STRIPE_TEST_SECRET_KEY=sk_test_… python -m pytest tests/conformance -m real``.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator

import pytest

from fakecheckout import Clock

from ._support import (
    DOORS,
    KEY_ENV,
    Backend,
    ClientStyle,
    Door,
    FakeBackend,
    GlobalStyle,
    RealBackend,
    SdkStyle,
    client_style_available,
    real_key,
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "doors(*names): run this test through these doors only (a slow test's representative "
        "subset); the others are skipped",
    )
    config.addinivalue_line(
        "markers",
        "fake_only: the test needs the fake (clock, complete(), connected accounts, its own "
        "messages); its stripe_backend 'real' variant is skipped",
    )
    key = real_key()
    if key is not None and not key.startswith(("sk_test_", "rk_test_")):
        raise pytest.UsageError(
            f"{KEY_ENV} must be a test-mode secret key (sk_test_… or rk_test_…); the conformance "
            "suite never runs against live mode"
        )


@pytest.fixture
def fake_clock() -> Clock | None:
    """The fake backend's clock; ``None`` is the system clock (freezegun moves it)."""
    return None


@pytest.fixture(
    params=[
        pytest.param("fake", id="fake"),
        pytest.param(
            "real",
            id="real",
            marks=[
                pytest.mark.real,
                pytest.mark.skipif(
                    real_key() is None, reason=f"set {KEY_ENV} to run against Stripe test mode"
                ),
            ],
        ),
    ]
)
def stripe_backend(request: pytest.FixtureRequest, fake_clock: Clock | None) -> Iterator[Backend]:
    """The server under test: the fake, or Stripe's test mode (see the module docstring)."""
    backend: Backend
    if request.param == "real":
        if request.node.get_closest_marker("fake_only") is not None:
            pytest.skip("fake-only: needs the fake's clock, complete() or its own messages")
        key = real_key()
        assert key is not None
        backend = RealBackend(key)
    else:
        backend = FakeBackend(fake_clock)
    try:
        yield backend
    finally:
        backend.close()


_DOOR_NEEDS = {"httpx": "httpx", "httpx_async": "httpx", "aiohttp": "aiohttp"}
"""The client library each door needs installed (the others need nothing beyond the SDK's)."""


@pytest.fixture(params=list(DOORS))
def door(request: pytest.FixtureRequest, stripe_backend: Backend) -> Iterator[Door]:
    """How the SDK reaches the backend: requests, httpx (sync, async), urllib, aiohttp, or real
    HTTP to ``fakecheckout serve`` (fake backend only)."""
    name = request.param
    subset = request.node.get_closest_marker("doors")
    if subset is not None and name not in subset.args:
        pytest.skip(f"slow test: runs through the {', '.join(subset.args)} doors only")
    library = _DOOR_NEEDS.get(name)
    if library is not None and importlib.util.find_spec(library) is None:
        pytest.skip(f"{library} is not installed")
    if name == "server" and not stripe_backend.is_fake:
        pytest.skip("the server door serves the fake")
    opened = DOORS[name](stripe_backend)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture(params=["global", "client"])
def sdk(request: pytest.FixtureRequest, stripe_backend: Backend, door: Door) -> Iterator[SdkStyle]:
    """The six endpoints in one SDK style (module-level ``stripe.*`` or ``StripeClient.v1``),
    through one door."""
    style: SdkStyle
    if request.param == "client":
        if not client_style_available():
            pytest.skip("this stripe has no StripeClient.v1")
        style = ClientStyle(stripe_backend, door)
    else:
        style = GlobalStyle(stripe_backend, door)
    with style:
        yield style
