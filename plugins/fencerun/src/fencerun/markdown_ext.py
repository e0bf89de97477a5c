"""Python-Markdown glue: the superfences custom fences the render stage writes, and the
extension that gives Markdown outputs their place in the page's table of contents (its
treeprocessors are `toc_headings.py`'s).

- `fencerun-html` inserts its body as it is (superfences stashes it, so no other Markdown
  processor touches it).
- `fencerun-markdown` renders its body with a Markdown instance of its own, configured like
  the page's: an output cannot spill into the rest of the page, its HTML ids get a prefix, and
  its headings are handed to the page's `toc` unless the block said updatetoc="off".
- Exec fences that reach the Markdown parser were not found in the page's source (they came
  from a block's Markdown output or from an included file): they are shown as code and never
  run, with a warning unless a block printed them. The fences of a literate Markdown body
  are the page's own: fencerun found and ran them before, so one reaching the parser there
  came from an included file and is warned about too.
- `tree` and `pyodide` fences run nothing at build time, so they are drawn wherever they
  stand, in a page, an output or an included file (their options in a page were checked with
  the page's other fences).
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Mapping, Sequence
from contextvars import ContextVar
from html import escape
from typing import Any
from xml.etree.ElementTree import Element

from markdown import Extension, Markdown
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

from fencerun.fence_header import OptionError
from fencerun.isolation.scrub import NEUTRAL_NAMES
from fencerun.options import LANGUAGES, PYODIDE, TREE, pyodide_options, tree_options
from fencerun.render.markup import HTML_FENCE, MARKDOWN_FENCE, fence
from fencerun.render.pyodide import CDN_ASSETS, PyodideAssets, editor_html
from fencerun.render.tree import draw_tree, with_icons
from fencerun.toc_headings import (
    INSERT,
    REMOVE,
    HeadingCollector,
    HeadingsOut,
    IdPrefixer,
    InsertHeadings,
    RemoveHeadings,
    plain_heading,
)

log = logging.getLogger("mkdocs.plugins.fencerun")

_NAMES_RE = "|".join(re.escape(name) for name in NEUTRAL_NAMES)

# Set while a block's Markdown output is converted: exec fences found then are the output's own.
_in_output: ContextVar[bool] = ContextVar("fencerun_in_output", default=False)

Formatter = Any  # superfences calls formatters and validators with loosely typed arguments


class OutputMarkdown:
    """Renders Markdown outputs and trees with the site's Markdown extensions and their
    settings, and pyodide editors with the site's asset addresses."""

    def __init__(
        self,
        extensions: Sequence[Any],
        configs: Mapping[str, Any],
        pyodide_assets: PyodideAssets = CDN_ASSETS,
    ) -> None:
        # Kept by reference: the site's settings are final only after these fences are added.
        self.extensions = extensions
        self.configs = configs
        self.pyodide_assets = pyodide_assets
        # Editors' ids, unique across the build: an output's Markdown can hold one too.
        self._editors = itertools.count(1)

    def custom_fences(self) -> list[dict[str, Formatter]]:
        """Entries for pymdownx.superfences' `custom_fences` setting."""
        entries: list[dict[str, Formatter]] = [
            {"name": HTML_FENCE, "class": HTML_FENCE, "format": _format_html},
            {
                "name": MARKDOWN_FENCE,
                "class": MARKDOWN_FENCE,
                "format": self._format_markdown,
                "validator": _validate_markdown,
            },
        ]
        for name, formatter in ((TREE, self.format_tree), (PYODIDE, self._format_pyodide)):
            entries.append(
                {
                    "name": name,
                    "class": name,
                    "format": formatter,
                    "validator": _validate_drawn,
                }
            )
        for language in LANGUAGES:
            entries.append(
                {
                    "name": language,
                    "class": language,
                    "format": _format_stray_exec,
                    "validator": _validate_stray_exec,
                }
            )
        return entries

    def _format_markdown(
        self, src: str, language: str, css_class: str, options: dict[str, Any], md: Markdown,
        **kwargs: Any,
    ) -> str:  # fmt: skip
        inner = self._markdown()
        # Above the raw HTML pattern (90), below code spans and autolinks.
        inner.inlinePatterns.register(_NamesAsText(_NAMES_RE, inner), "fencerun_names", 95)
        inner.treeprocessors.register(IdPrefixer(inner, options["idprefix"]), "fencerun_ids", 4)
        headings: list[Element] = []
        inner.treeprocessors.register(HeadingCollector(inner, headings), "fencerun_collect", 1)
        token = _in_output.set(not options["literate"])
        try:
            html: str = inner.convert(src)
        finally:
            _in_output.reset(token)
        if options["toc"] and headings and INSERT in md.treeprocessors:
            inserter = md.treeprocessors[INSERT]
            assert isinstance(inserter, InsertHeadings | HeadingsOut)
            inserter.pending[html] = [plain_heading(h, inner) for h in headings]
        return html

    def _markdown(self) -> Markdown:
        return Markdown(extensions=list(self.extensions), extension_configs=dict(self.configs))

    def format_tree(
        self, src: str, language: str, css_class: str, options: dict[str, Any], md: Markdown,
        **kwargs: Any,
    ) -> str:  # fmt: skip
        try:
            tree = tree_options(options["inputs"])
        except OptionError as error:
            return _shown_as_code(src, language, error)
        text = draw_tree(src, tree.icons)
        html: str = self._markdown().convert(fence(tree.result, text, title=tree.title or None))
        return with_icons(html) if tree.icons == "theme" else html

    def _format_pyodide(
        self, src: str, language: str, css_class: str, options: dict[str, Any], md: Markdown,
        **kwargs: Any,
    ) -> str:  # fmt: skip
        try:
            editor = pyodide_options(options["inputs"])
        except OptionError as error:
            return _shown_as_code(src, language, error)
        return editor_html(src, editor, f"pyodide-{next(self._editors)}--", self.pyodide_assets)


def _validate_drawn(
    language: str, inputs: dict[str, str], options: dict[str, Any], attrs: Any, md: Markdown
) -> bool:
    # Every tree and pyodide fence is ours: one with a bad option is shown as code, with a
    # warning, rather than handed back to superfences, which would leave its text in the page.
    options["inputs"] = list(inputs.items())
    inputs.clear()
    return True


def _shown_as_code(src: str, language: str, error: OptionError) -> str:
    log.warning(
        "fencerun: a %s fence is shown as code: %s; %s", language, error.message, error.hint
    )
    return inert_code(src, language)


def _format_html(
    src: str, language: str, css_class: str, options: Any, md: Markdown, **kwargs: Any
) -> str:
    return src


def _validate_markdown(
    language: str, inputs: dict[str, str], options: dict[str, Any], attrs: Any, md: Markdown
) -> bool:
    options["idprefix"] = inputs.pop("idprefix", "")
    options["toc"] = inputs.pop("toc", "on") == "on"
    options["literate"] = inputs.pop("literate", "off") == "on"
    return not inputs


def _validate_stray_exec(
    language: str, inputs: dict[str, str], options: dict[str, Any], attrs: Any, md: Markdown
) -> bool:
    if "exec" not in inputs:
        return False
    options.update(inputs)
    inputs.clear()
    return True


def _format_stray_exec(
    src: str, language: str, css_class: str, options: Any, md: Markdown, **kwargs: Any
) -> str:
    if not _in_output.get():
        stray_exec_warning(language)
    return inert_code(src, language)


def stray_exec_warning(language: str) -> None:
    log.warning(
        "fencerun: an exec fence (%s) reached Markdown without being in a page's own "
        "source (included with pymdownx.snippets?); it is shown as code and not run. "
        "Put executable blocks in the page itself.",
        language,
    )


def inert_code(src: str, language: str) -> str:
    """An exec fence shown as code, never run."""
    return (
        f'<pre class="fencerun-inert"><code class="language-{escape(language)}">'
        f"{escape(src)}</code></pre>"
    )


class _NamesAsText(InlineProcessor):  # type: ignore[misc]  # Markdown has no type hints
    """Shows the neutral names of private paths (`<project>`, ...) in an output's Markdown as
    text: taken for raw HTML, each would be an unknown tag, and show nothing."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[str, int, int]:
        return AtomicString(m.group(0)), m.start(0), m.end(0)


class FencerunExtension(Extension):  # type: ignore[misc]  # Markdown has no type hints
    def extendMarkdown(self, md: Markdown) -> None:
        # `toc` runs at priority 5.
        md.treeprocessors.register(InsertHeadings(md), INSERT, 6)
        md.treeprocessors.register(RemoveHeadings(md), REMOVE, 4)


def makeExtension(**kwargs: Any) -> FencerunExtension:
    return FencerunExtension(**kwargs)
