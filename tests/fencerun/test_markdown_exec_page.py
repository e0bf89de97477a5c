"""A page written for markdown-exec, with all its display modes, builds unchanged under fencerun
(with `default_output: markdown`, which keeps markdown-exec's look)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.fencerun.conftest import HERE, Build, build_pages, section

PAGE = (HERE / "pages" / "markdown_exec_modes.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Build:
    project = tmp_path_factory.mktemp("markdown-exec-page")
    result = build_pages(project, {"index.md": PAGE}, plugin_options="default_output: markdown")
    assert result.returncode == 0, result.output
    return result


@pytest.fixture(scope="module")
def soup(built: Build) -> BeautifulSoup:
    return built.soup()


def section_text(soup: BeautifulSoup, heading_id: str) -> str:
    return "\n".join(element.get_text() for element in section(soup, heading_id))


def test_the_page_builds_with_strict_and_runs_every_block(built: Build) -> None:
    assert "25 run, 0 reused, 0 failed" in built.output


def test_output_is_markdown_as_in_markdown_exec(soup: BeautifulSoup) -> None:
    (strong,) = [e.find("strong") for e in section(soup, "plain") if e.find("strong")]
    assert strong is not None and strong.get_text() == "as Markdown"


@pytest.mark.parametrize(
    ("heading", "first", "second"),
    [("source-above", "print(", "above-output"), ("source-below", "below-output", "print(")],
)
def test_source_above_and_below_put_code_and_output_in_that_order(
    soup: BeautifulSoup, heading: str, first: str, second: str
) -> None:
    text = section_text(soup, heading)
    assert text.index(first) < text.index(second)


def test_tabbed_modes_make_two_tabs_in_the_declared_order_with_custom_titles(
    soup: BeautifulSoup,
) -> None:
    left = section(soup, "tabbed-left")[0]
    assert [label.get_text() for label in left.select(".tabbed-labels label")] == [
        "Source",
        "Result",
    ]
    blocks = left.select(".tabbed-block")
    assert "print(" in blocks[0].get_text() and "tabbed-left-output" in blocks[1].get_text()
    right = section(soup, "tabbed-right-with-tab-titles")[0]
    assert [label.get_text() for label in right.select(".tabbed-labels label")] == [
        "Printed | piped",
        "Code",
    ]
    assert "tabbed-right-output" in right.select(".tabbed-block")[0].get_text()


def test_console_source_shows_commands_and_output_in_one_block(soup: BeautifulSoup) -> None:
    (code,) = [e for e in section(soup, "console") if e.select("pre")]
    assert code.get_text().strip() == "echo console-output\nconsole-output"
    (pycon,) = [e for e in section(soup, "pycon") if e.select("pre")]
    assert pycon.get_text().strip() == '>>> print("pycon-output")\npycon-output'


def test_console_language_shows_each_commands_output_under_it(soup: BeautifulSoup) -> None:
    (code,) = [e for e in section(soup, "console-language") if e.select("pre")]
    assert code.get_text().strip() == "$ echo first\nfirst\n$ echo second\nsecond"


@pytest.mark.parametrize("heading", ["block", "material-block"])
def test_block_mode_puts_the_output_in_a_result_box_under_the_source(
    soup: BeautifulSoup, heading: str
) -> None:
    elements = section(soup, heading)
    assert elements[0].select("pre")
    result = [e for e in elements if "result" in (e.get("class") or [])]
    assert len(result) == 1 and f"{heading}-output" in result[0].get_text()


def test_result_fence_language_highlights_the_output(soup: BeautifulSoup) -> None:
    text = section_text(soup, "result-as-a-fence")
    assert '{"answer": 42}' in text


def test_html_output_is_inserted_as_html(soup: BeautifulSoup) -> None:
    made = soup.select_one("p.made-by-block")
    assert made is not None and made.em is not None
    assert soup.select_one("span.html-with-source") is not None
    assert "print(" in section_text(soup, "html-with-source")


def test_title_goes_on_the_source_block(soup: BeautifulSoup) -> None:
    assert "hello.py" in [e.get_text() for e in soup.select(".filename")]


def test_hidden_lines_run_but_are_not_shown(soup: BeautifulSoup) -> None:
    text = section_text(soup, "hidden-lines")
    assert "hidden-but-run" in text
    assert "secret = " not in text and "markdown-exec: hide" not in text


def test_brace_form_runs(soup: BeautifulSoup) -> None:
    assert "brace-output" in section_text(soup, "brace-form")


def test_output_heading_ids_use_id_idprefix_or_the_default_prefix(soup: BeautifulSoup) -> None:
    assert soup.find(id="made-made-by-id-block") is not None
    assert soup.find(id="custom-made-with-idprefix") is not None
    default = [h for h in soup.find_all("h2") if h.get_text().startswith("Not in the table")]
    assert len(default) == 1 and str(default[0]["id"]).startswith("exec-")


def test_updatetoc_off_keeps_an_output_heading_out_of_the_table_of_contents(
    soup: BeautifulSoup,
) -> None:
    toc_links = [a.get_text() for a in soup.select(".bs-sidebar a, nav a")]
    assert "Made by id block" in toc_links
    assert "Not in the table of contents" not in toc_links


def test_session_keeps_python_state_between_blocks(soup: BeautifulSoup) -> None:
    assert "session-state" in section_text(soup, "sessions")


def test_declared_returncode_lets_a_failing_command_build(soup: BeautifulSoup) -> None:
    assert "failing-on-purpose" in section_text(soup, "expected-exit-code")


def test_width_sets_the_columns_the_block_sees(soup: BeautifulSoup) -> None:
    assert "columns 123" in section_text(soup, "width")


def test_nested_block_in_an_admonition_renders_inside_it(soup: BeautifulSoup) -> None:
    admonition = soup.select_one(".admonition.note")
    assert admonition is not None
    assert "nested-output" in admonition.get_text()
    assert admonition.select(".tabbed-set")


def test_sh_result_text(built: Build) -> None:
    assert "sh-output" in section_text(built.soup(), "shell")


def test_the_build_leaves_the_docs_untouched(built: Build) -> None:
    assert (built.project / "docs" / "index.md").read_text(encoding="utf-8") == PAGE.lstrip("\n")
    assert sorted(p.name for p in Path(built.project / "docs").iterdir()) == ["index.md"]


def test_literate_markdown_is_shown_and_rendered_without_running(soup: BeautifulSoup) -> None:
    (tabs,) = section(soup, "literate-markdown")
    source, rendered = tabs.select(".tabbed-block")
    assert "Shown **and rendered**, never run." in source.get_text()
    strong = rendered.find("strong")
    assert strong is not None and strong.get_text() == "and rendered"
