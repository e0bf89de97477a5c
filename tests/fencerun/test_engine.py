"""The engine with plain data: what it submits, what it reuses, and what it keeps."""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import replace
from pathlib import Path

import pytest
from fencerun.engine import Engine
from fencerun.errors import BlockError, FencerunError
from fencerun.freeze import FrozenResults, frozen_id
from fencerun.model import Block, PageSource, Result
from fencerun.planner import key_environment
from fencerun.report import REPORT_FILE
from fencerun.settings import Settings, execute_switch
from fencerun.store import ResultStore


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


def make_engine(
    tmp_path: Path,
    executor: RecordingExecutor,
    *,
    execute: bool = True,
    warnings: list[BlockError] | None = None,
) -> Engine:
    """An engine whose store and frozen folder live in tmp_path, shared by every engine made
    for the same tmp_path (as builds of one project share them)."""
    settings = Settings(
        project_dir=tmp_path,
        cache_dir=tmp_path / "cache",
        frozen_dir=tmp_path / "frozen",
        execute=execute,
    )
    problems = warnings if warnings is not None else []
    return Engine(settings, executor_factory=lambda _: executor, warn=problems.append)


def stored_outputs(tmp_path: Path) -> list[str]:
    store = ResultStore(tmp_path / "cache")
    return sorted(result.output for key in store.stored_keys() if (result := store.get(key)))


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
    assert engine.report.counts()["run"] == 2


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
    first = make_engine(tmp_path, RecordingExecutor())
    blocks = [fence(c, 'session="s"') for c in ("one", "two", "three")]
    first.prepare([page("a.md", *blocks)])
    assert stored_outputs(tmp_path) == ["one", "three", "two"]

    executor = RecordingExecutor()
    second = make_engine(tmp_path, executor)
    edited = page("a.md", blocks[0], fence("TWO", 'session="s"'), blocks[2])
    second.prepare([edited])
    # The first block runs again only to rebuild the session's state for the edited one.
    assert executor.jobs == [["one", "TWO", "three"]]
    origins = [second.result_for(f.block, edited).origin for f in second.plan(edited).blocks]
    assert origins == ["cached", "live", "live"]


def test_stored_results_are_reused_and_failures_are_not_stored(tmp_path: Path) -> None:
    make_engine(tmp_path, RecordingExecutor({"bad": 1})).prepare(
        [page("a.md", fence("good"), fence("bad"))]
    )
    assert stored_outputs(tmp_path) == ["good"]
    executor = RecordingExecutor({"bad": 1})
    engine = make_engine(tmp_path, executor)
    source = page("a.md", fence("good"), fence("bad"))
    engine.prepare([source])
    assert executor.jobs == [["bad"]]
    good, bad = engine.plan(source).blocks
    assert engine.result_for(good.block, source).origin == "cached"
    assert [failure.block.code for failure in engine.failures()] == ["bad"]
    assert bad.block.code == "bad"


def test_execution_off_uses_stored_results_else_not_executed(tmp_path: Path) -> None:
    make_engine(tmp_path, RecordingExecutor()).prepare([page("a.md", fence("kept"))])
    executor = RecordingExecutor()
    engine = make_engine(tmp_path, executor, execute=False)
    source = page("a.md", fence("kept"), fence("new"))
    engine.prepare([source])
    assert executor.jobs == []
    kept, new = engine.plan(source).blocks
    assert engine.result_for(kept.block, source).origin == "cached"
    assert engine.result_for(new.block, source).origin == "not-executed"
    assert engine.report.counts()["not-executed"] == 1


def test_frozen_blocks_read_their_recording_and_record_when_missing(tmp_path: Path) -> None:
    executor = RecordingExecutor()
    engine = make_engine(tmp_path, executor)
    source = page("a.md", fence("docker ps", 'freeze="on" id="ps"'))
    engine.prepare([source])
    assert executor.jobs == [["docker ps"]]
    frozen = FrozenResults(tmp_path / "frozen")
    assert [(r.page, r.block_id, r.code) for r in frozen.recordings()] == [
        ("a.md", "ps", "docker ps")
    ]
    assert stored_outputs(tmp_path) == []  # a recording, not a cache entry

    (found,) = engine.plan(source).blocks
    frozen.put("a.md", "ps", Result("recorded elsewhere", 0), block=found.block)
    later = make_engine(tmp_path, RecordingExecutor())
    result = later.result_for(found.block, source)
    assert (result.output, result.origin) == ("recorded elsewhere", "frozen")
    assert result.provenance is not None  # recorded where and when


def test_a_frozen_block_edited_since_its_recording_shows_it_with_a_warning(
    tmp_path: Path,
) -> None:
    recorded = page("a.md", "# Title\n", fence("docker ps", 'freeze="on" id="ps"'))
    make_engine(tmp_path, RecordingExecutor()).prepare([recorded])
    warnings: list[BlockError] = []
    executor = RecordingExecutor()
    engine = make_engine(tmp_path, executor, warnings=warnings)
    edited = page("a.md", "# Title\n", fence("docker ps -a", 'freeze="on" id="ps"'))
    (found,) = engine.plan(edited).blocks
    assert engine.result_for(found.block, edited).output == "docker ps"
    assert executor.jobs == []
    (warning,) = warnings
    assert str(warning.location) == "a.md:3"
    assert "made by other code" in warning.message
    assert "fencerun freeze --refresh --page a.md" in warning.hint


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


def test_a_display_edit_reuses_the_stored_result_and_a_running_edit_reruns(
    tmp_path: Path,
) -> None:
    make_engine(tmp_path, RecordingExecutor()).prepare([page("a.md", fence("x"))])
    executor = RecordingExecutor()
    engine = make_engine(tmp_path, executor)
    engine.prepare(
        [
            page("a.md", "Prose added.\n", fence("x", 'source="above" title="t" result="text"')),
            page("b.md", fence("x", 'timeout="5"')),
        ]
    )
    assert executor.jobs == [["x"]]
    assert engine.report.counts()["run"] == 0  # nothing rendered yet


def test_the_environment_the_site_gives_blocks_is_part_of_their_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FENCERUN_TEST_TOKEN", "one")
    source = page("a.md", fence("x"))

    def jobs(extra: dict[str, str] | None = None, passed: tuple[str, ...] = ()) -> list[list[str]]:
        executor = RecordingExecutor()
        settings = replace(
            make_engine(tmp_path, executor).settings, env_extra=extra or {}, env_pass=passed
        )
        Engine(settings, executor_factory=lambda _: executor).prepare([source])
        return executor.jobs

    assert jobs() == [["x"]]
    assert jobs() == []
    assert jobs({"GREETING": "hi"}) == [["x"]]
    assert jobs({"GREETING": "hi"}, ("FENCERUN_TEST_TOKEN",)) == [["x"]]
    assert jobs({"GREETING": "hi"}, ("FENCERUN_TEST_TOKEN",)) == []
    monkeypatch.setenv("FENCERUN_TEST_TOKEN", "two")
    assert jobs({"GREETING": "hi"}, ("FENCERUN_TEST_TOKEN",)) == [["x"]]
    monkeypatch.setenv("NOT_GIVEN_TO_BLOCKS", "anything")
    assert jobs({"GREETING": "hi"}, ("FENCERUN_TEST_TOKEN",)) == []


def test_a_rebuild_with_another_environment_reruns_blocks(tmp_path: Path) -> None:
    executor = RecordingExecutor()
    engine = make_engine(tmp_path, executor)
    source = page("a.md", fence("x"))
    engine.prepare([source])
    engine.start_build(replace(engine.settings, env_extra={"GREETING": "hi"}))
    engine.prepare([source])
    assert executor.jobs == [["x"], ["x"]]


def test_the_key_environment_is_what_blocks_see_of_the_chosen_variables() -> None:
    settings = Settings(
        project_dir=Path("."),
        cache_dir=Path("cache"),
        frozen_dir=Path("frozen"),
        env_extra={"SET": "by config", "BOTH": "config wins"},
        env_pass=("PASSED", "BOTH", "UNSET"),
    )
    environ = {"PASSED": "from build", "BOTH": "from build", "OTHER": "secret", "PATH": "/bin"}
    assert key_environment(settings, environ) == {
        "SET": "by config",
        "BOTH": "config wins",
        "PASSED": "from build",
    }


def test_finishing_a_build_writes_the_report_and_records_the_keys_it_used(
    tmp_path: Path,
) -> None:
    engine = make_engine(tmp_path, RecordingExecutor({"bad": 1}))
    source = page("a.md", fence("good"), fence("bad"), fence("not rendered"))
    engine.prepare([source])
    good, _bad, _not_rendered = engine.plan(source).blocks
    engine.result_for(good.block, source)
    report = engine.finish_build(succeeded=False)
    assert report.counts()["run"] == 2 and report.counts()["failed"] == 1
    written = json.loads((tmp_path / "cache" / REPORT_FILE).read_text(encoding="utf-8"))
    assert written["counts"]["failed"] == 1
    store = ResultStore(tmp_path / "cache")
    assert store.builds.paths() == []  # a failed build is no guide to what to keep

    engine.start_build(engine.settings)
    only_good = page("a.md", fence("good"))
    engine.prepare([only_good])
    (found,) = engine.plan(only_good).blocks
    engine.result_for(found.block, only_good)
    engine.finish_build(succeeded=True)
    [good_key] = [
        key for key in store.stored_keys() if store.get(key) == Result("good", 0, origin="cached")
    ]
    assert store.builds.keys_of_recent()[0] == {good_key}


def test_a_result_that_cannot_be_stored_is_a_warning_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "cache").write_text("a file where the cache folder should be")
    warnings: list[BlockError] = []
    engine = make_engine(tmp_path, RecordingExecutor(), warnings=warnings)
    source = page("a.md", fence("x"))
    engine.prepare([source])
    (found,) = engine.plan(source).blocks
    assert engine.result_for(found.block, source).output == "x"
    assert warnings, "the unusable cache folder went unreported"
    assert all(str(warning.location) == "a.md:1" for warning in warnings)
    assert "cannot be kept or read between builds" in warnings[-1].message


def journal_files(cache: Path) -> list[str]:
    """SQLite's -wal and -shm files beside the store: there while it is open."""
    return sorted(path.name for path in cache.glob("results.sqlite-*"))


def test_a_finished_build_leaves_the_store_as_one_file(tmp_path: Path) -> None:
    engine = make_engine(tmp_path, RecordingExecutor())
    source = page("a.md", fence("x"))
    engine.prepare([source])
    (found,) = engine.plan(source).blocks
    engine.result_for(found.block, source)
    assert journal_files(tmp_path / "cache") != []
    engine.finish_build(succeeded=True)
    # The engine lives on (`mkdocs serve`), the store is closed: a copy taken now is whole.
    assert journal_files(tmp_path / "cache") == []
    assert stored_outputs(tmp_path) == ["x"]


def test_a_block_ending_after_its_failed_build_is_stored_and_closed_with_the_engine(
    tmp_path: Path,
) -> None:
    pending: list[Future[Result]] = []

    class PendingExecutor(RecordingExecutor):
        def submit(self, job: Sequence[Block]) -> list[Future[Result]]:
            pending.extend(Future() for _ in job)
            return pending[-len(job) :]

    engine = make_engine(tmp_path, PendingExecutor())
    engine.prepare([page("a.md", fence("late"))])
    engine.finish_build(succeeded=False)  # a build stopped by another page's failure
    engine.start_build(engine.settings)  # and `mkdocs serve` has begun the next one
    pending[0].set_result(Result("late", 0))
    assert journal_files(tmp_path / "cache") != []  # the store opened again to keep it
    engine.close()
    assert journal_files(tmp_path / "cache") == []
    assert stored_outputs(tmp_path) == ["late"]


def test_close_stops_the_executor_and_a_later_build_gets_a_new_one(tmp_path: Path) -> None:
    made: list[RecordingExecutor] = []

    def factory(_: Settings) -> RecordingExecutor:
        made.append(RecordingExecutor())
        return made[-1]

    settings = Settings(project_dir=tmp_path, cache_dir=tmp_path, frozen_dir=tmp_path)
    engine = Engine(settings, executor_factory=factory)
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
    assert engine.report.counts()["run"] == 0


@pytest.mark.parametrize(
    ("execute", "stored", "started"),
    [(True, False, True), (True, True, False), (False, False, False)],
)
def test_workers_start_early_only_when_every_block_will_run(
    tmp_path: Path, execute: bool, stored: bool, started: bool
) -> None:
    made: list[RecordingExecutor] = []

    def factory(_: Settings) -> RecordingExecutor:
        made.append(RecordingExecutor())
        return made[-1]

    settings = Settings(
        project_dir=tmp_path, cache_dir=tmp_path / "cache", frozen_dir=tmp_path, execute=execute
    )
    if stored:
        ResultStore(settings.cache_dir).put("a" * 64, Result(output="kept\n", returncode=0))
    engine = Engine(settings, executor_factory=factory)
    engine.start_workers_if_cold()
    assert len(made) == (1 if started else 0)
    engine.prepare([page("a.md", fence("one"))])
    # Started early or not, a build uses one executor.
    assert len(made) == (1 if execute else 0)


def test_a_serve_rebuild_runs_a_block_again_when_the_file_it_includes_changed(
    tmp_path: Path,
) -> None:
    executor = RecordingExecutor()
    settings = Settings(
        project_dir=tmp_path,
        cache_dir=tmp_path / "cache",
        frozen_dir=tmp_path / "frozen",
        snippets={"base_path": [str(tmp_path)], "check_paths": True},
    )
    engine = Engine(settings, executor_factory=lambda _: executor)
    included = tmp_path / "example.py"
    source = page("a.md", fence('--8<-- "example.py"'))
    for text in ("print('first')", "print('first')", "print('edited')"):
        included.write_text(text + "\n", encoding="utf-8")
        engine.start_build(settings)
        engine.prepare([source])
        (found,) = engine.plan(source).blocks
        assert engine.result_for(found.block, source).output == text + "\n"
    assert executor.jobs == [["print('first')\n"], ["print('edited')\n"]]


def test_a_literate_block_naming_a_session_is_never_part_of_its_jobs(tmp_path: Path) -> None:
    executor = RecordingExecutor()
    engine = make_engine(tmp_path, executor)
    literate = '```md exec="on" session="s"\n**shown**\n```\n'
    source = page("a.md", fence("a = 1", 'session="s"'), literate, fence("a", 'session="s"'))
    engine.prepare([source])
    assert executor.jobs == [["a = 1", "a"]]
