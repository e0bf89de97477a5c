"""Run as root, scripts/test runs tests/hostile/ a second time as an ordinary user: the tests
the first run selected there (tests/hostile/conftest.py names them), in a copy of the
checkout the user can read and not change (scripts/hostile_as_user.py)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.site.built_site import REPO

PIDS = "tests/hostile/test_pids_cgroups.py"

# The tests/hostile/ of a checkout made up for the second run: one test that checks who
# runs it and what that user may change, one that fails.
PROBE = """\
import os
from pathlib import Path

import fencerun
import pytest


def test_runs_as_an_ordinary_user_who_cannot_change_what_it_runs() -> None:
    assert (os.getuid(), os.getgid(), os.getgroups()) == (65534, 65534, [])
    here = Path(__file__)
    checkout = here.parents[2]
    assert not (checkout / ".git").exists()
    assert Path(fencerun.__file__).is_relative_to(checkout / "plugins")
    for path in (here, checkout, Path(fencerun.__file__), Path(pytest.__file__)):
        assert not os.access(path, os.W_OK), path
    assert os.access(os.environ["HOME"], os.W_OK)


def test_a_failure_of_the_second_run() -> None:
    pytest.fail(f"a failure of the second run, whose home is {os.environ['HOME']}")
"""


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


def _made_up_checkout(root: Path) -> Path:
    (root / "scripts").mkdir(parents=True)
    shutil.copy2(REPO / "scripts" / "hostile_as_user.py", root / "scripts")
    shutil.copy2(REPO / "pyproject.toml", root)
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text("[core]\n")
    (root / "tests" / "hostile").mkdir(parents=True)
    (root / "tests" / "__init__.py").touch()
    (root / "tests" / "hostile" / "__init__.py").touch()
    (root / "tests" / "hostile" / "test_probe.py").write_text(PROBE)
    (root / "plugins" / "fencerun" / "src" / "fencerun").mkdir(parents=True)
    (root / "plugins" / "fencerun" / "src" / "fencerun" / "__init__.py").touch()
    return root


@pytest.mark.needs_root("scripts/test runs the second run only from a run as root")
def test_the_second_run_is_an_ordinary_users_and_shows_its_failures(tmp_path: Path) -> None:
    checkout = _made_up_checkout(tmp_path / "checkout")
    selection = tmp_path / "selection"
    probe = "tests/hostile/test_probe.py"
    selection.write_text(
        f"{probe}::test_runs_as_an_ordinary_user_who_cannot_change_what_it_runs\n"
        f"{probe}::test_a_failure_of_the_second_run\n"
    )
    done = subprocess.run(
        [sys.executable, checkout / "scripts" / "hostile_as_user.py", selection],
        env=_without_selection(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "2 tests of tests/hostile/ again as an ordinary user (uid 65534, no groups" in output
    assert f"FAILED {probe}::test_a_failure_of_the_second_run" in output
    assert "1 failed, 1 passed" in output
    home = re.search(r"a failure of the second run, whose home is (/\S+)", output)
    assert home is not None, output
    assert not Path(home[1]).exists(), "the second run's folder was left behind"
