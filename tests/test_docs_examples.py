"""Every Python example of the documentation runs (the convention: ``docsite/examples.py``).

One test per page that has any runs that page's plain ```` ```python ```` blocks in order in one namespace; one
test per ```` ```python title="test_….py" ```` block runs it as a pytest file (pytester), which
must pass; one test per ``# doc: not run`` block reports it skipped, with its reason. The pages
are found when the suite is collected (``docs/**/*.md``), so a page added later is covered.
"""

from __future__ import annotations

import linecache
import re
import sys
import types
from pathlib import Path

import pytest
import requests  # noqa: F401 - imported once here, so pytester's in-process runs reuse them
import stripe

import conftest_plugin.plugin  # noqa: F401
import fakecheckout
from docsite.examples import Example, compile_example, docs_examples, filename, page_source

ROOT = Path(__file__).resolve().parents[1]
PAGES = docs_examples(ROOT / "docs")
EXAMPLES = [example for examples in PAGES.values() for example in examples]
STRIPE_SETTINGS = (
    "api_key",
    "api_base",
    "api_version",
    "default_http_client",
    "max_network_retries",
)


def _ids(examples: list[Example]) -> list[str]:
    return [f"{e.page}:{e.title or e.line}" for e in examples]


@pytest.fixture
def clean_stripe():
    """What an example sets on the ``stripe`` module is undone after the page."""
    saved = {name: getattr(stripe, name) for name in STRIPE_SETTINGS}
    yield
    for name, value in saved.items():
        setattr(stripe, name, value)


def _active_fakes() -> list[fakecheckout.FakeCheckout]:
    found = []
    while True:
        try:
            fake = fakecheckout.current()
        except RuntimeError:
            return found
        found.append(fake)
        fake.stop(exception_propagating=True)


PAGES_TO_RUN = sorted(
    page for page, examples in PAGES.items() if any(e.kind == "run" for e in examples)
)


@pytest.mark.parametrize("page", PAGES_TO_RUN)
def test_page_examples_run_in_order(page: str, clean_stripe: None) -> None:
    blocks = [example for example in PAGES[page] if example.kind == "run"]
    # The page runs as a module of its own (in sys.modules while it runs), as a script would:
    # dataclasses, pickle and Flask(__name__) look their module up there.
    module = types.ModuleType("docs_example_" + re.sub(r"\W", "_", page.removesuffix(".md")))
    name = filename(page)
    module.__file__ = name  # the same name as the code's, for inspect's lookups by module
    sys.modules[module.__name__] = module
    source = page_source(blocks)
    linecache.cache[name] = (len(source), None, source.splitlines(keepends=True), name)
    try:
        for block in blocks:
            exec(compile_example(block), module.__dict__)  # noqa: S102 - the docs' own examples
    finally:
        del sys.modules[module.__name__]
        linecache.cache.pop(name, None)
        left_active = _active_fakes()
    assert not left_active, f"docs/{page} leaves a FakeCheckout active"


PYTEST_FILES = [example for example in EXAMPLES if example.kind == "pytest"]


@pytest.mark.parametrize("example", PYTEST_FILES, ids=_ids(PYTEST_FILES))
def test_pytest_file_example_passes(
    example: Example,
    pytester: pytest.Pytester,
    pytestconfig: pytest.Config,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.syspath_prepend(str(ROOT))
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    args = ["-p", "no:hypothesispytest", "-p", "no:cacheprovider", "-q"]
    if not pytestconfig.pluginmanager.has_plugin("fakecheckout"):
        args += ["-p", "conftest_plugin.plugin"]
    pytester.makepyfile(**{Path(example.title).stem: example.code})
    result = pytester.runpytest_inprocess(*args)
    outcomes = result.parseoutcomes()
    assert result.ret == 0, f"{example.where} ({example.title}):\n{result.stdout.str()}"
    assert outcomes.get("passed", 0) + outcomes.get("skipped", 0) >= 1


NOT_RUN = [example for example in EXAMPLES if example.kind == "not run"]


@pytest.mark.parametrize("example", NOT_RUN, ids=_ids(NOT_RUN))
def test_example_marked_not_run(example: Example) -> None:
    pytest.skip(f"docs/{example.where}: {example.reason}")
