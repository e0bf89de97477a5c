"""ANSI colour codes to HTML spans (result="ansi"), through ansi2html.

Inline styles, not classes, so colours need no stylesheet and 256-colour and true-colour
codes work too; the text itself is HTML-escaped by the converter.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ansi2html import Ansi2HTMLConverter


@functools.cache
def _converter() -> Ansi2HTMLConverter:
    # Made on first use: most sites never ask for ANSI output, and the build pays for
    # every module it imports before its first page.
    from ansi2html import Ansi2HTMLConverter

    return Ansi2HTMLConverter(inline=True, escaped=True, linkify=False)


def ansi_to_html(text: str) -> str:
    return _converter().convert(text, full=False)
