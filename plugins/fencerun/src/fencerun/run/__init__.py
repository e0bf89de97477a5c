"""The run stage: execute blocks in isolated child processes, in parallel, and capture output.

`executor` is the build's side (a pool of warm workers, each fed by a thread of
`worker_slot`), `worker` and `jobs` the worker's side, `container` the process that holds
one job's blocks, `python_runtime` and `shell_runtime` what runs inside it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fencerun.run.executor import Executor
    from fencerun.run.worker_slot import WorkerFailure

__all__ = ["Executor", "WorkerFailure"]


def __getattr__(name: str) -> object:
    # Imported on first use: a worker imports this package too, and every
    # module it holds makes each fork of a block slower.
    if name == "Executor":
        from fencerun.run.executor import Executor

        return Executor
    if name == "WorkerFailure":
        from fencerun.run.worker_slot import WorkerFailure

        return WorkerFailure
    raise AttributeError(name)
