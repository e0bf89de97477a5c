"""Whatever a block prints, the page shows it as text: rendered through the same Markdown
extensions as a site, an output never becomes markup, never ends its code block early and
never becomes a block that runs."""

from __future__ import annotations

import re
from typing import Any

import markdown
from bs4 import BeautifulSoup
from fencerun.fences import find_blocks
from fencerun.markdown_ext import OutputMarkdown
from fencerun.model import Result
from fencerun.render import render_block
from hypothesis import given, settings
from hypothesis import strategies as st

EXTENSIONS: list[Any] = [
    "admonition", "attr_list", "md_in_html", "tables", "toc", "pymdownx.superfences",
    "pymdownx.highlight", "pymdownx.tabbed", "fencerun.markdown_ext",
]  # fmt: skip
CONFIGS: dict[str, Any] = {"pymdownx.tabbed": {"alternate_style": True}}
CONFIGS["pymdownx.superfences"] = {
    "custom_fences": OutputMarkdown(EXTENSIONS, CONFIGS).custom_fences()
}

NASTY = st.sampled_from(
    ["```", "````", "~~~", '```python exec="on"', "<script>x()</script>", "_x_", "**b**",
     "</div>", "<!--", "{{ t }}", "=== \"Tab\"", "    indented", "\x02wzxhzdk:0\x03", "&amp;",
     "\t", "\r", "\x0c", "\u2028", "| a | b |", "[link](x.md)", "!!! note"]
)  # fmt: skip
LINE_BREAKS = re.compile("\r\n?|[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
OUTPUTS = st.lists(st.one_of(NASTY, st.text(max_size=12)), max_size=8).map("\n".join)


def shown(output: str, options: str, indent: str) -> BeautifulSoup:
    (found,) = find_blocks(f'```python exec="on" {options}\nprint()\n```', "fuzz.md")
    rendered = render_block(
        found.block, Result(output, 0), provenance_footer=False, figure_files=lambda f: f.name
    )
    lines = rendered.split("\n")
    page = "- item\n\n" + "\n".join(indent + line if line else "" for line in lines)
    if not indent:
        page = rendered
    html = markdown.Markdown(extensions=EXTENSIONS, extension_configs=CONFIGS).convert(page)
    return BeautifulSoup(html, "html.parser")


def normalized(text: str) -> str:
    """Python-Markdown expands tabs and highlighters drop trailing blanks: compare without them."""
    lines = LINE_BREAKS.sub("\n", text).expandtabs(4).split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n")


def expected_text(output: str) -> str:
    return normalized(output.replace("\x02", "\ufffd").replace("\x03", "\ufffd"))


@settings(max_examples=150, deadline=None)
@given(OUTPUTS, st.sampled_from(["", 'source="above"', 'source="tabbed-left"', 'result="json"']),
       st.sampled_from(["", "    "]))  # fmt: skip
def test_any_output_shows_as_its_own_text(output: str, options: str, indent: str) -> None:
    soup = shown(output, options, indent)
    assert soup.find("script") is None
    assert soup.select(".fencerun-inert") == []
    if normalized(output):
        texts = [normalized(pre.get_text()) for pre in soup.find_all("pre")]
        assert expected_text(output) in texts, (texts, expected_text(output))


@settings(max_examples=100, deadline=None)
@given(OUTPUTS)
def test_ansi_output_never_leaves_its_block(output: str) -> None:
    soup = shown(output, 'result="ansi"', "")
    assert soup.find("script") is None
    blocks = soup.select(".fencerun-ansi")
    if normalized(output):
        assert len(blocks) == 1
        assert expected_text(output) == normalized(blocks[0].get_text())
