"""What the live blocks left in the built pages, and the blocks as their Markdown holds them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bs4 import BeautifulSoup, Tag

from tests.site.built_site import REPO

_FENCE = re.compile(
    r"^(?P<marker>`{3,})(?P<header>[^\n`]*)\n(?P<code>.*?)^(?P=marker)[ \t]*$", re.M | re.S
)


@dataclass(frozen=True)
class Footer:
    """The provenance line under an output: "Ran on ..." or, for a frozen block, "Recorded on"."""

    text: str
    moment: datetime | None  # when the block ran; a recording may know only a month
    recorded: bool


@dataclass(frozen=True)
class Fence:
    """A fenced code block of a Markdown page, as written."""

    language: str
    header: str  # everything after the language: the options
    code: str

    @property
    def runs(self) -> bool:
        return 'exec="on"' in self.header

    def markdown(self) -> str:
        marker = "`" * max(3, _longest_backtick_run(self.code) + 1)
        return f"{marker}{self.language} {self.header}\n{self.code}{marker}\n"


def article(page: BeautifulSoup) -> Tag:
    found = page.select_one("article.md-content__inner")
    assert found is not None, "the page has no article"
    return found


def footers(page: BeautifulSoup) -> list[Footer]:
    found = []
    for footer in article(page).select("p.fencerun-provenance"):
        time = footer.select_one("time[datetime]")
        recorded = "fencerun-recorded" in (footer.get("class") or [])
        assert time is not None or recorded, f"a live output without a time: {footer.get_text()}"
        moment = None if time is None else datetime.fromisoformat(str(time["datetime"]))
        found.append(Footer(footer.get_text(" ", strip=True), moment, recorded))
    return found


def code_texts(page: BeautifulSoup) -> list[str]:
    """The text of every code block in the article, sources and outputs alike."""
    return [block.get_text() for block in article(page).select("div.highlight pre")]


def output_after(page: BeautifulSoup, needle: str) -> str:
    """The text output right after the code block whose text contains `needle`."""
    blocks = article(page).select("div.highlight")
    for position, block in enumerate(blocks[:-1]):
        if needle in block.get_text():
            return blocks[position + 1].get_text()
    raise AssertionError(f"no code block holding {needle!r} is followed by an output")


def fences(markdown_file: Path) -> list[Fence]:
    text = markdown_file.read_text(encoding="utf-8")
    found = []
    for match in _FENCE.finditer(text):
        language, _, header = match["header"].strip().partition(" ")
        found.append(Fence(language, header.strip(), match["code"]))
    return found


def doc(language: str, path: str) -> Path:
    return REPO / "docs" / language / path


def _longest_backtick_run(text: str) -> int:
    return max((len(run) for run in re.findall(r"`+", text)), default=0)
