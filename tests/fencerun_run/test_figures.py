"""matplotlib figures a Python block leaves open become SVG, in order."""

from __future__ import annotations

from xml.etree import ElementTree

from fencerun.run import Executor

from tests.fencerun_run.helpers import block, run, run_one

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
