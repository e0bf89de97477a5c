"""The result store on disk: round trips, atomic replaces shared by two builds at once,
damaged or foreign entries ignored with a warning and rebuilt, and pruning."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from pathlib import Path

import pytest
from fencerun.store import ResultStore, result_from_json, result_to_json

from tests.fencerun_store.helpers import sample_result

KEY = "a" * 64
OTHER = "b" * 64


def test_a_stored_result_comes_back_whole_and_marked_as_reused(tmp_path: Path) -> None:
    store = ResultStore(tmp_path / "cache")
    result = sample_result()
    store.put(KEY, result)
    assert ResultStore(tmp_path / "cache").get(KEY) == replace(result, origin="cached")


def test_a_result_survives_json_with_every_field() -> None:
    result = replace(sample_result(), timed_out=True, returncode=-9)
    data = json.loads(json.dumps(result_to_json(result)))
    assert result_from_json(data, origin="live") == result


def test_a_missing_entry_is_a_plain_miss(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    assert ResultStore(tmp_path).get(KEY) is None
    assert caplog.records == []


def test_the_cache_folder_tells_git_to_ignore_it(tmp_path: Path) -> None:
    ResultStore(tmp_path / "cache").put(KEY, sample_result())
    assert (tmp_path / "cache" / ".gitignore").read_text().splitlines()[-1] == "*"


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
    ],
    ids=["cut short", "binary", "foreign", "newer format", "other key", "bad field", "a list"],
)
def test_a_damaged_or_foreign_entry_is_ignored_with_a_warning_and_rebuilt(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, damage: str
) -> None:
    store = ResultStore(tmp_path)
    entry = store.entry_path(KEY)
    entry.parent.mkdir(parents=True)
    entry.write_text(damage)
    with caplog.at_level(logging.WARNING, logger="fencerun"):
        assert store.get(KEY) is None
    [warning] = caplog.records
    assert warning.name == "fencerun"
    assert str(entry) in warning.getMessage()
    assert "will run again" in warning.getMessage()
    assert not entry.exists()
    store.put(KEY, sample_result())
    assert store.get(KEY) == replace(sample_result(), origin="cached")


def test_an_entry_that_is_not_text_is_ignored_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = ResultStore(tmp_path)
    store.entry_path(KEY).parent.mkdir(parents=True)
    store.entry_path(KEY).write_bytes(b"\xff\xfe\x00garbage")
    assert store.get(KEY) is None
    assert str(store.entry_path(KEY)) in caplog.text


def test_a_key_that_could_escape_the_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a block key"):
        ResultStore(tmp_path).put("../../etc/passwd", sample_result())


# Each writer stores results for the same keys over and over while reading them back; the
# replace must never let a reader see half an entry.
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
    """
)


def test_two_builds_writing_and_reading_one_store_at_once_both_succeed(tmp_path: Path) -> None:
    folder = tmp_path / "shared-cache"
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
    assert not [path for path in store.results.iterdir() if path.suffix == ".tmp"]
    for key in store.stored_keys():
        result = store.get(key)
        assert result is not None
        assert result.output.split()[0] in ("first", "second")


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
    os.utime(store.entry_path(KEY), (old, old))
    store.put(OTHER, sample_result())  # written by a build that is still running
    assert store.prune([], keep_newer_than=old + 50) == 1
    assert store.stored_keys() == {OTHER}


def test_prune_clears_temporary_files_left_by_a_killed_build(tmp_path: Path) -> None:
    store = ResultStore(tmp_path)
    store.put(KEY, sample_result())
    stale = store.results / f".{KEY}.json.abc.tmp"
    fresh = store.results / f".{OTHER}.json.def.tmp"
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
    assert store.keys_of_recent_builds(1)[0] == {"2" * 64, "3" * 64}
    assert store.keys_of_recent_builds(2)[0] == {"1" * 64, "2" * 64, "3" * 64}


def test_only_the_last_build_records_are_kept(tmp_path: Path) -> None:
    store = ResultStore(tmp_path)
    for n in range(4):
        store.record_build([f"{n:064x}"], keep_builds=2)
    assert len(store.build_records()) == 2
    assert store.keys_of_recent_builds(5)[0] == {f"{2:064x}", f"{3:064x}"}


def test_a_damaged_build_record_is_skipped_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = ResultStore(tmp_path)
    good = store.record_build([KEY])
    bad = store.builds / "99999999T999999.999999Z-1.json"
    bad.write_text("{ cut")
    assert store.keys_of_recent_builds(2)[0] == {KEY}
    assert str(bad) in caplog.text
    assert good.exists()
