"""Orchestration: find -> plan -> run -> store -> render, for all pages of a build.

`prepare` reads every page up front and submits each block whose result is not known yet, so
blocks run in parallel while MkDocs is still reading files; `result_for` then waits for one
result when its page renders. Results are memoized by key for the life of the engine, so a
block runs at most once however many times its page is rendered (blog index, archive and
category pages; every language static-i18n builds).
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import asdict, dataclass, field, replace
from typing import Protocol

from fencerun.config import Settings
from fencerun.errors import BlockError, BlockFailure, failure_of
from fencerun.fences import FoundBlock, PageFences, scan_page
from fencerun.model import Block, Result
from fencerun.options import LITERATE


class ExecutorLike(Protocol):
    def submit(self, job: Sequence[Block]) -> list[Future[Result]]: ...
    def close(self) -> None: ...
    def protections_summary(self) -> str: ...


class ResultStoreLike(Protocol):
    def get(self, key: str) -> Result | None: ...
    def put(self, key: str, result: Result) -> None: ...


class FrozenResultsLike(Protocol):
    def get(self, page: str, block_id: str) -> Result | None: ...
    def put(self, page: str, block_id: str, result: Result) -> None: ...


KeyFunction = Callable[[Block, Sequence[Block]], str]

_NOT_EXECUTED = Result(output="", returncode=0, origin="not-executed")


@dataclass(frozen=True)
class PageSource:
    """A page as the engine reads it: its body without front matter, and where that starts."""

    path: str  # relative to the docs folder
    markdown: str
    first_line: int = 1


@dataclass
class Tally:
    """What this build did with its blocks, each unique block counted once."""

    run: int = 0
    reused: int = 0
    frozen: int = 0
    failed: int = 0
    not_executed: int = 0
    block_seconds: float = 0.0
    started: float = field(default_factory=time.monotonic)
    slowest: list[tuple[float, str]] = field(default_factory=list)

    def count(self, block: Block, result: Result) -> None:
        if block.language == LITERATE:
            return  # shown, never run
        if failure_of(block, result) is not None:
            self.failed += 1
        elif result.origin == "cached":
            self.reused += 1
        elif result.origin == "frozen":
            self.frozen += 1
        elif result.origin == "not-executed":
            self.not_executed += 1
        else:
            self.run += 1
        if result.origin == "live" and result.provenance is not None:
            self.block_seconds += result.provenance.duration_s
            self.slowest.append((result.provenance.duration_s, str(block.location)))
            self.slowest = sorted(self.slowest, reverse=True)[:5]

    def summary_line(self) -> str:
        parts = [f"{self.run} run", f"{self.reused} reused"]
        if self.frozen:
            parts.append(f"{self.frozen} frozen")
        if self.not_executed:
            parts.append(f"{self.not_executed} not executed")
        parts.append(f"{self.failed} failed")
        elapsed = time.monotonic() - self.started
        return (
            f"blocks {', '.join(parts)}; "
            f"{self.block_seconds:.1f} s of block time in {elapsed:.1f} s"
        )


class Engine:
    def __init__(
        self,
        settings: Settings,
        *,
        executor_factory: Callable[[Settings], ExecutorLike],
        key: KeyFunction,
        store: ResultStoreLike | None = None,
        frozen: FrozenResultsLike | None = None,
    ) -> None:
        self.settings = settings
        self._executor_factory = executor_factory
        self._executor: ExecutorLike | None = None
        self._key = key
        self._store = store
        self._frozen = frozen
        self._lock = threading.Lock()
        self._pages: dict[tuple[str, str, int], PageFences] = {}
        self._keys: dict[Block, str] = {}
        self._slots: dict[str, tuple[Block, Future[Result]]] = {}
        self._counted: set[str] = set()
        self.tally = Tally()

    # -- find and plan -------------------------------------------------------------------

    def plan(self, page: PageSource) -> PageFences:
        """The page's fences, parsed once per text; a malformed block raises BlockError."""
        cache_key = (page.path, page.markdown, page.first_line)
        fences = self._pages.get(cache_key)
        if fences is None:
            fences = scan_page(
                page.markdown,
                page.path,
                first_line=page.first_line,
                markdown_default=self.settings.markdown_default,
            )
            self._check_sessions(fences.blocks)
            for found in fences.blocks:
                self._check_workdir(found.block)
            for found in fences.blocks:
                session = [b for b in _blocks(fences) if _same_session(b, found.block)]
                earlier = session[: session.index(found.block)]
                self._keys[found.block] = self._key(found.block, earlier)
            self._pages[cache_key] = fences
        return fences

    def _check_workdir(self, block: Block) -> None:
        workdir = block.options.workdir
        if workdir and not (self.settings.project_dir / workdir).is_dir():
            raise BlockError(
                block.location,
                f'workdir="{workdir}" is not a folder of the project',
                "workdir is relative to the folder of mkdocs.yml; create it or fix the path",
            )

    @staticmethod
    def _check_sessions(blocks: Sequence[FoundBlock]) -> None:
        for found in blocks:
            options = found.block.options
            if options.freeze and options.session:
                raise BlockError(
                    found.block.location,
                    "a frozen block cannot be part of a session",
                    "later blocks of the session would miss the state it builds; "
                    "remove freeze or session",
                )

    # -- run -----------------------------------------------------------------------------

    def prepare(self, pages: Iterable[PageSource]) -> None:
        """Plan every page and start every block that has no known result yet."""
        for page in pages:
            fences = self.plan(page)
            for found in fences.blocks:
                self._ensure(found.block, fences)

    def result_for(self, block: Block, page: PageSource) -> Result:
        """The block's result, waiting for it if it still runs; counted once per build."""
        fences = self.plan(page)
        slot = self._ensure(block, fences)
        result = self._slots[slot][1].result()
        with self._lock:
            if slot not in self._counted:
                self._counted.add(slot)
                self.tally.count(block, result)
        return result

    def failures(self) -> list[BlockFailure]:
        """Every failure among the blocks started so far, waiting for all of them to end."""
        failed = []
        for fences in list(self._pages.values()):
            for found in fences.blocks:
                entry = self._slots.get(self._slot(found.block))
                if entry is None:
                    continue
                failure = failure_of(found.block, entry[1].result())
                if failure is not None:
                    failed.append(failure)
        return failed

    def _slot(self, block: Block) -> str:
        if block.options.freeze:
            return f"frozen:{block.location.path}:{frozen_id(block)}"
        return self._keys[block]

    def _ensure(self, block: Block, fences: PageFences) -> str:
        """Makes sure the block's result is known or on its way; returns its slot."""
        slot = self._slot(block)
        with self._lock:
            if slot in self._slots:
                return slot
            # A session block needs every earlier block of its session to run before it, in
            # one job; earlier blocks whose results are known keep those results.
            group = [b for b in _blocks(fences) if _same_session(b, block)]
            missing = []
            for member in group:
                member_slot = self._slot(member)
                if member_slot in self._slots:
                    continue
                known = self._known_result(member)
                if known is not None:
                    self._slots[member_slot] = (member, _done(known))
                elif not self.settings.execute:
                    self._slots[member_slot] = (member, _done(_NOT_EXECUTED))
                else:
                    missing.append(member)
            if missing:
                self._submit(group[: group.index(missing[-1]) + 1])
        return slot

    def _known_result(self, block: Block) -> Result | None:
        if block.language == LITERATE:
            return Result(block.code, 0)
        if block.options.freeze and self._frozen is not None:
            recorded = self._frozen.get(block.location.path, frozen_id(block))
            if recorded is not None:
                return replace(recorded, origin="frozen")
        if self._store is not None:
            stored = self._store.get(self._keys[block])
            if stored is not None:
                return replace(stored, origin="cached")
        return None

    def _submit(self, job: list[Block]) -> None:
        if self._executor is None:
            self._executor = self._executor_factory(self.settings)
        futures = self._executor.submit(job)
        for member, future in zip(job, futures, strict=True):
            slot = self._slot(member)
            if slot not in self._slots:
                self._slots[slot] = (member, future)
                future.add_done_callback(self._keeper(member))

    def _keeper(self, block: Block) -> Callable[[Future[Result]], None]:
        def keep(future: Future[Result]) -> None:
            if future.cancelled() or future.exception() is not None:
                return
            result = future.result()
            if failure_of(block, result) is not None:
                return
            if self._store is not None:
                self._store.put(self._keys[block], result)
            if block.options.freeze and self._frozen is not None:
                self._frozen.put(block.location.path, frozen_id(block), result)

        return keep

    # -- builds --------------------------------------------------------------------------

    def start_build(self, settings: Settings) -> None:
        """A new top-level build (a `mkdocs serve` rebuild too): failed blocks get another go."""
        if _executor_settings(settings) != _executor_settings(self.settings):
            self.close()
        self.settings = settings
        with self._lock:
            for slot, (block, future) in list(self._slots.items()):
                if not future.done() or _worth_retrying(block, future):
                    self._slots.pop(slot)
                else:
                    # Kept from an earlier build: reused now, not run.
                    self._slots[slot] = (block, _done(_reused(future.result())))
            self._counted.clear()
            self._pages.clear()
        self.tally = Tally()

    def protections_summary(self) -> str:
        return self._executor.protections_summary() if self._executor else ""

    def close(self) -> None:
        """Stops every process the executor started. The engine can be used again afterwards."""
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.close()


def frozen_id(block: Block) -> str:
    """Which recorded output a frozen block reads: its id, or its position in the page."""
    return block.options.id or f"block-{block.index + 1}"


def interim_key(block: Block, session_prefix: Sequence[Block], *, environment: Mapping[str, str],
                interpreter: str, plugin_version: str) -> str:  # fmt: skip
    """A key over what changes a block's output, until the store's own block_key is in place."""
    running = asdict(block.options)
    for display_only in ("source", "result", "html", "markdown", "tabs", "title", "id",
                         "idprefix", "updatetoc", "provenance", "freeze"):  # fmt: skip
        running.pop(display_only)
    payload = {
        "language": block.language,
        "code": block.code,
        "options": running,
        "session": [(b.language, b.code) for b in session_prefix],
        "environment": dict(sorted(environment.items())),
        "interpreter": interpreter,
        "plugin": plugin_version,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _blocks(fences: PageFences) -> list[Block]:
    return [found.block for found in fences.blocks]


def _same_session(candidate: Block, block: Block) -> bool:
    if not block.options.session:
        return candidate == block
    return candidate.options.session == block.options.session


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
    return result.origin == "not-executed" or failure_of(block, result) is not None


def _executor_settings(settings: Settings) -> tuple[object, ...]:
    return (settings.project_dir, settings.workers, settings.timeout, settings.max_output_bytes)
