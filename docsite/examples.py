"""The docs' code examples, as the test suite runs them (``tests/test_docs_examples.py``).

The convention, for every page under ``docs/``:

- a fenced ```` ```python ```` block is run; the blocks of one page run in page order, in one
  namespace shared by that page's blocks (a later block sees an earlier one's names);
- a block whose fence carries ``title="test_….py"`` is instead a whole pytest file, run by
  pytest on its own, and all of its tests must pass;
- a block whose first line is ``# doc: not run`` is not run: it is reported as skipped, with the
  rest of that line (after ``:``, ``-`` or ``—``) or the comment lines under it as the reason;
- other languages (```` ```bash ````, ```` ```json ````) are not run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from docsite.markdown import fences

NOT_RUN = "# doc: not run"
_REASON_SEPARATORS = re.compile(r"^[\s:\-—–(]+|[\s)]+$")

Kind = Literal["run", "pytest", "not run"]


@dataclass(frozen=True)
class Example:
    """One ```` ```python ```` block of a page."""

    page: str
    """The page's path under ``docs/`` (``time.md``)."""
    line: int
    """The 1-based line of the block's first line of code in the page."""
    kind: Kind
    code: str
    title: str = ""
    """The file name of a pytest-file block (``test_checkout.py``)."""
    reason: str = ""
    """Why a ``not run`` block is not run."""

    @property
    def where(self) -> str:
        return f"{self.page}:{self.line}"


def page_examples(page: str, markdown: str) -> list[Example]:
    """The Python examples of one page, in page order."""
    found = []
    for fence in fences(markdown):
        if fence.language != "python":
            continue
        first, *rest = fence.code.splitlines() or [""]
        if first.strip().startswith(NOT_RUN):
            reason = _REASON_SEPARATORS.sub("", first.strip()[len(NOT_RUN) :])
            if not reason:
                comments = []
                for line in rest:
                    if not line.lstrip().startswith("#"):
                        break
                    comments.append(line.strip().lstrip("#").strip())
                reason = " ".join(comments)
            found.append(
                Example(page, fence.line, "not run", fence.code, reason=reason or "no reason given")
            )
        elif fence.attributes.get("title", "").endswith(".py"):
            name = Path(fence.attributes["title"]).name
            found.append(Example(page, fence.line, "pytest", fence.code, title=name))
        else:
            found.append(Example(page, fence.line, "run", fence.code))
    return found


def docs_examples(docs_dir: Path) -> dict[str, list[Example]]:
    """Every page under ``docs_dir`` (``**/*.md``, sorted) with its Python examples."""
    return {
        path.relative_to(docs_dir).as_posix(): page_examples(
            path.relative_to(docs_dir).as_posix(), path.read_text(encoding="utf-8")
        )
        for path in sorted(docs_dir.rglob("*.md"))
    }


def filename(page: str) -> str:
    """The file name a page's examples are compiled under (tracebacks show it)."""
    return f"docs/{page}"


def compile_example(example: Example) -> object:
    """The block compiled so that a traceback names the page and its line."""
    padded = "\n" * (example.line - 1) + example.code
    return compile(padded, filename(example.page), "exec")


def page_source(examples: list[Example]) -> str:
    """The page as Python: each block's lines at their own line numbers, every other line blank.
    Registered in ``linecache`` under :func:`filename` while the page runs, so ``inspect``
    (hypothesis, dataclasses) reads the examples' source, not the Markdown around it."""
    lines: list[str] = []
    for example in examples:
        code = example.code.splitlines()
        start = example.line - 1
        lines += [""] * (start + len(code) - len(lines))
        lines[start : start + len(code)] = code
    return "\n".join(lines) + "\n"
