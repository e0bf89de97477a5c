"""Building without executing (for untrusted pull requests): nothing runs, a block shows its
stored result where an earlier build kept one, and a visible notice otherwise, never an empty
output."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.fencerun.conftest import build, section, write_project

PAGE = """
# Page

```bash exec="on" workdir="." source="above"
echo ran > proof-it-ran.txt
echo visible-output
```
"""

KOREAN_YML = """\
site_name: 한국어
theme:
  name: material
  language: ko
  font: false
plugins:
  - fencerun
markdown_extensions:
  - pymdownx.superfences
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_project(tmp_path, {"index.md": PAGE})
    return tmp_path


def test_environment_switch_builds_without_running_and_shows_a_notice(project: Path) -> None:
    result = build(project, env={"FENCERUN_EXECUTE": "0"})
    assert result.returncode == 0, result.output
    assert not (project / "proof-it-ran.txt").exists()
    soup = result.soup()
    notice = soup.select_one(".fencerun-not-executed")
    assert notice is not None and "Not executed" in notice.get_text()
    assert "echo visible-output" in soup.get_text()  # the source is still shown
    assert "1 not executed" in result.output


def test_config_switch_builds_without_running(tmp_path: Path) -> None:
    write_project(tmp_path, {"index.md": PAGE}, plugin_options="execute: false")
    result = build(tmp_path)
    assert result.returncode == 0, result.output
    assert not (tmp_path / "proof-it-ran.txt").exists()
    assert result.soup().select_one(".fencerun-not-executed") is not None


def test_environment_switch_overrides_the_config(tmp_path: Path) -> None:
    write_project(tmp_path, {"index.md": PAGE}, plugin_options="execute: false")
    result = build(tmp_path, env={"FENCERUN_EXECUTE": "1"})
    assert result.returncode == 0, result.output
    assert (tmp_path / "proof-it-ran.txt").exists()
    assert "visible-output" in result.soup().get_text()


def test_korean_pages_get_the_notice_in_korean(tmp_path: Path) -> None:
    write_project(tmp_path, {"index.md": PAGE}, mkdocs_yml=KOREAN_YML)
    result = build(tmp_path, env={"FENCERUN_EXECUTE": "off"})
    assert result.returncode == 0, result.output
    notice = result.soup().select_one(".fencerun-not-executed")
    assert notice is not None and "실행하지 않음" in notice.get_text()


def test_a_bad_switch_value_is_an_error_that_says_what_to_set(project: Path) -> None:
    result = build(project, env={"FENCERUN_EXECUTE": "maybe"})
    assert result.returncode == 1
    assert "FENCERUN_EXECUTE='maybe' is neither on nor off" in result.output
    assert "Traceback" not in result.output


STORED_PAGE = """
# Stored

## Kept

```python exec="on" source="above"
import pathlib
pathlib.Path("ran-again.txt").write_text("yes")
print("kept-output")
```
"""

NEW_BLOCK = """
## Added

```python exec="on"
print("never-stored")
```
"""


def section_html(soup: BeautifulSoup, heading_id: str) -> str:
    return "\n".join(str(element) for element in section(soup, heading_id))


def test_without_execution_stored_results_show_as_built_and_new_blocks_get_the_notice(
    tmp_path: Path,
) -> None:
    write_project(tmp_path, {"index.md": STORED_PAGE})
    executed = build(tmp_path)
    assert executed.returncode == 0, executed.output
    kept = section_html(executed.soup(), "kept")
    assert "kept-output" in kept
    page = tmp_path / "docs" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + NEW_BLOCK, encoding="utf-8")

    offline = build(tmp_path, env={"FENCERUN_EXECUTE": "0"})
    assert offline.returncode == 0, offline.output
    soup = offline.soup()
    assert section_html(soup, "kept") == kept  # output and footer of the executing build
    added = soup.select_one("#added ~ .fencerun-not-executed")
    assert added is not None and "Not executed" in added.get_text()
    assert "never-stored" not in soup.get_text()
    assert "blocks 0 run, 1 reused, 1 not executed, 0 failed" in offline.output
