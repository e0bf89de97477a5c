"""matplotlib figures a Python block leaves open become SVG, in order."""

from __future__ import annotations

import copy
import dataclasses
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from fencerun.render import render_block
from fencerun.render.svg import FigureFile
from fencerun.run import Executor

from tests.fencerun.run.helpers import PAGE, block, run, run_one

PLOTS = (
    "import matplotlib.pyplot as plt\n"
    "plt.figure(); plt.plot([1, 2, 3], [3, 1, 2]); plt.title('첫째 first')\n"
    "plt.figure(); plt.bar(['a', 'b'], [2, 5]); plt.title('second')\n"
    "print('drawn')\n"
)


def _title(svg: str) -> str:
    """The figure's title, from the comment matplotlib writes next to each text path."""
    root = ElementTree.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return "first" if "첫째" in svg else "second" if "second" in svg else "?"


def test_open_figures_become_svg_in_order(executor: Executor) -> None:
    result = run_one(executor, "python", PLOTS)
    assert result.output == "drawn\n"
    assert [_title(figure.svg) for figure in result.figures] == ["first", "second"]


def test_figures_are_the_same_svg_on_every_run(executor: Executor) -> None:
    first, second = (run_one(executor, "python", PLOTS) for _ in range(2))
    assert [f.svg for f in first.figures] == [f.svg for f in second.figures]


def test_a_figure_is_collected_once_in_a_session(executor: Executor) -> None:
    results = run(
        executor,
        block("python", PLOTS, session="plots"),
        block("python", "plt.figure(); plt.plot([0, 1])", index=1, session="plots"),
    )
    assert [len(result.figures) for result in results] == [2, 1]


def test_a_block_that_draws_nothing_has_no_figures(executor: Executor) -> None:
    result = run_one(
        executor, "python", "import matplotlib.pyplot as plt\nprint(plt.get_backend())"
    )
    assert (result.output.lower(), result.figures) == ("agg\n", ())


def glyph_fonts(svg: str) -> Counter[str]:
    """How many distinct glyphs of each font a figure drew (its ids read `Font-glyph`)."""
    root = ElementTree.fromstring(svg)
    ids = [path.get("id", "") for path in root.iter("{http://www.w3.org/2000/svg}path")]
    return Counter(name.rpartition("-")[0] for name in ids if "-" in name)


def test_hangul_in_figures_is_drawn_with_the_pinned_korean_font_and_no_warning(
    executor: Executor,
) -> None:
    result = run_one(executor, "python", PLOTS)
    assert result.output == "drawn\n"  # no UserWarning about missing glyphs
    fonts = glyph_fonts(result.figures[0].svg)
    assert set(fonts) == {"DejaVuSans", "NanumGothic"}
    assert fonts["NanumGothic"] == 2  # 첫 and 째
    assert set(glyph_fonts(result.figures[1].svg)) == {"DejaVuSans"}


def test_the_machines_fonts_and_font_cache_do_not_change_a_figure(
    executor: Executor, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers read matplotlib's font cache under HOME. One made on a machine without a
    Korean font, and with another file claiming to be DejaVu Sans, changes nothing."""
    expected = [figure.svg for figure in run_one(executor, "python", PLOTS).figures]
    home = tmp_path / "home"
    write_font_cache(home / ".cache" / "matplotlib", tmp_path / "fonts")
    monkeypatch.setenv("HOME", str(home))
    with Executor(project_dir=project, workers=1, default_timeout=20.0) as elsewhere:
        result = run_one(elsewhere, "python", PLOTS)
    assert result.output == "drawn\n"
    assert [figure.svg for figure in result.figures] == expected


def write_font_cache(cache_dir: Path, fonts: Path) -> None:
    """matplotlib's font list as a machine with other fonts would have cached it: no font
    with Hangul, and first of all a file outside matplotlib that calls itself DejaVu Sans."""
    import matplotlib
    from matplotlib import font_manager

    fonts.mkdir()
    impostor = fonts / "impostor.ttf"
    shutil.copyfile(Path(matplotlib.get_data_path(), "fonts/ttf/DejaVuSerif.ttf"), impostor)
    cached = copy.copy(font_manager.fontManager)
    real = [f for f in font_manager.fontManager.ttflist if "CJK" not in f.name]
    real = [f for f in real if "Nanum" not in f.name and "Noto Sans KR" not in f.name]
    model = next(f for f in real if f.name == "DejaVu Sans" and f.weight == 400)
    fake = dataclasses.replace(model, fname=str(impostor))
    cached.ttflist = [fake, *real]
    cache_dir.mkdir(parents=True)
    font_manager.json_dump(
        cached, cache_dir / f"fontlist-v{font_manager.FontManager.__version__}.json"
    )


def test_figures_become_files_in_order_with_nothing_drawn_lost(executor: Executor) -> None:
    plots = block("python", PLOTS)
    (result,) = run(executor, plots)
    stored: list[FigureFile] = []

    def keep(figure: FigureFile) -> str:
        stored.append(figure)
        return figure.name

    page = render_block(plots, result, provenance_footer=False, figure_files=keep)
    images = BeautifulSoup(page, "html.parser").select(".fencerun-figures > img")
    assert [image["alt"] for image in images] == [
        f"Figure 1 of the python block at {PAGE}:10",
        f"Figure 2 of the python block at {PAGE}:10",
    ]
    assert [image["src"] for image in images] == [file.name for file in stored]
    for file, figure in zip(stored, result.figures, strict=True):
        svg = BeautifulSoup(file.svg.split("\n", 1)[1], "html.parser").svg
        assert svg is not None
        drawn = ElementTree.fromstring(figure.svg)
        for kind in ("path", "use", "g", "clipPath", "rect"):
            found = drawn.findall(f".//{{http://www.w3.org/2000/svg}}{kind}")
            assert len(svg.find_all(kind.lower())) == len(found), kind
        # Every reference (glyphs, clip paths, markers) finds its target in the same figure.
        own = {element["id"] for element in svg.find_all(id=True)}
        links = {str(tag["xlink:href"])[1:] for tag in svg.select("[xlink\\:href]")}
        clips = {str(tag["clip-path"])[5:-1] for tag in svg.select("[clip-path]")}
        assert links and clips and links | clips <= own


WITHOUT_KOREAN_FONT = """
import io
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from fencerun.run import figures

figures.korean_font_file = lambda: None  # a site that does not install koreanize-matplotlib
figures.pin_fonts()
plt.figure(); plt.plot([1, 2]); plt.title("no Hangul here")
plt.savefig(io.StringIO(), format="svg")
print(matplotlib.rcParams["font.family"])
"""


def test_without_the_korean_font_package_nothing_names_its_font_or_logs_findfont() -> None:
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_KOREAN_FONT],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "['sans-serif']\n"
    assert "findfont" not in done.stderr


def test_a_figure_the_block_saves_itself_is_not_added_again(executor: Executor) -> None:
    """markdown-exec's way: savefig into a buffer and print the SVG into an html output."""
    code = (
        "import io\n"
        "import matplotlib.pyplot as plt\n"
        "plt.figure(); plt.plot([1, 2]); plt.title('shown by the block')\n"
        "buffer = io.StringIO(); plt.savefig(buffer, format='svg')\n"
        "print('printed', buffer.getvalue().count('<svg'))\n"
        "plt.figure(); plt.plot([2, 1]); plt.title('second')\n"
    )
    result = run_one(executor, "python", code)
    assert result.output == "printed 1\n"
    assert [_title(figure.svg) for figure in result.figures] == ["second"]
