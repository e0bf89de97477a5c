"""Render stage: what replaces an exec fence in the page, for every markdown-exec display mode.

The result is Markdown that pymdownx.superfences (and pymdownx.tabbed for tabs) understands.
Outputs sit inside fences so they stay inert; see `markup`.
"""

from __future__ import annotations

from fencerun.errors import failure_of
from fencerun.model import Block, Result
from fencerun.render import notices
from fencerun.render.markup import deferred, fence, fence_header, html_fence, join, tabbed
from fencerun.render.output import (
    FigureSink,
    ansi_block,
    figures_html,
    output_markdown,
    output_text,
)
from fencerun.render.source import shown_source

__all__ = ["FigureSink", "plain_fence_header", "render_block"]


def render_block(
    block: Block,
    result: Result,
    *,
    provenance_footer: bool,
    figure_files: FigureSink,
    locale: str = "en",
) -> str:
    """The Markdown that replaces the block's fence (not indented; the caller indents it).

    `figure_files` stores each figure's file and says where the page's <img> finds it.
    """
    options = block.options
    failure = failure_of(block, result)
    if failure is not None:
        output = html_fence(notices.failure_box(failure, locale))
    elif result.origin == "not-executed" and not options.runs_here():
        output = html_fence(notices.not_run_here_notice(options.os, locale))
    elif result.origin == "not-executed":
        output = html_fence(notices.not_executed_notice(locale))
    else:
        output = _output(
            block, result, provenance_footer=provenance_footer, locale=locale, files=figure_files
        )
    if not options.source:
        return output
    if failure is not None:
        # Never inside a tab or a result box, where the failure could go unnoticed.
        source = fence(block.language, shown_source(block), title=options.title or None)
        return join(output, source)
    # An empty output still needs a body, or tabs and the result box lose their structure.
    return _place_source(block, result, output or html_fence(""))


def plain_fence_header(marker: str, language: str, *, title: str) -> str:
    """The opening line for an exec="off" block: an ordinary code block, title kept."""
    return fence_header(marker, language, title=title or None)


def _output(
    block: Block,
    result: Result,
    *,
    provenance_footer: bool,
    locale: str,
    files: FigureSink,
) -> str:
    chosen = block.options.provenance
    # A recorded output always says so: it must never pass for one made by this build.
    recorded = result.origin == "frozen"
    footer_wanted = recorded or (provenance_footer if chosen is None else chosen)
    text = output_text(block, result)
    body = output_markdown(block, text) if block.options.source != "console" else ""
    figures = figures_html(block, result.figures, locale, files)
    notes = notices.truncated_note(locale) if result.truncated else ""
    shows_something = bool(body or figures or block.options.source)
    if footer_wanted and shows_something:
        notes += notices.provenance_footer(result, locale)
    extra = html_fence(figures + notes) if figures or notes else ""
    return join(body, extra)


def _place_source(block: Block, result: Result, output: str) -> str:
    options = block.options
    source = shown_source(block)
    title = options.title or None
    if options.source == "console":
        if result.origin == "not-executed":
            return join(fence(options.result or block.language, source, title=title), output)
        combined = _console_transcript(block, result, source)
        if options.result == "ansi":
            # Colours of the commands' output, as result="ansi" shows them elsewhere.
            return join(deferred(ansi_block(combined, title), combined), output)
        transcript = fence(options.result or block.language, combined, title=title)
        return join(deferred(transcript, combined), output)
    source_block = deferred(fence(block.language, source, title=title), source)
    if options.source == "above":
        return join(source_block, output)
    if options.source == "below":
        return join(output, source_block)
    if options.source == "block":
        return join(
            source_block,
            html_fence('<div class="result">'),
            output,
            html_fence("</div>"),
        )
    source_title, result_title = options.tabs
    if options.source == "tabbed-left":
        return tabbed((source_title, source_block), (result_title, output))
    return tabbed((result_title, output), (source_title, source_block))


def _console_transcript(block: Block, result: Result, source: str) -> str:
    # A console block's transcript already holds each command above its own output.
    if block.language == "console":
        return result.shown_output.rstrip("\n")
    return f"{source}\n{result.shown_output}".rstrip("\n")
