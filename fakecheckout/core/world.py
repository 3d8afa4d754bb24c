"""The in-memory world of one fake: the lock, the clock, accounts, timers, events and the outbox.

Every operation (each HTTP request, each direct-API call) runs under the world's lock, reads the
clock once, and first settles the timers whose time has come (a session's ``expires_at``), oldest
first, from a heap. The world knows no resource: each account's direct APIs (``sessions``,
``customers``, …) are built from the registry in ``fakecheckout.resources``.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import weakref
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

from . import errors, params, snapshots, versions
from .clock import Clock, SystemClock
from .events import EventRecord, EventStore, pack, pack_object
from .expansion import Expander
from .ids import IdFactory
from .resource import ResourceAPI
from .snapshots import Snapshot
from .webhooks import RETRY_DELAYS, Webhooks, post

W = TypeVar("W", bound="World")

if TYPE_CHECKING:
    from .resource import Resource


@dataclass(eq=False)
class Delivery:
    """One delivery the outbox owes: ``event`` to the subscribed callbacks (``api`` is ``None``)
    or to the webhook endpoint ``endpoint_id`` of the resource API ``api``."""

    event: EventRecord
    api: ResourceAPI | None = None
    endpoint_id: str = ""
    failures: int = 0


class Account:
    """One account (the platform, or a connected account): its events and its resources' APIs.

    ``account.customers`` and the like are the resources' direct APIs, one attribute per
    registered resource. Each is built the first time it is used (most tests touch a few of the
    resources): an API never built holds nothing, so it is the same as a fresh one.
    """

    def __init__(self, world: World, account_id: str | None) -> None:
        self._world_ref = weakref.ref(world)
        self.account_id = account_id
        self.opened_at: int = world.clock.now()
        """When this account came into the fake (the platform's: when the fake was made)."""
        self.event_store = EventStore()
        self._apis: dict[str, ResourceAPI] = {}
        self._expander: Expander | None = None

    @property
    def id(self) -> str | None:
        return self.account_id

    @property
    def world(self) -> World:
        """The world this account belongs to. Held weakly: with no reference back from its
        accounts, a fake nobody holds any more is freed at once, not by a garbage collection
        (most fakes of an autouse fixture are started, never used and dropped)."""
        world = self._world_ref()
        if world is None:
            raise RuntimeError("this account's FakeCheckout no longer exists")
        return world

    def __getattr__(self, name: str) -> Any:
        """A resource's direct API not built yet (once built it is a plain attribute, so the
        hot path skips this)."""
        ref = self.__dict__.get("_world_ref")
        world = None if ref is None else ref()
        if world is None:
            if ref is not None and not name.startswith("__"):
                raise AttributeError(f"{name}: this account's FakeCheckout no longer exists")
            raise AttributeError(name)
        if name not in world.apis_by_name:
            raise AttributeError(name)
        return self._open(name)

    def __dir__(self) -> list[str]:
        return sorted({*super().__dir__(), *self.world.apis_by_name})

    def webhook_destinations(
        self, event_type: str, *, connected: bool
    ) -> list[tuple[ResourceAPI, str]]:
        """This account's webhook endpoints owed an event of ``event_type`` (with ``connected``:
        an event of a connected account), as ``(api, endpoint id)``; the lock is held."""
        apis = self._apis
        return [
            (api, endpoint_id)
            for name in self.world.destination_apis
            if (api := apis.get(name)) is not None  # an API never built has no endpoints
            for endpoint_id in api.webhook_destinations(event_type, connected=connected)
        ]

    def api(self, name: str) -> ResourceAPI:
        """The direct API of the resource registered as ``name``."""
        found = self._apis.get(name)
        return found if found is not None else self._open(name)

    def _open(self, name: str) -> ResourceAPI:
        """Build the direct API of the resource ``name`` (``KeyError``: none registered)."""
        resource = self.world.apis_by_name[name]
        with self.world.lock:
            found = self._apis.get(name)
            if found is None:
                found = self._apis[name] = resource.api(self.world, self)
                setattr(self, name, found)  # a plain attribute: the hot path skips __getattr__
            return found

    def reopen(self, apis: dict[str, ResourceAPI]) -> None:
        """After a restore: the APIs in ``apis`` that the restored state does not hold (built
        after the snapshot) start again from nothing, and stay the objects callers hold."""
        for name, api in apis.items():
            if name not in self._apis:
                vars(api).clear()
                type(api).__init__(api, self.world, self)
                self._apis[name] = api
                setattr(self, name, api)

    @property
    def expander(self) -> Expander:
        """Expands this account's objects: every registered resource's fields and lookups."""
        if self._expander is None:
            fields: dict[str, dict[str, str]] = {}
            virtual: dict[tuple[str, str], Any] = {}
            for resource in self.world.resources:
                for object_name, expandable in resource.expandable.items():
                    fields.setdefault(object_name, {}).update(expandable)
                virtual.update(self.api(resource.name).virtual_fields())
            resolvers = {r.object: self.api(r.name).lookup for r in self.world.resources}
            self._expander = Expander(fields, resolvers, virtual)
        return self._expander


_registries: dict[int, tuple[tuple[Resource, ...], Mapping[str, Resource], tuple[str, ...]]] = {}


def _registry(resources: tuple[Resource, ...]) -> tuple[Mapping[str, Resource], tuple[str, ...]]:
    """``resources`` by name, and the names of those holding webhook endpoints; worked out
    once per tuple of resources (every fake of a process has the registry's own)."""
    found = _registries.get(id(resources))
    if found is None or found[0] is not resources:
        by_name = MappingProxyType({r.name: r for r in resources})
        destinations = tuple(
            r.name
            for r in resources
            if r.api.webhook_destinations is not ResourceAPI.webhook_destinations
        )
        if len(_registries) > 32:  # worlds made with many one-off resource tuples (tests)
            _registries.clear()
        found = _registries[id(resources)] = (resources, by_name, destinations)
    return found[1], found[2]


class World:
    """One fake's whole state. ``FakeCheckout`` adds the HTTP front door to it."""

    api_version: str = versions.LATEST
    """The account's default API version (``FakeCheckout(api_version=...)``)."""

    STATE: tuple[str, ...] = (
        *("account_id", "_accounts", "_platform", "_timers", "_outbox", "_retries"),
        *("_seq", "ids"),
    )
    """The world's own attributes that ``snapshot``/``dump`` copy, besides every attribute of
    every account and resource API (so a new resource needs nothing here)."""

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        seed: int | None = None,
        resources: Sequence[Resource] | None = None,
    ) -> None:
        if resources is None:
            from fakecheckout.resources import RESOURCES

            resources = RESOURCES
        self.resources: tuple[Resource, ...] = tuple(resources)
        self.apis_by_name: Mapping[str, Resource]
        """The registered resources by the name of their direct API (``sessions``, …)."""
        self.destination_apis: tuple[str, ...]
        """The resources whose APIs hold webhook endpoints."""
        self.apis_by_name, self.destination_apis = _registry(self.resources)
        self.clock: Clock = clock if clock is not None else SystemClock()
        self.lock = threading.RLock()
        self.ids = IdFactory(seed)
        self._seq = itertools.count(1)
        self._accounts: dict[str | None, Account] = {}
        self._timers: list[tuple[int, int, str | None, str, str]] = []
        self._outbox: deque[Delivery] = deque()
        self._retries: list[tuple[int, int, Delivery]] = []  # failed deliveries, by due time
        self._delivery_lock = threading.Lock()
        self._delivering: int | None = None
        self._request = threading.local()
        self.webhooks = Webhooks(
            secret="whsec_" + self.ids.first("", 32), redeliver=_redelivery(self)
        )
        self.account_id: str = self.ids.first("acct_", 16)
        """The platform's own account id: ``Stripe-Account: <account_id>`` addresses it."""
        self.checkout_page_base_url: str | None = None
        """Where sessions' hosted ``url`` points: ``None`` is Stripe's ``https://checkout.stripe.com``;
        ``fakecheckout serve`` sets its own address, so ``url`` opens its checkout page."""
        self._platform = self._account(None)

    def __getattr__(self, name: str) -> Any:
        """The platform's direct APIs: ``world.sessions``, ``world.customers``, … (each kept as
        a plain attribute once used; a restore keeps the API objects, so it stays valid)."""
        platform = self.__dict__.get("_platform")
        if platform is None or name not in self.__dict__["apis_by_name"]:
            raise AttributeError(name)
        api = platform.api(name)
        setattr(self, name, api)
        return api

    def __dir__(self) -> list[str]:
        return sorted({*super().__dir__(), *self.apis_by_name})

    @property
    def platform(self) -> Account:
        """The platform account (what no ``Stripe-Account`` header selects)."""
        return self._platform

    def account(self, account_id: str) -> Account:
        """The namespace of a connected account (what ``Stripe-Account: acct_…`` selects); the
        platform's own id selects the platform."""
        given: object = account_id
        if not isinstance(given, str) or not given.startswith("acct_"):
            raise ValueError(f"connected account ids start with 'acct_', not {account_id!r}")
        if account_id == self.account_id:
            return self._platform
        return self._account(account_id)

    def namespaces(self) -> list[Account]:
        """The platform's namespace, then every connected account's seen so far."""
        with self.lock:
            return list(self._accounts.values())

    def _account(self, account_id: str | None) -> Account:
        with self.lock:
            found = self._accounts.get(account_id)
            if found is None:
                found = self._accounts[account_id] = Account(self, account_id)
            return found

    def snapshot(self) -> Snapshot:
        """The whole world now (every account's objects and events, timers, pending webhook
        retries, idempotency keys, the id generator, a ``ManualClock``'s position), for
        ``restore``. Cheap enough to take and restore around every test."""
        return snapshots.take(self)

    def restore(self, snapshot: Snapshot) -> None:
        """Put the world back as it was at ``snapshot``: the ids, events and responses that
        follow are those that followed the snapshot. The snapshot may be restored again."""
        snapshots.restore(self, snapshot)

    def dump(self) -> dict[str, Any]:
        """The whole world as JSON-serialisable data (``json.dumps`` it into a fixture file);
        ``FakeCheckout.load`` turns it back into an identical world."""
        return snapshots.dump(self)

    @classmethod
    def load(cls: type[W], data: object, **kwargs: Any) -> W:
        """A new fake (``cls(**kwargs)``) holding the world ``data`` (from ``dump``) describes.

        Without a ``clock`` it gets a ``ManualClock`` at the dumped one's position (when the dumped
        fake had one); without ``api_version``, the dumped fake's. Data that is no dump of this
        fakecheckout raises ``InvalidDumpError`` and no fake is made.
        """
        return snapshots.load(cls, data, **kwargs)

    def new_id(self, prefix: str, length: int = 24) -> str:
        """A fresh id such as ``req_…``; reproducible with ``seed``."""
        return self.ids.new(prefix, length)

    def next_seq(self) -> int:
        """The next creation number: what orders objects created in the same second."""
        return next(self._seq)

    def settle(self) -> list[dict[str, Any]]:
        """Settle due time-based expiries now; returns the events they produced."""
        try:
            with self.lock:
                produced = self._settle(self.clock.now())
                return [event.render() for event in produced]
        finally:
            self._deliver_outbox()

    def request_context(self, request_id: str, idempotency_key: str | None) -> _RequestContext:
        """Events recorded inside name this request (the HTTP door wraps each request in it)."""
        return _RequestContext(self._request, (request_id, idempotency_key))

    def serializing(self) -> bool:
        """Whether this thread answers an HTTP request, whose result is only turned into JSON
        (so it need not be a copy of what is stored)."""
        return getattr(self._request, "current", None) is not None

    # --- operations ---

    def operation(self) -> _Operation:
        """Hold the lock, read the clock once, settle due timers; deliver events afterwards
        (``with world.operation() as now:``). The operation runs at the request's API version,
        else at the fake's own."""
        return _Operation(self)

    def schedule(self, account: Account, resource: str, object_id: str, at: int) -> None:
        """Call ``on_due(object_id, at)`` of ``account``'s ``resource`` API once ``at`` has come."""
        heapq.heappush(self._timers, (at, self.next_seq(), account.account_id, resource, object_id))

    def _settle(self, now: int) -> list[EventRecord]:
        produced: list[EventRecord] = []
        heap = self._timers
        while heap and heap[0][0] <= now:
            at, _, account_id, resource, object_id = heapq.heappop(heap)
            # A timer fires at its own time, whatever request noticed it.
            event = self._accounts[account_id].api(resource).on_due(object_id, at)
            if isinstance(event, list):  # a timer that records several events (a renewal)
                produced.extend(event)
            elif event is not None:
                produced.append(event)
        retries = self._retries
        while retries and retries[0][0] <= now:
            self._outbox.append(heapq.heappop(retries)[2])
        return produced

    def record_event(
        self,
        account: Account,
        event_type: str,
        obj: Mapping[str, Any],
        *,
        at: int,
        previous_attributes: dict[str, Any] | None = None,
        by_request: bool = True,
        encoded: str | None = None,
    ) -> EventRecord:
        """Record one event about ``obj`` (as rendered now; ``encoded``: its JSON, when the caller
        has it, and then only ``obj["object"]`` is read) and queue it for the subscribed
        callbacks and the webhook endpoints that select its type.

        ``pending_webhooks`` counts both; it counts down as endpoints answer 2xx.
        """
        current = getattr(self._request, "current", None) if by_request else None
        request_id, idempotency_key = current if current is not None else (None, None)
        subscribers = self.webhooks.subscribed
        owed = account.webhook_destinations(event_type, connected=False)
        if account is not self._platform:
            owed += self._platform.webhook_destinations(event_type, connected=True)
        data, zdict = pack_object(obj, encoded)
        recorded = EventRecord(
            id=self.ids.new("evt_", 24),
            seq=self.next_seq(),
            type=event_type,
            created=at,
            account=account.account_id,
            data=data,
            previous=None if previous_attributes is None else pack(previous_attributes),
            request_id=request_id,
            idempotency_key=idempotency_key,
            pending_webhooks=subscribers + len(owed),
            api_version=self.api_version,
            zdict=zdict,
        )
        account.event_store.add(recorded)
        if subscribers:
            self._outbox.append(Delivery(recorded))
        for api, endpoint_id in owed:
            self._outbox.append(Delivery(recorded, api, endpoint_id))
        return recorded

    def _redeliver(self, event_id: str) -> None:
        """Queue the stored event ``event_id`` for the subscribed callbacks again, and deliver."""
        with self.lock:
            record = next(
                (
                    found
                    for account in self._accounts.values()
                    if (found := account.event_store.by_id.get(event_id)) is not None
                ),
                None,
            )
            if record is None:
                raise errors.no_such_event(event_id)
            self._outbox.append(Delivery(record))
        self._deliver_outbox()

    def _deliver_outbox(self) -> None:
        """Deliver recorded events in order, outside the world's lock, one deliverer at a time.

        A thread that finds another one delivering leaves its events to it: the deliverer looks at
        the outbox again after letting go, so no event is stranded and none waits on a callback.
        A webhook endpoint that does not answer 2xx is retried on ``RETRY_DELAYS`` of the fake's
        clock (the retry waits in ``_retries`` until an operation finds it due); one deleted or
        disabled by then gets no more attempts.
        """
        if self._delivering == threading.get_ident():
            return  # a webhook callback called the fake: the outer loop delivers what it adds
        while self._outbox:
            if not self._delivery_lock.acquire(blocking=False):
                return
            # Callbacks run as direct-API callers, not as part of the HTTP request that caused them.
            answering = getattr(self._request, "current", None)
            self._request.current = None
            try:
                self._delivering = threading.get_ident()
                while True:
                    with self.lock:
                        if not self._outbox:
                            break
                        delivery = self._outbox.popleft()
                        target = None
                        if delivery.api is not None:
                            target = delivery.api.webhook_destination(delivery.endpoint_id)
                            if target is None:
                                continue
                    with params.trees_only(False):  # callbacks' own calls: direct-API input
                        self._send(delivery, target)
            finally:
                self._delivering = None
                self._request.current = answering
                self._delivery_lock.release()

    def _send(self, delivery: Delivery, target: tuple[str, str] | None) -> None:
        """One attempt of ``delivery`` (the lock is not held); ``target`` is the endpoint's
        ``(url, secret)``, ``None`` for the subscribed callbacks."""
        event = delivery.event.render()
        if target is None:
            self.webhooks.deliver(event)
            return
        url, secret = target
        payload, headers = self.webhooks.sign(event, secret)
        delivered = post(url, payload, headers, timeout=self.webhooks.endpoint_timeout)
        with self.lock:
            if delivered:
                delivery.event.pending_webhooks -= 1
            elif delivery.failures < len(RETRY_DELAYS):
                due = self.clock.now() + RETRY_DELAYS[delivery.failures]
                delivery.failures += 1
                heapq.heappush(self._retries, (due, self.next_seq(), delivery))


def _redelivery(world: World) -> Callable[[str], None]:
    """``world._redeliver`` without the strong reference to ``world`` that a bound method holds
    (so a world's ``Webhooks`` do not keep it alive; see ``Account.world``)."""
    ref = weakref.ref(world)  # the same object as the accounts' reference: nothing new to build

    def redeliver(event_id: str) -> None:
        found = ref()
        if found is None:
            raise RuntimeError("these webhooks' FakeCheckout no longer exists")
        found._redeliver(event_id)

    return redeliver


# Both context managers below are entered once per request or operation: classes, as
# ``contextual.Setting`` is, because a ``@contextmanager`` generator costs about twice as much.


class _RequestContext:
    """``World.request_context``: this thread's request, for the events recorded meanwhile."""

    __slots__ = ("_current", "_local")

    def __init__(self, local: threading.local, current: tuple[str, str | None]) -> None:
        self._local = local
        self._current = current

    def __enter__(self) -> None:
        self._local.current = self._current

    def __exit__(self, *exc_info: object) -> None:
        self._local.current = None


class _Operation:
    """``World.operation``: the lock held, the version set and due timers settled on entry
    (``as now``: the clock, read once); on exit the lock released, then the outbox delivered."""

    __slots__ = ("_version", "_world")

    def __init__(self, world: World) -> None:
        self._world = world

    def __enter__(self) -> int:
        world = self._world
        self._version = versions.using(versions.current(world.api_version))
        self._version.__enter__()
        world.lock.acquire()
        try:
            now = world.clock.now()
            world._settle(now)
        except BaseException:
            self.__exit__()
            raise
        return now

    def __exit__(self, *exc_info: object) -> None:
        try:
            self._world.lock.release()
            self._version.__exit__()
        finally:
            self._world._deliver_outbox()
