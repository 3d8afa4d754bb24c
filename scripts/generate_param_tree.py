"""Generate ``fakecheckout/core/param_tree.py`` from stripe-python 16.1.0's params TypedDicts.

Usage (from the project root, with the test extras installed)::

    python scripts/generate_param_tree.py          # rewrite the module
    python scripts/generate_param_tree.py --check  # exit 1 if it is out of date

Every TypedDict reachable from the params classes of the emulated endpoints (the six Checkout
Session ones, ``/v1/events``, customers, products, prices, coupons, promotion codes, shipping
rates, tax rates, webhook endpoints and the account) becomes one ``Object``
constant, named as the SDK names the class, children before parents. Types map as follows:
``str``/``int``/``bool``/``Decimal``/``float`` to scalars; ``Literal[...]`` (with or without the
SDK's forward-compatible trailing ``str``) to ``Enum``; ``Literal[""] | X`` to ``X`` on an
emptyable field; ``List[X]`` to ``Array``; ``Dict[str, X]``/``UntypedStripeObject[X]`` to ``Map``;
any other union to ``OneOf``. The request-option keys (``api_key``, ``idempotency_key``, …) that
some params classes inherit from ``RequestOptions`` are not parameters and are left out.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import types
import typing
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, Union

import stripe
import typing_extensions
from stripe import params
from stripe._api_version import _ApiVersion
from stripe._request_options import RequestOptions
from stripe._stripe_object import UntypedStripeObject
from stripe.params import checkout

STRIPE_VERSION = "16.1.0"
ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "fakecheckout" / "core" / "param_tree.py"
COMMAND = "python scripts/generate_param_tree.py"

ENDPOINTS = {
    "create": checkout.SessionCreateParams,
    "update": checkout.SessionUpdateParams,
    "list": checkout.SessionListParams,
    "retrieve": checkout.SessionRetrieveParams,
    "expire": checkout.SessionExpireParams,
    "list_line_items": checkout.SessionListLineItemsParams,
    "events.list": params.EventListParams,
    "events.retrieve": params.EventRetrieveParams,
    "customers.create": params.CustomerCreateParams,
    "customers.retrieve": params.CustomerRetrieveParams,
    "customers.update": params.CustomerUpdateParams,
    "customers.delete": params.CustomerDeleteParams,
    "customers.list": params.CustomerListParams,
    "products.create": params.ProductCreateParams,
    "products.retrieve": params.ProductRetrieveParams,
    "products.update": params.ProductUpdateParams,
    "products.delete": params.ProductDeleteParams,
    "products.list": params.ProductListParams,
    "prices.create": params.PriceCreateParams,
    "prices.retrieve": params.PriceRetrieveParams,
    "prices.update": params.PriceUpdateParams,
    "prices.list": params.PriceListParams,
    "webhook_endpoints.create": params.WebhookEndpointCreateParams,
    "webhook_endpoints.retrieve": params.WebhookEndpointRetrieveParams,
    "webhook_endpoints.update": params.WebhookEndpointUpdateParams,
    "webhook_endpoints.delete": params.WebhookEndpointDeleteParams,
    "webhook_endpoints.list": params.WebhookEndpointListParams,
    "coupons.create": params.CouponCreateParams,
    "coupons.retrieve": params.CouponRetrieveParams,
    "coupons.update": params.CouponUpdateParams,
    "coupons.delete": params.CouponDeleteParams,
    "coupons.list": params.CouponListParams,
    "promotion_codes.create": params.PromotionCodeCreateParams,
    "promotion_codes.retrieve": params.PromotionCodeRetrieveParams,
    "promotion_codes.update": params.PromotionCodeUpdateParams,
    "promotion_codes.list": params.PromotionCodeListParams,
    "shipping_rates.create": params.ShippingRateCreateParams,
    "shipping_rates.retrieve": params.ShippingRateRetrieveParams,
    "shipping_rates.update": params.ShippingRateUpdateParams,
    "shipping_rates.list": params.ShippingRateListParams,
    "tax_rates.create": params.TaxRateCreateParams,
    "tax_rates.retrieve": params.TaxRateRetrieveParams,
    "tax_rates.update": params.TaxRateUpdateParams,
    "tax_rates.list": params.TaxRateListParams,
    # ``GET /v1/account`` is the SDK's ``retrieve_current`` (``/v1/accounts/{id}`` is ``retrieve``).
    "account.retrieve": params.AccountRetrieveCurrentParams,
}

REQUEST_OPTION_KEYS = frozenset(RequestOptions.__annotations__)

SCALARS: dict[object, str] = {
    str: "STRING",
    int: "INTEGER",
    bool: "BOOLEAN",
    Decimal: "DECIMAL",
    float: "NUMBER",
}

# Where the SDK types say only ``str``, the field's name says more.
MAP_KINDS = {"metadata": "metadata", "currency_options": "currency"}


def string_kind(field_name: str) -> str:
    """The scalar constant for a plain ``str`` field, decided by its name."""
    if field_name.endswith("currency"):
        return "CURRENCY"
    if field_name == "url" or field_name.endswith("_url"):
        return "URL"
    return "STRING"


class Generator:
    """Walks the TypedDicts and collects one ``Object`` definition per class, children first."""

    def __init__(self) -> None:
        self.definitions: dict[str, str] = {}
        self.classes: dict[str, type] = {}

    def typed_dict(self, cls: type) -> str:
        name = cls.__name__
        if name in self.definitions:
            if self.classes[name] is not cls:
                raise RuntimeError(f"two TypedDicts are named {name}")
            return name
        self.classes[name] = cls
        self.definitions[name] = ""  # reserved: a cycle would show up as a forward reference
        for base in getattr(cls, "__orig_bases__", ()):
            if base not in (RequestOptions, typing_extensions.TypedDict, typing.TypedDict):
                raise RuntimeError(f"{name} inherits from {base!r}: resolve its keys too")
        required = cls.__required_keys__  # type: ignore[attr-defined]
        lines = []
        for field_name, hint in own_hints(cls).items():
            node, emptyable = self.convert(strip_required(hint), field_name)
            options = "".join(
                [
                    ", required=True" if field_name in required else "",
                    ", emptyable=True" if emptyable else "",
                ]
            )
            lines.append(f"        {field_name!r}: Field({node}{options}),\n")
        self.definitions.pop(name)
        self.definitions[name] = f"{name} = Object(\n    {{\n{''.join(lines)}    }}\n)\n"
        return name

    def convert(self, hint: Any, field_name: str | None) -> tuple[str, bool]:
        """The node expression for ``hint`` and whether ``""`` may stand for it."""
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
            return f"Array({self.node(item, None)})", False
        if origin is dict:
            key, value = args
            if key is not str:
                raise RuntimeError(f"map keys of {field_name} are {key!r}")
            return self.map(value, field_name), False
        if origin is UntypedStripeObject:
            (value,) = args
            return self.map(value, field_name), False
        raise RuntimeError(f"no mapping for {field_name}: {hint!r}")

    def node(self, hint: Any, field_name: str | None) -> str:
        node, emptyable = self.convert(hint, field_name)
        if emptyable:
            raise RuntimeError(f'"" allowed inside {field_name}: only fields can be emptyable')
        return node

    def map(self, value: Any, field_name: str | None) -> str:
        kind = MAP_KINDS.get(field_name or "", "free")
        values = self.node(value, None)
        return f"Map({values})" if kind == "free" else f"Map({values}, kind={kind!r})"

    def union(self, members: tuple[Any, ...], field_name: str | None) -> tuple[str, bool]:
        literals: list[str] = []
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
            if others in ([], [str]):
                return f"Enum({tuple(values)!r})", emptyable
            if others != [int]:
                raise RuntimeError(f"enum mixed with {others!r} in {field_name}")
            # ``Literal["inf"] | int`` (a tier's ``up_to``): the word, else an integer.
            return f"OneOf((Enum({tuple(values)!r}), INTEGER))", emptyable
        nodes: list[str] = []
        for member in others:
            node = self.node(member, field_name)
            if node not in nodes:  # Dict[str, X] | UntypedStripeObject[X] are the same map
                nodes.append(node)
        if len(nodes) == 1:
            return nodes[0], emptyable
        return f"OneOf(({', '.join(nodes)}))", emptyable


def own_hints(cls: type) -> dict[str, Any]:
    """``cls``'s annotations minus the request options, forward refs resolved in its module.

    ``typing.get_type_hints(cls)`` itself fails on the classes that inherit ``RequestOptions``,
    whose ``stripe_context`` names a type imported only under ``TYPE_CHECKING``.
    """
    annotations = {
        key: value for key, value in cls.__annotations__.items() if key not in REQUEST_OPTION_KEYS
    }
    holder = types.SimpleNamespace(__annotations__=annotations)
    namespace = vars(sys.modules[cls.__module__])
    return typing.get_type_hints(holder, globalns=namespace, include_extras=True)


def strip_required(hint: Any) -> Any:
    while typing.get_origin(hint) in (typing_extensions.NotRequired, typing_extensions.Required):
        (hint,) = typing.get_args(hint)
    return hint


def generate_source() -> str:
    """The unformatted module text."""
    if stripe.VERSION != STRIPE_VERSION:
        raise RuntimeError(f"generate with stripe=={STRIPE_VERSION}, found {stripe.VERSION}")
    generator = Generator()
    roots = {endpoint: generator.typed_dict(cls) for endpoint, cls in ENDPOINTS.items()}
    endpoints = "".join(f"    {endpoint!r}: {name},\n" for endpoint, name in roots.items())
    return (
        f"# Generated by scripts/generate_param_tree.py from stripe=={STRIPE_VERSION} "
        f"(API version {_ApiVersion.CURRENT}).\n"
        f"# Do not edit by hand: run `{COMMAND}` to regenerate.\n"
        '"""The parameter tree of the emulated endpoints, one ``Object`` per SDK params class;\n'
        '``ENDPOINTS`` maps each endpoint to its root."""\n\n'
        "from __future__ import annotations\n\n"
        "from fakecheckout.core.paramspec import (\n"
        "    BOOLEAN,\n    CURRENCY,\n    DECIMAL,\n    INTEGER,\n    NUMBER,\n    STRING,\n"
        "    URL,\n    Array,\n    Enum,\n    Field,\n    Map,\n    Object,\n    OneOf,\n)\n\n"
        + "\n".join(generator.definitions.values())
        + f"\nENDPOINTS: dict[str, Object] = {{\n{endpoints}}}\n"
    )


def render() -> str:
    """The module text, formatted by ruff as the rest of the project is."""
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--stdin-filename", str(TARGET), "-"],
        input=generate_source(),
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    return result.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the module is stale")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        if TARGET.read_text(encoding="utf-8") != text:
            print(f"{TARGET.relative_to(ROOT)} is out of date: run `{COMMAND}`", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
