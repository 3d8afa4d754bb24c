"""The whole state of a world, taken and put back: ``snapshot``/``restore`` and ``dump``/``load``.

Nothing here knows a resource. A world's state is:

- the world's own state attributes (``World.STATE``: accounts, timers, the webhook outbox and
  its retries, the creation counter, the id generator; ``FakeCheckout`` adds the idempotency
  keys), and
- every account and every resource API of every account, as the attributes of those objects
  (a resource's store, its side tables, an account's events), whatever they are.

Accounts and resource APIs keep their identity across a restore: their attributes are replaced in
place, so ``fake.sessions`` (and ``api = fake.customers`` held by a test) stays valid, and
anything in the state that points at one of them (a pending webhook retry, a catalog) points at the
restored world's own object. What is not state stays as it is: the clock object (a
``ManualClock`` is moved back to the snapshot's position), the lock, the webhook callbacks, the
configuration (``strict``, ``api_version``), the ``unhandled`` list.

``snapshot`` pickles that state (C speed: only fakecheckout's own objects go through Python);
functions met in it (list filters, closures of a resource API) are kept by identity, so a
snapshot is for the process that took it. ``dump`` writes the same state as JSON: plain data stays
plain (a stored object is its Stripe JSON), anything else is tagged (``{"$obj": "module:Class",
"$state": ...}``, ``{"$tuple": [...]}``, ``{"$bytes": base64}``, ...), and functions are named by
where fakecheckout's modules define them. ``load`` accepts only fakecheckout's own classes (and
``random.Random``), builds a new world, checks that every stored object and event renders, and
only then returns it.
"""

from __future__ import annotations

import base64
import copyreg
import gc
import importlib
import io
import itertools
import pickle
import sys
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from types import BuiltinFunctionType, FunctionType, ModuleType
from typing import TYPE_CHECKING, Any, TypeVar

from . import errors, versions
from .clock import ManualClock

if TYPE_CHECKING:
    from .world import Account, World

W = TypeVar("W", bound="World")

FORMAT = "fakecheckout.dump"
FORMAT_VERSION = 1

Key = tuple[str, "str | None", str]
"""Where an account or resource API lives: ``("account", account_id, "")`` or
``("api", account_id, resource_name)``; ``account_id`` is ``None`` for the platform."""

ACCOUNT_STRUCTURE = frozenset({"_world_ref", "_expander"})
"""An account's attributes that are not state: its (weak) reference to its world, and a cache
built from its APIs."""

# What ``__reduce_ex__`` names for ``cls.__new__(cls)``:
_NEWOBJ = copyreg.__newobj__  # type: ignore[attr-defined]
_LOCKS = {type(threading.Lock()): "Lock", type(threading.RLock()): "RLock"}
_TRUSTED_MODULES = ("fakecheckout.", "random")


@dataclass(frozen=True, eq=False)
class Snapshot:
    """What ``fake.snapshot()`` returns: an immutable copy of the world, for ``restore``."""

    resources: tuple[str, ...]
    clock: float | None
    payload: bytes
    functions: tuple[Any, ...]

    def __repr__(self) -> str:
        return f"<fakecheckout Snapshot: {len(self.payload):,} bytes>"


# --- what the state is ---------------------------------------------------------------------


def _keyed_objects(world: World) -> Iterator[tuple[Key, Any]]:
    """Every account and resource API of ``world``, with its key."""
    for account in world._accounts.values():
        yield ("account", account.account_id, ""), account
        for name, api in account._apis.items():
            yield ("api", account.account_id, name), api


def _state_of(obj: Any, key: Key) -> dict[str, Any]:
    skip = ACCOUNT_STRUCTURE if key[0] == "account" else frozenset()
    return {name: value for name, value in vars(obj).items() if name not in skip}


def _state(world: World) -> tuple[dict[str, Any], list[tuple[Key, dict[str, Any]]]]:
    own = {name: getattr(world, name) for name in world.STATE}
    return own, [(key, _state_of(obj, key)) for key, obj in _keyed_objects(world)]


class _Target:
    """The world being restored into: what keys and functions resolve to while loading."""

    def __init__(self, world: World, functions: tuple[Any, ...] = ()) -> None:
        self.world = world
        self.functions = functions
        self.accounts: dict[str | None, Account] = {}

    def account(self, account_id: str | None) -> Account:
        found = self.accounts.get(account_id)
        if found is None:
            found = self.world._accounts.get(account_id)
            if found is None:
                from .world import Account

                found = Account(self.world, account_id)
            self.accounts[account_id] = found
        return found

    def resolve(self, kind: str, account_id: str | None, name: str) -> Any:
        account = self.account(account_id)
        return account if kind == "account" else account.api(name)


_target: ContextVar[_Target] = ContextVar("fakecheckout_restore_target")


def _keyed(kind: str, account_id: str | None, name: str) -> Any:
    return _target.get().resolve(kind, account_id, name)


def _the_world() -> World:
    return _target.get().world


def _function(index: int) -> Any:
    return _target.get().functions[index]


def _new_lock(kind: str) -> Any:
    return threading.RLock() if kind == "RLock" else threading.Lock()


def _count_value(counter: itertools.count[int]) -> int:
    return int(repr(counter)[len("count(") : -1])


@contextmanager
def _loading_into(target: _Target) -> Iterator[None]:
    """Keys and functions resolve to ``target``'s; the cyclic garbage collector waits (a world's
    worth of new containers would otherwise trigger it many times over)."""
    token = _target.set(target)
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
        _target.reset(token)


def _install(
    target: _Target, own: dict[str, Any], objects: list[tuple[Key, dict[str, Any]]]
) -> None:
    """Put loaded state into ``target.world`` (its lock is held): nothing can fail from here."""
    world = target.world
    built: list[tuple[Account, dict[str, Any]]] = []
    for key, state in objects:
        obj = target.resolve(*key)
        if key[0] == "account":
            built.append((obj, dict(vars(obj).get("_apis", {}))))
        kept = {name: value for name, value in vars(obj).items() if name in ACCOUNT_STRUCTURE}
        vars(obj).clear()
        vars(obj).update(state)
        vars(obj).update(kept)
    for account, apis in built:
        account.reopen(apis)  # the APIs first used after the snapshot: fresh again
    for name, value in own.items():
        setattr(world, name, value)


def _clock_position(world: World) -> float | None:
    clock = world.clock
    return clock._now if isinstance(clock, ManualClock) else None


def _check_resources(world: World, names: tuple[str, ...]) -> None:
    known = tuple(resource.name for resource in world.resources)
    if names != known:
        raise errors.dump_other_resources(names, known)


# --- snapshot and restore (in memory) ------------------------------------------------------


class _Pickler(pickle.Pickler):
    """Pickles a world's state; the world, its accounts and APIs become references to the
    target's, functions are kept by identity, locks become new locks."""

    def __init__(self, file: io.BytesIO, world: World) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._world = world
        self._keys = {id(obj): key for key, obj in _keyed_objects(world)}
        self.functions: list[Any] = []
        self._function_index: dict[int, int] = {}

    def reducer_override(self, obj: Any) -> Any:
        if obj is self._world:
            return _the_world, ()
        key = self._keys.get(id(obj))
        if key is not None:
            return _keyed, key
        if isinstance(obj, FunctionType) and obj.__module__ != __name__:
            index = self._function_index.get(id(obj))
            if index is None:
                index = self._function_index[id(obj)] = len(self.functions)
                self.functions.append(obj)
            return _function, (index,)
        lock = _LOCKS.get(type(obj))
        if lock is not None:
            return _new_lock, (lock,)
        if isinstance(obj, itertools.count):
            return itertools.count, (_count_value(obj),)
        if type(obj) is threading.local:
            return threading.local, ()
        return NotImplemented


def take(world: World) -> Snapshot:
    """The whole state of ``world`` now (its lock is held while copying)."""
    with world.lock:
        buffer = io.BytesIO()
        pickler = _Pickler(buffer, world)
        pickler.dump(_state(world))
        return Snapshot(
            resources=tuple(resource.name for resource in world.resources),
            clock=_clock_position(world),
            payload=buffer.getvalue(),
            functions=tuple(pickler.functions),
        )


def restore(world: World, snapshot: Snapshot) -> None:
    """Put ``world`` back to ``snapshot``; the snapshot is unchanged (restore it again later)."""
    given: object = snapshot
    if not isinstance(given, Snapshot):
        raise errors.not_a_snapshot(given)
    _check_resources(world, snapshot.resources)
    with world.lock:
        target = _Target(world, snapshot.functions)
        with _loading_into(target):
            own, objects = pickle.loads(snapshot.payload)
            if set(own) != set(world.STATE):
                raise errors.snapshot_of_another_kind(type(world).__name__, sorted(own))
            _install(target, own, objects)
        if snapshot.clock is not None and isinstance(world.clock, ManualClock):
            world.clock.set(snapshot.clock)


# --- dump and load (JSON) ------------------------------------------------------------------


def _module_level_names() -> dict[int, list[str]]:
    """Where fakecheckout's modules define each function, class attribute or module-level
    container (``["fakecheckout.resources.customers", "CustomersAPI", "FILTERS", "email"]``)."""
    found: dict[int, list[str]] = {}

    def visit(value: Any, path: list[str], depth: int) -> None:
        if isinstance(value, (str, int, float, bytes, tuple, frozenset, ModuleType)):
            return  # immutable values are written by value
        if value is None:
            return
        if id(value) in found or depth > 3:
            return
        found[id(value)] = path
        if isinstance(value, dict):
            for name, item in value.items():
                if isinstance(name, str):
                    visit(item, [*path, name], depth + 1)
        elif isinstance(value, type) and value.__module__ == path[0]:
            for name, item in vars(value).items():
                visit(item, [*path, name], depth + 1)

    for module_name, module in list(sys.modules.items()):
        if module_name.startswith("fakecheckout.") and module is not None:
            for name, value in list(vars(module).items()):
                visit(value, [module_name, name], 0)
    return found


def _resolve_path(path: list[str]) -> Any:
    value: Any = importlib.import_module(path[0])
    for name in path[1:]:
        value = value[name] if isinstance(value, dict) else getattr(value, name)
    return value


class _Encoder:
    """Writes a state as JSON values; run once to find shared objects, then to write."""

    def __init__(self, world: World) -> None:
        self._world = world
        self._keys = {id(obj): key for key, obj in _keyed_objects(world)}
        self._names = _module_level_names()
        self._seen: set[int] = set()
        self._shared: set[int] = set()
        self._written: dict[int, int] = {}
        self._counting = True
        self._alive: list[Any] = []

    def encode(self, root: Any) -> Any:
        self.value(root, "$")
        self._counting = False
        self._seen.clear()
        return self.value(root, "$")

    def _identity(self, obj: Any) -> tuple[bool, dict[str, Any]]:
        """Whether ``obj`` was written already (then the second is its reference), and the
        ``$id`` to add to a tagged node."""
        if self._counting:
            if id(obj) in self._seen:
                self._shared.add(id(obj))
                return True, {}
            self._seen.add(id(obj))
            return False, {}
        if id(obj) in self._written:
            return True, {"$ref": self._written[id(obj)]}
        if id(obj) in self._shared:
            self._written[id(obj)] = number = len(self._written)
            return False, {"$id": number}
        return False, {}

    def value(self, obj: Any, where: str) -> Any:
        if obj is None or isinstance(obj, (bool, int, float, str)):
            return obj
        if isinstance(obj, tuple):
            return {"$tuple": [self.value(item, f"{where}[{i}]") for i, item in enumerate(obj)]}
        if isinstance(obj, bytes):
            written = {"$bytes": base64.b64encode(obj).decode("ascii")}
            if len(obj) <= _SHARED_BYTES:
                return written
            done, node = self._identity(obj)  # an events' dictionary: written once
            return node if done else {**written, **node}
        if obj is self._world:
            return {"$world": True}
        key = self._keys.get(id(obj))
        if key is not None:
            return {"$key": list(key)}
        path = self._names.get(id(obj))
        if path is not None:
            return {"$name": path}
        done, node = self._identity(obj)
        if done:
            return node
        if isinstance(obj, dict):
            plain = all(isinstance(k, str) and not k.startswith("$") for k in obj)
            if plain and not node:
                return {k: self.value(v, f"{where}.{k}") for k, v in obj.items()}
            items = [
                [self.value(k, f"{where} key"), self.value(v, f"{where}[{k!r}]")]
                for k, v in obj.items()
            ]
            return {"$dict": items, **node}
        if isinstance(obj, list):
            items = [self.value(item, f"{where}[{i}]") for i, item in enumerate(obj)]
            return {"$list": items, **node} if node else items
        if isinstance(obj, deque):
            return {"$deque": [self.value(item, f"{where}[]") for item in obj], **node}
        return {**self._special(obj, where), **node}

    def _special(self, obj: Any, where: str) -> dict[str, Any]:
        if isinstance(obj, (set, frozenset)):
            return {"$set": [self.value(item, f"{where}[]") for item in obj]}
        if type(obj) in _LOCKS:
            return {"$lock": _LOCKS[type(obj)]}
        if type(obj) is threading.local:
            return {"$local": True}
        if isinstance(obj, itertools.count):
            return {"$count": _count_value(obj)}
        if isinstance(obj, (FunctionType, BuiltinFunctionType, type)):
            path = [obj.__module__, *obj.__qualname__.split(".")]
            if "<" not in obj.__qualname__ and _trusted(obj.__module__):
                return {"$name": path}
            raise errors.not_dumpable(where, obj)
        cls = type(obj)
        if not _trusted(cls.__module__):
            raise errors.not_dumpable(where, obj)
        reduced = obj.__reduce_ex__(4)
        # A slotted object's state is a new dict each time: kept alive until the dump is written,
        # so no later container can take its id and pass for it (``$ref``).
        self._alive.append(reduced)
        if reduced[0] is _NEWOBJ and tuple(reduced[1]) == (cls,):
            pass
        elif not (reduced[0] is cls and tuple(reduced[1]) == ()):
            raise errors.not_dumpable(where, obj)
        state = reduced[2] if len(reduced) > 2 else None
        return {
            "$obj": f"{cls.__module__}:{cls.__qualname__}",
            "$state": self.value(state, f"{where}.{cls.__qualname__}"),
        }


_SHARED_BYTES = 256
"""Longer ``bytes`` met more than once in a state are written once and referenced after."""


def _trusted(module: str) -> bool:
    return module == "random" or module.startswith(_TRUSTED_MODULES[0])


class _Decoder:
    """Reads what ``_Encoder`` wrote; any surprise is an ``InvalidDumpError``."""

    def __init__(self, target: _Target) -> None:
        self._target = target
        self._made: dict[int, Any] = {}
        self._names: dict[int, list[str]] | None = None

    def value(self, node: Any, where: str) -> Any:
        if node is None or isinstance(node, (bool, int, float, str)):
            return node
        if isinstance(node, list):
            return [self.value(item, f"{where}[{i}]") for i, item in enumerate(node)]
        if not isinstance(node, dict):
            raise errors.dump_malformed(where, f"a {type(node).__name__} is not JSON")
        tags = [name for name in node if name.startswith("$")]
        if not tags:
            return {k: self.value(v, f"{where}.{k}") for k, v in node.items()}
        return self._tagged(node, tags[0], where)

    def _remember(self, node: dict[str, Any], made: Any) -> Any:
        if "$id" in node:
            self._made[node["$id"]] = made
        return made

    def _tagged(self, node: dict[str, Any], tag: str, where: str) -> Any:
        body = node[tag]
        if tag == "$ref":
            if body not in self._made:
                raise errors.dump_malformed(where, f"a reference to unknown object {body!r}")
            return self._made[body]
        if tag == "$tuple":
            return tuple(self.value(body, where))
        if tag == "$bytes":
            return self._remember(node, base64.b64decode(body.encode("ascii"), validate=True))
        if tag == "$world":
            return self._target.world
        if tag == "$key":
            kind, account_id, name = body
            if kind not in ("account", "api"):
                raise errors.dump_malformed(where, f"an unknown kind of object {kind!r}")
            return self._target.resolve(kind, account_id, name)
        if tag == "$name":
            return self._named(body, where)
        if tag == "$dict":
            made_dict = self._remember(node, {})
            for k, v in body:
                made_dict[self.value(k, f"{where} key")] = self.value(v, f"{where}[{k!r}]")
            return made_dict
        if tag == "$list":
            made_list = self._remember(node, [])
            made_list.extend(self.value(body, where))
            return made_list
        if tag == "$deque":
            return self._remember(node, deque(self.value(body, where)))
        if tag == "$set":
            return self._remember(node, set(self.value(body, where)))
        if tag == "$lock":
            return _new_lock(body)
        if tag == "$local":
            return threading.local()
        if tag == "$count":
            return itertools.count(int(body))
        if tag == "$obj":
            return self._object(node, body, where)
        raise errors.dump_malformed(where, f"an unknown tag {tag!r}")

    def _named(self, path: Any, where: str) -> Any:
        """What ``path`` names, if it is what ``_Encoder`` names: one of fakecheckout's functions
        or classes, or a value its modules define (nothing else a module can reach)."""
        if (
            not isinstance(path, list)
            or not all(isinstance(part, str) and not part.startswith("__") for part in path)
            or not path
            or not _trusted(path[0])
        ):
            raise errors.dump_malformed(where, f"{path!r} names nothing of fakecheckout's")
        value = _resolve_path(path)
        if self._names is None:
            self._names = _module_level_names()
        own_code = (
            isinstance(value, (FunctionType, type))
            and _trusted(value.__module__)
            and [value.__module__, *value.__qualname__.split(".")] == path
        )
        if not own_code and id(value) not in self._names:
            raise errors.dump_malformed(where, f"{path!r} names nothing of fakecheckout's")
        return value

    def _object(self, node: dict[str, Any], name: str, where: str) -> Any:
        module, _, qualname = name.partition(":")
        if not _trusted(module):
            raise errors.dump_malformed(where, f"{name!r} is not one of fakecheckout's classes")
        cls = _resolve_path([module, *qualname.split(".")])
        if not isinstance(cls, type) or f"{cls.__module__}:{cls.__qualname__}" != name:
            raise errors.dump_malformed(where, f"{name!r} is not one of fakecheckout's classes")
        new: Any = cls.__new__
        made = self._remember(node, new(cls))
        state = self.value(node.get("$state"), f"{where}.{qualname}")
        # A class defining ``__setstate__`` (``object`` has none) restores itself, whatever
        # its state's type: ``EncodedCache`` puts back the entries its dump left out.
        if hasattr(made, "__setstate__"):
            made.__setstate__(state)
        elif isinstance(state, tuple):
            own, slots = state
            if own:
                vars(made).update(own)
            for slot, value in (slots or {}).items():
                object.__setattr__(made, slot, value)
        elif isinstance(state, dict) and hasattr(made, "__dict__"):
            vars(made).update(state)
        elif isinstance(state, dict):  # a dump made before the class used slots
            for slot, value in state.items():
                object.__setattr__(made, slot, value)
        elif state is not None:
            raise errors.dump_malformed(where, f"the state of {name!r} is {type(state).__name__}")
        return made


def dump(world: World) -> dict[str, Any]:
    """The whole state of ``world`` as JSON-serialisable data."""
    with world.lock:
        own, objects = _state(world)
        encoder = _Encoder(world)
        state = encoder.encode({"world": own, "objects": [[list(k), s] for k, s in objects]})
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "resources": [resource.name for resource in world.resources],
            "api_version": world.api_version,
            "clock": _clock_position(world),
            "webhook_secret": world.webhooks.secret,
            "state": state,
        }


def load(cls: type[W], data: object, **kwargs: Any) -> W:
    """A new ``cls(**kwargs)`` holding the world ``data`` describes (see ``World.load``)."""
    checked = check_header(data)
    clock = checked.get("clock")
    if clock is not None and not isinstance(clock, (int, float)):
        raise errors.dump_malformed("clock", f"{clock!r} is not a number of seconds")
    if "clock" not in kwargs and clock is not None:
        kwargs["clock"] = ManualClock(clock)
    version = checked.get("api_version")
    if version is not None and version not in versions.API_VERSIONS:
        raise errors.dump_malformed("api_version", f"{version!r} is not a known API version")
    world = cls(**kwargs)
    if "api_version" not in kwargs and version is not None:
        world.api_version = version
    secret = checked.get("webhook_secret")
    if secret is not None:
        if not isinstance(secret, str):
            raise errors.dump_malformed("webhook_secret", f"{secret!r} is not a string")
        world.webhooks.secret = secret
    load_into(world, checked)
    return world


def check_header(data: object) -> dict[str, Any]:
    """``data`` if it names this dump format and version, else ``InvalidDumpError``."""
    if not isinstance(data, dict):
        raise errors.dump_not_a_mapping(data)
    if data.get("format") != FORMAT:
        raise errors.dump_unknown_format(data.get("format"))
    if data.get("format_version") != FORMAT_VERSION:
        raise errors.dump_unsupported_version(data.get("format_version"), FORMAT_VERSION)
    return data


def load_into(world: World, data: dict[str, Any]) -> None:
    """Fill the new ``world`` from ``data`` (checked by ``check_header``); raises
    ``InvalidDumpError`` for anything that does not load into a world that works."""
    target = _Target(world)
    try:
        resources = data.get("resources")
        if not isinstance(resources, list):
            raise errors.dump_malformed("resources", f"{resources!r} is not a list of names")
        _check_resources(world, tuple(resources))
        state = _Decoder(target).value(data["state"], "state")
        own, objects = state["world"], [(tuple(k), s) for k, s in state["objects"]]
        if not isinstance(own, dict) or set(own) != set(world.STATE):
            raise errors.dump_malformed("state.world", f"the fields are {sorted(own)}")
        for key, fields in objects:
            if not isinstance(fields, dict) or len(key) != 3:
                raise errors.dump_malformed("state.objects", f"the entry for {key!r}")
    except errors.InvalidDumpError:
        raise
    except Exception as exc:
        raise errors.dump_malformed("state", repr(exc)) from exc
    with world.lock:
        _install(target, own, objects)
        try:
            _check_renders(world)
        except Exception as exc:
            raise errors.dump_malformed(
                "state", f"a stored object does not render: {exc!r}"
            ) from exc


def _check_renders(world: World) -> None:
    """Every stored object and event of every account renders (what a request would do)."""
    for account in world._accounts.values():
        if not (isinstance(account.account_id, str) or account is world.platform):
            raise TypeError(f"account id {account.account_id!r}")
        for api in account._apis.values():
            store = getattr(api, "_store", None)
            for object_id in getattr(store, "by_id", {}):
                api.lookup(object_id)
        for event in account.event_store.by_id.values():
            event.render()
