"""Stripe's ``application/x-www-form-urlencoded`` codec, with no knowledge of any schema.

``decode`` turns a request body or a query string into nested ``dict``/``list`` values whose
leaves are all ``str``; ``params.validate`` later coerces them against the parameter tree.
``encode`` is the inverse, byte for byte what stripe-python 16.1.0 sends.

Decoding rules (Rack's, which Stripe's bracket syntax follows, where they are sensible):

- Pairs are separated by ``&`` only (not ``;``); empty pairs (``a=1&&b=2``) are skipped. A pair
  without ``=`` is a name with an empty value (``a`` ≡ ``a=``).
- Names and values are percent-decoded after splitting (``+`` is a space), so ``a%5Bb%5D=1`` and
  ``a[b]=1`` are the same pair, while ``%26`` and ``%3D`` never split anything. The bytes are then
  decoded as UTF-8 with undecodable bytes replaced by U+FFFD, so no input raises ``UnicodeError``.
- Every bracketed key becomes a ``dict`` keyed by the text inside the brackets: ``a[0]=x`` is
  ``{"a": {"0": "x"}}``. Turning ``"0".."n-1"`` keys into lists, and reporting keys that are not
  sequential, is the validator's job: only it knows which parameters are arrays.
- ``[]`` appends to a list: ``expand[]=a&expand[]=b`` is ``{"expand": ["a", "b"]}``. When more
  follows the ``[]``, Rack's rule picks the element: the name continues in the last element if
  that is a hash and the rest of the name does not already exist in it (a rest containing another
  ``[]`` never "exists"); otherwise a new element starts. So ``a[][x]=1&a[][y]=2&a[][x]=3`` is
  ``[{"x": "1", "y": "2"}, {"x": "3"}]`` and ``a[][]=1&a[][]=2`` is ``[["1"], ["2"]]``.
- A repeated name (``a=1&a=2``, ``a[b]=1&a[b]=2``) keeps the **last** value, as Rack does.
- One name used both as a scalar and as a hash or array (``a=1&a[b]=2``, in either order), or as a
  hash and an ``[]`` array (``a[b]=1&a[]=2``), is a 400 ``invalid_request_error`` whose ``param``
  is the bracket name of the conflicting node (list positions appear as indices, ``a[0][x]``).

Bounds and malformed names (fakecheckout's choices; Stripe's behaviour here is unverified):

- A name must be ``base[key1][key2]…`` where ``base`` is non-empty and no part contains a square
  bracket (Stripe's docs forbid ``[``/``]`` in metadata keys). Anything else (``=x``, ``[x]=1``,
  ``a[]]=``, ``a[b=1``, ``a]=1``, ``a[b]c=1``, ``a[b[c]]=1``) is a 400 ``Invalid parameter name``.
- At most ``MAX_DEPTH`` (32) bracket pairs per name and ``MAX_PAIRS`` (10,000) pairs per input;
  more is a 400.

``decode`` runs in time linear in the size of its input and raises nothing but ``StripeError``.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import re
import time
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import unquote_to_bytes, urlencode

from fakecheckout.core import errors

MAX_DEPTH = 32
"""The most bracket pairs one name may have (``a[b][c]`` has 2). Stripe's own bound is unknown."""

MAX_PAIRS = 10_000
"""The most ``name=value`` pairs one body or query string may hold (empty pairs not counted)."""

# A well-formed name: a non-empty base without brackets, then zero or more ``[key]`` or ``[]``.
_NAME = re.compile(r"[^\[\]]+((?:\[[^\[\]]*\])*)")
_SEGMENT = re.compile(r"\[([^\[\]]*)\]")


def decode(text: str | bytes) -> dict[str, Any]:
    """Decode a form body or a query string (without ``?``) into nested dicts and lists of str.

    See the module docstring for the rules. Raises ``errors.InvalidRequestError`` (HTTP 400) for a
    malformed or conflicting name or an input over the bounds, and never any other exception.
    """
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else bytes(text)
    chunks = [chunk for chunk in data.split(b"&") if chunk]
    if len(chunks) > MAX_PAIRS:
        raise errors.too_many_parameters(MAX_PAIRS)
    root: dict[str, Any] = {}
    for chunk in chunks:
        raw_name, _, raw_value = chunk.partition(b"=")
        base, segments = _name(raw_name)
        value = _value(raw_value) if len(raw_value) <= _SHARED_VALUE_SIZE else _unquote(raw_value)
        _insert(root, base, segments, value)
    return root


_SHARED_VALUE_SIZE = 64


@functools.lru_cache(maxsize=4096)
def _value(raw_value: bytes) -> str:
    """A short value, percent-decoded once: the same ``mode``, URL or metadata value sent again
    and again is then one ``str`` that every stored object holding it shares."""
    return _unquote(raw_value)


@functools.lru_cache(maxsize=4096)
def _name(raw_name: bytes) -> tuple[str, tuple[str, ...]]:
    """A pair's raw name, percent-decoded and split (``a[b][]`` is ``("a", ("b", ""))``).

    Remembered: clients send the same few hundred names again and again, and decoding and
    splitting a name costs more than inserting its value. A malformed name raises each time
    (exceptions are not cached)."""
    name = _unquote(raw_name)
    if "[" not in name and "]" not in name:
        if not name:
            raise errors.invalid_parameter_name(name)
        return name, ()
    return _parse_name(name)


def encode(params: Mapping[str, Any]) -> str:
    """Encode ``params`` exactly as stripe-python 16.1.0 does for a v1 body or query string.

    Nested mappings become ``key[sub]=…``; lists and tuples are always indexed
    (``expand[0]=…``); ``None`` is skipped; ``True``/``False`` become ``true``/``false``;
    ``datetime`` becomes an integer epoch; an object with an ``id`` attribute becomes its id;
    empty lists and mappings produce no pair at all. Everything is percent-encoded (a space is
    ``+``) except square brackets, which the SDK turns back into literals. Like the SDK, a scalar
    directly inside a list is sent with ``str()`` (``[True]`` → ``a[0]=True``, ``[None]`` →
    ``a[0]=None``). Unlike the SDK, any ``Mapping`` (not only ``dict``) counts as a hash.
    """
    encoded = urlencode(list(_encode_mapping(params, None)))
    return encoded.replace("%5B", "[").replace("%5D", "]")


# --- decoding -----------------------------------------------------------------------------------


def _unquote(raw: bytes) -> str:
    if b"+" in raw:
        raw = raw.replace(b"+", b" ")
    if b"%" in raw:
        raw = unquote_to_bytes(raw)
    return raw.decode("utf-8", "replace")


def _parse_name(name: str) -> tuple[str, tuple[str, ...]]:
    """Split ``a[b][]`` into ``("a", ["b", ""])``, where ``""`` stands for ``[]``."""
    match = _NAME.fullmatch(name)
    if match is None:
        raise errors.invalid_parameter_name(name)
    brackets = match.group(1)
    base = name[: match.start(1)]
    if brackets.count("[") > MAX_DEPTH:
        raise errors.parameter_too_deep(base, MAX_DEPTH)
    return base, tuple(_SEGMENT.findall(brackets))


def _insert(root: dict[str, Any], base: str, segments: tuple[str, ...], value: str) -> None:
    """Put ``value`` at ``base[segments…]``, creating hashes and lists on the way."""
    if not segments:  # a plain name: the common case, and the cheapest
        existing = root.get(base)
        if existing is not None and type(existing) is not str:
            raise _conflict([base], existing, wanted="scalar")
        root[base] = value
        return
    path = [base]  # the keys and list positions walked so far, for error names
    holder = root  # the hash that holds ``child`` under ``key``
    key = base
    child: Any = root.get(base)
    last = len(segments) - 1
    for index, segment in enumerate(segments):
        # ``child`` is None only when it was looked up in ``holder``: list elements always exist.
        if segment:
            if child is None:
                child = holder[key] = {}
            elif type(child) is not dict:
                raise _conflict(path, child, wanted="hash")
            holder, key = child, segment
            child = holder.get(key)
            path.append(segment)
            continue
        if child is None:
            child = holder[key] = []
        elif type(child) is not list:
            raise _conflict(path, child, wanted="array")
        if index == last:
            child.append(value)
            return
        following = segments[index + 1]
        if (
            following
            and child
            and type(child[-1]) is dict
            and not _has_path(child[-1], segments, index + 1)
        ):
            element: Any = child[-1]
        else:
            element = {} if following else []
            child.append(element)
        path.append(str(len(child) - 1))
        child = element
    if child is not None and type(child) is not str:
        raise _conflict(path, child, wanted="scalar")
    holder[key] = value


def _has_path(element: dict[str, Any], segments: tuple[str, ...], start: int) -> bool:
    """Rack's test for starting a new ``[]`` element: does ``segments[start:]`` already exist?"""
    current: Any = element
    for segment in segments[start:]:
        if not segment:
            return False
        if type(current) is not dict or segment not in current:
            return False
        current = current[segment]
    return True


def _conflict(path: list[str], existing: object, *, wanted: str) -> errors.StripeError:
    """``existing`` sits where the name needs a ``wanted`` ("hash", "array" or "scalar")."""
    name = path[0] + "".join(f"[{key}]" for key in path[1:])
    if wanted == "hash" or type(existing) is dict:
        return errors.mixed_array_and_hash(name)
    return errors.mixed_scalar_and_array(name)


# --- encoding (mirrors stripe/_encode.py:_api_encode) -------------------------------------------


def _encode_mapping(data: Any, prefix: str | None) -> Iterator[tuple[str, Any]]:
    items = data._data.items() if hasattr(data, "_data") else data.items()
    for key, value in items:
        yield from _encode_value(key if prefix is None else f"{prefix}[{key}]", value)


def _encode_value(name: str, value: Any) -> Iterator[tuple[str, Any]]:
    if value is None:
        return
    if hasattr(value, "id"):
        yield name, value.id
    elif isinstance(value, (list, tuple)):
        for position, item in enumerate(value):
            item_name = f"{name}[{position}]"
            if isinstance(item, Mapping) or hasattr(item, "_data"):
                yield from _encode_mapping(item, item_name)
            elif isinstance(item, (list, tuple)):
                yield from _encode_mapping(dict(enumerate(item)), item_name)
            else:
                yield item_name, item
    elif isinstance(value, Mapping) or hasattr(value, "_data"):
        yield from _encode_mapping(value, name)
    elif isinstance(value, datetime.datetime):
        yield name, _epoch(value)
    elif isinstance(value, bool):
        yield name, "true" if value else "false"
    else:
        yield name, value


def _epoch(moment: datetime.datetime) -> int:
    """As the SDK does it: aware datetimes in UTC, naive ones in local time."""
    if moment.tzinfo and moment.tzinfo.utcoffset(moment) is not None:
        return calendar.timegm(moment.utctimetuple())
    return int(time.mktime(moment.timetuple()))
