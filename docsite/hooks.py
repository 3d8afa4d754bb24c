"""The mkdocs hooks of the site (``hooks:`` in ``mkdocs.yml``).

- The nav entry ``Resources: resources/index.md`` becomes a section with one generated page per
  registered resource (:mod:`docsite.resource_pages`), so a new resource gets its page and its
  nav entry with no edit here.
- ``<!-- generated: resources -->`` (on ``resources/index.md``) becomes the table of resources,
  ``<!-- generated: divergences -->`` (on ``fidelity.md``) the table of every ``**Divergence:**``
  note of every page, ``<!-- generated: changelog -->`` the text of ``CHANGELOG.md``, and
  ``<!-- generated: reference -->`` (on ``reference.md``) the mkdocstrings blocks of every public
  name (:mod:`docsite.reference`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # mkdocs loads this file by path
    sys.path.insert(0, str(ROOT))

from mkdocs.structure.files import File, Files  # noqa: E402

from docsite import divergences, reference, resource_pages  # noqa: E402
from docsite.markdown import title as markdown_title  # noqa: E402

RESOURCES_INDEX = f"{resource_pages.DIRECTORY}/index.md"
MARKERS = {
    "resources": "<!-- generated: resources -->",
    "divergences": "<!-- generated: divergences -->",
    "changelog": "<!-- generated: changelog -->",
    "reference": "<!-- generated: reference -->",
}


def on_config(config: Any) -> Any:
    config["nav"] = [_expand(entry) for entry in config["nav"] or []]
    return config


def _expand(entry: Any) -> Any:
    if isinstance(entry, dict):
        ((title, value),) = entry.items()
        if value == RESOURCES_INDEX:
            generated = [{page.title: page.path} for page in resource_pages.pages()]
            return {title: [RESOURCES_INDEX, *generated]}
        if isinstance(value, list):
            return {title: [_expand(child) for child in value]}
    return entry


def on_files(files: Files, config: Any) -> Files:
    for page in resource_pages.pages():
        files.append(File.generated(config, page.path, content=_placeholder(page)))
    return files


def _placeholder(page: resource_pages.ResourcePage) -> str:
    """Written in full by ``on_page_markdown``, once every page's links are known."""
    return f"# {page.title}\n"


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    path = page.file.src_uri
    generated = {p.path: p for p in resource_pages.pages()}
    if path in generated:
        return resource_pages.markdown(generated[path], _pages_linking_to(path, files))
    if MARKERS["resources"] in markdown:
        markdown = markdown.replace(MARKERS["resources"], resource_pages.index_table())
    if MARKERS["divergences"] in markdown:
        notes = divergences.notes(_sources(files))
        depth = path.count("/")
        table = divergences.table(notes, link="../" * depth + "{page}")
        markdown = markdown.replace(MARKERS["divergences"], table)
    if MARKERS["reference"] in markdown:
        markdown = markdown.replace(MARKERS["reference"], reference.markdown())
    if MARKERS["changelog"] in markdown:
        changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
        body = changelog.split("\n", 1)[1] if changelog.startswith("# ") else changelog
        markdown = markdown.replace(MARKERS["changelog"], body.strip())
    return markdown


def _sources(files: Files) -> list[tuple[str, str]]:
    """Every hand-written page and its Markdown, in site order."""
    return [
        (file.src_uri, file.content_string)
        for file in files.documentation_pages()
        if not file.generated_by
    ]


def _pages_linking_to(path: str, files: Files) -> list[tuple[str, str]]:
    """``(title, link from the resource page)`` of the hand-written pages that link to ``path``."""
    up = "../" * path.count("/")
    return [
        (markdown_title(markdown) or source, up + source)
        for source, markdown in _sources(files)
        if path in markdown and source != RESOURCES_INDEX
    ]
