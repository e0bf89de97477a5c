"""Fuzzing the fence parser and option validation: any page yields blocks or a BlockError."""

from __future__ import annotations

from fencerun.errors import BlockError
from fencerun.fence_header import OptionError, parse_header
from fencerun.fences import find_blocks
from fencerun.options import build_options
from hypothesis import given, settings
from hypothesis import strategies as st

OPTION_NAMES = [
    "exec", "source", "result", "html", "markdown", "returncode", "session", "id", "idprefix",
    "tabs", "title", "width", "workdir", "updatetoc", "timeout", "freeze", "provenance", "stderr",
    "bogus",
]  # fmt: skip
VALUES = st.one_of(
    st.sampled_from(["on", "off", "1", "0", "above", "tabbed-left", "console", "-1", "300",
                     "0.5", "nan", "inf", "1e400", "A|B", "|", "\\|x", "", "١٢", "1_0",
                     "show", "log"]),
    st.text(max_size=8),
)  # fmt: skip


@st.composite
def headers(draw: st.DrawFn) -> str:
    language = draw(st.sampled_from(["python", "py", "pycon", "bash", "sh", "console", "ruby", ""]))
    parts = []
    for _ in range(draw(st.integers(0, 5))):
        name = draw(st.sampled_from(OPTION_NAMES))
        quote = draw(st.sampled_from(['"', "'", "", '"']))
        parts.append(f"{name}={quote}{draw(VALUES)}{quote}" if draw(st.booleans()) else name)
    body = " ".join(parts)
    if draw(st.booleans()):
        return f"{{.{language} {body}}}" if draw(st.booleans()) else f"{{{body}"
    return f"{language} {body}"


@st.composite
def pages(draw: st.DrawFn) -> str:
    pieces = st.one_of(
        headers().map(lambda h: "```" + h),
        headers().map(lambda h: "    ~~~~" + h),
        headers().map(lambda h: "> ```" + h),
        st.sampled_from(["```", "````", "    ```", "> ```", ">", "", "\t```", "~~~", "- item"]),
        st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
    )
    return "\n".join(draw(st.lists(pieces, max_size=12)))


@settings(max_examples=400, deadline=None)
@given(pages())
def test_any_page_gives_blocks_or_a_block_error(markdown: str) -> None:
    try:
        found = find_blocks(markdown, "fuzz.md")
    except BlockError as error:
        assert error.location.path == "fuzz.md"
        assert 1 <= error.location.line <= markdown.count("\n") + 1
        assert error.message
        return
    lines = markdown.split("\n")
    for item in found:
        assert 0 <= item.start < item.end < len(lines)
        assert item.block.location.line == item.start + 1


@settings(max_examples=400, deadline=None)
@given(st.one_of(headers(), st.text(max_size=60)))
def test_any_header_parses_validates_or_raises_option_error(header: str) -> None:
    try:
        build_options(parse_header(header))
    except OptionError as error:
        assert error.message
