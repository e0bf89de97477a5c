"""Markdown building blocks for the text that replaces a fence: fences that cannot be closed
early by what they hold, pymdownx.tabbed tabs, and the two fences of our own.

The output of a block never reaches the Markdown parser as Markdown unless the block asked
for it: text goes inside a code fence longer than any backtick run it contains, HTML inside
a `fencerun-html` fence whose formatter inserts it as it is (superfences keeps it away from
every other Markdown processor).
"""

from __future__ import annotations

import re
from textwrap import indent

HTML_FENCE = "fencerun-html"
# The classes this markup uses are styled by this file of the package.
CSS_PATH = "assets/fencerun.css"
MARKDOWN_FENCE = "fencerun-markdown"

_BACKTICK_RUN_RE = re.compile(r"`{3,}")
# Python-Markdown marks its stash placeholders with these two characters: keep them out of
# output so an output can never smuggle in a placeholder.
_PLACEHOLDER_CHARS = str.maketrans({"\x02": "\ufffd", "\x03": "\ufffd"})
# Characters some parsers take for line breaks; left in, they could end a fence line early
# (at the wrong indentation) and let the rest of the output out of its block.
_LINE_BREAKS_RE = re.compile("\r\n?|[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def clean(text: str) -> str:
    return _LINE_BREAKS_RE.sub("\n", text).translate(_PLACEHOLDER_CHARS)


def fence(language: str, body: str, **attributes: str | None) -> str:
    """A backtick fence that no line of `body` can close; None attributes are left out."""
    longest = max((len(run) for run in _BACKTICK_RUN_RE.findall(body)), default=2)
    marker = "`" * max(3, longest + 1)
    return f"{fence_header(marker, language, **attributes)}\n{clean(body)}\n{marker}"


def fence_header(marker: str, language: str, **attributes: str | None) -> str:
    given = [_attribute(key, value) for key, value in attributes.items() if value is not None]
    return marker + " ".join([language, *given])


def _attribute(key: str, value: str) -> str:
    # superfences reads a value up to the first matching quote followed by a space.
    quote = "'" if '"' in value and "'" not in value else '"'
    return f"{key}={quote}{value.replace(quote, '')}{quote}"


def html_fence(html: str) -> str:
    """HTML inserted into the page as it is."""
    return fence(HTML_FENCE, html)


def markdown_fence(markdown: str, *, idprefix: str, toc: bool, literate: bool = False) -> str:
    """Markdown rendered on its own (so it cannot spill into the page) and then inserted.
    `literate`: the page's own Markdown (a literate block's body), not a block's output."""
    return fence(
        MARKDOWN_FENCE,
        markdown,
        idprefix=idprefix,
        toc="on" if toc else "off",
        literate="on" if literate else None,
    )


def tabbed(*tabs: tuple[str, str]) -> str:
    """pymdownx.tabbed tabs, each title with its Markdown content, as a tab set of their own:
    the first opens with `===!`, or the tabs of a block right above (or the page's own)
    would join them."""
    parts = []
    for number, (title, content) in enumerate(tabs):
        marker = "===!" if number == 0 else "==="
        parts.append(f'{marker} "{title}"\n\n{indent(content, "    ")}')
    return "\n\n".join(parts)


# A code block this long is laid out only when it nears the screen (content-visibility in
# fencerun.css); shorter ones cost too little to be worth it.
LONG_BLOCK_LINES = 15


def deferred(code_block: str, text: str) -> str:
    """The code block (Markdown) showing `text`, wrapped so a browser lays it out only when it
    scrolls near, if `text` is long. The wrapper carries the line count, from which the
    stylesheet reserves the block's height until then."""
    lines = text.count("\n") + 1
    if lines < LONG_BLOCK_LINES:
        return code_block
    return join(
        html_fence(f'<div class="fencerun-long" style="--fencerun-lines: {lines}">'),
        code_block,
        html_fence("</div>"),
    )


def join(*chunks: str) -> str:
    """Markdown chunks as separate blocks."""
    return "\n\n".join(chunk for chunk in chunks if chunk)
