"""The run stage: execute blocks in isolated child processes, in parallel, and capture output.

`executor` is the build's side (a pool of warm workers fed by threads),
`worker` and `jobs` the worker's side, `container` the process that holds one
job's blocks, `python_runtime` and `shell_runtime` what runs inside it.
"""

from fencerun.run.executor import Executor, WorkerFailure

__all__ = ["Executor", "WorkerFailure"]
