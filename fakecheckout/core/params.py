"""The one validation layer: checks and coerces request parameters against the parameter tree.

Both front doors meet here. The direct API hands over Python values as the ``stripe`` SDK's keyword
arguments take them; the HTTP door hands over the form decoder's output, whose leaves are all
strings and whose bracketed keys are all hashes (``expand[0]=a`` is ``{"expand": {"0": "a"}}``).
A Python value is judged by what the SDK would send for it (``True`` is ``"true"``, ``5`` is
``"5"``, a ``Decimal`` its ``str``, an aware ``datetime`` its Unix seconds), so ``"5"`` and ``5``
are the same integer on both doors and every error is the same. ``None`` means "not given", and
so does a hash or array with nothing to send inside (``{}``, ``[]``, ``{"a": None}``): the SDK
leaves it out of the request. ``""`` is "unset", accepted only where Stripe accepts it.

Errors name the parameter in Stripe's bracket form (``line_items[0][price_data][currency]``).
Whatever comes in, ``validate`` raises nothing but ``StripeError``.

https://docs.stripe.com/api/checkout/sessions
"""

from __future__ import annotations

import calendar
import datetime
import functools
import math
import re
import time
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from . import errors, versions
from .contextual import Setting
from .currencies import SUPPORTED, is_supported
from .versioned import to_stored

if TYPE_CHECKING:  # imported on first validation: ``import fakecheckout`` builds no tree types
    from .paramspec import Enum, Map, Node, Object, OneOf

MAX_STRING_LENGTH = 5000
METADATA_MAX_KEYS = 50
METADATA_MAX_KEY_LENGTH = 40
METADATA_MAX_VALUE_LENGTH = 500
MAX_DECIMAL_PLACES = 12
"""``unit_amount_decimal`` (the tree's only decimals) takes "at most 12 decimal places"."""
INTEGER_MIN = -(2**63)
INTEGER_MAX = 2**63 - 1

_INTEGER = re.compile(r"-?[0-9]{1,19}")
# Plain decimal notation, or the exponent form ``str(Decimal)`` produces for small and large
# values (``1E-7``), with the exponent kept short so that normalizing stays cheap.
_DECIMAL = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]{1,2})?")
_URL_FORBIDDEN = re.compile(r"[\s\x00-\x1f\x7f<>\"\\^`|]")
_HOST = re.compile(r"[\w.:-]+")

_Checker = Callable[[Any, str], Any]


def validate(
    endpoint: str, raw: Mapping[str, Any], *, version: str | None = None
) -> dict[str, Any]:
    """Check ``raw`` against ``endpoint``'s parameter tree at an API version; return it coerced.

    ``endpoint`` is a key of ``param_tree.ENDPOINTS``: ``create``, ``update``, ``list``,
    ``retrieve``, ``expire``, ``list_line_items`` (Checkout Sessions), ``events.list``,
    ``events.retrieve``, ``customers.create`` and the like. ``version`` defaults to the current
    operation's (``versions.current()``); parameters of an older version that the object stores
    otherwise are translated to the stored form (``versioned.to_stored``). The result holds only the parameters given (no defaults), with integers
    as ``int``, booleans as ``bool``, decimals as normalized strings, currencies in lowercase and
    arrays as lists. Raises a ``StripeError`` for the first problem found, depth first in the
    order given. An unknown ``endpoint`` or a ``raw`` that is not a mapping is a programming error
    (``ValueError`` / ``TypeError``), not a request error.
    """
    if version is None:
        version = versions.current()
    try:
        check = _checker_at(endpoint, version)
    except KeyError:
        from .param_tree import endpoint_names

        names = ", ".join(endpoint_names())
        raise ValueError(f"unknown endpoint {endpoint!r}; one of {names}") from None
    if not isinstance(raw, (dict, Mapping)):
        raise TypeError(f"parameters must be a mapping, not {type(raw).__name__}")
    if not _TREES_ONLY.get():
        cyclic = _cycle_in(raw)
        if cyclic is not None:
            raise errors.cyclic_value(cyclic)
    result: dict[str, Any] = check(raw, "")
    return to_stored(endpoint, result, version)


_TREES_ONLY: ContextVar[bool] = ContextVar("fakecheckout_trees_only", default=False)


def trees_only(on: bool = True) -> Setting[bool]:
    """Within ``trees_only()`` every input ``validate`` sees is a tree: an HTTP request's
    decoded form, or what the fake builds while answering it. No container can hold itself, so
    the cycle walk that direct-API input needs is skipped. ``trees_only(False)`` puts the walk
    back, for user code run meanwhile (webhook callbacks)."""
    return Setting(_TREES_ONLY, on)


def _cycle_in(raw: Mapping[str, Any]) -> str | None:
    """The bracket name of the first hash or array that contains itself, or ``None``.

    A depth-first walk (last child first) that visits each container once, so values shared
    between branches cost nothing twice. Recursive while the nesting is shallow (every real
    request: cheap), iterative beyond ``_RECURSION_LIMIT`` levels so that no depth can exhaust the
    stack; both walks visit in the same order and name the same container.
    """
    try:
        return _cycle_recursive(raw, "", set(), set(), 0)
    except _TooDeep:
        return _cycle_iterative(raw)


_RECURSION_LIMIT = 64
_LEAF_TYPES = frozenset({str, int, bool, float, type(None)})


class _TooDeep(Exception):
    """The recursive cycle walk went deeper than ``_RECURSION_LIMIT``."""


def _cycle_recursive(
    value: Any, name: str, on_path: set[int], done: set[int], depth: int
) -> str | None:
    if depth > _RECURSION_LIMIT:
        raise _TooDeep
    leaves = _LEAF_TYPES
    elements = value.items() if isinstance(value, (dict, Mapping)) else enumerate(value)
    children = [
        (key, element)
        for key, element in elements
        if type(element) not in leaves and isinstance(element, (dict, list, tuple, Mapping))
    ]
    if not children:
        done.add(id(value))
        return None
    on_path.add(id(value))
    for key, element in reversed(children):
        child = id(element)
        if child in on_path:
            return _join(name, _key(key))
        if child in done:
            continue
        found = _cycle_recursive(element, _join(name, _key(key)), on_path, done, depth + 1)
        if found is not None:
            return found
    on_path.discard(id(value))
    done.add(id(value))
    return None


def _cycle_iterative(raw: Mapping[str, Any]) -> str | None:
    on_path: set[int] = set()
    done: set[int] = set()
    pending: list[tuple[object, str, bool]] = [(raw, "", False)]
    while pending:
        value, name, leaving = pending.pop()
        if leaving:
            on_path.discard(id(value))
            done.add(id(value))
            continue
        if id(value) in on_path:
            return name
        if id(value) in done:
            continue
        on_path.add(id(value))
        pending.append((value, name, True))
        container: Any = value
        elements = (
            container.items() if isinstance(container, (dict, Mapping)) else enumerate(container)
        )
        for key, element in elements:
            if isinstance(element, (dict, list, tuple, Mapping)):
                pending.append((element, _join(name, _key(key)), False))
    return None


# --- how Python values look on the wire -------------------------------------------------------


def _text(value: object) -> str | None:
    """The text stripe-python sends for a scalar, or ``None`` for anything it does not send as
    text (hashes, arrays, bytes, other objects)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        # ``str`` refuses integers of more than 4300 digits; none of them is valid anyway.
        return str(value) if value.bit_length() <= 4000 else None
    if isinstance(value, (float, Decimal)):
        return str(value)
    if isinstance(value, datetime.datetime):
        return _epoch(value)
    return None


def _epoch(moment: datetime.datetime) -> str | None:
    """A ``datetime`` as stripe-python sends it: Unix seconds (a naive one read as local time)."""
    try:
        if moment.tzinfo is not None and moment.utcoffset() is not None:
            return str(calendar.timegm(moment.utctimetuple()))
        return str(int(time.mktime(moment.timetuple())))
    except (OverflowError, ValueError, OSError):
        return None


def _shown(value: object) -> str:
    text = _text(value)
    return text if text is not None else errors.shown(value)


def _key(key: object) -> str:
    """A hash key as the SDK writes it between brackets (``"%s[%s]"``, so ``str``)."""
    if isinstance(key, str):
        return key
    if isinstance(key, (float, Decimal)) or isinstance(key, int) and key.bit_length() <= 4000:
        return str(key)
    return errors.shown(key)


def _join(name: str, key: str) -> str:
    return f"{name}[{key}]" if name else key


def _sends_nothing(value: object) -> bool:
    """Whether stripe-python leaves ``value`` out of the request altogether, so that the
    parameter is not given: ``None``, and hashes and arrays with nothing to send inside
    (``{}``, ``[]``, ``{"a": None}``, ``[{}]``). A ``None`` item of an array is sent (as
    ``"None"``). Iterative, and it stops at the first value that would be sent."""
    pending = [value]
    seen: set[int] = set()  # a container shared between branches is looked into once
    while pending:
        item = pending.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, (dict, Mapping)):
            for element in item.values():
                if element is None:
                    continue
                if not isinstance(element, (dict, list, tuple, Mapping)):
                    return False  # a scalar inside: sent (the common case, found at once)
                pending.append(element)
        elif isinstance(item, (list, tuple)):
            for element in item:
                if not isinstance(element, (dict, list, tuple, Mapping)):
                    return False
                pending.append(element)
        elif item is not None:
            return False
    return True


def _is_sent(value: object) -> bool:
    """Whether the SDK sends a hash value (``None`` and empty containers it leaves out)."""
    if type(value) is str:  # the common case, on the HTTP door always
        return True
    return value is not None and _is_sent_item(value)


def _is_sent_item(value: object) -> bool:
    """Whether the SDK sends an array item: ``None`` is sent (and then refused), an empty
    container is not."""
    if type(value) is dict:  # a decoded form's hash holds a string almost always: sent
        for element in value.values():
            if type(element) is str:
                return True
    return not (isinstance(value, (dict, list, tuple, Mapping)) and _sends_nothing(value))


# --- scalars ----------------------------------------------------------------------------------


def _string(value: Any, name: str) -> str:
    text = _text(value)
    if text is None:
        raise errors.invalid_string(name, _shown(value))
    if len(text) > MAX_STRING_LENGTH:
        raise errors.string_too_long(name, MAX_STRING_LENGTH)
    return text


def _integer(value: Any, name: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        text = _text(value)
        if text is None or not _INTEGER.fullmatch(text):
            raise errors.invalid_integer(name, _shown(value))
        number = int(text)
    if not INTEGER_MIN <= number <= INTEGER_MAX:
        raise errors.invalid_integer(name, _shown(value))
    return number


def _boolean(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value in ("true", "false"):
        return value == "true"
    raise errors.invalid_boolean(name, _shown(value))


def _decimal_text(value: Any) -> str | None:
    """``value`` as a normalized decimal string (``"1.50"`` → ``"1.5"``), or ``None``."""
    text = _text(value)
    if text is None or not _DECIMAL.fullmatch(text):
        return None
    if "e" in text or "E" in text:
        try:
            text = format(Decimal(text), "f")
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
            return None
    negative = text.startswith("-")
    whole, _, fraction = text.lstrip("-").partition(".")
    whole = whole.lstrip("0") or "0"
    fraction = fraction.rstrip("0")
    normalized = f"{whole}.{fraction}" if fraction else whole
    return f"-{normalized}" if negative and normalized != "0" else normalized


def _decimal(value: Any, name: str) -> str:
    text = _decimal_text(value)
    if text is None or len(text) > MAX_STRING_LENGTH or _places(text) > MAX_DECIMAL_PLACES:
        raise errors.invalid_decimal(name, _shown(value))
    return text


def _places(normalized: str) -> int:
    """The decimal places of a normalized decimal (``"1.25"`` has 2; trailing zeros are gone)."""
    return len(normalized.partition(".")[2])


def _number(value: Any, name: str) -> float:
    text = _decimal_text(value)
    number = float(text) if text is not None else math.nan
    if not math.isfinite(number):
        raise errors.invalid_decimal(name, _shown(value))
    return number


def _url(value: Any, name: str) -> str:
    text = _string(value, name)
    if _URL_FORBIDDEN.search(text):
        raise errors.invalid_url(name)
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise errors.invalid_url(name) from None
    host = parts.hostname
    if parts.scheme not in ("http", "https") or not host or not _HOST.fullmatch(host):
        raise errors.invalid_url(name)
    return text


def _currency(value: Any, name: str) -> str:
    text = _string(value, name)
    code = text.lower()
    if not is_supported(code):
        raise errors.invalid_currency(name, text, SUPPORTED)
    return code


_SCALARS: dict[str, _Checker] = {
    "string": _string,
    "integer": _integer,
    "boolean": _boolean,
    "decimal": _decimal,
    "number": _number,
    "url": _url,
    "currency": _currency,
}


# --- the tree, compiled once into one checker per node ----------------------------------------


def _compile(node: Node, memo: dict[int, _Checker]) -> _Checker:
    """A function ``(value, name) -> coerced value`` for ``node``; shared nodes compile once."""
    from .paramspec import Array, Enum, Map, Object, Scalar

    found = memo.get(id(node))
    if found is not None:
        return found
    if isinstance(node, Scalar):
        checker = _SCALARS[node.kind]
    elif isinstance(node, Enum):
        checker = _enum_checker(node)
    elif isinstance(node, Array):
        checker = _array_checker(_compile(node.items, memo))
    elif isinstance(node, Map):
        checker = _map_checker(node, _compile(node.values, memo))
    elif isinstance(node, Object):
        checker = _object_checker(node, memo)
    else:
        checker = _one_of_checker(node, memo)
    memo[id(node)] = checker
    return checker


def _enum_checker(node: Enum) -> _Checker:
    allowed = frozenset(node.values)

    def check(value: Any, name: str) -> str:
        text = _text(value)
        if text is None:
            raise errors.invalid_string(name, _shown(value))
        if text not in allowed:
            raise errors.invalid_enum(name, node.values)
        return text

    return check


def _array_checker(item: _Checker) -> _Checker:
    def check(value: Any, name: str) -> list[Any]:
        if isinstance(value, (list, tuple)):
            items: list[Any] | tuple[Any, ...] = value
            sent = [index for index, element in enumerate(value) if _is_sent_item(element)]
            if len(sent) < len(value):
                items = _positional(value, sent, name)
        elif isinstance(value, (dict, Mapping)):
            items = _indexed(value, name)
        else:
            raise errors.invalid_array(name)
        result = []
        for index, element in enumerate(items):
            child = f"{name}[{index}]"
            if isinstance(element, str) and not element:
                raise errors.empty_string(child)
            result.append(item(element, child))
        return result

    return check


def _positional(value: list[Any] | tuple[Any, ...], sent: list[int], name: str) -> list[Any]:
    """The SDK numbers array items by position, so an item it leaves out is a gap in the keys
    (trailing ones are not)."""
    for expected, index in enumerate(sent):
        if index != expected:
            raise errors.array_keys_not_sequential(name, [str(i) for i in sent], str(expected))
    return [value[index] for index in sent]


def _indexed(value: Mapping[Any, Any], name: str) -> list[Any]:
    """An array sent with explicit keys, which must be exactly ``0`` … ``n-1`` in any order."""
    given = {_key(key): element for key, element in value.items() if _is_sent(element)}
    for index in range(len(given)):
        if str(index) not in given:
            raise errors.array_keys_not_sequential(name, list(given), str(index))
    return [given[str(index)] for index in range(len(given))]


def _map_checker(node: Map, values: _Checker) -> _Checker:
    kind = node.kind

    def check(value: Any, name: str) -> dict[str, Any]:
        if not isinstance(value, (dict, Mapping)):
            raise errors.invalid_hash(name)
        result: dict[str, Any] = {}
        for raw_key, element in value.items():
            if not _is_sent(element):
                continue
            key = _key(raw_key)
            if not key or "[" in key or "]" in key:
                # It cannot be written between brackets: ``metadata[]=`` is an array on the wire.
                raise errors.invalid_hash(name)
            child = _join(name, key)
            if kind == "currency":
                code = key.lower()
                if not is_supported(code):
                    raise errors.invalid_currency(child, key, SUPPORTED)
                key = code
            elif kind == "metadata" and len(key) > METADATA_MAX_KEY_LENGTH:
                raise errors.metadata_key_too_long(child, key, METADATA_MAX_KEY_LENGTH)
            if isinstance(element, str) and not element:
                result[key] = ""  # unsets the key (``metadata[key]=``)
            else:
                result[key] = values(element, child)
            if (
                kind == "metadata"
                and isinstance(result[key], str)
                and len(result[key]) > METADATA_MAX_VALUE_LENGTH
            ):
                raise errors.metadata_value_too_long(child, result[key], METADATA_MAX_VALUE_LENGTH)
        if kind == "metadata" and len(result) > METADATA_MAX_KEYS:
            raise errors.too_many_metadata_keys(name, len(result), METADATA_MAX_KEYS)
        return result

    return check


def _object_checker(node: Object, memo: dict[int, _Checker]) -> _Checker:
    # Filled after creation: a field may refer back to a node still being compiled.
    fields: dict[str, tuple[_Checker, bool]] = {}
    required = node.required

    def check(value: Any, name: str) -> dict[str, Any]:
        if not isinstance(value, (dict, Mapping)):
            raise errors.invalid_hash(name)
        result: dict[str, Any] = {}
        for raw_key, element in value.items():
            if not _is_sent(element):
                continue
            key = _key(raw_key)
            spec = fields.get(key)
            if spec is None:
                raise errors.unknown_parameter(_join(name, key))
            field_check, emptyable = spec
            if isinstance(element, str) and not element:
                if not emptyable:
                    raise errors.empty_string(_join(name, key))
                result[key] = ""
            else:
                result[key] = field_check(element, _join(name, key))
        for key in required:
            if key not in result:
                raise errors.missing_parameter(_join(name, key))
        return result

    memo[id(node)] = check
    for key, spec in node.fields.items():
        fields[key] = (_compile(spec.node, memo), spec.emptyable)
    return check


def _one_of_checker(node: OneOf, memo: dict[int, _Checker]) -> _Checker:
    from .paramspec import Map, Object

    hashes = [option for option in node.options if isinstance(option, (Object, Map))]
    others = [option for option in node.options if not isinstance(option, (Object, Map))]
    for_hash = _compile(hashes[0], memo) if hashes else None
    # Scalars are tried in order (``up_to``: ``"inf"`` or an integer); the last one's error wins.
    for_others = [_compile(option, memo) for option in others]

    def check(value: Any, name: str) -> Any:
        if for_hash is not None and (isinstance(value, (dict, Mapping)) or not for_others):
            return for_hash(value, name)
        for option in for_others[:-1]:
            try:
                return option(value, name)
            except errors.StripeError:
                continue
        return for_others[-1](value, name)

    return check


@functools.lru_cache(maxsize=1024)
def _checker_at(endpoint: str, version: str) -> _Checker:
    """``_root`` of the bucket ``version`` falls in, remembered per (endpoint, version): finding
    the bucket costs more than the rest of a small request's validation."""
    return _root(endpoint, versions.bucket(version))


@functools.cache
def _root(endpoint: str, day: str) -> _Checker:
    """The compiled checker of an endpoint for the versions from ``day`` (a bucket) on."""
    from .param_tree import tree

    return _compile(tree(endpoint, day), {})
