"""Stripe's error objects, and every message fakecheckout sends, word for word in one place.

Each function below builds the error Stripe answers for one case of ``API.md``'s decision table.
Where the wording is unverified against Stripe, the function's docstring says so.
"""

from __future__ import annotations

import reprlib
from collections.abc import Iterable
from typing import Any

DOCS = "https://stripe.com/docs"
SUPPORT = "https://support.stripe.com/"


class StripeError(Exception):
    """A Stripe API error: ``type``, ``code``, ``message``, ``param`` and the HTTP status."""

    default_type = "api_error"
    default_status = 500

    def __init__(
        self,
        message: str,
        *,
        param: str | None = None,
        code: str | None = None,
        http_status: int | None = None,
        type: str | None = None,  # noqa: A002 - Stripe's own field name
        after_validation: bool = False,
    ) -> None:
        message = _bounded(message)
        super().__init__(message)
        self.message = message
        #: Raised once the endpoint ran (a missing object, a session in the wrong state), not by
        #: parameter validation: Stripe keeps such a result for idempotent replay.
        self.after_validation = after_validation
        self.param = param
        self.code = code
        self.http_status = http_status if http_status is not None else self.default_status
        self.type = type if type is not None else self.default_type

    @property
    def doc_url(self) -> str | None:
        """Stripe links every error code to its page on the error-codes docs."""
        if self.code is None:
            return None
        return f"{DOCS}/error-codes/{self.code.replace('_', '-')}"

    def to_dict(self) -> dict[str, Any]:
        """``{"error": {...}}`` as Stripe sends it: keys in alphabetical order, absent when unset."""
        fields: dict[str, Any] = {
            "code": self.code,
            "doc_url": self.doc_url,
            "message": self.message,
            "param": self.param,
            "type": self.type,
        }
        return {"error": {key: value for key, value in fields.items() if value is not None}}

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(http_status={self.http_status}, type={self.type!r}, "
            f"code={self.code!r}, param={self.param!r}, message={self.message!r})"
        )


class InvalidRequestError(StripeError):
    """400 or 404 ``invalid_request_error``: the request was malformed or names a missing object."""

    default_type = "invalid_request_error"
    default_status = 400


class AuthenticationError(StripeError):
    """401: no API key, a malformed one, or a live key."""

    default_type = "invalid_request_error"
    default_status = 401


class PermissionError(StripeError):  # noqa: A001 - named as stripe-python names it
    """403: the key may not do this."""

    default_type = "invalid_request_error"
    default_status = 403


class IdempotencyError(StripeError):
    """400 (or 409 while in flight) ``idempotency_error``: an ``Idempotency-Key`` misused."""

    default_type = "idempotency_error"
    default_status = 400


class APIError(StripeError):
    """500 ``api_error``: a failure inside the fake. No input should reach it."""

    default_type = "api_error"
    default_status = 500


# --- objects that do not exist ------------------------------------------------------------------


def no_such_object(
    object_name: str, object_id: str, *, param: str, status: int = 404
) -> StripeError:
    """``No such checkout.session: 'cs_…'``; 404 for a path id, 400 for an id inside parameters.

    Divergence: ``param`` is ``session`` for a path id, which Stripe does not document (unverified).
    """
    return InvalidRequestError(
        f"No such {object_name}: '{object_id}'",
        param=param,
        code="resource_missing",
        http_status=status,
        after_validation=True,
    )


def no_such_session(session_id: str) -> StripeError:
    return no_such_object("checkout.session", session_id, param="session")


def no_such_event(event_id: str) -> StripeError:
    return no_such_object("event", event_id, param="id")


def no_such_price(price_id: str, *, param: str) -> StripeError:
    return no_such_object("price", price_id, param=param, status=400)


def no_such_cursor(object_name: str, object_id: str, *, param: str) -> StripeError:
    """An unknown ``starting_after``/``ending_before`` id: 400, not 404 (verified shape)."""
    return no_such_object(object_name, object_id, param=param, status=400)


# --- parameters ---------------------------------------------------------------------------------


def unknown_parameter(name: str) -> StripeError:
    return InvalidRequestError(
        f"Received unknown parameter: {name}", param=name, code="parameter_unknown"
    )


def invalid_api_version(version: str) -> StripeError:
    """A ``Stripe-Version`` header that is no API version (wording quoted by SDK users; no code,
    no param: unverified)."""
    return InvalidRequestError(f"Invalid Stripe API version: {version}")


def beta_not_permitted(version: str, beta: str) -> StripeError:
    """A ``Stripe-Version`` naming a beta (``2026-10-28.endive; x_beta=v1``) the account is not
    in (wording as Stripe's, reported in stripe-samples/link#58)."""
    return InvalidRequestError(
        f"Invalid Stripe API version: {version}. You do not have permission to pass this beta "
        f"header: {beta}. If you have any questions, we can help at https://support.stripe.com/."
    )


def missing_parameter(name: str) -> StripeError:
    """Unverified as official; quoted word for word by several third parties."""
    return InvalidRequestError(
        f"Missing required param: {name}.", param=name, code="parameter_missing"
    )


def invalid_integer(name: str, raw: object) -> StripeError:
    return InvalidRequestError(
        f"Invalid integer: {_show(raw)}", param=name, code="parameter_invalid_integer"
    )


def invalid_boolean(name: str, raw: object) -> StripeError:
    """Unverified wording, following the ``Invalid integer`` pattern."""
    return InvalidRequestError(f"Invalid boolean: {_show(raw)}", param=name)


def invalid_decimal(name: str, raw: object) -> StripeError:
    """Unverified wording, following the ``Invalid integer`` pattern."""
    return InvalidRequestError(f"Invalid decimal: {_show(raw)}", param=name)


def invalid_string(name: str, raw: object) -> StripeError:
    """A hash or array where Stripe wants a string. Unverified wording."""
    return InvalidRequestError(f"Invalid string: {_show(raw)}", param=name)


def invalid_enum(name: str, values: Iterable[str]) -> StripeError:
    """``Invalid mode: must be one of payment, setup, or subscription`` (verified format)."""
    return InvalidRequestError(f"Invalid {name}: must be one of {_or_list(values)}", param=name)


def invalid_hash(name: str) -> StripeError:
    return InvalidRequestError("Invalid hash", param=name)


def invalid_array(name: str) -> StripeError:
    return InvalidRequestError("Invalid array", param=name)


def invalid_currency(name: str, value: str, supported: Iterable[str]) -> StripeError:
    return InvalidRequestError(
        f"Invalid currency: {value}. Stripe currently supports these currencies: "
        f"{', '.join(supported)}",
        param=name,
    )


def empty_string(name: str) -> StripeError:
    return InvalidRequestError(
        f"You passed an empty string for '{name}'. We assume empty values are an attempt to unset "
        f"a parameter; however '{name}' cannot be unset. You should remove '{name}' from your "
        "request or supply a non-empty value.",
        param=name,
        code="parameter_invalid_empty",
    )


def invalid_url(name: str) -> StripeError:
    return InvalidRequestError("Not a valid URL", param=name, code="url_invalid")


def array_keys_not_sequential(name: str, passed: Iterable[str], expected: str) -> StripeError:
    """Explicit array keys must be ``0, 1, 2…`` (verified wording)."""
    keys = ", ".join(f"`{key}`" for key in passed)
    return InvalidRequestError(
        "If passing an array with explicit keys (e.g. foo[0]=a&foo[1]=b) instead of as an array "
        "(e.g. foo[]=a&foo[]=b), the keys must be numeric and sequential starting from 0. "
        f"You passed the keys {keys}, we expected to have a key with the value `{expected}`.",
        param=name,
    )


def mixed_array_and_hash(name: str) -> StripeError:
    """The same name used both as ``a[]=`` / ``a=`` and ``a[key]=``. Unverified wording."""
    return InvalidRequestError(
        f"Invalid value for {name}: it was sent both as a scalar or array and as a hash.",
        param=name,
    )


def too_many_items(name: str, maximum: int) -> StripeError:
    """Unverified wording."""
    return InvalidRequestError(
        f"Invalid array: {name} must have at most {maximum} items.", param=name
    )


def value_too_small(name: str, minimum: int) -> StripeError:
    """Unverified for ``limit``; the phrasing is Stripe's for other integers."""
    return InvalidRequestError(
        f"This value must be greater than or equal to {minimum}.", param=name
    )


def value_too_large(name: str, maximum: int) -> StripeError:
    """Unverified for ``limit``; the phrasing is Stripe's for other integers."""
    return InvalidRequestError(f"This value must be less than or equal to {maximum}.", param=name)


def string_too_long(name: str, maximum: int) -> StripeError:
    """Unverified wording."""
    return InvalidRequestError(f"Invalid {name}: must be at most {maximum} characters", param=name)


def both_cursors() -> StripeError:
    return InvalidRequestError(
        "Received both starting_after and ending_before parameters. Please pass in only one."
    )


def not_allowed_with(name: str, reason: str) -> StripeError:
    """A parameter that Stripe's docs forbid in this combination; ``reason`` finishes the sentence.

    Unverified wording: the rules are Stripe's documented ones, the sentence is fakecheckout's.
    """
    return InvalidRequestError(f"You cannot pass `{name}` {reason}.", param=name)


def requires(name: str, reason: str) -> StripeError:
    """A parameter that Stripe's docs require in this combination. Unverified wording."""
    return InvalidRequestError(
        f"Missing required param: {name}. It is required {reason}.",
        param=name,
        code="parameter_missing",
    )


def line_item_needs_price() -> StripeError:
    """Verified wording (seen in a real report)."""
    return InvalidRequestError(
        "You must provide either price or price_data for each line item when using prices."
    )


def line_item_price_and_price_data(index: int) -> StripeError:
    """Unverified wording."""
    return InvalidRequestError(
        "You may only specify one of these parameters: price, price_data.",
        param=f"line_items[{index}]",
    )


def price_data_needs_product(index: int) -> StripeError:
    """Neither ``product`` nor ``product_data``. Unverified wording."""
    return InvalidRequestError(
        "You must specify either `product` or `product_data` when creating a price.",
        param=f"line_items[{index}][price_data]",
    )


def price_data_product_and_product_data(index: int) -> StripeError:
    """Both ``product`` and ``product_data``. Unverified wording."""
    return InvalidRequestError(
        "You may only specify one of these parameters: product, product_data.",
        param=f"line_items[{index}][price_data]",
    )


def line_item_twice(index: int, item_id: str) -> StripeError:
    """The same existing line item twice in one update. Unverified wording."""
    return InvalidRequestError(
        f"You passed the line item `{item_id}` more than once.",
        param=f"line_items[{index}][id]",
    )


def shipping_currency_mismatch(
    index: int, expected: str, got: str, *, param: str | None = None
) -> StripeError:
    """A shipping rate in another currency than the session's. Unverified wording."""
    return InvalidRequestError(
        f"The shipping rate's currency `{got}` must match the Checkout Session's currency "
        f"`{expected}`.",
        param=param or f"shipping_options[{index}][shipping_rate_data][fixed_amount][currency]",
    )


def price_data_needs_amount(index: int) -> StripeError:
    """Unverified wording."""
    return InvalidRequestError(
        "You must specify either `unit_amount` or `unit_amount_decimal`.",
        param=f"line_items[{index}][price_data][unit_amount]",
    )


def recurring_price_needs_subscription_mode(index: int) -> StripeError:
    """Unverified wording."""
    return InvalidRequestError(
        "You specified `payment` mode but passed a recurring price. Either switch to "
        "`subscription` mode or use only one-time prices.",
        param=f"line_items[{index}]",
    )


def subscription_mode_needs_recurring_price() -> StripeError:
    """Unverified wording."""
    return InvalidRequestError(
        "You must provide at least one recurring price in `subscription` mode when using prices.",
        param="line_items",
    )


def mixed_currencies(index: int, expected: str, got: str) -> StripeError:
    """Follows the verified ``The price specified supports currencies of …`` sentence."""
    return InvalidRequestError(
        f"The price specified supports currencies of `{got}` which doesn't include the expected "
        f"currency of `{expected}`.",
        param=f"line_items[{index}]",
    )


def total_below_minimum(shown_minimum: str, currency: str) -> StripeError:
    """Stripe's text, quoted by several public apps; ``param`` and ``code`` are unverified (none)."""
    return InvalidRequestError(
        f"The Checkout Session's total amount due must add up to at least {shown_minimum} {currency}"
    )


def total_above_maximum(shown_maximum: str, currency: str) -> StripeError:
    """fakecheckout's wording, in the form of the minimum's (Stripe's text is not known)."""
    return InvalidRequestError(
        "The Checkout Session's total amount due must add up to no more than "
        f"{shown_maximum} {currency}"
    )


def metadata_key_too_long(name: str, key: str, maximum: int) -> StripeError:
    """Unverified wording: not in the reference; quoted from a real response by one third party."""
    return InvalidRequestError(
        f"Metadata keys can have up to {maximum} characters, but you passed in a key that is "
        f"{len(key)} characters. Invalid key: {key}",
        param=name,
    )


def metadata_value_too_long(name: str, value: str, maximum: int) -> StripeError:
    """Unverified wording: not in the reference; quoted from real responses by third parties."""
    return InvalidRequestError(
        f"Metadata values can have up to {maximum} characters, but you passed in a value that is "
        f"{len(value)} characters. Invalid value: {value}",
        param=name,
    )


def too_many_metadata_keys(name: str, count: int, maximum: int) -> StripeError:
    """Unverified wording."""
    return InvalidRequestError(
        f"Invalid {name}: you can specify up to {maximum} keys, but you passed in {count}.",
        param=name,
    )


def mixed_scalar_and_array(name: str) -> StripeError:
    """The same name used both as ``a=`` and ``a[]=``. Unverified wording."""
    return InvalidRequestError(
        f"Invalid value for {name}: it was sent both as a scalar and as an array.", param=name
    )


def with_json_body_hint(error: StripeError) -> StripeError:
    """``error`` (about a parameter named like a JSON text) with fakecheckout's hint after it."""
    return type(error)(
        f"{error.message} (fakecheckout: the request body looks like JSON, but Stripe's API "
        "takes form-encoded bodies (application/x-www-form-urlencoded), as the stripe SDKs send "
        "them.)",
        param=error.param,
        code=error.code,
        http_status=error.http_status,
        type=error.type,
        after_validation=error.after_validation,
    )


def cyclic_value(name: str) -> StripeError:
    """A direct-API value that contains itself. The SDK cannot encode one (it would recurse
    forever), so Stripe never sees it: fakecheckout's own wording."""
    return InvalidRequestError(
        f"Invalid value for {name}: it contains itself (a cyclic hash or array), which cannot be "
        "sent to Stripe.",
        param=name,
    )


def invalid_parameter_name(name: str) -> StripeError:
    """An empty name (``=x``, ``[x]=1``) or unbalanced brackets (``a[b=1``). Unverified wording.

    ``param`` is the name as sent, or absent when the name is empty.
    """
    return InvalidRequestError(
        f"Invalid parameter name: '{name}'. A name must not be empty, and nested keys must be "
        "written as name[key] or name[] (e.g. metadata[order_id]=6735), with no other square "
        "brackets.",
        param=name or None,
    )


def parameter_too_deep(name: str, maximum: int) -> StripeError:
    """A name with more than ``maximum`` bracket pairs (a fakecheckout bound). Unverified wording.

    ``param`` is the top-level name only, because the full name can be arbitrarily long.
    """
    return InvalidRequestError(
        f"Invalid parameter {name}: it is nested more than {maximum} levels deep.", param=name
    )


def too_many_parameters(maximum: int) -> StripeError:
    """More than ``maximum`` ``name=value`` pairs (a fakecheckout bound). Unverified wording."""
    return InvalidRequestError(
        f"Too many parameters: a request may contain at most {maximum} name=value pairs."
    )


def only_one_of(*names: str) -> StripeError:
    """Two parameters that exclude each other (wording seen in Stripe responses)."""
    return InvalidRequestError(
        f"You may only specify one of these parameters: {', '.join(names)}.", param=names[-1]
    )


def already_exists(object_name: str, object_id: str, *, param: str) -> StripeError:
    """Unverified wording."""
    return InvalidRequestError(
        f"A {object_name} with id '{object_id}' already exists.",
        param=param,
        code="resource_already_exists",
    )


# --- customers, products, prices -----------------------------------------------------------------


def too_many_webhook_endpoints(maximum: int) -> StripeError:
    """Creating one webhook endpoint more than test mode allows (wording seen in Stripe
    responses; no code or param)."""
    return InvalidRequestError(
        f"You have reached the maximum of {maximum} test webhook endpoints.",
        after_validation=True,
    )


def product_has_prices() -> StripeError:
    """Deleting a product that prices use (wording seen in Stripe responses)."""
    return InvalidRequestError(
        "This product cannot be deleted because it has one or more user-created prices.",
        after_validation=True,
    )


def default_price_cannot_be_archived() -> StripeError:
    """Archiving a product's default price (wording seen in Stripe responses)."""
    return InvalidRequestError(
        "This price cannot be archived because it is the default price of its product.",
        param="active",
        after_validation=True,
    )


def default_price_of_other_product(price_id: str, product_id: str) -> StripeError:
    """Unverified wording."""
    return InvalidRequestError(
        f"The price `{price_id}` does not belong to the product `{product_id}`.",
        param="default_price",
        after_validation=True,
    )


def lookup_key_in_use(holder_id: str) -> StripeError:
    """A ``lookup_key`` another price holds, without ``transfer_lookup_key`` (wording seen in
    Stripe responses; the param is unverified)."""
    return InvalidRequestError(
        f"A price (`{holder_id}`) already uses that lookup key.",
        param="lookup_key",
        after_validation=True,
    )


def tax_behavior_fixed(current: str) -> StripeError:
    """Unverified wording: Stripe documents that an inclusive or exclusive price keeps it."""
    return InvalidRequestError(
        f"The tax_behavior of a price cannot be changed once it is `{current}`.",
        param="tax_behavior",
        after_validation=True,
    )


def price_needs_product() -> StripeError:
    """Unverified wording."""
    return InvalidRequestError(
        "You must specify either `product` or `product_data` when creating a price.",
        param="product",
    )


def price_needs_amount(prefix: str) -> StripeError:
    """Unverified wording (Stripe's docs: one of them is required)."""
    name = (lambda field: f"{prefix}[{field}]") if prefix else (lambda field: field)
    return InvalidRequestError(
        f"Missing required param: {name('unit_amount')}, {name('unit_amount_decimal')} or "
        f"{name('custom_unit_amount')}.",
        param=name("unit_amount"),
        code="parameter_missing",
    )


def price_inactive(param: str) -> StripeError:
    """A Checkout line item naming an archived price (wording seen in Stripe responses)."""
    return InvalidRequestError(
        "The price specified is inactive. This field only accepts active prices.",
        param=param,
        after_validation=True,
    )


def not_emulated_parameter(name: str) -> StripeError:
    """Divergence: a parameter Stripe accepts whose effect fakecheckout does not model."""
    return InvalidRequestError(
        f"fakecheckout does not emulate the parameter `{name}` here yet.", param=name
    )


def canceled_subscription_update() -> StripeError:
    """Unverified wording (seen quoted in public issues): what updating a canceled subscription
    answers."""
    return InvalidRequestError(
        "A canceled subscription can only update its cancellation_details and metadata.",
        after_validation=True,
    )


def subscription_already_canceled(subscription_id: str) -> StripeError:
    """Unverified wording: cancelling a subscription that has already ended."""
    return InvalidRequestError(
        f"No such subscription: '{subscription_id}'; it has already been canceled.",
        code="resource_missing",
        param="id",
        http_status=404,
        after_validation=True,
    )


def subscription_price_not_recurring(param: str) -> StripeError:
    """Unverified wording: a subscription item needs a recurring price."""
    return InvalidRequestError(
        "The price specified is set to `type=one_time` but this field only accepts prices with "
        "`type=recurring`.",
        param=param,
        after_validation=True,
    )


def subscription_currency_mismatch(param: str, currency: str) -> StripeError:
    """Unverified wording: every item of a subscription bills in its one currency."""
    return InvalidRequestError(
        f"The price specified does not match the subscription's currency `{currency}`.",
        param=param,
        after_validation=True,
    )


def subscription_needs_items() -> StripeError:
    """Unverified wording: an update that would remove every item."""
    return InvalidRequestError(
        "A subscription must have at least one active plan.",
        param="items",
        after_validation=True,
    )


def expand_too_deep(path: str, maximum: int) -> StripeError:
    """Unverified wording: Stripe expands at most four levels."""
    return InvalidRequestError(
        f"You cannot expand more than {maximum} levels of a property. Property: {path}",
        param="expand",
    )


# --- Checkout Session rules ---------------------------------------------------------------------


def expires_at_too_soon() -> StripeError:
    return InvalidRequestError(
        "The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation."
    )


def expires_at_too_late() -> StripeError:
    return InvalidRequestError(
        "The `expires_at` timestamp must be less than 24 hours from Checkout Session creation."
    )


def expire_not_open(status: str) -> StripeError:
    return InvalidRequestError(
        'Only Checkout Sessions with a status in ["open"] can be expired. '
        f"This Checkout Session has a status of `{status}`.",
        after_validation=True,
    )


def complete_not_open(status: str) -> StripeError:
    """Completing is fakecheckout's own operation; it mirrors the expire wording."""
    return InvalidRequestError(
        'Only Checkout Sessions with a status in ["open"] can be completed. '
        f"This Checkout Session has a status of `{status}`.",
        after_validation=True,
    )


def update_not_open(status: str) -> StripeError:
    """Unverified wording: Stripe documents no text for updating a finished session."""
    return InvalidRequestError(
        'Only Checkout Sessions with a status in ["open"] can be updated. '
        f"This Checkout Session has a status of `{status}`.",
        after_validation=True,
    )


def no_pending_async_payment(status: str, payment_status: str | None) -> StripeError:
    """fakecheckout's own operation: only a complete, unpaid session awaits an async payment."""
    return InvalidRequestError(
        "Only Checkout Sessions with a status of `complete` and a payment_status of `unpaid` have "
        f"a delayed payment to settle. This Checkout Session has a status of `{status}` and a "
        f"payment_status of `{payment_status}`.",
        after_validation=True,
    )


def cannot_expand(path: str) -> StripeError:
    """Unverified wording."""
    return InvalidRequestError(f"This property cannot be expanded ({path}).", param="expand")


def expand_not_emulated(path: str) -> StripeError:
    """Divergence: Stripe would expand this id; fakecheckout stores no such object."""
    return InvalidRequestError(
        f"This property cannot be expanded ({path}): fakecheckout does not emulate the object it "
        "refers to, so it can only expand it while it is null.",
        param="expand",
    )


def malformed_id(object_name: str, object_id: str) -> StripeError:
    """An id that cannot be one of Stripe's (``{CHECKOUT_SESSION_ID}`` left unreplaced).

    Verified wording, no code, no param; the status is unverified (404 here, like an unknown id).
    """
    return InvalidRequestError(
        f"Invalid {object_name} id: {object_id}", http_status=404, after_validation=True
    )


# --- authentication, idempotency, routing -------------------------------------------------------


def no_api_key() -> StripeError:
    return AuthenticationError(
        "You did not provide an API key. You need to provide your API key in the Authorization "
        "header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See "
        f"https://stripe.com/docs/api#authentication for details, or we can help at {SUPPORT}."
    )


def invalid_api_key(key: str) -> StripeError:
    return AuthenticationError(f"Invalid API Key provided: {mask_key(key)}")


def publishable_api_key() -> StripeError:
    """A publishable key (``pk_…``) where a secret key is needed. The wording is Stripe's; the
    status is 403 (stripe-ruby raised ``PermissionError`` for it in 2025, lago-api #3650; older
    reports show stripe-python's ``AuthenticationError``, a 401)."""
    return PermissionError(
        "This API call cannot be made with a publishable API key. Please use a secret API key. "
        "You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys."
    )


def live_api_key(key: str) -> StripeError:
    """Divergence: Stripe would accept a live key; fakecheckout never does."""
    return AuthenticationError(
        f"Invalid API Key provided: {mask_key(key)}. fakecheckout only accepts test-mode keys "
        "(sk_test_… or rk_test_…); it never accepts live keys."
    )


def account_invalid(key: str, account: str) -> StripeError:
    """A ``Stripe-Account`` header the key cannot use: 403 ``account_invalid``.

    fakecheckout gives it only for a header that is not ``acct_`` + letters and digits; any
    well-formed id selects that account's namespace. Wording from third-party code quoting Stripe
    (unverified in full).
    """
    return PermissionError(
        f"The provided key '{mask_key(key)}' does not have access to account '{account}' (or that "
        "account does not exist). Application access may have been revoked.",
        code="account_invalid",
    )


def mask_key(key: str) -> str:
    """``sk_test_****…1234``: the mode prefix stays visible, and of the secret after it at most
    the last four characters and never more than half (four or fewer are all masked); one ``*``
    per hidden character."""
    prefix = ""
    for candidate in ("sk_test_", "rk_test_", "pk_test_", "sk_live_", "rk_live_", "pk_live_"):
        if key.startswith(candidate):
            prefix = candidate
            break
    secret = key[len(prefix) :]
    visible = min(4, len(secret) // 2) if len(secret) > 4 else 0
    return prefix + "*" * (len(secret) - visible) + secret[len(secret) - visible :]


def invalid_header_value(header: str) -> StripeError:
    """A header value with CR or LF. No HTTP client sends one, so Stripe's answer is unknown:
    fakecheckout's own wording."""
    return InvalidRequestError(
        f"Invalid value for the {header} header: header values cannot contain carriage returns "
        "or line feeds."
    )


def idempotency_mismatch(key: str) -> StripeError:
    return IdempotencyError(
        "Keys for idempotent requests can only be used with the same parameters they were first "
        f"used with. Try using a key other than '{key}' if you meant to execute a different "
        "request."
    )


def idempotency_in_flight(key: str) -> StripeError:
    return IdempotencyError(
        "There is currently another in-progress request using this Idempotent Key (that probably "
        "means you submitted twice, and the other request is still going through): "
        f"{key}. Please try again later.",
        code="idempotency_key_in_use",
        http_status=409,
    )


def idempotency_key_too_long(key: str) -> StripeError:
    """Stripe allows keys of up to 255 characters. Unverified wording."""
    return IdempotencyError(
        f"Idempotency keys can be at most 255 characters long, but this one has {len(key)}."
    )


def unrecognized_url(method: str, path: str, emulated: Iterable[str] | None = None) -> StripeError:
    """Stripe's 404 for a path that is none of its routes, word for word. With ``emulated`` (a
    route Stripe has that the fake does not emulate, strict mode), the fake's routes follow on a
    line of their own, so a test matching Stripe's text still matches the first line."""
    if path.endswith("/") and path != "/":
        hint = (
            " If you are trying to list objects, remove the trailing slash. If you are trying to "
            "retrieve an object, make sure you passed a valid (non-empty) identifier in your code."
        )
    else:
        hint = ""
    message = f"Unrecognized request URL ({method}: {path}).{hint} Please see {DOCS} or we can help at {SUPPORT}."
    if emulated is not None:
        message += (
            f"\nfakecheckout does not emulate {method} {path}; it emulates only these routes: "
            f"{'; '.join(emulated)}."
        )
    return InvalidRequestError(message, http_status=404)


def host_not_emulated(method: str, host: str, path: str) -> StripeError:
    """404 for a request to a Stripe host other than ``api.stripe.com`` while a fake is active."""
    return InvalidRequestError(
        f"fakecheckout does not emulate {host} ({method}: {path}). While a FakeCheckout is "
        "active no request to a *.stripe.com host leaves the process, so this one was not sent; "
        "fakecheckout answers only api.stripe.com.",
        http_status=404,
    )


def internal_error() -> StripeError:
    return APIError(
        "An unknown error occurred inside fakecheckout. This is a bug: please report it with the "
        "request that caused it."
    )


# --- helpers ------------------------------------------------------------------------------------


def _or_list(values: Iterable[str]) -> str:
    items = list(values)
    if len(items) <= 2:
        return " or ".join(items)
    return ", ".join(items[:-1]) + ", or " + items[-1]


class _Shown(reprlib.Repr):
    """A short, safe rendering of junk (no huge, deeply nested or self-containing output)."""

    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() > 4000:  # ``repr`` refuses integers of more than 4300 digits
            return "<an integer of more than 1000 digits>"
        return super().repr_int(x, level)

    def repr_instance(self, x: object, level: int) -> str:
        try:
            return super().repr_instance(x, level)
        except Exception:  # a foreign object whose ``__repr__`` fails
            return f"<{type(x).__name__} object>"


_SHOWN = _Shown()
_SHOWN.maxlevel = 3
_SHOWN.maxstring = 60
_SHOWN.maxother = 60


def shown(value: object) -> str:
    """``value`` as an error message shows it: text as it is, anything else as a short ``repr``
    (``StripeError`` bounds the whole message)."""
    return value if isinstance(value, str) else _SHOWN.repr(value)


MAX_MESSAGE_LENGTH = 6000
"""A message longer than this (only when it quotes a huge value) keeps its first and last
characters and says how many it left out (decided here: Stripe's own limit is unknown)."""


def _bounded(message: str) -> str:
    if len(message) <= MAX_MESSAGE_LENGTH:
        return message
    head, tail = message[:5000], message[-500:]
    return f"{head}… ({len(message) - 5500} characters left out) …{tail}"


def _show(raw: object) -> str:
    return shown(raw)


# --- search (https://docs.stripe.com/search) ----------------------------------------------------


def search_query_unparseable() -> StripeError:
    """A query that is not ``clause (AND|OR|space) clause …`` at all (``asdf``, an open quote).

    Third-party wording: stripe-ruby-mock/stripe-ruby-mock (``search_helpers.rb``) raises this
    text, and its price and product specs, written to also run against Stripe, expect the first
    sentence from Stripe. ``param`` is unverified.
    """
    return InvalidRequestError(
        "We were unable to parse your search query. Try using the format "
        '`metadata["key"]:"value"` to query for metadata or key:"value" to query for other '
        "fields.",
        param="query",
    )


def search_unsupported_field(field: str, resource: str) -> StripeError:
    """A field outside the resource's documented query fields.

    Third-party wording: stripe-ruby-mock/stripe-ruby-mock raises this text, and its specs expect
    the first sentence from Stripe. ``param`` is unverified.
    """
    anchor = resource.replace("_", "-")
    return InvalidRequestError(
        f"Field `{field}` is an unsupported search field for resource `{resource}`. See "
        f"http://stripe.com/docs/search#query-fields-for-{anchor} for a list of supported fields.",
        param="query",
    )


def search_unsupported_operator(field: str, operator: str, kind: str) -> StripeError:
    """An operator the field's type does not support (``>`` on a string, ``~`` on a token).

    Stripe documents that this is an error; the wording is unverified.
    """
    return _unparseable_because(
        f"The operator `{operator}` is not supported for the field `{field}`, which is of type "
        f"`{kind}`."
    )


def search_and_or_mixed() -> StripeError:
    """``AND`` and ``OR`` in one query (Stripe documents them as mutually exclusive).

    Unverified wording.
    """
    return _unparseable_because(
        "A query cannot combine AND and OR: use only one of them between its clauses."
    )


def search_too_many_clauses(maximum: int) -> StripeError:
    """More clauses than Stripe allows in one query. Unverified wording."""
    return _unparseable_because(f"A query can combine at most {maximum} clauses.")


def search_substring_too_short(field: str, minimum: int) -> StripeError:
    """A ``~`` value shorter than Stripe's documented minimum. Unverified wording."""
    return _unparseable_because(
        f"A substring match (`{field}~`) needs a value of at least {minimum} characters."
    )


def search_not_a_number(field: str, value: str) -> StripeError:
    """A numeric field compared with something that is not a number. Unverified wording."""
    return _unparseable_because(f"The field `{field}` is numeric, but `{value}` is not a number.")


def _unparseable_because(reason: str) -> StripeError:
    """Stripe's first sentence for a bad query, then fakecheckout's reason (unverified)."""
    return InvalidRequestError(
        f"We were unable to parse your search query. {reason}", param="query"
    )


def search_invalid_page(page: str) -> StripeError:
    """A ``page`` that is not a ``next_page`` of this search. Unverified wording."""
    return InvalidRequestError(
        f"Invalid page: '{page}'. Pass the next_page value of a previous response to the same "
        "search query.",
        param="page",
    )


# --- coupons, promotion codes, shipping rates, tax rates and the amounts (issue 12) ---


def coupon_needs_discount() -> StripeError:
    """A coupon with neither ``percent_off`` nor ``amount_off``. Unverified wording."""
    return InvalidRequestError(
        "You must specify either `percent_off` or `amount_off`.", param="percent_off"
    )


def coupon_not_valid(coupon_id: str, *, param: str) -> StripeError:
    """A coupon past ``redeem_by`` or out of redemptions (``valid: false``). Unverified wording;
    ``coupon_expired`` is Stripe's documented code (https://docs.stripe.com/error-codes)."""
    return InvalidRequestError(
        f"This coupon is no longer valid: '{coupon_id}'.", param=param, code="coupon_expired"
    )


def coupon_currency_mismatch(coupon_id: str, currency: str, *, param: str) -> StripeError:
    """An ``amount_off`` coupon with no amount in the session's currency. Unverified wording."""
    return InvalidRequestError(
        f"The coupon '{coupon_id}' has no amount in the Checkout Session's currency `{currency}`.",
        param=param,
    )


def promotion_code_not_redeemable(code: str, reason: str, *, param: str) -> StripeError:
    """An inactive, expired or used-up promotion code. Unverified wording."""
    return InvalidRequestError(
        f"The promotion code `{code}` cannot be redeemed: it is {reason}.", param=param
    )


def promotion_code_first_time_only(*, param: str) -> StripeError:
    """A ``first_time_transaction`` code for a customer who has paid before. Unverified wording."""
    return InvalidRequestError(
        "This promotion code cannot be redeemed because the associated customer has prior "
        "transactions.",
        param=param,
    )


def promotion_code_other_customer(*, param: str) -> StripeError:
    """A code restricted to a customer, used without that customer. Unverified wording."""
    return InvalidRequestError(
        "This promotion code cannot be redeemed by this customer.", param=param
    )


def promotion_code_minimum(minimum: int, currency: str, *, param: str) -> StripeError:
    """``restrictions[minimum_amount]`` not reached by the subtotal. Unverified wording."""
    return InvalidRequestError(
        f"This promotion code requires a minimum amount of {minimum} {currency} "
        "(in the currency's smallest unit).",
        param=param,
    )


def promotion_code_in_use(code: str) -> StripeError:
    """``code`` already held by an active promotion code (case-insensitive). Unverified wording."""
    return InvalidRequestError(
        f"An active promotion code with `code: {code}` already exists.", param="code"
    )


def inactive_object(object_name: str, object_id: str, *, param: str) -> StripeError:
    """An archived (``active: false``) shipping rate or tax rate used by a session.
    Unverified wording."""
    return InvalidRequestError(
        f"The {object_name} '{object_id}' is not active and cannot be used.", param=param
    )


def manual_tax_with_automatic_tax(param: str) -> StripeError:
    """Tax rates on a line item together with ``automatic_tax[enabled]=true``.
    Unverified wording; the rule is in the ``line_items[tax_rates]`` docs."""
    return InvalidRequestError(
        "You cannot set tax rates on line items when `automatic_tax[enabled]` is true.",
        param=param,
    )


# --- payment intents, charges and refunds (after checkout) ------------------------------------


def payment_intent_not_cancelable(status: str, statuses: Iterable[str]) -> StripeError:
    """Cancel of a succeeded (or canceled) intent: verified wording (quoted in exercism/website
    #7062 and medusajs/medusa #2825, code ``payment_intent_unexpected_state``)."""
    return InvalidRequestError(
        f"You cannot cancel this PaymentIntent because it has a status of {status}. Only a "
        f"PaymentIntent with one of the following statuses may be canceled: {', '.join(statuses)}.",
        code="payment_intent_unexpected_state",
        after_validation=True,
    )


def payment_intent_not_capturable(status: str) -> StripeError:
    """Capture of an intent that is not ``requires_capture``, code
    ``payment_intent_unexpected_state``. The first sentence is Stripe's (the Stripe Payments
    Magento module matches on "could not be captured because it has a status of canceled");
    the second follows the cancel message's pattern (unverified)."""
    return InvalidRequestError(
        f"This PaymentIntent could not be captured because it has a status of {status}. Only a "
        "PaymentIntent with one of the following statuses may be captured: requires_capture.",
        code="payment_intent_unexpected_state",
        after_validation=True,
    )


def capture_amount_too_large(amount: int, capturable: int) -> StripeError:
    """``amount_to_capture`` above what the intent may capture (wording unverified)."""
    return InvalidRequestError(
        f"The amount_to_capture ({amount}) must be less than or equal to the PaymentIntent's "
        f"amount_capturable ({capturable}).",
        param="amount_to_capture",
        code="amount_too_large",
        after_validation=True,
    )


def refund_amount_too_large(amount: str, left: str, *, partly_refunded: bool) -> StripeError:
    """A refund of more than the charge has left (code ``amount_too_large``, which Stripe's error
    codes list; amounts as Stripe shows them, ``$10.00``). Verified wording: Stripe's own
    responses quoted in woocommerce-gateway-stripe #1315 ("Refund amount (£93.90) is greater than
    charge amount (£54.45)") and reactioncommerce/reaction #3704 ("… is greater than unrefunded
    amount on charge ($21.45)"); ``param`` is unverified."""
    what = "unrefunded amount on charge" if partly_refunded else "charge amount"
    return InvalidRequestError(
        f"Refund amount ({amount}) is greater than {what} ({left})",
        param="amount",
        code="amount_too_large",
        after_validation=True,
    )


def charge_already_refunded(charge_id: str) -> StripeError:
    """A refund of a charge with nothing left to refund (code ``charge_already_refunded``, as
    Stripe's error codes list it). Verified wording: a real test-mode run's output (a vitest
    file, API 2022-11-15) and omnipay-stripe's recorded response; ``param`` unverified (none)."""
    return InvalidRequestError(
        f"Charge {charge_id} has already been refunded.",
        code="charge_already_refunded",
        after_validation=True,
    )


def intent_has_no_charge(intent_id: str, *, param: str) -> StripeError:
    """A refund of a payment that has no succeeded, captured charge: a PaymentIntent still
    ``processing``, declined or canceled, or its charge named directly. Verified
    wording: Stripe answers a refund of a canceled PaymentIntent's charge (named by ``charge``)
    with this sentence (a real test-mode run's output, API 2022-11-15), and several public apps
    match on it. ``param`` is the one the request named, and there is no ``code`` (Stripe's error
    codes list none for it): both unverified."""
    return InvalidRequestError(
        f"This PaymentIntent ({intent_id}) does not have a successful charge to refund.",
        param=param,
        after_validation=True,
    )


def uncaptured_charge_refund(intent_id: str, *, param: str) -> StripeError:
    """A refund of an uncaptured charge (its PaymentIntent ``requires_capture``): Stripe's answer
    quoted from a real response in woocommerce-gateway-stripe #1081 (2019; the link may have
    moved since). ``param`` and ``code`` unverified (none recorded)."""
    return InvalidRequestError(
        f"This uncaptured Charge was created by a PaymentIntent ({intent_id}). You must cancel the "
        "PaymentIntent to reverse the authorization instead of refunding the Charge directly. "
        "For more information, see "
        "https://stripe.com/docs/payments/payment-intents/creating-payment-intents"
        "#separate-auth-capture",
        param=param,
        after_validation=True,
    )


def refund_needs_charge() -> StripeError:
    """A refund naming neither a charge nor a PaymentIntent (wording unverified)."""
    return InvalidRequestError(
        "One of the following params should be provided for this request: payment_intent or "
        "charge.",
        code="parameter_missing",
    )


def refund_charge_and_intent() -> StripeError:
    """A refund naming both (wording unverified)."""
    return InvalidRequestError(
        "You can only pass in one of the following params for this request: payment_intent or "
        "charge.",
    )


# --- failures injected by fake.fail_next --------------------------------------------------------


class CardError(StripeError):
    """402 ``card_error``: the card was declined or its details are wrong; ``decline_code`` says
    why the issuer declined (``insufficient_funds``…) when ``code`` is ``card_declined``."""

    default_type = "card_error"
    default_status = 402

    def __init__(self, message: str, *, decline_code: str | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.decline_code = decline_code

    def to_dict(self) -> dict[str, Any]:
        body = super().to_dict()
        if self.decline_code is not None:
            body["error"] = dict(
                sorted({**body["error"], "decline_code": self.decline_code}.items())
            )
        return body


class RateLimitError(StripeError):
    """429: too many requests (``rate_limit``) or an object locked by another request
    (``lock_timeout``). Stripe sends them as ``invalid_request_error``."""

    default_type = "invalid_request_error"
    default_status = 429


def injected_api_error(status: int = 500) -> StripeError:
    """The 5xx ``api_error`` of ``fail_next``. Unverified wording (Stripe's 500s vary)."""
    return APIError(
        "An unknown error occurred while processing this request. Please try again.",
        http_status=status,
    )


def rate_limited() -> StripeError:
    """Test mode's 429 ``rate_limit``, word for word as stripe-python users report it."""
    return RateLimitError(
        "Testmode request rate limit exceeded, the rate limits in testmode are lower than "
        "livemode. You can learn more about rate limits here https://stripe.com/docs/rate-limits.",
        code="rate_limit",
    )


def lock_timeout() -> StripeError:
    """The 429 ``lock_timeout`` of an object another request holds, word for word as reported."""
    return RateLimitError(
        "This object cannot be accessed right now because another API request or Stripe process "
        "is currently accessing it. If you see this error intermittently, retry the request. If "
        "you see this error frequently and are making multiple concurrent requests to a single "
        "object, make your requests serially or at a lower rate.",
        code="lock_timeout",
    )


CARD_ERROR_CODES: dict[str, tuple[str, str | None]] = {
    "card_declined": ("Your card was declined.", None),
    "expired_card": ("Your card has expired.", "exp_month"),
    "incorrect_cvc": ("Your card's security code is incorrect.", "cvc"),
    "incorrect_number": ("Your card number is incorrect.", "number"),
    "invalid_cvc": ("Your card's security code is invalid.", "cvc"),
    "invalid_expiry_month": ("Your card's expiration month is invalid.", "exp_month"),
    "invalid_expiry_year": ("Your card's expiration year is invalid.", "exp_year"),
    "processing_error": (
        "An error occurred while processing your card. Try again in a little bit.",
        None,
    ),
}
"""Card error ``code`` → (message, ``param``): what Stripe's test cards answer (docs.stripe.com
/testing#declined-payments; messages as Stripe shows them to customers)."""

DECLINE_CODES: dict[str, str] = {
    "generic_decline": "Your card was declined.",
    "insufficient_funds": "Your card has insufficient funds.",
    "lost_card": "Your card was declined.",
    "stolen_card": "Your card was declined.",
    "fraudulent": "Your card was declined.",
    "do_not_honor": "Your card was declined.",
    "call_issuer": "Your card was declined.",
    "card_not_supported": "Your card does not support this type of purchase.",
    "currency_not_supported": "Your card does not support this currency.",
    "card_velocity_exceeded": (
        "Your card was declined for making repeated attempts too frequently or exceeding its "
        "amount limit."
    ),
    "transaction_not_allowed": "Your card does not support this type of purchase.",
    "authentication_required": (
        "Your card was declined. This transaction requires authentication."
    ),
}
"""``decline_code`` of a ``card_declined`` error → its message (docs.stripe.com/declines/codes;
the messages of ``generic_decline``, ``insufficient_funds``, ``lost_card``, ``stolen_card`` and
``fraudulent`` are those of Stripe's test cards, the others unverified)."""


def card_error(code: str) -> StripeError:
    """The 402 of a card error ``code`` (``expired_card``…), or of ``card_declined`` with a
    decline code (``insufficient_funds``…; ``card_declined`` alone is a ``generic_decline``)."""
    if code in DECLINE_CODES or code == "card_declined":
        decline_code = "generic_decline" if code == "card_declined" else code
        return CardError(
            DECLINE_CODES[decline_code], code="card_declined", decline_code=decline_code
        )
    message, param = CARD_ERROR_CODES[code]
    decline = code if code in ("expired_card", "incorrect_cvc", "processing_error") else None
    return CardError(message, code=code, param=param, decline_code=decline)


# --- snapshots and dumps (not Stripe errors: misuse of the fake's own helpers) ---


class InvalidDumpError(ValueError):
    """``FakeCheckout.load`` was given data that is not a dump it can load; no fake was made."""


def dump_not_a_mapping(given: object) -> InvalidDumpError:
    return InvalidDumpError(
        f"FakeCheckout.load() takes the dict that fake.dump() returned, not {type(given).__name__}"
    )


def dump_unknown_format(found: object) -> InvalidDumpError:
    return InvalidDumpError(
        f"not a fakecheckout dump: its 'format' is {reprlib.repr(found)}, "
        "expected 'fakecheckout.dump' (the dict that fake.dump() returned)"
    )


def dump_unsupported_version(found: object, supported: int) -> InvalidDumpError:
    return InvalidDumpError(
        f"this fakecheckout loads dump format version {supported}, not {reprlib.repr(found)}; "
        "create the dump again with this version's fake.dump()"
    )


def dump_other_resources(dumped: Iterable[str], known: Iterable[str]) -> ValueError:
    """A snapshot or dump made by a fake with another set of resources (another fakecheckout)."""
    missing = sorted(set(dumped) - set(known))
    extra = sorted(set(known) - set(dumped))
    return InvalidDumpError(
        "the snapshot was taken of a fake with other resources than this one "
        f"(only in the snapshot: {missing or 'none'}; only in this fake: {extra or 'none'}); "
        "take it again with this fakecheckout"
    )


def dump_malformed(where: str, problem: str) -> InvalidDumpError:
    return InvalidDumpError(
        f"malformed fakecheckout dump at {where}: {problem} "
        "(was it edited by hand, or made by another fakecheckout version?)"
    )


def not_a_snapshot(given: object) -> TypeError:
    return TypeError(f"restore() takes what snapshot() returned, not {type(given).__name__}")


def snapshot_of_another_kind(kind: str, fields: list[str]) -> TypeError:
    """A ``World``'s snapshot restored into a ``FakeCheckout`` or the other way round."""
    return TypeError(
        f"this snapshot holds the state of another kind of fake ({', '.join(fields)}) than "
        f"this {kind}; restore it into the kind of fake that took it"
    )


def not_dumpable(where: str, value: object) -> TypeError:
    return TypeError(
        f"fake.dump() cannot write {type(value).__module__}.{type(value).__qualname__} "
        f"at {where} as JSON (fakecheckout's own objects, plain data and its module-level "
        "functions only)"
    )
