"""The two things the docs machinery reads in a Markdown page: fenced code blocks, and the prose
blocks (paragraphs and list items) outside them, each under its section heading."""

from __future__ import annotations

import re
from dataclasses import dataclass

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>.*)$")
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$")
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+")
_ATTRIBUTE = re.compile(r"""(\w+)=(?:"([^"]*)"|'([^']*)'|(\S+))""")


@dataclass(frozen=True)
class Fence:
    """One fenced code block: its language, its attributes (``title="…"``), its text (dedented
    by the fence's indentation) and the 1-based line of its first line of code."""

    language: str
    attributes: dict[str, str]
    code: str
    line: int


@dataclass(frozen=True)
class Prose:
    """One paragraph or list item outside code blocks, its lines joined by spaces, with the
    heading it stands under (``""`` before the first heading) and its 1-based first line."""

    text: str
    heading: str
    line: int


def fences(markdown: str) -> list[Fence]:
    """Every fenced code block of ``markdown``, in page order."""
    found: list[Fence] = []
    lines = markdown.splitlines()
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        indent, fence = opening["indent"], opening["fence"]
        language, _, rest = opening["info"].strip().partition(" ")
        body: list[str] = []
        index += 1
        first = index + 1
        while index < len(lines) and not _closes(lines[index], fence):
            line = lines[index]
            body.append(line[len(indent) :] if line.startswith(indent) else line.lstrip())
            index += 1
        index += 1  # the closing fence
        attributes = {m[1]: m[2] or m[3] or m[4] or "" for m in _ATTRIBUTE.finditer(rest)}
        code = "\n".join(body) + "\n" if body else ""
        found.append(Fence(language.lower(), attributes, code, first))
    return found


def prose(markdown: str) -> list[Prose]:
    """The paragraphs and list items of ``markdown`` outside fenced blocks, in page order."""
    blocks: list[Prose] = []
    heading = ""
    current: list[str] = []
    start = 0
    in_fence: str | None = None

    def flush() -> None:
        if current:
            blocks.append(Prose(" ".join(part.strip() for part in current), heading, start))
            current.clear()

    for number, line in enumerate(markdown.splitlines(), start=1):
        opening = _FENCE.match(line)
        if in_fence is not None:
            if _closes(line, in_fence):
                in_fence = None
            continue
        if opening is not None:
            flush()
            in_fence = opening["fence"]
            continue
        title = _HEADING.match(line)
        if title is not None:
            flush()
            heading = title[2].strip()
            continue
        if not line.strip():
            flush()
            continue
        if _LIST_ITEM.match(line):
            flush()
            line = _LIST_ITEM.sub("", line, count=1)
        if not current:
            start = number
        current.append(line)
    flush()
    return blocks


def title(markdown: str) -> str:
    """The page's ``#`` title (``""`` when it has none)."""
    for line in markdown.splitlines():
        found = _HEADING.match(line)
        if found is not None and len(found[1]) == 1:
            return found[2].strip()
    return ""


def _closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    return stripped.startswith(fence[0] * len(fence)) and not stripped.strip(fence[0])
