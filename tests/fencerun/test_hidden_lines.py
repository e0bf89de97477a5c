"""Console transcripts as readers see them: `# markdown-exec: hide` lines run but never show,
in any layout; commands continued over lines; a declared failure; figures as SVG files."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup, Tag

from tests.fencerun.conftest import Build, build_pages, section

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


# A page two folders down, whose figure has a label of its own.
DEEP_PAGE = (
    "# Deep\n\n"
    '```python exec="on"\nimport matplotlib.pyplot as plt\n'
    "plt.figure(figsize=(3, 2), label='선 하나 a line'); plt.plot([0, 1])\n```\n"
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Build:
    built = build_pages(
        tmp_path_factory.mktemp("hidden"), {"index.md": PAGE, "a/b/deep.md": DEEP_PAGE}
    )
    assert built.returncode == 0, built.output
    return built


@pytest.fixture(scope="module")
def soup(built: Build) -> BeautifulSoup:
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


def _figure_file(built: Build, page: str, image: Tag) -> Path:
    """The file an <img> on `page` (a path under site/) loads."""
    address = urljoin(f"http://site/{page}", str(image["src"]))
    assert address.startswith("http://site/"), f"{image['src']} leads out of the site"
    return built.project / "site" / address.removeprefix("http://site/")


def test_figures_are_images_in_order_with_their_size_and_files_in_the_site(
    built: Build, soup: BeautifulSoup
) -> None:
    images = [
        image
        for element in section(soup, "figures")
        for image in element.select("img.fencerun-figure")
    ]
    first, second = FIGURE_LINES
    assert [image["alt"] for image in images] == [
        f"Figure 1 of the python block at index.md:{first}",
        f"Figure 2 of the python block at index.md:{first}",
        f"Figure 1 of the python block at index.md:{second}",
    ]
    # In the order drawn, each at its own size in CSS pixels (6 x 4 inches: 576 x 384), so
    # the page keeps their place before they load.
    sizes = [(image["width"], image["height"]) for image in images]
    assert sizes == [("576", "384"), ("384", "288"), ("480", "192")]
    for image in images:
        drawing = ElementTree.parse(_figure_file(built, "index.html", image)).getroot()
        assert drawing.tag == "{http://www.w3.org/2000/svg}svg"
        assert drawing.findall(".//{http://www.w3.org/2000/svg}path"), "nothing drawn"
        assert image["loading"] == "lazy"
    # The page lays out one element per figure, not its drawing.
    assert not soup.select("article svg path, .fencerun-figures svg")


def test_a_figure_on_a_page_deeper_down_loads_and_is_named_by_its_label(built: Build) -> None:
    page = "a/b/deep/index.html"
    (image,) = built.soup(page).select("img.fencerun-figure")
    assert image["alt"] == "선 하나 a line"
    drawing = _figure_file(built, page, image)
    assert drawing.parent == built.project / "site" / "assets" / "fencerun" / "figures"
    assert ElementTree.parse(drawing).getroot().findtext("{http://www.w3.org/2000/svg}title") == (
        "선 하나 a line"
    )
