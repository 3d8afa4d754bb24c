"""The documentation site's machinery: what the mkdocs hook (``docsite/hooks.py``) and the docs
tests share.

- :mod:`docsite.markdown` reads a page's fenced blocks and prose blocks;
- :mod:`docsite.examples` turns a page's ```` ```python ```` blocks into examples to run;
- :mod:`docsite.divergences` finds every ``**Divergence:**`` note of every page;
- :mod:`docsite.resource_pages` writes one page per registered resource from the route table.

None of it is part of the installed package: it runs from a checkout (``mkdocs build`` and the
test suite).
"""
