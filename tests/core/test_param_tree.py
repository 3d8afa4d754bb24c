from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import ModuleType

import pytest

from fakecheckout.core.param_tree import ENDPOINTS
from fakecheckout.core.paramspec import (
    CURRENCY,
    INTEGER,
    STRING,
    URL,
    Array,
    Enum,
    Field,
    Map,
    Object,
    OneOf,
)
from tests.factories import load_script

ROOT = Path(__file__).resolve().parents[2]


def load_generator() -> ModuleType:
    return load_script("generate_param_tree")


def field(endpoint: str, *path: str) -> Field:
    """The field at ``path``; ``[]`` steps into an array's items."""
    node: object = ENDPOINTS[endpoint]
    found: Field | None = None
    for step in path:
        if step == "[]":
            assert isinstance(node, Array)
            node = node.items
            continue
        assert isinstance(node, Object), f"{step}: {node!r}"
        found = node.fields[step]
        node = found.node
    assert found is not None
    return found


TREES = ROOT / "fakecheckout" / "core" / "param_trees"


def test_committed_param_trees_have_the_format_and_digests_the_index_records():
    assert load_generator().committed_problems() == []


def test_a_hand_edited_tree_file_is_reported(tmp_path, monkeypatch):
    generator = load_generator()
    copy = tmp_path / "param_trees"
    shutil.copytree(TREES, copy)
    edited = copy / "create.json"
    edited.write_text(edited.read_text(encoding="utf-8").replace("hosted", "hostel"), "utf-8")
    monkeypatch.setattr(generator, "TARGET", copy)
    assert generator.committed_problems() == [
        "create.json was changed by hand (its digest differs from index.json)"
    ]


def test_committed_param_trees_are_what_the_generator_writes_from_the_cached_wheels():
    """Regenerates from the wheels when they are cached (never downloads)."""
    generator = load_generator()
    files = generator.generate(download=False)
    if files is None:
        pytest.skip(f"stripe wheels not cached in {generator.wheel_cache()}")
    committed = {path.name: path.read_text(encoding="utf-8") for path in TREES.glob("*.json")}
    assert files == committed, "run `python scripts/generate_param_tree.py`"


def test_generator_reads_the_release_of_every_supported_sdk_major():
    generator = load_generator()
    majors = {sdk.split(".")[0] for sdk, _ in generator.SDKS}
    assert majors == {"8", "10", "11", "12", "13", "14", "15", "16"}
    assert [list(pair) for pair in generator.SDKS] == load_index()["sdks"]


def load_index() -> dict[str, object]:
    result: dict[str, object] = json.loads((TREES / "index.json").read_text(encoding="utf-8"))
    return result


def test_tree_has_every_emulated_resource_endpoint():
    assert set(ENDPOINTS) == {
        *(
            f"webhook_endpoints.{verb}"
            for verb in ("create", "retrieve", "update", "delete", "list")
        ),
        *(
            f"customers.{verb}"
            for verb in ("create", "retrieve", "update", "delete", "list", "search")
        ),
        *(
            f"products.{verb}"
            for verb in ("create", "retrieve", "update", "delete", "list", "search")
        ),
        *(f"prices.{verb}" for verb in ("create", "retrieve", "update", "list", "search")),
        *(f"coupons.{verb}" for verb in ("create", "retrieve", "update", "delete", "list")),
        *(
            f"{resource}.{verb}"
            for resource in ("promotion_codes", "shipping_rates", "tax_rates")
            for verb in ("create", "retrieve", "update", "list")
        ),
        "account.retrieve",
        *(
            f"payment_intents.{verb}"
            for verb in ("retrieve", "list", "update", "cancel", "capture")
        ),
        *(f"charges.{verb}" for verb in ("retrieve", "list")),
        *(f"payment_methods.{verb}" for verb in ("retrieve", "list")),
        *(f"refunds.{verb}" for verb in ("create", "retrieve", "update", "list")),
        *(f"setup_intents.{verb}" for verb in ("retrieve", "list")),
        *(f"subscriptions.{verb}" for verb in ("retrieve", "list", "update", "cancel")),
        *(f"invoices.{verb}" for verb in ("retrieve", "list", "list_lines")),
        "billing_portal_sessions.create",
        "create",
        "update",
        "list",
        "retrieve",
        "expire",
        "list_line_items",
        "events.list",
        "events.retrieve",
        "customers.create",
        "customers.retrieve",
        "customers.update",
        "customers.delete",
        "customers.list",
        "products.create",
        "products.retrieve",
        "products.update",
        "products.delete",
        "products.list",
        "prices.create",
        "prices.retrieve",
        "prices.update",
        "prices.list",
    }


def test_request_options_are_not_parameters():
    for name in ("api_key", "idempotency_key", "stripe_account", "stripe_version", "headers"):
        assert name not in ENDPOINTS["create"].fields
        assert name not in ENDPOINTS["list"].fields


def test_line_item_price_data_currency_is_a_required_currency():
    currency = field("create", "line_items", "[]", "price_data", "currency")
    assert currency.required
    assert currency.node == CURRENCY


def test_create_metadata_is_a_metadata_map_that_cannot_be_emptied():
    metadata = field("create", "metadata")
    assert metadata.node == Map(STRING, kind="metadata")
    assert not metadata.emptyable


def test_update_metadata_is_emptyable():
    metadata = field("update", "metadata")
    assert isinstance(metadata.node, Map)
    assert metadata.emptyable


def test_list_created_is_an_integer_or_a_range_object():
    created = field("list", "created").node
    assert isinstance(created, OneOf)
    assert INTEGER in created.options
    (range_object,) = [option for option in created.options if isinstance(option, Object)]
    assert set(range_object.fields) == {"gt", "gte", "lt", "lte"}
    assert all(spec.node == INTEGER for spec in range_object.fields.values())


def test_mode_enum_keeps_stripes_order():
    assert field("create", "mode").node == Enum(("payment", "setup", "subscription"))


def test_redirect_urls_are_urls():
    for name in ("success_url", "cancel_url", "return_url"):
        assert field("create", name).node == URL


def test_currency_options_keys_are_currencies():
    currency_options = field(
        "create", "shipping_options", "[]", "shipping_rate_data", "fixed_amount", "currency_options"
    ).node
    assert isinstance(currency_options, Map)
    assert currency_options.kind == "currency"


def test_a_literal_currency_field_stays_an_enum():
    acss_currency = field("create", "payment_method_options", "acss_debit", "currency").node
    assert acss_currency == Enum(("cad", "usd"))


def test_retrieve_expire_take_only_expand():
    for endpoint in ("retrieve", "expire"):
        assert dict(ENDPOINTS[endpoint].fields) == {"expand": Field(Array(STRING))}
