"""``Idempotency-Key`` handling for the HTTP door: replay, mismatch, in-flight, 24 h expiry.

Rules (API.md "Idempotency", reference/behaviour.md §7, verified.md §8):

- Keys count on ``POST`` only (``GET`` requests ignore them). A key is scoped to (account, API
  key, key): the same key sent for another ``Stripe-Account`` or with another API key is a
  different key.
- A key may be at most 255 characters; a longer one is a 400 ``idempotency_error``.
- Each stored entry holds a fingerprint of the request (a 16-byte BLAKE2b hash of the method, the
  decoded path and the canonical JSON of the decoded parameters, never the parameters
  themselves), the status and the compressed response body.
- The same key with the same fingerprint replays the stored status and body (the handler adds
  ``Idempotent-Replayed: true``); with another fingerprint it is a 400 ``idempotency_error``.
- While the first request with a key is still executing, another request with that key gets a
  409 ``idempotency_key_in_use``, whatever its parameters.
- Which results are stored: Stripe saves a result "only after the execution of an endpoint
  begins" and not when "incoming parameters fail validation" (API.md: "successful and
  failed-after-validation responses are replayed"). So successes (2xx), 500s, and the errors the
  core raises once the endpoint ran (``StripeError.after_validation``: a missing object, a session
  in the wrong state) are stored; parameter validation errors, auth errors and form decoding errors
  are not, so the client may fix its parameters and retry with the same key.
- Entries are forgotten 24 hours (fake clock) after first use. A heap ordered by first-use time
  prunes them as time passes, at a cost of O(log n) per expired entry, never a scan.

Memory: the stripe SDK puts a fresh key on every ``POST``, so the store grows by one entry per
call for 24 fake-clock hours. Each entry is one ``bytes`` value (fingerprint + status + body
compressed with raw DEFLATE, level 1 in a 4 KB window, against a preset dictionary: the end of the
first body the store kept), keyed by a 16-byte digest of its scope, plus one heap item. The
request log (``fake.requests``) keeps a ``StoredBody`` sharing that value rather than the reply.
"""

from __future__ import annotations

import functools
import hashlib
import heapq
import json
import threading
import zlib
from typing import Any, NamedTuple

from fakecheckout.core import errors

TTL_SECONDS = 24 * 60 * 60
"""How long a key is remembered after its first use."""

MAX_KEY_LENGTH = 255
"""The longest ``Idempotency-Key`` Stripe accepts."""

_DIGEST_SIZE = 16
_STATUS_SIZE = 2
_WINDOW_BITS = 12
_ZDICT_SIZE = 1 << _WINDOW_BITS  # the window: a longer preset dictionary is not used


class Replay(NamedTuple):
    """A stored result to send again."""

    status: int
    body: bytes


class Ticket(NamedTuple):
    """The right to execute a request whose key is now in flight; give it back with ``finish``.
    (Named tuples, not dataclasses: those cost ~0.5 ms each at import.)"""

    scope: bytes
    fingerprint: bytes
    started: int


def should_store(status: int) -> bool:
    """Whether a result with this HTTP status is saved for replay when the caller does not say
    (2xx and 5xx; see the module docstring for the 4xx that are)."""
    return 200 <= status < 300 or status >= 500


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=True)
"""One encoder for every fingerprint (``json.dumps`` builds a new one per call with options)."""


def fingerprint(method: str, template: str, ids: list[str], params: Any) -> bytes:
    """A 16-byte hash of a request: method, route, decoded path ids and canonical parameters."""
    canonical = _CANONICAL.encode([method, template, ids, params])
    return hashlib.blake2b(canonical.encode("ascii"), digest_size=_DIGEST_SIZE).digest()


class StoredBody:
    """A stored reply's body, read back on demand: what ``fake.requests`` keeps of an idempotent
    answer instead of a second, uncompressed copy (it shares the store's bytes, and outlives
    their expiry from the store)."""

    __slots__ = ("_entry", "_zdict")

    def __init__(self, entry: bytes, zdict: bytes) -> None:
        self._entry = entry
        self._zdict = zdict

    def __call__(self) -> bytes:
        return inflate(self._entry[_DIGEST_SIZE + _STATUS_SIZE :], self._zdict)


class IdempotencyStore:
    """The keys one fake has seen, with the results to replay. Thread-safe."""

    def __init__(self, *, ttl: int = TTL_SECONDS) -> None:
        self._ttl = ttl
        self._lock = threading.Lock()
        self._stored: dict[bytes, bytes] = {}
        self._in_flight: dict[bytes, bytes] = {}
        self._heap: list[tuple[int, bytes]] = []
        self._zdict: bytes | None = None

    def __len__(self) -> int:
        """How many keys are remembered, counting those still in flight."""
        with self._lock:
            return len(self._stored) + len(self._in_flight)

    def begin(
        self, *, account: str, api_key: str, key: str, request: bytes, now: int
    ) -> Replay | Ticket:
        """Look ``key`` up for a request with fingerprint ``request`` at time ``now``.

        Returns the ``Replay`` to send, or a ``Ticket`` when the request should execute (the key
        is then in flight until ``finish``). Raises ``errors.IdempotencyError`` for a key that is
        too long (400), used with other parameters (400) or still in flight (409).
        """
        if len(key) > MAX_KEY_LENGTH:
            raise errors.idempotency_key_too_long(key)
        scope = _scope(account, api_key, key)
        with self._lock:
            self._prune(now)
            if scope in self._in_flight:
                raise errors.idempotency_in_flight(key)
            entry = self._stored.get(scope)
            if entry is None:
                self._in_flight[scope] = request
                return Ticket(scope, request, now)
            if entry[:_DIGEST_SIZE] != request:
                raise errors.idempotency_mismatch(key)
            head = _DIGEST_SIZE + _STATUS_SIZE
            status = int.from_bytes(entry[_DIGEST_SIZE:head], "big")
            return Replay(status, self._decompress(entry[head:]))

    def finish(
        self, ticket: Ticket, status: int, body: bytes, *, keep: bool | None = None
    ) -> StoredBody | None:
        """End the request ``ticket`` let through; keep its result if ``keep`` (by default
        ``should_store(status)``). Returns the kept body (to read back later), else ``None``."""
        if not (should_store(status) if keep is None else keep):
            with self._lock:
                self._in_flight.pop(ticket.scope, None)
            return None
        header = ticket.fingerprint + status.to_bytes(_STATUS_SIZE, "big")
        with self._lock:
            entry = header + self._compress(body)
            self._in_flight.pop(ticket.scope, None)
            self._stored[ticket.scope] = entry
            heapq.heappush(self._heap, (ticket.started, ticket.scope))
            assert self._zdict is not None
            return StoredBody(entry, self._zdict)

    def abandon(self, ticket: Ticket) -> None:
        """End the request ``ticket`` let through without keeping anything."""
        with self._lock:
            self._in_flight.pop(ticket.scope, None)

    def _prune(self, now: int) -> None:
        heap = self._heap
        while heap and heap[0][0] + self._ttl <= now:
            _, scope = heapq.heappop(heap)
            self._stored.pop(scope, None)

    def _compress(self, body: bytes) -> bytes:
        if self._zdict is None:
            self._zdict = body[-_ZDICT_SIZE:]
        return pack_against(body, self._zdict)

    def _decompress(self, data: bytes) -> bytes:
        assert self._zdict is not None  # set by the first _compress
        return inflate(data, self._zdict)


@functools.lru_cache(maxsize=8)
def _compressor(zdict: bytes) -> zlib._Compress:
    """A compressor primed with ``zdict``, copied per body (priming costs more than copying).
    Level 1, a 4 KB window and a small hash: against the dictionary (a reply of the same kind)
    it compresses about as well as level 9 in half the time."""
    return zlib.compressobj(
        1, zlib.DEFLATED, -_WINDOW_BITS, 4, zlib.Z_DEFAULT_STRATEGY, zdict=zdict
    )


def pack_against(body: bytes, zdict: bytes) -> bytes:
    """``body`` deflated (raw, level 1) against the preset dictionary ``zdict`` (its last 4 KB:
    the window), for ``inflate``."""
    compressor = _compressor(zdict[-_ZDICT_SIZE:]).copy()
    return compressor.compress(body) + compressor.flush()


def inflate(data: bytes, zdict: bytes) -> bytes:
    """What ``pack_against(body, zdict)`` packed: ``body``."""
    return _inflate(data, zdict[-_ZDICT_SIZE:])


def _inflate(data: bytes, zdict: bytes) -> bytes:
    decompressor = zlib.decompressobj(-15, zdict=zdict)
    return decompressor.decompress(data) + decompressor.flush()


def _scope(account: str, api_key: str, key: str) -> bytes:
    text = "\x00".join((account, api_key, key)).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(text, digest_size=_DIGEST_SIZE).digest()
