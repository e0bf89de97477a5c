"""fencerun's exec fences as pymdownx.superfences custom fences, for builds without the MkDocs
plugin: Zensical (which has no plugin API) and plain Python-Markdown. Declared per language::

    - pymdownx.superfences:
        custom_fences:
          - name: bash
            class: bash
            validator: !!python/name:fencerun.fence.validator
            format: !!python/name:fencerun.fence.formatter

Blocks run in the plugin's sandbox, through the same engine, keys and result store, so a block
built by MkDocs and by Zensical is one stored result. What the plugin gets from MkDocs' events
comes from elsewhere here:

- No pre-pass over the site: a page's blocks start together when its first block is
  formatted, and pages run one after the other, as the build renders them.
- No end of build: the engine starts with the first block and finishes (report written,
  block processes stopped) when the process exits.
- No site files: Zensical deletes from its output what it did not write itself when it
  rebuilds from its cache, so figures are inlined into the page (data: URLs) instead, and
  each page with blocks carries fencerun's stylesheet.
"""

from __future__ import annotations

import atexit
import base64
import logging
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files as package_files
from typing import Any
from weakref import WeakKeyDictionary
from xml.etree.ElementTree import Element

from markdown import Markdown
from pymdownx.superfences import SuperFencesException

from fencerun.engine import Engine
from fencerun.errors import (
    BlockError,
    FencerunError,
    describe_stderr,
    failure_of,
    failures_message,
)
from fencerun.fence_site import FenceSite, page_candidates, read_site, zensical_context
from fencerun.fences import FoundBlock
from fencerun.markdown_ext import (
    FencerunExtension,
    OutputMarkdown,
    inert_code,
    stray_exec_warning,
)
from fencerun.model import PageSource
from fencerun.options import FALSE_WORDS, LANGUAGES, PYODIDE, TREE
from fencerun.render import render_block
from fencerun.render.markup import CSS_PATH, html_fence
from fencerun.render.notices import block_error_box
from fencerun.render.snippets import SnippetView, confine_output, snippets_of
from fencerun.render.svg import FigureFile
from fencerun.run import Executor, WorkerFailure
from fencerun.toc_headings import INSERT, HeadingsOut, IdPrefixer, InsertHeadings

log = logging.getLogger("fencerun")

SUPERFENCES = "pymdownx.superfences"
# Needs the page's link processor, which a conversion of an output does not have (Zensical
# rewrites the page's links itself once the page is rendered).
_PAGE_ONLY_EXTENSIONS = frozenset({"zensical.extensions.preview"})
# Every page with blocks carries the stylesheet: its comments stay in the package.
_CSS_COMMENT_RE = re.compile(r"/\*.*?\*/\s*", re.DOTALL)


def validator(
    language: str, inputs: dict[str, str], options: dict[str, Any], attrs: Any, md: Markdown
) -> bool:
    """Claims the fences that have an exec option; exec="off" leaves an ordinary code block
    (its title kept, its other exec options dropped), as the plugin shows it."""
    if language in (TREE, PYODIDE):
        options["inputs"] = list(inputs.items())  # checked when drawn, as the plugin does
        inputs.clear()
        return True
    exec_value = inputs.get("exec")
    if exec_value is None:
        return False
    if exec_value.strip().lower() in FALSE_WORDS:
        for name in list(inputs):
            if name != "title":
                del inputs[name]  # superfences hands the same inputs to its other fences
        return False
    options.update(inputs)  # read again, with the page, by the find stage
    inputs.clear()
    return True


def formatter(
    src: str, language: str, css_class: str, options: Any, md: Markdown, **kwargs: Any
) -> str:
    """The block's output (and its source, as its options say) as HTML, run or reused."""
    try:
        return _format(src, language, md, options)
    except SuperFencesException:
        raise
    except Exception as error:
        # superfences would drop the fence without a word for any other exception.
        _runner.failed = True
        raise SuperFencesException(
            f"fencerun: a {language} block could not be shown: {error!r}"
        ) from error


def _format(src: str, language: str, md: Markdown, options: Any) -> str:
    site = _runner.site(md)
    conversion = _conversion(md, site)
    if language == TREE:
        return conversion.output.format_tree(src, language, "", options, md)
    if language == PYODIDE:
        # The editor's script and stylesheet are files the plugin adds to the site, and
        # Zensical removes files it did not write.
        raise SuperFencesException(
            "fencerun: pyodide fences need fencerun's MkDocs plugin (their editor script is a "
            "file of the site); under Zensical use markdown-exec's pyodide fence"
        )
    engine = _runner.engine(site)
    try:
        located = conversion.locate(LANGUAGES.get(language, language), src)
        if located is None:
            stray_exec_warning(language)
            return inert_code(src, language)
        found, page = located
        engine.prepare([page])  # the page's blocks start together, on the executor's workers
    except BlockError as error:
        return conversion.block_error(error) + inert_code(src, language)
    try:
        result = engine.result_for(found.block, page)
    except WorkerFailure as error:
        # The executor could not run a block at all: a fault of fencerun or the machine.
        _runner.failed = True
        raise SuperFencesException(f"fencerun: {error}") from None
    label = site.settings.docs_label
    failure = failure_of(found.block, result)
    if failure is not None:
        if site.on_error == "fail":
            _runner.failed = True
            # Every block started so far, so one build names every failure at once.
            raise SuperFencesException(failures_message(engine.failures(), label))
        _runner.warn_once(failure.describe(label))
    elif result.succeeded and result.stderr:
        log.info(describe_stderr(found.block, result, label))
    if conversion.snippets is not None:
        # The conversion below reads an output's snippet lines as the page's would.
        result, warning = confine_output(found.block, result, conversion.snippets)
        if warning is not None:
            _runner.warn_once(warning.describe(label))
    markdown = render_block(
        found.block,
        result,
        provenance_footer=site.settings.provenance,
        locale=site.locale,
        figure_files=_inline_figure,
    )
    return conversion.to_html(markdown, md)


def _inline_figure(figure: FigureFile) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(figure.svg.encode()).decode("ascii")


@dataclass
class _Conversion:
    """One conversion of one page: which of its blocks the formatter has shown so far."""

    site: FenceSite
    pages: list[PageSource]
    output: OutputMarkdown
    snippets: SnippetView | None
    shown: dict[tuple[str, str], int] = field(default_factory=dict)
    formatted: int = 0  # blocks formatted so far, for the ids of their HTML
    said_error: bool = False

    def locate(self, language: str, code: str) -> tuple[FoundBlock, PageSource] | None:
        """The block superfences is formatting: the next one with this language and code,
        in the first of the page's texts that has it. Whitespace is compared loosely:
        superfences expands the tabs of the code it hands over."""
        wanted = (language, _loose(code))
        seen = self.shown.get(wanted, 0)
        self.shown[wanted] = seen + 1
        engine = _runner.engine(self.site)
        for page in self.pages:
            try:
                fences = engine.plan(page)
            except BlockError:
                if page is self.pages[-1]:
                    raise
                continue
            same = [f for f in fences.blocks if (f.block.language, _loose(f.block.code)) == wanted]
            if seen < len(same):
                return same[seen], page
        return None

    def block_error(self, error: BlockError) -> str:
        """What a malformed block of the page leaves: the end of the build, or (on_error:
        warn) a notice above the page's first block, which is then shown as code."""
        site = self.site
        message = error.describe(site.settings.docs_label)
        if site.on_error == "fail":
            _runner.failed = True
            raise SuperFencesException(message)
        _runner.warn_once(message)
        if self.said_error:
            return ""
        self.said_error = True
        return self.to_html(html_fence(block_error_box(message, site.locale)), None)

    def to_html(self, markdown: str, page_md: Markdown | None) -> str:
        """The rendered block's Markdown as HTML, converted on its own with the site's
        extensions and fencerun's output fences; its ids get a prefix of their own (two
        blocks' tabs would share ids), and a Markdown output's headings go to the page's
        table of contents."""
        self.formatted += 1
        inner = Markdown(
            extensions=list(self.output.extensions), extension_configs=dict(self.output.configs)
        )
        inner.treeprocessors.register(IdPrefixer(inner, f"fencerun-{self.formatted}-"), "ids", 4)
        headings: list[Element] = []
        inner.treeprocessors.register(HeadingsOut(inner, headings), INSERT, 6)
        html: str = inner.convert(markdown)
        if self.formatted == 1:
            # No site file can hold it (see above): each page with blocks carries it.
            html = f"<style>{_stylesheet()}</style>\n{html}"
        elif not html:
            # Block-level for Python-Markdown, so no empty paragraph stands in for it.
            html = "<!-- fencerun: the block showed nothing -->"
        if headings and page_md is not None and "toc" in page_md.treeprocessors:
            if INSERT not in page_md.treeprocessors:
                FencerunExtension().extendMarkdown(page_md)
            inserter = page_md.treeprocessors[INSERT]
            assert isinstance(inserter, InsertHeadings)
            inserter.pending[html] = headings
        return html


@cache
def _stylesheet() -> str:
    css = package_files("fencerun").joinpath(CSS_PATH).read_text(encoding="utf-8")
    return _CSS_COMMENT_RE.sub("", css).strip()


def _loose(code: str) -> str:
    return " ".join(code.split())


_conversions: WeakKeyDictionary[Markdown, tuple[int, _Conversion]] = WeakKeyDictionary()


def _conversion(md: Markdown, site: FenceSite) -> _Conversion:
    """This conversion's state. A Markdown instance converts once under Zensical; plain
    Python-Markdown may reuse one, and each conversion gets a new list of lines."""
    kept = _conversions.get(md)
    if kept is not None and kept[0] == id(md.lines):
        return kept[1]
    extensions = [e for e in site.extensions if getattr(e, "name", e) not in _PAGE_ONLY_EXTENSIONS]
    configs = _with_output_fences(site.configs)
    output = OutputMarkdown(extensions, configs)
    configs[SUPERFENCES]["custom_fences"].extend(output.custom_fences())
    conversion = _Conversion(
        site=site,
        pages=page_candidates(md, site),
        output=output,
        snippets=snippets_of(extensions, configs, _runner.engine(site).view),
    )
    _conversions[md] = (id(md.lines), conversion)
    return conversion


def _with_output_fences(configs: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of the extensions' settings whose superfences list can take fencerun's output
    fences (the site's own settings stay as they are)."""
    copied = dict(configs)
    superfences = dict(copied.get(SUPERFENCES, {}))
    superfences["custom_fences"] = list(superfences.get("custom_fences", []))
    copied[SUPERFENCES] = superfences
    return copied


class _Runner:
    """The engine of this process: started by the first block, finished when it exits."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._engine: Engine | None = None
        self._site: tuple[object, FenceSite] | None = None
        self._warned: set[str] = set()
        self.failed = False

    def site(self, md: Markdown) -> FenceSite:
        # Read once per parsed config (Zensical parses it again when it changes); plain
        # Markdown has none, and each Markdown instance reads it once.
        context = zensical_context(md)
        config = context.config if context is not None else md
        if self._site is not None and self._site[0] is config:
            return self._site[1]
        try:
            site = read_site(md)
        except FencerunError as error:
            raise SuperFencesException(f"fencerun: {error}") from None
        self._site = (config, site)
        return site

    def engine(self, site: FenceSite) -> Engine:
        with self._lock:
            if self._engine is None:
                _say_through_logging()
                self._engine = Engine(site.settings, executor_factory=Executor.for_settings)
                atexit.register(self.finish)
            elif self._engine.settings != site.settings:
                self._engine.finish_build(succeeded=not self.failed)
                self._engine.start_build(site.settings)
            return self._engine

    def warn_once(self, message: str) -> None:
        if message not in self._warned:
            self._warned.add(message)
            log.warning("fencerun: %s", message)

    def finish(self) -> None:
        engine = self._engine
        if engine is None:
            return
        try:
            if engine.protections_summary():
                log.info("fencerun: blocks run with: %s", engine.protections_summary())
            report = engine.finish_build(succeeded=not self.failed)
            log.info("fencerun: %s", report.summary_line())
        except OSError as error:
            log.warning("fencerun: the build report could not be written: %s", error)
        finally:
            engine.close()


def _say_through_logging() -> None:
    """Zensical sets up no logging: fencerun's notes and warnings get a handler of their own."""
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)


_runner = _Runner()
