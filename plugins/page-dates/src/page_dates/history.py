"""When each file of a folder was created and last changed, from one walk of its git history.

One `git log` for the whole folder, not one per file: a site of thousands of pages costs one
walk of the history instead of thousands of processes that each walk it again. The walk
follows renames the way `git log --follow` does for one file: a file's history goes on
under the name it had before each rename (renames within the folder; a file moved in from
outside it starts at the move).

A shallow clone holds only the newest commits. Its oldest ones (git's shallow boundary)
show every file they hold as added, which would date every page to the day of the clone's
oldest commit; a date that rests on them is unknown instead.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

COMMIT = "\x01"  # starts each commit's record: never in a hash, a date or a path git prints


@dataclass(frozen=True)
class FileDates:
    """A file's dates from git; None where its history does not say."""

    created: datetime | None
    changed: datetime | None


@dataclass(frozen=True)
class History:
    """The dates of the files of one folder, by their path inside it (`ko/kb/disk.md`)."""

    files: Mapping[str, FileDates] = field(default_factory=dict)
    shallow: bool = False
    # Why there is no history at all (not a repository, no git), for the build log.
    missing: str = ""

    def of(self, path: str) -> FileDates | None:
        """The dates of the file at `path` in the folder, or None when git has no record."""
        return self.files.get(path)


@dataclass(frozen=True)
class Change:
    status: str  # git's letter: A(dded), M(odified), D(eleted), R(enamed), T(ype changed)
    paths: tuple[str, ...]  # (path,), or (old, new) for a rename


@dataclass(frozen=True)
class Commit:
    sha: str
    authored: datetime
    changes: tuple[Change, ...]


class GitUnavailable(Exception):
    """No history to read here: not a repository, git missing, or git refusing it."""


def read_history(folder: Path) -> History:
    """The dates of every file git has recorded under `folder`."""
    try:
        shallow, boundary = _shallowness(folder)
        output = _git(
            folder,
            "log",
            "-z",
            "--topo-order",  # a commit's children before it, even when clocks disagree
            "--no-show-signature",
            f"--format={COMMIT}%H %aI",
            "--name-status",
            "-M",
            # Paths from the folder, and only the folder's files. Cheaper than a pathspec,
            # which git matches against every file of every commit.
            "--relative",
        )
    except GitUnavailable as why:
        return History(missing=str(why))
    return History(dates(parse_log(output), boundary), shallow)


def dates(commits: Iterator[Commit], boundary: frozenset[str]) -> dict[str, FileDates]:
    """Each file's first and last commit, newest commit first; a file is named by its path
    now, and a rename hands its older commits to the name it has now."""
    # What each path held at this point of the walk is named now: a rename maps the old
    # path to the new name; None means the file that held it then is gone now (deleted; a
    # file at that path now was written after the deletion).
    now_named: dict[str, str | None] = {}
    changed: dict[str, datetime] = {}
    created: dict[str, datetime | None] = {}
    for commit in commits:
        for change in commit.changes:
            path = change.paths[-1]
            name = now_named.get(path, path)
            if name is None:
                continue
            if change.status == "D":
                # Older commits at this path were about a file that is gone now.
                now_named[path] = None
                continue
            if commit.sha in boundary:
                # Diffed against nothing: "added" here only says the clone starts here.
                created[name] = None
                continue
            if name not in changed or commit.authored > changed[name]:
                changed[name] = commit.authored
            created[name] = commit.authored
            if change.status == "R":
                now_named[change.paths[0]] = name
    return {
        name: FileDates(created.get(name), changed.get(name))
        for name in created.keys() | changed.keys()
    }


def parse_log(output: str) -> Iterator[Commit]:
    """Commits from `git log -z --format=<COMMIT>%H %aI --name-status`."""
    for record in output.split(COMMIT)[1:]:
        header, _, listing = record.partition("\0")
        sha, _, authored = header.partition(" ")
        fields = listing.lstrip("\n").split("\0")
        changes = []
        index = 0
        while index < len(fields) and fields[index]:
            status = fields[index][0]
            count = 2 if status in ("R", "C") else 1
            changes.append(Change(status, tuple(fields[index + 1 : index + 1 + count])))
            index += 1 + count
        yield Commit(sha, datetime.fromisoformat(authored), tuple(changes))


def _shallowness(folder: Path) -> tuple[bool, frozenset[str]]:
    """Whether the clone is shallow, and its boundary commits (git's `shallow` file)."""
    shallow, shallow_file = _git(
        folder, "rev-parse", "--is-shallow-repository", "--git-path", "shallow"
    ).splitlines()
    if shallow != "true":
        return False, frozenset()
    return True, frozenset((folder / shallow_file).read_text(encoding="utf-8").split())


def _git(where: Path, *arguments: str) -> str:
    try:
        result = subprocess.run(
            ["git", "-C", str(where), *arguments],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="surrogateescape",  # a file name that is not UTF-8 still parses
            check=False,
        )
    except OSError as error:
        raise GitUnavailable(f"git cannot be started ({error.strerror})") from error
    if result.returncode != 0:
        message = result.stderr.strip().splitlines()
        raise GitUnavailable(message[0] if message else f"git {arguments[0]} failed")
    return result.stdout
