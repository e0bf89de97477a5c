"""The build report: each block classified once, counted, timed, and written as JSON."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from fencerun.model import Block, BlockOptions, Provenance, Result, SourceLocation
from fencerun.report import BuildReport

TIMES = Provenance("Linux", "CPython 3.11.7", "2026-01-01T00:00:00+00:00", 0.0)


def block(line: int, *, returncode: int = 0, language: str = "python") -> Block:
    return Block(
        language, "print(1)", BlockOptions(returncode=returncode), SourceLocation("p.md", line), 0
    )


def result(seconds: float, *, origin: str = "live", returncode: int = 0) -> Result:
    return Result(
        "out\n",
        returncode,
        provenance=replace(TIMES, duration_s=seconds),
        origin=origin,  # type: ignore[arg-type]
    )


def sample_report() -> BuildReport:
    report = BuildReport()
    report.add(block(1), result(0.5), key="k1")
    report.add(block(2), result(2.0), key="k2")
    report.add(block(3), result(9.0, origin="cached"), key="k3")
    report.add(block(4), result(1.0, origin="frozen"))
    report.add(block(5), result(3.0, returncode=1), key="k5")
    report.add(block(6), Result("", 0, origin="not-executed"), key="k6")
    report.add(block(7, returncode=2), result(0.1, returncode=2), key="k7")
    report.add(block(8, language="markdown"), Result("# md", 0))
    report.finish()
    return report


def test_each_block_is_counted_by_how_the_build_came_by_its_result() -> None:
    assert sample_report().counts() == {
        "run": 3,
        "reused": 1,
        "frozen": 1,
        "failed": 1,
        "not-executed": 1,
    }


def test_slowest_blocks_are_those_that_ran_in_this_build_longest_first() -> None:
    slowest = sample_report().slowest()
    assert [(r.location, r.origin) for r in slowest] == [
        ("p.md:5", "failed"),
        ("p.md:2", "run"),
        ("p.md:1", "run"),
        ("p.md:7", "run"),
    ]
    assert sample_report().block_seconds() == pytest.approx(5.6)


def test_the_summary_line_gives_counts_time_and_the_slowest_block() -> None:
    line = sample_report().summary_line()
    assert line.startswith("blocks 3 run, 1 reused, 1 frozen, 1 not executed, 1 failed; ")
    assert "5.6 s of block time in " in line
    assert line.endswith("slowest p.md:5 (3.0 s)")


def test_the_summary_line_leaves_out_frozen_and_not_executed_when_there_are_none() -> None:
    report = BuildReport()
    report.add(block(1), result(0.5))
    assert report.summary_line().startswith("blocks 1 run, 0 reused, 0 failed; 0.5 s of block")


def test_the_json_report_holds_counts_times_and_every_block(tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    sample_report().write(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["kind"] == "fencerun-report"
    assert data["counts"]["reused"] == 1
    assert data["block_seconds"] == 5.6
    assert data["slowest"][0] == {
        "location": "p.md:5",
        "language": "python",
        "origin": "failed",
        "duration_s": 3.0,
        "key": "k5",
    }
    assert [b["origin"] for b in data["blocks"]] == [
        "run",
        "run",
        "reused",
        "frozen",
        "failed",
        "not-executed",
        "run",
    ]
    assert data["blocks"][5]["duration_s"] is None


def test_a_written_report_reads_back_and_prints_for_a_terminal() -> None:
    original = sample_report()
    loaded = BuildReport.from_json(original.to_json())
    assert loaded.records == original.records
    assert loaded.counts() == original.counts()
    text = loaded.render_text()
    assert "Slowest blocks this build:" in text
    assert "Failed:\n  p.md:5" in text


def test_the_keys_of_a_build_are_those_of_its_blocks() -> None:
    assert sample_report().keys() == {"k1", "k2", "k3", "k5", "k6", "k7"}
