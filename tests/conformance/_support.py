"""What the conformance tests share: the two backends, the two SDK styles, and assertions.

A test body never asks which backend it runs on, except through ``Backend`` (``api_key``,
``make_price``, ``make_customer``, ``fake``) and ``backend.is_fake`` for the fake's own
decisions (API.md "D" rows), so the same body checks the fake and, with a key, Stripe itself.
Where API.md marks a value as unverified ("U"), the tests assert the fake's value on both
backends: a real-mode run then confirms it or shows the divergence.

Objects are read with ``obj["key"]`` and ``plain(obj)`` only, which work on stripe 16 (whose
objects are not dicts) and on stripe 14 (whose objects are dicts).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
import stripe

import fakecheckout
from fakecheckout import Clock, FakeCheckout
from fakecheckout.core import versions

KEY_ENV = "STRIPE_TEST_SECRET_KEY"
"""The environment variable whose test-mode key turns on the ``real`` backend."""

FAKE_API_KEY = "sk_test_fakecheckoutConformance1234"
"""The key the fake backend uses; Stripe itself would reject it."""

API_BASE = "https://api.stripe.com"
SESSIONS_URL = f"{API_BASE}/v1/checkout/sessions"

UNKNOWN_SESSION = "cs_test_a1NoSuchSessionFakecheckoutConformance0000000000000000000000"
"""A well-formed Checkout Session id that exists nowhere."""
UNKNOWN_PRICE = "price_1NoSuchPriceConformance00"
"""A well-formed price id that exists nowhere."""

SUCCESS_URL = "https://example.com/success?session_id={CHECKOUT_SESSION_ID}"

SCHEMA = json.loads(
    (Path(__file__).parents[1] / "fixtures" / "checkout.session.schema.json").read_text()
)


def pinned_api_version() -> str:
    """The API version the installed ``stripe`` sends (every release from 8.0 pins one)."""
    configured: str | None = getattr(stripe, "api_version", None)
    if configured:
        return configured
    from stripe._api_version import _ApiVersion

    return str(_ApiVersion.CURRENT)


PINNED_API_VERSION = pinned_api_version()


def at_pinned_version(fields: Iterable[str]) -> frozenset[str]:
    """The schema's field names (``2026-10-28.endive``) as the installed SDK's version has them."""
    result = set(fields)
    if not versions.has("payment_method_types_removed", PINNED_API_VERSION):
        result.discard("allowed_payment_method_types")
    if not versions.has("shipping_details_moved", PINNED_API_VERSION):
        result.add("shipping_details")
    return frozenset(result)


REQUIRED_FIELDS = at_pinned_version(SCHEMA["required"])
"""The fields the reference schema (the SDK's typed class) says every session has, at the
installed SDK's API version."""
KNOWN_FIELDS = at_pinned_version(SCHEMA["properties"])
"""Every field the reference schema declares, optional ones included (at that version too)."""


def real_key() -> str | None:
    """The real-mode key from the environment, or ``None`` (real mode is then skipped)."""
    return os.environ.get(KEY_ENV) or None


def line_item(unit_amount: int = 1500, quantity: int = 1, currency: str = "usd") -> dict[str, Any]:
    """An inline ``price_data`` line item."""
    return {
        "price_data": {
            "currency": currency,
            "unit_amount": unit_amount,
            "product_data": {"name": "fakecheckout conformance T-shirt"},
        },
        "quantity": quantity,
    }


def payment_params(**overrides: Any) -> dict[str, Any]:
    """Parameters of a valid one-item payment session, with ``overrides`` on top."""
    params: dict[str, Any] = {
        "mode": "payment",
        "line_items": [line_item()],
        "success_url": SUCCESS_URL,
    }
    params.update(overrides)
    return params


def plain(obj: Any) -> dict[str, Any]:
    """A shallow ``dict`` of a ``StripeObject``: stripe 14's objects are dicts (and deprecate
    ``to_dict``); stripe 16's are not (``to_dict`` is the way)."""
    if isinstance(obj, dict):
        return dict(obj)
    result: dict[str, Any] = obj.to_dict()
    return result


def fields_of(obj: Any) -> set[str]:
    """The top-level field names of a session, list or line item."""
    return set(plain(obj))


def ids_of(objects: Iterable[Any]) -> list[str]:
    return [obj["id"] for obj in objects]


def response_header(obj: Any, name: str) -> str | None:
    """A header of the response that brought ``obj``, by name in any case: the SDK hands over
    each HTTP client's own headers (``requests``' are case-insensitive, ``urllib``'s lowercased)."""
    headers = obj.last_response.headers
    wanted = name.lower()
    return next((str(v) for k, v in headers.items() if k.lower() == wanted), None)


def assert_stripe_error(
    error: stripe.StripeError,
    cls: type[stripe.StripeError],
    *,
    status: int,
    message: str,
    code: str | None = None,
    param: str | None = None,
    error_type: str = "invalid_request_error",
) -> None:
    """The exception class, status, and the body's ``type``/``code``/``param``/``message``.

    ``code`` and ``param`` of ``None`` mean "absent from the body", as Stripe leaves them out.
    """
    assert type(error) is cls, repr(error)
    assert error.http_status == status
    body = error.json_body["error"]  # type: ignore[index]
    assert body["type"] == error_type
    assert body.get("code") == code
    assert body.get("param") == param
    assert error.user_message == message
    assert error.request_id is not None
    assert error.request_id.startswith("req_")
    assert str(error) == f"Request {error.request_id}: {message}"
    if isinstance(error, stripe.InvalidRequestError):
        assert error.code == code
        assert error.param == param


# --- backends -----------------------------------------------------------------------------------


class Backend:
    """What a test may ask of the server it talks to."""

    name: str
    api_key: str
    fake: FakeCheckout | None = None
    many: int
    """How many sessions the auto-pagination tests create (fewer on the real API: it is slow)."""
    max_network_retries: int

    @property
    def is_fake(self) -> bool:
        return self.fake is not None

    @property
    def auth(self) -> dict[str, str]:
        """``Authorization`` for raw ``requests`` calls."""
        return {"Authorization": f"Bearer {self.api_key}"}

    def make_price(
        self, unit_amount: int, currency: str = "usd", recurring: dict[str, Any] | None = None
    ) -> str:
        """A price a line item can name by id; returns its id."""
        raise NotImplementedError

    def make_customer(self, email: str = "conformance@example.com") -> str:
        """A customer a session can name (and a list can filter on); returns its id."""
        raise NotImplementedError

    def track(self, session: Any) -> None:
        """Remember a session (object or id) this test created, so ``close`` can expire it."""

    def track_object(self, resource: str, obj: Any) -> None:
        """Remember a customer, product or price this test created, so ``close`` can delete or
        archive it."""

    def forget_unhandled(self) -> None:
        """A test that reached an unknown route on purpose keeps the strict fake quiet."""

    def close(self) -> None:
        raise NotImplementedError


class FakeBackend(Backend):
    name = "fake"
    api_key = FAKE_API_KEY
    many = 250
    max_network_retries = 0

    def __init__(self, clock: Clock | None = None) -> None:
        self.fake = FakeCheckout(clock=clock)
        self.fake.start()

    def make_price(
        self, unit_amount: int, currency: str = "usd", recurring: dict[str, Any] | None = None
    ) -> str:
        assert self.fake is not None
        return str(
            self.fake.prices.add(unit_amount=unit_amount, currency=currency, recurring=recurring)[
                "id"
            ]
        )

    def make_customer(self, email: str = "conformance@example.com") -> str:
        assert self.fake is not None
        return str(self.fake.customers.add(email=email)["id"])

    def forget_unhandled(self) -> None:
        assert self.fake is not None
        self.fake.unhandled.clear()

    def close(self) -> None:
        assert self.fake is not None
        if self.fake.active:
            self.fake.stop()  # strict: an unexpected unknown route fails the test here


class RealBackend(Backend):
    """Stripe's test mode. Everything a test creates is expired, archived or deleted after it."""

    name = "real"
    many = 25
    max_network_retries = 2

    def __init__(self, api_key: str) -> None:
        if not api_key.startswith(("sk_test_", "rk_test_")):
            raise ValueError(f"{KEY_ENV} must be a test-mode key (sk_test_… or rk_test_…)")
        try:
            active = fakecheckout.current()
        except RuntimeError:
            active = None
        if active is not None:
            raise RuntimeError("a FakeCheckout is active: it would intercept the real requests")
        self.api_key = api_key
        self.client = stripe.StripeClient(api_key, max_network_retries=2)
        self._sessions: list[str] = []
        self._prices: list[str] = []
        self._customers: list[str] = []
        self._products: list[str] = []
        self._webhook_endpoints: list[str] = []
        self._others: list[tuple[str, str]] = []

    def make_price(
        self, unit_amount: int, currency: str = "usd", recurring: dict[str, Any] | None = None
    ) -> str:
        params: dict[str, Any] = {
            "unit_amount": unit_amount,
            "currency": currency,
            "product_data": {"name": "fakecheckout conformance"},
        }
        if recurring is not None:
            params["recurring"] = recurring
        price_id = str(self.client.v1.prices.create(params=params)["id"])  # type: ignore[arg-type]
        self._prices.append(price_id)
        return price_id

    def make_customer(self, email: str = "conformance@example.com") -> str:
        customer = self.client.v1.customers.create(
            params={"email": email, "description": "fakecheckout conformance"}
        )
        self._customers.append(str(customer["id"]))
        return str(customer["id"])

    def track(self, session: Any) -> None:
        self._sessions.append(session if isinstance(session, str) else str(session["id"]))

    def track_object(self, resource: str, obj: Any) -> None:
        object_id = str(obj["id"])
        tracked = {
            "customers": self._customers,
            "prices": self._prices,
            "products": self._products,
            "webhook_endpoints": self._webhook_endpoints,
        }
        if resource in tracked:
            tracked[resource].append(object_id)
        else:
            self._others.append((resource, object_id))

    def close(self) -> None:
        for session_id in self._sessions:
            with contextlib.suppress(stripe.InvalidRequestError):  # expired or completed already
                self.client.v1.checkout.sessions.expire(session_id)
        for customer_id in self._customers:
            self.client.v1.customers.delete(customer_id)
        for endpoint_id in self._webhook_endpoints:
            with contextlib.suppress(stripe.InvalidRequestError):  # deleted by the test already
                self.client.v1.webhook_endpoints.delete(endpoint_id)
        for price_id in self._prices:
            with contextlib.suppress(stripe.InvalidRequestError):  # a product's default price
                self.client.v1.prices.update(price_id, params={"active": False})
        for product_id in self._products:
            with contextlib.suppress(stripe.InvalidRequestError):  # deleted by the test already
                self.client.v1.products.update(product_id, params={"active": False})
        for resource, object_id in self._others:  # coupons are deleted, the rest archived
            service = getattr(self.client.v1, resource)
            with contextlib.suppress(stripe.InvalidRequestError):
                if resource == "coupons":
                    service.delete(object_id)
                else:
                    service.update(object_id, params={"active": False})


# --- doors: how the SDK reaches the backend -----------------------------------------------------


class Door:
    """The HTTP client the SDK sends with, and where to (``api_base``, ``None``: Stripe's).

    Async doors run each SDK call as its ``*_async`` method on one event loop in the test's own
    thread (so the active fake is the test's, as in an ``async def`` test); what the SDK does
    synchronously on a returned object (``next_page()``, ``auto_paging_iter()``) uses the door's
    sync side (HTTPX's sync client, or ``requests`` beside aiohttp, as the SDK's
    ``async_fallback_client`` pairs them), as does a call from a webhook callback that runs
    inside an async call.
    """

    name = "requests"
    is_async = False
    api_base: str | None = None

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.http_client: stripe.HTTPClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        if self.is_async:
            self._loop = asyncio.new_event_loop()

    @property
    def busy(self) -> bool:
        """Whether the door's loop is running a call now (a callback inside it is calling)."""
        return self._loop is not None and self._loop.is_running()

    def run(self, awaitable: Any) -> Any:
        assert self._loop is not None
        return self._loop.run_until_complete(awaitable)

    def close(self) -> None:
        client = self.http_client
        if self._loop is not None:
            if client is not None:
                self.run(client.close_async())
            self._loop.close()
        elif client is not None:
            client.close()


class HttpxDoor(Door):
    name = "httpx"

    def __init__(self, backend: Backend) -> None:
        super().__init__(backend)
        self.http_client = stripe.HTTPXClient(allow_sync_methods=True)


class HttpxAsyncDoor(HttpxDoor):
    name = "httpx_async"
    is_async = True


class UrllibDoor(Door):
    name = "urllib"

    def __init__(self, backend: Backend) -> None:
        super().__init__(backend)
        # stripe 8 to 10 call it Urllib2Client (and only in ``stripe.http_client``).
        client_class = getattr(stripe, "UrllibClient", None)
        if client_class is None:
            from stripe import http_client

            client_class = http_client.Urllib2Client
        self.http_client = client_class()


class AiohttpDoor(Door):
    name = "aiohttp"
    is_async = True

    def __init__(self, backend: Backend) -> None:
        super().__init__(backend)
        self.http_client = stripe.RequestsClient(async_fallback_client=stripe.AIOHTTPClient())

    def close(self) -> None:
        assert self.http_client is not None and self._loop is not None
        self.run(self.http_client._async_fallback_client.close_async())  # type: ignore[union-attr]
        self._loop.close()


class ServerDoor(Door):
    """The SDK (with ``requests``) over real HTTP to ``fakecheckout serve``'s server of the fake."""

    name = "server"

    def __init__(self, backend: Backend) -> None:
        super().__init__(backend)
        from fakecheckout.server import FakeServer

        assert backend.fake is not None
        self.server = FakeServer(backend.fake)
        self.api_base = self.server.url
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self._thread.join()
        self.server.server_close()


DOORS: dict[str, type[Door]] = {
    door.name: door
    for door in (Door, HttpxDoor, HttpxAsyncDoor, UrllibDoor, AiohttpDoor, ServerDoor)
}
"""Every way in, by name: requests, httpx, httpx_async, urllib, aiohttp, server."""


# --- SDK styles ---------------------------------------------------------------------------------


class SdkStyle:
    """The six Checkout Session endpoints in one SDK style; ``options`` are request options
    (``idempotency_key=``, ``stripe_account=``, ``api_key=``)."""

    name: str

    def __init__(self, backend: Backend, door: Door | None = None) -> None:
        self.backend = backend
        self.door = door if door is not None else Door(backend)

    def __enter__(self) -> SdkStyle:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    def call(self, owner: Any, method: str, *args: Any, **kwargs: Any) -> Any:
        """``owner.method(...)``, or ``owner.method_async(...)`` run on the door's loop (unless
        that loop is busy: a webhook callback inside a request calls the sync side)."""
        if self.door.is_async and not self.door.busy:
            return self.door.run(getattr(owner, f"{method}_async")(*args, **kwargs))
        return getattr(owner, method)(*args, **kwargs)

    def create(self, params: dict[str, Any], **options: Any) -> Any:
        session = self._create(params, options)
        self.backend.track(session)
        return session

    def _create(self, params: dict[str, Any], options: dict[str, Any]) -> Any:
        raise NotImplementedError

    def retrieve(
        self, session_id: str, params: dict[str, Any] | None = None, **options: Any
    ) -> Any:
        raise NotImplementedError

    def update(self, session_id: str, params: dict[str, Any], **options: Any) -> Any:
        raise NotImplementedError

    def list(self, params: dict[str, Any] | None = None, **options: Any) -> Any:
        raise NotImplementedError

    def expire(self, session_id: str, params: dict[str, Any] | None = None, **options: Any) -> Any:
        raise NotImplementedError

    def list_line_items(
        self, session_id: str, params: dict[str, Any] | None = None, **options: Any
    ) -> Any:
        raise NotImplementedError

    def resource(self, name: str) -> ResourceCalls:
        """``customers``, ``products`` or ``prices`` in this style."""
        raise NotImplementedError


class GlobalStyle(SdkStyle):
    """``stripe.api_key = key; stripe.checkout.Session.create(...)``; globals restored on exit
    (``stripe.default_http_client`` and ``stripe.api_base`` set by the door too)."""

    name = "global"

    def __enter__(self) -> GlobalStyle:
        self._saved = (
            stripe.api_key,
            stripe.max_network_retries,
            stripe.default_http_client,
            stripe.api_base,
        )
        stripe.api_key = self.backend.api_key
        stripe.max_network_retries = self.backend.max_network_retries
        if self.door.http_client is not None:
            stripe.default_http_client = self.door.http_client
        if self.door.api_base is not None:
            stripe.api_base = self.door.api_base
        return self

    def __exit__(self, *exc_info: object) -> None:
        (
            stripe.api_key,
            stripe.max_network_retries,
            stripe.default_http_client,
            stripe.api_base,
        ) = self._saved

    def _create(self, params: dict[str, Any], options: dict[str, Any]) -> Any:
        return self.call(stripe.checkout.Session, "create", **params, **options)

    def retrieve(
        self, session_id: str, params: dict[str, Any] | None = None, **options: Any
    ) -> Any:
        return self.call(
            stripe.checkout.Session, "retrieve", session_id, **(params or {}), **options
        )

    def update(self, session_id: str, params: dict[str, Any], **options: Any) -> Any:
        if not hasattr(stripe.checkout.Session, "modify"):  # stripe < 10: no update endpoint yet
            pytest.skip(f"stripe {stripe.VERSION} has no checkout.Session.modify")
        return self.call(stripe.checkout.Session, "modify", session_id, **params, **options)

    def list(self, params: dict[str, Any] | None = None, **options: Any) -> Any:
        return self.call(stripe.checkout.Session, "list", **(params or {}), **options)

    def expire(self, session_id: str, params: dict[str, Any] | None = None, **options: Any) -> Any:
        return self.call(stripe.checkout.Session, "expire", session_id, **(params or {}), **options)

    def list_line_items(
        self, session_id: str, params: dict[str, Any] | None = None, **options: Any
    ) -> Any:
        return self.call(
            stripe.checkout.Session, "list_line_items", session_id, **(params or {}), **options
        )

    def resource(self, name: str) -> ResourceCalls:
        return GlobalResource(self.backend, name)


class ClientStyle(SdkStyle):
    """``stripe.StripeClient(key).v1.checkout.sessions.create(params={...}, options={...})``."""

    name = "client"

    def __init__(self, backend: Backend, door: Door | None = None) -> None:
        super().__init__(backend, door)
        extra: dict[str, Any] = {}
        if self.door.http_client is not None:
            extra["http_client"] = self.door.http_client
        if self.door.api_base is not None:
            extra["base_addresses"] = {"api": self.door.api_base}
        self.client = stripe.StripeClient(
            backend.api_key, max_network_retries=backend.max_network_retries, **extra
        )
        self.sessions = self.client.v1.checkout.sessions

    def _create(self, params: dict[str, Any], options: dict[str, Any]) -> Any:
        return self.call(self.sessions, "create", params=params, options=options)

    def retrieve(
        self, session_id: str, params: dict[str, Any] | None = None, **options: Any
    ) -> Any:
        return self.call(self.sessions, "retrieve", session_id, params=params, options=options)

    def update(self, session_id: str, params: dict[str, Any], **options: Any) -> Any:
        return self.call(self.sessions, "update", session_id, params=params, options=options)

    def list(self, params: dict[str, Any] | None = None, **options: Any) -> Any:
        return self.call(self.sessions, "list", params=params, options=options)

    def expire(self, session_id: str, params: dict[str, Any] | None = None, **options: Any) -> Any:
        return self.call(self.sessions, "expire", session_id, params=params, options=options)

    def list_line_items(
        self, session_id: str, params: dict[str, Any] | None = None, **options: Any
    ) -> Any:
        return self.call(
            self.sessions.line_items, "list", session_id, params=params, options=options
        )

    def resource(self, name: str) -> ResourceCalls:
        return ClientResource(self.backend, name, getattr(self.client.v1, name))


class ResourceCalls:
    """One resource's endpoints (``customers``, ``products``, ``prices``, ``webhook_endpoints``)
    in one SDK style."""

    def __init__(self, backend: Backend, name: str) -> None:
        self.backend = backend
        self.name = name

    def create(self, **params: Any) -> Any:
        created = self._create(params)
        self.backend.track_object(self.name, created)
        return created

    def _create(self, params: dict[str, Any]) -> Any:
        raise NotImplementedError

    def retrieve(self, object_id: str, **params: Any) -> Any:
        raise NotImplementedError

    def update(self, object_id: str, **params: Any) -> Any:
        raise NotImplementedError

    def delete(self, object_id: str) -> Any:
        raise NotImplementedError

    def list(self, **params: Any) -> Any:
        raise NotImplementedError

    def search(self, **params: Any) -> Any:
        raise NotImplementedError


class GlobalResource(ResourceCalls):
    """``stripe.Customer.create(...)``, ``.retrieve``, ``.modify``, ``.delete``, ``.list``."""

    CLASSES = {
        "customers": stripe.Customer,
        "products": stripe.Product,
        "prices": stripe.Price,
        "webhook_endpoints": stripe.WebhookEndpoint,
        "coupons": stripe.Coupon,
        "promotion_codes": stripe.PromotionCode,
        "shipping_rates": stripe.ShippingRate,
        "tax_rates": stripe.TaxRate,
        "subscriptions": stripe.Subscription,
        "invoices": stripe.Invoice,
        "payment_intents": stripe.PaymentIntent,
        "charges": stripe.Charge,
        "payment_methods": stripe.PaymentMethod,
        "refunds": stripe.Refund,
        "setup_intents": stripe.SetupIntent,
    }

    def __init__(self, backend: Backend, name: str) -> None:
        super().__init__(backend, name)
        self.cls: Any = self.CLASSES[name]

    def _create(self, params: dict[str, Any]) -> Any:
        return self.cls.create(**params)

    def retrieve(self, object_id: str, **params: Any) -> Any:
        return self.cls.retrieve(object_id, **params)

    def update(self, object_id: str, **params: Any) -> Any:
        return self.cls.modify(object_id, **params)

    def delete(self, object_id: str) -> Any:
        return self.cls.delete(object_id)

    def list(self, **params: Any) -> Any:
        return self.cls.list(**params)

    def search(self, **params: Any) -> Any:
        return self.cls.search(**params)


class ClientResource(ResourceCalls):
    """``client.v1.customers.create(params={...})`` and the rest."""

    def __init__(self, backend: Backend, name: str, service: Any) -> None:
        super().__init__(backend, name)
        self.service = service

    def _create(self, params: dict[str, Any]) -> Any:
        return self.service.create(params=params)

    def retrieve(self, object_id: str, **params: Any) -> Any:
        return self.service.retrieve(object_id, params=params)

    def update(self, object_id: str, **params: Any) -> Any:
        return self.service.update(object_id, params=params)

    def delete(self, object_id: str) -> Any:
        return self.service.delete(object_id)

    def list(self, **params: Any) -> Any:
        return self.service.list(params=params)

    def search(self, **params: Any) -> Any:
        return self.service.search(params=params)


def client_style_available() -> bool:
    """Whether this ``stripe`` has ``StripeClient`` with the ``v1`` namespace."""
    client_class = getattr(stripe, "StripeClient", None)
    if client_class is None:
        return False
    return hasattr(client_class(FAKE_API_KEY), "v1")
