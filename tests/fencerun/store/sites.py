"""Small sites built with `mkdocs build` in a child process, for the store's end-to-end tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fencerun.report import REPORT_FILE

MKDOCS_YML = """\
site_name: store test
theme: mkdocs
markdown_extensions:
  - pymdownx.superfences
plugins:
  - fencerun:
      cache_dir: {cache_dir}
"""


def child_env(extra: Mapping[str, str] = {}) -> dict[str, str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **extra}
    env.pop("FENCERUN_EXECUTE", None)
    return env


@dataclass(frozen=True)
class Build:
    project: Path
    returncode: int
    output: str
    report: dict[str, Any] | None  # the build report, as this build left it

    def html(self, page: str = "index.html") -> str:
        return (self.project / "site" / page).read_text(encoding="utf-8")

    def origins(self) -> list[str]:
        """How each block got its result, in page and line order."""
        assert self.report is not None, self.output
        blocks = self.report["blocks"]

        def place(block: dict[str, Any]) -> tuple[str, int]:
            path, _, line = block["location"].rpartition(":")
            return path, int(line)

        return [block["origin"] for block in sorted(blocks, key=place)]

    def counts(self) -> Counter[str]:
        return Counter(self.origins())


def write_site(
    project: Path, pages: Mapping[str, str], *, cache_dir: str = ".cache/fencerun"
) -> None:
    project.mkdir(parents=True, exist_ok=True)
    (project / "mkdocs.yml").write_text(MKDOCS_YML.format(cache_dir=cache_dir), encoding="utf-8")
    for name, text in pages.items():
        path = project / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def start_build(project: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=project,
        env=child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish(project: Path, running: subprocess.Popen[str]) -> Build:
    output, _ = running.communicate(timeout=180)
    report = project / ".cache/fencerun" / REPORT_FILE
    data = json.loads(report.read_text(encoding="utf-8")) if report.exists() else None
    return Build(project, running.returncode, output, data)


def build(project: Path) -> Build:
    return finish(project, start_build(project))


def require_store(built: Build) -> None:
    """The build succeeded and left its report and its result store behind."""
    assert built.returncode == 0, built.output
    assert built.report is not None, f"no build report was written:\n{built.output}"
    records = list((built.project / ".cache/fencerun" / "builds").glob("*.json"))
    assert records, "the build did not record the keys it used in the result store"
