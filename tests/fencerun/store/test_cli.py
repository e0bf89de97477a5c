"""The `fencerun` command, run as a user runs it, in a project folder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from fencerun.freeze import FrozenResults
from fencerun.report import REPORT_FILE, BuildReport
from fencerun.store import ResultStore

from tests.fencerun.store.helpers import sample_result

MKDOCS_YML = """\
site_name: cli test
site_url: !ENV [SITE_URL, "http://127.0.0.1:8000/"]
docs_dir: pages
markdown_extensions:
  - toc:
      slugify: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}
  - pymdownx.superfences
plugins:
  - search
  - fencerun:
      cache_dir: build-cache
      frozen_dir: recorded
      timeout: 20
"""

FROZEN_PAGE = """\
---
title: Frozen
---
# Containers

```bash exec="on" freeze="on" id="greet"
echo "recorded here"
```

```bash exec="on"
echo "not frozen"
```

```bash exec="on" freeze="on"
echo second
```
"""


@dataclass(frozen=True)
class Done:
    returncode: int
    stdout: str
    stderr: str


def fencerun(project: Path, *arguments: str) -> Done:
    done = subprocess.run(
        [sys.executable, "-m", "fencerun.cli", *arguments],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return Done(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    (tmp_path / "pages" / "ko").mkdir(parents=True)
    (tmp_path / "pages" / "ko" / "index.md").write_text(FROZEN_PAGE, encoding="utf-8")
    return tmp_path


def test_the_command_is_installed_with_the_plugin() -> None:
    assert shutil.which("fencerun", path=str(Path(sys.executable).parent)) is not None


def test_prune_removes_results_the_last_build_did_not_use(project: Path) -> None:
    store = ResultStore(project / "build-cache")
    keys = [f"{n:064x}" for n in range(4)]
    for key in keys:
        store.put(key, sample_result())
    record = store.record_build(keys[:1])
    os.utime(record, (os.path.getmtime(record) + 60,) * 2)  # the entries predate the build's end
    done = fencerun(project, "prune")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "removed 3 of 4 stored results; kept those the last build used"
    assert store.stored_keys() == {keys[0]}


def test_prune_without_a_recorded_build_refuses_and_says_what_to_do(project: Path) -> None:
    ResultStore(project / "build-cache").put("a" * 64, sample_result())
    done = fencerun(project, "prune")
    assert done.returncode == 1
    assert "no finished build is recorded" in done.stderr
    assert "build the site first" in done.stderr
    assert ResultStore(project / "build-cache").stored_keys() == {"a" * 64}


def test_prune_on_a_store_it_cannot_open_says_which_file_and_what_to_do(project: Path) -> None:
    store = ResultStore(project / "build-cache")
    store.record_build(["a" * 64])
    store.path.mkdir()  # a folder where the database should be
    done = fencerun(project, "prune")
    assert done.returncode == 1
    assert str(store.path) in done.stderr and "make cache_dir writable" in done.stderr
    assert "Traceback" not in done.stderr


def test_report_prints_the_last_build_report(project: Path) -> None:
    report = BuildReport()
    report.finish()
    report.write(project / "build-cache" / REPORT_FILE)
    done = fencerun(project, "report")
    assert done.returncode == 0, done.stderr
    assert "0 blocks in" in done.stdout
    raw = fencerun(project, "report", "--json")
    assert json.loads(raw.stdout)["kind"] == "fencerun-report"


def test_report_without_a_build_says_to_build_first(project: Path) -> None:
    done = fencerun(project, "report")
    assert done.returncode == 1
    assert "build-cache" in done.stderr and "build the site first" in done.stderr


def test_a_missing_mkdocs_yml_is_named_with_what_to_do(tmp_path: Path) -> None:
    done = fencerun(tmp_path, "prune")
    assert done.returncode == 1
    assert "mkdocs.yml not found" in done.stderr and "-f PATH" in done.stderr


def test_settings_come_from_mkdocs_own_loading_inherit_and_env_included(tmp_path: Path) -> None:
    # The build reads mkdocs.yml with INHERIT and !ENV; the command must see what it sees.
    (tmp_path / "base.yml").write_text(
        "site_name: inherited\n"
        "markdown_extensions: [pymdownx.superfences]\n"
        "plugins:\n  - fencerun:\n      cache_dir: !ENV [STORE_DIR, unset-store]\n",
        encoding="utf-8",
    )
    (tmp_path / "mkdocs.yml").write_text("INHERIT: base.yml\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "fencerun.cli", "report"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "STORE_DIR": "from-env-store"},
    )
    assert done.returncode == 1
    assert "from-env-store" in done.stderr and "build the site first" in done.stderr


def test_an_invalid_plugin_option_is_named_as_mkdocs_names_it(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("timeout: 20", "timeout: soon"),
        encoding="utf-8",
    )
    done = fencerun(project, "report")
    assert done.returncode == 1
    assert "timeout" in done.stderr and "Traceback" not in done.stderr


def test_freeze_refresh_records_frozen_blocks_on_this_machine(project: Path) -> None:
    done = fencerun(project, "freeze", "--refresh")
    assert done.returncode == 0, done.stderr
    assert "recorded pages/ko/index.md:6 (greet)" in done.stdout
    assert "recorded pages/ko/index.md:14 (block-3)" in done.stdout
    recording = project / "recorded" / "ko" / "index.md" / "greet.yml"
    data = yaml.safe_load(recording.read_text(encoding="utf-8"))
    assert data["result"]["output"] == "recorded here\n"
    assert data["code"] == 'echo "recorded here"'
    assert sorted(p.name for p in (project / "recorded" / "ko" / "index.md").iterdir()) == [
        "block-3.yml",
        "greet.yml",
    ]
    frozen = FrozenResults(project / "recorded").get("ko/index.md", "greet")
    assert frozen is not None and frozen.origin == "frozen"


def test_freeze_lists_recorded_missing_and_stale_blocks(project: Path) -> None:
    assert fencerun(project, "freeze", "--refresh", "--page", "ko/index.md").returncode == 0
    page = project / "pages" / "ko" / "index.md"
    page.write_text(FROZEN_PAGE.replace("echo second", "echo changed"), encoding="utf-8")
    (project / "recorded" / "ko" / "gone.md").mkdir()
    FrozenResults(project / "recorded").put("ko/gone.md", "old", sample_result())
    done = fencerun(project, "freeze")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("pages/ko/index.md:6 (greet): recorded 20")
    assert lines[1].startswith("pages/ko/index.md:14 (block-3): STALE")
    assert lines[2] == "recorded/ko/gone.md/old.yml: no frozen block uses it any more; delete it"


def test_a_frozen_block_that_fails_on_refresh_keeps_its_old_recording(project: Path) -> None:
    assert fencerun(project, "freeze", "--refresh").returncode == 0
    page = project / "pages" / "ko" / "index.md"
    page.write_text(FROZEN_PAGE.replace('echo "recorded here"', "exit 3"), encoding="utf-8")
    done = fencerun(project, "freeze", "--refresh")
    assert done.returncode == 1
    assert "pages/ko/index.md:6" in done.stderr and "exited with 3" in done.stderr
    assert "its old recording is kept" in done.stderr
    recorded = FrozenResults(project / "recorded").get("ko/index.md", "greet")
    assert recorded is not None and recorded.output == "recorded here\n"


def test_a_frozen_block_whose_workdir_is_missing_is_named_not_a_traceback(
    project: Path,
) -> None:
    page = project / "pages" / "ko" / "index.md"
    page.write_text(FROZEN_PAGE.replace('id="greet"', 'id="greet" workdir="gone"'), "utf-8")
    done = fencerun(project, "freeze", "--refresh")
    assert done.returncode == 1
    assert 'pages/ko/index.md:6: workdir="gone" is not a folder' in done.stderr
    assert "Traceback" not in done.stderr


def test_refreshing_a_page_without_frozen_blocks_names_it(project: Path) -> None:
    done = fencerun(project, "freeze", "--refresh", "--page", "ko/other.md")
    assert done.returncode == 1
    assert "no frozen block in ko/other.md" in done.stderr


def test_a_malformed_block_stops_freeze_with_its_file_and_line(project: Path) -> None:
    page = project / "pages" / "ko" / "broken.md"
    page.write_text(
        textwrap.dedent("""\
        # Broken

        ```cobol exec="on"
        DISPLAY 'HI'.
        ```
        """),
        encoding="utf-8",
    )
    done = fencerun(project, "freeze")
    assert done.returncode == 1
    assert "pages/ko/broken.md:3" in done.stderr


def test_freeze_refresh_runs_blocks_with_the_sites_environment_settings(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + "      environment:\n        GREETING: 안녕\n      pass_environment: [FROM_BUILD]\n",
        encoding="utf-8",
    )
    (project / "pages" / "ko" / "index.md").write_text(
        '# Env\n\n```bash exec="on" freeze="on" id="env"\necho "$GREETING $FROM_BUILD"\n```\n',
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "fencerun.cli", "freeze", "--refresh"],
        cwd=project,
        env={**os.environ, "FROM_BUILD": "passed"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    frozen = FrozenResults(project / "recorded").get("ko/index.md", "env")
    assert frozen is not None and frozen.output == "안녕 passed\n"


def test_an_environment_no_process_can_hold_is_an_error_not_a_traceback(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + '      environment:\n        GREETING: "a\\0b"\n',
        encoding="utf-8",
    )
    done = fencerun(project, "freeze")
    assert done.returncode == 1
    assert "gives GREETING a value with a NUL character" in done.stderr
    assert "Traceback" not in done.stderr


def test_freeze_refresh_runs_what_a_frozen_blocks_snippet_lines_include(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  - pymdownx.superfences\n",
            "  - pymdownx.superfences\n  - pymdownx.snippets:\n      base_path: [snippets]\n",
        ),
        encoding="utf-8",
    )
    (project / "snippets").mkdir()
    (project / "snippets" / "greet.sh").write_text("echo from-the-snippet\n", encoding="utf-8")
    (project / "pages" / "ko" / "index.md").write_text(
        '# Snippet\n\n```bash exec="on" freeze="on" id="greet"\n--8<-- "greet.sh"\n```\n',
        encoding="utf-8",
    )
    done = fencerun(project, "freeze", "--refresh")
    assert done.returncode == 0, done.stderr
    frozen = FrozenResults(project / "recorded").get("ko/index.md", "greet")
    assert frozen is not None and frozen.output == "from-the-snippet\n"
