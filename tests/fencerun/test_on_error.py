"""The failure policy: `on_error: warn` builds on as markdown-exec does, the page showing the
failure and the log a WARNING naming file:line, which `--strict` turns into a failed build."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fencerun.conftest import Build, build, write_project

PAGES = {
    "index.md": """
        # Page

        ```python exec="on"
        print("before the failure")
        raise SystemExit(3)
        ```

        ```python exec="on"
        print("the next block still runs")
        ```
    """,
    "other.md": """
        # Other

        ```python exec="on" sorce="above"
        print(1)
        ```
    """,
}


@pytest.fixture(scope="module")
def warned_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("on-error-warn")
    write_project(project, PAGES, plugin_options="on_error: warn")
    return project


@pytest.fixture(scope="module")
def warned(warned_project: Path) -> Build:
    return build(warned_project, strict=False)


def test_with_on_error_warn_a_failing_block_does_not_stop_the_build(warned: Build) -> None:
    assert warned.returncode == 0, warned.output
    soup = warned.soup()
    box = soup.select_one(".fencerun-failure")
    assert box is not None
    assert "index.md:3" in box.get_text()
    assert "the next block still runs" in soup.get_text()


def test_with_on_error_warn_the_log_names_each_failure_once_as_a_warning(warned: Build) -> None:
    failure = "WARNING -  fencerun: docs/index.md:3: python block exited with 3, expected 0"
    assert warned.output.count(failure) == 1, warned.output
    assert warned.output.count("docs/other.md:3: unknown option sorce") == 1, warned.output
    assert warned.soup("other/index.html").select_one(".fencerun-failure") is not None


def test_with_on_error_warn_strict_builds_still_fail(warned_project: Path) -> None:
    strict = build(warned_project, strict=True)
    assert strict.returncode == 1
    assert "docs/index.md:3: python block exited with 3" in strict.output


def test_on_error_takes_only_fail_or_warn(tmp_path: Path) -> None:
    write_project(tmp_path, {"index.md": "# Page\n"}, plugin_options="on_error: ignore")
    result = build(tmp_path)
    assert result.returncode == 1
    assert "on_error" in result.output
