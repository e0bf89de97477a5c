"""Stands in for `fencerun.run` in the MkDocs builds these tests start, while the real
executor is not in the package: same interface, blocks run as plain child processes."""

from __future__ import annotations

import os
import platform
import socket
import subprocess
import sys
import time
import types
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from fencerun.model import Block, Provenance, Result


class FakeExecutor:
    def __init__(self, *, project_dir: Path, workers: int | None = None,
                 default_timeout: float = 30.0, max_output_bytes: int = 200_000,
                 policy: object = None) -> None:  # fmt: skip
        self.project_dir = project_dir
        self.default_timeout = default_timeout
        self.max_output_bytes = max_output_bytes
        self.pool = ThreadPoolExecutor(max_workers=workers or 4)

    def submit(self, job: Sequence[Block]) -> list[Future[Result]]:
        if len(job) == 1:
            return [self.pool.submit(self._run, list(job), 0)]
        return [self.pool.submit(self._run, list(job), i) for i in range(len(job))]

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)

    def protections_summary(self) -> str:
        return "fake executor (tests only)"

    def _run(self, job: list[Block], index: int) -> Result:
        block = job[index]
        marker = "@@fencerun-fake@@"
        earlier = job[:index]
        started = time.monotonic()
        timeout = block.options.timeout or self.default_timeout
        cwd = self.project_dir / block.options.workdir if block.options.workdir else None
        command = self._command(block, earlier, marker)
        try:
            env = {**os.environ, "COLUMNS": str(block.options.width or 80)}
            done = subprocess.run(command, capture_output=True, timeout=timeout, cwd=cwd, env=env)
            output = (done.stdout + done.stderr).decode("utf-8", "replace")
            returncode, timed_out = done.returncode, False
        except subprocess.TimeoutExpired:
            output, returncode, timed_out = "", -9, True
        if earlier:
            output = output.rsplit(marker + "\n", 1)[-1]
        truncated = len(output.encode()) > self.max_output_bytes
        if truncated:
            output = output.encode()[: self.max_output_bytes].decode("utf-8", "ignore")
        provenance = Provenance(
            host=socket.gethostname(),
            os=f"{platform.system()} {platform.release()}",
            interpreter=f"CPython {platform.python_version()}",
            started_at=datetime.now(UTC).isoformat(timespec="seconds"),
            duration_s=time.monotonic() - started,
        )
        return Result(output, returncode, timed_out, truncated, (), provenance, "live")

    def _command(self, block: Block, earlier: list[Block], marker: str) -> list[str]:
        if block.language in ("python", "pycon"):
            parts = [_python(b) for b in earlier] + [_python(block)]
            code = f"\nprint({marker!r}, flush=True)\n".join(parts)
            return [sys.executable, "-c", code]
        if block.language == "console":
            commands = [line[2:] for line in block.code.split("\n") if line.startswith("$ ")]
            script = "".join(f"echo '$ {c}'\n{c}\n" for c in commands)
            return ["bash", "-c", script]
        shell = "bash" if block.language == "bash" else "sh"
        code = f"\necho {marker}\n".join([b.code for b in earlier] + [block.code])
        return [shell, "-c", code]


def _python(block: Block) -> str:
    if block.language == "pycon":
        lines = block.code.split("\n")
        return "\n".join(line[4:] for line in lines if line.startswith((">>> ", "... ")))
    return block.code


module = types.ModuleType("fencerun.run")
module.Executor = FakeExecutor  # type: ignore[attr-defined]
sys.modules["fencerun.run"] = module
