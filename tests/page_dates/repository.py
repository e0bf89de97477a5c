"""Git repositories with commits on chosen days, for the tests of page dates."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

# Commits whose author saw these days in Seoul: the dates shown are the author's.
FIRST = "2025-05-06T10:00:00+09:00"
SECOND = "2025-06-01T09:30:00+09:00"
THIRD = "2025-07-07T23:50:00+09:00"


def git(repo: Path, *arguments: str, when: str = FIRST) -> str:
    """Runs git in `repo` with no user or system config, committing at `when`."""
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
    }
    done = subprocess.run(
        ["git", "-C", str(repo), *arguments], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"git {' '.join(arguments)}: {done.stderr}"
    return done.stdout


def commit_all(repo: Path, message: str, *, when: str) -> None:
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "--message", message, when=when)


def new_repository(repo: Path) -> Path:
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "--quiet", "--initial-branch=main")
    return repo


def shallow_clone(repo: Path, into: Path, depth: int) -> Path:
    # file:// so that git honours --depth for a clone from this machine.
    git(repo.parent, "clone", "--quiet", f"--depth={depth}", repo.resolve().as_uri(), str(into))
    return into
