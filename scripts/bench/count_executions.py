"""`mkdocs` with a count of fencerun's executions, made from inside the build process.

    python count_executions.py COUNTER build -f mkdocs.yml ...

Every block the build hands fencerun's executor runs once, so one line per submitted block
is appended to the file COUNTER; the other arguments go to mkdocs. bench_exec.py's blog-i18n
scenario compares that count with the number of unique blocks.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from concurrent.futures import Future

from fencerun.model import Block, Result
from fencerun.run.executor import Executor
from mkdocs.__main__ import cli


def count_submitted_blocks(counter: str) -> None:
    submit = Executor.submit

    def counting_submit(executor: Executor, job: Sequence[Block]) -> list[Future[Result]]:
        with open(counter, "a", encoding="utf-8") as stream:
            stream.write("run\n" * len(job))
        return submit(executor, job)

    Executor.submit = counting_submit  # type: ignore[method-assign,assignment]  # counts, then runs


if __name__ == "__main__":
    counter, sys.argv = sys.argv[1], sys.argv[1:]
    count_submitted_blocks(counter)
    cli()
