"""Generate ``fakecheckout/core/param_trees/`` from the stripe-python wheels that pin each API version.

Usage (from the project root, with the test extras installed)::

    python scripts/generate_param_tree.py          # download missing wheels, rewrite the files
    python scripts/generate_param_tree.py --check  # exit 1 if the files are out of date

The wheels (one per stripe-python release in ``SDKS``) are fetched with
``pip download stripe==X --no-deps`` into a cache directory (``$FAKECHECKOUT_WHEEL_CACHE``, else
``~/.cache/fakecheckout/wheels``), only when generating. Each wheel is read in its own
interpreter (``python -I`` with the wheel itself on ``sys.path``; stripe-python is pure Python, so
a wheel imports as a zip), which prints that release's parameter trees and object field names as
JSON. This process then merges the releases into ONE versioned tree: every object field and every
enum value carries a bit mask of the releases (indexes into ``SDKS``) whose types have it.
``fakecheckout/core/param_tree.py`` turns it into a ``paramspec`` tree for a request's version.

Where a release keeps its params classes: ``stripe.params`` (13.x on, e.g.
``stripe.params.checkout.SessionCreateParams``) or, in older wheels, nested TypedDicts inside the
resource class (``stripe.checkout.Session.CreateParams``, ``ModifyParams`` for an update).

Types map as follows: ``str``/``int``/``bool``/``Decimal``/``float`` to scalars (a ``str``
named ``*currency`` is a currency, ``url``/``*_url`` a URL); ``Literal[...]`` (with or without
the SDK's forward-compatible trailing ``str``) to an enum; ``Literal[""] | X`` to ``X`` on an
emptyable field; ``List[X]`` to an array; ``Dict[str, X]``/``UntypedStripeObject[X]`` to a map;
any other union to a one-of. Request-option keys (``api_key``, ``idempotency_key``, …) that
params classes inherit from ``RequestOptions`` are not parameters and are left out.

``--check`` never downloads: with every wheel cached it regenerates and compares; without them it
checks that each committed file still has the digest ``index.json`` records for it, and the format.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import types
import typing
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, Union

from fakecheckout.core.versions import RELEASES

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "fakecheckout" / "core" / "param_trees"
COMMAND = "python scripts/generate_param_tree.py"
FORMAT = 1

#: The stripe-python releases read, oldest first: the last of each major (and the releases that
#: pin a version in between), with the API version each pins.
SDKS: tuple[tuple[str, str], ...] = RELEASES

#: Each endpoint's params class: where ``stripe.params`` keeps it, and where older wheels do.
ENDPOINTS: dict[str, tuple[str, str]] = {
    "create": ("checkout.SessionCreateParams", "checkout.Session.CreateParams"),
    "update": ("checkout.SessionUpdateParams", "checkout.Session.ModifyParams"),
    "list": ("checkout.SessionListParams", "checkout.Session.ListParams"),
    "retrieve": ("checkout.SessionRetrieveParams", "checkout.Session.RetrieveParams"),
    "expire": ("checkout.SessionExpireParams", "checkout.Session.ExpireParams"),
    "list_line_items": (
        "checkout.SessionListLineItemsParams",
        "checkout.Session.ListLineItemsParams",
    ),
    "events.list": ("EventListParams", "Event.ListParams"),
    "events.retrieve": ("EventRetrieveParams", "Event.RetrieveParams"),
    "customers.create": ("CustomerCreateParams", "Customer.CreateParams"),
    "customers.retrieve": ("CustomerRetrieveParams", "Customer.RetrieveParams"),
    "customers.update": ("CustomerUpdateParams", "Customer.ModifyParams"),
    "customers.delete": ("CustomerDeleteParams", "Customer.DeleteParams"),
    "customers.list": ("CustomerListParams", "Customer.ListParams"),
    "customers.search": ("CustomerSearchParams", "Customer.SearchParams"),
    "products.create": ("ProductCreateParams", "Product.CreateParams"),
    "products.retrieve": ("ProductRetrieveParams", "Product.RetrieveParams"),
    "products.update": ("ProductUpdateParams", "Product.ModifyParams"),
    "products.delete": ("ProductDeleteParams", "Product.DeleteParams"),
    "products.list": ("ProductListParams", "Product.ListParams"),
    "products.search": ("ProductSearchParams", "Product.SearchParams"),
    "prices.create": ("PriceCreateParams", "Price.CreateParams"),
    "prices.retrieve": ("PriceRetrieveParams", "Price.RetrieveParams"),
    "prices.update": ("PriceUpdateParams", "Price.ModifyParams"),
    "prices.list": ("PriceListParams", "Price.ListParams"),
    "prices.search": ("PriceSearchParams", "Price.SearchParams"),
    "webhook_endpoints.create": ("WebhookEndpointCreateParams", "WebhookEndpoint.CreateParams"),
    "webhook_endpoints.retrieve": (
        "WebhookEndpointRetrieveParams",
        "WebhookEndpoint.RetrieveParams",
    ),
    "webhook_endpoints.update": ("WebhookEndpointUpdateParams", "WebhookEndpoint.ModifyParams"),
    "webhook_endpoints.delete": ("WebhookEndpointDeleteParams", "WebhookEndpoint.DeleteParams"),
    "webhook_endpoints.list": ("WebhookEndpointListParams", "WebhookEndpoint.ListParams"),
    "coupons.create": ("CouponCreateParams", "Coupon.CreateParams"),
    "coupons.retrieve": ("CouponRetrieveParams", "Coupon.RetrieveParams"),
    "coupons.update": ("CouponUpdateParams", "Coupon.ModifyParams"),
    "coupons.delete": ("CouponDeleteParams", "Coupon.DeleteParams"),
    "coupons.list": ("CouponListParams", "Coupon.ListParams"),
    "promotion_codes.create": ("PromotionCodeCreateParams", "PromotionCode.CreateParams"),
    "promotion_codes.retrieve": ("PromotionCodeRetrieveParams", "PromotionCode.RetrieveParams"),
    "promotion_codes.update": ("PromotionCodeUpdateParams", "PromotionCode.ModifyParams"),
    "promotion_codes.list": ("PromotionCodeListParams", "PromotionCode.ListParams"),
    "shipping_rates.create": ("ShippingRateCreateParams", "ShippingRate.CreateParams"),
    "shipping_rates.retrieve": ("ShippingRateRetrieveParams", "ShippingRate.RetrieveParams"),
    "shipping_rates.update": ("ShippingRateUpdateParams", "ShippingRate.ModifyParams"),
    "shipping_rates.list": ("ShippingRateListParams", "ShippingRate.ListParams"),
    "tax_rates.create": ("TaxRateCreateParams", "TaxRate.CreateParams"),
    "tax_rates.retrieve": ("TaxRateRetrieveParams", "TaxRate.RetrieveParams"),
    "tax_rates.update": ("TaxRateUpdateParams", "TaxRate.ModifyParams"),
    "tax_rates.list": ("TaxRateListParams", "TaxRate.ListParams"),
    # ``GET /v1/account`` is the SDK's ``retrieve_current`` (``/v1/accounts/{id}`` is ``retrieve``).
    "account.retrieve": ("AccountRetrieveCurrentParams", "Account.RetrieveParams"),
    "payment_intents.retrieve": ("PaymentIntentRetrieveParams", "PaymentIntent.RetrieveParams"),
    "payment_intents.list": ("PaymentIntentListParams", "PaymentIntent.ListParams"),
    "payment_intents.update": ("PaymentIntentUpdateParams", "PaymentIntent.ModifyParams"),
    "payment_intents.cancel": ("PaymentIntentCancelParams", "PaymentIntent.CancelParams"),
    "payment_intents.capture": ("PaymentIntentCaptureParams", "PaymentIntent.CaptureParams"),
    "charges.retrieve": ("ChargeRetrieveParams", "Charge.RetrieveParams"),
    "charges.list": ("ChargeListParams", "Charge.ListParams"),
    "payment_methods.retrieve": ("PaymentMethodRetrieveParams", "PaymentMethod.RetrieveParams"),
    "payment_methods.list": ("PaymentMethodListParams", "PaymentMethod.ListParams"),
    "refunds.create": ("RefundCreateParams", "Refund.CreateParams"),
    "refunds.retrieve": ("RefundRetrieveParams", "Refund.RetrieveParams"),
    "refunds.update": ("RefundUpdateParams", "Refund.ModifyParams"),
    "refunds.list": ("RefundListParams", "Refund.ListParams"),
    "setup_intents.retrieve": ("SetupIntentRetrieveParams", "SetupIntent.RetrieveParams"),
    "setup_intents.list": ("SetupIntentListParams", "SetupIntent.ListParams"),
    "subscriptions.retrieve": ("SubscriptionRetrieveParams", "Subscription.RetrieveParams"),
    "subscriptions.list": ("SubscriptionListParams", "Subscription.ListParams"),
    "subscriptions.update": ("SubscriptionUpdateParams", "Subscription.ModifyParams"),
    "subscriptions.cancel": ("SubscriptionCancelParams", "Subscription.CancelParams"),
    "invoices.retrieve": ("InvoiceRetrieveParams", "Invoice.RetrieveParams"),
    "invoices.list": ("InvoiceListParams", "Invoice.ListParams"),
    "invoices.list_lines": ("InvoiceListLinesParams", "Invoice.ListLinesParams"),
    "billing_portal_sessions.create": (
        "billing_portal.SessionCreateParams",
        "billing_portal.Session.CreateParams",
    ),
}

#: Objects whose top-level field names are recorded per release (``shapes`` in ``index.json``).
SHAPES = {
    "checkout.session": "checkout.Session",
    "item": "LineItem",
    "event": "Event",
    "payment_intent": "PaymentIntent",
    "charge": "Charge",
    "refund": "Refund",
    "setup_intent": "SetupIntent",
    "subscription": "Subscription",
    "subscription_item": "SubscriptionItem",
    "invoice": "Invoice",
    "line_item": "InvoiceLineItem",
}

SCALARS: dict[object, str] = {
    str: "string",
    int: "integer",
    bool: "boolean",
    Decimal: "decimal",
    float: "number",
}

# Where the SDK types say only ``str``, the field's name says more.
MAP_KINDS = {"metadata": "metadata", "currency_options": "currency"}


def string_kind(field_name: str) -> str:
    """The scalar kind of a plain ``str`` field, decided by its name."""
    if field_name.endswith("currency"):
        return "currency"
    if field_name == "url" or field_name.endswith("_url"):
        return "url"
    return "string"


# --- inside one release's interpreter: its types as plain JSON ----------------------------------


class Reader:
    """Converts one release's TypedDicts into plain nodes (see ``convert``)."""

    def __init__(self, request_option_keys: frozenset[str]) -> None:
        self.request_option_keys = request_option_keys
        self.visiting: set[type] = set()

    def typed_dict(self, cls: type) -> list[Any]:
        if cls in self.visiting:
            raise RuntimeError(f"{cls.__qualname__} contains itself")
        self.visiting.add(cls)
        required = cls.__required_keys__  # type: ignore[attr-defined]
        fields: dict[str, list[Any]] = {}
        for field_name, hint in self.hints(cls).items():
            node, emptyable = self.convert(strip_required(hint), field_name)
            fields[field_name] = [node, field_name in required, emptyable]
        self.visiting.discard(cls)
        return ["object", fields]

    def hints(self, cls: type) -> dict[str, Any]:
        """``cls``'s annotations minus the request options, forward refs resolved in its module
        (``get_type_hints(cls)`` fails on names that ``RequestOptions`` imports only for typing)."""
        annotations = {
            key: value
            for key, value in cls.__annotations__.items()
            if key not in self.request_option_keys
        }
        holder = types.SimpleNamespace(__annotations__=annotations)
        namespace = vars(sys.modules[cls.__module__])
        return typing.get_type_hints(holder, globalns=namespace, include_extras=True)

    def convert(self, hint: Any, field_name: str | None) -> tuple[Any, bool]:
        """The plain node for ``hint`` and whether ``""`` may stand for it."""
        import typing_extensions

        origin = typing.get_origin(hint)
        args = typing.get_args(hint)
        if hint is str and field_name is not None:
            return string_kind(field_name), False
        if hint in SCALARS:
            return SCALARS[hint], False
        if typing_extensions.is_typeddict(hint):
            return self.typed_dict(hint), False
        if origin is Literal:
            return self.union((hint,), field_name)
        if origin in (Union, types.UnionType):
            return self.union(args, field_name)
        if origin is list:
            (item,) = args
            return ["array", self.node(item, None)], False
        if origin is dict or getattr(origin, "__name__", "") == "UntypedStripeObject":
            value = args[-1]
            if origin is dict and args[0] is not str:
                raise RuntimeError(f"map keys of {field_name} are {args[0]!r}")
            return ["map", self.node(value, None), MAP_KINDS.get(field_name or "", "free")], False
        raise RuntimeError(f"no mapping for {field_name}: {hint!r}")

    def node(self, hint: Any, field_name: str | None) -> Any:
        node, emptyable = self.convert(hint, field_name)
        if emptyable:
            raise RuntimeError(f'"" allowed inside {field_name}: only fields can be emptyable')
        return node

    def union(self, members: tuple[Any, ...], field_name: str | None) -> tuple[Any, bool]:
        literals: list[Any] = []
        others: list[Any] = []
        for member in members:
            if typing.get_origin(member) is Literal:
                literals.extend(typing.get_args(member))
            else:
                others.append(member)
        if not all(isinstance(value, str) for value in literals):
            raise RuntimeError(f"non-string literal in {field_name}: {literals!r}")
        emptyable = "" in literals
        values = [value for value in literals if value != ""]
        if values:
            # ``Literal[...] | str``: the trailing ``str`` is the SDK's forward compatibility only.
            rest = [self.node(member, field_name) for member in others if member is not str]
            if rest:  # ``Literal["inf"] | int``
                return ["oneof", [["enum", values], *rest]], emptyable
            return ["enum", values], emptyable
        nodes: list[Any] = []
        for member in others:
            node = self.node(member, field_name)
            if node not in nodes:  # Dict[str, X] | UntypedStripeObject[X] are the same map
                nodes.append(node)
        if len(nodes) == 1:
            return nodes[0], emptyable
        return ["oneof", nodes], emptyable


def strip_required(hint: Any) -> Any:
    import typing_extensions

    wrappers = (typing_extensions.NotRequired, typing_extensions.Required)
    while typing.get_origin(hint) in wrappers:
        (hint,) = typing.get_args(hint)
    return hint


def locate(dotted: str) -> Any:
    """``checkout.Session.CreateParams`` under the ``stripe`` package, or ``None``."""
    import importlib

    import stripe

    target: Any = stripe
    for part in dotted.split("."):
        try:
            target = getattr(target, part)
        except AttributeError:
            try:
                target = importlib.import_module(f"{target.__name__}.{part}")
            except (ImportError, AttributeError):
                return None
    return target


def dump(wheel: str) -> dict[str, Any]:
    """What one release knows: its version, pinned API version, trees and object fields."""
    sys.path.insert(0, wheel)
    import stripe
    from stripe._api_version import _ApiVersion
    from stripe._request_options import RequestOptions

    reader = Reader(frozenset(RequestOptions.__annotations__))
    endpoints: dict[str, Any] = {}
    for endpoint, (modern, legacy) in ENDPOINTS.items():
        cls = locate(f"params.{modern}") if hasattr(stripe, "params") else None
        cls = cls if cls is not None else locate(legacy)
        if cls is not None:
            endpoints[endpoint] = reader.typed_dict(cls)
    shapes = {
        name: sorted(set(locate(where).__annotations__) - {"OBJECT_NAME"})
        for name, where in SHAPES.items()
    }
    return {
        "sdk": stripe.VERSION,
        "api_version": _ApiVersion.CURRENT,
        "endpoints": endpoints,
        "shapes": shapes,
    }


# --- in the generating process: wheels, merge, files --------------------------------------------


def wheel_cache() -> Path:
    configured = os.environ.get("FAKECHECKOUT_WHEEL_CACHE")
    if configured:
        return Path(configured)
    return Path.home() / ".cache" / "fakecheckout" / "wheels"


def cached_wheel(sdk: str) -> Path | None:
    found = sorted(wheel_cache().glob(f"stripe-{sdk}-*.whl"))
    return found[0] if found else None


def fetch_wheel(sdk: str) -> Path:
    wheel = cached_wheel(sdk)
    if wheel is None:
        wheel_cache().mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"]
            + [f"stripe=={sdk}", "-d", str(wheel_cache())],
            check=True,
        )
        wheel = cached_wheel(sdk)
    if wheel is None:
        raise RuntimeError(f"pip download left no wheel of stripe=={sdk} in {wheel_cache()}")
    return wheel


def read_release(wheel: Path) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-I", str(Path(__file__).resolve()), "--dump", str(wheel)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"reading {wheel.name} failed:\n{result.stderr}")
    release: dict[str, Any] = json.loads(result.stdout)
    return release


def versioned(node: Any, bit: int) -> Any:
    """A plain node of release ``bit`` as a versioned one (masks ``1 << bit``)."""
    mask = 1 << bit
    if isinstance(node, str):
        return node
    kind = node[0]
    if kind == "enum":
        return {"enum": dict.fromkeys(node[1], mask)}
    if kind == "array":
        return {"array": versioned(node[1], bit)}
    if kind == "map":
        return {"map": versioned(node[1], bit), "kind": node[2]}
    if kind == "oneof":
        return {"oneof": [versioned(option, bit) for option in node[1]]}
    return {
        "object": {
            name: [mask, mask if required else 0, mask if emptyable else 0, versioned(sub, bit)]
            for name, (sub, required, emptyable) in node[1].items()
        }
    }


def shape_kind(node: Any) -> str:
    return node if isinstance(node, str) else next(iter(node))


def merge(newer: Any, seen: int, older: Any, bit: int) -> Any:
    """Versioned node ``newer`` (of the releases in mask ``seen``) and release ``bit``'s node
    ``older`` as one. Where their types differ, a ``variants`` node keeps each type with the mask
    of its releases (``fakecheckout.core.param_tree`` picks the variant of a request's release)."""
    if shape_kind(newer) == "variants":
        variants = [list(entry) for entry in newer["variants"]]
        for entry in variants:
            if same_kind(entry[1], older):
                entry[1] = merge(entry[1], entry[0], older, bit)
                entry[0] |= 1 << bit
                return {"variants": variants}
        return {"variants": [*variants, [1 << bit, older]]}
    if isinstance(newer, str) and isinstance(older, str) and {newer, older} == DECIMAL_OR_STRING:
        return "decimal"  # older SDKs type decimal strings as ``str``; Stripe parses both alike
    if not same_kind(newer, older):
        return {"variants": [[seen, newer], [1 << bit, older]]}
    if isinstance(newer, str):
        return newer
    kind = shape_kind(newer)
    if kind == "enum":
        values = dict(newer["enum"])
        for value, mask in older["enum"].items():
            values[value] = values.get(value, 0) | mask
        return {"enum": values}
    if kind == "array":
        return {"array": merge(newer["array"], seen, older["array"], bit)}
    if kind == "map":
        return {"map": merge(newer["map"], seen, older["map"], bit), "kind": newer["kind"]}
    if kind == "oneof":
        pairs = zip(newer["oneof"], older["oneof"], strict=True)
        return {"oneof": [merge(a, seen, b, bit) for a, b in pairs]}
    fields = {name: list(entry) for name, entry in newer["object"].items()}
    for name, (mask, required, emptyable, sub) in older["object"].items():
        if name not in fields:
            fields[name] = [mask, required, emptyable, sub]
            continue
        entry = fields[name]
        merged = merge(entry[3], entry[0], sub, bit)
        fields[name] = [entry[0] | mask, entry[1] | required, entry[2] | emptyable, merged]
    return {"object": fields}


DECIMAL_OR_STRING = {"decimal", "string"}


def same_kind(a: Any, b: Any) -> bool:
    """Whether two nodes can merge: the same scalar, or the same kind of container."""
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    kind = shape_kind(a)
    if kind != shape_kind(b):
        return False
    if kind == "oneof":
        return len(a["oneof"]) == len(b["oneof"]) and all(
            same_kind(x, y) for x, y in zip(a["oneof"], b["oneof"], strict=True)
        )
    return True


def build(releases: list[dict[str, Any]]) -> dict[str, str]:
    """The files of ``param_trees/`` (name → text) from the releases, oldest first."""
    for (sdk, api_version), release in zip(SDKS, releases, strict=True):
        if (release["sdk"], release["api_version"]) != (sdk, api_version):
            raise RuntimeError(f"stripe=={sdk} pins {release['api_version']}, not {api_version}")
    files: dict[str, str] = {}
    for endpoint in ENDPOINTS:
        tree: Any = None
        seen = 0
        for bit in reversed(range(len(SDKS))):
            plain = releases[bit]["endpoints"].get(endpoint)
            if plain is None:
                continue
            node = versioned(plain, bit)
            tree = node if tree is None else merge(tree, seen, node, bit)
            seen |= 1 << bit
        if tree is None:
            raise RuntimeError(f"no release has params for {endpoint}")
        files[f"{endpoint}.json"] = dumps(tree)
    shapes: dict[str, dict[str, int]] = {}
    for name in SHAPES:
        masks: dict[str, int] = {}
        for bit in reversed(range(len(SDKS))):
            for field_name in releases[bit]["shapes"][name]:
                masks[field_name] = masks.get(field_name, 0) | 1 << bit
        shapes[name] = dict(sorted(masks.items()))
    index = {
        "format": FORMAT,
        "generated_by": COMMAND,
        "sdks": [list(pair) for pair in SDKS],
        "shapes": shapes,
        "digests": {name: digest(text) for name, text in sorted(files.items())},
    }
    files["index.json"] = json.dumps(index, indent=1, sort_keys=False) + "\n"
    return files


def dumps(tree: Any) -> str:
    return json.dumps(tree, separators=(",", ":"), ensure_ascii=True) + "\n"


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def generate(*, download: bool) -> dict[str, str] | None:
    """The files, or ``None`` when a wheel is missing and ``download`` is false."""
    wheels = []
    for sdk, _ in SDKS:
        wheel = fetch_wheel(sdk) if download else cached_wheel(sdk)
        if wheel is None:
            return None
        wheels.append(wheel)
    return build([read_release(wheel) for wheel in wheels])


def committed_problems() -> list[str]:
    """What is wrong with the committed files themselves (format, digests, endpoints)."""
    try:
        index = json.loads((TARGET / "index.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return [f"index.json unreadable: {error}"]
    problems = []
    if index.get("format") != FORMAT:
        problems.append(f"index.json has format {index.get('format')}, expected {FORMAT}")
    if index.get("sdks") != [list(pair) for pair in SDKS]:
        problems.append("index.json names other releases than SDKS")
    expected = {f"{endpoint}.json" for endpoint in ENDPOINTS}
    if set(index.get("digests", {})) != expected:
        problems.append("index.json does not list exactly one file per endpoint")
    for name, recorded in index.get("digests", {}).items():
        try:
            text = (TARGET / name).read_text(encoding="utf-8")
        except OSError:
            problems.append(f"{name} is missing")
            continue
        if digest(text) != recorded:
            problems.append(f"{name} was changed by hand (its digest differs from index.json)")
    return problems


def check() -> int:
    problems = committed_problems()
    files = generate(download=False)
    if files is None:
        print(f"wheels not cached in {wheel_cache()}: checked the committed files only")
    else:
        for name, text in files.items():
            path = TARGET / name
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                problems.append(f"{name} is out of date")
    for problem in problems:
        print(f"param_trees/{problem}; run `{COMMAND}`", file=sys.stderr)
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the files are stale")
    parser.add_argument("--dump", metavar="WHEEL", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.dump:
        json.dump(dump(args.dump), sys.stdout)
        return 0
    if args.check:
        return check()
    files = generate(download=True)
    assert files is not None
    TARGET.mkdir(parents=True, exist_ok=True)
    for stale in TARGET.glob("*.json"):
        if stale.name not in files:
            stale.unlink()
    for name, text in files.items():
        (TARGET / name).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
