"""Progress while blocks run: a bar on a terminal, a few plain lines elsewhere.

On a terminal (and not in CI) a tqdm bar counts finished blocks; it only appears when blocks
take a moment and it erases itself when they are all done, so a quick rebuild prints nothing.
In CI (CI=true), in a pipe or with TERM=dumb, a line is written at each tenth of the work and
at least every few seconds, so a log shows progress without a line per block.

One bar for a whole build: static-i18n builds each language after the other, so the build
says up front how many blocks all of them will run (`expect`), and the bar's total covers
them all from the start instead of ending once per language.

Usage::

    progress = BlockProgress(emit=log.info)    # emit: where plain lines go
    progress.expect(58)                        # blocks the whole build will run, if known
    progress.watch(executor.submit(job), expected=len(job))  # counts them as they finish
    ...
    progress.close()                           # end of the build
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from tqdm import tqdm

PLAIN_LINE_EVERY_S = 5.0
PLAIN_LINE_STEPS = 10  # a line at each tenth of the blocks
BAR_DELAY_S = 0.5  # no bar for work that ends sooner


def wants_bar(stream: TextIO, environ: Mapping[str, str]) -> bool:
    """A bar only where a person watches a terminal: not in CI, not in a pipe or dumb terminal."""
    if environ.get("CI", "").strip().lower() in ("true", "1", "yes"):
        return False
    if environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class BlockProgress:
    def __init__(
        self,
        *,
        stream: TextIO | None = None,
        emit: Callable[[str], None] | None = None,
        environ: Mapping[str, str] = os.environ,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._stream = stream if stream is not None else sys.stderr
        self._emit = emit if emit is not None else self._print
        self._bar_wanted = wants_bar(self._stream, environ)
        self._clock = clock
        self._lock = threading.Lock()
        self._bar: tqdm[Any] | None = None
        self.total = 0
        self.finished = 0
        self._last_line_at = clock()
        self._last_line_count = 0

    def add(self, count: int = 1) -> None:
        """`count` more blocks were started."""
        with self._lock:
            self.total += count
            if self._bar_wanted:
                bar = self._open_bar()
                bar.total = self.total
                bar.refresh()

    def expect(self, total: int) -> None:
        """At least `total` blocks will run in this build, counting those started so far."""
        with self._lock:
            self.total = max(self.total, total)
            if self._bar is not None:
                self._bar.total = self.total
                self._bar.refresh()

    def done(self, count: int = 1) -> None:
        """`count` blocks finished."""
        with self._lock:
            self.finished += count
            if self._bar_wanted:
                if self._bar is not None:
                    self._bar.update(count)
                    if self.finished >= self.total:
                        self._close_bar()
            elif self._line_due():
                self._last_line_at = self._clock()
                self._last_line_count = self.finished
                self._emit(f"fencerun: {self.finished}/{self.total} blocks done")

    def watch(self, futures: Iterable[Future[Any]], *, expected: int = 0) -> None:
        """Counts each future as a started block, and as done when it finishes; `expected`
        of them are already in the total (`expect`)."""
        started = list(futures)
        self.add(len(started) - expected)
        for future in started:
            future.add_done_callback(lambda _: self.done())

    def close(self) -> None:
        with self._lock:
            self._close_bar()

    def _open_bar(self) -> tqdm[Any]:
        if self._bar is None:
            # Imported here: a build in CI or a pipe never draws a bar.
            from tqdm import tqdm

            self._bar = tqdm(
                total=self.total,
                initial=self.finished,
                desc="fencerun",
                unit="block",
                file=self._stream,
                leave=False,
                delay=BAR_DELAY_S,
                dynamic_ncols=True,
            )
        return self._bar

    def _close_bar(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def _line_due(self) -> bool:
        if self.finished >= self.total:
            return True
        step = max(1, self.total // PLAIN_LINE_STEPS)
        if self.finished - self._last_line_count >= step:
            return True
        return self._clock() - self._last_line_at >= PLAIN_LINE_EVERY_S

    def _print(self, line: str) -> None:
        print(line, file=self._stream, flush=True)
