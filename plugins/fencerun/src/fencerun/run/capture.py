"""Collect a block's output bytes and turn them into the text a page may show.

The cap is applied to raw bytes as they arrive, so a block that prints
gigabytes costs reading them, never holding them.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable

# C0 controls other than tab, newline, carriage return and ESC (kept for ANSI
# colours) have no business in a page.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]")


class OutputBuffer:
    """Up to `limit` bytes of output, and a count of everything that came."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.total = 0
        self._kept = bytearray()
        # (start, end) of kept bytes that are the author's own text (a console block's
        # echoed commands): shown as written, never rewritten by the path scrubber.
        self._verbatim: list[tuple[int, int]] = []

    def add(self, data: bytes) -> None:
        self.total += len(data)
        room = self.limit - len(self._kept)
        if room > 0:
            self._kept += data[:room]

    def add_verbatim(self, data: bytes) -> None:
        """Like `add`, for text that must reach the page unscrubbed."""
        start = len(self._kept)
        self.add(data)
        if len(self._kept) > start:
            self._verbatim.append((start, len(self._kept)))

    def start_line(self) -> None:
        """End the last line if something unfinished is on it (before a console echo)."""
        if self._kept and not self._kept.endswith(b"\n"):
            self.add(b"\n")

    @property
    def truncated(self) -> bool:
        return self.total > self.limit

    def text(self, scrub: Callable[[str], str]) -> str:
        """UTF-8 with replacement, control characters replaced, private paths rewritten."""
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
                f"[output truncated: showing the first {self.limit:,} bytes of {self.total:,}]\n"
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
