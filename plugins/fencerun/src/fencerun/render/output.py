"""The output part of a rendered block, as Markdown chunks: the output itself, its figures,
and the notes under it."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from fencerun.isolation.scrub import NEUTRAL_NAMES
from fencerun.model import Block, Figure, Result
from fencerun.options import LITERATE
from fencerun.render.ansi import ansi_to_html
from fencerun.render.markup import clean, deferred, fence, html_fence, markdown_fence
from fencerun.render.notices import texts
from fencerun.render.source import console_output
from fencerun.render.svg import FigureFile, UnsafeFigure, figure_file

# Given a figure's file, stores it and answers the address the page's <img> loads it from.
FigureSink = Callable[[FigureFile], str]


def output_text(block: Block, result: Result) -> str:
    """What the block printed, as readers should see it (console commands taken out)."""
    if block.language == "console" and block.options.source != "console":
        return console_output(block, result.shown_output)
    return result.shown_output


def output_markdown(block: Block, text: str) -> str:
    """The output as Markdown for the page: a code fence unless the block asked otherwise."""
    options = block.options
    if not text.strip():
        return ""
    if options.html:
        return html_fence(names_as_text(text))
    if options.markdown:
        literate = block.language == LITERATE
        return markdown_fence(
            text, idprefix=id_prefix(block), toc=options.updatetoc, literate=literate
        )
    if options.result == "ansi":
        return deferred(ansi_block(text), text.rstrip("\n"))
    shown = text.rstrip("\n")
    if options.result:
        # As markdown-exec writes it, line ends and all: a fence Pygments does not highlight
        # (mermaid) keeps them, as under markdown-exec; Pygments drops them.
        return deferred(fence(options.result, text), shown)
    return deferred(fence("text", shown), shown)


def names_as_text(html: str) -> str:
    """HTML that shows the neutral names of private paths (`<project>`, ...) the output
    holds, where a browser would take each for an unknown tag and show nothing."""
    for name in NEUTRAL_NAMES:
        html = html.replace(name, escape(name))
    return html


def snippet_passes(block: Block) -> int:
    """How often pymdownx.snippets reads the output's lines where this module and a console
    transcript put them: once as text of the page (a code fence, raw HTML), twice in a Markdown
    output, which `markdown_ext` converts again with the page's extensions; never where they
    are HTML-escaped (ANSI colours), as no escaped line holds the marker's "<"."""
    options = block.options
    ansi = options.result == "ansi"
    if options.source == "console" or not (options.html or options.markdown):
        return 0 if ansi else 1
    return 1 if options.html else 2


def ansi_block(text: str, title: str | None = None) -> str:
    """Text with ANSI colour codes as a coloured code block (Material's title markup)."""
    heading = f'<span class="filename">{escape(title)}</span>' if title else ""
    # Leading and trailing blank lines dropped, one line end kept, as Pygments treats the
    # text of every other fence (and markdown-exec's `ansi` lexer this one).
    shown = clean(text).strip("\n") + "\n"
    return html_fence(
        f'<div class="highlight fencerun-ansi">{heading}<pre><code>'
        f"{ansi_to_html(shown)}</code></pre></div>"
    )


def id_prefix(block: Block) -> str:
    """What goes in front of the HTML ids of a Markdown output, as markdown-exec chooses it."""
    options = block.options
    if options.idprefix is not None:
        return options.idprefix
    if options.id:
        return f"{options.id}-"
    return f"exec-{block.index + 1}--"


def figures_html(block: Block, figures: tuple[Figure, ...], locale: str, files: FigureSink) -> str:
    """Figures in order, each an <img> of its own SVG file with its width and height, named
    for screen readers."""
    words = texts(locale)
    shown = []
    for number, figure in enumerate(figures, start=1):
        label = words["figure"].format(
            number=number, language=block.language, location=block.location
        )
        try:
            shown.append(_image(figure_file(figure.svg, label=label), files))
        except UnsafeFigure as error:
            # Visible, not silent: the author learns why the figure is missing.
            shown.append(
                f'<p class="fencerun-figure-error">{escape(label)}: '
                f"{escape(words['figure_unshown'])} ({escape(str(error))})</p>"
            )
    return f'<div class="fencerun-figures">{"".join(shown)}</div>' if shown else ""


def _image(figure: FigureFile, files: FigureSink) -> str:
    # Lazy: figures sit below the lead, and the page should not wait for them.
    return (
        f'<img class="fencerun-figure" src="{escape(files(figure))}" alt="{escape(figure.label)}" '
        f'width="{figure.width}" height="{figure.height}" loading="lazy" decoding="async">'
    )
