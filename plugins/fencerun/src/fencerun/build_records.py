"""Which keys finished builds used, one small JSON file a build: what `fencerun prune` keeps."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from fencerun.atomic_file import modified_at, write_atomically
from fencerun.result_json import EntryError, json_field, json_object

log = logging.getLogger("fencerun")
# Marks a warning about the cache mending itself: worth seeing, not a fault of the site
# (a build that treats warnings as errors goes on).
SELF_HEALING = {"self_healing": True}

RECORD_KIND = "fencerun-build"
RECORD_VERSION = 1


class BuildRecords:
    """The records in one folder (`builds/` of the result store)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def record(self, keys: Iterable[str], *, keep: int = 10) -> Path:
        """Writes the keys a finished build used; keeps the last `keep` such records."""
        now = datetime.now(UTC)
        record = {
            "kind": RECORD_KIND,
            "version": RECORD_VERSION,
            "finished_at": now.isoformat(timespec="seconds"),
            "keys": sorted(set(keys)),
        }
        stamp = now.strftime("%Y%m%dT%H%M%S.%fZ")
        path = self.folder / f"{stamp}-{os.getpid()}.json"
        write_atomically(path, json.dumps(record, indent=1))
        for old in self.paths()[:-keep]:
            old.unlink(missing_ok=True)
        return path

    def paths(self) -> list[Path]:
        """Records of finished builds, oldest first."""
        if not self.folder.is_dir():
            return []
        return sorted(self.folder.glob("*.json"))

    def keys_of_recent(self, count: int = 1) -> tuple[set[str], float | None]:
        """The keys the last `count` recorded builds used, and when the oldest of them ended
        (None when no build is recorded). A damaged record is skipped with a warning."""
        used: set[str] = set()
        oldest: float | None = None
        for path in self.paths()[-count:] if count > 0 else []:
            try:
                record = json_object(json.loads(path.read_text(encoding="utf-8")), "record")
                keys = json_field(record, "keys", list)
                if record.get("kind") != RECORD_KIND:
                    raise EntryError("is not a fencerun build record")
            except (OSError, ValueError) as error:
                log.warning(
                    "fencerun: ignoring build record %s: %s", path, error, extra=SELF_HEALING
                )
                continue
            used.update(key for key in keys if isinstance(key, str))
            finished = modified_at(path)
            oldest = finished if oldest is None else min(oldest, finished)
        return used, oldest
