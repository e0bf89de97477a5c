"""Jobs run at once across workers; the blocks of a session run in order."""

from __future__ import annotations

import itertools
from datetime import timedelta

from fencerun.run import Executor

from tests.fencerun.run.helpers import block, interval, run


def test_independent_blocks_overlap_in_time(executor: Executor) -> None:
    futures = [
        future
        for n in range(4)
        for future in executor.submit([block("python", "import time\ntime.sleep(0.25)", index=n)])
    ]
    spans = sorted(interval(future.result(timeout=60)) for future in futures)
    # With two workers, some block starts before an earlier one has ended.
    assert any(later[0] < earlier[1] for earlier, later in itertools.pairwise(spans))


def test_session_blocks_run_one_after_another_in_order(executor: Executor) -> None:
    blocks = [
        block(
            "bash",
            # The session's own temporary folder: nothing another run shares.
            f'sleep 0.05; echo {n} >> "$TMPDIR/order"; cat "$TMPDIR/order" | wc -l',
            index=n,
            session="s",
        )
        for n in range(4)
    ]
    results = run(executor, *blocks)
    assert [result.output for result in results] == ["1\n", "2\n", "3\n", "4\n"]
    spans = [interval(result) for result in results]
    # Start times are written to the millisecond.
    slack = timedelta(milliseconds=1)
    assert all(earlier[1] <= later[0] + slack for earlier, later in itertools.pairwise(spans))
