"""matplotlib figures a Python block leaves open without saving them, as SVG documents, in
order."""

from __future__ import annotations

import functools
import importlib.util
import io
import os
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
    # Where no worker preloaded matplotlib, a block that imports it still draws with no font
    # of the machine when saving (its text keeps the font family it was made with).
    pin_fonts()
    svgs = []
    for position, number in enumerate(pyplot.get_fignums()):
        figure = pyplot.figure(number)
        if getattr(figure, _SAVED, False):
            continue
        buffer = io.StringIO()
        # A fixed salt and no date make the same figure the same SVG on every build. The
        # figure's label (plt.figure(label=...)) becomes the SVG's <title>: what screen
        # readers say for the figure.
        metadata: dict[str, str | None] = {"Date": None}
        if figure.get_label():
            metadata["Title"] = figure.get_label()
        with matplotlib.rc_context({"svg.hashsalt": f"{salt}-{position}"}):
            figure.savefig(buffer, format="svg", metadata=metadata)
        svgs.append(buffer.getvalue())
    pyplot.close("all")
    return svgs


# Set on a figure the block saved itself (`savefig`): it shows that figure its own way, as
# markdown-exec's pages do (the SVG printed into an html="on" output, or a file), so the
# figure is not added to the page a second time.
_SAVED = "_fencerun_saved_by_block"


def note_saves() -> None:
    """Marks from now on each figure the block saves itself. Does nothing until matplotlib
    is imported; wraps `Figure.savefig` once per process."""
    figure_module = sys.modules.get("matplotlib.figure")
    if figure_module is None or hasattr(figure_module.Figure.savefig, _SAVED):
        return
    original = figure_module.Figure.savefig

    @functools.wraps(original)
    def savefig(self: object, *args: object, **kwargs: object) -> object:
        setattr(self, _SAVED, True)
        return original(self, *args, **kwargs)

    setattr(savefig, _SAVED, True)
    figure_module.Figure.savefig = savefig


# The Korean font: NanumGothic as the pinned koreanize-matplotlib package ships it.
KOREAN_FONT_PACKAGE = "koreanize_matplotlib"
KOREAN_FONT_FILE = "fonts/NanumGothic.ttf"
KOREAN_FONT = "NanumGothic"
# matplotlib's own font first (Latin looks as it always has), then the Korean one for the
# glyphs it lacks (matplotlib falls back along font.family, not along a generic family)
# where the site installs it: named without its file, every text would log a findfont line.
_FONTS = {
    "font.sans-serif": ["DejaVu Sans"],
    "font.serif": ["DejaVu Serif"],
    "font.monospace": ["DejaVu Sans Mono"],
}
_pinned: object = None  # the font manager pin_fonts set up, inherited by forks


def pin_fonts() -> None:
    """Figures draw with matplotlib's own fonts and the pinned Korean font where the site
    installs it (koreanize-matplotlib), nothing else.

    The font manager forgets every font of the machine (the list it loaded from its cache
    under HOME: what that cache holds depends on which fonts were installed when it was
    made), and registers NanumGothic from its package by path. So the same block makes the
    same figure on every machine, whatever ran first, and Hangul never falls back to a glyph
    matplotlib's fonts lack. A block may still add fonts of its own (`addfont`).

    Does nothing until matplotlib is imported; runs once per font manager.
    """
    global _pinned
    matplotlib = sys.modules.get("matplotlib")
    font_manager = sys.modules.get("matplotlib.font_manager")
    if matplotlib is None or font_manager is None:
        return
    manager = font_manager.fontManager
    if manager is _pinned:
        return
    _pinned = manager
    own = os.path.realpath(matplotlib.get_data_path()) + os.sep
    manager.ttflist = [f for f in manager.ttflist if os.path.realpath(f.fname).startswith(own)]
    manager.afmlist = [f for f in manager.afmlist if os.path.realpath(f.fname).startswith(own)]
    korean = korean_font_file()
    if korean is not None:
        manager.addfont(korean)  # also empties the font manager's lookup cache
    else:
        manager._findfont_cached.cache_clear()
    for name, families in _FONTS.items():
        matplotlib.rcParams[name] = families
    matplotlib.rcParams["font.family"] = ["sans-serif", *([KOREAN_FONT] if korean else [])]


def korean_font_file() -> str | None:
    """NanumGothic.ttf of the installed koreanize-matplotlib; None without the package.

    Found without importing the package, which would change matplotlib's settings itself.
    """
    spec = importlib.util.find_spec(KOREAN_FONT_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = os.path.join(folder, KOREAN_FONT_FILE)
        if os.path.isfile(path):
            return path
    return None
