"""Plan stage: the programs a block's code can run, so a stored result never outlives them.

Two checks keep a result from being reused once the tools it was made with (or without)
have changed:

- `CommandFingerprints` names every word of a block's code that resolves to a program on
  the blocks' PATH, with a digest of that program's file. The digests go into the block's
  key, so installing a command the block names, removing one, or upgrading one gives the
  block a new key. Every word counts, not just those in a command's place: telling them
  apart would take a shell parser, and `sudo ps`, `xargs kill` or `bash -c "ps"` hide
  commands in argument places. A word that names no program adds nothing to the key.
- `missing_commands` reads a result's output for the shell's "command not found" lines.
  Such a result is shown but never stored or reused, so a block whose command was made up
  at run time (`$tool --version`) runs again in every build until the command is there.

Usage::

    commands = CommandFingerprints()        # the blocks' PATH; or CommandFingerprints("/bin:...")
    commands.start_build()                  # programs may have been installed since
    fingerprints = commands.of(code)        # {"ps": "3b1f...", "python": "9c0e..."}
    missing_commands(result.output)         # ("ps",) when bash said `ps: command not found`
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass

from fencerun.isolation.environment import worker_environment

# Words that can name a program: bare names (ps, python3.11, g++) and absolute paths.
_WORD = re.compile(r"(?<![\w./+-])(?:/[\w./+-]*[\w+-]|[A-Za-z_][\w.+-]*)")
# Files up to this size are hashed whole; of a bigger one (an interpreter, a compiler) the
# size, head and tail are: an ELF program's build id sits in its first pages, and reading
# tens of megabytes in every build would cost more than the rest of keying a site.
WHOLE_FILE_BYTES = 1024 * 1024
HEAD_AND_TAIL_BYTES = 256 * 1024

# What shells print for a command they cannot find: bash (`bash: line 3: ps: command not
# found`, `bash: ps: command not found`) and dash, the usual sh (`sh: 1: ps: not found`).
_NOT_FOUND = re.compile(
    r"^(?:\S*bash|\S*sh)(?:: line \d+|: \d+)?: (?P<command>[^\s:]+): (?:command )?not found$",
    re.MULTILINE,
)


def missing_commands(output: str) -> tuple[str, ...]:
    """Commands the shell reported not found in `output`, in order, each once."""
    found = dict.fromkeys(match["command"] for match in _NOT_FOUND.finditer(output))
    return tuple(found)


def command_words(code: str) -> set[str]:
    """Every word of `code` that could name a program."""
    return set(_WORD.findall(code))


@dataclass(frozen=True)
class _Seen:
    identity: tuple[int, int, int, int]  # device, inode, size, mtime: unchanged file
    digest: str


class CommandFingerprints:
    """Resolves words to programs on `search_path` and digests the programs' files.

    Without a `search_path`, the PATH blocks run with is read at each `start_build` (the
    build's own, with this interpreter's folder first).

    Resolutions are kept for one build (`start_build` forgets them), digests for as long
    as the file's inode, size and mtime stay the same. A digest covers the content only,
    never the path or the mtime, so the same program in another checkout or on another
    machine (a CI runner) gives the same key.
    """

    def __init__(self, search_path: str | None = None) -> None:
        self._fixed_path = search_path
        self.search_path = search_path if search_path is not None else block_search_path()
        self._resolved: dict[str, str | None] = {}
        self._digests: dict[str, _Seen] = {}

    def start_build(self) -> None:
        self._resolved.clear()
        if self._fixed_path is None:
            self.search_path = block_search_path()

    def of(self, code: str) -> dict[str, str]:
        """{word: digest of the program it runs} for every word of `code` that is one."""
        found = {}
        for word in sorted(command_words(code)):
            digest = self._fingerprint(word)
            if digest is not None:
                found[word] = digest
        return found

    def _fingerprint(self, word: str) -> str | None:
        if word not in self._resolved:
            self._resolved[word] = self._resolve(word)
        return self._resolved[word]

    def _resolve(self, word: str) -> str | None:
        program = shutil.which(word, path=self.search_path)
        if program is None:
            return None
        real = os.path.realpath(program)
        try:
            stat = os.stat(real)
            identity = (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)
            seen = self._digests.get(real)
            if seen is None or seen.identity != identity:
                seen = _Seen(identity, _file_digest(real, stat.st_size))
                self._digests[real] = seen
        except OSError:
            return None  # unreadable: the block cannot run it either
        return seen.digest


def block_search_path(environ: Mapping[str, str] = os.environ) -> str:
    """The PATH blocks run with: where the programs their code names are looked up."""
    return worker_environment(environ)["PATH"]


def _file_digest(path: str, size: int) -> str:
    digest = hashlib.sha256(str(size).encode() + b"\0")
    with open(path, "rb") as stream:
        if size <= WHOLE_FILE_BYTES:
            digest.update(stream.read())
        else:
            digest.update(stream.read(HEAD_AND_TAIL_BYTES))
            stream.seek(size - HEAD_AND_TAIL_BYTES)
            digest.update(stream.read(HEAD_AND_TAIL_BYTES))
    return digest.hexdigest()[:32]
