"""Python-Markdown glue: the superfences custom fences the render stage writes, and the
treeprocessors that give Markdown outputs their place in the page's table of contents.

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

The table-of-contents technique is markdown-exec's, which took it from mkdocstrings (by Oleh
Prypin): the output is converted by its own Markdown instance, whose treeprocessors prefix
its ids and record its headings; just before the page's `toc` runs, copies of those headings
are put where the output's stash placeholder stands, so `toc` lists them, and just after it
they are taken out again. `IdPrefixer`, `_HeadingCollector`, `InsertHeadings` and
`_RemoveHeadings` are adapted from markdown-exec's `_internal/processors.py`
(IdPrependingTreeprocessor, HeadingReportingTreeprocessor, InsertHeadings, RemoveHeadings),
under its licence:

    ISC License. Copyright (c) 2022, Timothée Mazzucotelli and contributors

    Permission to use, copy, modify, and/or distribute this software for any purpose with or
    without fee is hereby granted, provided that the above copyright notice and this
    permission notice appear in all copies.

    THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES WITH REGARD TO
    THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS. IN NO
    EVENT SHALL THE AUTHOR BE LIABLE FOR ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL
    DAMAGES OR ANY DAMAGES WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN
    AN ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF OR IN
    CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
"""

from __future__ import annotations

import copy
import itertools
import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from contextvars import ContextVar
from html import escape
from typing import Any
from xml.etree.ElementTree import Element

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE

from fencerun.fence_header import OptionError
from fencerun.options import LANGUAGES, PYODIDE, TREE, pyodide_options, tree_options
from fencerun.render.markup import HTML_FENCE, MARKDOWN_FENCE, fence
from fencerun.render.pyodide import CDN_ASSETS, PyodideAssets, editor_html
from fencerun.render.tree import draw_tree, with_icons

log = logging.getLogger("mkdocs.plugins.fencerun")

_HEADING_RE = re.compile(r"[Hh][1-6]")
_TAG_RE = re.compile(r"<[^>]*>")
INSERT = "fencerun_insert_headings"
_REMOVE = "fencerun_remove_headings"
_HEADINGS_BOX = "fencerun-toc-headings"
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
        inner.treeprocessors.register(IdPrefixer(inner, options["idprefix"]), "fencerun_ids", 4)
        headings: list[Element] = []
        inner.treeprocessors.register(_HeadingCollector(inner, headings), "fencerun_collect", 1)
        token = _in_output.set(not options["literate"])
        try:
            html: str = inner.convert(src)
        finally:
            _in_output.reset(token)
        if options["toc"] and headings and INSERT in md.treeprocessors:
            inserter = md.treeprocessors[INSERT]
            assert isinstance(inserter, InsertHeadings | HeadingsOut)
            inserter.pending[html] = [_plain_heading(h, inner) for h in headings]
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


class IdPrefixer(Treeprocessor):  # type: ignore[misc]  # Markdown has no type hints
    """Prefixes the ids an output's Markdown makes, and the links to them, as markdown-exec does
    (its IdPrependingTreeprocessor)."""

    def __init__(self, md: Markdown, prefix: str) -> None:
        super().__init__(md)
        self.prefix = prefix

    def run(self, root: Element) -> None:
        if not self.prefix:
            return
        for element in root.iter():
            for name in ("id", "name"):
                if value := element.get(name):
                    element.set(name, self.prefix + value)
            href = element.get("href")
            if href and href.startswith("#"):
                element.set("href", "#" + self.prefix + href[1:])
            if element.tag == "label" and (target := element.get("for")):
                element.set("for", self.prefix + target)


class _HeadingCollector(Treeprocessor):  # type: ignore[misc]  # Markdown has no type hints
    """Copies an output's headings (with their final ids) for the page's table of contents
    (markdown-exec's HeadingReportingTreeprocessor, after mkdocstrings')."""

    def __init__(self, md: Markdown, headings: list[Element]) -> None:
        super().__init__(md)
        self.headings = headings

    def run(self, root: Element) -> None:
        permalink_class = (
            getattr(self.md.treeprocessors["toc"], "permalink_class", None)
            if ("toc" in self.md.treeprocessors)
            else None
        )
        for element in root.iter():
            if isinstance(element.tag, str) and _HEADING_RE.fullmatch(element.tag):
                heading = copy.deepcopy(element)
                if len(heading) and heading[-1].get("class") == permalink_class:
                    del heading[-1]
                self.headings.append(heading)


def _plain_heading(heading: Element, inner: Markdown) -> Element:
    """The heading with the inner conversion's stash placeholders replaced by their text."""

    def text_of(match: re.Match[str]) -> str:
        index = int(match.group(1))
        blocks = inner.htmlStash.rawHtmlBlocks
        return _TAG_RE.sub("", str(blocks[index])) if index < len(blocks) else ""

    for element in heading.iter():
        if element.text:
            element.text = HTML_PLACEHOLDER_RE.sub(text_of, element.text)
        if element.tail:
            element.tail = HTML_PLACEHOLDER_RE.sub(text_of, element.tail)
    return heading


class InsertHeadings(Treeprocessor):  # type: ignore[misc]  # Markdown has no type hints
    """Just before `toc`: puts copies of outputs' headings where the outputs stand
    (markdown-exec's InsertHeadings)."""

    def __init__(self, md: Markdown) -> None:
        super().__init__(md)
        self.pending: dict[str, list[Element]] = {}

    def run(self, root: Element) -> None:
        if not self.pending:
            return
        stash = self.md.htmlStash.rawHtmlBlocks
        for element in list(_block_elements(root)):
            match = HTML_PLACEHOLDER_RE.fullmatch((element.text or "").strip())
            if match is None or int(match.group(1)) >= len(stash):
                continue
            headings = self.pending.get(str(stash[int(match.group(1))]))
            if headings:
                box = Element("div", {"class": _HEADINGS_BOX})
                box.extend(copy.deepcopy(h) for h in headings)
                element.append(box)
        self.pending.clear()


class HeadingsOut(Treeprocessor):  # type: ignore[misc]  # Markdown has no type hints
    """Stands for `InsertHeadings` in a conversion made apart from its page (`fence`): hands
    the headings of the outputs in it to `headings`, for the page's own InsertHeadings."""

    def __init__(self, md: Markdown, headings: list[Element]) -> None:
        super().__init__(md)
        self.headings = headings
        self.pending: dict[str, list[Element]] = {}

    def run(self, root: Element) -> None:
        for found in self.pending.values():
            self.headings.extend(found)
        self.pending.clear()


class _RemoveHeadings(Treeprocessor):  # type: ignore[misc]  # Markdown has no type hints
    """Just after `toc`: takes the copies out again; the output's own HTML keeps its headings
    (markdown-exec's RemoveHeadings)."""

    def run(self, root: Element) -> None:
        for parent in list(root.iter()):
            for child in list(parent):
                if child.tag == "div" and child.get("class") == _HEADINGS_BOX:
                    parent.remove(child)


def _block_elements(root: Element) -> Iterator[Element]:
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag in {"p", "div", "li", "td", "blockquote"}:
            yield element


class FencerunExtension(Extension):  # type: ignore[misc]  # Markdown has no type hints
    def extendMarkdown(self, md: Markdown) -> None:
        # `toc` runs at priority 5.
        md.treeprocessors.register(InsertHeadings(md), INSERT, 6)
        md.treeprocessors.register(_RemoveHeadings(md), _REMOVE, 4)


def makeExtension(**kwargs: Any) -> FencerunExtension:
    return FencerunExtension(**kwargs)
