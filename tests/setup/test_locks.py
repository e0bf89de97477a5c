"""Every file a set-up or the package test installs is pinned to its content: each Python
requirement to the hashes in a lock (pip and the plugins' build backend included), each Node
package to the integrity hash in its package-lock.json."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.locks import LOCKS, REPO, pins, read_lock
from tests.scripts import load_script

BUILD_LOCK = REPO / "requirements-build.lock"
# The locks .venv is set up from, all into one environment.
VENV_LOCKS = (BUILD_LOCK, REPO / "requirements.lock", REPO / "requirements-dev.lock")
NODE_LOCKS = sorted(REPO.glob("scripts/*/package-lock.json"))


def lock_problems(path: Path) -> list[str]:
    """Each requirement of `path` that is not pinned with == or carries no sha256 hash."""
    problems = []
    for locked in read_lock(path):
        where = f"{path.relative_to(REPO) if path.is_relative_to(REPO) else path}:{locked.line}"
        if locked.version is None:
            problems.append(f"{where}: {locked.requirement} is not pinned: write name==version")
        if not locked.hashes:
            problems.append(
                f"{where}: {locked.requirement} has no --hash=sha256:...: compile the lock"
                " again with hashes (its header says how)"
            )
    return problems


@pytest.mark.parametrize("lock", LOCKS, ids=lambda lock: lock.name)
def test_every_requirement_of_a_lock_is_pinned_to_its_hashes(lock: Path) -> None:
    assert lock.is_file(), f"{lock} is gone"
    assert read_lock(lock), f"{lock} pins nothing"
    assert lock_problems(lock) == []


def test_a_lock_line_without_a_pin_or_a_hash_is_named(tmp_path: Path) -> None:
    digest = "0" * 64
    lock = tmp_path / "requirements.lock"
    lock.write_text(
        "# a comment\n"
        "-r other.lock\n"
        f"mkdocs==1.6.1 \\\n    --hash=sha256:{digest}\n"
        f"markdown>=3.6 \\\n    --hash=sha256:{digest}\n"
        "tqdm==4.70.1\n"
        f"colorama==0.4.6 ; sys_platform == 'win32' \\\n    --hash=md5:{digest[:32]}\n",
        encoding="utf-8",
    )
    unhashed = "has no --hash=sha256:...: compile the lock again with hashes (its header says how)"
    assert lock_problems(lock) == [
        f"{lock}:5: markdown>=3.6 is not pinned: write name==version",
        f"{lock}:7: tqdm==4.70.1 {unhashed}",
        f'{lock}:8: colorama==0.4.6; sys_platform == "win32" {unhashed}',
    ]


def test_the_venv_locks_pin_each_package_once() -> None:
    # One venv: a package pinned by two of its locks could be pinned twice, differently.
    seen: dict[str, str] = {}
    for lock in VENV_LOCKS:
        for name in pins(lock):
            assert name not in seen, f"{name} is pinned in {seen[name]} and in {lock.name}"
            seen[name] = lock.name


def test_the_build_lock_pins_pip_and_every_plugins_build_backend() -> None:
    locked = pins(BUILD_LOCK)
    assert "pip" in locked, "requirements-build.lock must pin pip: .venv's pip moves to it"
    for manifest in sorted(REPO.glob("plugins/*/pyproject.toml")):
        build = tomllib.loads(manifest.read_text(encoding="utf-8"))["build-system"]
        for line in build["requires"]:
            requirement = Requirement(line)
            version = locked.get(canonicalize_name(requirement.name))
            assert version is not None and requirement.specifier.contains(version), (
                f"{manifest.relative_to(REPO)} builds with {line}, which requirements-build.lock"
                f" does not satisfy ({version or 'not pinned'}): pin it there, hashed"
            )


def test_the_package_tests_wheels_are_downloaded_against_hashed_locks(tmp_path: Path) -> None:
    commands = load_script("fencerun_wheels").commands(tmp_path)
    assert commands
    for command in commands:
        assert "--require-hashes" in command, f"unhashed download: {command}"
        locks = [command[index + 1] for index, word in enumerate(command) if word in ("-r", "-c")]
        assert locks and all(Path(lock) in LOCKS for lock in locks), command


@pytest.mark.parametrize("lock", NODE_LOCKS, ids=lambda lock: lock.parent.name)
def test_every_locked_node_package_carries_its_integrity_hash(lock: Path) -> None:
    packages = json.loads(lock.read_text(encoding="utf-8"))["packages"]
    installed = {path: entry for path, entry in packages.items() if path}
    assert installed, f"{lock} locks nothing"
    unhashed = [
        path
        for path, entry in installed.items()
        if not str(entry.get("integrity", "")).startswith("sha512-")
    ]
    assert unhashed == [], f"{lock.relative_to(REPO)}: no sha512 integrity for {unhashed}"
