"""A result whose shell could not find a command is shown, but never kept or reused: the
command may be installed by the next build."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from concurrent.futures import Future
from contextlib import closing
from pathlib import Path

from fencerun.engine import Engine
from fencerun.model import Block, PageSource, Result
from fencerun.settings import Settings
from fencerun.store import ResultStore

NOT_FOUND = "bash: line 1: ps: command not found\n"


class ShellLike:
    """Answers each block with `outputs[code]`; records every block it ran."""

    def __init__(self, outputs: dict[str, str]) -> None:
        self.outputs = outputs
        self.ran: list[str] = []

    def submit(self, job: Sequence[Block]) -> list[Future[Result]]:
        futures = []
        for block in job:
            self.ran.append(block.code)
            future: Future[Result] = Future()
            future.set_result(Result(self.outputs[block.code], 0))
            futures.append(future)
        return futures

    def close(self) -> None:
        pass

    def protections_summary(self) -> str:
        return "none"


def settings(project: Path) -> Settings:
    return Settings(project_dir=project, cache_dir=project / "cache", frozen_dir=project / "f")


def build(project: Path, executor: ShellLike, page: PageSource) -> list[Result]:
    engine = Engine(settings(project), executor_factory=lambda _: executor)
    engine.prepare([page])
    results = [engine.result_for(found.block, page) for found in engine.plan(page).blocks]
    engine.finish_build(succeeded=True)
    engine.close()
    return results


PAGE = PageSource(
    "a.md",
    '```bash exec="on"\nps -o comm= | head -1\n```\n\n```bash exec="on"\necho fine\n```\n',
)


def test_a_result_missing_a_command_is_shown_and_runs_again_next_build(tmp_path: Path) -> None:
    missing = ShellLike({"ps -o comm= | head -1": NOT_FOUND, "echo fine": "fine\n"})
    shown = build(tmp_path, missing, PAGE)
    assert [result.output for result in shown] == [NOT_FOUND, "fine\n"]
    store = ResultStore(tmp_path / "cache")
    kept = [store.get(key) for key in store.stored_keys()]
    assert [result.output for result in kept if result is not None] == ["fine\n"]
    assert len(kept) == 1

    installed = ShellLike({"ps -o comm= | head -1": "bash\n", "echo fine": "fine\n"})
    shown = build(tmp_path, installed, PAGE)
    assert installed.ran == ["ps -o comm= | head -1"]
    assert [result.output for result in shown] == ["bash\n", "fine\n"]


def test_a_store_of_the_format_that_kept_such_results_is_started_over(tmp_path: Path) -> None:
    """Format 1 kept results missing a command: a store of it is not read, and every
    block runs again."""
    first = ShellLike({"ps -o comm= | head -1": "bash\n", "echo fine": "fine\n"})
    build(tmp_path, first, PAGE)
    with closing(sqlite3.connect(tmp_path / "cache" / "results.sqlite")) as db, db:
        db.execute("PRAGMA user_version = 1")

    again = ShellLike({"ps -o comm= | head -1": "bash\n", "echo fine": "fine\n"})
    shown = build(tmp_path, again, PAGE)
    assert sorted(again.ran) == ["echo fine", "ps -o comm= | head -1"]
    assert [result.output for result in shown] == ["bash\n", "fine\n"]


def test_under_serve_a_rebuild_runs_a_block_that_missed_a_command_again(tmp_path: Path) -> None:
    executor = ShellLike({"ps -o comm= | head -1": NOT_FOUND, "echo fine": "fine\n"})
    engine = Engine(settings(tmp_path), executor_factory=lambda _: executor)
    engine.prepare([PAGE])
    engine.finish_build(succeeded=True)
    executor.outputs["ps -o comm= | head -1"] = "bash\n"
    engine.start_build(settings(tmp_path))
    engine.prepare([PAGE])
    first = engine.plan(PAGE).blocks[0].block
    assert engine.result_for(first, PAGE).output == "bash\n"
    assert executor.ran == ["ps -o comm= | head -1", "echo fine", "ps -o comm= | head -1"]
    engine.close()
