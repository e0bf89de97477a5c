"""Orchestration: find -> key -> run -> store -> render, for all pages of a build.

Finding and keying a page's blocks is the planner's (`planner.py`); the engine runs what is
not known yet and keeps what passes.

`prepare` reads every page up front and submits each block whose result is not known yet, so
blocks run in parallel while MkDocs is still reading files; `result_for` then waits for one
result when its page renders. A result is known when the result store holds it from an
earlier build, when a frozen block has a recording, or when this engine already has it:
results are memoized by key for the life of the engine, so a block runs at most once however
many times its page is rendered (blog index, archive and category pages; every language
static-i18n builds), and a `mkdocs serve` rebuild takes them from memory.

Usage::

    engine = Engine(settings, executor_factory=Executor.for_settings)
    engine.prepare(pages)                         # every page, before any renders
    result = engine.result_for(block, page)       # once per rendering
    report = engine.finish_build(succeeded=True)  # report written, used keys recorded
    engine.start_build(settings)                  # the next build (`mkdocs serve`)
    engine.close()                                # no block process outlives this
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from dataclasses import replace
from pathlib import Path
from typing import Protocol

from fencerun.commands import missing_commands
from fencerun.errors import BlockError, BlockFailure, failure_of
from fencerun.fences import PageFences
from fencerun.freeze import FrozenResults, frozen_id
from fencerun.includes import SnippetIncluder
from fencerun.isolation.project_view import ProjectView
from fencerun.model import Block, PageSource, Result
from fencerun.options import LITERATE
from fencerun.planner import PagePlanner, job_for, session_of
from fencerun.progress import BlockProgress
from fencerun.report import REPORT_FILE, BuildReport
from fencerun.settings import Settings
from fencerun.store import ResultStore


class ExecutorLike(Protocol):
    def submit(self, job: Sequence[Block]) -> list[Future[Result]]: ...
    def close(self) -> None: ...
    def protections_summary(self) -> str: ...


Warn = Callable[[BlockError], None]

_NOT_EXECUTED = Result(output="", returncode=0, origin="not-executed")


def _log_warning(problem: BlockError) -> None:
    logging.getLogger("fencerun").warning("fencerun: %s", problem.describe())


class Engine:
    def __init__(
        self,
        settings: Settings,
        *,
        executor_factory: Callable[[Settings], ExecutorLike],
        warn: Warn = _log_warning,
        progress_lines: Callable[[str], None] | None = None,
    ) -> None:
        """`warn` gets problems that do not stop the build (a stale recording, a result that
        could not be written); `progress_lines` gets the progress lines written where no
        progress bar can be drawn (CI, pipes)."""
        self._executor_factory = executor_factory
        self._executor: ExecutorLike | None = None
        self._warn = warn
        self._progress_lines = progress_lines
        self._planner = PagePlanner(settings)
        self._lock = threading.Lock()
        # Every result known to this engine, by slot (see _slot), across builds.
        self._slots: dict[str, tuple[Block, Future[Result]]] = {}
        self._store = ResultStore(settings.cache_dir)
        self._open_build(settings)

    def _open_build(self, settings: Settings) -> None:
        """The state of one top-level build."""
        self.settings = settings
        # One store object per folder for the engine's life: a block of an earlier build
        # that ends late stores its result through it, and `close` closes it.
        if self._store.folder != settings.cache_dir:
            self._store.close()
            self._store = ResultStore(settings.cache_dir)
        self._frozen = FrozenResults(settings.frozen_dir)
        self._used: set[str] = set()  # slots this build asked for
        self._counted: set[str] = set()  # slots already in the report
        self._expected: set[str] = set()  # slots in the progress bar's total
        self.report = BuildReport(settings.docs_label)
        self._progress = BlockProgress(emit=self._progress_lines)
        self._finished = False

    # -- find and plan (planner.py) ------------------------------------------------------

    def plan(self, page: PageSource) -> PageFences:
        """The page's fences, parsed once per text; a malformed block raises BlockError."""
        return self._planner.plan(page)

    @property
    def include(self) -> SnippetIncluder | None:
        """What takes in the files block bodies include; None without pymdownx.snippets."""
        return self._planner.include

    @property
    def view(self) -> ProjectView:
        """What of the project blocks may see, write and publish, in this build."""
        return self._planner.view

    # -- run -----------------------------------------------------------------------------

    def prepare(self, pages: Iterable[PageSource]) -> None:
        """Plan every page and start every block that has no known result yet."""
        for page in pages:
            fences = self.plan(page)
            for found in fences.blocks:
                self._ensure(found.block, fences)

    def result_for(self, block: Block, page: PageSource) -> Result:
        """The block's result, waiting for it if it still runs; reported once per build."""
        fences = self.plan(page)
        slot = self._ensure(block, fences)
        result = self._slots[slot][1].result()
        self._count(slot, block, result)
        return result

    def expect(self, pages: Iterable[PageSource]) -> None:
        """Counts the blocks `pages` will run, for the progress bar's total. Given every
        page of the build in every language up front, the bar covers the whole build
        (static-i18n builds the other languages later). Runs nothing and reports nothing:
        a page that cannot be planned is the build's to report when it gets there."""
        if not self.settings.execute:
            return
        for page in pages:
            try:
                fences = self.plan(page)
            except BlockError:
                continue
            for found in fences.blocks:
                group = session_of(found.block, fences)
                missing = [m for m in group if not self._known_without_running(m)]
                self._expected.update(self._slot(member) for member in job_for(group, missing))
        self._progress.expect(len(self._expected))

    def _known_without_running(self, block: Block) -> bool:
        """Whether the block's result is known already; asks quietly (no warnings)."""
        if self._slot(block) in self._slots or block.language == LITERATE:
            return True
        if block.options.freeze:
            # Whether there is a recording; reading it would warn a second time if damaged.
            return self._frozen.path_for(block.location.path, frozen_id(block)).is_file()
        return self._stored(block, warn=False) is not None

    def failures(self) -> list[BlockFailure]:
        """Every failure among the blocks started so far, waiting for all of them to end;
        one for each block that ran, however many pages or languages show it."""
        failed = []
        listed: set[str] = set()
        for fences in self._planner.planned():
            for found in fences.blocks:
                slot = self._slot(found.block)
                entry = self._slots.get(slot)
                if entry is None or slot in listed:
                    continue
                listed.add(slot)
                result = entry[1].result()
                self._count(slot, found.block, result)
                failure = failure_of(found.block, result)
                if failure is not None:
                    failed.append(failure)
        return failed

    def _slot(self, block: Block) -> str:
        if block.options.freeze:
            return f"frozen:{block.location.path}:{frozen_id(block)}"
        return self._planner.keys[block]

    def _ensure(self, block: Block, fences: PageFences) -> str:
        """Makes sure the block's result is known or on its way; returns its slot."""
        slot = self._slot(block)
        with self._lock:
            self._used.add(slot)
            if slot in self._slots:
                return slot
            # A session block needs every earlier block of its session to run before it, in
            # one job; earlier blocks whose results are known keep those results.
            group = session_of(block, fences)
            missing = []
            for member in group:
                member_slot = self._slot(member)
                if member_slot in self._slots:
                    continue
                known = self._known_result(member)
                if known is not None:
                    self._slots[member_slot] = (member, _done(known))
                elif not self.settings.execute or not member.options.runs_here():
                    self._slots[member_slot] = (member, _done(_NOT_EXECUTED))
                else:
                    missing.append(member)
            if missing:
                self._submit(job_for(group, missing))
        return slot

    def _known_result(self, block: Block) -> Result | None:
        if block.language == LITERATE:
            return Result(block.code, 0)
        if block.options.freeze:
            return self._recorded(block)
        return self._stored(block, warn=True)

    def _stored(self, block: Block, *, warn: bool) -> Result | None:
        try:
            return self._store.get(self._planner.keys[block])
        except OSError as error:
            if warn:
                self._warn(_unusable_store(block, error))
            return None

    def _recorded(self, block: Block) -> Result | None:
        page, block_id = block.location.path, frozen_id(block)
        recorded = self._frozen.get(page, block_id)
        if recorded is not None and self._frozen.is_stale(page, block_id, block):
            where = os.path.relpath(
                self._frozen.path_for(page, block_id), self.settings.project_dir
            )
            self._warn(
                BlockError(
                    block.location,
                    f'the recorded output of frozen block "{block_id}" was made by other code '
                    "(the block changed since it was recorded); the old output is shown",
                    f"run `fencerun freeze --refresh --page {page}` where the block can run, "
                    f"then commit {Path(where).as_posix()}",
                )
            )
        return recorded

    def _submit(self, job: list[Block]) -> None:
        if self._executor is None:
            self._executor = self._executor_factory(self.settings)
        futures = self._executor.submit(job)
        slots = [self._slot(member) for member in job]
        self._progress.watch(futures, expected=sum(slot in self._expected for slot in slots))
        self._expected.update(slots)
        for member, future in zip(job, futures, strict=True):
            slot = self._slot(member)
            if slot not in self._slots:
                self._slots[slot] = (member, future)
                future.add_done_callback(self._keeper(member))

    def _keeper(self, block: Block) -> Callable[[Future[Result]], None]:
        """Keeps a passing result: in the store, or as the recording of a frozen block."""
        key, store, frozen = self._planner.keys[block], self._store, self._frozen

        def keep(future: Future[Result]) -> None:
            if future.cancelled() or future.exception() is not None:
                return
            result = future.result()
            if failure_of(block, result) is not None or lacked_a_command(result):
                return
            try:
                if block.options.freeze:
                    frozen.put(block.location.path, frozen_id(block), result, block=block)
                else:
                    store.put(key, result)
            except OSError as error:
                self._warn(_unusable_store(block, error))

        return keep

    def _count(self, slot: str, block: Block, result: Result) -> None:
        with self._lock:
            if slot in self._counted:
                return
            self._counted.add(slot)
        key = "" if block.options.freeze else self._planner.keys.get(block, "")
        self.report.add(block, result, key=key)

    # -- builds --------------------------------------------------------------------------

    def finish_build(self, *, succeeded: bool) -> BuildReport:
        """Ends the build's report and writes it beside the results (`fencerun report`
        reads it); a build that succeeded also records the keys it used (for
        `fencerun prune`). Never waits for a block. Raises OSError when the cache folder
        cannot be written."""
        if self._finished:
            return self.report
        self._finished = True
        self._progress.close()
        with self._lock:
            used = [(slot, *self._slots[slot]) for slot in self._used if slot in self._slots]
        # Blocks started but not rendered (a failed build stops rendering) are reported too.
        for slot, block, future in used:
            if future.done() and not future.cancelled() and future.exception() is None:
                self._count(slot, block, future.result())
        self.report.finish()
        try:
            self.report.write(self.settings.cache_dir / REPORT_FILE)
            if succeeded:
                self._store.record_build(self.report.keys())
        finally:
            # The store's journal files go with the last connection: between builds the
            # folder holds one consistent file (a CI cache saves it after the build).
            self._store.close()
        return self.report

    def start_build(self, settings: Settings) -> None:
        """A new top-level build (a `mkdocs serve` rebuild too): failed blocks get another
        go, recordings are read again, and workdirs are fingerprinted afresh."""
        if _executor_settings(settings) != _executor_settings(self.settings):
            self.close()
        self._progress.close()
        with self._lock:
            for slot, (block, future) in list(self._slots.items()):
                if block.options.freeze or not future.done() or _worth_retrying(block, future):
                    self._slots.pop(slot)
                else:
                    # Kept from an earlier build: reused now, not run.
                    self._slots[slot] = (block, _done(_reused(future.result())))
        self._planner.start_build(settings)
        self._open_build(settings)

    def start_workers_if_cold(self) -> None:
        """With execution on and nothing stored yet, every block will run: start the
        workers now, while MkDocs reads the site, so that they are ready when the first
        page needs its blocks. Otherwise they start with the first block that runs."""
        if self._executor is None and self.settings.execute and not self._store.has_results():
            self._executor = self._executor_factory(self.settings)

    def protections_summary(self) -> str:
        return self._executor.protections_summary() if self._executor else ""

    def close(self) -> None:
        """Stops every process the executor started. The engine can be used again afterwards."""
        self._progress.close()
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.close()
        # After the executor: a block that ended meanwhile may have opened the store again.
        self._store.close()


def _unusable_store(block: Block, error: OSError) -> BlockError:
    return BlockError(
        block.location,
        f"its result cannot be kept or read between builds: {error}",
        "make the plugin's cache_dir and frozen_dir folders the build can write",
    )


def _done(result: Result) -> Future[Result]:
    future: Future[Result] = Future()
    future.set_result(result)
    return future


def _reused(result: Result) -> Result:
    return replace(result, origin="cached") if result.origin == "live" else result


def _worth_retrying(block: Block, future: Future[Result]) -> bool:
    if future.exception() is not None:
        return True
    result = future.result()
    if result.origin == "not-executed" or lacked_a_command(result):
        return True
    return failure_of(block, result) is not None


def lacked_a_command(result: Result) -> bool:
    """The shell could not find a command the block ran: the result says more about the
    machine at that moment than about the block, so it is shown but never kept or reused."""
    return bool(missing_commands(result.output) or missing_commands(result.stderr))


def _executor_settings(settings: Settings) -> tuple[object, ...]:
    return (
        settings.project_dir,
        settings.workers,
        settings.timeout,
        settings.max_output_bytes,
        settings.isolation_policy(),
        settings.written_dirs,
    )
