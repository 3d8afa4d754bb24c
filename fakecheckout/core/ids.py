"""Stripe-looking object ids, reproducible when the fake is given a ``seed``."""

from __future__ import annotations

import os
import random
import string
import threading

BASE62 = string.digits + string.ascii_letters

# Each random byte picks a character (a fake's ids need no perfectly uniform distribution).
BYTE_TO_BASE62 = bytes(ord(BASE62[value % 62]) for value in range(256))

#: Lengths of the random part, as in Stripe's test-mode ids (the seed examples' ``cs_test_a1…`` ids
#: are 66 characters: 8 for the prefix and 58 random).
SESSION_ID_RANDOM_LENGTH = 58


class IdFactory:
    """Makes ids from one ``random.Random``: with a seed, the same calls give the same ids."""

    def __init__(self, seed: int | None = None) -> None:
        # Unseeded: 128 bits from the OS (``Random()`` itself reads 2.5 KB, ~10x slower).
        self._seeded = seed is not None
        self._seed = int.from_bytes(os.urandom(16), "big") if seed is None else seed
        self._random: random.Random | None = None
        """Made from ``_seed`` on first use (seeding costs more than a whole idle fake's start)."""
        self._lock = threading.Lock()

    def _generator(self) -> random.Random:
        generator = self._random
        if generator is None:
            generator = self._random = random.Random(self._seed)
        return generator

    def new(self, prefix: str, length: int = 24) -> str:
        """``prefix`` followed by ``length`` base62 characters."""
        with self._lock:
            raw = self._generator().randbytes(length)
        return prefix + raw.translate(BYTE_TO_BASE62).decode("ascii")

    def first(self, prefix: str, length: int = 24) -> str:
        """An id the world makes as it is made (its account id): from the seeded sequence, as
        ``new``; unseeded, straight from the OS, leaving the sequence unstarted until used."""
        if self._seeded:
            return self.new(prefix, length)
        return prefix + os.urandom(length).translate(BYTE_TO_BASE62).decode("ascii")

    def session_id(self) -> str:
        # Real test-mode session ids start "cs_test_a1" or "cs_test_b1"; keep that look.
        with self._lock:
            raw = self._generator().randbytes(SESSION_ID_RANDOM_LENGTH - 1)
        head = "ab"[raw[0] & 1] + "1"
        return "cs_test_" + head + raw[1:].translate(BYTE_TO_BASE62).decode("ascii")
