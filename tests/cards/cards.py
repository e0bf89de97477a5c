"""What a card shows, read back from a built page, and small sites to build cards for."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup
from fontTools.ttLib import TTFont
from PIL import Image, ImageFont
from social_cards.draw import BACKGROUND, CardText
from social_cards.fonts import FontSet, nanum_gothic

from tests.site.built_site import REPO


def card_text_of(page: BeautifulSoup) -> CardText:
    """The words a page's card must show, as the page itself states them."""

    def content(selector: str) -> str:
        element = page.select_one(selector)
        return str(element["content"]) if element else ""

    return CardText(
        title=content('meta[property="og:title"]'),
        description=content('meta[property="og:description"]'),
        site_name=content('meta[property="og:site_name"]'),
        author=content('meta[property="article:author"]') or content('meta[name="author"]'),
    )


def fonts() -> FontSet:
    return nanum_gothic()


def glyphless(text: str, font: Path) -> set[str]:
    """Characters of text the font has no glyph for, read with fontTools alone."""
    with TTFont(font, lazy=True) as ttf:
        cmap = ttf.getBestCmap()
    return {ch for ch in text if not ch.isspace() and ord(ch) not in cmap}


def drawn_like_missing_glyph(ch: str, font: Path) -> bool:
    """Whether ch comes out as the font's missing-glyph box (tofu)."""
    face = ImageFont.truetype(str(font), 72, layout_engine=ImageFont.Layout.BASIC)
    box = face.getmask("\ue000")  # a private-use character no font of the card draws
    mask = face.getmask(ch)
    return mask.size == box.size and bytes(mask) == bytes(box)


def ink_rows(image: Image.Image, top: int, bottom: int) -> list[tuple[int, int]]:
    """Bands of rows between top and bottom holding anything but background: lines of text."""
    rgb = image.convert("RGB")
    bands: list[tuple[int, int]] = []
    start: int | None = None
    for y in range(top, bottom):
        inked = any(rgb.getpixel((x, y)) != BACKGROUND for x in range(40, image.width - 20))
        if inked and start is None:
            start = y
        elif not inked and start is not None:
            bands.append((start, y))
            start = None
    if start is not None:
        bands.append((start, bottom))
    return bands


def rightmost_ink(image: Image.Image, top: int, bottom: int) -> int:
    rgb = image.convert("RGB")
    for x in range(image.width - 1, -1, -1):
        if any(rgb.getpixel((x, y)) != BACKGROUND for y in range(top, bottom)):
            return x
    return -1


@dataclass(frozen=True)
class SmallSite:
    """A one-language Material site with the social-cards plugin, in a folder of its own."""

    root: Path
    site_url: str | None = "https://cards.example.org/"

    def write(self, pages: dict[str, str]) -> None:
        lines = [
            "site_name: 카드 시험장",
            "site_description: 카드를 그려 보는 작은 사이트",
            "site_author: 김작가",
            "theme:",
            "  name: material",
            "  language: ko",
            "  font: false",
            f"  custom_dir: {REPO / 'overrides'}",
            "plugins:",
            "  - social-cards:",
            f"      cache_dir: {self.root / 'cache'}",
        ]
        if self.site_url:
            lines.insert(0, f"site_url: {self.site_url}")
        files = {"mkdocs.yml": "\n".join(lines) + "\n"}
        files.update({f"docs/{name}": text for name, text in pages.items()})
        for name, text in files.items():
            path = self.root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")

    @property
    def out(self) -> Path:
        return self.root / "out"

    def build(self) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(self.out)],
            cwd=self.root,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            capture_output=True,
            text=True,
            check=False,
        )

    def card(self, page: str) -> bytes:
        return (self.out / "assets/images/social" / f"{page}.png").read_bytes()
