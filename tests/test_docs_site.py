"""The documentation site's generated parts (``docsite/``) are complete: every divergence note is
found, every public name is in the API reference, every resource has its page, and every page
is in the nav. The build itself (``mkdocs build --strict``) runs in ``.ci/run``."""

from __future__ import annotations

import importlib
import inspect
import re
import sys
from pathlib import Path

import pytest

from docsite import divergences, reference, resource_pages
from docsite.examples import page_examples
from fakecheckout.resources import RESOURCES

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
HAND_WRITTEN = {
    path.relative_to(DOCS).as_posix(): path.read_text(encoding="utf-8")
    for path in sorted(DOCS.rglob("*.md"))
}


def test_every_mention_of_a_divergence_is_a_note_the_table_collects():
    assert divergences.stray_mentions(HAND_WRITTEN.items()) == []


def test_a_divergence_note_in_a_list_item_is_found_under_its_heading():
    page = "# T\n\n## Expiry\n\n- rule\n    - **Divergence (unverified):** the fake's way.\n"
    (note,) = divergences.notes([("t.md", page)])
    assert (note.heading, note.qualifier, note.text) == ("Expiry", "unverified", "the fake's way.")


def test_the_landing_page_holds_no_divergence_note():
    assert divergences.notes([("index.md", HAND_WRITTEN["index.md"])]) == []


def test_every_name_a_public_module_exports_is_in_the_api_reference():
    page = reference.markdown()
    assert ("fakecheckout", "The package") in reference.present_modules()
    for module_name, _ in reference.present_modules():
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", ()):
            assert f"::: {module_name}.{name}\n" in page, f"{module_name}.{name}"


def test_the_fixtures_and_every_direct_api_are_in_the_api_reference():
    page = reference.markdown()
    assert "fake_checkout" in reference.plugin_fixtures()
    assert f"members: [{', '.join(reference.plugin_fixtures())}]" in page
    for resource in RESOURCES:
        assert f"::: {resource.api.__module__}.{resource.api.__qualname__}\n" in page


def test_every_registered_resource_has_a_page_with_each_of_its_routes():
    pages = {page.resource.name: page for page in resource_pages.pages()}
    assert sorted(pages) == sorted(resource.name for resource in RESOURCES)
    for resource in RESOURCES:
        text = resource_pages.markdown(pages[resource.name])
        for route in resource.routes:
            assert f"`{route.method} {route.template}`" in text


@pytest.mark.parametrize("resource", RESOURCES, ids=[r.name for r in RESOURCES])
def test_every_resource_module_has_a_docstring_for_its_page(resource):
    doc = inspect.getdoc(sys.modules[resource.api.__module__]) or ""
    assert len(doc.split()) >= 10, f"{resource.api.__module__} needs a docstring for its page"


def test_a_route_stripe_has_under_a_resource_but_the_fake_lacks_is_listed_with_its_error():
    customers = next(r for r in RESOURCES if r.object == "customer")
    missing = resource_pages.not_emulated_routes(customers)
    assert ("GET", "/v1/customers/{customer}/balance_transactions") in missing
    method, template = missing[0]
    status, kind, message = resource_pages.not_emulated_answer(method, template)
    assert (status, kind) == (404, "invalid_request_error")
    assert message.startswith("Unrecognized request URL")


def test_examples_are_run_as_code_as_a_pytest_file_or_skipped_with_a_reason():
    page = (
        "```python\nx = 1\n```\n\n"
        '```python title="test_shop.py"\ndef test_x(): pass\n```\n\n'
        "```python\n# doc: not run — needs a real key\nstripe.Customer.list()\n```\n\n"
        "```bash\npytest\n```\n"
    )
    found = page_examples("p.md", page)
    assert [(e.kind, e.title, e.reason) for e in found] == [
        ("run", "", ""),
        ("pytest", "test_shop.py", ""),
        ("not run", "", "needs a real key"),
    ]
    assert found[0].line == 2


def test_every_page_is_in_the_nav():
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:\n", 1)[1]
    listed = set(re.findall(r"[\w./-]+\.md", nav))
    assert sorted(set(HAND_WRITTEN) - listed) == []
