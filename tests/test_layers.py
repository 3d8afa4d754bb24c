"""The layering rules: the core and the resources never import a front door, ``requests``,
``responses`` or pytest; the HTTP package never imports an adapter."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "fakecheckout"

CORE_FORBIDDEN = (
    "fakecheckout.http",
    "fakecheckout.adapters",
    "fakecheckout.fake",
    "requests",
    "responses",
    "pytest",
    "httpx",
)


def imported(path: Path) -> set[str]:
    """The absolute module names a module imports (relative imports resolved)."""
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            names.add(module)
    return names


def modules(*folders: str) -> list[Path]:
    return sorted(path for folder in folders for path in (PACKAGE / folder).glob("*.py"))


def _breaks(name: str, forbidden: tuple[str, ...]) -> bool:
    return any(name == f or name.startswith(f + ".") for f in forbidden)


@pytest.mark.parametrize("path", modules("core", "resources"), ids=lambda p: p.name)
def test_the_core_and_the_resources_import_no_front_door(path: Path) -> None:
    assert [name for name in imported(path) if _breaks(name, CORE_FORBIDDEN)] == []


@pytest.mark.parametrize("path", modules("http"), ids=lambda p: p.name)
def test_the_http_package_imports_no_adapter(path: Path) -> None:
    forbidden = ("fakecheckout.adapters", "fakecheckout.fake", "requests", "responses")
    assert [name for name in imported(path) if _breaks(name, forbidden)] == []
