"""Every live result says on what system, when and with what it ran."""

from __future__ import annotations

import platform
from datetime import datetime

from fencerun.run import Executor

from tests.fencerun.run.helpers import run_one


def test_python_result_provenance(executor: Executor) -> None:
    result = run_one(executor, "python", "pass")
    provenance = result.provenance
    assert provenance is not None
    assert provenance.os.endswith(f"(kernel {platform.release()})")
    assert provenance.interpreter == f"CPython {platform.python_version()}"
    assert datetime.fromisoformat(provenance.started_at).tzinfo is not None
    assert 0 < provenance.duration_s < 10
    assert result.origin == "live"


def test_shell_result_names_its_shell(executor: Executor) -> None:
    bash = run_one(executor, "bash", "true").provenance
    sh = run_one(executor, "sh", "true").provenance
    assert bash is not None and bash.interpreter.startswith("bash 5.")
    assert sh is not None and sh.interpreter.startswith("sh (")
