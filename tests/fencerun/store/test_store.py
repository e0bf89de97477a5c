"""The result store on disk: round trips, one database shared by two builds and by threads,
damaged rows and damaged or foreign database files ignored with a warning and rebuilt,
journal files gone once closed, and pruning."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest
from fencerun.model import Result
from fencerun.result_json import result_from_json, result_to_json
from fencerun.store import APPLICATION_ID, SCHEMA_VERSION, ResultStore

from tests.fencerun.store.helpers import sample_result
from tests.not_checked import Cause

KEY = "a" * 64
OTHER = "b" * 64


def write_row(store: ResultStore, key: str, entry: str | bytes) -> None:
    """Changes a stored row behind the store's back, as another tool or a bug would."""
    with closing(sqlite3.connect(store.path)) as db, db:
        db.execute("UPDATE results SET entry = ? WHERE key = ?", (entry, key))


def stored_rows(store: ResultStore) -> dict[str, float]:
    """Key -> written_at of every row, read without the store."""
    with closing(sqlite3.connect(store.path)) as db:
        return dict(db.execute("SELECT key, written_at FROM results").fetchall())


def journal_files(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(("-wal", "-shm")))


def test_a_stored_result_comes_back_whole_and_marked_as_reused(tmp_path: Path) -> None:
    store = ResultStore(tmp_path / "cache")
    result = sample_result()
    store.put(KEY, result)
    assert ResultStore(tmp_path / "cache").get(KEY) == replace(result, origin="cached")


def test_a_result_survives_json_with_every_field() -> None:
    result = replace(sample_result(), timed_out=True, returncode=-9)
    data = json.loads(json.dumps(result_to_json(result)))
    assert result_from_json(data, origin="live") == result


def test_a_result_at_its_process_cap_survives_json_and_others_read_as_before() -> None:
    capped = replace(sample_result(), process_cap=256)
    data = json.loads(json.dumps(result_to_json(capped)))
    assert result_from_json(data, origin="live") == capped
    # Entries of results under the cap (every kept one) have no such field, as before it.
    assert "process_cap" not in result_to_json(sample_result())


def test_a_result_stored_with_the_machine_name_reads_back_without_it() -> None:
    # What versions that named the build machine in provenance stored.
    data = result_to_json(sample_result())
    data["provenance"]["host"] = "builder"
    assert result_from_json(data) == replace(sample_result(), origin="cached")
    assert "host" not in result_to_json(sample_result())["provenance"]


def test_a_missing_entry_is_a_plain_miss_that_creates_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = ResultStore(tmp_path / "cache")
    assert store.get(KEY) is None
    assert not store.has_results()
    assert store.stored_keys() == set()
    assert caplog.records == []
    assert not (tmp_path / "cache").exists()


def test_the_cache_folder_tells_git_to_ignore_it(tmp_path: Path) -> None:
    ResultStore(tmp_path / "cache").put(KEY, sample_result())
    assert (tmp_path / "cache" / ".gitignore").read_text().splitlines()[-1] == "*"


def test_a_closed_store_is_one_file_and_opens_again_on_use(tmp_path: Path) -> None:
    store = ResultStore(tmp_path / "cache")
    store.put(KEY, sample_result())
    assert journal_files(tmp_path / "cache") != []  # open: SQLite's WAL journal is there
    store.close()
    assert journal_files(tmp_path / "cache") == []
    assert sorted(path.name for path in (tmp_path / "cache").iterdir()) == [
        ".gitignore",
        "results.sqlite",
    ]
    store.put(OTHER, sample_result())
    assert store.stored_keys() == {KEY, OTHER}
    store.close()
    assert journal_files(tmp_path / "cache") == []


@pytest.mark.parametrize(
    "damage",
    [
        '{"kind": "fencerun-result", "version": 1, "key": "' + KEY + '", "res',
        "\x00\x01 not json at all",
        '{"kind": "something-else", "version": 1}',
        '{"kind": "fencerun-result", "version": 99, "key": "' + KEY + '", "result": {}}',
        '{"kind": "fencerun-result", "version": 1, "key": "' + OTHER + '", "result": {}}',
        '{"kind": "fencerun-result", "version": 1, "key": "' + KEY + '", "result": {"output": 3}}',
        "[1, 2, 3]",
        b"\xff\xfe\x00garbage",
    ],
    ids=[
        "cut short",
        "binary",
        "foreign",
        "newer format",
        "other key",
        "bad field",
        "a list",
        "not text",
    ],
)
def test_a_damaged_or_foreign_row_is_ignored_with_a_warning_and_rebuilt(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, damage: str | bytes
) -> None:
    store = ResultStore(tmp_path)
    store.put(KEY, sample_result())
    store.put(OTHER, sample_result("other"))
    write_row(store, KEY, damage)
    with caplog.at_level(logging.WARNING, logger="fencerun"):
        assert store.get(KEY) is None
    [warning] = caplog.records
    assert warning.name == "fencerun"
    assert getattr(warning, "self_healing", False)
    message = warning.getMessage()
    assert f"ignoring cache entry {KEY} in {store.path}" in message
    assert "will run again" in message
    assert set(stored_rows(store)) == {OTHER}  # the damaged row is gone, the others stay
    store.put(KEY, sample_result())
    assert store.get(KEY) == replace(sample_result(), origin="cached")


def _garbage(path: Path) -> None:
    path.write_bytes(b"\x00not a database, whatever it is\xff" * 200)


def _cut_short(path: Path) -> None:
    with ResultStore(path.parent) as store:
        for n in range(100):
            store.put(f"{n:064x}", sample_result("x" * 5000))
    with path.open("r+b") as file:
        file.truncate(path.stat().st_size // 2)


def _another_programs_database(path: Path) -> None:
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("CREATE TABLE notes (text TEXT)")


def _another_format(path: Path) -> None:
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("CREATE TABLE results (key TEXT PRIMARY KEY, blob BLOB)")
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")


@pytest.mark.parametrize(
    "spoil",
    [_garbage, _cut_short, _another_programs_database, _another_format],
    ids=["garbage", "cut short", "another program's", "another format"],
)
def test_a_database_that_is_no_store_is_replaced_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, spoil: Callable[[Path], None]
) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    path = folder / "results.sqlite"
    spoil(path)
    store = ResultStore(folder)
    with caplog.at_level(logging.WARNING, logger="fencerun"):
        assert store.get(KEY) is None
    [warning] = caplog.records
    assert getattr(warning, "self_healing", False)
    assert f"ignoring the result store {path}" in warning.getMessage()
    assert "will run again" in warning.getMessage()
    store.put(KEY, sample_result())
    store.close()
    assert ResultStore(folder).get(KEY) == replace(sample_result(), origin="cached")
    assert len(caplog.records) == 1


def test_a_garbage_database_found_by_a_put_is_replaced_and_the_result_kept(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    tmp_path.joinpath("results.sqlite").write_bytes(b"garbage" * 1000)
    store = ResultStore(tmp_path)
    store.put(KEY, sample_result())
    assert "ignoring the result store" in caplog.text
    assert store.get(KEY) == replace(sample_result(), origin="cached")


def test_a_string_that_is_not_a_block_key_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a block key"):
        ResultStore(tmp_path).put("../../etc/passwd", sample_result())


def test_an_unwritable_cache_folder_is_an_os_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "cache").write_text("a file where the cache folder should be")
    with pytest.raises(OSError):
        ResultStore(tmp_path / "cache").put(KEY, sample_result())
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "results.sqlite").mkdir()  # a folder where the database should be
    with pytest.raises(OSError, match=r"results\.sqlite"):
        ResultStore(tmp_path / "dir").put(KEY, sample_result())


# Each writer stores results for the same keys over and over while reading them back; a
# reader must never see half a row, and a writer waits for the other instead of failing.
WRITER = textwrap.dedent(
    """
    import logging, sys
    from pathlib import Path
    from fencerun.model import Result
    from fencerun.store import ResultStore

    logging.basicConfig(level=logging.WARNING)
    name, folder = sys.argv[1], Path(sys.argv[2])
    store = ResultStore(folder)
    keys = [f"{n:064x}" for n in range(8)]
    for round in range(150):
        for key in keys:
            store.put(key, Result(output=f"{name} {round} " + "x" * 20_000, returncode=0))
            got = store.get(key)
            if got is None or not got.output.endswith("x" * 20_000):
                sys.exit(f"{name}: read back {got!r:.60}")
    store.close()
    """
)


def test_two_builds_writing_and_reading_one_store_at_once_both_succeed(tmp_path: Path) -> None:
    folder = tmp_path / "shared-cache"  # absent: both create the database at once
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, name, str(folder)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("first", "second")
    ]
    for writer in writers:
        _out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
        assert "WARNING" not in err, err
    store = ResultStore(folder)
    assert len(store.stored_keys()) == 8
    for key in store.stored_keys():
        result = store.get(key)
        assert result is not None
        assert result.output.split()[0] in ("first", "second")
    store.close()
    assert journal_files(folder) == []


# Builds started together on a fresh checkout all create the same store at once; started
# by one signal, the creators meet on every one of 40 new stores.
CREATOR = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from fencerun.model import Result
    from fencerun.store import ResultStore

    root = Path(sys.argv[1])
    while not (root / "go").exists():
        time.sleep(0.001)
    for n in range(40):
        with ResultStore(root / str(n)) as store:
            store.put(f"{n:064x}", Result(output=sys.argv[2], returncode=0))
    """
)


def test_builds_creating_one_new_store_at_once_all_succeed(tmp_path: Path) -> None:
    creators = [
        subprocess.Popen(
            [sys.executable, "-c", CREATOR, str(tmp_path), name],
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("1", "2", "3", "4")
    ]
    time.sleep(0.5)  # all of them started and waiting
    (tmp_path / "go").touch()
    for creator in creators:
        _out, err = creator.communicate(timeout=120)
        assert creator.returncode == 0, err
        # A creator taking another's half-made store for a foreign one deletes it.
        assert "ignoring" not in err, err
    for n in range(40):
        result = ResultStore(tmp_path / str(n)).get(f"{n:064x}")
        assert result is not None and result.output in ("1", "2", "3", "4")


def test_results_put_from_other_threads_are_read_on_the_main_thread(tmp_path: Path) -> None:
    store = ResultStore(tmp_path)
    store.put(KEY, sample_result())  # the connection is opened on the main thread
    keys = [f"{n:064x}" for n in range(200)]

    def put(key: str) -> None:
        store.put(key, Result(output=key, returncode=0))

    with ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(put, key) for key in keys]
        while not all(future.done() for future in futures):
            assert store.get(KEY) is not None
        for future in futures:
            future.result()
    assert all((result := store.get(key)) and result.output == key for key in keys)


def _open_descriptors(path: Path) -> int:
    count = 0
    for descriptor in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{descriptor}") == str(path):
                count += 1
        except OSError:
            continue
    return count


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason=f"{Cause.MACHINE.value}: /proc")
def test_a_forked_child_opens_its_own_connection_and_leaves_the_parents_alone(
    tmp_path: Path,
) -> None:
    store = ResultStore(tmp_path)
    store.put(KEY, sample_result())
    path = store.path.resolve()
    before = _open_descriptors(path)
    child = os.fork()
    if child == 0:
        ok = False
        try:
            inherited = _open_descriptors(path)
            store.put(OTHER, sample_result("from the child"))
            ok = _open_descriptors(path) > inherited and store.get(KEY) is not None
            store.close()
        finally:
            os._exit(0 if ok else 1)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert _open_descriptors(path) == before
    found = store.get(OTHER)
    assert found is not None and found.output == "from the child"
    store.close()
    assert journal_files(tmp_path) == []


def test_prune_removes_the_entries_not_kept_and_says_how_many(tmp_path: Path) -> None:
    store = ResultStore(tmp_path)
    keys = [f"{n:064x}" for n in range(5)]
    for key in keys:
        store.put(key, sample_result())
    assert store.prune(keys[:2]) == 3
    assert store.stored_keys() == set(keys[:2])
    assert store.get(keys[0]) is not None


def test_prune_keeps_entries_written_after_the_build_it_keeps(tmp_path: Path) -> None:
    store = ResultStore(tmp_path)
    store.put(KEY, sample_result())
    old = time.time() - 100
    with closing(sqlite3.connect(store.path)) as db, db:
        db.execute("UPDATE results SET written_at = ? WHERE key = ?", (old, KEY))
    store.put(OTHER, sample_result())  # written by a build that is still running
    assert store.prune([], keep_newer_than=old + 50) == 1
    assert store.stored_keys() == {OTHER}


def test_prune_shrinks_the_file_to_what_it_keeps(tmp_path: Path) -> None:
    keys = [f"{n:064x}" for n in range(200)]
    with ResultStore(tmp_path) as store:
        for key in keys:
            store.put(key, sample_result("x" * 20_000))
    full = store.path.stat().st_size
    with ResultStore(tmp_path) as store:
        assert store.prune(keys[:10]) == 190
    assert store.path.stat().st_size < full / 10
    assert journal_files(tmp_path) == []
    assert ResultStore(tmp_path).stored_keys() == set(keys[:10])


def test_prune_clears_temporary_files_left_by_a_killed_build(tmp_path: Path) -> None:
    store = ResultStore(tmp_path)
    store.record_build([KEY])
    stale = store.builds.folder / ".20260101T000000.000000Z-1.json.1-0.tmp"
    fresh = store.builds.folder / ".20260101T000001.000000Z-2.json.2-0.tmp"
    stale.write_text("half")
    fresh.write_text("being written")
    long_ago = time.time() - 2 * 3600
    os.utime(stale, (long_ago, long_ago))
    store.prune([KEY])
    assert not stale.exists()
    assert fresh.exists()  # may belong to a build writing right now


def test_recorded_builds_say_which_keys_to_keep(tmp_path: Path) -> None:
    store = ResultStore(tmp_path)
    store.record_build(["1" * 64, "2" * 64])
    store.record_build(["2" * 64, "3" * 64])
    assert store.builds.keys_of_recent(1)[0] == {"2" * 64, "3" * 64}
    assert store.builds.keys_of_recent(2)[0] == {"1" * 64, "2" * 64, "3" * 64}


def test_only_the_last_build_records_are_kept(tmp_path: Path) -> None:
    store = ResultStore(tmp_path)
    for n in range(4):
        store.record_build([f"{n:064x}"], keep_builds=2)
    assert len(store.builds.paths()) == 2
    assert store.builds.keys_of_recent(5)[0] == {f"{2:064x}", f"{3:064x}"}


def test_a_damaged_build_record_is_skipped_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = ResultStore(tmp_path)
    good = store.record_build([KEY])
    bad = store.builds.folder / "99999999T999999.999999Z-1.json"
    bad.write_text("{ cut")
    assert store.builds.keys_of_recent(2)[0] == {KEY}
    assert str(bad) in caplog.text
    assert good.exists()
