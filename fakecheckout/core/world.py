"""The in-memory world of one fake: accounts, their sessions and catalog, the clock and the lock.

Every operation (each HTTP request, each direct-API call) runs under the world's lock, reads the clock
once, and first settles the sessions whose ``expires_at`` has come, oldest first, from a heap.
"""

from __future__ import annotations

import heapq
import itertools
import re
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from . import errors, versions
from .catalog import Catalog, customer_object, price_object
from .clock import Clock, SystemClock
from .currencies import SUPPORTED, is_supported
from .events import EventRecord, EventStore, pack, types_matching
from .ids import IdFactory
from .pagination import (
    CreatedRange,
    Index,
    PageRequest,
    SortedIndex,
    UnionIndex,
    envelope,
    page,
    page_in_order,
)
from .params import validate
from .session_expand import expand_item, expand_session
from .sessions import (
    EXPANDABLE,
    Builder,
    SessionRecord,
    apply_update,
    copy_json,
    customer_details,
    render,
    render_line_item,
)
from .versioned import downgrade
from .webhooks import Webhooks

SESSIONS_URL = "/v1/checkout/sessions"
_SESSION_ID = re.compile(r"cs_(?:test|live)_[0-9A-Za-z]+")
LINE_ITEMS_PREVIEW = 10

#: ``list`` filters that select sessions by equality, and how to read each from a session.
EQUALITY_FILTERS: dict[str, Callable[[SessionRecord], str | None]] = {
    "status": lambda record: record.status,
    "customer": lambda record: record.get("customer"),
    "customer_account": lambda record: record.get("customer_account"),
    "payment_intent": lambda record: record.get("payment_intent"),
    "payment_link": lambda record: record.get("payment_link"),
    "subscription": lambda record: record.get("subscription"),
    "customer_details[email]": lambda record: (record.get("customer_details") or {}).get("email"),
}


class AccountState:
    """What one account (the platform, or a connected account) stores."""

    def __init__(self, account_id: str | None) -> None:
        self.account_id = account_id
        self.sessions: dict[str, SessionRecord] = {}
        self.everything = SortedIndex()
        self.by_filter: dict[tuple[str, str], SortedIndex] = {}
        self.catalog = Catalog()
        self.events = EventStore()

    def index(self, record: SessionRecord) -> None:
        """Add a new ``record`` to the list indexes."""
        self.everything.add(record.key, record.id)
        self.reindex(record, dict.fromkeys(EQUALITY_FILTERS))

    def reindex(self, record: SessionRecord, before: dict[str, str | None]) -> None:
        """Move ``record`` between filter indexes after a change of the values in ``before``."""
        for name, read in EQUALITY_FILTERS.items():
            old, new = before[name], read(record)
            if old == new:
                continue
            if old is not None:
                self.by_filter[(name, old)].remove(record.key)
            if new is not None:
                self.by_filter.setdefault((name, new), SortedIndex()).add(record.key, record.id)

    def filter_values(self, record: SessionRecord) -> dict[str, str | None]:
        return {name: read(record) for name, read in EQUALITY_FILTERS.items()}


class World:
    """One fake's whole state. ``FakeCheckout`` adds the HTTP front door to it."""

    api_version: str = versions.LATEST
    """The account's default API version (``FakeCheckout(api_version=...)``)."""

    def __init__(self, *, clock: Clock | None = None, seed: int | None = None) -> None:
        self.clock: Clock = clock if clock is not None else SystemClock()
        self.lock = threading.RLock()
        self.ids = IdFactory(seed)
        self._seq = itertools.count(1)
        self._accounts: dict[str | None, Account] = {}
        self._expiry: list[tuple[int, int, str | None, str]] = []
        self._outbox: deque[EventRecord] = deque()
        self._delivery_lock = threading.Lock()
        self._delivering: int | None = None
        self._request = threading.local()
        self.webhooks = Webhooks(secret="whsec_" + self.ids.new("", 32))
        platform = self._account(None)
        self.sessions = platform.sessions
        self.prices = platform.prices
        self.customers = platform.customers
        self.events = platform.events

    def account(self, account_id: str) -> Account:
        """The namespace of a connected account (what ``Stripe-Account: acct_…`` selects)."""
        given: object = account_id
        if not isinstance(given, str) or not given.startswith("acct_"):
            raise ValueError(f"connected account ids start with 'acct_', not {account_id!r}")
        return self._account(account_id)

    def _account(self, account_id: str | None) -> Account:
        with self.lock:
            found = self._accounts.get(account_id)
            if found is None:
                found = self._accounts[account_id] = Account(self, AccountState(account_id))
            return found

    def new_id(self, prefix: str, length: int = 24) -> str:
        """A fresh id such as ``req_…``; reproducible with ``seed``."""
        return self.ids.new(prefix, length)

    def settle(self) -> list[dict[str, Any]]:
        """Settle due time-based expiries now; returns the events they produced."""
        try:
            with self.lock:
                produced = self._settle(self.clock.now())
                return [event.render() for event in produced]
        finally:
            self._deliver_outbox()

    @contextmanager
    def request_context(self, request_id: str, idempotency_key: str | None) -> Iterator[None]:
        """Events recorded inside name this request (the HTTP door wraps each request in it)."""
        self._request.current = (request_id, idempotency_key)
        try:
            yield
        finally:
            self._request.current = None

    def _serializing(self) -> bool:
        """Whether this thread answers an HTTP request, whose result is only turned into JSON
        (so it need not be a copy of what is stored)."""
        return getattr(self._request, "current", None) is not None

    # --- operations ---

    @contextmanager
    def _operation(self) -> Iterator[int]:
        """Hold the lock, read the clock once, settle due expiries; deliver events afterwards.
        The operation runs at the request's API version, else at the fake's own."""
        try:
            with versions.using(versions.current(self.api_version)), self.lock:
                now = self.clock.now()
                self._settle(now)
                yield now
        finally:
            self._deliver_outbox()

    def _settle(self, now: int) -> list[EventRecord]:
        produced: list[EventRecord] = []
        heap = self._expiry
        while heap and heap[0][0] <= now:
            expires_at, _, account_id, session_id = heapq.heappop(heap)
            state = self._accounts[account_id].state
            record = state.sessions[session_id]
            if record.status == "open":
                # A time-based expiry happened at expires_at, whatever request noticed it.
                produced.append(
                    self._change(
                        state,
                        record,
                        {"status": "expired"},
                        "expired",
                        at=expires_at,
                        by_request=False,
                    )
                )
        return produced

    def _next_seq(self) -> int:
        return next(self._seq)

    def _schedule_expiry(self, record: SessionRecord) -> None:
        heapq.heappush(
            self._expiry, (record.fields["expires_at"], record.seq, record.account, record.id)
        )

    def _change(
        self,
        state: AccountState,
        record: SessionRecord,
        fields: dict[str, Any],
        event: str,
        *,
        at: int,
        by_request: bool = True,
    ) -> EventRecord:
        """Apply a state change to ``record``, keep the list indexes right, record the event."""
        before = state.filter_values(record)
        record.fields.update(fields)
        state.reindex(record, before)
        current = getattr(self._request, "current", None) if by_request else None
        request_id, idempotency_key = current if current is not None else (None, None)
        subscribers = self.webhooks.subscribed
        recorded = EventRecord(
            id=self.ids.new("evt_", 24),
            seq=self._next_seq(),
            type=f"checkout.session.{event}",
            created=at,
            account=state.account_id,
            data=pack(render(record, copy=False)),
            request_id=request_id,
            idempotency_key=idempotency_key,
            pending_webhooks=subscribers,
            api_version=self.api_version,
        )
        state.events.add(recorded)
        if subscribers:
            self._outbox.append(recorded)
        return recorded

    def _deliver_outbox(self) -> None:
        """Deliver recorded events in order, outside the world's lock, one deliverer at a time.

        A thread that finds another one delivering leaves its events to it: the deliverer looks at
        the outbox again after letting go, so no event is stranded and none waits on a callback.
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
                        event = self._outbox.popleft()
                    self.webhooks.deliver(event.render())
            finally:
                self._delivering = None
                self._request.current = answering
                self._delivery_lock.release()


class _AccountAPI:
    """One family of operations on one account's state."""

    def __init__(self, world: World, state: AccountState) -> None:
        self._world = world
        self._state = state


class Account:
    """The public face of one account: ``sessions``, ``prices``, ``customers``."""

    def __init__(self, world: World, state: AccountState) -> None:
        self.world = world
        self.state = state
        self.sessions = SessionsAPI(world, state)
        self.prices = PricesAPI(world, state)
        self.customers = CustomersAPI(world, state)
        self.events = EventsAPI(world, state)

    @property
    def id(self) -> str | None:
        return self.state.account_id


class SessionsAPI(_AccountAPI):
    """Checkout Sessions of one account: the six endpoints, taking the SDK's keyword arguments.

    Every method returns plain dicts identical to Stripe's JSON and raises
    :class:`~fakecheckout.StripeError` subclasses as Stripe would answer.
    https://docs.stripe.com/api/checkout/sessions
    """

    def create(self, /, **params: Any) -> dict[str, Any]:
        """``POST /v1/checkout/sessions``."""
        world = self._world
        with world._operation() as now:
            checked = validate("create", params)
            expand = checked.pop("expand", [])
            builder = Builder(world.ids, self._state.catalog, now)
            record = builder.create(checked, seq=world._next_seq(), account=self._state.account_id)
            result = self._render(record, expand)
            self._state.sessions[record.id] = record
            self._state.index(record)
            world._schedule_expiry(record)
            return result

    def retrieve(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002 - Stripe's name
        """``GET /v1/checkout/sessions/{id}``; ``expand`` is the only parameter."""
        with self._world._operation():
            checked = validate("retrieve", params)
            return self._render(self._get(id), checked.get("expand", []))

    def update(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002
        """``POST /v1/checkout/sessions/{id}``: metadata, line items, shipping options, …"""
        world = self._world
        with world._operation() as now:
            checked = validate("update", params)
            record = self._get(id)
            expand = checked.pop("expand", [])
            changes = Builder(world.ids, self._state.catalog, now).update(record, checked)
            if expand:
                self._render(record, expand)  # an impossible expand fails before any change
            apply_update(record, changes)
            return self._render(record, expand)

    def list(self, /, **params: Any) -> dict[str, Any]:
        """``GET /v1/checkout/sessions``: newest first, filtered, one page."""
        with self._world._operation():
            checked = validate("list", params)
            request = PageRequest.from_params(checked)
            expand = [_strip_data(path) for path in checked.get("expand", [])]
            wanted = {
                name: value
                for name in EQUALITY_FILTERS
                if (value := _filter_param(checked, name)) is not None
            }
            state = self._state
            # Walk the smallest index that a filter selects; check the other filters per session.
            candidates = [state.by_filter.get(item, _EMPTY_INDEX) for item in wanted.items()]
            index = min(candidates, key=len) if candidates else state.everything

            def matches(session_id: str) -> bool:
                record = state.sessions[session_id]
                return all(EQUALITY_FILTERS[n](record) == v for n, v in wanted.items())

            ids, has_more = page(
                index,
                request,
                key_of=self._key_of,
                object_name="checkout.session",
                created=CreatedRange.from_param(checked.get("created")),
                matches=matches if len(wanted) > 1 else None,
            )
            data = [self._render(state.sessions[i], expand) for i in ids]
            return envelope(data, has_more, SESSIONS_URL)

    def expire(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002
        """``POST /v1/checkout/sessions/{id}/expire``: an ``open`` session becomes ``expired``."""
        world = self._world
        with world._operation() as now:
            checked = validate("expire", params)
            record = self._get(id)
            if record.status != "open":
                raise errors.expire_not_open(record.status)
            expand = checked.get("expand", [])
            if expand:
                self._render(record, expand)
            world._change(self._state, record, {"status": "expired"}, "expired", at=now)
            return self._render(record, expand)

    def complete(
        self,
        id: str,  # noqa: A002
        /,
        *,
        payment_status: str | None = None,
        customer_details: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Simulate the customer finishing the hosted page: an ``open`` session becomes ``complete``.

        ``payment_status`` defaults to ``paid`` (``no_payment_required`` in setup mode);
        ``"unpaid"`` models a delayed payment method, settled later by
        :meth:`settle_async_payment`. Records ``checkout.session.completed``.
        Not a Stripe API endpoint: Stripe completes sessions when a customer pays.
        """
        world = self._world
        with world._operation() as now:
            record = self._get(id)
            if record.status != "open":
                raise errors.complete_not_open(record.status)
            mode = record.get("mode")
            allowed = (
                ("no_payment_required",)
                if mode == "setup"
                else ("paid", "unpaid", "no_payment_required")
            )
            status = payment_status or allowed[0]
            if status not in allowed:
                raise errors.invalid_enum("payment_status", allowed)
            details = _completed_details(record, customer_details)
            fields: dict[str, Any] = {
                "status": "complete",
                "payment_status": status,
                "customer_details": details,
            }
            catalog = self._state.catalog
            customer_id = record.get("customer")
            creates_customer = mode == "subscription" or record.get("customer_creation") == "always"
            if customer_id is None and creates_customer:
                customer_id = world.ids.new("cus_", 14)
                catalog.customers[customer_id] = customer_object(
                    customer_id=customer_id,
                    created=now,
                    email=details["email"],
                    name=details["name"],
                    metadata={},
                )
                fields["customer"] = customer_id
            if mode == "payment":
                fields["payment_intent"] = world.ids.new("pi_", 24)
            elif mode == "subscription":
                fields["subscription"] = world.ids.new("sub_", 24)
                fields["invoice"] = world.ids.new("in_", 24)
            world._change(self._state, record, fields, "completed", at=now)
            return self._render(record, [])

    def settle_async_payment(self, id: str, /, *, succeeded: bool = True) -> dict[str, Any]:  # noqa: A002
        """Settle the delayed payment of a session completed with ``payment_status="unpaid"``.

        Success makes it ``paid`` and records ``checkout.session.async_payment_succeeded``; failure
        leaves it ``unpaid`` and records ``checkout.session.async_payment_failed``.
        """
        world = self._world
        with world._operation() as now:
            record = self._get(id)
            if (
                record.status != "complete"
                or record.get("payment_status") != "unpaid"
                or record.get("_async_settled")
            ):
                raise errors.no_pending_async_payment(record.status, record.get("payment_status"))
            fields: dict[str, Any] = {"_async_settled": True}
            if succeeded:
                fields["payment_status"] = "paid"
            event = "async_payment_succeeded" if succeeded else "async_payment_failed"
            world._change(self._state, record, fields, event, at=now)
            return self._render(record, [])

    def list_line_items(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002
        """``GET /v1/checkout/sessions/{id}/line_items``, in the session's order."""
        with self._world._operation():
            checked = validate("list_line_items", params)
            record = self._get(id)
            request = PageRequest.from_params(checked)
            result = self._line_items_page(record, request)
            for path in checked.get("expand", []):
                _expand_line_items(result, path, path)
            return result

    # --- helpers (the lock is held) ---

    def _get(self, session_id: str) -> SessionRecord:
        given: object = session_id  # a direct call may pass anything
        if not isinstance(given, str):
            raise errors.malformed_id("checkout.session", repr(given))
        record = self._state.sessions.get(session_id)
        if record is None:
            if not _SESSION_ID.fullmatch(session_id):
                raise errors.malformed_id("checkout.session", session_id)
            raise errors.no_such_session(session_id)
        return record

    def _key_of(self, session_id: str) -> tuple[int, int] | None:
        record = self._state.sessions.get(session_id)
        return None if record is None else record.key

    def _line_items_page(self, record: SessionRecord, request: PageRequest) -> dict[str, Any]:
        by_id = {item["id"]: item for item in record.line_items}
        ids, has_more = page_in_order(
            [item["id"] for item in record.line_items], request, object_name="line_item"
        )
        copy = not self._world._serializing()
        data = [render_line_item(by_id[i], copy=copy) for i in ids]
        return envelope(data, has_more, f"{SESSIONS_URL}/{record.id}/line_items")

    def _render(self, record: SessionRecord, expand: Sequence[str]) -> dict[str, Any]:
        out = render(record, copy=not self._world._serializing())
        for path in expand:
            head, _, rest = path.partition(".")
            if head == "line_items":
                if not isinstance(out.get("line_items"), dict):
                    out["line_items"] = self._line_items_page(
                        record, PageRequest(limit=LINE_ITEMS_PREVIEW)
                    )
                if rest:
                    _expand_line_items(out["line_items"], rest, path)
            elif head in EXPANDABLE and not rest:
                out[head] = self._expanded(head, out[head], path)
            elif expand_session(out, path):
                pass
            elif head in EXPANDABLE:
                raise errors.expand_not_emulated(path)
            else:
                raise errors.cannot_expand(path)
        return downgrade(out, versions.current(self._world.api_version))

    def _expanded(self, name: str, value: Any, path: str) -> Any:
        if value is None or isinstance(value, dict):
            return value
        if name == "customer":
            customer = self._state.catalog.customers.get(value)
            if customer is not None:
                return copy_json(customer)
        raise errors.expand_not_emulated(path)


_EMPTY_INDEX = SortedIndex()


def _filter_param(params: dict[str, Any], name: str) -> str | None:
    if name == "customer_details[email]":
        details = params.get("customer_details")
        return None if details is None else details.get("email")
    value = params.get(name)
    return value if isinstance(value, str) else None


def _strip_data(path: str) -> str:
    """A list's ``expand`` paths name the objects under ``data.``."""
    if not path.startswith("data."):
        raise errors.cannot_expand(path)
    return path[len("data.") :]


def _expand_line_items(listing: dict[str, Any], path: str, full_path: str) -> None:
    """``path`` under a line-items list (``data.price``, ``data.taxes``…), named ``full_path`` in
    errors, applied to every item of the page."""
    if not path.startswith("data."):
        raise errors.cannot_expand(full_path)
    listing["data"] = [dict(item) for item in listing["data"]]  # may be what is stored
    for item in listing["data"] or [{}]:  # an empty page still refuses a path Stripe refuses
        expand_item(item, path[len("data.") :], full_path)


def _completed_details(record: SessionRecord, given: dict[str, Any] | None) -> dict[str, Any]:
    """``customer_details`` of a completed session: the argument, else what the session knew."""
    known = record.get("customer_details") or customer_details(email=record.get("customer_email"))
    details = copy_json(known)
    supplied: object = given if given is not None else {}
    if not isinstance(supplied, dict):
        raise errors.invalid_hash("customer_details")
    for name, value in supplied.items():
        param = f"customer_details[{name}]"
        if name not in details:
            raise errors.unknown_parameter(param)
        if name == "address":
            if value is not None and not isinstance(value, dict):
                raise errors.invalid_hash(param)
        elif name == "tax_ids":
            if value is not None and not isinstance(value, list):
                raise errors.invalid_array(param)
        else:
            _check_text(param, value)
        details[name] = value
    if details.get("tax_ids") is None:
        details["tax_ids"] = []  # a completed session lists the tax ids collected (recordings)
    result: dict[str, Any] = details
    return result


def _check_text(name: str, value: object) -> None:
    """A direct-API argument that must be a string (or ``None``)."""
    if value is not None and not isinstance(value, str):
        raise errors.invalid_string(name, value)


def _check_metadata(name: str, value: object) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise errors.invalid_hash(name)
    for key, item in value.items():
        _check_text(f"{name}[{key}]", key)
        _check_text(f"{name}[{key}]", item)
    return dict(value)


class EventsAPI(_AccountAPI):
    """The events of one account: ``fake.events`` and ``/v1/events``.
    https://docs.stripe.com/api/events
    """

    def retrieve(self, id: str, /, **params: Any) -> dict[str, Any]:  # noqa: A002
        """``GET /v1/events/{id}``."""
        with self._world._operation():
            validate("events.retrieve", params)
            event = self._state.events.by_id.get(id)
            if event is None:
                raise errors.no_such_event(id)
            return event.render()

    def list(self, /, **params: Any) -> dict[str, Any]:
        """``GET /v1/events``: newest first; ``type`` takes a ``checkout.session.*`` wildcard."""
        with self._world._operation():
            checked = validate("events.list", params)
            request = PageRequest.from_params(checked)
            store = self._state.events
            if "type" in checked and "types" in checked:
                raise errors.only_one_of("type", "types")
            index: Index = store.everything
            if "type" in checked or "types" in checked:
                # Every type has its own index: read the union of those that match.
                wanted = types_matching(checked.get("type"), checked.get("types"), store.by_type)
                index = UnionIndex([store.by_type[name] for name in wanted])

            ids, has_more = page(
                index,
                request,
                key_of=lambda event_id: (
                    store.by_id[event_id].key if event_id in store.by_id else None
                ),
                object_name="event",
                created=CreatedRange.from_param(checked.get("created")),
            )
            return envelope([store.by_id[i].render() for i in ids], has_more, "/v1/events")


class PricesAPI(_AccountAPI):
    """Prices a line item can name by id: ``fake.prices.add(...)``."""

    def add(
        self,
        *,
        id: str | None = None,  # noqa: A002 - Stripe's name
        unit_amount: int,
        currency: str,
        product_name: str = "Test product",
        recurring: dict[str, Any] | None = None,
        lookup_key: str | None = None,
    ) -> dict[str, Any]:
        """Register a ``price`` (and its product) and return the Stripe ``price`` object.

        ``recurring`` is ``{"interval": "month", "interval_count": 1}`` as in Stripe's API.
        """
        world = self._world
        catalog = self._state.catalog
        with world._operation() as now:
            amount: object = unit_amount  # a direct call may pass anything
            if isinstance(amount, bool) or not isinstance(amount, int):
                raise errors.invalid_integer("unit_amount", amount)
            if amount < 0:
                raise errors.value_too_small("unit_amount", 0)
            code: object = currency
            if not isinstance(code, str) or not is_supported(code.lower()):
                raise errors.invalid_currency("currency", str(code), SUPPORTED)
            given: object = recurring
            if given is not None:
                if not isinstance(given, dict):
                    raise errors.invalid_hash("recurring")
                if given.get("interval") not in ("day", "week", "month", "year"):
                    raise errors.invalid_enum(
                        "recurring[interval]", ("day", "month", "week", "year")
                    )
                count = given.get("interval_count", 1)
                if isinstance(count, bool) or not isinstance(count, int):
                    raise errors.invalid_integer("recurring[interval_count]", count)
                if count < 1:
                    raise errors.value_too_small("recurring[interval_count]", 1)
            for name, text in (
                ("id", id),
                ("product_name", product_name),
                ("lookup_key", lookup_key),
            ):
                _check_text(name, text)
            price_id = id if id is not None else world.ids.new("price_", 24)
            if price_id in catalog.prices:
                raise errors.already_exists("price", price_id, param="id")
            if lookup_key is not None and lookup_key in catalog.lookup_keys:
                raise errors.already_exists("price with lookup_key", lookup_key, param="lookup_key")
            product = world.ids.new("prod_", 14)
            price = price_object(
                price_id=price_id,
                created=now,
                currency=currency.lower(),
                product=product,
                unit_amount=unit_amount,
                recurring=recurring,
                lookup_key=lookup_key,
            )
            catalog.prices[price_id] = price
            catalog.products[product] = product_name
            if lookup_key is not None:
                catalog.lookup_keys[lookup_key] = price_id
            result: dict[str, Any] = copy_json(price)
            return result


class CustomersAPI(_AccountAPI):
    """Customers a session can name: ``fake.customers.add(...)``."""

    def add(
        self,
        *,
        id: str | None = None,  # noqa: A002 - Stripe's name
        email: str | None = None,
        name: str | None = None,
        metadata: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """Register a ``customer`` and return the Stripe ``customer`` object."""
        world = self._world
        catalog = self._state.catalog
        with world._operation() as now:
            for name_, text in (("id", id), ("email", email), ("name", name)):
                _check_text(name_, text)
            customer_id = id if id is not None else world.ids.new("cus_", 14)
            if customer_id in catalog.customers:
                raise errors.already_exists("customer", customer_id, param="id")
            customer = customer_object(
                customer_id=customer_id,
                created=now,
                email=email,
                name=name,
                metadata=_check_metadata("metadata", metadata),
            )
            catalog.customers[customer_id] = customer
            result: dict[str, Any] = copy_json(customer)
            return result
