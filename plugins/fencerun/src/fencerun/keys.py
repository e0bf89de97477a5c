"""Plan stage: the cache key of a block, over everything that can change its output.

A key is the SHA-256 of a canonical JSON document, so the same inputs give the same key on
every run and every machine. It covers the language and code, the options that change what
running the block prints (timeout, workdir and what is in it, width, output limit, whether it
runs in a session), every earlier block of its session, the interpreter, the plugin version
and the environment the block may see. It leaves out where the block stands in its page and
every display-only option, so editing prose or how a result is shown reruns nothing.

Usage (the engine's `key` function)::

    keys = BlockKeys.for_settings(settings, environment=variables_the_config_adds)
    keys.start_build(settings)                      # at each top-level build
    key = keys(block, earlier_blocks_of_its_session)
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import platform
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path

from fencerun import __version__
from fencerun.commands import CommandFingerprints
from fencerun.model import Block, BlockOptions
from fencerun.settings import DEFAULT_MAX_OUTPUT, DEFAULT_TIMEOUT, Settings

log = logging.getLogger("fencerun")

# Bump when the payload below changes shape, so old entries stop matching.
# 2: the programs a block names; results made before could have been made without them.
KEY_FORMAT = 2

# Options that only change how a result is shown. `returncode` decides pass or fail, not
# what the block prints; `freeze` blocks are looked up by page and id, not by key; `os`
# decides where the block runs, not what it prints there.
DISPLAY_ONLY_OPTIONS = frozenset(
    {
        "source",
        "result",
        "html",
        "markdown",
        "tabs",
        "title",
        "id",
        "idprefix",
        "updatetoc",
        "provenance",
        "freeze",
        "returncode",
        "os",
    }
)

# Fingerprinting a workdir reads its files; past these limits only names and sizes count, so
# a block pointed at a big folder cannot slow every build down. The log says so as a note,
# never a warning: nothing is wrong with the page, and markdown-exec's own `workdir=".."`
# would otherwise fail `--strict` wherever the project's parent folder is large.
WORKDIR_MAX_FILES = 2_000
WORKDIR_MAX_BYTES = 32 * 1024 * 1024
# Never part of a workdir's fingerprint: tool caches and build output change on their own.
WORKDIR_SKIPPED_NAMES = frozenset({"__pycache__", "node_modules", "site"})


def running_options(options: BlockOptions, *, default_timeout: float) -> dict[str, object]:
    """The options that change what running the block prints, with defaults resolved.

    Any option not listed as display-only counts, so an option added later is keyed until
    someone decides otherwise.
    """
    running = {
        # Shallow: every option is a plain value (asdict's deep copy costs more than the rest).
        option.name: getattr(options, option.name)
        for option in fields(options)
        if option.name not in DISPLAY_ONLY_OPTIONS
    }
    # A block's session name does not change its output; being in one does (state carries).
    running["session"] = bool(options.session)
    running["timeout"] = options.timeout if options.timeout is not None else default_timeout
    return running


def block_key(
    block: Block,
    *,
    session_prefix: Sequence[Block] = (),
    environment: Mapping[str, str] = {},
    interpreter: str,
    plugin_version: str,
    default_timeout: float = DEFAULT_TIMEOUT,
    max_output_bytes: int = DEFAULT_MAX_OUTPUT,
    workdir_fingerprint: str = "",
    commands: Mapping[str, str] = {},
) -> str:
    """The hex digest that names the block's result in the store.

    `session_prefix` is every earlier block of the block's session, in order;
    `workdir_fingerprint` stands for the content of the block's workdir (see
    `WorkdirFingerprints`), "" when it has none; `commands` maps each word of the
    block's and its session's code that names a program to a digest of that program.
    """

    def describe(one: Block) -> dict[str, object]:
        return {
            "language": one.language,
            "code": one.code,
            "options": running_options(one.options, default_timeout=default_timeout),
        }

    payload = {
        "format": KEY_FORMAT,
        "block": describe(block),
        "session_prefix": [describe(earlier) for earlier in session_prefix],
        "workdir_content": workdir_fingerprint,
        "environment": dict(sorted(environment.items())),
        "interpreter": interpreter,
        "plugin_version": plugin_version,
        "max_output_bytes": max_output_bytes,
        "commands": dict(sorted(commands.items())),
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@cache
def python_fingerprint() -> str:
    """This Python and the packages installed beside it: what a Python block can import.

    Python blocks run on the build's interpreter, so an upgraded library reruns them. The
    packages are read from the names of their metadata folders (name-version.dist-info),
    which is much faster than parsing each one's metadata.
    """
    installed = sorted(
        entry.lower()
        for folder in sys.path
        if folder and os.path.isdir(folder)
        for entry in os.listdir(folder)
        if entry.endswith((".dist-info", ".egg-info"))
    )
    packages = hashlib.sha256("\n".join(installed).encode("utf-8")).hexdigest()[:16]
    return f"{platform.python_implementation()} {platform.python_version()} packages {packages}"


@cache
def shell_fingerprint(shell: str) -> str:
    """The shell a shell block runs on: bash's version line, or what `sh` resolves to."""
    found = shutil.which(shell)
    if found is None:
        return f"{shell} (not installed)"
    if shell == "bash":
        done = subprocess.run(
            [found, "--version"], capture_output=True, text=True, errors="replace", check=False
        )
        first_line = done.stdout.partition("\n")[0].strip()
        return first_line or f"bash at {found}"
    # dash, the usual /bin/sh, has no --version; the program it resolves to tells it apart.
    return f"{shell} -> {Path(os.path.realpath(found)).name}"


def interpreter_for(language: str) -> str:
    """What runs blocks of this language, as a short string that changes when it is upgraded."""
    if language in ("python", "pycon"):
        return python_fingerprint()
    if language in ("bash", "console"):
        return shell_fingerprint("bash")
    return shell_fingerprint(language)


@dataclass(frozen=True)
class _FileDigest:
    size: int
    mtime_ns: int
    digest: str


class WorkdirFingerprints:
    """Digests of workdirs' content, re-reading only files whose size or mtime changed.

    Content, not mtimes, goes into the digest, so a fresh checkout (new mtimes, same files)
    on another machine or a CI runner keeps the keys.
    """

    def __init__(self) -> None:
        self._files: dict[Path, _FileDigest] = {}
        self._warned: set[Path] = set()

    def fingerprint(self, folder: Path) -> str:
        files = sorted(_files_under(folder))
        sizes = []
        for path in files:
            stat = path.stat()
            sizes.append((path, stat.st_size, stat.st_mtime_ns))
        too_big = (
            len(files) > WORKDIR_MAX_FILES or sum(size for _, size, _ in sizes) > WORKDIR_MAX_BYTES
        )
        if too_big and folder not in self._warned:
            self._warned.add(folder)
            log.info(
                "fencerun: workdir %s holds more than %d files or %d MiB; its blocks are keyed "
                "by file names and sizes only, so an edit that keeps a file's size will not "
                "rerun them (point workdir at a smaller folder to key them by content)",
                folder,
                WORKDIR_MAX_FILES,
                WORKDIR_MAX_BYTES // (1024 * 1024),
            )
        digest = hashlib.sha256()
        for path, size, mtime_ns in sizes:
            digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
            digest.update(str(size).encode() + b"\0")
            if not too_big:
                digest.update(self._content_digest(path, size, mtime_ns).encode() + b"\0")
        return digest.hexdigest()

    def _content_digest(self, path: Path, size: int, mtime_ns: int) -> str:
        known = self._files.get(path)
        if known is not None and (known.size, known.mtime_ns) == (size, mtime_ns):
            return known.digest
        with path.open("rb") as stream:
            digest = hashlib.file_digest(stream, "sha256").hexdigest()
        self._files[path] = _FileDigest(size, mtime_ns, digest)
        return digest


def _files_under(folder: Path) -> list[Path]:
    found = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in WORKDIR_SKIPPED_NAMES]
        for name in names:
            path = Path(root, name)
            if not name.startswith(".") and path.is_file():
                found.append(path)
    return found


class BlockKeys:
    """The engine's key function for one project: `keys(block, session_prefix) -> str`.

    `environment` is what a block may see beyond the sandbox's fixed allow-list: values
    that differ per run (a temporary HOME) do not belong in it.

    A workdir's content is read once per build, before its blocks run: blocks may write
    into their workdir, and what they write must not give the same block another key in
    the next language of the same build. Call `start_build()` when a top-level build
    starts (each `mkdocs serve` rebuild too). A block that changes its workdir's files
    runs again in the next build, as it would after an author's edit there.
    """

    def __init__(
        self,
        project_dir: Path,
        *,
        default_timeout: float = DEFAULT_TIMEOUT,
        max_output_bytes: int = DEFAULT_MAX_OUTPUT,
        environment: Mapping[str, str] = {},
        plugin_version: str = __version__,
        interpreter: Callable[[str], str] = interpreter_for,
        commands: CommandFingerprints | None = None,
    ) -> None:
        self.project_dir = project_dir
        self.default_timeout = default_timeout
        self.max_output_bytes = max_output_bytes
        self.environment = dict(environment)
        self.plugin_version = plugin_version
        self._interpreter = interpreter
        self._commands = commands or CommandFingerprints()
        self._workdirs = WorkdirFingerprints()
        self._this_build: dict[Path, str] = {}

    @classmethod
    def for_settings(cls, settings: Settings, *, environment: Mapping[str, str] = {}) -> BlockKeys:
        return cls(
            settings.project_dir,
            default_timeout=settings.timeout,
            max_output_bytes=settings.max_output_bytes,
            environment=environment,
        )

    def start_build(self, settings: Settings | None = None) -> None:
        """Workdirs are read afresh from now on; `settings`, when given, may have changed
        the default timeout or the output limit (a `mkdocs serve` rebuild after an edit of
        mkdocs.yml)."""
        self._this_build.clear()
        self._commands.start_build()
        if settings is not None:
            self.project_dir = settings.project_dir
            self.default_timeout = settings.timeout
            self.max_output_bytes = settings.max_output_bytes

    def _workdir_fingerprint(self, workdir: str) -> str:
        folder = self.project_dir / workdir
        if folder not in self._this_build:
            self._this_build[folder] = self._workdirs.fingerprint(folder)
        return self._this_build[folder]

    def __call__(self, block: Block, session_prefix: Sequence[Block] = ()) -> str:
        workdir = block.options.workdir
        return block_key(
            block,
            session_prefix=session_prefix,
            environment=self.environment,
            interpreter=self._interpreter(block.language),
            plugin_version=self.plugin_version,
            default_timeout=self.default_timeout,
            max_output_bytes=self.max_output_bytes,
            workdir_fingerprint=self._workdir_fingerprint(workdir) if workdir else "",
            commands=self._commands.of("\n".join(b.code for b in (*session_prefix, block))),
        )
