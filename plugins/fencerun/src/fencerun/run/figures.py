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
