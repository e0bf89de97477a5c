"""The store as a user meets it through `mkdocs build`: warm rebuilds run nothing, edits
rerun only what they change, builds can share a cache, damage heals, frozen outputs stay."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
import yaml
from fencerun.store import ResultStore

from tests.fencerun.store.sites import (
    Build,
    build,
    child_env,
    finish,
    require_store,
    start_build,
    write_site,
)

SESSION_PAGE = """
    # Sessions

    Prose before.

    ```python exec="on" session="s"
    x = 40
    print("first", x)
    ```

    ```bash exec="on"
    echo "alone"
    ```

    ```python exec="on" session="s"
    print("second", x + 1)
    ```

    ```python exec="on" session="s"
    print("third", x + 2)
    ```
"""

OTHER_PAGE = """
    # Other

    ```python exec="on"
    print("other page output")
    ```
"""


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> tuple[Build, Build]:
    project = tmp_path_factory.mktemp("warm")
    write_site(project, {"index.md": SESSION_PAGE, "other.md": OTHER_PAGE})
    cold = build(project)
    require_store(cold)
    return cold, build(project)


def test_a_warm_rebuild_reuses_every_result_and_renders_the_same_pages(
    warm: tuple[Build, Build],
) -> None:
    cold, rebuilt = warm
    assert cold.counts() == {"run": 5}
    assert rebuilt.counts() == {"reused": 5}
    assert "second 41" in rebuilt.html()
    for page in ("index.html", "other/index.html"):
        assert rebuilt.html(page) == cold.html(page)


def test_a_finished_build_leaves_the_store_as_one_file(warm: tuple[Build, Build]) -> None:
    # What a CI cache saves after the build: the database, no journal beside it.
    _cold, rebuilt = warm
    cache = rebuilt.project / ".cache/fencerun"
    names = sorted(path.name for path in cache.iterdir() if path.is_file())
    assert names == [".gitignore", "last-build-report.json", "results.sqlite"]


def test_a_prose_edit_reruns_no_block(tmp_path: Path) -> None:
    write_site(tmp_path, {"index.md": SESSION_PAGE})
    require_store(build(tmp_path))
    page = tmp_path / "docs" / "index.md"
    page.write_text(page.read_text().replace("Prose before.", "New prose.\n\nAnd more of it."))
    edited = build(tmp_path)
    assert edited.returncode == 0, edited.output
    assert edited.counts() == {"reused": 4}


def test_editing_a_session_block_reruns_it_and_later_blocks_of_its_session_only(
    tmp_path: Path,
) -> None:
    write_site(tmp_path, {"index.md": SESSION_PAGE})
    require_store(build(tmp_path))
    page = tmp_path / "docs" / "index.md"
    page.write_text(page.read_text().replace("x + 1", "x + 10"))
    edited = build(tmp_path)
    assert edited.returncode == 0, edited.output
    assert edited.origins() == ["reused", "reused", "run", "run"]
    assert "second 50" in edited.html()


def test_two_builds_sharing_one_cache_at_once_both_succeed(tmp_path: Path) -> None:
    shared = tmp_path / "shared-cache"
    pages = {
        f"page{n}.md": f'# Page {n}\n\n```python exec="on"\nimport time\ntime.sleep(0.2)\n'
        f'print("shared block {n}")\n```\n'
        for n in range(6)
    }
    projects = [tmp_path / "first", tmp_path / "second"]
    for project in projects:
        write_site(project, pages, cache_dir=str(shared))
    running = [start_build(project) for project in projects]
    builds = [finish(project, process) for project, process in zip(projects, running, strict=True)]
    for built in builds:
        assert built.returncode == 0, built.output
        assert "ignoring cache entry" not in built.output
        assert "shared block 5" in built.html("page5/index.html")
    assert (shared / "results.sqlite").is_file(), "the builds wrote no result store"
    with ResultStore(shared) as store:
        assert len(store.stored_keys()) == 6
        assert all(store.get(key) is not None for key in store.stored_keys())
    assert not list(shared.glob("results.sqlite-*"))


def test_a_damaged_cache_entry_is_reported_by_file_and_rebuilt(tmp_path: Path) -> None:
    write_site(tmp_path, {"other.md": OTHER_PAGE, "index.md": "# Home\n"})
    require_store(build(tmp_path))
    store = ResultStore(tmp_path / ".cache/fencerun")
    [key] = store.stored_keys()
    with closing(sqlite3.connect(store.path)) as db, db:
        db.execute(
            "UPDATE results SET entry = ?", ('{"kind": "fencerun-result", "version": 1, "ke',)
        )
    healed = build(tmp_path)
    # A cache mending itself is worth a line that reads like MkDocs' own warnings, but
    # not a failed --strict build.
    assert healed.returncode == 0, healed.output
    assert f"WARNING -  fencerun: ignoring cache entry {key} in {store.path}" in healed.output
    assert "other page output" in healed.html("other/index.html")
    assert healed.counts() == {"run": 1}
    assert store.get(key) is not None


def test_a_store_file_that_is_no_database_is_replaced_and_the_build_goes_on(
    tmp_path: Path,
) -> None:
    write_site(tmp_path, {"other.md": OTHER_PAGE, "index.md": "# Home\n"})
    require_store(build(tmp_path))
    database = tmp_path / ".cache/fencerun/results.sqlite"
    database.write_bytes(b"\x00 not a database \xff" * 500)
    healed = build(tmp_path)
    assert healed.returncode == 0, healed.output
    assert f"WARNING -  fencerun: ignoring the result store {database}" in healed.output
    assert "other page output" in healed.html("other/index.html")
    assert healed.counts() == {"run": 1}
    assert build(tmp_path).counts() == {"reused": 1}


def test_prune_removes_results_of_deleted_pages_and_keeps_the_rest(tmp_path: Path) -> None:
    write_site(tmp_path, {"index.md": SESSION_PAGE, "other.md": OTHER_PAGE})
    require_store(build(tmp_path))
    (tmp_path / "docs" / "other.md").unlink()
    assert build(tmp_path).returncode == 0
    pruned = subprocess.run(
        [sys.executable, "-m", "fencerun.cli", "prune"],
        cwd=tmp_path,
        env=child_env(),
        capture_output=True,
        text=True,
    )
    assert pruned.returncode == 0, pruned.stderr
    assert pruned.stdout.startswith("removed 1 of 5 stored results")
    assert build(tmp_path).counts() == {"reused": 4}


FROZEN_PAGE = """
    # Frozen

    ```bash exec="on" freeze="on" id="version" workdir="machine"
    cat version.txt
    ```
"""


def test_a_frozen_block_keeps_its_recording_until_refreshed(tmp_path: Path) -> None:
    write_site(tmp_path, {"index.md": FROZEN_PAGE})
    (tmp_path / "machine").mkdir()
    (tmp_path / "machine" / "version.txt").write_text("recorded-v1\n")
    first = build(tmp_path)
    require_store(first)
    recording = tmp_path / "frozen" / "index.md" / "version.yml"
    assert yaml.safe_load(recording.read_text())["result"]["output"] == "recorded-v1\n"
    # Another machine, where the command would print something else (or nothing).
    shutil.rmtree(tmp_path / ".cache")
    (tmp_path / "machine" / "version.txt").write_text("live-v2\n")
    again = build(tmp_path)
    assert again.returncode == 0, again.output
    assert "recorded-v1" in again.html() and "live-v2" not in again.html()
    assert again.counts() == {"frozen": 1}
    refreshed = subprocess.run(
        [sys.executable, "-m", "fencerun.cli", "freeze", "--refresh"],
        cwd=tmp_path,
        env=child_env(),
        capture_output=True,
        text=True,
    )
    assert refreshed.returncode == 0, refreshed.stderr
    assert "live-v2" in build(tmp_path).html()


def test_a_damaged_recording_fails_a_strict_build_with_a_mkdocs_warning(tmp_path: Path) -> None:
    write_site(tmp_path, {"index.md": FROZEN_PAGE})
    (tmp_path / "machine").mkdir()
    (tmp_path / "machine" / "version.txt").write_text("recorded-v1\n")
    require_store(build(tmp_path))
    recording = tmp_path / "frozen" / "index.md" / "version.yml"
    recording.write_text("result: [unclosed\n", encoding="utf-8")
    damaged = build(tmp_path)
    # The recording is the author's, committed with the site: a strict build stops.
    assert damaged.returncode != 0, damaged.output
    assert f"WARNING -  fencerun: ignoring the recorded output {recording}" in damaged.output
    assert "Aborted with 1 warnings in strict mode" in damaged.output
