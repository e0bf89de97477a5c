"""Save -> served under the site's live preview and under plain `mkdocs serve`, on the grown
copy, measured as scripts/bench_serve.py measures it (its servers and edits are reused:
a sentence of a post's prose, then a line of one of its blocks, each polled for until the
served page shows it)."""

from __future__ import annotations

import shutil
import statistics
from dataclasses import dataclass
from pathlib import Path

from scripts import bench_serve

from .project import Project


@dataclass(frozen=True)
class ServeFigures:
    startup: float  # seconds from starting the server to the post's first answer
    prose: float  # median seconds, save -> served
    block: float
    block_run: float  # median of the edited block's own run time (0 for plain)
    edits: int  # of each kind


def measure_preview(project: Project, rounds: int, scratch: Path) -> dict[str, ServeFigures]:
    """'preview' (`scripts/site serve` on the copy, its store filled by the builds before)
    and 'plain' (bench_serve's plain `mkdocs serve` of the same Korean pages)."""
    # bench_serve's limits suit today's site; a grown one takes longer to start and rebuild.
    scale = max(1.0, project.grown.notes / 250)
    bench_serve.STARTUP_TIMEOUT = max(bench_serve.STARTUP_TIMEOUT, 120.0 * scale)
    bench_serve.EDIT_TIMEOUT = max(bench_serve.EDIT_TIMEOUT, 60.0 * scale)
    preview = bench_serve.Variant(
        "preview",
        "scripts/site serve",
        lambda root, port: [str(root / "scripts" / "site"), "serve", "--port", str(port)],
        True,
    )
    plain = bench_serve.Variant(
        "plain",
        "plain mkdocs serve",
        lambda root, port: [
            str(root / ".venv" / "bin" / "mkdocs"),
            "serve",
            "-a",
            f"127.0.0.1:{port}",
        ],
        False,
    )
    plain_root = scratch / "plain-serve"
    shutil.rmtree(plain_root, ignore_errors=True)
    bench_serve.make_plain_site(project.root, plain_root)
    (plain_root / ".venv").symlink_to(project.root / ".venv")
    servers: list[bench_serve.Running] = []
    try:
        servers.append(bench_serve.Running.start(preview, project.root))
        servers.append(bench_serve.Running.start(plain, plain_root))
        # Taking turns, so that the load others put on the machine weighs on both alike.
        for number in range(1, rounds + 1):
            for server in servers:
                server.edit_round(number)
    finally:
        for server in servers:
            server.stop()
    return {server.variant.name: _figures(server.figures) for server in servers}


def _figures(figures: bench_serve.Figures) -> ServeFigures:
    return ServeFigures(
        figures.startup,
        statistics.median(figures.prose),
        statistics.median(figures.code),
        statistics.median(figures.block_run) if figures.block_run else 0.0,
        len(figures.prose),
    )
