"""Request paths with wildcards, as ``fake.fail_next`` and ``fake.requests.filter`` take them.

A pattern is a path such as ``/v1/checkout/sessions/*/expire``: ``*`` stands for any text inside
one path segment (never a ``/``), ``**`` for any text at all, slashes included. Everything else is
literal. The query string is no part of a path: a pattern holding ``?`` is refused. A method of
``"*"`` matches every method; other methods compare case-insensitively.
"""

from __future__ import annotations

import functools
import re


@functools.lru_cache(maxsize=256)
def compile_path(pattern: str) -> re.Pattern[str]:
    """The regular expression of ``pattern`` (``ValueError`` for something that is no path)."""
    given: object = pattern
    if not isinstance(given, str) or not pattern.startswith("/"):
        raise ValueError(
            f"a path pattern starts with '/', like '/v1/checkout/sessions': {pattern!r}"
        )
    if "?" in pattern or "#" in pattern:
        raise ValueError(f"a path pattern holds no query string: {pattern!r}")
    parts = re.split(r"(\*\*|\*)", pattern)
    regex = "".join(
        "[^/]*" if part == "*" else ".*" if part == "**" else re.escape(part) for part in parts
    )
    return re.compile(regex)


def normalize_method(method: str) -> str:
    """``method`` upper-cased (``"*"`` stays the wildcard); ``ValueError`` when it is empty."""
    given: object = method
    if not isinstance(given, str) or not method.strip():
        raise ValueError(f"an HTTP method such as 'POST', or '*' for any: {method!r}")
    return method.strip().upper()


def method_matches(wanted: str, method: str) -> bool:
    """Whether an upper-cased request ``method`` is the ``wanted`` one (or ``wanted`` is ``*``)."""
    return wanted == "*" or wanted == method
