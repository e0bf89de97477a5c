"""Output is whole, in order, UTF-8 whatever the locale, capped, and free of private paths."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fencerun.isolation import IsolationPolicy
from fencerun.isolation.scrub import PathScrubber, build_private_paths
from fencerun.run import Executor
from fencerun.run.capture import OutputBuffer

from tests.fencerun.run.helpers import block, run, run_one

ORDER = (
    "import os, subprocess, sys\n"
    "print('1 print')\n"
    "print('2 stderr', file=sys.stderr)\n"
    "os.write(1, b'3 fd write\\n')\n"
    "subprocess.run(['sh', '-c', 'echo 4 child; echo 5 child err >&2'])\n"
    "import ctypes; ctypes.CDLL(None).puts(b'6 from C')\n"
    "print('7 last')\n"
)


def test_stdout_and_shown_stderr_keep_their_order(executor: Executor) -> None:
    lines = run_one(executor, "python", ORDER, stderr="show").output.splitlines()
    expected = ["1 print", "2 stderr", "3 fd write", "4 child", "5 child err", "6 from C", "7 last"]
    assert lines == expected


def test_a_python_blocks_stderr_is_kept_apart_from_its_output(executor: Executor) -> None:
    result = run_one(executor, "python", ORDER)
    assert result.output.splitlines() == ["1 print", "3 fd write", "4 child", "6 from C", "7 last"]
    assert result.stderr == "2 stderr\n5 child err\n"
    assert result.shown_output == result.output  # it succeeded: the page shows no stderr


def test_a_failed_python_block_shows_its_stderr_under_its_output(executor: Executor) -> None:
    code = "import sys\nprint('warned', file=sys.stderr)\nprint('done')\nsys.exit(3)\n"
    result = run_one(executor, "python", code)
    assert (result.output, result.stderr) == ("done\n", "warned\n")
    assert result.shown_output == "done\nwarned\n"


def test_shell_stdout_and_stderr_keep_their_order(executor: Executor) -> None:
    result = run_one(executor, "bash", "echo a; echo b >&2; echo c; ls /no-such-path; echo d")
    assert result.output.splitlines()[:3] == ["a", "b", "c"]
    assert result.output.splitlines()[-1] == "d"
    assert result.stderr == ""


@pytest.mark.parametrize("language", ["bash", "sh", "console"])
def test_a_shell_blocks_stderr_is_kept_apart_when_it_asks(
    executor: Executor, language: str
) -> None:
    code = "echo a; echo b >&2; ls /no-such-path; echo c"
    result = run_one(
        executor, language, f"$ {code}" if language == "console" else code, stderr="log"
    )
    assert result.output.endswith("a\nc\n")
    assert result.stderr.startswith("b\n") and "/no-such-path" in result.stderr


def test_each_block_of_a_session_puts_its_stderr_where_it_asks(executor: Executor) -> None:
    say = "import sys\nprint('out {0}'); print('err {0}', file=sys.stderr)\n"
    shell = "echo 'out {0}'; echo 'err {0}' >&2"
    results = run(
        executor,
        block("python", say.format(1), session="s"),
        block("python", say.format(2), index=1, session="s", stderr="show"),
        block("python", say.format(3), index=2, session="s"),
        block("bash", shell.format(4), index=3, session="s", stderr="log"),
        block("bash", shell.format(5), index=4, session="s"),
        block("bash", shell.format(6), index=5, session="s", stderr="log"),
    )
    assert [(result.output, result.stderr) for result in results] == [
        ("out 1\n", "err 1\n"),
        ("out 2\nerr 2\n", ""),
        ("out 3\n", "err 3\n"),
        ("out 4\n", "err 4\n"),
        ("out 5\nerr 5\n", ""),
        ("out 6\n", "err 6\n"),
    ]


@pytest.fixture(scope="module")
def c_locale_executor(project: Path) -> Iterator[Executor]:
    """A build started under LANG=C, as on many CI runners."""
    saved = {name: os.environ.get(name) for name in ("LANG", "LC_ALL", "PYTHONIOENCODING")}
    os.environ.update(LANG="C", LC_ALL="C")
    os.environ.pop("PYTHONIOENCODING", None)
    try:
        with Executor(project_dir=project, workers=1) as pool:
            yield pool
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def test_korean_output_survives_a_c_locale(c_locale_executor: Executor) -> None:
    python = run_one(
        c_locale_executor, "python", "print('안녕하세요')\nimport sys; print(sys.stdout.encoding)"
    )
    shell = run_one(c_locale_executor, "bash", "echo 한글 ${#LANG}; printf '%s\\n' \"$LC_ALL\"")
    assert python.output == "안녕하세요\nutf-8\n"
    assert shell.output == "한글 7\nC.UTF-8\n"


def test_invalid_utf8_and_control_bytes_are_replaced(executor: Executor) -> None:
    result = run_one(
        executor, "bash", r"printf 'ok \xff\xfe end\x00\x07\n\033[31mred\033[0m\ttab\n'"
    )
    assert result.output == "ok \ufffd\ufffd end\ufffd\ufffd\n\x1b[31mred\x1b[0m\ttab\n"


def test_long_output_is_cut_with_a_visible_note(small_executor: Executor) -> None:
    result = run_one(small_executor, "python", "print('가' * 5000)")
    assert result.truncated
    kept, note = result.output.rsplit("\n", 2)[0], result.output.splitlines()[-1]
    # 1000 bytes hold 333 three-byte characters; the half character is dropped.
    assert kept == "가" * 333
    assert note == "[output truncated: showing the first 1,000 bytes of 15,001]"


def test_output_under_the_cap_is_not_marked_truncated(small_executor: Executor) -> None:
    result = run_one(small_executor, "python", "print('x' * 999, end='')")
    assert not result.truncated and result.output == "x" * 999


def test_private_paths_are_rewritten_in_output_and_tracebacks(
    executor: Executor, project: Path
) -> None:
    code = (
        "import os, sys, tempfile\n"
        f"print({str(project)!r})\n"
        "print(os.getcwd())\n"
        "print(os.environ['HOME'], tempfile.gettempdir())\n"
        "print(sys.prefix)\n"
        "import helper\n"
        "helper.shout('boom')\n"
    )
    result = run_one(executor, "python", code, workdir="docs/examples")
    lines = result.shown_output.splitlines()
    # A private /tmp (mount namespace) holds nothing of the build machine: shown as it is.
    own = "/tmp/home /tmp" if private_tmp(executor) else "<home> <tmp>"
    assert lines[:3] == ["<project>", "<project>/docs/examples", own]
    if sys.prefix != sys.base_prefix:
        assert lines[3] == "<venv>"
    assert 'File "<project>/docs/examples/helper.py", line 2, in shout' in result.shown_output
    assert str(project) not in result.shown_output
    assert os.path.expanduser("~") + "/" not in result.shown_output


def private_tmp(executor: Executor) -> bool:
    return "mount namespace" in executor.protections_summary().split("; not available:")[0]


def test_a_fresh_workdir_is_shown_as_its_private_path_or_by_a_neutral_name(
    executor: Executor, project: Path
) -> None:
    workdir = "/tmp/work" if private_tmp(executor) else "<workdir>"
    entries = "".join(f"{name}\n" for name in sorted(os.listdir(project)))
    assert run_one(executor, "bash", "pwd; ls -A").output == f"{workdir}\n{entries}"


@pytest.fixture(scope="module")
def host_folders_executor(project: Path) -> Iterator[Executor]:
    """Blocks without namespaces: their folders are host folders under the build's temp."""
    with Executor(project_dir=project, workers=1, policy=IsolationPolicy(namespaces=False)) as pool:
        yield pool


def test_without_a_private_tmp_the_blocks_host_folders_are_rewritten_and_tmp_is_not(
    host_folders_executor: Executor,
) -> None:
    result = run_one(host_folders_executor, "bash", "echo $HOME $TMPDIR /tmp; pwd")
    assert result.output == "<home> <tmp> /tmp\n<workdir>\n"


def test_echoed_console_commands_keep_tmp_in_both_modes(
    executor: Executor, host_folders_executor: Executor, project: Path
) -> None:
    code = f"$ findmnt -n -o TARGET -T /tmp >/dev/null; echo /tmp {project}\n"
    for pool in (executor, host_folders_executor):
        result = run_one(pool, "console", code)
        assert result.output == f"{code}/tmp <project>\n"


def test_the_system_tmp_is_not_a_private_path(project: Path) -> None:
    scrub = PathScrubber(build_private_paths(project))
    text = "TARGET /tmp tmpfs\n/tmp/x /var/tmp\n"
    assert scrub(text) == text
    assert scrub(f"{project}/docs") == "<project>/docs"


def test_a_private_temp_folder_of_the_build_is_rewritten(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As on CI runners whose TMPDIR is a folder of the runner's own.
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    scrub = PathScrubber(build_private_paths(project))
    assert scrub(f"{tmp_path}/a.txt /tmp/b.txt") == "<tmp>/a.txt /tmp/b.txt"


def test_echoed_commands_are_shown_as_written_and_only_output_is_scrubbed() -> None:
    scrub = PathScrubber([("/home/builder", "<home>"), ("/tmp", "<tmp>")])
    buffer = OutputBuffer(1000)
    buffer.add_verbatim(b"$ ls /home/builder /tmp\n")
    buffer.add(b"/home/builder/a /tmp/b\n")
    buffer.add_verbatim(b"$ echo \xea\xb0")  # a character split between echo and output
    buffer.add(b"\x80 done\n")
    assert buffer.text(scrub) == "$ ls /home/builder /tmp\n<home>/a <tmp>/b\n$ echo 가 done\n"


PROLOG = '<?xml version="1.0"?>\n'
FIGURE = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    + '<svg x="1"><rect width="1" height="1"/></svg>' * 20
    + "</svg>"
)
SVG = (PROLOG + FIGURE + "\n").encode()


def unscrubbed(text: str) -> str:
    return text


@pytest.mark.parametrize("read_size", [1, 2, 3, 5, 7, 64])
def test_a_printed_svg_is_kept_whole_past_the_cap_whatever_the_reads(read_size: int) -> None:
    printed = b"x" * 30 + SVG + b"after the figure\n" + SVG
    buffer = OutputBuffer(40)
    for start in range(0, len(printed), read_size):
        buffer.add(printed[start : start + read_size])
    # The text is cut at 40 bytes (the x's, then the first prolog's start); the figures are
    # not, wherever the reads split their tags.
    text_bytes = len(printed) - 2 * len(FIGURE)
    assert buffer.text(unscrubbed) == (
        "x" * 30
        + PROLOG[:10]
        + FIGURE
        + FIGURE
        + f"\n[output truncated: showing the first 40 bytes of {text_bytes}]\n"
    )


def test_figures_beyond_the_figure_bound_are_cut_like_text() -> None:
    bound = len(FIGURE) // 2
    buffer = OutputBuffer(10, figure_limit=bound)
    buffer.add(SVG)
    assert buffer.truncated
    text = buffer.text(unscrubbed)
    assert text.startswith(PROLOG[:10] + FIGURE[:bound] + "\n[output truncated: ")


def test_an_svg_tag_that_never_comes_is_text() -> None:
    buffer = OutputBuffer(100)
    for piece in (b"a <sv", b"G> b <", b"/sv", b"g c </svg"):
        buffer.add(piece)
    assert buffer.text(unscrubbed) == "a <svG> b </svg c </svg"
    assert not buffer.truncated


def test_an_echo_cut_by_the_output_cap_is_kept_as_far_as_it_fits() -> None:
    buffer = OutputBuffer(10)
    buffer.add(b"/tmp\n")
    buffer.add_verbatim(b"$ ls /tmp\n")
    buffer.add_verbatim(b"$ never kept\n")
    scrub = PathScrubber([("/tmp", "<tmp>")])
    assert buffer.text(scrub) == (
        "<tmp>\n$ ls \n[output truncated: showing the first 10 bytes of 28]\n"
    )


def test_a_console_command_shows_as_written_while_its_output_hides_private_paths(
    executor: Executor, project: Path
) -> None:
    # The author wrote the path in the command; what the machine printed back is scrubbed.
    result = run_one(executor, "console", f"$ echo {project}/docs")
    assert result.output.splitlines() == [f"$ echo {project}/docs", "<project>/docs"]


def test_the_next_console_prompt_starts_its_own_line_after_unfinished_output(
    executor: Executor,
) -> None:
    result = run_one(executor, "console", "$ printf unfinished\n$ echo next")
    assert result.output == "$ printf unfinished\nunfinished\n$ echo next\nnext\n"
