"""The version boundary: objects are built and stored in the newest shape, and turned into the
shape of a request's API version when they leave; old parameters are turned into the stored form
when they come in.

Two registries, filled by the resource modules (``session_versions`` for Checkout Sessions):

- per object type (the JSON ``object`` field: ``checkout.session``, ``item``, …), a downgrade
  ``(obj, version) -> obj`` that returns the object as ``version`` shows it;
- per endpoint (``create``, …), a translation ``(params, version) -> params`` of validated
  parameters that an older version spells differently (``ui_mode="embedded"``).

At the newest version both are the identity and cost nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import versions

Downgrade = Callable[[dict[str, Any], str], dict[str, Any]]
Translate = Callable[[dict[str, Any], str], dict[str, Any]]

_DOWNGRADES: dict[str, Downgrade] = {}
_TRANSLATIONS: dict[str, Translate] = {}
_loaded = False


def register_object(object_name: str, downgrade: Downgrade) -> None:
    _DOWNGRADES[object_name] = downgrade


def register_params(endpoint: str, translate: Translate) -> None:
    _TRANSLATIONS[endpoint] = translate


def _load() -> None:
    global _loaded
    if not _loaded:
        _loaded = True
        from . import session_versions  # noqa: F401 - registers its transforms

        del session_versions


def is_newest(version: str) -> bool:
    """Whether ``version`` shows objects in the newest shape (``downgrade`` changes nothing)."""
    return versions.date(version) >= versions.date(versions.LATEST)


def downgrade(obj: dict[str, Any], version: str) -> dict[str, Any]:
    """``obj`` (newest shape) as ``version`` shows it; a ``list`` downgrades its ``data``. The
    result may share parts with ``obj``; ``obj`` itself is not changed."""
    if is_newest(version):
        return obj
    _load()
    kind = obj.get("object")
    if kind == "list" and isinstance(obj.get("data"), list):
        return {**obj, "data": [downgrade(item, version) for item in obj["data"]]}
    transform = _DOWNGRADES.get(kind) if isinstance(kind, str) else None
    return transform(obj, version) if transform is not None else obj


def to_stored(endpoint: str, params: dict[str, Any], version: str) -> dict[str, Any]:
    """Validated ``params`` of ``version`` in the form the newest version stores."""
    if versions.date(version) >= versions.date(versions.LATEST):
        return params
    _load()
    translate = _TRANSLATIONS.get(endpoint)
    return translate(params, version) if translate is not None else params


def stripe_field_order(obj: dict[str, Any]) -> dict[str, Any]:
    """``obj`` with ``id`` and ``object`` first, then the rest alphabetically, as Stripe orders an
    object's fields (a downgrade that adds or renames a field puts it back in its place)."""
    head = [name for name in ("id", "object") if name in obj]
    rest = sorted(name for name in obj if name not in ("id", "object"))
    return {name: obj[name] for name in head + rest}
