"""Blocks as the find stage makes them, and a way to run them and wait."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from fencerun.model import Block, BlockOptions, Result, SourceLocation
from fencerun.run import Executor

PAGE = "posts/example.md"


def block(language: str, code: str, *, index: int = 0, **options: Any) -> Block:
    """A block of PAGE at line 10 * (index + 1), with these fence options."""
    return Block(
        language=language,
        code=code,
        options=BlockOptions(**options),
        location=SourceLocation(PAGE, 10 * (index + 1)),
        index=index,
    )


def run(executor: Executor, *blocks: Block) -> list[Result]:
    """Submit the blocks as one job and wait for every result."""
    return [future.result(timeout=120) for future in executor.submit(blocks)]


def run_one(executor: Executor, language: str, code: str, **options: Any) -> Result:
    return run(executor, block(language, code, **options))[0]


def interval(result: Result) -> tuple[datetime, datetime]:
    """When the block ran, from its provenance."""
    assert result.provenance is not None
    start = datetime.fromisoformat(result.provenance.started_at)
    return start, start + timedelta(seconds=result.provenance.duration_s)


def processes_marked(marker: str) -> Iterator[int]:
    """Processes with the marker in their name, command line or environment."""
    needle = marker.encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        for name in ("comm", "cmdline", "environ"):
            try:
                if needle in (entry / name).read_bytes():
                    yield int(entry.name)
                    break
            except OSError:
                continue
