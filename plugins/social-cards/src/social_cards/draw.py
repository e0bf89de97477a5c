"""Draws one card: a 1200x630 PNG with the page's title, description, site name and author.

The same text gives the same bytes: Pillow's basic layout (no system shaping
library, whose version could differ), no timestamp or other metadata in the
PNG, fixed compression (level 9 took nearly four times as long for 4% less).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .fonts import FontSet
from .wrap import clamp, wrap

WIDTH, HEIGHT = 1200, 630
MARGIN_X = 80
TEXT_WIDTH = WIDTH - 2 * MARGIN_X
HEADER_BASELINE = 104  # site name
FOOTER_RULE = 512  # a thin line above the author
FOOTER_BASELINE = 570
BODY_TOP, BODY_BOTTOM = 150, 480  # title and description are centred in between

TITLE_SIZES = (72, 64, 56, 48)  # the largest at which the title fits is used
TITLE_MAX_LINES = 3
TITLE_LEADING = 1.28
DESCRIPTION_SIZE = 32
DESCRIPTION_LEADING = 1.5
DESCRIPTION_MAX_LINES = 3
GAP = 30  # between title and description

BACKGROUND = (40, 53, 147)  # Material's indigo 800, the site's primary colour, darker
ACCENT = (140, 158, 255)
TITLE_COLOUR = (255, 255, 255)
DESCRIPTION_COLOUR = (216, 222, 255)
QUIET_COLOUR = (197, 202, 233)
RULE_COLOUR = (63, 81, 181)


@dataclass(frozen=True)
class CardText:
    title: str
    description: str
    site_name: str
    author: str


@dataclass(frozen=True)
class Layout:
    """Where the title and description go: their lines and font sizes."""

    title_size: int
    title_lines: list[str]
    description_lines: list[str]

    @property
    def title_height(self) -> int:
        return round(len(self.title_lines) * self.title_size * TITLE_LEADING)

    @property
    def description_height(self) -> int:
        return round(len(self.description_lines) * DESCRIPTION_SIZE * DESCRIPTION_LEADING)

    @property
    def height(self) -> int:
        gap = GAP if self.description_lines else 0
        return self.title_height + gap + self.description_height


@cache
def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)


def layout(text: CardText, fonts: FontSet) -> Layout:
    """The largest title that fits in three lines, with as much description as still fits."""
    description_font = _font(fonts.regular, DESCRIPTION_SIZE)
    description = wrap(text.description, TEXT_WIDTH, description_font.getlength)
    fallback: Layout | None = None
    for size in TITLE_SIZES:
        title_font = _font(fonts.extra_bold, size)
        title = wrap(text.title, TEXT_WIDTH, title_font.getlength)
        if len(title) > TITLE_MAX_LINES and size != TITLE_SIZES[-1]:
            continue
        title = clamp(title, TITLE_MAX_LINES, TEXT_WIDTH, title_font.getlength)
        for max_lines in range(DESCRIPTION_MAX_LINES, 0, -1):
            lines = clamp(description, max_lines, TEXT_WIDTH, description_font.getlength)
            candidate = Layout(size, title, lines)
            if candidate.height <= BODY_BOTTOM - BODY_TOP:
                return candidate
            fallback = fallback or candidate
    assert fallback is not None  # TITLE_SIZES is not empty
    return Layout(fallback.title_size, fallback.title_lines, fallback.description_lines[:1])


def _write_lines(
    pen: ImageDraw.ImageDraw,
    lines: Sequence[str],
    top: int,
    font: ImageFont.FreeTypeFont,
    leading: float,
    colour: tuple[int, int, int],
) -> None:
    """Lines from `top` down, each baseline `leading` times the font size below the last."""
    size = font.size
    line_height = size * leading
    for index, line in enumerate(lines):
        baseline = top + round(index * line_height + size)
        pen.text((MARGIN_X, baseline), line, font=font, fill=colour, anchor="ls")


def draw_card(text: CardText, fonts: FontSet) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    pen = ImageDraw.Draw(image)

    pen.rectangle((0, 0, 11, HEIGHT), fill=ACCENT)
    pen.text(
        (MARGIN_X, HEADER_BASELINE),
        text.site_name,
        font=_font(fonts.bold, 34),
        fill=ACCENT,
        anchor="ls",
    )

    plan = layout(text, fonts)
    top = BODY_TOP + (BODY_BOTTOM - BODY_TOP - plan.height) // 2
    title_font = _font(fonts.extra_bold, plan.title_size)
    _write_lines(pen, plan.title_lines, top, title_font, TITLE_LEADING, TITLE_COLOUR)
    top += plan.title_height + GAP
    description_font = _font(fonts.regular, DESCRIPTION_SIZE)
    _write_lines(
        pen, plan.description_lines, top, description_font, DESCRIPTION_LEADING, DESCRIPTION_COLOUR
    )

    pen.line((MARGIN_X, FOOTER_RULE, WIDTH - MARGIN_X, FOOTER_RULE), fill=RULE_COLOUR, width=2)
    pen.text(
        (MARGIN_X, FOOTER_BASELINE),
        text.author,
        font=_font(fonts.bold, 30),
        fill=QUIET_COLOUR,
        anchor="ls",
    )

    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=6)
    return out.getvalue()
