"""The build report: what happened to each block, counted, timed, and written as JSON.

Each unique block is added once per build, with the result it was rendered from. The report
classifies it (run, reused, frozen, failed, not-executed), sums the time blocks ran, keeps the
slowest, prints one line for the build log and writes the whole as JSON for tools and for
`fencerun report`.

Usage::

    report = BuildReport()
    report.add(block, result, key=key)      # once per unique block, thread-safe
    report.finish()
    log.info(report.summary_line())
    report.write(cache_dir / REPORT_FILE)
    store.record_build(report.keys())
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, get_args

from fencerun.atomic_file import write_atomically
from fencerun.errors import failure_of
from fencerun.model import Block, Result
from fencerun.options import LITERATE

ReportOrigin = Literal["run", "reused", "frozen", "failed", "not-executed"]
ORIGINS: tuple[ReportOrigin, ...] = get_args(ReportOrigin)

REPORT_KIND = "fencerun-report"
REPORT_VERSION = 1
REPORT_FILE = "last-build-report.json"  # in the cache folder, beside the results
SLOWEST_KEPT = 10


@dataclass(frozen=True)
class BlockRecord:
    location: str  # "docs/ko/blog/posts/x.md:12", from the project folder
    language: str
    origin: ReportOrigin
    # How long the block ran: in this build for run and failed blocks, when it was recorded
    # for reused and frozen ones; None when nothing ran.
    duration_s: float | None
    key: str = ""


def origin_of(block: Block, result: Result) -> ReportOrigin:
    """How the build came by the result shown for `block`."""
    if failure_of(block, result) is not None:
        return "failed"
    if result.origin == "cached":
        return "reused"
    if result.origin in ("frozen", "not-executed"):
        return result.origin
    return "run"


class BuildReport:
    def __init__(self, docs_label: str = "") -> None:
        """`docs_label` goes before each page's path (relative to the docs folder)."""
        self.docs_label = docs_label
        self.started_at = datetime.now().astimezone().isoformat(timespec="seconds")
        self._started = time.monotonic()
        self._elapsed_s: float | None = None
        self._records: list[BlockRecord] = []
        self._lock = threading.Lock()

    def add(self, block: Block, result: Result, *, key: str = "") -> BlockRecord | None:
        """Counts one unique block; literate Markdown blocks run nothing and are not counted."""
        if block.language == LITERATE:
            return None
        duration = result.provenance.duration_s if result.provenance is not None else None
        record = BlockRecord(
            location=f"{self.docs_label}{block.location}",
            language=block.language,
            origin=origin_of(block, result),
            duration_s=duration if result.origin != "not-executed" else None,
            key=key,
        )
        with self._lock:
            self._records.append(record)
        return record

    def finish(self) -> None:
        """Stops the build clock (otherwise it runs until the report is read)."""
        self._elapsed_s = time.monotonic() - self._started

    @property
    def records(self) -> list[BlockRecord]:
        with self._lock:
            return list(self._records)

    @property
    def elapsed_s(self) -> float:
        return self._elapsed_s if self._elapsed_s is not None else time.monotonic() - self._started

    def counts(self) -> dict[ReportOrigin, int]:
        tally = Counter(record.origin for record in self.records)
        return {origin: tally[origin] for origin in ORIGINS}

    def ran_this_build(self) -> list[BlockRecord]:
        return [r for r in self.records if r.origin in ("run", "failed") and r.duration_s]

    def block_seconds(self) -> float:
        """Time blocks spent running in this build, added up (more than the build's time
        when they ran in parallel)."""
        return sum(record.duration_s or 0.0 for record in self.ran_this_build())

    def slowest(self, count: int = SLOWEST_KEPT) -> list[BlockRecord]:
        """The blocks that ran longest in this build, longest first."""
        return sorted(self.ran_this_build(), key=lambda r: r.duration_s or 0.0, reverse=True)[
            :count
        ]

    def keys(self) -> set[str]:
        return {record.key for record in self.records if record.key}

    def summary_line(self) -> str:
        """One line for the build log (the plugin's logger adds the "fencerun:" prefix)."""
        counts = self.counts()
        parts = [f"{counts['run']} run", f"{counts['reused']} reused"]
        # Frozen and not-executed blocks are rare: named only when there are some.
        if counts["frozen"]:
            parts.append(f"{counts['frozen']} frozen")
        if counts["not-executed"]:
            parts.append(f"{counts['not-executed']} not executed")
        parts.append(f"{counts['failed']} failed")
        line = (
            f"blocks {', '.join(parts)}; "
            f"{self.block_seconds():.1f} s of block time in {self.elapsed_s:.1f} s"
        )
        slowest = self.slowest(1)
        if slowest:
            line += f"; slowest {slowest[0].location} ({slowest[0].duration_s:.1f} s)"
        return line

    def to_json(self) -> str:
        data = {
            "kind": REPORT_KIND,
            "version": REPORT_VERSION,
            "started_at": self.started_at,
            "elapsed_s": round(self.elapsed_s, 3),
            "block_seconds": round(self.block_seconds(), 3),
            "counts": self.counts(),
            "slowest": [asdict(record) for record in self.slowest()],
            "blocks": [asdict(record) for record in self.records],
        }
        return json.dumps(data, ensure_ascii=False, indent=1)

    def write(self, path: Path) -> None:
        write_atomically(path, self.to_json() + "\n")

    @classmethod
    def from_json(cls, text: str) -> BuildReport:
        """A report `to_json` wrote; ValueError names what is wrong with anything else."""
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("kind") != REPORT_KIND:
            raise ValueError("not a fencerun build report")
        if data.get("version") != REPORT_VERSION:
            raise ValueError(
                f"a build report of format {data.get('version')!r}, not {REPORT_VERSION}"
            )
        report = cls()
        report.started_at = str(data.get("started_at", ""))
        report._elapsed_s = float(data.get("elapsed_s", 0.0))
        report._records = [_record(item) for item in data.get("blocks", [])]
        return report

    def render_text(self) -> str:
        """The report for a terminal: counts, times, the slowest blocks."""
        counts = self.counts()
        lines = [
            f"Build of {self.started_at}: {len(self.records)} blocks in {self.elapsed_s:.1f} s",
            "",
            *(f"  {origin:<13} {counts[origin]:>5}" for origin in ORIGINS),
            "",
            f"Blocks ran {self.block_seconds():.1f} s in all.",
        ]
        slowest = self.slowest()
        if slowest:
            lines += ["", "Slowest blocks this build:"]
            width = max(len(record.location) for record in slowest)
            lines += [
                f"  {record.duration_s or 0.0:>7.2f} s  {record.location:<{width}}  "
                f"{record.language} ({record.origin})"
                for record in slowest
            ]
        failed = [record for record in self.records if record.origin == "failed"]
        if failed:
            lines += ["", "Failed:", *(f"  {record.location}" for record in failed)]
        return "\n".join(lines)


def _record(item: Any) -> BlockRecord:
    if not isinstance(item, dict) or item.get("origin") not in ORIGINS:
        raise ValueError(f"not a block record: {item!r}")
    duration = item.get("duration_s")
    return BlockRecord(
        location=str(item.get("location", "")),
        language=str(item.get("language", "")),
        origin=item["origin"],
        duration_s=float(duration) if isinstance(duration, int | float) else None,
        key=str(item.get("key", "")),
    )
