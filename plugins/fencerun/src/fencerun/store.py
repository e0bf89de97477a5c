"""Store stage: results kept on disk between builds, in one SQLite database for all blocks.

Layout of the store folder (default `.cache/fencerun` beside mkdocs.yml)::

    results.sqlite         one row per block key: the result as JSON, and when it was written
    results.sqlite-wal     SQLite's journal, and -shm its index: there while a build has the
                           store open; the last to close it folds them in and removes them
    builds/<stamp>.json    the keys one finished build used (`record_build`), for prune
    .gitignore             a cache: never committed

One database rather than a file per block: on a cold build every block stores its result,
and a new file costs the kernel an inode and a directory entry where a row costs neither
(`scripts/bench_exec.py --only store` measures both; figures in the README).

Two builds may share the folder at once. SQLite's WAL journal lets readers go on while one
build writes, a writer waits for the other's write to end (up to BUSY_TIMEOUT_S), and every
`put` is one transaction, so a reader sees the old row or the new one. WAL needs a file
system with working locks and shared memory: keep cache_dir on a local disk, not on NFS.

Whatever is wrong with the store costs a rerun, never the build:

- a row that cannot be read back (edited, of another format version, under another key) is
  a miss: a warning on the "fencerun" logger names the store and the key, the row is
  deleted, and the block runs again;
- a file that is no store of this version (garbage, cut short, another program's database,
  another schema version) gets a warning naming it; it is removed with its journal and an
  empty store takes its place.

Usage::

    store = ResultStore(project_dir / ".cache/fencerun")
    result = store.get(key)            # None: run the block, then
    store.put(key, result)             # from any thread
    store.record_build(keys_this_build_used)   # once, after a build succeeded
    store.close()                      # end of the build; a later call opens it again
"""

from __future__ import annotations

import json
import logging
import os
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import TypeVar

from fencerun.atomic_file import remove_stale_temporaries, write_atomically
from fencerun.build_records import SELF_HEALING, BuildRecords
from fencerun.model import Result
from fencerun.result_json import EntryError, json_object, result_from_json, result_to_json

log = logging.getLogger("fencerun")

DATABASE = "results.sqlite"
# Written into the database's header: the file is a fencerun store ("fncr"), of this schema.
APPLICATION_ID = 0x666E6372
# 2: results in which the shell missed a command are no longer kept (format 1 kept some).
# 3: a result keeps stderr apart from its output where the block's stderr option says so
# (format 2 had a Python block's stderr inside its output).
SCHEMA_VERSION = 3
_SCHEMA = """
CREATE TABLE results (
    key TEXT PRIMARY KEY,
    entry TEXT NOT NULL,      -- JSON: kind, version, key and the result
    written_at REAL NOT NULL  -- time.time() of the put, for prune's keep_newer_than
)
"""
# How long a write waits for another build's write. A put is one short statement; only the
# VACUUM of `fencerun prune` holds the database for long.
BUSY_TIMEOUT_S = 30.0
# SQLite's primary result codes for a file that is not a usable database.
_DAMAGED = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}

ENTRY_KIND = "fencerun-result"
ENTRY_VERSION = 1

_KEY_RE = re.compile(r"[0-9a-f]{16,128}")
_T = TypeVar("_T")


class StoreUnusable(Exception):
    """The database file is no result store of this version: start a new one."""


class ResultStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / DATABASE
        self.builds = BuildRecords(folder / "builds")
        # One connection for all threads, used under this lock: `put` comes from the
        # executor's threads while `get` runs on the main thread, SQLite lets one writer
        # in at a time anyway, and a statement is short. One connection is also one thing
        # to close at the end of the build; a connection per thread would have to be
        # closed by threads that never learn that the build ended.
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        self._pid = 0  # the process that opened _connection
        self._marked = False  # .gitignore known to be there

    def __enter__(self) -> ResultStore:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Closes the database. The last build to close it folds the journal back into the
        file and removes the -wal and -shm files, so the folder holds one consistent file
        (what a CI cache saves). A later call opens it again."""
        with self._lock:
            self._drop_connection()

    def get(self, key: str) -> Result | None:
        """The stored result (origin "cached"), or None when there is none or it is unusable."""
        _check_key(key)
        row = self._use(
            lambda db: db.execute("SELECT entry FROM results WHERE key = ?", (key,)).fetchone(),
            create=False,
            absent=None,
        )
        if row is None:
            return None
        entry = row[0]
        try:
            if not isinstance(entry, str):
                raise EntryError(f"is not text but {type(entry).__name__}")
            return self._parse(entry, key)
        except EntryError as error:
            self._discard(key, entry, str(error))
            return None

    @staticmethod
    def _parse(text: str, key: str) -> Result:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise EntryError(f"is not valid JSON ({error})") from None
        entry = json_object(data, "the entry")
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

    def _discard(self, key: str, entry: object, problem: str) -> None:
        log.warning(
            "fencerun: ignoring cache entry %s in %s: it %s; removing it, the block will run again",
            key,
            self.path,
            problem,
            extra=SELF_HEALING,
        )
        # Only the row as it was read: another build may have stored a good one since.
        self._use(
            lambda db: db.execute("DELETE FROM results WHERE key = ? AND entry IS ?", (key, entry)),
            create=False,
            absent=None,
        )

    def put(self, key: str, result: Result) -> None:
        """Stores the result in one transaction: a reader sees the old row or this one."""
        _check_key(key)
        entry = {
            "kind": ENTRY_KIND,
            "version": ENTRY_VERSION,
            "key": key,
            "result": result_to_json(result),
        }
        row = (key, json.dumps(entry, ensure_ascii=False, separators=(",", ":")), time.time())
        self._use(
            lambda db: db.execute(
                "INSERT OR REPLACE INTO results (key, entry, written_at) VALUES (?, ?, ?)", row
            ),
            create=True,
            absent=None,
        )

    def has_results(self) -> bool:
        """Whether any entry is stored (cheap: stops at the first)."""
        try:
            return self._use(
                lambda db: db.execute("SELECT 1 FROM results LIMIT 1").fetchone() is not None,
                create=False,
                absent=False,
            )
        except OSError:
            return False

    def stored_keys(self) -> set[str]:
        """Every key that has an entry."""
        rows: list[tuple[object]] = self._use(
            lambda db: db.execute("SELECT key FROM results").fetchall(), create=False, absent=[]
        )
        return {key for (key,) in rows if isinstance(key, str) and _KEY_RE.fullmatch(key)}

    def prune(self, keep: Iterable[str], *, keep_newer_than: float | None = None) -> int:
        """Removes every entry whose key is not in `keep`; returns how many went.

        Entries written after `keep_newer_than` (a time.time() value) stay: they belong to
        a build still running. When any went, VACUUM rewrites the file to the entries left,
        so the file (and a CI cache of it) shrinks. Temporary files of killed builds go too.
        """
        kept = set(keep)

        def older(written_at: object) -> bool:
            if keep_newer_than is None or not isinstance(written_at, int | float):
                return True
            return written_at <= keep_newer_than

        def remove(db: sqlite3.Connection) -> int:
            with _transaction(db):
                rows = db.execute("SELECT key, written_at FROM results").fetchall()
                doomed = [
                    (key,) for key, written_at in rows if key not in kept and older(written_at)
                ]
                db.executemany("DELETE FROM results WHERE key = ?", doomed)
            if doomed:
                db.execute("VACUUM")
                # Into the file now, even while a build has the store open.
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            return len(doomed)

        removed = self._use(remove, create=False, absent=0)
        for folder in (self.folder, self.builds.folder):
            remove_stale_temporaries(folder)
        return removed

    # -- the database file -----------------------------------------------------------------

    def _use(self, action: Callable[[sqlite3.Connection], _T], *, create: bool, absent: _T) -> _T:
        """`action` on the open database, under the lock; `absent` when there is no database
        and `create` is false. A file that is no store is replaced by a new one, once; any
        other failure of SQLite is an OSError naming the file."""
        with self._lock:
            try:
                return self._run(action, create=create, absent=absent)
            except StoreUnusable as error:
                self._start_over(str(error))
            try:
                return self._run(action, create=create, absent=absent)
            except StoreUnusable as error:
                raise OSError(f"result store {self.path} {error}, even when new") from None

    def _run(self, action: Callable[[sqlite3.Connection], _T], *, create: bool, absent: _T) -> _T:
        try:
            db = self._open(create=create)
            return absent if db is None else action(db)
        except sqlite3.DatabaseError as error:
            if _result_code(error) in _DAMAGED:
                raise StoreUnusable(f"is damaged or not a database ({error})") from None
            raise OSError(f"result store {self.path}: {error}") from error

    def _open(self, *, create: bool) -> sqlite3.Connection | None:
        """The connection, opened on first use; None when there is no database and `create`
        is false (a cold build's misses create nothing)."""
        if self._connection is not None and self._pid == os.getpid():
            return self._connection
        self._drop_connection()
        fresh = not self.path.exists()
        if fresh and not create:
            return None
        if fresh:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._mark_ignored()
        db = sqlite3.connect(
            self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
        )
        try:
            _prepare(db)
        except BaseException:
            db.close()
            raise
        self._connection, self._pid = db, os.getpid()
        return db

    def _drop_connection(self) -> None:
        db, self._connection = self._connection, None
        if db is None:
            return
        if self._pid == os.getpid():
            db.close()
        else:
            # Inherited through a fork: SQLite's handles must not be used on both sides of
            # one, and closing it here could release locks the parent holds. Left open.
            _inherited.append(db)

    def _start_over(self, problem: str) -> None:
        log.warning(
            "fencerun: ignoring the result store %s: it %s; removing it and starting an "
            "empty one, the blocks stored in it will run again",
            self.path,
            problem,
            extra=SELF_HEALING,
        )
        self._drop_connection()
        # The journal too: SQLite would replay an old -wal into a new file of the same name.
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def _mark_ignored(self) -> None:
        # The store is a cache: version control and backup tools should leave it alone.
        if self._marked:
            return
        ignore = self.folder / ".gitignore"
        if not ignore.exists():
            write_atomically(ignore, "# Written by fencerun: a cache, never committed.\n*\n")
        self._marked = True

    # -- which keys builds used, so entries no page uses any more can be pruned -----------

    def record_build(self, keys: Iterable[str], *, keep_builds: int = 10) -> Path:
        """Writes the keys a finished build used; keeps the last `keep_builds` such records."""
        path = self.builds.record(keys, keep=keep_builds)
        self._mark_ignored()
        return path


# Connections a forked child inherited: kept referenced so that they are never closed there.
_inherited: list[sqlite3.Connection] = []


def _check_key(key: str) -> None:
    if not _KEY_RE.fullmatch(key):
        raise ValueError(f"not a block key: {key!r}")


def _prepare(db: sqlite3.Connection) -> None:
    """Checks that `db` is a result store of this version, making an empty file one;
    raises StoreUnusable for any other database.

    Two builds opening a new store at once both switch it to WAL, and SQLite answers the
    one that loses that race with SQLITE_BUSY at once instead of waiting: try again."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            return _check_or_create(db)
        except sqlite3.OperationalError as error:
            if _result_code(error) != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                raise
        time.sleep(0.01)


def _check_or_create(db: sqlite3.Connection) -> None:
    header = _header(db)
    if header == (0, 0):  # a new file, or one another build is making a store right now
        db.execute("PRAGMA journal_mode = WAL")
        with _transaction(db):
            header = _header(db)
            if header == (0, 0):
                if db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                    raise StoreUnusable("is another program's SQLite database")
                db.execute(_SCHEMA)
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                header = (APPLICATION_ID, SCHEMA_VERSION)
    application_id, version = header
    if application_id != APPLICATION_ID:
        raise StoreUnusable("is another program's SQLite database")
    if version != SCHEMA_VERSION:
        raise StoreUnusable(f"is a store of format {version}, this fencerun uses {SCHEMA_VERSION}")
    db.execute("PRAGMA journal_mode = WAL")
    # With WAL, NORMAL syncs at checkpoints only: a power cut may lose the last results
    # (their blocks run again) but does not damage the file.
    db.execute("PRAGMA synchronous = NORMAL")


def _result_code(error: sqlite3.Error) -> int:
    """SQLite's primary result code (SQLITE_BUSY for SQLITE_BUSY_RECOVERY and the like)."""
    return getattr(error, "sqlite_errorcode", 0) & 0xFF


def _header(db: sqlite3.Connection) -> tuple[int, int]:
    # One statement, so one snapshot: read apart, another build creating the store could
    # commit between them, and (0, its version) looks like another program's database.
    application_id, version = db.execute(
        "SELECT a.application_id, v.user_version"
        " FROM pragma_application_id() AS a, pragma_user_version() AS v"
    ).fetchone()
    return int(application_id), int(version)


@contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    """One write transaction; IMMEDIATE takes the write lock up front (waiting for another
    build's write), so reading then writing in it cannot fail half-way with SQLITE_BUSY."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
