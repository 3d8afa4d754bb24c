"""The pytest plugin: the ``fake_checkout`` fixture and marker, run in a pytester sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests  # noqa: F401 - imported once here, so pytester's in-process runs reuse them
import stripe  # noqa: F401

import conftest_plugin.plugin  # noqa: F401
import fakecheckout  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]

STRIPE_CALL = """
import requests

def call_stripe(path):
    return requests.get(
        "https://api.stripe.com" + path, headers={"Authorization": "Bearer sk_test_1"}
    )
"""


@pytest.fixture
def plugin_args(pytestconfig: pytest.Config, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Load the plugin by module unless its entry point is installed; make it importable.

    Hypothesis's plugin is left out of the inner runs: it imports all of hypothesis at the end of
    each run, which pytester then unloads again (a second per run).
    """
    monkeypatch.syspath_prepend(str(ROOT))
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    args = ["-p", "no:hypothesispytest"]
    if pytestconfig.pluginmanager.has_plugin("fakecheckout"):
        return args
    return [*args, "-p", "conftest_plugin.plugin"]


def test_fixture_gives_an_active_fake(pytester, plugin_args):
    pytester.makepyfile(
        """
        import fakecheckout

        def test_it(fake_checkout):
            assert fakecheckout.current() is fake_checkout
        """
    )
    pytester.runpytest(*plugin_args).assert_outcomes(passed=1)


def test_fixture_answers_stripe_calls(pytester, plugin_args):
    pytester.makepyfile(
        STRIPE_CALL
        + """
def test_it(fake_checkout):
    assert call_stripe("/v1/checkout/sessions").json()["object"] == "list"
"""
    )
    pytester.runpytest(*plugin_args).assert_outcomes(passed=1)


def test_each_test_gets_a_fresh_fake(pytester, plugin_args):
    pytester.makepyfile(
        """
        SEEN = []

        def test_one(fake_checkout):
            SEEN.append(fake_checkout)

        def test_two(fake_checkout):
            assert fake_checkout is not SEEN[0]
        """
    )
    pytester.runpytest(*plugin_args).assert_outcomes(passed=2)


def test_marker_seed_gives_the_same_ids_in_two_tests(pytester, plugin_args):
    pytester.makepyfile(
        """
        import pytest

        IDS = []

        @pytest.mark.fake_checkout(seed=5)
        def test_one(fake_checkout):
            IDS.append(fake_checkout.new_id("req_", 14))

        @pytest.mark.fake_checkout(seed=5)
        def test_two(fake_checkout):
            assert fake_checkout.new_id("req_", 14) == IDS[0]
        """
    )
    pytester.runpytest(*plugin_args).assert_outcomes(passed=2)


def test_marker_clock_reaches_the_fake(pytester, plugin_args):
    pytester.makepyfile(
        """
        import pytest
        from fakecheckout import ManualClock

        @pytest.mark.fake_checkout(clock=ManualClock(1_700_000_000))
        def test_it(fake_checkout):
            assert fake_checkout.clock.now() == 1_700_000_000
        """
    )
    pytester.runpytest(*plugin_args).assert_outcomes(passed=1)


def test_nearest_marker_wins(pytester, plugin_args):
    pytester.makepyfile(
        """
        import pytest

        pytestmark = pytest.mark.fake_checkout(strict=False)

        @pytest.mark.fake_checkout(strict=True)
        def test_function_marker(fake_checkout):
            assert fake_checkout.strict is True

        def test_module_marker(fake_checkout):
            assert fake_checkout.strict is False
        """
    )
    pytester.runpytest(*plugin_args).assert_outcomes(passed=2)


def test_marker_alone_activates_a_fake(pytester, plugin_args):
    pytester.makepyfile(
        """
        import pytest
        import fakecheckout

        @pytest.mark.fake_checkout(seed=1)
        def test_it():
            assert fakecheckout.current().strict is True
        """
    )
    pytester.runpytest(*plugin_args).assert_outcomes(passed=1)


def test_marker_with_positional_arguments_is_an_error(pytester, plugin_args):
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.fake_checkout(1)
        def test_it(fake_checkout):
            pass
        """
    )
    result = pytester.runpytest(*plugin_args)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*takes keyword arguments only*"])


def test_marker_is_registered(pytester, plugin_args):
    result = pytester.runpytest(*plugin_args, "--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.fake_checkout(**kwargs)*"])


def test_fake_is_stopped_after_a_failing_test(pytester, plugin_args):
    pytester.makepyfile(
        """
        import pytest
        import fakecheckout

        def test_fails(fake_checkout):
            assert False

        def test_after():
            with pytest.raises(RuntimeError):
                fakecheckout.current()
        """
    )
    pytester.runpytest(*plugin_args, "-p", "no:randomly").assert_outcomes(passed=1, failed=1)


def test_unhandled_route_is_a_teardown_error(pytester, plugin_args):
    pytester.makepyfile(
        STRIPE_CALL
        + """
def test_it(fake_checkout):
    assert call_stripe("/v1/disputes").status_code == 404
"""
    )
    result = pytester.runpytest(*plugin_args)
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*UnhandledRequestError*", "*GET /v1/disputes*"])


def test_failing_test_with_unhandled_route_reports_only_its_failure(pytester, plugin_args):
    pytester.makepyfile(
        STRIPE_CALL
        + """
def test_it(fake_checkout):
    call_stripe("/v1/disputes")
    assert False
"""
    )
    pytester.runpytest(*plugin_args).assert_outcomes(failed=1)


def test_non_strict_marker_allows_unhandled_routes(pytester, plugin_args):
    pytester.makepyfile(
        STRIPE_CALL
        + """
import pytest

@pytest.mark.fake_checkout(strict=False)
def test_it(fake_checkout):
    call_stripe("/v1/disputes")
    assert fake_checkout.unhandled == [("GET", "/v1/disputes")]
"""
    )
    pytester.runpytest(*plugin_args).assert_outcomes(passed=1)


def test_fixture_works_under_xdist(pytester, plugin_args):
    pytester.makepyfile(
        STRIPE_CALL
        + """
import pytest

@pytest.mark.parametrize("n", range(6))
def test_it(fake_checkout, n):
    assert call_stripe("/v1/checkout/sessions").json()["data"] == []
"""
    )
    result = pytester.runpytest_subprocess(*plugin_args, "-p", "xdist", "-n", "2")
    result.assert_outcomes(passed=6)


# --- @fakecheckout.activate on a class ------------------------------------------------------------


def test_activate_on_a_test_class_wraps_each_test_method(pytester, plugin_args):
    pytester.makepyfile(
        STRIPE_CALL
        + """
import fakecheckout

@fakecheckout.activate
class TestCheckout:
    def test_lists_sessions(self):
        assert call_stripe("/v1/checkout/sessions").json()["object"] == "list"

    def test_each_test_gets_a_fresh_fake(self):
        fake = fakecheckout.current()
        fake.sessions.create(mode="setup", currency="usd", success_url="https://e.com/ok")
        assert len(fake.sessions.list()["data"]) == 1

    def test_each_test_gets_a_fresh_fake_again(self):
        assert fakecheckout.current().sessions.list()["data"] == []

    def helper(self):
        return fakecheckout.current()

def test_outside_the_class_no_fake_is_active():
    import pytest
    with pytest.raises(RuntimeError):
        fakecheckout.current()
"""
    )
    pytester.runpytest(*plugin_args).assert_outcomes(passed=4)


def test_activate_on_a_unittest_testcase_wraps_each_test_method(pytester, plugin_args):
    pytester.makepyfile(
        STRIPE_CALL
        + """
import unittest
import fakecheckout

@fakecheckout.activate(seed=3, strict=False)
class CheckoutTests(unittest.TestCase):
    def setUp(self):
        with self.assertRaises(RuntimeError):
            fakecheckout.current()

    def test_setup_runs_outside_the_fake(self):
        self.assertTrue(fakecheckout.current().active)

    def test_lists_sessions(self):
        self.assertEqual(call_stripe("/v1/checkout/sessions").json()["object"], "list")

    def test_arguments_configure_the_fake(self):
        self.assertFalse(fakecheckout.current().strict)

@fakecheckout.activate
class AsyncCheckoutTests(unittest.IsolatedAsyncioTestCase):
    async def test_async_methods_run_inside_the_fake(self):
        self.assertIsNotNone(fakecheckout.current())
"""
    )
    pytester.runpytest(*plugin_args).assert_outcomes(passed=4)


def test_activate_on_a_class_reports_unhandled_requests_per_test(pytester, plugin_args):
    pytester.makepyfile(
        STRIPE_CALL
        + """
import fakecheckout

@fakecheckout.activate
class TestStrict:
    def test_calls_a_route_that_is_not_emulated(self):
        call_stripe("/v1/disputes")
"""
    )
    result = pytester.runpytest(*plugin_args)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*UnhandledRequestError*"])


def test_a_fail_next_no_request_used_is_a_teardown_error(pytester, plugin_args):
    pytester.makepyfile(
        """
        def test_it(fake_checkout):
            fake_checkout.fail_next("POST", "/v1/checkout/sessions", status=429)
        """
    )
    result = pytester.runpytest(*plugin_args)
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        ["*UnfiredFailureError*", "*fail_next(POST /v1/checkout/sessions -> 429 (1 of 1 left))*"]
    )
