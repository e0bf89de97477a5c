"""The MkDocs plugin: a thin adapter that wires the engine's stages to MkDocs events.

Reads as the event sequence. static-i18n builds each extra language as a nested build on
the same plugin instance (from its on_post_build at priority -100), and `mkdocs serve`
rebuilds on the same instance too, so the plugin counts nesting to know where a top-level
build starts and ends; the engine's memo lives as long as the plugin.
"""

from __future__ import annotations

import logging
import re
from importlib.resources import files as package_files
from pathlib import Path
from typing import Literal

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from fencerun.config import (
    FencerunConfig,
    docs_label,
    engine_settings,
    pyodide_assets,
    snippet_view,
)
from fencerun.engine import Engine
from fencerun.errors import (
    BlockError,
    BlockFailure,
    FencerunError,
    describe_stderr,
    failure_of,
    failures_message,
)
from fencerun.fences import FoundBlock, first_line_of
from fencerun.markdown_ext import OutputMarkdown
from fencerun.model import Block, PageSource, Result
from fencerun.page_rewrite import PageRendering, snippet_readings
from fencerun.page_sources import page_body, page_path, pages_under
from fencerun.render.markup import CSS_PATH, html_fence
from fencerun.render.notices import block_error_box
from fencerun.render.pyodide import ASSET_PLACEHOLDER, EDITOR_MARK
from fencerun.render.snippets import SnippetView, confine_output
from fencerun.render.svg import FigureFile
from fencerun.report import BuildReport
from fencerun.run import Executor, WorkerFailure

log = get_plugin_logger("fencerun")


class _EngineLogToMkdocs(logging.Handler):
    """The engine logs to "fencerun" (it knows nothing of MkDocs); under MkDocs its
    warnings go through the plugin's logger, so they read like MkDocs' own and count
    under --strict, except the cache's notes on mending itself, which only look alike."""

    def __init__(self) -> None:
        super().__init__()
        self._uncounted = logging.StreamHandler()
        self._uncounted.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(record, "self_healing", False):
            self._uncounted.emit(record)
        else:
            log.log(record.levelno, record.getMessage().removeprefix("fencerun: "))


def _route_engine_log() -> None:
    engine_log = logging.getLogger("fencerun")
    if engine_log.level == logging.NOTSET:
        engine_log.setLevel(logging.INFO)  # its notes belong in the build's log, as MkDocs' own
    if not any(isinstance(handler, _EngineLogToMkdocs) for handler in engine_log.handlers):
        engine_log.addHandler(_EngineLogToMkdocs())


SUPERFENCES = "pymdownx.superfences"
EXTENSION = "fencerun.markdown_ext"
# Figures are files of the site, named by their content, shown by <img>. A page's Markdown
# only names them: the blog renders a post's excerpt again on pages at other depths, so the
# address relative to the page is filled in once the page's HTML is final (on_post_page).
FIGURES_DIR = "assets/fencerun/figures"
FIGURE_PLACEHOLDER = "fencerun-figure:"
_FIGURE_SRC_RE = re.compile(r'src="fencerun-figure:([0-9a-f]{20}\.svg)"')
# pyodide editors' script and style, loaded by the pages that have an editor and no other.
PYODIDE_CSS = "assets/fencerun-pyodide.css"
PYODIDE_JS = "assets/fencerun-pyodide.js"
_SITE_ASSET_RE = re.compile(rf'(src|href)="{ASSET_PLACEHOLDER}([^"]*)"')


class FencerunPlugin(BasePlugin[FencerunConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.serving = False
        self.engine: Engine | None = None
        self.depth = 0  # nesting of builds: static-i18n builds other languages inside one
        self.sources: dict[str, tuple[str, int]] = {}  # page path -> (body, first line)
        self.said_protections = False
        # Failures shown in this build (`mkdocs serve`), warnings about outputs and notes of
        # their stderr: the blog renders a post again for its index and archive pages.
        self.warned: set[str] = set()
        self.docs_label = ""  # how messages name the docs folder, e.g. "docs/"
        self.figures: dict[str, str] = {}  # file name -> SVG, of the figures pages show
        self.snippets: SnippetView | None = None  # what outputs may include, with snippets

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        # Under `mkdocs serve` a failing block must not stop the server: it shows in the page.
        self.serving = command == "serve"
        _route_engine_log()

    @property
    def lenient(self) -> bool:
        """Whether a failing or malformed block is a warning (the page shows it) rather
        than the end of the build: always while serving, elsewhere if the site says so."""
        return self.serving or self.config.on_error == "warn"

    # Last, after static-i18n (-100) has set this language's settings.
    @event_priority(-200)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if SUPERFENCES not in config.markdown_extensions:
            raise PluginError(
                f"fencerun needs the {SUPERFENCES} Markdown extension: add it under "
                "markdown_extensions in mkdocs.yml"
            )
        if "markdown-exec" in config.plugins:
            raise PluginError(
                "fencerun and markdown-exec both claim exec fences: remove markdown-exec from "
                "the plugins in mkdocs.yml (fencerun reads the same fences)"
            )
        self._add_markdown_glue(config)
        if CSS_PATH not in config.extra_css:
            config.extra_css.append(CSS_PATH)
        if self.depth == 0:
            self._start_build(config)
        self.snippets = snippet_view(config, self._engine().view)
        self.depth += 1
        return config

    def _add_markdown_glue(self, config: MkDocsConfig) -> None:
        if EXTENSION in config.markdown_extensions:
            return  # a nested or repeated build on the same config
        config.markdown_extensions.append(EXTENSION)
        superfences = config.mdx_configs.setdefault(SUPERFENCES, {})
        fences = superfences.setdefault("custom_fences", [])
        glue = OutputMarkdown(
            config.markdown_extensions, config.mdx_configs, pyodide_assets(self.config)
        )
        fences.extend(glue.custom_fences())

    def _start_build(self, config: MkDocsConfig) -> None:
        try:
            settings = engine_settings(config, self.config)
        except FencerunError as error:
            raise PluginError(str(error)) from None
        self.docs_label = docs_label(config)
        if self.engine is None:
            self.engine = Engine(
                settings,
                executor_factory=Executor.for_settings,
                warn=self._warn,
                # Progress lines carry their own "fencerun:" prefix.
                progress_lines=log.logger.info,
            )
        else:
            self.engine.start_build(settings)
        self.sources.clear()
        self.warned.clear()
        self.engine.start_workers_if_cold()

    def _warn(self, problem: BlockError) -> None:
        log.warning(problem.describe(self.docs_label))

    # The stylesheets and the editor script join this language's files after static-i18n
    # (-100) has sorted them; only pages with an editor link the editor's two.
    @event_priority(-200)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        for path in (CSS_PATH, PYODIDE_CSS, PYODIDE_JS):
            if path not in files.src_uris:
                text = package_files("fencerun").joinpath(path).read_text(encoding="utf-8")
                files.append(File.generated(config, path, content=text))
        return files

    # Once the pages this language builds are settled, and before any page renders, every
    # block of every page starts, in parallel. Not in on_files: the blog plugin hides its
    # posts from the page list during on_files (-50) and shows them again in its on_nav
    # (-50); static-i18n (-100) and blog-i18n (-110) have chosen the pages by now too.
    @event_priority(-200)
    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        engine = self._engine()
        pages = []
        for file in files.documentation_pages():
            page = self._read(file, config)
            if page is not None:
                pages.append(page)
        if self.depth == 1:
            # The first language of the build: the bar's total counts every language's
            # blocks, read from the docs folder (static-i18n builds the others later).
            others = pages_under(config.docs_dir, exclude=self.sources, drafts=self.serving)
            engine.expect([*pages, *others])
        problems = []
        for page in pages:
            try:
                engine.prepare([page])
            except BlockError as error:
                problems.append(error.describe(docs_label(config)))
        # Every malformed block of the site in one message, before anything renders.
        if problems and not self.lenient:
            raise PluginError("\n".join(problems))
        for problem in problems:
            self.warned.add(problem)
            log.warning(problem)
        return nav

    def _read(self, file: File, config: MkDocsConfig) -> PageSource | None:
        try:
            source = file.content_string
        except (OSError, UnicodeDecodeError):
            return None  # MkDocs reports an unreadable page itself when it gets to it
        body, first_line = page_body(source)
        path = page_path(file, config)
        self.sources[path] = (body, first_line)
        return PageSource(path, body, first_line)

    # Replace each exec fence with its rendered result. Priority 0 keeps the order of the
    # other plugins' Markdown edits as MkDocs would run them.
    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        engine = self._engine()
        path = page_path(page.file, config)
        body, first_line = self.sources.get(path, (markdown, 1))
        if body != markdown:
            first_line = first_line_of(page.file.content_string, markdown)
        source = PageSource(path, markdown, first_line)
        try:
            fences = engine.plan(source)
        except BlockError as error:
            self._report_block_error(error, config)
            box = block_error_box(error.describe(docs_label(config)), _locale(page, config))
            return html_fence(box) + "\n\n" + markdown
        results = {}
        try:
            for found in fences.blocks:
                results[found] = engine.result_for(found.block, source)
                failure = failure_of(found.block, results[found])
                if failure is not None:
                    self._report_failure(failure, config)
                elif results[found].succeeded and results[found].stderr:
                    self._note_stderr(found.block, results[found])
        except WorkerFailure as error:
            # The executor could not run a block at all: a fault of fencerun or the machine.
            raise PluginError(f"fencerun: {error}") from None
        rendering = PageRendering(
            fences,
            results,
            confined=self._confined,
            figure_files=self._keep_figure,
            provenance_footer=engine.settings.provenance,
            locale=_locale(page, config),
            include=engine.include,
        )
        return rendering.text(markdown, parent=None)

    def _confined(self, found: FoundBlock, result: Result) -> Result:
        """The result with the snippet lines that would include what blocks cannot read
        turned into text (pymdownx.snippets reads the page after this, unconfined)."""
        if self.snippets is None:
            return result
        confined, warning = confine_output(
            found.block, result, self.snippets, readings=snippet_readings(found)
        )
        if warning is not None:
            message = warning.describe(self.docs_label)
            if message not in self.warned:
                self.warned.add(message)
                log.warning(message)
        return confined

    def _note_stderr(self, block: Block, result: Result) -> None:
        """A successful block's stderr kept out of its page goes to the build's log, as
        markdown-exec lets a Python block's reach the terminal: a note (INFO), which a build
        with --strict lets pass, as it lets markdown-exec's."""
        message = describe_stderr(block, result, self.docs_label)
        if message not in self.warned:
            self.warned.add(message)
            log.info(message)

    def _keep_figure(self, figure: FigureFile) -> str:
        self.figures[figure.name] = figure.svg
        return FIGURE_PLACEHOLDER + figure.name

    # Writes the figures this page shows into this language's site folder (static-i18n builds
    # each language into its own) and points the page's <img>s at them; points the addresses
    # of site files an editor loads at them; gives a page with an editor the editor's script.
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        def address(match: re.Match[str]) -> str:
            name = match[1]
            svg = self.figures.get(name)
            if svg is None:
                return match[0]  # not a figure of this build: left as it is
            path = Path(config.site_dir, FIGURES_DIR, name)
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(svg, encoding="utf-8")
            return f'src="{get_relative_url(f"{FIGURES_DIR}/{name}", page.url)}"'

        output = _FIGURE_SRC_RE.sub(address, output)
        output = _SITE_ASSET_RE.sub(
            lambda match: f'{match[1]}="{get_relative_url(match[2], page.url)}"', output
        )
        return _with_editor_assets(output, page) if EDITOR_MARK in output else output

    def _report_block_error(self, error: BlockError, config: MkDocsConfig) -> None:
        message = error.describe(docs_label(config))
        if not self.lenient:
            raise PluginError(message)
        if message not in self.warned:
            self.warned.add(message)
            log.warning(message)

    def _report_failure(self, failure: BlockFailure, config: MkDocsConfig) -> None:
        label = docs_label(config)
        if self.lenient:
            # Once a build: the blog renders a post again for its index and archive pages.
            message = failure.describe(label)
            if message not in self.warned:
                self.warned.add(message)
                log.warning(message)
            return
        # Wait for every block started, so one build reports every failure at once.
        raise PluginError(failures_message(self._engine().failures(), label))

    # Last: static-i18n builds the other languages inside its on_post_build (-100).
    @event_priority(-200)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self.depth -= 1
        if self.depth == 0 and self.engine is not None:
            # Said once the blocks have run: asking earlier would wait for a worker to start.
            if not self.said_protections and self.engine.protections_summary():
                log.info(f"blocks run with: {self.engine.protections_summary()}")
                self.said_protections = True
            report = self._finish(self.engine, succeeded=True)
            log.info(report.summary_line())

    def on_build_error(self, *, error: Exception) -> None:
        # Whatever failed, no block process may outlive the build; the report still tells
        # which blocks ran and failed (`fencerun report`).
        self.depth = 0
        if self.engine is not None:
            try:
                self._finish(self.engine, succeeded=False)
            finally:
                self.engine.close()

    def _finish(self, engine: Engine, *, succeeded: bool) -> BuildReport:
        try:
            return engine.finish_build(succeeded=succeeded)
        except OSError as error:
            log.warning(
                f"the build report could not be written to {engine.settings.cache_dir}: "
                f"{error}; make cache_dir writable"
            )
            return engine.report

    def on_shutdown(self) -> None:
        if self.engine is not None:
            self.engine.close()

    def _engine(self) -> Engine:
        if self.engine is None:
            raise PluginError("fencerun: on_config did not run before the build used the plugin")
        return self.engine


def _with_editor_assets(html: str, page: Page) -> str:
    """The page with the pyodide editors' stylesheet in its head and their script last in its
    body, where it runs before the editors ask for it (on DOMContentLoaded)."""
    css = f'<link rel="stylesheet" href="{get_relative_url(PYODIDE_CSS, page.url)}">'
    js = f'<script src="{get_relative_url(PYODIDE_JS, page.url)}"></script>'
    head_end = html.lower().find("</head>")
    if head_end != -1:
        html = f"{html[:head_end]}{css}\n{html[head_end:]}"
    else:
        js = css + js  # a theme without a head: a stylesheet link works in the body too
    body_end = html.lower().rfind("</body>")
    if body_end == -1:
        return f"{html}{js}\n"
    return f"{html[:body_end]}{js}\n{html[body_end:]}"


def _locale(page: Page, config: MkDocsConfig) -> str:
    # static-i18n marks each file with its language; otherwise the theme's language.
    chosen = getattr(page.file, "locale", None)
    chosen = chosen or config.theme.get("language") or config.theme.get("locale")
    return str(chosen or "en")
