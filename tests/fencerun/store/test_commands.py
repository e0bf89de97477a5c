"""A stored result never outlives the tools it was made with or without: the programs a
block names are part of its key, and a result whose shell could not find a command is
shown but never kept."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from fencerun.commands import CommandFingerprints, command_words, missing_commands
from fencerun.keys import BlockKeys
from fencerun.model import Block, BlockOptions, SourceLocation


def bash_block(code: str) -> Block:
    return Block("bash", code, BlockOptions(), SourceLocation("page.md", 3), 0)


def install(folder: Path, name: str, body: str = "echo one") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    program = folder / name
    program.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    program.chmod(0o755)
    return program


def keys_on(project: Path, search_path: str) -> BlockKeys:
    return BlockKeys(
        project,
        interpreter=lambda language: f"{language} 1.0",
        commands=CommandFingerprints(search_path),
    )


@pytest.mark.parametrize(
    ("output", "missing"),
    [
        ("bash: line 3: ps: command not found\n", ("ps",)),
        ("bash: ps: command not found\n", ("ps",)),
        ("/bin/bash: line 1: ip: command not found\nafter\n", ("ip",)),
        ("sh: 1: ss: not found\n", ("ss",)),
        ("/bin/sh: 2: gcc: not found\n", ("gcc",)),
        ("a\nbash: line 1: ps: command not found\nbash: line 2: ps: command not found\n", ("ps",)),
        ("bash: line 1: ps: command not found\nbash: ip: command not found\n", ("ps", "ip")),
    ],
)
def test_the_shells_not_found_lines_name_the_missing_commands(
    output: str, missing: tuple[str, ...]
) -> None:
    assert missing_commands(output) == missing


@pytest.mark.parametrize(
    "output",
    [
        "",
        "PID TTY TIME CMD\n",
        "ls: cannot access 'x': No such file or directory\n",
        "the page says: command not found\n",
        "grep: pattern not found\n",
        "   bash: line 1: ps: command not found (quoted in prose)\n",
    ],
)
def test_other_output_names_no_missing_command(output: str) -> None:
    assert missing_commands(output) == ()


def test_words_that_can_name_programs_include_arguments_and_absolute_paths() -> None:
    code = 'sudo ps aux | xargs kill; bash -c "ip addr"; /usr/bin/env python3.11 -V; g++ x.c'
    words = command_words(code)
    assert {"sudo", "ps", "xargs", "kill", "bash", "ip", "/usr/bin/env", "python3.11"} <= words
    assert "g++" in words
    assert "-V" not in words and "-c" not in words


def test_installing_a_command_the_block_names_changes_its_key(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    keys = keys_on(tmp_path, str(bin_dir))
    block = bash_block("mytool --version | head -1")
    without = keys(block, [])
    install(bin_dir, "mytool")
    assert keys(block, []) == without, "resolutions hold for the rest of a build"
    keys.start_build()
    with_tool = keys(block, [])
    assert with_tool != without
    (bin_dir / "mytool").unlink()
    keys.start_build()
    assert keys(block, []) == without


def test_upgrading_a_command_changes_the_key_and_a_copy_elsewhere_does_not(
    tmp_path: Path,
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    program = install(first, "mytool", "echo one")
    block = bash_block("mytool")
    before = keys_on(tmp_path, str(first))(block, [])
    # The same program in another folder with another mtime: another machine's install.
    shutil.copyfile(program, install(second, "mytool", "echo one"))
    os.utime(second / "mytool", ns=(1, 1))
    assert keys_on(tmp_path, str(second))(block, []) == before
    install(first, "mytool", "echo two")  # same size, other content
    keys = keys_on(tmp_path, str(first))
    assert keys(block, []) != before


def test_a_command_found_earlier_on_the_path_changes_the_key(tmp_path: Path) -> None:
    late = install(tmp_path / "late", "mytool", "echo late")
    early = tmp_path / "early"
    early.mkdir()
    search_path = f"{early}:{late.parent}"
    keys = keys_on(tmp_path, search_path)
    block = bash_block("mytool")
    before = keys(block, [])
    install(early, "mytool", "echo early")
    keys.start_build()
    assert keys(block, []) != before


def test_a_command_an_earlier_session_block_names_is_part_of_later_keys(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    keys = keys_on(tmp_path, str(bin_dir))
    earlier, later = bash_block("v=$(mytool)"), bash_block('echo "$v"')
    before = keys(later, [earlier])
    install(bin_dir, "mytool")
    keys.start_build()
    assert keys(later, [earlier]) != before


def test_words_that_name_no_program_add_nothing(tmp_path: Path) -> None:
    install(tmp_path / "bin", "mytool")
    commands = CommandFingerprints(str(tmp_path / "bin"))
    named = commands.of("mytool\necho some words that name nothing\n")
    assert list(named) == ["mytool"]
