"""Collect a block's output bytes and turn them into the text a page may show.

The cap is applied to raw bytes as they arrive, so a block that prints
gigabytes costs reading them, never holding them. An SVG document in the output
(a figure the block prints, markdown-exec's way to show one) is a figure, not
text: the cap never cuts it, only a far larger bound on figures.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable

# C0 controls other than tab, newline, carriage return and ESC (kept for ANSI
# colours) have no business in a page.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]")

# Bytes of printed SVG documents kept for one block, beyond its output cap: more than any
# figure a page can show (a scatter of 100,000 points is about 11 MB), less than what a
# block printing `<svg` and then anything could make the build hold. Past it, figures are
# output like the rest, and the cap cuts them.
FIGURE_BYTES = 64 * 1024 * 1024

_SVG_TAG = re.compile(rb"<svg[\s>/]|</svg>")
# The longest tag above less its last byte: what may still be a tag at the end of a read.
_SVG_TAG_PREFIXES = (b"<svg", b"</svg")


class _FigureSpans:
    """Splits output, as it arrives in reads of any size, into text and SVG documents
    (from `<svg` to the `</svg>` that closes it, nested ones included)."""

    def __init__(self) -> None:
        self._depth = 0  # open <svg> elements
        self._held = b""  # the end of the last read, which may be the start of a tag

    def split(self, data: bytes) -> list[tuple[bytes, bool]]:
        """(bytes, whether they are in a figure) in order, for all but what is held back."""
        data = self._held + data
        pieces: list[tuple[bytes, bool]] = []
        start = 0
        for match in _SVG_TAG.finditer(data):
            opening = match[0] != b"</svg>"
            if self._depth == 0:
                if opening:
                    pieces.append((data[start : match.start()], False))
                    start = match.start()
                    self._depth = 1
            elif opening:
                self._depth += 1
            else:
                self._depth -= 1
                if self._depth == 0:
                    pieces.append((data[start : match.end()], True))
                    start = match.end()
        held_from = self._tag_start_at_end(data, start)
        pieces.append((data[start:held_from], self._depth > 0))
        self._held = data[held_from:]
        return [(piece, figure) for piece, figure in pieces if piece]

    def flush(self) -> tuple[bytes, bool]:
        """What was held back: no more output comes to finish a tag with it."""
        held, self._held = self._held, b""
        return held, self._depth > 0

    def _tag_start_at_end(self, data: bytes, start: int) -> int:
        """Where the data may end in the first bytes of a tag; its end if not."""
        tail = data.rfind(b"<", max(start, len(data) - len(b"</svg")))
        if tail >= 0 and any(prefix.startswith(data[tail:]) for prefix in _SVG_TAG_PREFIXES):
            return tail
        return len(data)


class OutputBuffer:
    """Up to `limit` bytes of output text, every SVG document whole (up to FIGURE_BYTES),
    and a count of everything that came."""

    def __init__(self, limit: int, figure_limit: int = FIGURE_BYTES) -> None:
        self.limit = limit
        self.total = 0
        self._text_total = 0  # bytes that came outside figures
        self._text_kept = 0
        self._figure_room = figure_limit
        self._figures = _FigureSpans()
        self._kept = bytearray()
        # (start, end) of kept bytes that are the author's own text (a console block's
        # echoed commands): shown as written, never rewritten by the path scrubber.
        self._verbatim: list[tuple[int, int]] = []

    def add(self, data: bytes) -> None:
        self.total += len(data)
        for piece, figure in self._figures.split(data):
            self._keep(piece, figure)

    def _keep(self, data: bytes, figure: bool) -> None:
        if figure:
            whole = data[: self._figure_room]
            self._kept += whole
            self._figure_room -= len(whole)
            data = data[len(whole) :]
        self._text_total += len(data)
        room = self.limit - self._text_kept
        if room > 0:
            self._kept += data[:room]
            self._text_kept += min(room, len(data))

    def _flush(self) -> None:
        """Keep what the figure splitter held back: before the author's text, and at the end."""
        held, figure = self._figures.flush()
        self._keep(held, figure)

    def add_verbatim(self, data: bytes) -> None:
        """Like `add`, for text that must reach the page unscrubbed."""
        self._flush()
        start = len(self._kept)
        self.total += len(data)
        self._keep(data, figure=False)
        if len(self._kept) > start:
            self._verbatim.append((start, len(self._kept)))

    def start_line(self) -> None:
        """End the last line if something unfinished is on it (before a console echo)."""
        self._flush()
        if self._kept and not self._kept.endswith(b"\n"):
            self.add(b"\n")

    @property
    def truncated(self) -> bool:
        """Whether text was cut (asked once all output is in)."""
        self._flush()
        return self._text_total > self.limit

    def text(self, scrub: Callable[[str], str]) -> str:
        """UTF-8 with replacement, control characters replaced, private paths rewritten."""
        self._flush()
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        pieces: list[str] = []
        for start, end, verbatim in self._segments():
            # A character cut in half by the cap is dropped, not shown as garbage.
            final = end == len(self._kept) and not self.truncated
            piece = _CONTROL.sub(
                "\N{REPLACEMENT CHARACTER}", decoder.decode(self._kept[start:end], final)
            )
            pieces.append(piece if verbatim else scrub(piece))
        text = "".join(pieces)
        if self.truncated:
            if not text.endswith("\n"):
                text += "\n"
            text += (
                f"[output truncated: showing the first {self.limit:,} bytes "
                f"of {self._text_total:,}]\n"
            )
        return text

    def _segments(self) -> list[tuple[int, int, bool]]:
        """(start, end, verbatim) spans covering the kept bytes in order; at least one."""
        segments: list[tuple[int, int, bool]] = []
        position = 0
        for start, end in self._verbatim:
            if start > position:
                segments.append((position, start, False))
            segments.append((start, end, True))
            position = end
        if position < len(self._kept) or not segments:
            segments.append((position, len(self._kept), False))
        return segments
