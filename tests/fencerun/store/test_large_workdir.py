"""A block whose workdir is a large folder builds under `--strict`: being keyed by file names
and sizes only is a note in the log, not a warning."""

from __future__ import annotations

from pathlib import Path

from fencerun.keys import WORKDIR_MAX_FILES

from tests.fencerun.conftest import build_pages


def test_a_workdir_too_large_to_read_is_a_note_and_strict_builds_pass(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for number in range(WORKDIR_MAX_FILES + 1):
        (data / f"{number}.txt").write_text("x", encoding="utf-8")
    page = '# Page\n\n```bash exec="on" workdir="data"\nls | wc -l\n```\n'
    result = build_pages(tmp_path, {"index.md": page})
    assert result.returncode == 0, result.output
    assert "WARNING" not in result.output
    assert "keyed by file names and sizes only" in result.output
    assert str(WORKDIR_MAX_FILES + 1) in result.soup().get_text()
