"""Builds small test sites: the pages in fixture/, or the repository's own site."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from tests.site_copy import build_site

FIXTURE = Path(__file__).with_name("fixture")
REPO = Path(__file__).resolve().parents[2]
LANGUAGES = {"ko": "", "en": "en"}


def build_fixture_site(out: Path, *, ko_search: bool = True) -> Path:
    """Builds fixture/ko into out/ and fixture/en into out/en/, like the real site's layout.

    Each language is a plain Material site with the search plugin, and
    ko-search unless ko_search is False (Material's search as it ships).
    """
    for language, root in LANGUAGES.items():
        config = {
            "site_name": "linus.log",
            "docs_dir": str(FIXTURE / language),
            "site_dir": str(out / root),
            "theme": {"name": "material", "language": language, "font": False},
            "plugins": ["search", {"ko-search": {"enabled": ko_search}}],
        }
        config_file = out.parent / f"{out.name}-{language}.yml"
        config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        mkdocs_build(config_file, out / root)
    return out


def build_repo_site(project: Path, out: Path) -> Path:
    """Builds the copy of the repository's site in `project` into out."""
    result = build_site(project, out, site_url="http://127.0.0.1:8000/")
    assert result.returncode == 0, f"mkdocs build of the site failed:\n{result.stderr[-6000:]}"
    return out


def mkdocs_build(config_file: Path, site_dir: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--quiet",
            "-f",
            str(config_file),
            "-d",
            str(site_dir),
        ],
        cwd=REPO,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"mkdocs build -f {config_file} failed:\n{result.stderr[-6000:]}"
