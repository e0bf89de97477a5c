"""Each file's dates from one walk of git's history: created at its first commit, changed at
its last, across renames; and where the history does not say, no date at all."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from page_dates.history import FileDates, read_history

from tests.page_dates.repository import (
    FIRST,
    SECOND,
    THIRD,
    commit_all,
    new_repository,
    shallow_clone,
)


def at(when: str) -> datetime:
    return datetime.fromisoformat(when)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_a_file_with_two_commits_was_created_at_the_first_and_changed_at_the_last(
    tmp_path: Path,
) -> None:
    repo = new_repository(tmp_path / "repo")
    write(repo / "docs" / "note.md", "# Note\n")
    commit_all(repo, "add", when=FIRST)
    write(repo / "docs" / "note.md", "# Note\n\nMore.\n")
    commit_all(repo, "edit", when=SECOND)
    history = read_history(repo / "docs")
    assert history.of("note.md") == FileDates(created=at(FIRST), changed=at(SECOND))
    assert not history.shallow and not history.missing


def test_paths_are_from_the_folder_and_name_only_its_files(tmp_path: Path) -> None:
    repo = new_repository(tmp_path / "repo")
    write(repo / "docs" / "ko" / "kb" / "프로세스 명령어.md", "# 프로세스\n")
    write(repo / "README.md", "# Outside the docs\n")
    commit_all(repo, "add", when=FIRST)
    history = read_history(repo / "docs")
    assert history.of("ko/kb/프로세스 명령어.md") == FileDates(at(FIRST), at(FIRST))
    assert history.of("README.md") is None and history.of("../README.md") is None


def test_a_renamed_file_was_created_when_its_first_name_was(tmp_path: Path) -> None:
    # As `git log --follow` sees it: the history goes on under the file's older name.
    repo = new_repository(tmp_path / "repo")
    text = "# Memory\n\n" + "free, vmstat and the page cache.\n" * 20
    write(repo / "docs" / "memory.md", text)
    commit_all(repo, "add", when=FIRST)
    (repo / "docs" / "memory.md").unlink()
    write(repo / "docs" / "kb" / "memory-commands.md", text + "One more line.\n")
    commit_all(repo, "move and edit", when=SECOND)
    history = read_history(repo / "docs")
    assert history.of("kb/memory-commands.md") == FileDates(at(FIRST), at(SECOND))
    assert history.of("memory.md") is None


def test_a_file_deleted_and_written_again_is_a_new_file(tmp_path: Path) -> None:
    repo = new_repository(tmp_path / "repo")
    write(repo / "docs" / "note.md", "# First note\n")
    commit_all(repo, "add", when=FIRST)
    (repo / "docs" / "note.md").unlink()
    commit_all(repo, "remove", when=SECOND)
    write(repo / "docs" / "note.md", "# Another note\n")
    commit_all(repo, "add again", when=THIRD)
    assert read_history(repo / "docs").of("note.md") == FileDates(at(THIRD), at(THIRD))


def test_a_shallow_clone_leaves_out_the_dates_older_than_its_oldest_commit(
    tmp_path: Path,
) -> None:
    # Git shows a shallow clone's oldest commit as adding every file it holds: taken at
    # its word, every page would be created (and an unchanged one changed) that day.
    repo = new_repository(tmp_path / "repo")
    write(repo / "docs" / "old.md", "# Old\n")
    write(repo / "docs" / "edited.md", "# Edited\n")
    commit_all(repo, "first", when=FIRST)
    write(repo / "docs" / "edited.md", "# Edited\n\nOnce.\n")
    commit_all(repo, "second", when=SECOND)
    write(repo / "docs" / "new.md", "# New\n")
    write(repo / "docs" / "edited.md", "# Edited\n\nTwice.\n")
    commit_all(repo, "third", when=THIRD)

    clone = shallow_clone(repo, tmp_path / "clone", depth=2)
    history = read_history(clone / "docs")
    assert history.shallow and not history.missing
    assert history.of("new.md") == FileDates(at(THIRD), at(THIRD))
    assert history.of("edited.md") == FileDates(created=None, changed=at(THIRD))
    assert history.of("old.md") == FileDates(created=None, changed=None)


def test_outside_a_repository_there_is_no_history_and_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    write(tmp_path / "docs" / "note.md", "# Note\n")
    history = read_history(tmp_path / "docs")
    assert history.of("note.md") is None
    assert "not a git repository" in history.missing


def test_without_git_there_is_no_history_and_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = new_repository(tmp_path / "repo")
    write(repo / "docs" / "note.md", "# Note\n")
    commit_all(repo, "add", when=FIRST)
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    history = read_history(repo / "docs")
    assert history.of("note.md") is None
    assert "git cannot be started" in history.missing


def test_a_file_not_yet_committed_has_no_dates(tmp_path: Path) -> None:
    repo = new_repository(tmp_path / "repo")
    write(repo / "docs" / "note.md", "# Note\n")
    commit_all(repo, "add", when=FIRST)
    write(repo / "docs" / "draft.md", "# Draft\n")
    history = read_history(repo / "docs")
    assert history.of("draft.md") is None
    assert history.of("note.md") == FileDates(at(FIRST), at(FIRST))
