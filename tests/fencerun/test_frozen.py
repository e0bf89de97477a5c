"""Frozen blocks: the recorded output committed with the site shows, labelled as recorded
with its system and date, and the block never runs in the build."""

from __future__ import annotations

from pathlib import Path

from fencerun.fences import find_blocks
from fencerun.freeze import FrozenResults
from fencerun.model import Provenance, Result

from tests.fencerun.conftest import build, write_project

PAGE = """\
# Containers

```bash exec="on" freeze="on" id="ps" workdir="."
touch ran-in-the-build.txt
docker ps
```
"""

LAPTOP = Provenance("Linux 6.8", "bash 5.2.21", "2026-03-01T10:00:00+09:00", 0.4)


def record(project: Path, page: str, output: str) -> None:
    (found,) = find_blocks(page, "index.md")
    recording = Result(output, 0, provenance=LAPTOP)
    FrozenResults(project / "frozen").put("index.md", "ps", recording, block=found.block)


def test_a_frozen_block_shows_its_recording_labelled_with_system_and_date(
    tmp_path: Path,
) -> None:
    write_project(tmp_path, {"index.md": PAGE}, plugin_options="provenance: false")
    record(tmp_path, PAGE, "CONTAINER ID   IMAGE   recorded-row\n")
    result = build(tmp_path)
    assert result.returncode == 0, result.output
    assert not (tmp_path / "ran-in-the-build.txt").exists()
    soup = result.soup()
    assert "recorded-row" in soup.get_text()
    footer = soup.select_one(".fencerun-recorded")
    assert footer is not None
    assert footer.get_text().startswith("Recorded on Linux 6.8 · bash 5.2.21")
    assert "2026-03-01 10:00 UTC+09:00" in footer.get_text()
    assert "blocks 0 run, 0 reused, 1 frozen, 0 failed" in result.output


def test_a_recording_older_than_its_block_fails_a_strict_build_saying_how_to_refresh(
    tmp_path: Path,
) -> None:
    write_project(tmp_path, {"index.md": PAGE.replace("docker ps", "docker ps --all")})
    record(tmp_path, PAGE, "recorded-row\n")
    result = build(tmp_path)
    assert result.returncode == 1
    assert 'docs/index.md:3: the recorded output of frozen block "ps" was made by other code' in (
        result.output
    )
    assert "fencerun freeze --refresh --page index.md" in result.output
    assert not (tmp_path / "ran-in-the-build.txt").exists()
