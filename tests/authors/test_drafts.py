"""Drafts: left out of `mkdocs build` with one line naming them, shown by the preview."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.site_preview.preview_site import DRAFT, write_site


def test_a_build_names_the_drafts_it_leaves_out_in_one_line(tmp_path: Path) -> None:
    write_site(tmp_path)
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=tmp_path,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    lines = [line for line in built.stderr.splitlines() if "unfinished" in line]
    expected = f"blog: left out 1 draft (`draft: true`; `scripts/site serve` shows them): {DRAFT}"
    assert [line for line in lines if "draft" in line] == [f"INFO    -  {expected}"], lines
    assert not (tmp_path / "site" / "blog" / "unfinished").exists()
    assert (tmp_path / "site" / "blog" / "published" / "index.html").is_file()
