"""Progress: a bar on a terminal, a few plain lines in CI or a pipe."""

from __future__ import annotations

import io
from concurrent.futures import Future

import pytest
from fencerun.progress import BlockProgress, wants_bar


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("stream", "environ", "bar"),
    [
        (Terminal(), {}, True),
        (Terminal(), {"CI": "true"}, False),
        (Terminal(), {"TERM": "dumb"}, False),
        (io.StringIO(), {}, False),
    ],
    ids=["terminal", "ci", "dumb terminal", "pipe"],
)
def test_a_bar_shows_only_on_a_terminal_outside_ci(
    stream: io.StringIO, environ: dict[str, str], bar: bool
) -> None:
    assert wants_bar(stream, environ) is bar


def test_plain_lines_come_at_each_tenth_and_at_the_end() -> None:
    lines: list[str] = []
    progress = BlockProgress(stream=io.StringIO(), emit=lines.append, environ={}, clock=lambda: 0.0)
    progress.add(40)
    for _ in range(40):
        progress.done()
    assert lines[0] == "fencerun: 4/40 blocks done"
    assert lines[-1] == "fencerun: 40/40 blocks done"
    assert len(lines) == 10


def test_a_plain_line_comes_after_a_few_seconds_even_between_tenths() -> None:
    now = [0.0]
    lines: list[str] = []
    progress = BlockProgress(
        stream=io.StringIO(), emit=lines.append, environ={}, clock=lambda: now[0]
    )
    progress.add(100)
    progress.done()
    assert lines == []
    now[0] = 6.0
    progress.done()
    assert lines == ["fencerun: 2/100 blocks done"]


def test_watched_futures_count_as_they_finish() -> None:
    lines: list[str] = []
    progress = BlockProgress(stream=io.StringIO(), emit=lines.append, environ={"CI": "true"})
    futures: list[Future[int]] = [Future(), Future()]
    progress.watch(futures)
    assert (progress.total, progress.finished) == (2, 0)
    for future in futures:
        future.set_result(0)
    assert progress.finished == 2
    assert lines[-1] == "fencerun: 2/2 blocks done"


def test_on_a_terminal_no_plain_lines_are_written() -> None:
    lines: list[str] = []
    progress = BlockProgress(stream=Terminal(), emit=lines.append, environ={})
    progress.add(3)
    for _ in range(3):
        progress.done()
    progress.close()
    assert lines == []
    assert progress.finished == 3
