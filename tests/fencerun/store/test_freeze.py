"""Frozen recordings: readable YAML files committed with the site, read back as recorded."""

from __future__ import annotations

import dataclasses
import logging
import platform
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from fencerun.freeze import FrozenResults
from fencerun.model import Block, BlockOptions, Result, SourceLocation

from tests.fencerun.store.helpers import sample_result

PAGE = "ko/blog/posts/docker.md"


def docker_block(code: str = "$ docker ps") -> Block:
    return Block("console", code, BlockOptions(freeze=True, id="ps"), SourceLocation(PAGE, 12), 0)


def test_a_recording_reads_back_as_frozen_with_its_system_and_date(tmp_path: Path) -> None:
    frozen = FrozenResults(tmp_path / "frozen")
    frozen.put(PAGE, "ps", sample_result(), block=docker_block())
    recorded = FrozenResults(tmp_path / "frozen").get(PAGE, "ps")
    assert recorded == replace(sample_result(), origin="frozen")
    assert recorded.provenance is not None
    assert recorded.provenance.os == "Linux 6.1"
    assert recorded.provenance.started_at == "2026-01-02T03:04:05+09:00"


def test_a_recording_is_a_yaml_file_beside_the_page_path_with_the_output_line_by_line(
    tmp_path: Path,
) -> None:
    frozen = FrozenResults(tmp_path / "frozen")
    frozen.put(
        PAGE, "ps", sample_result("CONTAINER ID   IMAGE\nabc123   nginx\n"), block=docker_block()
    )
    path = tmp_path / "frozen" / "ko/blog/posts/docker.md/ps.yml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Recorded output")
    assert "fencerun freeze --refresh" in text
    assert "  output: |\n    CONTAINER ID   IMAGE\n    abc123   nginx\n" in text
    data = yaml.safe_load(text)
    assert (data["page"], data["block"], data["code"]) == (PAGE, "ps", "$ docker ps")


def test_a_result_without_provenance_is_recorded_with_this_system_and_now(tmp_path: Path) -> None:
    frozen = FrozenResults(tmp_path)
    frozen.put(PAGE, "ps", Result("up\n", 0))
    recorded = frozen.get(PAGE, "ps")
    assert recorded is not None and recorded.provenance is not None
    assert recorded.provenance.os == f"{platform.system()} {platform.release()}"
    data = yaml.safe_load(frozen.path_for(PAGE, "ps").read_text(encoding="utf-8"))
    assert set(data["result"]["provenance"]) == {"os", "interpreter", "started_at", "duration_s"}
    assert recorded.provenance.started_at[:2] == "20"


def test_an_unrecorded_block_has_no_recording(tmp_path: Path) -> None:
    assert FrozenResults(tmp_path).get(PAGE, "ps") is None


def test_a_block_whose_code_changed_since_its_recording_is_stale(tmp_path: Path) -> None:
    frozen = FrozenResults(tmp_path)
    frozen.put(PAGE, "ps", sample_result(), block=docker_block())
    assert not frozen.is_stale(PAGE, "ps", docker_block())
    assert frozen.is_stale(PAGE, "ps", docker_block("$ docker ps -a"))
    assert frozen.is_stale(PAGE, "ps", dataclasses.replace(docker_block(), language="bash"))


def test_ids_with_unsafe_characters_stay_inside_the_folder(tmp_path: Path) -> None:
    frozen = FrozenResults(tmp_path / "frozen")
    frozen.put(PAGE, "../../escape me", sample_result())
    [written] = (tmp_path / "frozen").rglob("*.yml")
    assert written.parent == tmp_path / "frozen" / PAGE
    assert frozen.get(PAGE, "../../escape me") is not None
    assert [r.block_id for r in frozen.recordings()] == ["../../escape me"]


@pytest.mark.parametrize("page", ["../outside.md", "/etc/x.md", "", "ko/../../x.md"])
def test_a_page_path_outside_the_docs_folder_is_refused(tmp_path: Path, page: str) -> None:
    with pytest.raises(ValueError, match="not a page path"):
        FrozenResults(tmp_path).put(page, "ps", sample_result())


def test_a_damaged_recording_is_ignored_with_a_warning_and_left_for_the_author(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    frozen = FrozenResults(tmp_path)
    frozen.put(PAGE, "ps", sample_result(), block=docker_block())
    path = frozen.path_for(PAGE, "ps")
    path.write_text(path.read_text(encoding="utf-8").replace("returncode: 0", "returncode: zero"))
    with caplog.at_level(logging.WARNING, logger="fencerun"):
        assert frozen.get(PAGE, "ps") is None
    assert str(path) in caplog.text
    assert path.exists()


def test_recordings_lists_every_readable_recording(tmp_path: Path) -> None:
    frozen = FrozenResults(tmp_path)
    frozen.put("en/a.md", "one", sample_result(), block=docker_block())
    frozen.put("ko/b.md", "block-2", sample_result())
    found = [(r.page, r.block_id, r.code) for r in frozen.recordings()]
    assert found == [("en/a.md", "one", "$ docker ps"), ("ko/b.md", "block-2", "")]
