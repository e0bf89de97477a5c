"""Standard error goes where markdown-exec puts it: a shell block's among its output, a Python
block's in the page only when the block fails, else to the build's log as a note that
--strict lets pass; `stderr="show"` or `stderr="log"` chooses otherwise."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from tests.fencerun.conftest import Build, build_pages, section

PAGE = """
# Stderr

## Python

```python exec="on"
import sys, warnings
print("python-out")
print("python-err", file=sys.stderr)
warnings.warn("python-warning")
```

## Python shown

```python exec="on" stderr="show"
import sys
print("first", flush=True)
print("second", file=sys.stderr, flush=True)
print("third")
```

## Python failing as declared

```python exec="on" returncode="3"
import sys
print("err-first", file=sys.stderr, flush=True)
print("out-second")
sys.exit(3)
```

## Shell

```bash exec="on"
echo shell-out; ls /no-such-folder || true; echo shell-after
```

## Shell logged

```bash exec="on" stderr="log"
echo logged-out; echo logged-err >&2
```
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return build_pages(tmp_path_factory.mktemp("stderr"), {"index.md": PAGE})


@pytest.fixture(scope="module")
def soup(built: Build) -> BeautifulSoup:
    assert built.returncode == 0, built.output
    return built.soup()


def shown(soup: BeautifulSoup, heading_id: str) -> str:
    """The text of the output's code block under the heading (not its provenance footer)."""
    return "".join(
        code.get_text() for element in section(soup, heading_id) for code in element.select("code")
    )


def test_a_successful_python_blocks_stderr_stays_out_of_its_page(soup: BeautifulSoup) -> None:
    text = shown(soup, "python")
    assert "python-out" in text
    assert "python-err" not in text and "python-warning" not in text


def test_a_successful_python_blocks_stderr_is_a_note_in_the_build_log(built: Build) -> None:
    notes = [line for line in built.output.splitlines() if "python block wrote to stderr" in line]
    assert notes == [
        "INFO    -  fencerun: docs/index.md:5: python block wrote to stderr, which the page "
        "shows only if the block fails:"
    ]
    note = built.output[built.output.index(notes[0]) :]
    assert "    | python-err\n" in note and "UserWarning: python-warning" in note
    assert 'stderr="show"' in note


def test_stderr_show_puts_a_python_blocks_stderr_among_its_output_in_order(
    soup: BeautifulSoup,
) -> None:
    assert shown(soup, "python-shown").split() == ["first", "second", "third"]


def test_a_python_block_that_exits_otherwise_shows_its_stderr_under_its_output(
    soup: BeautifulSoup,
) -> None:
    assert shown(soup, "python-failing-as-declared").split() == ["out-second", "err-first"]


def test_a_shell_blocks_stderr_shows_among_its_output_as_markdown_exec_shows_it(
    soup: BeautifulSoup,
) -> None:
    lines = shown(soup, "shell").strip().split("\n")
    assert lines[0] == "shell-out" and lines[-1] == "shell-after"
    assert "No such file or directory" in lines[1]


def test_stderr_log_keeps_a_successful_shell_blocks_stderr_out_of_its_page(
    soup: BeautifulSoup, built: Build
) -> None:
    text = shown(soup, "shell-logged")
    assert "logged-out" in text and "logged-err" not in text
    assert "docs/index.md:38: bash block wrote to stderr" in built.output


def test_a_failed_blocks_error_names_its_stderr_under_its_output(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    page = """
        # Failing

        ```python exec="on"
        import sys
        print("err-first", file=sys.stderr, flush=True)
        print("out-second")
        raise ValueError("raised-here")
        ```
    """
    failed = build_pages(tmp_path_factory.mktemp("failed"), {"index.md": page})
    assert failed.returncode == 1
    message = failed.output[failed.output.index("docs/index.md:3: python block exited with 1") :]
    quoted = [line.removeprefix("    | ") for line in message.splitlines() if "    | " in line]
    assert quoted[:2] == ["out-second", "err-first"]
    assert quoted[-1] == "ValueError: raised-here"


def test_an_unknown_stderr_value_is_an_error_naming_file_and_line(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    page = """
        # Bad

        ```bash exec="on" stderr="hide"
        echo never
        ```
    """
    failed = build_pages(tmp_path_factory.mktemp("bad"), {"index.md": page})
    assert failed.returncode == 1
    assert 'docs/index.md:3: stderr="hide" is not a place for standard error' in failed.output
    assert 'write stderr="show"' in failed.output
