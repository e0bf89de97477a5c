"""Each tabbed block is a tab set of its own: pymdownx.tabbed joins consecutive tabs, so
adjacent blocks (or a page's own tab right above one) must not merge into one set."""

from __future__ import annotations

from pathlib import Path

from tests.fencerun.conftest import build_pages

PAGE = """
    # Tabs

    === "The page's own tab"

        Written by the author.

    ```python exec="on" source="tabbed-left"
    print("first")
    ```

    ```python exec="on" source="tabbed-right" tabs="Code|Output"
    print("second")
    ```
"""


def test_adjacent_tabbed_blocks_make_one_tab_set_each(tmp_path: Path) -> None:
    result = build_pages(tmp_path, {"index.md": PAGE})
    assert result.returncode == 0, result.output
    sets = result.soup().select(".tabbed-set")
    labels = [[label.get_text() for label in s.select(".tabbed-labels label")] for s in sets]
    assert labels == [["The page's own tab"], ["Source", "Result"], ["Output", "Code"]]
    assert "first" in sets[1].get_text() and "second" in sets[2].get_text()


SAME_MODE_PAGE = """
    ```python exec="on" source="tabbed-left"
    print("first")
    ```

    ```python exec="on" source="tabbed-left"
    print("second")
    ```
"""


def test_two_adjacent_tabbed_left_blocks_make_two_tab_sets(tmp_path: Path) -> None:
    result = build_pages(tmp_path, {"index.md": SAME_MODE_PAGE})
    assert result.returncode == 0, result.output
    sets = result.soup().select(".tabbed-set")
    labels = [[label.get_text() for label in s.select(".tabbed-labels label")] for s in sets]
    assert labels == [["Source", "Result"], ["Source", "Result"]]
    assert "first" in sets[0].get_text() and "second" not in sets[0].get_text()
    assert "second" in sets[1].get_text()
