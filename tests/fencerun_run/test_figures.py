"""matplotlib figures a Python block leaves open become SVG, in order."""

from __future__ import annotations

from xml.etree import ElementTree

from bs4 import BeautifulSoup
from fencerun.render import render_block
from fencerun.run import Executor

from tests.fencerun_run.helpers import PAGE, block, run, run_one

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


def test_hangul_in_figures_needs_no_warning(executor: Executor) -> None:
    result = run_one(executor, "python", PLOTS)
    assert "missing from font" not in result.output


def test_figures_show_in_the_page_as_inline_svg_in_order_with_nothing_drawn_lost(
    executor: Executor,
) -> None:
    plots = block("python", PLOTS)
    (result,) = run(executor, plots)
    page = render_block(plots, result, provenance_footer=False)
    soup = BeautifulSoup(page, "html.parser")
    svgs = soup.select(".fencerun-figures > svg")
    assert [svg["aria-label"] for svg in svgs] == [
        f"Figure 1 of the python block at {PAGE}:10",
        f"Figure 2 of the python block at {PAGE}:10",
    ]
    for svg, figure in zip(svgs, result.figures, strict=True):
        drawn = ElementTree.fromstring(figure.svg)
        for kind in ("path", "use", "g", "clipPath", "rect"):
            found = drawn.findall(f".//{{http://www.w3.org/2000/svg}}{kind}")
            assert len(svg.find_all(kind.lower())) == len(found), kind
        # Every reference (glyphs, clip paths, markers) finds its target in the same figure.
        own = {element["id"] for element in svg.find_all(id=True)}
        links = {str(tag["xlink:href"])[1:] for tag in svg.select("[xlink\\:href]")}
        clips = {str(tag["clip-path"])[5:-1] for tag in svg.select("[clip-path]")}
        assert links and clips and links | clips <= own
    ids = [element["id"] for element in soup.find_all(id=True)]
    assert len(ids) == len(set(ids))
