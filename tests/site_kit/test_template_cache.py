"""Compiled templates kept between builds: the same pages, and never a stale template."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

MKDOCS_YML = """\
site_name: cached templates
theme:
  name: mkdocs
  custom_dir: overrides
plugins:
  - template-cache
"""


def _project(root: Path, greeting: str) -> Path:
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "docs" / "index.md").write_text("# Home\n")
    (root / "overrides").mkdir(exist_ok=True)
    (root / "overrides" / "main.html").write_text(
        '{% extends "base.html" %}\n{% block content %}<p id="greeting">'
        + greeting
        + "</p>{{ super() }}{% endblock %}\n"
    )
    (root / "mkdocs.yml").write_text(MKDOCS_YML)
    return root


def _build(root: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    page = (root / "site" / "index.html").read_text()
    return re.sub(r"Build Date UTC : [^\n]*", "", page)  # the mkdocs theme dates each build


def test_a_second_build_reads_the_compiled_templates_and_renders_the_same(tmp_path: Path) -> None:
    root = _project(tmp_path, "hello")
    first = _build(root)
    cached = sorted((root / ".cache" / "templates").iterdir())
    assert cached, "no compiled template was kept"
    stamps = {path: path.stat().st_mtime_ns for path in cached}
    assert _build(root) == first
    assert {path: path.stat().st_mtime_ns for path in cached} == stamps  # read, not written


def test_an_edited_template_is_compiled_again(tmp_path: Path) -> None:
    root = _project(tmp_path, "hello")
    assert '<p id="greeting">hello</p>' in _build(root)
    _project(tmp_path, "안녕")
    assert '<p id="greeting">안녕</p>' in _build(root)
