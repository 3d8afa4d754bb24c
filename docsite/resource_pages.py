"""One documentation page per registered resource, written from the registry at build time.

Everything on a resource page comes from the code, so it cannot drift: the prose is the resource
module's docstring, the routes and direct-API methods are the resource's ``Route``s, the list
parameters are what validation accepts (the generated parameter trees, newest API version), the
search fields and expandable fields are what the resource declares, and the "not emulated"
section lists the routes Stripe has under the resource's path that no resource emulates, with the
error one of them gets from the request handler (run here, not copied).
"""

from __future__ import annotations

import inspect
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType

from fakecheckout import FakeCheckout
from fakecheckout.core import param_tree
from fakecheckout.core.resource import PATH_PARAMETER, Resource, Route
from fakecheckout.http.stripe_routes import ROUTES as STRIPE_ROUTES
from fakecheckout.resources import RESOURCES

DIRECTORY = "resources"
PAGINATION = frozenset({"limit", "starting_after", "ending_before", "expand", "page"})
_ROLE = re.compile(r":[a-z]+:`~?([^`]+)`")
_LEADING_ROUTE = re.compile(r"^`[A-Z]+ /[^`]*`[\s:;,.]*")


@dataclass(frozen=True)
class ResourcePage:
    resource: Resource
    path: str
    """Where the page is in the site (``resources/customers.md``)."""
    title: str


def pages() -> list[ResourcePage]:
    """One page per registered resource, in registry order."""
    return [
        ResourcePage(resource, f"{DIRECTORY}/{resource.name}.md", title_of(resource))
        for resource in RESOURCES
    ]


def title_of(resource: Resource) -> str:
    """``checkout.session`` → ``Checkout Session``; ``promotion_code`` → ``Promotion Code``."""
    return " ".join(word.capitalize() for word in re.split(r"[._]", resource.object))


def index_table() -> str:
    """The resources as a table: page, object, routes."""
    rows = ["| resource | object | routes | direct API |", "|---|---|---|---|"]
    for page in pages():
        resource = page.resource
        link = f"[{page.title}]({resource.name}.md)"
        rows.append(
            f"| {link} | `{resource.object}` | {len(resource.routes)} | `fake.{resource.name}` |"
        )
    return "\n".join(rows)


def markdown(page: ResourcePage, see_also: Sequence[tuple[str, str]] = ()) -> str:
    """The page of one resource; ``see_also`` are ``(title, relative link)`` of pages about it."""
    resource = page.resource
    module = sys.modules[resource.api.__module__]
    parts = [
        f"# {page.title}",
        "",
        f"*Generated from `{module.__name__}` and the route table: the `{resource.object}` "
        f"object, direct API `fake.{resource.name}`.*",
        "",
        _prose(module),
        "",
    ]
    if see_also:
        links = ", ".join(f"[{title}]({link})" for title, link in see_also)
        parts += [f"Described in: {links}.", ""]
    parts += ["## Routes", "", _routes_table(resource), ""]
    parts += _list_parameters(resource)
    parts += _search_fields(resource)
    parts += _expandable(resource)
    parts += _not_emulated(resource)
    return "\n".join(parts)


def _prose(module: ModuleType) -> str:
    doc = inspect.getdoc(module) or ""
    doc = _ROLE.sub(r"`\1`", doc)
    return re.sub(r"``([^`]+)``", r"`\1`", doc)


def _routes_table(resource: Resource) -> str:
    rows = ["| route | direct API | what it does |", "|---|---|---|"]
    for route in resource.routes:
        method = _direct_method(route)
        call = f"`fake.{method}(…)`" if method else ""
        summary = _summary(resource, route)
        rows.append(f"| `{route.method} {route.template}` | {call} | {summary} |")
    return "\n".join(rows)


def _direct_method(route: Route) -> str:
    """``customers.create`` for ``lambda ns, ids, p: ns.customers.create(**p)``."""
    names = route.endpoint.__code__.co_names
    return ".".join(names[:2]) if len(names) >= 2 else ""


def _summary(resource: Resource, route: Route) -> str:
    method = _direct_method(route).rpartition(".")[2]
    function = getattr(resource.api, method, None)
    doc = inspect.getdoc(function) if function is not None else None
    if not doc:
        return ""
    first = _ROLE.sub(r"`\1`", doc.split("\n\n")[0].replace("\n", " ")).replace("``", "`")
    first = _LEADING_ROUTE.sub("", first)  # the route is in the table's first column already
    return first.replace("|", "\\|")


def _endpoint(resource: Resource, operation: str) -> param_tree.Object | None:
    """The parameter tree of one of the resource's operations at the newest version (Checkout
    Sessions' endpoint keys, the first resource's, carry no prefix)."""
    for key in (f"{resource.name}.{operation}", operation):
        if key in param_tree.ENDPOINTS:
            return param_tree.ENDPOINTS[key]
    return None


def _list_parameters(resource: Resource) -> list[str]:
    lines = []
    for route in resource.routes:
        operation = _direct_method(route).rpartition(".")[2]
        if route.method != "GET" or not operation.startswith("list"):
            continue
        tree = _endpoint(resource, operation)
        if tree is None:
            continue
        names = sorted(name for name in tree.fields if name not in PAGINATION)
        shown = ", ".join(f"`{name}`" for name in names) or "none"
        lines.append(f"- `{route.method} {route.template}`: {shown}")
    if not lines:
        return []
    return [
        "## List parameters",
        "",
        "Besides the cursors (`limit`, `starting_after`, `ending_before`) and `expand`, what the "
        "list endpoints accept (the generated parameter tree at the newest API version):",
        "",
        *lines,
        "",
    ]


def _search_fields(resource: Resource) -> list[str]:
    fields = getattr(resource.api, "SEARCH_FIELDS", None) or {}
    if not fields:
        return []
    names = ", ".join(f"`{name}`" for name in fields)
    return [
        "## Search",
        "",
        f"The query fields of `GET {_base(resource)}/search`: {names}.",
        "",
    ]


def _expandable(resource: Resource) -> list[str]:
    if not resource.expandable:
        return []
    emulated = {each.object for each in RESOURCES}
    rows = ["| object | field | expands to |", "|---|---|---|"]
    for owner, fields in resource.expandable.items():
        for name, target in fields.items():
            kind, _, pointed = target.rpartition(":")
            nested = pointed in resource.expandable
            shown = {
                "list": f"a list of `{pointed}`",
                "each": f"each `{pointed}` of a list",
            }.get(kind, f"the hash `{pointed}`" if nested else f"`{pointed}`")
            if nested:
                shown += " (its fields below)"
            elif pointed not in emulated:
                shown += " (not emulated: a non-null id is a 400)"
            rows.append(f"| `{owner}` | `{name}` | {shown} |")
    return [
        "## Expandable fields",
        "",
        "What `expand[]` accepts on the objects this resource renders (nested paths are "
        "these joined with dots, at most 4 levels):",
        "",
        *rows,
        "",
    ]


def _base(resource: Resource) -> str:
    """The resource's path: the shortest of its route templates."""
    return min((route.template for route in resource.routes), key=len)


def _shape(template: str) -> str:
    return PATH_PARAMETER.sub("{}", template)


def not_emulated_routes(resource: Resource) -> list[tuple[str, str]]:
    """The routes Stripe has under the resource's path that no registered resource emulates."""
    base = _base(resource)
    emulated = {
        (route.method, _shape(route.template)) for each in RESOURCES for route in each.routes
    }
    return [
        (method, template)
        for method, template in STRIPE_ROUTES
        if (template == base or template.startswith(base + "/"))
        and (method, _shape(template)) not in emulated
    ]


def not_emulated_answer(method: str, template: str) -> tuple[int, str, str]:
    """What a strict fake answers to ``method template`` (ids filled in): status, the JSON
    error's ``type`` and its ``message``."""
    path = PATH_PARAMETER.sub(lambda found: f"{found[0][1:-1]}_123", template)
    fake = FakeCheckout()
    status, _, body = fake.handle(method, path, {"Authorization": "Bearer sk_test_123"}, b"")
    error = json.loads(body)["error"]
    return status, error["type"], error["message"]


def _not_emulated(resource: Resource) -> list[str]:
    missing = not_emulated_routes(resource)
    heading = ["## Not emulated", ""]
    if not missing:
        return [*heading, f"Every route Stripe has under `{_base(resource)}` is emulated.", ""]
    method, template = missing[0]
    status, kind, message = not_emulated_answer(method, template)
    first, _, second = message.partition("\n")
    head, _, emulated = second.partition("it emulates only these routes: ")
    count = len(emulated.split("; ")) if emulated else 0
    listed = "\n".join(f"- `{m} {t}`" for m, t in missing)
    return [
        *heading,
        f"Stripe routes under `{_base(resource)}` that fakecheckout does not emulate:",
        "",
        listed,
        "",
        f"Each gets Stripe's 404 for an unknown URL, with a second line naming the fake's "
        f"routes. `{method} {template}` (ids filled in), run through `fake.handle` at build "
        f"time, gets status `{status}`, type `{kind}` and this message (the list of the "
        f"{count} emulated routes shortened here):",
        "",
        "```text",
        first,
        f"{head}it emulates only these routes: {'; '.join(emulated.split('; ')[:3])}; …",
        "```",
        "",
        "The request is recorded in `fake.unhandled`; with `strict=True` (the default) the "
        "fake's `stop()`, or the fixture's teardown, then raises "
        "`fakecheckout.UnhandledRequestError`. With `strict=False` only the first line is sent.",
        "",
    ]
