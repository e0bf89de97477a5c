"""The output part of a rendered block, as Markdown chunks: the output itself, its figures,
and the notes under it."""

from __future__ import annotations

import base64
import re
from html import escape

from fencerun.model import Block, Figure, Result
from fencerun.render.ansi import ansi_to_html
from fencerun.render.markup import clean, fence, html_fence, markdown_fence
from fencerun.render.source import console_output

_XML_PROLOGUE_RE = re.compile(r"\A\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>]*>\s*)?", re.IGNORECASE)


def output_text(block: Block, result: Result) -> str:
    """What the block printed, as readers should see it (console commands taken out)."""
    if block.language == "console" and block.options.source != "console":
        return console_output(block, result.output)
    return result.output


def output_markdown(block: Block, text: str) -> str:
    """The output as Markdown for the page: a code fence unless the block asked otherwise."""
    options = block.options
    if not text.strip():
        return ""
    if options.html:
        return html_fence(text)
    if options.markdown:
        return markdown_fence(text, idprefix=id_prefix(block), toc=options.updatetoc)
    if options.result == "ansi":
        return html_fence(
            '<div class="highlight fencerun-ansi"><pre><code>'
            f"{ansi_to_html(clean(text))}</code></pre></div>"
        )
    return fence(options.result or "text", text.rstrip("\n"))


def id_prefix(block: Block) -> str:
    """What goes in front of the HTML ids of a Markdown output, as markdown-exec chooses it."""
    options = block.options
    if options.idprefix is not None:
        return options.idprefix
    if options.id:
        return f"{options.id}-"
    return f"exec-{block.index + 1}--"


def figures_html(block: Block, figures: tuple[Figure, ...]) -> str:
    """Figures as images: an SVG in an <img> cannot run scripts or clash with the page's ids."""
    images = []
    for number, figure in enumerate(figures, start=1):
        svg = _XML_PROLOGUE_RE.sub("", figure.svg, count=1)
        data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        alt = f"Figure {number} of the {block.language} block at {block.location}"
        images.append(
            f'<img class="fencerun-figure" src="data:image/svg+xml;base64,{data}" '
            f'alt="{escape(alt)}">'
        )
    return f'<div class="fencerun-figures">{"".join(images)}</div>' if images else ""
