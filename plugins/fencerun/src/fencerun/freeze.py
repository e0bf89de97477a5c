"""Store stage, frozen side: recorded outputs committed with the site.

A block marked `freeze="on"` shows the output recorded once, on a machine that could run it
(`docker ps` on the author's laptop), and never runs in the build. Each recording is one
YAML file a reviewer can read and diff::

    <frozen folder>/<page path>/<block id>.yml     e.g. frozen/ko/blog/posts/docker.md/ps.yml

holding the page, the block id, the code that produced it, the output and where and when it
was recorded. `fencerun freeze --refresh` (see cli.py) runs the frozen blocks again on the
current machine and rewrites their files.

Usage::

    frozen = FrozenResults(project_dir / "frozen")
    block_id = frozen_id(block)                                  # its id, or "block-N"
    recorded = frozen.get("ko/blog/posts/docker.md", "ps")      # origin "frozen", or None
    frozen.put("ko/blog/posts/docker.md", "ps", result, block=block)
    if frozen.is_stale(page, block_id, block): ...               # code edited since recorded
"""

from __future__ import annotations

import logging
import platform
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

import yaml

from fencerun.atomic_file import write_atomically
from fencerun.model import Block, Provenance, Result
from fencerun.result_json import EntryError, result_from_json, result_to_json

log = logging.getLogger("fencerun")

RECORDING_KIND = "fencerun-frozen"
RECORDING_VERSION = 1
SUFFIX = ".yml"


def frozen_id(block: Block) -> str:
    """Which recording a frozen block reads: its id, or its position in the page."""
    return block.options.id or f"block-{block.index + 1}"


_HEADER = (
    '# Recorded output of a freeze="on" block, committed with the site: the build shows it\n'
    "# as recorded and never runs the block. Refresh: fencerun freeze --refresh\n"
)


@dataclass(frozen=True)
class Recording:
    """One recorded output and what produced it."""

    page: str
    block_id: str
    language: str  # "" when recorded without the block at hand
    code: str
    result: Result  # origin "frozen"
    path: Path


class _Dumper(yaml.SafeDumper):
    """Multi-line text as YAML block scalars, so outputs read (and diff) line by line."""


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_text)


class FrozenResults:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.Lock()

    def path_for(self, page: str, block_id: str) -> Path:
        """Where a block's recording lives; the page path mirrors the docs folder."""
        parts = PurePosixPath(page).parts
        if not parts or page.startswith("/") or any(part in ("", ".", "..") for part in parts):
            raise ValueError(f"not a page path relative to the docs folder: {page!r}")
        return self.folder.joinpath(*parts, _file_name(block_id))

    def get(self, page: str, block_id: str) -> Result | None:
        recording = self.recording(page, block_id)
        return recording.result if recording is not None else None

    def recording(self, page: str, block_id: str) -> Recording | None:
        """The recording, or None when there is none or it cannot be read (with a warning:
        the file is committed work, so it is left in place for the author to look at)."""
        path = self.path_for(page, block_id)
        if not path.is_file():
            return None
        try:
            return _read(path)
        except (OSError, UnicodeDecodeError, yaml.YAMLError, EntryError) as error:
            log.warning(
                "fencerun: ignoring the recorded output %s: %s; the block will run again and "
                "its new recording replaces the file",
                path,
                error,
            )
            return None

    def put(self, page: str, block_id: str, result: Result, *, block: Block | None = None) -> None:
        """Records `result`; with `block`, its language and code too (for staleness checks)."""
        if result.provenance is None:
            # A recording must say where and when it was made.
            result = replace(result, provenance=_this_machine_now())
        data: dict[str, Any] = {
            "kind": RECORDING_KIND,
            "version": RECORDING_VERSION,
            "page": page,
            "block": block_id,
            "language": block.language if block is not None else "",
            "code": block.code if block is not None else "",
            "result": result_to_json(result),
        }
        text = _HEADER + yaml.dump(
            data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100
        )
        with self._lock:
            write_atomically(self.path_for(page, block_id), text)

    def is_stale(self, page: str, block_id: str, block: Block) -> bool:
        """True when the block's code or language changed since its output was recorded."""
        recording = self.recording(page, block_id)
        if recording is None or not recording.language:
            return False
        return (recording.language, recording.code) != (block.language, block.code)

    def recordings(self) -> Iterator[Recording]:
        """Every readable recording under the folder, in path order."""
        if not self.folder.is_dir():
            return
        for path in sorted(self.folder.rglob(f"*{SUFFIX}")):
            try:
                yield _read(path)
            except (OSError, UnicodeDecodeError, yaml.YAMLError, EntryError) as error:
                log.warning("fencerun: ignoring the recorded output %s: %s", path, error)


def _file_name(block_id: str) -> str:
    if not block_id:
        raise ValueError("a frozen block needs an id")
    # Ids are author-written: anything outside a safe file-name alphabet is %-escaped.
    return quote(block_id, safe="-_.~") + SUFFIX


def _read(path: Path) -> Recording:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise EntryError("is not a YAML mapping")
    if data.get("kind") != RECORDING_KIND or data.get("version") != RECORDING_VERSION:
        raise EntryError(
            f"is not a fencerun recording of format {RECORDING_VERSION} "
            f"(kind={data.get('kind')!r}, version={data.get('version')!r})"
        )
    page, block_id = data.get("page"), data.get("block")
    if not isinstance(page, str) or not isinstance(block_id, str):
        raise EntryError("page or block is missing")
    if path.name != _file_name(block_id):
        raise EntryError(f"records block {block_id!r}, which belongs in {_file_name(block_id)}")
    language, code = data.get("language", ""), data.get("code", "")
    if not isinstance(language, str) or not isinstance(code, str):
        raise EntryError("language or code is not text")
    result = result_from_json(data.get("result"), origin="frozen")
    return Recording(page, block_id, language, code, result, path)


def _this_machine_now() -> Provenance:
    return Provenance(
        os=f"{platform.system()} {platform.release()}",
        interpreter="",
        started_at=datetime.now().astimezone().isoformat(timespec="seconds"),
        duration_s=0.0,
    )
