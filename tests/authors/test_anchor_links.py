"""The site's own config fails the strict build on a link to a heading that does not exist."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def copy_of_the_site(target: Path) -> Path:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--", "mkdocs.yml", "docs", "includes", "overrides", "frozen"],
        cwd=REPO_ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for relative in filter(None, listed.split("\0")):
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO_ROOT / relative, target / relative)
    return target


def strict_build(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(project / "site")],
        cwd=project,
        # Nothing runs: the anchor check does not need the blocks' outputs.
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "FENCERUN_EXECUTE": "0"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_a_link_to_a_missing_heading_fails_the_strict_build(tmp_path: Path) -> None:
    project = copy_of_the_site(tmp_path)
    about = project / "docs/ko/about.md"
    about.write_text(
        about.read_text(encoding="utf-8") + "\n[없는 절](index.md#없는-절)\n", encoding="utf-8"
    )
    built = strict_build(project)
    assert built.returncode != 0, built.stderr[-3000:]
    warnings = [line for line in built.stderr.splitlines() if line.startswith("WARNING")]
    assert len(warnings) == 1, built.stderr[-3000:]
    # Named as fencerun and the content check name pages: from the project folder.
    assert "'docs/ko/about.md'" in warnings[0] and "'docs/ko/index.md'" in warnings[0], warnings
    assert "'index.md#없는-절'" in warnings[0], warnings
