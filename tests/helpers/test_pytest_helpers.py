"""The plugin's helpers for hypothesis and the server: ``fake_checkout_factory`` (a fresh fake
per ``@given`` example), ``fake_checkout`` refusing ``@given``, and ``fake_checkout_server``."""

from __future__ import annotations

from tests.test_plugin import plugin_args  # noqa: F401 - the fixture, shared

GIVEN_A_FRESH_FAKE_PER_EXAMPLE = """
import fakecheckout
from hypothesis import given, settings, strategies as st

SEEN = []

@settings(max_examples=5, database=None)
@given(n=st.integers(0, 3))
def test_it(fake_checkout_factory, n):
    with fake_checkout_factory(seed=n) as fake:
        assert fakecheckout.current() is fake
        assert fake.sessions.list()["data"] == []   # nothing from an earlier example
        fake.sessions.create(
            mode="payment",
            line_items=[{"price_data": {"currency": "usd", "unit_amount": 500,
                         "product_data": {"name": "Mug"}}, "quantity": 1}],
            success_url="https://x.test",
        )
        SEEN.append(fake)
    assert not fake.active

def test_every_example_had_its_own_fake():
    assert len(SEEN) == len({id(fake) for fake in SEEN}) > 1
"""


def test_fake_checkout_factory_gives_given_a_fresh_fake_per_example(pytester, plugin_args):  # noqa: F811
    pytester.makepyfile(GIVEN_A_FRESH_FAKE_PER_EXAMPLE)
    # Hypothesis's own plugin is what checks fixtures against @given: keep it on here.
    assert plugin_args[:2] == ["-p", "no:hypothesispytest"]
    pytester.runpytest(*plugin_args[2:], "-p", "no:randomly").assert_outcomes(passed=2)


def test_fake_checkout_in_a_given_test_is_refused_with_the_pattern_to_use(pytester, plugin_args):  # noqa: F811
    pytester.makepyfile(
        """
        from hypothesis import given, strategies as st

        @given(n=st.integers())
        def test_it(fake_checkout, n):
            pass
        """
    )
    result = pytester.runpytest(*plugin_args)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            "*fake_checkout is one fake for the whole test, but @given runs the test body once per example*",
            "*with fake_checkout_factory() as fake:*",
        ]
    )


def test_fake_checkout_in_a_given_test_that_opted_out_of_the_health_check_is_allowed(
    pytester,
    plugin_args,  # noqa: F811
):
    pytester.makepyfile(
        """
        from hypothesis import HealthCheck, given, settings, strategies as st

        @settings(max_examples=3, suppress_health_check=[HealthCheck.function_scoped_fixture])
        @given(n=st.integers())
        def test_it(fake_checkout, n):
            fake_checkout.sessions.list()  # one fake shared by every example, on purpose
        """
    )
    pytester.runpytest(*plugin_args).assert_outcomes(passed=1)


def test_fake_checkout_server_serves_a_fake_over_http(pytester, plugin_args):  # noqa: F811
    pytester.makepyfile(
        """
        import fakecheckout
        import pytest
        import requests

        @pytest.mark.fake_checkout(seed=3)
        def test_it(fake_checkout_server):
            response = requests.get(
                fake_checkout_server.url + "/v1/checkout/sessions",
                headers={"Authorization": "Bearer sk_test_1"},
            )
            assert response.json()["object"] == "list"
            assert fake_checkout_server.fake.account_id == fakecheckout.FakeCheckout(seed=3).account_id
            with pytest.raises(RuntimeError):
                fakecheckout.current()  # served, not intercepting in-process
        """
    )
    pytester.runpytest(*plugin_args).assert_outcomes(passed=1)


def test_fake_checkout_server_reports_unhandled_routes_at_teardown(pytester, plugin_args):  # noqa: F811
    pytester.makepyfile(
        """
        import requests

        def test_it(fake_checkout_server):
            response = requests.get(
                fake_checkout_server.url + "/v1/disputes",
                headers={"Authorization": "Bearer sk_test_1"},
            )
            assert response.status_code == 404
        """
    )
    result = pytester.runpytest(*plugin_args)
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*UnhandledRequestError*", "*GET /v1/disputes*"])
