"""The render stage with plain data: the Markdown that replaces a fence."""

from __future__ import annotations

import re
from importlib.resources import files
from xml.etree import ElementTree

from bs4 import BeautifulSoup, Tag
from fencerun.fences import find_blocks
from fencerun.model import Block, Figure, Provenance, Result
from fencerun.render import render_block
from fencerun.render.markup import LONG_BLOCK_LINES
from fencerun.render.notices import format_duration
from fencerun.render.svg import FigureFile

PROVENANCE = Provenance("Linux 6.1", "CPython 3.11.7", "2026-05-01T14:03:00+09:00", 1.5)


def block(options: str = "", code: str = 'print("x")', language: str = "python") -> Block:
    (found,) = find_blocks(f'```{language} exec="on" {options}\n{code}\n```', "p.md")
    return found.block


def render(b: Block, result: Result, *, footer: bool = True, locale: str = "en") -> str:
    return render_block(
        b, result, provenance_footer=footer, locale=locale, figure_files=lambda f: f.name
    )


MATPLOTLIB_LIKE = """<?xml version="1.0" encoding="utf-8" standalone="no"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"
  "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns:xlink="http://www.w3.org/1999/xlink" width="460.8pt" height="345.6pt"
 viewBox="0 0 460.8 345.6" xmlns="http://www.w3.org/2000/svg" version="1.1">
 <metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></metadata>
 <defs><style type="text/css">*{stroke-linejoin: round; stroke-linecap: butt}</style></defs>
 <g id="figure_1"><g id="axes_1">
  <g clip-path="url(#p1a2b3c4d5e)"><path id="line2d_1" d="M 0 0 L {n} 10"/></g>
  <!-- title {n} --><g><use xlink:href="#DejaVuSans-31" x="10"/></g>
 </g></g>
 <defs>
  <clipPath id="p1a2b3c4d5e"><rect x="0" y="0" width="10" height="10"/></clipPath>
  <path id="DejaVuSans-31" d="M 0 0 z"/>
 </defs>
</svg>
"""


def figure(n: int) -> Figure:
    return Figure(MATPLOTLIB_LIKE.replace("{n}", str(n)))


def test_figure_files_hold_the_drawings_in_order_named_for_screen_readers() -> None:
    stored: list[FigureFile] = []

    def keep(figure: FigureFile) -> str:
        stored.append(figure)
        return figure.name

    result = Result("drawn\n", 0, figures=(figure(1), figure(2)), provenance=PROVENANCE)
    render_block(block(), result, provenance_footer=False, figure_files=keep)
    svgs = [BeautifulSoup(file.svg.split("\n", 1)[1], "html.parser").svg for file in stored]
    assert [svg.select_one("path[id]")["d"] for svg in svgs] == [  # type: ignore[index,union-attr]
        "M 0 0 L 1 10",
        "M 0 0 L 2 10",
    ]
    assert [svg["role"] for svg in svgs] == ["img", "img"]  # type: ignore[index]
    assert [svg["aria-label"] for svg in svgs] == [  # type: ignore[index]
        "Figure 1 of the python block at p.md:1",
        "Figure 2 of the python block at p.md:1",
    ]
    first = svgs[0]
    assert first is not None and first.title is not None
    assert first.title.get_text() == first["aria-label"]
    assert first["viewbox"] == "0 0 460.8 345.6"
    # No base64 image of the old kind, no metadata, no comments.
    for file in stored:
        assert "<image" not in file.svg and "metadata" not in file.svg and "title 1" not in file.svg


def test_with_a_file_store_figures_are_images_of_their_own_files_with_their_size() -> None:
    stored: list[FigureFile] = []

    def keep(figure: FigureFile) -> str:
        stored.append(figure)
        return f"figures/{figure.name}"

    result = Result("drawn\n", 0, figures=(figure(1), figure(2)), provenance=PROVENANCE)
    text = render_block(block(), result, provenance_footer=False, figure_files=keep)
    soup = BeautifulSoup(text, "html.parser")
    images = soup.select("div.fencerun-figures > img.fencerun-figure")
    assert [image["src"] for image in images] == [f"figures/{f.name}" for f in stored]
    assert len({f.name for f in stored}) == 2, "two figures, two files"
    # 460.8 x 345.6 pt is 614 x 461 CSS pixels.
    assert [(image["width"], image["height"]) for image in images] == [("614", "461")] * 2
    assert images[0]["alt"] == "Figure 1 of the python block at p.md:1"
    assert not soup.find("svg"), "the drawing is in the file, not the page"
    drawing = ElementTree.fromstring(stored[0].svg.split("\n", 1)[1])
    assert drawing.tag == "{http://www.w3.org/2000/svg}svg"
    assert drawing.find(".//{http://www.w3.org/2000/svg}path[@d='M 0 0 L 1 10']") is not None
    # Cleaned: no metadata, no comments.
    assert "metadata" not in stored[0].svg and "title 1" not in stored[0].svg
    again = render_block(block(), result, provenance_footer=False, figure_files=keep)
    assert again == text, "the same figure is the same file on every build"


def test_a_figure_with_a_title_of_its_own_is_named_by_it() -> None:
    titled = Figure(
        MATPLOTLIB_LIKE.replace("{n}", "1").replace("<metadata>", "<title>A 곡선</title><metadata>")
    )
    result = Result("", 0, figures=(titled,), provenance=PROVENANCE)
    stored: list[FigureFile] = []

    def keep(figure: FigureFile) -> str:
        stored.append(figure)
        return figure.name

    text = render_block(block(), result, provenance_footer=False, figure_files=keep)
    image = BeautifulSoup(text, "html.parser").img
    assert image is not None and image["alt"] == "A 곡선"
    drawing = BeautifulSoup(stored[0].svg.split("\n", 1)[1], "html.parser").svg
    assert drawing is not None and drawing["aria-label"] == "A 곡선"
    assert [t.get_text() for t in drawing.find_all("title")] == ["A 곡선"]


def test_a_figure_without_a_size_cannot_be_an_image_and_says_why() -> None:
    sizeless = Figure('<svg xmlns="http://www.w3.org/2000/svg"><path d="M 0 0"/></svg>')
    result = Result("", 0, figures=(sizeless,), provenance=PROVENANCE)
    text = render_block(block(), result, provenance_footer=False, figure_files=lambda f: f.name)
    (note,) = BeautifulSoup(text, "html.parser").select("p.fencerun-figure-error")
    assert "gives no size" in note.get_text()


def test_long_outputs_and_sources_are_laid_out_only_near_the_screen() -> None:
    long_text = "".join(f"line {n}\n" for n in range(LONG_BLOCK_LINES))
    long_code = "\n".join(f"print({n})" for n in range(LONG_BLOCK_LINES))
    for options, code, output in (
        ("", 'print("x")', long_text),
        ('source="above"', long_code, "short\n"),
        ('source="tabbed-left"', 'print("x")', long_text),
    ):
        text = render(block(options, code), Result(output, 0, provenance=PROVENANCE))
        (wrapper,) = BeautifulSoup(text, "html.parser").select("div.fencerun-long")
        assert wrapper["style"] == f"--fencerun-lines: {LONG_BLOCK_LINES}"
    short = render(block('source="above"'), Result("a\nb\n", 0, provenance=PROVENANCE))
    assert "fencerun-long" not in short
    css = files("fencerun").joinpath("assets/fencerun.css").read_text(encoding="utf-8")
    rule = re.search(r"^\.fencerun-long \{([^}]*)\}", css, re.M)
    assert rule is not None and "content-visibility: auto;" in rule[1]
    assert "contain-intrinsic-block-size: auto calc(var(--fencerun-lines" in rule[1]


def _drawings(result: Result, *, locale: str = "en") -> tuple[BeautifulSoup, list[Tag]]:
    """The rendered block, and the <svg> of each figure file it stored, in order."""
    stored: list[FigureFile] = []

    def keep(figure: FigureFile) -> str:
        stored.append(figure)
        return figure.name

    text = render_block(block(), result, provenance_footer=False, locale=locale, figure_files=keep)
    # The XML declaration off: the rest is what html.parser reads without complaint.
    svgs = [BeautifulSoup(file.svg.split("\n", 1)[1], "html.parser").svg for file in stored]
    return BeautifulSoup(text, "html.parser"), [svg for svg in svgs if svg is not None]


def test_korean_pages_name_figures_in_korean() -> None:
    result = Result("", 0, figures=(figure(1),), provenance=PROVENANCE)
    page, (drawing,) = _drawings(result, locale="ko")
    assert page.img is not None and page.img["alt"] == "그림 1: p.md:1의 python 블록"
    assert drawing["aria-label"] == "그림 1: p.md:1의 python 블록"


def test_a_figure_that_cannot_be_shown_says_why_in_the_pages_language() -> None:
    result = Result("", 0, figures=(Figure("<html>not an svg</html>"),), provenance=PROVENANCE)
    english = BeautifulSoup(render(block(), result), "html.parser")
    korean = BeautifulSoup(render(block(), result, locale="ko"), "html.parser")
    for soup, words in (
        (english, "Figure 1 of the python block at p.md:1: not shown, it is not an SVG"),
        (korean, "그림 1: p.md:1의 python 블록: SVG 문서가 아니어서 보여 줄 수 없습니다"),
    ):
        error = soup.select_one("p.fencerun-figure-error")
        assert error is not None and error.get_text().startswith(words)


def test_every_reference_stays_in_its_figure_and_its_style_applies_to_it_alone() -> None:
    result = Result("", 0, figures=(figure(1), figure(2)), provenance=PROVENANCE)
    _, drawings = _drawings(result)
    assert len(drawings) == 2
    for svg in drawings:
        own = {element["id"] for element in svg.find_all(id=True)}
        references = {
            value[1:]
            for tag in svg.find_all(True)
            for key, value in tag.attrs.items()
            if key in ("href", "xlink:href")
        } | {
            value[5:-1]
            for tag in svg.find_all(True)
            for value in tag.attrs.values()
            if isinstance(value, str) and value.startswith("url(#")
        }
        assert references and references <= own
        # matplotlib's `*{...}` rule is scoped to the figure's own root.
        assert svg.style is not None
        assert svg.style.get_text().startswith(f"#{svg['id']} * {{stroke-linejoin: round")


def test_nothing_scriptable_passes_from_a_figure_into_its_file() -> None:
    hostile = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
        ' width="5" height="5" onload="alert(1)"><script>alert(2)</script>'
        '<g id="g" onclick="alert(3)" ONMOUSEOVER="alert(4)" class="md-header">'
        '<a href="javascript:alert(5)"><rect width="5" fill="url(http://example.com/x)"/></a>'
        '<a xlink:href="https://example.com/ok"><rect width="6"/></a>'
        '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">html</div></foreignObject>'
        '<image href="http://example.com/p.png"/><image href="data:image/png;base64,AAAA"/>'
        '<animate attributeName="href" to="javascript:alert(6)"/>'
        '<set attributeName="onclick" to="alert(7)"/>'
        "<style>@import url(http://example.com/a.css); rect{fill:red}</style>"
        "<style>*{x:1} &lt;/style&gt;&lt;script&gt;alert(8)&lt;/script&gt;</style>"
        '<rect style="fill:u\\72l(http://example.com)"/>'
        "</g></svg>"
    )
    _, (drawing,) = _drawings(Result("", 0, figures=(Figure(hostile),), provenance=PROVENANCE))
    text = str(drawing)
    soup = BeautifulSoup(text, "html.parser")
    assert soup.svg is not None
    assert not soup.svg.find_all(["script", "foreignobject", "animate", "set", "div"])
    attributes = [(key, value) for tag in soup.find_all(True) for key, value in tag.attrs.items()]
    assert not [key for key, _ in attributes if key.lower().startswith("on")]
    assert "javascript" not in text and "alert" not in text and "http://example.com" not in text
    assert [a.get("xlink:href") for a in soup.find_all("a")] == [None, "https://example.com/ok"]
    assert [image.get("href") for image in soup.find_all("image")] == [
        None,
        "data:image/png;base64,AAAA",
    ]
    assert [str(g.get("id")) for g in soup.select("g")] == [f"{soup.svg['id'][:-3]}g"]
    assert not soup.select("g[class]")
    assert [style.get_text() for style in soup.find_all("style")] == [
        f"#{soup.svg['id']} rect {{fill:red}}",
        f"#{soup.svg['id']} * {{x:1}}",
    ]


def test_a_figure_that_is_not_svg_says_why_it_is_missing() -> None:
    result = Result("", 0, figures=(Figure("<html>nope</html>"), figure(2)), provenance=PROVENANCE)
    soup, drawings = _drawings(result)
    (note,) = soup.select("p.fencerun-figure-error")
    assert note.get_text().startswith("Figure 1 of the python block at p.md:1: not shown")
    assert "not an SVG <svg>" in note.get_text()
    assert [image["alt"] for image in soup.find_all("img")] == [
        "Figure 2 of the python block at p.md:1"
    ]
    assert [svg["aria-label"] for svg in drawings] == ["Figure 2 of the python block at p.md:1"]


def test_frozen_results_are_labelled_recorded_with_their_system_and_date() -> None:
    text = render(block(), Result("out", 0, provenance=PROVENANCE, origin="frozen"))
    assert '<p class="fencerun-provenance fencerun-recorded">Recorded on Linux 6.1' in text
    assert "2026-05-01 14:03 UTC+09:00" in text and "took 1.50\u00a0s" in text


def test_a_recorded_output_says_so_even_where_footers_are_turned_off() -> None:
    recorded = Result("out", 0, provenance=PROVENANCE, origin="frozen")
    for text in (
        render(block(), recorded, footer=False),
        render(block('provenance="off"'), recorded),
    ):
        assert "Recorded on Linux 6.1" in text
    assert "Ran on" not in render(block(), Result("out", 0, provenance=PROVENANCE), footer=False)


def test_a_recording_without_interpreter_or_duration_leaves_no_empty_parts() -> None:
    bare = Provenance("Linux 6.8", "", "2026-05-01T14:03:00+09:00", 0.0)
    text = render(block(), Result("out", 0, provenance=bare, origin="frozen"))
    assert "Recorded on Linux 6.8 · <time" in text
    assert "took" not in text and "·  ·" not in text


def test_korean_footer_and_notices() -> None:
    text = render(block(), Result("out", 0, provenance=PROVENANCE), locale="ko")
    assert "실행 환경:" in text and "소요 1.50\u00a0s" in text
    notice = render(block(), Result("", 0, origin="not-executed"), locale="ko")
    assert "실행하지 않음" in notice


def test_truncated_output_gets_a_visible_note() -> None:
    text = render(block(), Result("lots", 0, truncated=True, provenance=PROVENANCE))
    assert "Output cut" in text


def test_not_executed_keeps_the_source_and_never_renders_empty() -> None:
    text = render(block('source="above"'), Result("", 0, origin="not-executed"))
    assert 'print("x")' in text and "fencerun-not-executed" in text
    assert "fencerun-not-executed" in render(block(), Result("", 0, origin="not-executed"))


def test_empty_output_without_source_renders_nothing_but_tabs_keep_both_tabs() -> None:
    assert render(block(), Result("", 0, provenance=PROVENANCE)) == ""
    tabs = render(block('source="tabbed-left"'), Result("", 0, provenance=PROVENANCE))
    assert len(re.findall(r'^===!? "', tabs, flags=re.MULTILINE)) == 2


def test_output_fence_is_longer_than_any_backtick_run_in_the_output() -> None:
    text = render(block(), Result("``````\nstill output", 0), footer=False)
    assert text.startswith("```````text\n") and text.endswith("\n```````")


def test_markdown_placeholder_characters_cannot_come_from_output() -> None:
    text = render(block(), Result("\x02wzxhzdk:0\x03", 0), footer=False)
    assert "\x02" not in text and "\x03" not in text


def test_console_output_without_source_drops_the_command_lines() -> None:
    b = block(code="$ echo a\n$ echo b", language="console")
    text = render(b, Result("$ echo a\na\n$ echo b\nb\n", 0), footer=False)
    assert text == "```text\na\nb\n```"


def test_failure_box_names_the_block_and_says_what_to_do() -> None:
    text = render(block(), Result("Traceback\nValueError: no", 1, provenance=PROVENANCE))
    assert "fencerun-failure" in text
    assert "This block failed: p.md:1, exited with 1, expected 0" in text
    assert "ValueError: no" in text and "returncode=&quot;1&quot;" in text


def test_html_from_escaped_output_is_escaped_in_the_ansi_block() -> None:
    text = render(block('result="ansi"'), Result("\x1b[31m<b>&</b>\x1b[0m", 0), footer=False)
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in text and "<b>" not in text


def test_an_ansi_block_drops_blank_lines_around_its_text_as_a_code_fence_does() -> None:
    text = render(block('result="ansi"'), Result("\n\x1b[31mred\x1b[0m\n\n", 0), footer=False)
    code = BeautifulSoup(text, "html.parser").select_one(".fencerun-ansi code")
    assert code is not None and code.get_text() == "red\n"


def test_a_failure_is_never_hidden_in_a_tab() -> None:
    text = render(block('source="tabbed-left"'), Result("boom", 1))
    assert "===" not in text
    assert text.index("fencerun-failure") < text.index('print("x")')


def test_failure_box_shows_colours_not_escape_codes() -> None:
    text = render(block(), Result("\x1b[31mred <b>\x1b[0m", 1))
    assert "\x1b" not in text and "[31m" not in text
    assert "red &lt;b&gt;" in text


def test_korean_failure_box_explains_in_korean() -> None:
    text = render(block(), Result("boom", 3), locale="ko")
    assert "종료 코드: 3 (기대한 코드: 0)" in text
    assert "returncode=&quot;3&quot; 옵션을 적으세요" in text


def test_failure_box_of_a_block_at_its_process_cap_says_so_in_each_language() -> None:
    capped = Result("bash: fork: retry: Resource temporarily unavailable\n", 0, process_cap=64)
    english = render(block(), capped)
    assert "p.md:1, reached its process cap of 64 processes (a fork bomb?)" in english
    assert "at most 64 processes at once" in english
    korean = render(block(), capped, locale="ko")
    assert "p.md:1, 프로세스 상한(64개)에 닿았습니다 (포크 폭탄일까요?)" in korean
    assert "한 번에 64개까지" in korean


def test_a_duration_keeps_each_number_with_its_unit_when_the_footer_wraps() -> None:
    assert format_duration(1.5) == "1.50\u00a0s"
    assert format_duration(12.34) == "12.3\u00a0s"
    assert format_duration(125) == "2\u00a0min 5\u00a0s"


def test_a_duration_reads_the_same_after_the_store_keeps_it_in_milliseconds() -> None:
    for seconds in (0.01549, 0.0125, 9.9951, 12.3456):
        assert format_duration(seconds) == format_duration(round(seconds, 3))


def test_a_failing_console_block_shows_each_command_with_its_output_in_the_failure_box() -> None:
    code = "$ cd /srv  # markdown-exec: hide\n$ ls missing\n$ echo after"
    b = block('source="console"', code=code, language="console")
    transcript = "ls: cannot access 'missing': No such file or directory\n$ echo after\nafter\n"
    soup = BeautifulSoup(render(b, Result("$ ls missing\n" + transcript, 2)), "html.parser")
    assert soup.select_one(".fencerun-failure pre") is not None
    assert soup.select_one(".fencerun-failure pre").get_text() == (  # type: ignore[union-attr]
        "$ ls missing\n" + transcript.rstrip("\n")
    )
    text = str(soup)
    assert "exited with 2, expected 0" in text and "markdown-exec" not in text
    assert text.rstrip().endswith("```console\n$ ls missing\n$ echo after\n```")


def test_a_console_transcript_with_ansi_result_shows_colours_not_escape_codes() -> None:
    b = block('source="console" result="ansi" title="ls"', code="$ ls --color", language="console")
    text = render(b, Result("$ ls --color\n\x1b[34mdocs\x1b[0m <b>\n", 0), footer=False)
    assert "\x1b" not in text and "[34m" not in text
    soup = BeautifulSoup(text, "html.parser")
    code = soup.select_one(".fencerun-ansi pre code")
    assert code is not None and code.get_text() == "$ ls --color\ndocs <b>\n"
    assert code.find("span", style=True) is not None
    filename = soup.select_one(".fencerun-ansi .filename")
    assert filename is not None and filename.get_text() == "ls"
