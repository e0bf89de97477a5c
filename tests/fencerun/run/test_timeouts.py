"""A block that runs too long is killed at its timeout, with everything it started."""

from __future__ import annotations

from pathlib import Path

from fencerun.run import Executor

from tests.fencerun.run.helpers import run_one


def test_block_timeout_option_kills_the_block(executor: Executor) -> None:
    result = run_one(
        executor, "python", "print('before', flush=True)\nwhile True: pass", timeout=0.5
    )
    assert result.timed_out and result.returncode == -9
    assert result.output == "before\n"
    assert result.provenance is not None and 0.5 <= result.provenance.duration_s < 5


def test_default_timeout_applies_without_the_option(project: Path) -> None:
    with Executor(project_dir=project, workers=1, default_timeout=0.5) as pool:
        result = run_one(pool, "bash", "sleep 30")
    assert result.timed_out


def test_block_finishing_in_time_is_not_timed_out(executor: Executor) -> None:
    result = run_one(executor, "bash", "sleep 0.1; echo done", timeout=5)
    assert (result.timed_out, result.output) == (False, "done\n")
