"""The API reference page, written from the code at build time.

Every name in the ``__all__`` of each public module (:data:`PUBLIC_MODULES`, those that exist in
this checkout), the pytest plugin's fixtures, and the direct API class of every registered resource get a
mkdocstrings block (``::: dotted.name``), so a name added to ``__all__`` or a resource added to
the registry appears with no edit here.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterator
from pathlib import Path

from fakecheckout.resources import RESOURCES

PUBLIC_MODULES = (
    ("fakecheckout", "The package"),
    ("fakecheckout.testing", "Testing helpers"),
    ("fakecheckout.strategies", "Hypothesis strategies"),
    ("fakecheckout.adapters", "Front doors"),
)
"""The modules whose ``__all__`` (else every public function) is the public API, with their
section titles; a module missing from the checkout (``fakecheckout.testing`` before it lands) is
left out."""

PLUGIN = "conftest_plugin.plugin"


def plugin_fixtures() -> list[str]:
    """What users of the plugin name: its fixtures (the marker is described in the module
    docstring). The plugin's ``pytest_*`` hooks and its imports are not API."""
    module = importlib.import_module(PLUGIN)
    return [
        name
        for name, value in vars(module).items()
        if not name.startswith(("_", "pytest_")) and getattr(value, "__module__", None) == PLUGIN
    ]


def present_modules() -> list[tuple[str, str]]:
    """The :data:`PUBLIC_MODULES` that this checkout has (found inside its own ``fakecheckout``
    directory: an editable install elsewhere may map other names)."""
    package = Path(importlib.import_module("fakecheckout").__file__ or "").parent
    found = []
    for module_name, title in PUBLIC_MODULES:
        spec = importlib.util.find_spec(module_name)
        origin = Path(spec.origin) if spec is not None and spec.origin else None
        if origin is not None and origin.is_relative_to(package):
            found.append((module_name, title))
    return found


def public_names(module_name: str) -> list[str]:
    """The public names of a module: its ``__all__``, else its public functions and classes."""
    module = importlib.import_module(module_name)
    names = getattr(module, "__all__", None)
    if names is None:
        names = [
            name
            for name, value in vars(module).items()
            if not name.startswith("_")
            and callable(value)
            and getattr(value, "__module__", None) == module_name
        ]
    return list(names)


def entries() -> Iterator[tuple[str, list[str]]]:
    """``(section title, dotted names)`` in page order."""
    for module_name, title in present_modules():
        yield title, [f"{module_name}.{name}" for name in public_names(module_name)]
    yield "The pytest plugin", [PLUGIN]
    yield (
        "Direct APIs (`fake.<resource>`)",
        [f"{resource.api.__module__}.{resource.api.__qualname__}" for resource in RESOURCES],
    )


def markdown() -> str:
    """The body of the reference page: one section per module, one block per name."""
    attributes = {
        f"{resource.api.__module__}.{resource.api.__qualname__}": resource.name
        for resource in RESOURCES
    }
    parts = []
    for title, names in entries():
        parts += [f"## {title}", ""]
        for name in names:
            if name in attributes:
                attribute = attributes[name]
                parts += [f'`fake.{attribute}` and `fake.account("acct_…").{attribute}`:', ""]
            parts += [f"::: {name}"]
            if name == PLUGIN:
                parts += ["    options:", f"      members: [{', '.join(plugin_fixtures())}]"]
            parts += [""]
    return "\n".join(parts)
