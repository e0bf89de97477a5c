"""A front matter date the build cannot read stops it at its file and line, saying how to
write it (on a plain site: the plugin needs neither static-i18n nor the blog)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.page_dates.repository import FIRST, commit_all, new_repository


def write_site(project: Path, note: str) -> None:
    (project / "docs" / "kb").mkdir(parents=True)
    (project / "mkdocs.yml").write_text(
        "site_name: Notes\nplugins:\n  - page-dates\n", encoding="utf-8"
    )
    (project / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (project / "docs" / "kb" / "note.md").write_text(note, encoding="utf-8")


def build(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(project / "site")],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_a_quoted_updated_date_fails_the_build_at_its_line(tmp_path: Path) -> None:
    project = new_repository(tmp_path / "project")
    write_site(project, '---\ndescription: A note.\nupdated: "2025-06-01"\n---\n\n# Note\n')
    commit_all(project, "A note", when=FIRST)
    done = build(project)
    assert done.returncode != 0
    assert (
        "docs/kb/note.md:3: `updated: '2025-06-01'` is not a date; write it unquoted as "
        "YYYY-MM-DD" in done.stderr
    ), done.stderr[-3000:]
    assert "Traceback" not in done.stderr
