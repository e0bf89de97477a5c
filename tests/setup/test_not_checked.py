"""Every skip names its cause, and a run ends with one line counting them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHECKS = """
import pytest
from tests.not_checked import Cause, skip_for


def test_skips_without_a_cause():
    pytest.skip("gcc missing")


def test_skips_for_the_machine():
    skip_for(Cause.MACHINE, "a PID namespace")


@pytest.mark.needs_root("root only")
def test_needs_root():
    assert True
"""


def _run(tmp_path: Path) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_checks.py").write_text(CHECKS)
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "tests.conftest",
        "-ra",
        "-p",
        "no:cacheprovider",
    ]
    command += ["--rootdir", str(tmp_path), "-c", str(ROOT / "pyproject.toml"), str(tmp_path)]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_a_skip_without_a_declared_cause_fails_the_run(tmp_path: Path) -> None:
    done = _run(tmp_path)
    assert done.returncode == 1, done.stdout
    assert "test_skips_without_a_cause skipped without a declared cause ('gcc missing')" in (
        done.stdout
    )
    assert "FAILED" in done.stdout and "test_skips_without_a_cause" in done.stdout


def test_the_run_ends_with_one_line_of_what_it_did_not_check(tmp_path: Path) -> None:
    done = _run(tmp_path)
    line = next(line for line in done.stdout.splitlines() if line.startswith("not checked"))
    if os.geteuid() == 0:
        assert line == "not checked in this run: 1 (this machine's kernel or host lacks it: 1)"
    else:
        assert line == (
            "not checked in this run: 2 (needs root: 1; this machine's kernel or host lacks it: 1)"
        )
