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

    def add(self, data: bytes) -> None:
        self.total += len(data)
        room = self.limit - len(self._kept)
        if room > 0:
            self._kept += data[:room]

    @property
    def truncated(self) -> bool:
        return self.total > self.limit

    def text(self, scrub: Callable[[str], str]) -> str:
        """UTF-8 with replacement, control characters replaced, private paths rewritten."""
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        # A character cut in half by the cap is dropped, not shown as garbage.
        text = decoder.decode(bytes(self._kept), final=not self.truncated)
        text = scrub(_CONTROL.sub("\N{REPLACEMENT CHARACTER}", text))
        if self.truncated:
            if not text.endswith("\n"):
                text += "\n"
            text += (
                f"[output truncated: showing the first {self.limit:,} bytes of {self.total:,}]\n"
            )
        return text
