"""A run names the tests of tests/hostile/ it selected where scripts/test asks for them
(tests/hostile/conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.site.built_site import REPO

PIDS = "tests/hostile/test_pids_cgroups.py"


def _without_selection() -> dict[str, str]:
    """This run's environment, less the file scripts/test may have asked it to list into."""
    return {name: value for name, value in os.environ.items() if name != "HOSTILE_SELECTION"}


def _pytest(tmp_path: Path, listing: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    command += [f"--basetemp={tmp_path / 'run'}", *arguments]
    env = {**_without_selection(), "HOSTILE_SELECTION": str(listing)}
    return subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)


def test_a_run_names_the_hostile_tests_it_selected_and_no_others(tmp_path: Path) -> None:
    listing = tmp_path / "selection"
    done = _pytest(tmp_path, listing, PIDS, "tests/site_kit/test_hangul.py", "-k", "v2 or hangul")
    assert done.returncode == 0, done.stdout + done.stderr
    assert listing.read_text(encoding="utf-8").splitlines() == [
        f"{PIDS}::test_a_v2_build_cgroup_with_pids_gets_children_with_pids_max",
        f"{PIDS}::test_v2_without_the_pids_controller_makes_no_cgroup",
        f"{PIDS}::test_v2_build_cgroup_that_refuses_children_makes_no_cgroup",
    ]


def test_a_run_that_only_collects_names_nothing_to_run_again(tmp_path: Path) -> None:
    listing = tmp_path / "selection"
    done = _pytest(tmp_path, listing, PIDS, "--collect-only")
    assert done.returncode == 0, done.stdout + done.stderr
    assert not listing.exists()
