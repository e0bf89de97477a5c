"""Block keys: the same inputs give the same key anywhere; a change that can alter a block's
output changes its key, and nothing else does."""

from __future__ import annotations

import dataclasses
import os
import platform
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from fencerun.keys import DISPLAY_ONLY_OPTIONS, BlockKeys, block_key, interpreter_for
from fencerun.model import Block, BlockOptions, SourceLocation
from fencerun.settings import Settings

from tests.fencerun.store.helpers import page_keys

PAGE = textwrap.dedent(
    """\
    # Sessions

    Some prose before the blocks.

    ```python exec="on" session="demo"
    x = 1
    ```

    ```bash exec="on"
    echo alone
    ```

    ```python exec="on" session="demo"
    print(x + 1)
    ```

    More prose.

    ```python exec="on" session="demo"
    print(x + 2)
    ```
    """
)


def fixed_keys(project: Path, **overrides: object) -> BlockKeys:
    settings: dict[str, object] = {"interpreter": lambda language: f"{language} 1.0"}
    settings.update(overrides)
    return BlockKeys(project, **settings)  # type: ignore[arg-type]


def a_block(code: str = "print(1)", /, **options: object) -> Block:
    return Block(
        language="python",
        code=code,
        options=BlockOptions(**options),  # type: ignore[arg-type]
        location=SourceLocation("page.md", 3),
        index=0,
    )


def test_prose_edits_and_moved_lines_keep_every_key(tmp_path: Path) -> None:
    keys = fixed_keys(tmp_path)
    edited = PAGE.replace("Some prose before the blocks.", "Rewritten.\n\nWith a new paragraph.")
    edited = edited.replace("More prose.", "Other prose, longer than before.")
    assert page_keys(keys, edited) == page_keys(keys, PAGE)


def test_editing_a_session_block_changes_it_and_later_session_blocks_only(tmp_path: Path) -> None:
    keys = fixed_keys(tmp_path)
    before = page_keys(keys, PAGE)
    after = page_keys(keys, PAGE.replace("print(x + 1)", "print(x + 10)"))
    assert after[0] == before[0]  # earlier block of the session
    assert after[1] == before[1]  # a block outside the session
    assert after[2] != before[2]  # the edited block
    assert after[3] != before[3]  # a later block of its session


def test_editing_the_first_session_block_changes_every_block_of_that_session(
    tmp_path: Path,
) -> None:
    keys = fixed_keys(tmp_path)
    before = page_keys(keys, PAGE)
    after = page_keys(keys, PAGE.replace("x = 1", "x = 2"))
    changed = [old != new for old, new in zip(before, after, strict=True)]
    assert changed == [True, False, True, True]


def test_identical_blocks_on_two_pages_share_a_key(tmp_path: Path) -> None:
    keys = fixed_keys(tmp_path)
    block = a_block()
    elsewhere = dataclasses.replace(block, location=SourceLocation("other/page.md", 40), index=7)
    assert keys(block, []) == keys(elsewhere, [])


@pytest.mark.parametrize("option", sorted(DISPLAY_ONLY_OPTIONS))
def test_display_only_options_do_not_change_the_key(tmp_path: Path, option: str) -> None:
    keys = fixed_keys(tmp_path)
    changed_values: dict[str, object] = {
        "source": "above",
        "result": "json",
        "html": True,
        "markdown": True,
        "tabs": ("Code", "Output"),
        "title": "A title",
        "id": "some-id",
        "idprefix": "x-",
        "updatetoc": False,
        "provenance": False,
        "freeze": True,
        "returncode": 3,
        "os": "linux",
    }
    assert keys(a_block(**{option: changed_values[option]}), []) == keys(a_block(), [])


@pytest.mark.parametrize(
    "options",
    [{"timeout": 5.0}, {"width": 120}, {"workdir": "examples"}, {"session": "s"}],
    ids=["timeout", "width", "workdir", "session"],
)
def test_options_that_change_running_change_the_key(
    tmp_path: Path, options: dict[str, object]
) -> None:
    (tmp_path / "examples").mkdir()
    keys = fixed_keys(tmp_path)
    assert keys(a_block(**options), []) != keys(a_block(), [])


def test_renaming_a_session_keeps_its_keys(tmp_path: Path) -> None:
    keys = fixed_keys(tmp_path)
    assert page_keys(keys, PAGE) == page_keys(keys, PAGE.replace('"demo"', '"renamed"'))


def test_default_timeout_counts_only_for_blocks_without_their_own(tmp_path: Path) -> None:
    short, long = (
        fixed_keys(tmp_path, default_timeout=10.0),
        fixed_keys(tmp_path, default_timeout=60.0),
    )
    assert short(a_block(), []) != long(a_block(), [])
    assert short(a_block(timeout=5.0), []) == long(a_block(timeout=5.0), [])


@pytest.mark.parametrize(
    "change",
    [
        {"interpreter": "CPython 3.12.1"},
        {"plugin_version": "9.9.9"},
        {"environment": {"LANG": "ko_KR.UTF-8"}},
        {"max_output_bytes": 1000},
    ],
    ids=["interpreter", "plugin version", "environment", "output limit"],
)
def test_what_surrounds_a_block_is_part_of_its_key(change: dict[str, object]) -> None:
    base: dict[str, object] = {
        "interpreter": "CPython 3.11.7",
        "plugin_version": "0.1.0",
        "environment": {"LANG": "C.UTF-8"},
        "max_output_bytes": 200_000,
    }
    assert block_key(a_block(), **{**base, **change}) != block_key(a_block(), **base)  # type: ignore[arg-type]


def test_environment_order_does_not_matter() -> None:
    first = block_key(
        a_block(), environment={"A": "1", "B": "2"}, interpreter="i", plugin_version="v"
    )
    second = block_key(
        a_block(), environment={"B": "2", "A": "1"}, interpreter="i", plugin_version="v"
    )
    assert first == second


def test_a_key_is_the_same_in_another_process_with_another_hash_seed() -> None:
    script = (
        "from fencerun.keys import block_key\n"
        "from fencerun.model import Block, BlockOptions, SourceLocation\n"
        "block = Block('python', 'print(1)', BlockOptions(session='s', timeout=4.0),"
        " SourceLocation('p.md', 1), 0)\n"
        "print(block_key(block, environment={'B': '2', 'A': '1'}, interpreter='i',"
        " plugin_version='v'))\n"
    )
    keys = set()
    for seed in ("1", "2"):
        done = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        keys.add(done.stdout.strip())
    assert len(keys) == 1
    assert len(keys.pop()) == 64


def test_a_workdir_edit_changes_its_blocks_keys_and_a_fresh_checkout_does_not(
    tmp_path: Path,
) -> None:
    data = tmp_path / "examples" / "data.txt"
    data.parent.mkdir()
    data.write_text("one\n")
    keys = fixed_keys(tmp_path)
    block = a_block(workdir="examples")
    first = keys(block, [])
    # Same content, new modification time: what a checkout on another machine looks like.
    os.utime(data, ns=(1, 1))
    keys.start_build()
    assert keys(block, []) == first
    data.write_text("two\n")
    keys.start_build()
    assert keys(block, []) != first
    assert fixed_keys(tmp_path)(block, []) == keys(block, [])  # no state carried over


def test_what_blocks_write_into_their_workdir_keeps_their_keys_for_the_rest_of_the_build(
    tmp_path: Path,
) -> None:
    (tmp_path / "counts").mkdir()
    keys = fixed_keys(tmp_path)
    block = a_block(workdir="counts")
    before_running = keys(block, [])
    (tmp_path / "counts" / "runs.log").write_text("ran once\n")
    assert keys(block, []) == before_running  # e.g. the same page in the next language
    keys.start_build()
    assert keys(block, []) != before_running


def test_caches_in_a_workdir_are_not_part_of_its_key(tmp_path: Path) -> None:
    (tmp_path / "examples").mkdir()
    keys = fixed_keys(tmp_path)
    block = a_block(workdir="examples")
    first = keys(block, [])
    (tmp_path / "examples" / "__pycache__").mkdir()
    (tmp_path / "examples" / "__pycache__" / "m.pyc").write_bytes(b"\0")
    (tmp_path / "examples" / ".hidden").write_text("x")
    assert keys(block, []) == first


def test_python_blocks_are_keyed_by_this_python_and_shell_blocks_by_bash() -> None:
    python = interpreter_for("python")
    assert python.startswith(f"{platform.python_implementation()} {platform.python_version()} ")
    assert interpreter_for("pycon") == python
    assert interpreter_for("bash").startswith("GNU bash, version ")
    assert interpreter_for("console") == interpreter_for("bash")


def test_keys_follow_the_settings_of_each_build(tmp_path: Path) -> None:
    settings = Settings(project_dir=tmp_path, cache_dir=tmp_path / "c", frozen_dir=tmp_path / "f")
    keys = BlockKeys.for_settings(settings)
    before = keys(a_block(), [])
    keys.start_build(dataclasses.replace(settings, timeout=99.0))
    assert keys(a_block(), []) != before
    keys.start_build(settings)
    assert keys(a_block(), []) == before
