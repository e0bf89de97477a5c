#!/usr/bin/env python3
"""Benchmark: the site grown by N notes a language, against plain MkDocs and Pagefind.

Copies the site (never touching the checkout's docs/, site/ or .cache/), adds N synthetic
knowledge-base notes a language (scripts/scale_bench/generate.py) and measures, side by
side in this one run:

\b
  cold     `scripts/site build` with an empty block store and card cache
  warm     `scripts/site build` with everything stored, taking turns with
  plain    the same pages under plain MkDocs + Material + static-i18n
  preview  save -> served under `scripts/site serve` and plain `mkdocs serve`
  search   a phone's first search (bytes, time) and Korean recall, Material's search
  pagefind the same under Pagefind (installed into a throwaway venv)

Each build's peak memory is that of its whole process tree. A failed build prints the end
of its log and the run exits non-zero. With --profile, a warm and a plain build run once
more under cProfile: the site's plugins' hooks, and what the site's build spends that the
plain one does not, by package and function. Prints Markdown tables at the end.

Run with the project's venv:  scripts/bench-scale [--notes N] [--skip preview,...]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import click

# The benchmark's modules and the test helpers are imported by their names from the root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scripts.scale_bench.builds import BuildFailed
from scripts.scale_bench.hotspots import profile_warm_builds
from scripts.scale_bench.preview import measure_preview
from scripts.scale_bench.project import Project, open_project
from scripts.scale_bench.report import Results, tables
from scripts.scale_bench.search import measure_search

PARTS = ("cold", "warm", "plain", "preview", "search", "pagefind")


def say(line: str) -> None:
    click.echo(line, err=True)


@click.command(help=__doc__)
@click.option("--notes", default=500, show_default=True, help="Notes added to each language.")
@click.option("--seed", default=1, show_default=True, help="Seed of the notes' text and links.")
@click.option(
    "--skip",
    default="",
    metavar="PARTS",
    help=f"Comma-separated parts to leave out, of: {', '.join(PARTS)}.",
)
@click.option("--rounds", default=2, show_default=True, help="Warm and plain builds, in turns.")
@click.option("--serve-rounds", default=5, show_default=True, help="Edits of each kind.")
@click.option("--search-runs", default=3, show_default=True, help="First searches per engine.")
@click.option(
    "--profile",
    is_flag=True,
    help="Also profile a warm and a plain build (cProfile): where the time goes.",
)
@click.option(
    "--keep",
    type=click.Path(file_okay=False, path_type=Path),
    help="Grow the copy in DIR and keep it; a copy kept there before is reused as it is.",
)
@click.option(
    "--pagefind-venv",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(tempfile.gettempdir()) / "bench-scale-pagefind",
    show_default=True,
    help="Where pagefind[extended] is installed on first use.",
)
def main(
    notes: int,
    seed: int,
    skip: str,
    rounds: int,
    serve_rounds: int,
    search_runs: int,
    profile: bool,
    keep: Path | None,
    pagefind_venv: Path,
) -> None:
    skipped = {part.strip() for part in skip.split(",") if part.strip()}
    if unknown := skipped - set(PARTS):
        raise click.BadParameter(f"unknown parts {sorted(unknown)}", param_hint="--skip")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as scratch:
        root = keep.resolve() if keep else Path(scratch) / "project"
        say(f"growing a copy of the site by {notes} notes a language in {root} ...")
        project = open_project(root, notes, seed)
        results = Results(notes, dropped_plugins=project.dropped_plugins)
        try:
            run_builds(project, results, skipped, rounds)
        except BuildFailed as failure:
            say(f"error: {failure}")
            sys.exit(1)
        results.pages = sum(1 for _ in project.site.rglob("index.html"))
        results.output_mb = project.output_mb()
        if profile:
            say("a warm and a plain build under cProfile ...")
            results.profile = profile_warm_builds(project)
        if "preview" not in skipped:
            say(f"save -> served, {serve_rounds} edits of each kind ...")
            results.serve = measure_preview(project, serve_rounds, Path(scratch))
        if "search" not in skipped:
            venv = None if "pagefind" in skipped else pagefind_venv
            results.search = measure_search(project.site, project.grown, search_runs, venv, say)
        click.echo(tables(results, time.perf_counter() - started))
        if keep:
            say(f"the copy is kept in {root}")


def run_builds(project: Project, results: Results, skipped: set[str], rounds: int) -> None:
    if "cold" not in skipped:
        say("cold build (empty block store and card cache) ...")
        project.empty_stores()
        results.cold = project.site_build("cold site build")
    elif not project.site.exists() and not {"warm", "preview", "search"} <= skipped:
        # What the warm build, the preview and the search need: a store filled, a site.
        say("filling the block store and card cache (not measured) ...")
        project.site_build("filling build")
    for number in range(1, rounds + 1):
        # In turns, so that the load others put on the machine weighs on both alike.
        if "warm" not in skipped:
            say(f"warm build {number} of {rounds} ...")
            results.warm.append(project.site_build(f"warm site build {number}"))
        if "plain" not in skipped:
            say(f"plain build {number} of {rounds} ...")
            results.plain.append(project.plain_build(f"plain build {number}"))


if __name__ == "__main__":
    main()
