"""How wide a line of text draws, estimated without a font, and how to cut it to a width.

The map is drawn at build time in the reader's own fonts, which the build cannot measure.
The estimate errs wide: a Hangul syllable (or any full-width character) is at most a whole
em in every Korean system font, and so are m, w, M and W; other capitals are at most 0.78
em, other letters and digits 0.6 or 0.66, the narrow letters and marks 0.45.
"""

from __future__ import annotations

import unicodedata

ELLIPSIS = "…"
# Each a little over what Noto Sans CJK KR draws, whose Latin letters are wider than most.
_WIDEST = frozenset("mwMW@%")
_NARROW = frozenset(" fijlrt.,:;'!|()[]-/")
_ROUND = frozenset("acesvxyz0123456789")


def text_width(text: str, font_size: float, *, bold: bool = False) -> float:
    """An upper estimate of the width of `text` in px at `font_size` px."""
    return sum(_ems(character) for character in text) * _em(font_size, bold)


def fit(text: str, width: float, font_size: float, *, bold: bool = False) -> str:
    """`text` as it is if it fits in `width` px, else cut after its last whole word that
    fits, with an ellipsis: the words shown are words of the title, as a reader (and a
    speech-input user saying them) reads them. A first word too long alone is cut inside."""
    ems = width / _em(font_size, bold)
    widths = [_ems(character) for character in text]
    if sum(widths) <= ems:
        return text
    room = ems - _ems(ELLIPSIS)
    used = 0.0
    kept = 0
    while kept < len(text) and used + widths[kept] <= room:
        used += widths[kept]
        kept += 1
    word_end = text.rfind(" ", 0, kept + 1)
    if word_end > 0 and text[:word_end].strip():
        kept = word_end
    return text[:kept].rstrip() + ELLIPSIS


def _em(font_size: float, bold: bool) -> float:
    return font_size * (1.06 if bold else 1.0)


def _ems(character: str) -> float:
    # Ambiguous width (the ellipsis among them) draws full width in Korean fonts.
    if unicodedata.east_asian_width(character) in ("W", "F", "A") or character in _WIDEST:
        return 1.0
    if character.isupper():
        return 0.78
    if character in _NARROW:
        return 0.45
    if character in _ROUND:
        return 0.6
    return 0.66
