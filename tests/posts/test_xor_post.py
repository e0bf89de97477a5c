"""The XOR experiment: the benchmark, chart, bytecode and assembly are this build's own."""

from __future__ import annotations

import platform
import re
import shutil
import statistics
import subprocess

import pytest
from bs4 import Tag
from site_kit.hangul import HANGUL

from tests.posts.live_blocks import article, doc, fences, footers, output_after
from tests.site.built_site import POSTS, BuiltSite

XOR = next(post for post in POSTS if post.slug == "xor-swap-experiment")
SOURCE = "blog/posts/xor-swap-experiment.md"
LANGUAGES = ("ko", "en")
ROUNDS = 10
SUMMARY_ROWS = {"ko": ["중앙값", "최솟값"], "en": ["Median", "Minimum"]}
RATIO_LABELS = {"ko": ["중앙값", "최솟값"], "en": ["medians", "minimums"]}
MINIMUM_WORD = {"ko": "최솟값", "en": "minimum"}
NO_GCC = {
    "ko": "이 빌드 머신에는 gcc가 없어서 어셈블리를 만들지 못했다.",
    "en": "The build machine has no gcc, so no assembly could be made.",
}


def benchmark_table(page_article: Tag) -> Tag:
    """The table the benchmark printed: the one with the `a, b = b, a` column."""
    tables = [t for t in page_article.select("table") if "a, b = b, a" in t.get_text()]
    assert len(tables) == 1, "the benchmark printed no table, or more than one"
    return tables[0]


def assert_ratio(shown: str, *, xor: str, temp: str) -> None:
    """The XOR/temp ratio printed to two decimals, from seconds the table printed to four.

    Each rounding is at most half its last digit, so that is all the slack allowed: a fixed
    relative bound would fail a busy machine's small ratios (0.50, where 1 % is 0.005).
    """
    ratio = float(xor) / float(temp)
    slack = 0.005 + ratio * (0.00005 / float(xor) + 0.00005 / float(temp)) + 1e-9
    assert abs(float(shown) - ratio) <= slack, f"XOR/temp shown as {shown}, seconds give {ratio}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_benchmark_table_has_ten_measured_rounds_a_median_and_a_minimum(
    built: BuiltSite, language: str
) -> None:
    table = benchmark_table(article(built.page(XOR.url(language))))
    rows = [[cell.get_text() for cell in row.select("td")] for row in table.select("tbody tr")]
    assert len(rows) == ROUNDS + 2
    for number, row in enumerate(rows[:ROUNDS], start=1):
        assert row[0] == str(number)
        seconds = [float(cell) for cell in row[1:4]]
        assert all(0 < s < 60 for s in seconds), row
        assert_ratio(row[4], xor=row[2], temp=row[1])
    columns = [[float(row[column]) for row in rows[:ROUNDS]] for column in (1, 2, 3)]
    median, minimum = rows[ROUNDS], rows[ROUNDS + 1]
    assert [median[0], minimum[0]] == SUMMARY_ROWS[language]
    # Rounded the same way as the rounds, so a minimum is one of them exactly.
    assert [float(cell) for cell in minimum[1:4]] == [min(column) for column in columns]
    for cell, column in zip(median[1:4], columns, strict=True):
        assert float(cell) == pytest.approx(statistics.median(column), abs=1e-4)
    for row in (median, minimum):
        assert_ratio(row[4], xor=row[2], temp=row[1])


@pytest.mark.parametrize("language", LANGUAGES)
def test_build_machine_ratios_stand_beside_the_macbooks(built: BuiltSite, language: str) -> None:
    page_article = article(built.page(XOR.url(language)))
    text = re.sub(r"\s+", " ", page_article.get_text(" "))
    ratios = re.findall(
        r"XOR / temp, (\S+?)(?:끼리)?: .*?(\d+\.\d\d)\s*(?:배|x).*?(\d+\.\d\d)", text
    )
    assert [label for label, _, _ in ratios] == RATIO_LABELS[language], "no XOR/temp ratio lines"
    assert all(float(here) > 0 for _, here, _ in ratios)
    # What his ten pairs give: medians 0.06621 / 0.04502, minimums 0.06559 / 0.04478.
    assert [macbook for _, _, macbook in ratios] == ["1.47", "1.46"]
    assert f"CPython {platform.python_version()}," in text, "the table does not name its Python"
    # The prose says what the minimum is for, not only the table.
    prose = " ".join(p.get_text(" ") for p in page_article.find_all("p", recursive=False))
    assert MINIMUM_WORD[language] in prose, "the text does not say why the minimum is shown"


@pytest.mark.parametrize("language", LANGUAGES)
def test_chart_is_an_image_with_its_size_named_and_korean_labels_as_glyph_outlines(
    built: BuiltSite, language: str
) -> None:
    url = XOR.url(language)
    page_article = article(built.page(url))
    (chart,) = page_article.select("img.fencerun-figure")
    # The page lays out one element for the chart, and keeps its place before it loads.
    assert not page_article.select(".fencerun-figures svg"), "the chart is also inline SVG"
    assert (chart["width"], chart["height"]) == ("691", "614")  # 7.2 x 6.4 in
    alt = str(chart["alt"])
    assert (HANGUL.search(alt) is not None) == (language == "ko") and "XOR" in alt
    drawing = built.file(built.resolve(url, str(chart["src"])))
    assert drawing.suffix == ".svg" and drawing.is_file()
    svg = drawing.read_text(encoding="utf-8")
    # Labels drawn as glyph outlines from the Korean font, so no reader needs that font.
    assert "<text" not in svg, "labels left as text depend on the reader's fonts"
    assert re.search(r'<use xlink:href="#f-NanumGothic-', svg), "no glyph of the Korean font"


@pytest.mark.parametrize("language", LANGUAGES)
def test_dis_shows_the_opcodes_of_each_swap(built: BuiltSite, language: str) -> None:
    output = output_after(built.page(XOR.url(language)), "dis.dis(swap)")
    sections = dict(re.findall(r"^== (\w+) ==\n(.*?)(?=^== |\Z)", output, re.M | re.S))
    assert set(sections) == {"swap_temp", "swap_xor", "swap_tuple"}
    assert len(re.findall(r"BINARY_OP\s+\d+ \(\^=\)", sections["swap_xor"])) == 3
    assert "BINARY_OP" not in sections["swap_temp"] + sections["swap_tuple"]
    for opcodes in sections.values():
        assert "STORE_FAST" in opcodes and "RETURN_VALUE" in opcodes


@pytest.mark.parametrize("language", LANGUAGES)
def test_gcc_blocks_show_the_assembly(built: BuiltSite, language: str) -> None:
    assert shutil.which("gcc"), "scripts/test installs gcc (scripts/system-packages tests)"
    page = built.page(XOR.url(language))
    pointers = output_after(page, "void swap_xor(int *a, int *b)")
    free = output_after(page, "int use_xor(int a, int b)")
    assert re.search(r"^swap_xor:\n(.*\n)*?\s+xor", pointers, re.M), pointers
    assert "swap_xor_restrict:" in free and "use_xor:" in free


@pytest.mark.parametrize("language", LANGUAGES)
def test_without_gcc_the_gcc_blocks_say_so(language: str) -> None:
    gcc_blocks = [
        fence for fence in fences(doc(language, SOURCE)) if "command -v gcc" in fence.code
    ]
    assert len(gcc_blocks) == 2
    bash = shutil.which("bash")
    assert bash is not None
    for fence in gcc_blocks:
        # No folder on PATH: `command -v gcc` finds nothing, as on a machine without it.
        done = subprocess.run(
            [bash, "-c", fence.code], env={"PATH": ""}, capture_output=True, text=True
        )
        assert done.stdout == NO_GCC[language] + "\n", done.stderr


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_live_output_names_system_interpreter_and_time(
    built: BuiltSite, language: str
) -> None:
    page = built.page(XOR.url(language))
    found = footers(page)
    live = [fence for fence in fences(doc(language, SOURCE)) if fence.runs]
    assert len(found) == len(live) == 5
    for footer in found:
        assert f"(kernel {platform.release()})" in footer.text
        assert re.search(r"\b(bash|CPython) \d+\.\d+", footer.text), footer.text
    assert not article(page).select(".fencerun-failure, .fencerun-not-executed")
