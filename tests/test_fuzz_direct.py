"""Fuzzing the direct API: every method of every ``fake.*`` API object, with any Python value.

The API objects are found by introspection (every public attribute of a fake, and of one of its
connected accounts, whose class name ends in ``API``), so a new resource is fuzzed as soon as it
exists. Each method gets hypothesis-generated arguments for its signature: its positional-only
ids, its named keyword arguments and, for ``**params``, names from the parameter tree and made-up
ones. The values are any Python value a caller might pass: scalars of every type (huge integers,
NaN, bytes, datetimes, Decimals), nested hashes and arrays, values that contain themselves, and
plausible ones (real ids, valid line items) so that calls get deep. Every call must end, within a
timeout, in a result or a ``StripeError``, never in another exception or a hang.

``FAKECHECKOUT_FUZZ_EXAMPLES`` sets the number of examples (default 300) for a longer run.
"""

from __future__ import annotations

import datetime
import decimal
import inspect
import math
import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fakecheckout import FakeCheckout, ManualClock, StripeError
from fakecheckout.core.pagination import PAGING_PARAMETERS
from fakecheckout.core.param_tree import ENDPOINTS
from fakecheckout.core.paramspec import Array, Map, Node, Object, OneOf
from fakecheckout.core.resource import ResourceAPI
from tests.factories import START, payment_params, shirt

TIMEOUT_SECONDS = 5
EXAMPLES = int(os.environ.get("FAKECHECKOUT_FUZZ_EXAMPLES", "300"))
ACCOUNT = "acct_1fuzzdirect"


def api_objects(fake: FakeCheckout) -> dict[str, Any]:
    """``{"sessions": fake.sessions, …, "account.sessions": …}``: every API object of a fake."""
    found: dict[str, Any] = {}
    for prefix, owner in (("", fake), ("account.", fake.account(ACCOUNT))):
        for name in dir(owner):
            if name.startswith("_"):
                continue
            value = getattr(owner, name, None)
            if type(value).__name__.endswith("API"):
                found[prefix + name] = value
    return found


REGISTRY_HOOKS = frozenset(name for name in dir(ResourceAPI) if not name.startswith("_"))
"""What the world and the expander call with the lock held (``lookup``, ``on_due`` …): not the
direct API a user calls."""


def api_methods(fake: FakeCheckout) -> list[tuple[str, str]]:
    """``(api, method)`` for every public method of every API object."""
    return [
        (api_name, method_name)
        for api_name, api in api_objects(fake).items()
        for method_name in dir(api)
        if not method_name.startswith("_")
        and method_name not in REGISTRY_HOOKS
        and callable(getattr(api, method_name))
    ]


def seeded_fake() -> tuple[FakeCheckout, dict[str, list[str]]]:
    """A fake holding a price, a customer and sessions in each status; and their ids."""
    fake = FakeCheckout(clock=ManualClock(START), seed=11, strict=False)
    price = fake.prices.add(unit_amount=2500, currency="usd", product_name="Mug")
    customer = fake.customers.add(email="buyer@example.com")
    sessions = fake.sessions
    open_one = sessions.create(**payment_params(line_items=[{"price": price["id"], "quantity": 1}]))
    done = sessions.complete(sessions.create(**payment_params())["id"], payment_status="unpaid")
    gone = sessions.expire(sessions.create(**payment_params())["id"])
    setup = sessions.create(mode="setup", currency="usd", success_url="https://example.com/ok")
    ids = {
        "sessions": [open_one["id"], done["id"], gone["id"], setup["id"]],
        "events": [event["id"] for event in fake.events.list()["data"]],
        "prices": [price["id"]],
        "customers": [customer["id"]],
        "line_items": [item["id"] for item in sessions.list_line_items(open_one["id"])["data"]],
    }
    return fake, ids


KNOWN_METHODS = api_methods(seeded_fake()[0])
_, KNOWN_IDS = seeded_fake()
ALL_IDS = [identifier for group in KNOWN_IDS.values() for identifier in group]


def _tree_names(node: Node, depth: int = 0) -> Iterator[str]:
    """The field names anywhere in a parameter tree (a few levels deep)."""
    if depth > 4:
        return
    if isinstance(node, Object):
        for name, spec in node.fields.items():
            yield name
            yield from _tree_names(spec.node, depth + 1)
    elif isinstance(node, (Array, Map)):
        yield from _tree_names(node.items if isinstance(node, Array) else node.values, depth + 1)
    elif isinstance(node, OneOf):
        for option in node.options:
            yield from _tree_names(option, depth + 1)


PARAM_NAMES = sorted({name for root in ENDPOINTS.values() for name in _tree_names(root)})


# --- values ----------------------------------------------------------------------------------


def _cyclic_dict(inner: Any) -> dict[Any, Any]:
    value: dict[Any, Any] = {"x": inner}
    value["self"] = value
    return value


def _cyclic_list(inner: Any) -> list[Any]:
    value: list[Any] = [inner]
    value.append(value)
    return value


def _shared(inner: Any) -> list[Any]:
    return [inner, inner, {"again": inner}]


class _Weird:
    """An object of a type no caller should pass, whose ``str``, ``hash`` and ``==`` fail."""

    def __str__(self) -> str:
        raise RuntimeError("no str")

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("no ==")

    def __hash__(self) -> int:
        raise RuntimeError("no hash")

    def __repr__(self) -> str:
        return "_Weird()"


_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([2**63, -(2**63) - 1, 2**64, 0, -1, 10**19]),
    st.integers(4300, 6000).map(lambda digits: 10**digits),  # too long for ``str``
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([math.nan, math.inf, -math.inf, -0.0, 1e308, 5e-324]),
    st.text(max_size=20),
    st.sampled_from(["", " ", "x" * 6000, "\x00", "🦄", "usd", "payment", "line_items"]),
    st.binary(max_size=10),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from([decimal.Decimal("1E+5000"), decimal.Decimal("sNaN"), decimal.Decimal("1.5")]),
    st.datetimes(timezones=st.one_of(st.none(), st.just(datetime.timezone.utc))),
    st.sampled_from([datetime.date(2030, 1, 1), datetime.timedelta(days=1), object()]),
    st.builds(_Weird),
    st.sampled_from(ALL_IDS),
    st.complex_numbers(max_magnitude=10),
)

_plausible = st.sampled_from(
    [
        [shirt()],
        [shirt(), shirt(quantity=3)],
        shirt(),
        {"order": "1"},
        ["line_items"],
        ["line_items", "data.line_items"],
        {"gte": START},
        "https://example.com/ok",
    ]
)

values: st.SearchStrategy[Any] = st.recursive(
    st.one_of(_scalars, _plausible),
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.lists(children, max_size=3).map(tuple),
        st.dictionaries(
            st.one_of(st.sampled_from(PARAM_NAMES), st.text(max_size=8), st.integers(), st.none()),
            children,
            max_size=4,
        ),
        children.map(_cyclic_dict),
        children.map(_cyclic_list),
        children.map(_shared),
        st.frozensets(st.integers(), max_size=3),
    ),
    max_leaves=12,
)


def _changed(item: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    """A copy of ``item`` with the value at ``path`` replaced."""
    copy = {**item}
    if len(path) == 1:
        copy[path[0]] = value
    else:
        copy[path[0]] = _changed(copy.get(path[0]) or {}, path[1:], value)
    return copy


_LINE_ITEM_PATHS = [
    ("quantity",),
    ("price",),
    ("price_data",),
    ("price_data", "currency"),
    ("price_data", "unit_amount"),
    ("price_data", "unit_amount_decimal"),
    ("price_data", "product_data"),
    ("price_data", "product_data", "name"),
    ("price_data", "recurring"),
    ("price_data", "recurring", "interval"),
    ("adjustable_quantity",),
    ("adjustable_quantity", "enabled"),
    ("adjustable_quantity", "maximum"),
    ("tax_rates",),
    ("metadata",),
]
_line_items = st.one_of(
    st.builds(shirt),
    st.builds(
        _changed, st.builds(shirt), st.sampled_from(_LINE_ITEM_PATHS), st.deferred(lambda: values)
    ),
)


@st.composite
def calls(draw: st.DrawFn) -> tuple[str, str, list[Any], dict[str, Any]]:
    """``(api, method, args, kwargs)`` fitting the method's signature (sometimes not)."""
    fake, _ = seeded_fake()
    api_name, method_name = draw(st.sampled_from(KNOWN_METHODS))
    method = getattr(api_objects(fake)[api_name], method_name)
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for parameter in inspect.signature(method).parameters.values():
        if parameter.kind is parameter.POSITIONAL_ONLY:
            args.append(draw(st.one_of(st.sampled_from(ALL_IDS), values)))
        elif parameter.kind is parameter.VAR_KEYWORD:
            if draw(st.booleans()):  # a valid request with a few values changed: calls get deep
                kwargs.update(payment_params(line_items=draw(st.lists(_line_items, max_size=3))))
            kwargs.update(
                draw(
                    st.dictionaries(
                        st.one_of(st.sampled_from(PARAM_NAMES), st.text(min_size=1, max_size=8)),
                        values,
                        max_size=4,
                    )
                )
            )
        elif parameter.kind is parameter.VAR_POSITIONAL:
            args.extend(draw(st.lists(values, max_size=2)))
        elif draw(st.booleans()) or parameter.default is parameter.empty:
            kwargs[parameter.name] = draw(values)
    if draw(st.integers(0, 99)) == 37:  # a positional argument too many, or one missing
        args = args[:-1] if args and draw(st.booleans()) else [*args, draw(values)]
    return api_name, method_name, args, kwargs


# --- the timeout -----------------------------------------------------------------------------


class Hang(Exception):
    """A direct-API call ran past ``TIMEOUT_SECONDS``."""


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Raise ``Hang`` in the calling (main) thread after ``seconds``; elsewhere no limit."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise Hang(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- the properties --------------------------------------------------------------------------


def call_once(api_name: str, method_name: str, args: list[Any], kwargs: dict[str, Any]) -> object:
    """Run one call on a fresh seeded fake: its result, or the ``StripeError`` it raised."""
    fake, _ = seeded_fake()
    method: Callable[..., Any] = getattr(api_objects(fake)[api_name], method_name)
    with time_limit(TIMEOUT_SECONDS):
        try:
            return method(*args, **kwargs)
        except StripeError as error:
            return error
        except TypeError as error:
            # Python's own argument binding (a missing or extra argument) is the caller's
            # mistake, as for any function; a TypeError from inside the fake is not.
            if _is_binding_error(method, args, kwargs) or _is_paging_all(method_name, kwargs):
                return error
            raise


def _is_paging_all(method_name: str, kwargs: dict[str, Any]) -> bool:
    """``all()`` refuses paging parameters with a ``TypeError``, as a signature would."""
    return method_name == "all" and bool(PAGING_PARAMETERS.intersection(kwargs))


def _is_binding_error(method: Callable[..., Any], args: list[Any], kwargs: dict[str, Any]) -> bool:
    try:
        inspect.signature(method).bind(*args, **kwargs)
    except TypeError:
        return True
    return False


def test_every_api_method_is_found_by_introspection():
    names = {f"{api}.{method}" for api, method in KNOWN_METHODS}
    assert {"sessions.create", "sessions.complete", "events.list", "prices.add"} <= names
    assert "account.customers.add" in names


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(calls())
def test_every_direct_api_call_ends_in_a_result_or_a_stripe_error(call):
    api_name, method_name, args, kwargs = call
    outcome = call_once(api_name, method_name, args, kwargs)
    assert isinstance(outcome, (dict, list, StripeError, TypeError)), outcome  # list: all()
    if isinstance(outcome, StripeError):
        assert outcome.to_dict()["error"]["message"]
        assert len(outcome.message) <= 6000


@pytest.mark.parametrize(("api_name", "method_name"), KNOWN_METHODS)
def test_each_method_refuses_a_cyclic_value_in_each_argument_promptly(api_name, method_name):
    fake, _ = seeded_fake()
    method = getattr(api_objects(fake)[api_name], method_name)
    for parameter in inspect.signature(method).parameters.values():
        if parameter.kind in (parameter.VAR_POSITIONAL,):
            continue
        cyclic = _cyclic_dict("x")
        if parameter.kind is parameter.POSITIONAL_ONLY:
            args: list[Any] = [cyclic]
            kwargs: dict[str, Any] = {}
        elif parameter.kind is parameter.VAR_KEYWORD:
            args, kwargs = [ALL_IDS[0]] * _positional_count(method), {"metadata": cyclic}
        else:
            args, kwargs = [ALL_IDS[0]] * _positional_count(method), {parameter.name: cyclic}
        outcome = call_once(api_name, method_name, args, kwargs)
        assert isinstance(outcome, (StripeError, TypeError)), (parameter.name, outcome)


def _positional_count(method: Callable[..., Any]) -> int:
    return sum(p.kind is p.POSITIONAL_ONLY for p in inspect.signature(method).parameters.values())
