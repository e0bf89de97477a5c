"""The render stage with plain data: the Markdown that replaces a fence."""

from __future__ import annotations

import base64
import re

from fencerun.fences import find_blocks
from fencerun.model import Block, Figure, Provenance, Result
from fencerun.render import render_block
from fencerun.render.notices import format_duration

PROVENANCE = Provenance("buildbox", "Linux 6.1", "CPython 3.11.7", "2026-05-01T14:03:00+09:00", 1.5)


def block(options: str = "", code: str = 'print("x")', language: str = "python") -> Block:
    (found,) = find_blocks(f'```{language} exec="on" {options}\n{code}\n```', "p.md")
    return found.block


def render(b: Block, result: Result, *, footer: bool = True, locale: str = "en") -> str:
    return render_block(b, result, provenance_footer=footer, locale=locale)


def test_figures_become_images_with_alt_text_in_order() -> None:
    svg = '<?xml version="1.0"?>\n<!DOCTYPE svg>\n<svg xmlns="http://www.w3.org/2000/svg"/>'
    result = Result("", 0, figures=(Figure(svg), Figure(svg)), provenance=PROVENANCE)
    text = render(block(), result)
    images = re.findall(
        r'<img class="fencerun-figure" src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]+)"', text
    )
    assert [alt for _, alt in images] == [
        "Figure 1 of the python block at p.md:1",
        "Figure 2 of the python block at p.md:1",
    ]
    assert base64.b64decode(images[0][0]).decode().startswith("<svg")


def test_frozen_results_are_labelled_recorded_with_their_machine_and_date() -> None:
    text = render(block(), Result("out", 0, provenance=PROVENANCE, origin="frozen"))
    assert '<p class="fencerun-provenance fencerun-recorded">Recorded on buildbox' in text
    assert "2026-05-01 14:03 UTC+09:00" in text and "took 1.50 s" in text


def test_a_recorded_output_says_so_even_where_footers_are_turned_off() -> None:
    recorded = Result("out", 0, provenance=PROVENANCE, origin="frozen")
    for text in (
        render(block(), recorded, footer=False),
        render(block('provenance="off"'), recorded),
    ):
        assert "Recorded on buildbox" in text
    assert "Ran on" not in render(block(), Result("out", 0, provenance=PROVENANCE), footer=False)


def test_a_recording_without_interpreter_or_duration_leaves_no_empty_parts() -> None:
    bare = Provenance("laptop", "Linux 6.8", "", "2026-05-01T14:03:00+09:00", 0.0)
    text = render(block(), Result("out", 0, provenance=bare, origin="frozen"))
    assert "Recorded on laptop · Linux 6.8 · <time" in text
    assert "took" not in text and "·  ·" not in text


def test_korean_footer_and_notices() -> None:
    text = render(block(), Result("out", 0, provenance=PROVENANCE), locale="ko")
    assert "실행 환경:" in text and "소요 1.50 s" in text
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
    assert tabs.count('=== "') == 2


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


def test_a_failure_is_never_hidden_in_a_tab() -> None:
    text = render(block('source="tabbed-left"'), Result("boom", 1))
    assert '=== "' not in text
    assert text.index("fencerun-failure") < text.index('print("x")')


def test_failure_box_shows_colours_not_escape_codes() -> None:
    text = render(block(), Result("\x1b[31mred <b>\x1b[0m", 1))
    assert "\x1b" not in text and "[31m" not in text
    assert "red &lt;b&gt;" in text


def test_korean_failure_box_explains_in_korean() -> None:
    text = render(block(), Result("boom", 3), locale="ko")
    assert "종료 코드: 3 (기대한 코드: 0)" in text
    assert "returncode=&quot;3&quot; 옵션을 적으세요" in text


def test_a_duration_reads_the_same_after_the_store_keeps_it_in_milliseconds() -> None:
    for seconds in (0.01549, 0.0125, 9.9951, 12.3456):
        assert format_duration(seconds) == format_duration(round(seconds, 3))
