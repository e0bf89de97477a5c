"""The engine with plain data: what it submits, what it reuses, and what it keeps."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import replace
from pathlib import Path

import pytest
from fencerun.config import Settings, execute_switch
from fencerun.engine import Engine, PageSource, frozen_id, interim_key
from fencerun.errors import BlockError, FencerunError
from fencerun.model import Block, Result


class RecordingExecutor:
    """Answers each block with its code as output; records every job it was given."""

    def __init__(self, exit_codes: dict[str, int] | None = None) -> None:
        self.jobs: list[list[str]] = []
        self.closed = False
        self.exit_codes = exit_codes or {}

    def submit(self, job: Sequence[Block]) -> list[Future[Result]]:
        self.jobs.append([block.code for block in job])
        futures = []
        for block in job:
            future: Future[Result] = Future()
            future.set_result(Result(block.code, self.exit_codes.get(block.code, 0)))
            futures.append(future)
        return futures

    def close(self) -> None:
        self.closed = True

    def protections_summary(self) -> str:
        return "recording"


class DictStore:
    def __init__(self) -> None:
        self.entries: dict[str, Result] = {}

    def get(self, key: str) -> Result | None:
        return self.entries.get(key)

    def put(self, key: str, result: Result) -> None:
        self.entries[key] = result


class DictFrozen:
    def __init__(self) -> None:
        self.entries: dict[tuple[str, str], Result] = {}

    def get(self, page: str, block_id: str) -> Result | None:
        return self.entries.get((page, block_id))

    def put(self, page: str, block_id: str, result: Result) -> None:
        self.entries[(page, block_id)] = result


def key(block: Block, earlier: Sequence[Block]) -> str:
    return interim_key(block, earlier, environment={}, interpreter="test", plugin_version="0")


def make_engine(
    tmp_path: Path,
    executor: RecordingExecutor,
    *,
    store: DictStore | None = None,
    frozen: DictFrozen | None = None,
    execute: bool = True,
) -> Engine:
    settings = Settings(
        project_dir=tmp_path,
        cache_dir=tmp_path / "cache",
        frozen_dir=tmp_path / "frozen",
        execute=execute,
    )
    return Engine(
        settings, executor_factory=lambda _: executor, key=key, store=store, frozen=frozen
    )


def fence(code: str, options: str = "") -> str:
    return f'```python exec="on" {options}\n{code}\n```\n'


def page(path: str, *fences: str) -> PageSource:
    return PageSource(path, "\n".join(fences))


def test_identical_blocks_on_different_pages_run_once(tmp_path: Path) -> None:
    executor = RecordingExecutor()
    engine = make_engine(tmp_path, executor)
    pages = [page("a.md", fence("same")), page("b.md", fence("same"), fence("other"))]
    engine.prepare(pages)
    assert executor.jobs == [["same"], ["other"]]
    for source in pages:
        for found in engine.plan(source).blocks:
            assert engine.result_for(found.block, source).output == found.block.code
    assert executor.jobs == [["same"], ["other"]]
    assert (engine.tally.run, engine.tally.reused) == (2, 0)


def test_a_session_is_one_job_in_page_order(tmp_path: Path) -> None:
    executor = RecordingExecutor()
    engine = make_engine(tmp_path, executor)
    source = page(
        "a.md",
        fence("one", 'session="s"'),
        fence("alone"),
        fence("two", 'session="s"'),
        fence("three", 'session="s"'),
    )
    engine.prepare([source])
    assert executor.jobs == [["one", "two", "three"], ["alone"]]


def test_editing_a_session_block_reruns_it_and_later_ones_keeping_earlier_results(
    tmp_path: Path,
) -> None:
    store = DictStore()
    first = make_engine(tmp_path, RecordingExecutor(), store=store)
    blocks = [fence(c, 'session="s"') for c in ("one", "two", "three")]
    first.prepare([page("a.md", *blocks)])
    assert len(store.entries) == 3

    executor = RecordingExecutor()
    second = make_engine(tmp_path, executor, store=store)
    edited = page("a.md", blocks[0], fence("TWO", 'session="s"'), blocks[2])
    second.prepare([edited])
    # The first block runs again only to rebuild the session's state for the edited one.
    assert executor.jobs == [["one", "TWO", "three"]]
    origins = [second.result_for(f.block, edited).origin for f in second.plan(edited).blocks]
    assert origins == ["cached", "live", "live"]


def test_stored_results_are_reused_and_failures_are_not_stored(tmp_path: Path) -> None:
    store = DictStore()
    make_engine(tmp_path, RecordingExecutor({"bad": 1}), store=store).prepare(
        [page("a.md", fence("good"), fence("bad"))]
    )
    assert [r.output for r in store.entries.values()] == ["good"]
    executor = RecordingExecutor({"bad": 1})
    engine = make_engine(tmp_path, executor, store=store)
    source = page("a.md", fence("good"), fence("bad"))
    engine.prepare([source])
    assert executor.jobs == [["bad"]]
    good, bad = engine.plan(source).blocks
    assert engine.result_for(good.block, source).origin == "cached"
    assert [failure.block.code for failure in engine.failures()] == ["bad"]
    assert bad.block.code == "bad"


def test_execution_off_uses_stored_results_else_not_executed(tmp_path: Path) -> None:
    store = DictStore()
    make_engine(tmp_path, RecordingExecutor(), store=store).prepare([page("a.md", fence("kept"))])
    executor = RecordingExecutor()
    engine = make_engine(tmp_path, executor, store=store, execute=False)
    source = page("a.md", fence("kept"), fence("new"))
    engine.prepare([source])
    assert executor.jobs == []
    kept, new = engine.plan(source).blocks
    assert engine.result_for(kept.block, source).origin == "cached"
    assert engine.result_for(new.block, source).origin == "not-executed"
    assert engine.tally.not_executed == 1


def test_frozen_blocks_read_their_recording_and_record_when_missing(tmp_path: Path) -> None:
    frozen = DictFrozen()
    executor = RecordingExecutor()
    engine = make_engine(tmp_path, executor, frozen=frozen)
    source = page("a.md", fence("docker ps", 'freeze="on" id="ps"'))
    engine.prepare([source])
    assert executor.jobs == [["docker ps"]]
    assert list(frozen.entries) == [("a.md", "ps")]

    frozen.entries[("a.md", "ps")] = Result("recorded elsewhere", 0)
    later = make_engine(tmp_path, RecordingExecutor(), frozen=frozen)
    (found,) = later.plan(source).blocks
    result = later.result_for(found.block, source)
    assert (result.output, result.origin) == ("recorded elsewhere", "frozen")


def test_frozen_id_is_the_block_id_or_its_position(tmp_path: Path) -> None:
    engine = make_engine(tmp_path, RecordingExecutor())
    source = page("a.md", fence("x"), fence("y", 'id="named"'))
    first, second = engine.plan(source).blocks
    assert (frozen_id(first.block), frozen_id(second.block)) == ("block-1", "named")


def test_a_new_build_retries_failures_and_counts_kept_results_as_reused(tmp_path: Path) -> None:
    executor = RecordingExecutor({"bad": 2})
    engine = make_engine(tmp_path, executor)
    source = page("a.md", fence("good"), fence("bad"))
    engine.prepare([source])
    engine.start_build(engine.settings)
    engine.prepare([source])
    assert executor.jobs == [["good"], ["bad"], ["bad"]]
    good, _bad = engine.plan(source).blocks
    assert engine.result_for(good.block, source).origin == "cached"


def test_missing_workdir_and_frozen_session_are_block_errors(tmp_path: Path) -> None:
    engine = make_engine(tmp_path, RecordingExecutor())
    with pytest.raises(BlockError, match='workdir="nowhere" is not a folder'):
        engine.plan(page("a.md", fence("x", 'workdir="nowhere"')))
    with pytest.raises(BlockError, match="frozen block cannot be part of a session"):
        engine.plan(page("b.md", fence("x", 'freeze="on" session="s"')))
    (tmp_path / "here").mkdir()
    assert engine.plan(page("c.md", fence("x", 'workdir="here"'))).blocks


def test_key_ignores_display_options_and_follows_what_runs(tmp_path: Path) -> None:
    engine = make_engine(tmp_path, RecordingExecutor())
    source = page(
        "a.md",
        fence("x"),
        fence("x", 'source="above" title="t" result="text" provenance="off"'),
        fence("x", 'timeout="5"'),
        fence("y"),
    )
    plain, displayed, timed, other = (f.block for f in engine.plan(source).blocks)
    assert key(plain, []) == key(displayed, [])
    assert len({key(plain, []), key(timed, []), key(other, [])}) == 3
    assert key(plain, [other]) != key(plain, [])


def test_close_stops_the_executor_and_a_later_build_gets_a_new_one(tmp_path: Path) -> None:
    made: list[RecordingExecutor] = []

    def factory(_: Settings) -> RecordingExecutor:
        made.append(RecordingExecutor())
        return made[-1]

    settings = Settings(project_dir=tmp_path, cache_dir=tmp_path, frozen_dir=tmp_path)
    engine = Engine(settings, executor_factory=factory, key=key)
    engine.prepare([page("a.md", fence("one"))])
    engine.close()
    assert made[0].closed
    engine.start_build(replace(settings))
    engine.prepare([page("a.md", fence("two"))])
    assert len(made) == 2 and made[1].jobs == [["two"]]


def test_result_for_waits_for_a_block_still_running(tmp_path: Path) -> None:
    release = threading.Event()

    class SlowExecutor(RecordingExecutor):
        def submit(self, job: Sequence[Block]) -> list[Future[Result]]:
            future: Future[Result] = Future()

            def finish() -> None:
                release.wait(5)
                future.set_result(Result("late", 0))

            threading.Thread(target=finish).start()
            return [future]

    engine = make_engine(tmp_path, SlowExecutor())
    source = page("a.md", fence("x"))
    engine.prepare([source])
    (found,) = engine.plan(source).blocks
    release.set()
    assert engine.result_for(found.block, source).output == "late"


@pytest.mark.parametrize(
    ("value", "configured", "expected"),
    [(None, True, True), (None, False, False), ("0", True, False), ("off", True, False),
     ("1", False, True), ("TRUE", False, True), ("", False, False)],
)  # fmt: skip
def test_execute_switch_reads_the_environment_over_the_config(
    value: str | None, configured: bool, expected: bool
) -> None:
    environ = {} if value is None else {"FENCERUN_EXECUTE": value}
    assert execute_switch(environ, configured) is expected


def test_execute_switch_refuses_an_unknown_value() -> None:
    with pytest.raises(FencerunError, match="set it to 0"):
        execute_switch({"FENCERUN_EXECUTE": "sometimes"}, True)


@pytest.mark.parametrize("execute", [True, False])
def test_literate_markdown_is_never_submitted_and_is_its_own_output(
    tmp_path: Path, execute: bool
) -> None:
    executor = RecordingExecutor()
    engine = make_engine(tmp_path, executor, execute=execute)
    source = page("a.md", '```md exec="on"\n**hi**\n```\n')
    engine.prepare([source])
    (found,) = engine.plan(source).blocks
    assert found.block.options.markdown is True
    assert engine.result_for(found.block, source).output == "**hi**"
    assert executor.jobs == []
    assert engine.tally.run == 0
