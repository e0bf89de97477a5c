#!/usr/bin/env python3
"""Scores the built site with Lighthouse on a phone, page by page, served as GitHub Pages
serves it (gzip).

Each SITE folder (default: site/) is served on 127.0.0.1 by a server that compresses text
the way GitHub Pages does; Lighthouse (pinned in scripts/lighthouse/package-lock.json, its
mobile preset with simulated throttling) runs over every page of the first site, `--runs`
times, taking the sites in turn so they share the machine's ups and downs. The table holds
the median of each category per page and site; with two sites a last column gives the
performance ratio. The load average is printed before and after: on a busy machine the
simulated throttling still sees a slower CPU.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import click

ROOT = Path(__file__).resolve().parents[1]
LIGHTHOUSE = ROOT / "scripts" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# What GitHub Pages sends gzipped: text, scripts, styles, JSON, SVG, XML.
COMPRESSED_TYPES = re.compile(r"^(text/|application/(javascript|json|xml)|image/svg\+xml)")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"


class _Handler(SimpleHTTPRequestHandler):
    """Static files, gzipped when the client accepts it and the type is text."""

    compress = True

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the table is the output

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the redirect to the folder's slash
            path = path / "index.html"
        content_type = self.guess_type(str(path))
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        text = COMPRESSED_TYPES.match(content_type) is not None
        if not (self.compress and wants_gzip and text and path.is_file()):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Cache-Control", "max-age=600")  # what GitHub Pages sends
        self.end_headers()
        return _Bytes(body)


class _Bytes:
    """What send_head returns: something copyfile can read, then close."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int = -1) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


@contextmanager
def serve(folder: Path, *, compress: bool) -> Iterator[str]:
    """The folder on a free port of 127.0.0.1; yields the base URL."""
    handler = type("Handler", (_Handler,), {"compress": compress})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def pages_of(site: Path, only: str | None) -> list[str]:
    """URL paths of every page of the site (its index.html files), home first."""
    paths = []
    for index in site.rglob("index.html"):
        relative = index.parent.relative_to(site).as_posix()
        paths.append("/" if relative == "." else f"/{relative}/")
    if only is not None:
        pattern = re.compile(only)
        paths = [path for path in paths if pattern.search(path)]
    return sorted(paths, key=lambda path: (path.startswith("/en/"), path != "/", path))


@dataclass(frozen=True)
class Run:
    scores: dict[str, int]
    blocking_ms: float
    dom_elements: int
    # Lighthouse's own measure of how fast the machine was during the run (higher: faster);
    # on a busy machine it drops, and the simulated phone is slower with it.
    benchmark_index: float


def lighthouse(url: str, chrome: str) -> Run:
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as profile:
        completed = subprocess.run(
            [
                str(LIGHTHOUSE),
                url,
                "--output=json",
                "--output-path=stdout",
                "--quiet",
                f"--only-categories={','.join(CATEGORIES)}",
                f"--chrome-flags={CHROME_FLAGS} --user-data-dir={profile}",
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "CHROME_PATH": chrome},
            check=False,
        )
    if completed.returncode != 0:
        raise click.ClickException(f"lighthouse failed on {url}:\n{completed.stderr[-2000:]}")
    report = json.loads(completed.stdout)
    if report.get("runtimeError"):
        raise click.ClickException(f"lighthouse on {url}: {report['runtimeError']['message']}")
    scores = {}
    for name in CATEGORIES:
        score = report["categories"][name]["score"]
        if score is None:
            raise click.ClickException(f"lighthouse gave {url} no {name} score")
        scores[name] = round(score * 100)
    audits = report["audits"]
    return Run(
        scores=scores,
        blocking_ms=float(audits["total-blocking-time"]["numericValue"]),
        dom_elements=int(audits["dom-size"].get("numericValue", 0)),
        benchmark_index=float(report["environment"]["benchmarkIndex"]),
    )


def median_run(runs: Sequence[Run]) -> Run:
    return Run(
        scores={
            name: round(statistics.median(r.scores[name] for r in runs)) for name in CATEGORIES
        },
        blocking_ms=statistics.median(r.blocking_ms for r in runs),
        dom_elements=runs[0].dom_elements,
        benchmark_index=statistics.median(r.benchmark_index for r in runs),
    )


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def find_chrome() -> str:
    chosen = os.environ.get("CHROME_PATH") or shutil.which("chromium")
    if not chosen:
        raise click.ClickException(
            "Chromium not found: install Debian's chromium package "
            "(apt-get install chromium) or set CHROME_PATH"
        )
    return chosen


def table(pages: Sequence[str], names: Sequence[str], medians: dict[tuple[str, str], Run]) -> str:
    head = ["page"]
    for name in names:
        head += [f"{name} perf", f"{name} a11y/bp/seo", f"{name} TBT ms", f"{name} DOM"]
    if len(names) == 2:
        head.append(f"perf {names[1]} / {names[0]}")
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for page in pages:
        cells = [page]
        for name in names:
            run = medians[page, name]
            others = "/".join(str(run.scores[c]) for c in CATEGORIES[1:])
            cells += [
                str(run.scores["performance"]),
                others,
                f"{run.blocking_ms:.0f}",
                str(run.dom_elements),
            ]
        if len(names) == 2:
            before, after = (medians[page, name].scores["performance"] for name in names)
            cells.append(f"{after / before:.2f}" if before else "-")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


@click.command(help=__doc__)
@click.argument("sites", nargs=-1, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--runs", default=3, show_default=True, help="Lighthouse runs per page and site.")
@click.option("--only", metavar="REGEX", help="Only the pages whose URL path matches.")
@click.option("--no-gzip", is_flag=True, help="Serve without compression.")
@click.option("--name", "names", multiple=True, help="Column name of each site, in order.")
def main(
    sites: tuple[Path, ...], runs: int, only: str | None, no_gzip: bool, names: tuple[str, ...]
) -> None:
    folders = list(sites) or [ROOT / "site"]
    if not LIGHTHOUSE.exists():
        raise click.ClickException(f"{LIGHTHOUSE} is missing: run scripts/lighthouse-bench")
    labels = list(names) or [folder.name for folder in folders]
    if len(labels) != len(folders) or len(set(labels)) != len(labels):
        raise click.ClickException("give each site one --name, all different")
    chrome = find_chrome()
    pages = pages_of(folders[0], only)
    if not pages:
        raise click.ClickException(f"no page of {folders[0]} matches --only {only!r}")
    start_load = load_average()
    print(
        f"{len(pages)} pages x {len(folders)} sites x {runs} runs, "
        f"{'no compression' if no_gzip else 'gzip'}, "
        f"load average at start {start_load}",
        file=sys.stderr,
    )
    results: dict[tuple[str, str], list[Run]] = {}
    with _served(folders, compress=not no_gzip) as bases:
        for attempt in range(1, runs + 1):
            for page in pages:
                for label, base in zip(labels, bases, strict=True):
                    run = lighthouse(base + page, chrome)
                    results.setdefault((page, label), []).append(run)
                    print(
                        f"run {attempt}/{runs} {label} {page}: "
                        f"{run.scores['performance']} (TBT {run.blocking_ms:.0f} ms, "
                        f"benchmark index {run.benchmark_index:.0f})",
                        file=sys.stderr,
                    )
    medians = {key: median_run(value) for key, value in results.items()}
    speed = ", ".join(f"{label} {_benchmark_index(results, label):.0f}" for label in labels)
    print(
        f"Lighthouse 12 mobile, median of {runs}, {'plain' if no_gzip else 'gzip'}; "
        f"load average at the start {start_load}, at the end {load_average()}; "
        f"median benchmark index {speed}"
    )
    print(table(pages, labels, medians))


def _benchmark_index(results: dict[tuple[str, str], list[Run]], label: str) -> float:
    return statistics.median(
        run.benchmark_index for (_, site), runs in results.items() if site == label for run in runs
    )


@contextmanager
def _served(folders: Sequence[Path], *, compress: bool) -> Iterator[list[str]]:
    with ExitStack() as stack:
        yield [stack.enter_context(serve(folder, compress=compress)) for folder in folders]


if __name__ == "__main__":
    main()
