"""matplotlib figures a Python block leaves open, as SVG documents, in order."""

from __future__ import annotations

import io
import sys


def collect_figures(salt: str) -> list[str]:
    """SVG of every open pyplot figure, then closes them.

    Only looks if pyplot is already imported (by the block, or warmed in the
    worker), so a block that does not plot pays nothing.
    """
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is None:
        return []
    matplotlib = sys.modules["matplotlib"]
    svgs = []
    for position, number in enumerate(pyplot.get_fignums()):
        buffer = io.StringIO()
        # A fixed salt and no date make the same figure the same SVG on every build.
        with matplotlib.rc_context({"svg.hashsalt": f"{salt}-{position}"}):
            pyplot.figure(number).savefig(buffer, format="svg", metadata={"Date": None})
        svgs.append(buffer.getvalue())
    pyplot.close("all")
    return svgs


_HANGUL_FONTS = ("Noto Sans CJK KR", "NanumGothic", "Noto Sans KR", "UnDotum")


def add_hangul_fallback() -> None:
    """Let matplotlib draw Hangul with an installed Korean font where the default has no glyph.

    Only a fallback: Latin text keeps matplotlib's default font. Figures are
    SVG with text as paths, so readers need no font.
    """
    matplotlib = sys.modules.get("matplotlib")
    font_manager = sys.modules.get("matplotlib.font_manager")
    if matplotlib is None or font_manager is None:
        return
    installed = {font.name for font in font_manager.fontManager.ttflist}
    for name in _HANGUL_FONTS:
        if name in installed:
            matplotlib.rcParams["font.family"] = [*matplotlib.rcParams["font.family"], name]
            return
