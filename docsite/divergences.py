"""Every deliberate divergence from Stripe, as the pages note them.

A note is a paragraph or list item that starts with ``**Divergence:**`` (or a qualified label
such as ``**Divergence (unverified):**``). :func:`notes` finds them on every page; the Fidelity
page shows them as one table (the mkdocs hook fills it in at build time), so a note added to any
page, later too, appears there. :func:`stray_mentions` finds what the table would miss: prose
that says "Divergence" without being such a note.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from docsite.markdown import prose

_LABEL = re.compile(r"^\*\*Divergence(?P<qualifier>\s*\([^)]*\))?:\*\*\s*")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
TABLE_PAGE = "fidelity.md"
"""The page that holds the table (its own prose about notes is not a note)."""


@dataclass(frozen=True)
class Note:
    page: str
    heading: str
    line: int
    qualifier: str
    """``unverified`` for ``**Divergence (unverified):**``, else ``""``."""
    text: str


def notes(pages: Iterable[tuple[str, str]]) -> list[Note]:
    """The notes of ``pages`` (``(path under docs/, markdown)``), in the order given."""
    found = []
    for page, markdown in pages:
        if page == TABLE_PAGE:
            continue
        for block in prose(markdown):
            label = _LABEL.match(block.text)
            if label is not None:
                qualifier = (label["qualifier"] or "").strip(" ()")
                text = block.text[label.end() :]
                found.append(Note(page, block.heading, block.line, qualifier, text))
    return found


def stray_mentions(pages: Iterable[tuple[str, str]]) -> list[str]:
    """``page:line`` of each prose block that mentions "Divergence" (outside code) and is not one
    note: no label at its start, or a second divergence inside a note."""
    found = []
    for page, markdown in pages:
        if page == TABLE_PAGE:
            continue
        for block in prose(markdown):
            text = _CODE_SPAN.sub("", block.text)
            mentions = text.count("Divergence")
            labelled = _LABEL.match(block.text) is not None
            if mentions > (1 if labelled else 0):
                found.append(f"{page}:{block.line}")
    return found


def table(found: list[Note], link: str = "{page}") -> str:
    """The notes as a Markdown table; ``link`` turns a page path into the link target to use."""
    rows = ["| page | section | divergence |", "|---|---|---|"]
    for note in found:
        target = link.format(page=note.page)
        anchor = f"#{slug(note.heading)}" if note.heading else ""
        qualifier = f"*({note.qualifier})* " if note.qualifier else ""
        text = note.text.replace("|", "\\|")
        section = note.heading.replace("|", "\\|") or "—"
        rows.append(f"| [{note.page}]({target}{anchor}) | {section} | {qualifier}{text} |")
    return "\n".join(rows)


def slug(heading: str) -> str:
    """The anchor Python-Markdown's ``toc`` extension gives a heading (its default slugify)."""
    from markdown.extensions.toc import slugify

    plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link's text
    plain = re.sub(r"[`*]|(?<!\w)_+|_+(?!\w)", "", plain)  # markup, not snake_case names
    return slugify(plain, "-")
