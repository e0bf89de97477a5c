"""Store stage: results kept on disk between builds, one JSON file per block key.

Layout of the store folder (default `.cache/fencerun` beside mkdocs.yml)::

    results/<key>.json     one result; written to a temporary file, then os.replace'd
    builds/<stamp>.json    the keys one finished build used (`record_build`), for prune

Two builds may share the folder at once: every write is a whole-file replace, so a reader
sees an old entry or a new one, never half of one. An entry that cannot be read back (cut
short, edited, from another tool or another format version) is a miss: a warning on the
"fencerun" logger names the file, the file is removed, and the block runs again.

Usage::

    store = ResultStore(project_dir / ".cache/fencerun")
    result = store.get(key)            # None: run the block, then
    store.put(key, result)
    store.record_build(keys_this_build_used)   # once, after a build succeeded
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import re
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from fencerun.model import Figure, Origin, Provenance, Result

log = logging.getLogger("fencerun")
# Marks a warning about the cache mending itself: worth seeing, not a fault of the site
# (a build that treats warnings as errors goes on).
SELF_HEALING = {"self_healing": True}

ENTRY_KIND = "fencerun-result"
ENTRY_VERSION = 1
MANIFEST_KIND = "fencerun-build"
# A temporary file this old belongs to a build that was killed mid-write.
STALE_TEMPORARY_S = 3600.0

_KEY_RE = re.compile(r"[0-9a-f]{16,128}")
_T = TypeVar("_T")


class EntryError(ValueError):
    """Stored data that does not describe a result this version can use."""


def result_to_json(result: Result) -> dict[str, Any]:
    """The result as JSON-ready data. The origin is left out: it says where a result came
    from in this build, and the reader sets it."""
    data: dict[str, Any] = {
        "output": result.output,
        "returncode": result.returncode,
        "timed_out": result.timed_out,
        "truncated": result.truncated,
        "figures": [figure.svg for figure in result.figures],
        "provenance": None,
    }
    if result.provenance is not None:
        provenance = result.provenance
        data["provenance"] = {
            "host": provenance.host,
            "os": provenance.os,
            "interpreter": provenance.interpreter,
            "started_at": provenance.started_at,
            "duration_s": round(provenance.duration_s, 3),  # ms: finer only adds diff noise
        }
    return data


def result_from_json(data: object, *, origin: Origin = "cached") -> Result:
    """The result `result_to_json` wrote; raises EntryError for anything else."""
    fields = _mapping(data, "result")
    figures = _typed(fields, "figures", list)
    provenance = fields.get("provenance")
    return Result(
        output=_typed(fields, "output", str),
        returncode=_integer(fields, "returncode"),
        timed_out=_typed(fields, "timed_out", bool),
        truncated=_typed(fields, "truncated", bool),
        figures=tuple(Figure(_svg(svg)) for svg in figures),
        provenance=None if provenance is None else _provenance(provenance),
        origin=origin,
    )


def _provenance(data: object) -> Provenance:
    fields = _mapping(data, "provenance")
    duration = fields.get("duration_s")
    if isinstance(duration, bool) or not isinstance(duration, int | float):
        raise EntryError("provenance.duration_s is not a number")
    return Provenance(
        host=_typed(fields, "host", str),
        os=_typed(fields, "os", str),
        interpreter=_typed(fields, "interpreter", str),
        started_at=_typed(fields, "started_at", str),
        duration_s=float(duration),
    )


def _mapping(data: object, what: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise EntryError(f"{what} is not a JSON object")
    return data


def _typed(fields: dict[str, Any], name: str, kind: type[_T]) -> _T:
    value = fields.get(name)
    if not isinstance(value, kind):
        raise EntryError(f"{name} is missing or not a {kind.__name__}")
    return value


def _integer(fields: dict[str, Any], name: str) -> int:
    value = fields.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise EntryError(f"{name} is missing or not an integer")
    return value


def _svg(value: object) -> str:
    if not isinstance(value, str):
        raise EntryError("a figure is not an SVG string")
    return value


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text` in one step: readers see the old file or the new one.

    No fsync: an entry a crash cuts short fails to parse and is rebuilt, which costs less
    than syncing every entry of every build. Few system calls: results are written from
    the executor's threads, and each call hands the GIL back and forth with the thread
    rendering pages.
    """
    data = text.encode("utf-8")
    temporary = path.with_name(f".{path.name}.{os.getpid()}-{next(_temporary_numbers)}.tmp")
    try:
        handle = os.open(temporary, _NEW_FILE, 0o666)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(temporary, _NEW_FILE, 0o666)
    try:
        with os.fdopen(handle, "wb") as stream:  # buffered: writes the whole entry
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
# Unique within the process; the pid in the name keeps two builds apart.
_temporary_numbers = itertools.count()


class ResultStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.results = folder / "results"
        self.builds = folder / "builds"
        self._marked = False  # .gitignore known to be there

    def entry_path(self, key: str) -> Path:
        if not _KEY_RE.fullmatch(key):
            raise ValueError(f"not a block key: {key!r}")
        return self.results / f"{key}.json"

    def get(self, key: str) -> Result | None:
        """The stored result (origin "cached"), or None when there is none or it is unusable."""
        path = self.entry_path(key)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as error:
            self._discard(path, f"cannot be read ({error})")
            return None
        try:
            return self._parse(text, key)
        except EntryError as error:
            self._discard(path, str(error))
            return None

    @staticmethod
    def _parse(text: str, key: str) -> Result:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise EntryError(f"is not valid JSON ({error})") from None
        entry = _mapping(data, "the entry")
        if entry.get("kind") != ENTRY_KIND or entry.get("version") != ENTRY_VERSION:
            raise EntryError(
                f"is not a fencerun result of format {ENTRY_VERSION} "
                f"(kind={entry.get('kind')!r}, version={entry.get('version')!r})"
            )
        if entry.get("key") != key:
            raise EntryError(f"holds the result of another key ({entry.get('key')!r})")
        try:
            return result_from_json(entry.get("result"))
        except EntryError as error:
            raise EntryError(f"has a damaged result: {error}") from None

    def _discard(self, path: Path, problem: str) -> None:
        log.warning(
            "fencerun: ignoring cache entry %s: it %s; removing it, the block will run again",
            path,
            problem,
            extra=SELF_HEALING,
        )
        path.unlink(missing_ok=True)

    def put(self, key: str, result: Result) -> None:
        entry = {
            "kind": ENTRY_KIND,
            "version": ENTRY_VERSION,
            "key": key,
            "result": result_to_json(result),
        }
        write_atomically(self.entry_path(key), json.dumps(entry, ensure_ascii=False, indent=1))
        self._mark_ignored()

    def _mark_ignored(self) -> None:
        # The store is a cache: version control and backup tools should leave it alone.
        if self._marked:
            return
        ignore = self.folder / ".gitignore"
        if not ignore.exists():
            write_atomically(ignore, "# Written by fencerun: a cache, never committed.\n*\n")
        self._marked = True

    def has_results(self) -> bool:
        """Whether any entry is stored (cheap: stops at the first)."""
        try:
            with os.scandir(self.results) as entries:
                return any(entry.name.endswith(".json") for entry in entries)
        except OSError:
            return False

    def stored_keys(self) -> set[str]:
        """Every key that has an entry."""
        if not self.results.is_dir():
            return set()
        return {path.stem for path in self.results.glob("*.json") if _KEY_RE.fullmatch(path.stem)}

    def prune(self, keep: Iterable[str], *, keep_newer_than: float | None = None) -> int:
        """Removes every entry whose key is not in `keep`; returns how many went.

        Entries modified after `keep_newer_than` (a time.time() value) stay: they belong to
        a build still running. Temporary files of killed builds go too.
        """
        kept = set(keep)
        removed = 0
        if not self.results.is_dir():
            return 0
        now = time.time()
        for path in self.results.iterdir():
            if path.name.endswith(".tmp"):
                if now - _mtime(path) > STALE_TEMPORARY_S:
                    path.unlink(missing_ok=True)
                continue
            if path.suffix != ".json" or path.stem in kept:
                continue
            if keep_newer_than is not None and _mtime(path) > keep_newer_than:
                continue
            path.unlink(missing_ok=True)
            removed += 1
        return removed

    # -- which keys builds used, so entries no page uses any more can be pruned -----------

    def record_build(self, keys: Iterable[str], *, keep_builds: int = 10) -> Path:
        """Writes the keys a finished build used; keeps the last `keep_builds` such records."""
        now = datetime.now(UTC)
        manifest = {
            "kind": MANIFEST_KIND,
            "version": ENTRY_VERSION,
            "finished_at": now.isoformat(timespec="seconds"),
            "keys": sorted(set(keys)),
        }
        stamp = now.strftime("%Y%m%dT%H%M%S.%fZ")
        path = self.builds / f"{stamp}-{os.getpid()}.json"
        write_atomically(path, json.dumps(manifest, indent=1))
        self._mark_ignored()
        for old in self.build_records()[:-keep_builds]:
            old.unlink(missing_ok=True)
        return path

    def build_records(self) -> list[Path]:
        """Records of finished builds, oldest first."""
        if not self.builds.is_dir():
            return []
        return sorted(self.builds.glob("*.json"))

    def keys_of_recent_builds(self, count: int = 1) -> tuple[set[str], float | None]:
        """The keys the last `count` recorded builds used, and when the oldest of them ended
        (None when no build is recorded). A damaged record is skipped with a warning."""
        used: set[str] = set()
        oldest: float | None = None
        for path in self.build_records()[-count:] if count > 0 else []:
            try:
                manifest = _mapping(json.loads(path.read_text(encoding="utf-8")), "record")
                keys = _typed(manifest, "keys", list)
                if manifest.get("kind") != MANIFEST_KIND:
                    raise EntryError("is not a fencerun build record")
            except (OSError, ValueError) as error:
                log.warning(
                    "fencerun: ignoring build record %s: %s", path, error, extra=SELF_HEALING
                )
                continue
            used.update(key for key in keys if isinstance(key, str))
            finished = _mtime(path)
            oldest = finished if oldest is None else min(oldest, finished)
        return used, oldest


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0.0
