"""Line breaking for the cards, Korean style (CSS word-break: keep-all).

Lines break at spaces only, so a Korean word (리눅스와, 컨테이너를) stays whole
with its particle. Only a word wider than a whole line on its own is broken,
between characters, since it would not fit anywhere else.
"""

from __future__ import annotations

from collections.abc import Callable

ELLIPSIS = "…"

Measure = Callable[[str], float]


def wrap(text: str, width: float, measure: Measure) -> list[str]:
    """text in lines no wider than width (measure gives a string's drawn width)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if measure(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        if measure(word) <= width:
            line = word
        else:
            *whole, line = _break_word(word, width, measure)
            lines.extend(whole)
    if line:
        lines.append(line)
    return lines


def _break_word(word: str, width: float, measure: Measure) -> list[str]:
    pieces = [""]
    for ch in word:
        if pieces[-1] and measure(pieces[-1] + ch) > width:
            pieces.append("")
        pieces[-1] += ch
    return pieces


def clamp(lines: list[str], max_lines: int, width: float, measure: Measure) -> list[str]:
    """At most max_lines lines; a cut shows as an ellipsis after the last whole word."""
    if len(lines) <= max_lines:
        return lines
    kept = lines[:max_lines]
    words = kept[-1].split(" ")
    while len(words) > 1 and measure(" ".join(words) + ELLIPSIS) > width:
        words.pop()
    last = " ".join(words)
    while last and measure(last + ELLIPSIS) > width:
        last = last[:-1]
    kept[-1] = last + ELLIPSIS
    return kept
