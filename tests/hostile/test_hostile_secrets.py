"""Secrets in the build's environment never reach a block, its output, or the workers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fencerun.run import Executor

from tests.fencerun.run.helpers import run_one
from tests.hostile.conftest import hostile_policy

SECRETS = {
    "GITHUB_TOKEN": "ghp_fencerunHostileToken0123456789",
    "AWS_SECRET_ACCESS_KEY": "fencerun/Hostile+AwsSecretKey",
    "AWS_ACCESS_KEY_ID": "AKIAFENCERUNHOSTILE",
}


@pytest.fixture(params=["namespaces", "fallback", "portable"])
def executor_with_secrets(
    request: pytest.FixtureRequest, project: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Executor]:
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    policy = hostile_policy(request.param)
    with Executor(project_dir=project, workers=1, policy=policy) as pool:
        yield pool


def test_secrets_are_not_in_a_block_environment_or_output(executor_with_secrets: Executor) -> None:
    shell = run_one(
        executor_with_secrets,
        "bash",
        "env\ncat /proc/*/environ 2>/dev/null | tr '\\0' '\\n'\necho ${GITHUB_TOKEN:-unset}",
    )
    python = run_one(executor_with_secrets, "python", "import os\nprint(dict(os.environ))")
    for value in SECRETS.values():
        assert value not in shell.output
        assert value not in python.output
    assert shell.output.endswith("unset\n")


def test_secrets_are_not_in_the_workers_either(executor_with_secrets: Executor) -> None:
    run_one(executor_with_secrets, "bash", "true")
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes()
            environment = (entry / "environ").read_bytes()
        except OSError:
            continue
        if b"fencerun.run.worker" in command:
            for value in SECRETS.values():
                assert value.encode() not in environment
