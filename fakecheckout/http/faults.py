"""``fake.fail_next``: failures injected in place of the next matching requests.

A rule matches a request by method and path (``path_patterns``: ``*`` within a segment, ``**``
across). The handler asks ``Faults.take`` first thing for each request (after the checks of a
request that could never reach Stripe: an unsafe header, another Stripe host); the rule found
answers instead of the endpoint, so nothing runs and nothing is stored: no object, no event, no
``Idempotency-Key`` (a retry with the same key runs, as at Stripe, which saves no result for a
request that never began executing). Rules are used oldest first; each one answers ``times``
requests, then is spent.

What a rule answers (the envelope is Stripe's, with its ``Request-Id`` and headers):

- ``status=500`` (or another 5xx): ``api_error``, ``Stripe-Should-Retry: false`` as every Stripe
  error sends, so stripe-python does not retry it by itself;
- ``status=429``: ``rate_limit`` (``error=None`` or ``"rate_limit"``), with
  ``Stripe-Should-Retry: false``: stripe-python does not retry a rate limit, Stripe's SDKs leave
  it to the integration; ``error="lock_timeout"`` is the 429 that Stripe's SDKs do retry, so it
  says ``Stripe-Should-Retry: true`` and the SDK's own retry (``max_network_retries``) runs;
- ``status=402``: a ``card_error`` whose ``code`` is ``error`` (``card_declined`` by default): a
  card error code (``expired_card``, ``incorrect_cvc``, ``processing_error``…) or a decline code
  (``insufficient_funds``, ``lost_card``…), which is sent as ``card_declined`` with that
  ``decline_code``;
- ``error="connection"`` (any ``status``): no answer at all. The handler raises
  ``InjectedConnectionError`` (a ``ConnectionError``); each front door turns it into its client
  library's own connection error, and the server drops the connection.
"""

from __future__ import annotations

import errno
import threading
from dataclasses import dataclass, field

from fakecheckout.core import errors
from fakecheckout.http.path_patterns import compile_path, method_matches, normalize_method

CONNECTION = "connection"
"""The ``error`` of a network failure."""


class InjectedConnectionError(ConnectionError):
    """A connection failure injected by ``fake.fail_next(..., error="connection")``.

    ``fake.handle`` raises it instead of answering; a front door raises its client library's own
    error in its place (``requests.ConnectionError``, ``httpx.ConnectError``,
    ``urllib.error.URLError``, ``aiohttp.ClientConnectorError``).
    """


@dataclass
class FailureRule:
    """One ``fail_next`` call: what it matches, what it answers, how many answers are left."""

    method: str
    path: str
    status: int
    error: str | None
    times: int
    remaining: int = field(init=False)

    def __post_init__(self) -> None:
        self.remaining = self.times
        self._pattern = compile_path(self.path)

    def matches(self, method: str, path: str) -> bool:
        return method_matches(self.method, method) and self._pattern.fullmatch(path) is not None

    def stripe_error(self) -> errors.StripeError:
        """The error this rule answers with (raises ``InjectedConnectionError`` for a network
        failure)."""
        if self.error == CONNECTION:
            raise InjectedConnectionError(
                errno.ECONNREFUSED,
                f"fakecheckout failed the connection as fake.fail_next({self}) asked",
            )
        if self.status == 402:
            return errors.card_error(self.error or "card_declined")
        if self.status == 429:
            return errors.lock_timeout() if self.error == "lock_timeout" else errors.rate_limited()
        return errors.injected_api_error(self.status)

    @property
    def should_retry(self) -> bool:
        """Whether the answer says ``Stripe-Should-Retry: true`` (a lock timeout)."""
        return self.status == 429 and self.error == "lock_timeout"

    def __str__(self) -> str:
        what = self.error if self.error == CONNECTION else f"{self.status} {self.error or ''}"
        return (
            f"{self.method} {self.path} -> {what.strip()} ({self.remaining} of {self.times} left)"
        )


_STATUS_ERRORS: dict[int, tuple[str | None, ...]] = {
    402: (None, *errors.CARD_ERROR_CODES, *errors.DECLINE_CODES),
    429: (None, "rate_limit", "lock_timeout"),
}


def new_rule(method: str, path: str, *, status: int, error: str | None, times: int) -> FailureRule:
    """A checked rule (``ValueError``/``TypeError`` for what no failure could mean)."""
    wanted = normalize_method(method)
    given: tuple[object, object] = (times, status)
    if not _is_count(given[0]) or times < 1:
        raise ValueError(f"times must be a whole number >= 1: {times!r}")
    if not _is_count(given[1]):
        raise TypeError(f"status must be an int: {status!r}")
    if error != CONNECTION:
        if status in _STATUS_ERRORS:
            if error not in _STATUS_ERRORS[status]:
                choices = ", ".join(repr(e) for e in _STATUS_ERRORS[status] if e is not None)
                raise ValueError(f"error for status {status} is one of {choices}: {error!r}")
        elif 500 <= status <= 599:
            if error is not None:
                raise ValueError(f"a {status} takes no error (it is an api_error): {error!r}")
        else:
            raise ValueError(
                f"fail_next injects a 402, a 429 or a 5xx, or error='connection': {status!r}"
            )
    return FailureRule(wanted, path, status, error, times)


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class Faults:
    """The pending ``fail_next`` rules of one fake. Thread-safe; ``take`` costs nothing while
    no rule is pending."""

    def __init__(self) -> None:
        self._rules: list[FailureRule] = []
        self._lock = threading.Lock()

    def add(self, rule: FailureRule) -> None:
        with self._lock:
            self._rules.append(rule)

    def take(self, method: str, path: str) -> FailureRule | None:
        """The oldest pending rule matching the request, one of its answers used up; else
        ``None``."""
        if not self._rules:
            return None
        with self._lock:
            for rule in self._rules:
                if rule.matches(method, path):
                    rule.remaining -= 1
                    if rule.remaining == 0:
                        self._rules.remove(rule)
                    return rule
        return None

    @property
    def pending(self) -> list[FailureRule]:
        """The rules with answers left, oldest first."""
        with self._lock:
            return list(self._rules)

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()
