"""Console transcripts as readers see them: `# markdown-exec: hide` lines run but never show,
in any layout; commands continued over lines; a declared failure; figures inline as SVG."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from tests.fencerun_front.conftest import Build, build_pages, section

CONSOLE = """\
$ echo shown-one
$ SECRET=hidden-value; echo hidden-output  # markdown-exec: hide
$ echo "then $SECRET"
"""

PYCON = """\
>>> secret = "pycon-secret"  # markdown-exec: hide
>>> print(secret.upper())
"""


def _section(title: str, fence: str) -> str:
    return f"## {title}\n\n{fence}\n"


PAGE = "\n".join(
    [
        "# Transcripts\n",
        *(
            _section(mode, f'```console exec="on" source="{mode}"\n{CONSOLE}```')
            for mode in ("console", "above", "below", "tabbed-left")
        ),
        _section("plain", f'```console exec="on"\n{CONSOLE}```'),
        _section("pycon-console", f'```pycon exec="on" source="console"\n{PYCON}```'),
        _section("pycon-above", f'```pycon exec="on" source="above"\n{PYCON}```'),
        _section(
            "continued",
            '```console exec="on" source="console"\n% echo one \\\n    two\n$ echo three\n```',
        ),
        _section(
            "continued-plain", '```console exec="on"\n% echo one \\\n    two\n$ echo three\n```'
        ),
        _section(
            "declared-failure",
            '```console exec="on" returncode="1" source="console"\n'
            "$ echo before\n$ false  # markdown-exec: hide\n$ echo after\n```",
        ),
        _section(
            "declared-failure-plain",
            '```console exec="on" returncode="1"\n$ echo before\n$ false\n$ echo after\n```',
        ),
        _section(
            "figures",
            '```python exec="on"\nimport matplotlib.pyplot as plt\n'
            "plt.figure(figsize=(6, 4)); plt.plot([1, 2, 3], [3, 1, 2])\n"
            "plt.figure(figsize=(4, 3)); plt.bar(['a', 'b'], [2, 5])\nprint('drawn')\n```\n\n"
            '```python exec="on"\nimport matplotlib.pyplot as plt\n'
            "plt.figure(figsize=(5, 2)); plt.plot([0, 1])\n```",
        ),
    ]
)
FIGURE_LINES = [
    number for number, line in enumerate(PAGE.splitlines(), start=1) if line.startswith("```python")
]


@pytest.fixture(scope="module")
def soup(tmp_path_factory: pytest.TempPathFactory) -> BeautifulSoup:
    built: Build = build_pages(tmp_path_factory.mktemp("hidden"), {"index.md": PAGE})
    assert built.returncode == 0, built.output
    return built.soup()


def _code(soup: BeautifulSoup, heading_id: str) -> list[str]:
    """The text of each code block under the heading, in order."""
    return [
        pre.get_text().strip("\n")
        for element in section(soup, heading_id)
        for pre in element.select("pre")
    ]


def test_a_hidden_console_command_runs_its_output_shows_the_command_never(
    soup: BeautifulSoup,
) -> None:
    assert _code(soup, "console") == [
        '$ echo shown-one\nshown-one\nhidden-output\n$ echo "then $SECRET"\nthen hidden-value'
    ]


@pytest.mark.parametrize("mode", ["above", "below", "tabbed-left"])
def test_a_hidden_console_command_is_left_out_of_the_source_in_every_layout(
    soup: BeautifulSoup, mode: str
) -> None:
    source = '$ echo shown-one\n$ echo "then $SECRET"'
    output = "shown-one\nhidden-output\nthen hidden-value"
    expected = [output, source] if mode == "below" else [source, output]
    assert _code(soup, mode) == expected


def test_a_console_block_without_source_shows_every_commands_output(
    soup: BeautifulSoup,
) -> None:
    assert _code(soup, "plain") == ["shown-one\nhidden-output\nthen hidden-value"]


def test_the_marker_and_the_hidden_commands_show_nowhere(soup: BeautifulSoup) -> None:
    text = soup.get_text()
    assert "markdown-exec: hide" not in text
    assert "SECRET=" not in text and 'secret = "' not in text and "$ false" not in text


def test_hidden_pycon_lines_run_and_do_not_show(soup: BeautifulSoup) -> None:
    assert _code(soup, "pycon-console") == [">>> print(secret.upper())\nPYCON-SECRET"]
    assert _code(soup, "pycon-above") == [">>> print(secret.upper())", "PYCON-SECRET"]


def test_a_command_continued_over_lines_shows_whole_and_its_output_once(
    soup: BeautifulSoup,
) -> None:
    assert _code(soup, "continued") == ["% echo one \\\n    two\none two\n$ echo three\nthree"]
    assert _code(soup, "continued-plain") == ["one two\nthree"]


def test_a_declared_failure_shows_every_command_and_output_and_no_failure_box(
    soup: BeautifulSoup,
) -> None:
    assert _code(soup, "declared-failure") == ["$ echo before\nbefore\n$ echo after\nafter"]
    assert _code(soup, "declared-failure-plain") == ["before\nafter"]
    assert not soup.select(".fencerun-failure")


def test_figures_are_inline_svg_in_order_with_ids_unique_on_the_page(
    soup: BeautifulSoup,
) -> None:
    figures = [
        svg for element in section(soup, "figures") for svg in element.select("svg.fencerun-figure")
    ]
    first, second = FIGURE_LINES
    assert [svg["aria-label"] for svg in figures] == [
        f"Figure 1 of the python block at index.md:{first}",
        f"Figure 2 of the python block at index.md:{first}",
        f"Figure 1 of the python block at index.md:{second}",
    ]
    # In the order drawn: each figure has its own size (72 pt an inch).
    assert [svg["width"] for svg in figures] == ["432pt", "288pt", "360pt"]
    assert all(svg["role"] == "img" and svg.title is not None for svg in figures)
    ids = [element["id"] for element in soup.find_all(id=True)]
    assert len(ids) == len(set(ids))
    assert not soup.find("img")
