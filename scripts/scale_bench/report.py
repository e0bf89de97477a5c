"""The benchmark's tables, in Markdown: one per concern, each ratio from this run's own
figures measured side by side."""

from __future__ import annotations

import os
import statistics
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from .builds import Build
from .first_search import MATERIAL, PAGEFIND, FirstSearch
from .preview import ServeFigures
from .queries import KINDS, PLANTED_QUERIES
from .recall import TOP, Answer, share_found
from .search import SearchFigures

FIRST_SEARCH_ROWS: tuple[tuple[str, Callable[[FirstSearch], float], str], ...] = (
    ("search bytes (code + index)", lambda measured: measured.search_bytes / 1000, "KB"),
    ("all bytes of the visit", lambda measured: measured.visit_bytes / 1000, "KB"),
    ("typed → first result", lambda measured: measured.typed_ms, "ms"),
    ("page opened → first result", lambda measured: measured.opened_ms, "ms"),
)


@dataclass
class Results:
    notes: int
    pages: int = 0  # HTML pages of the built site, both languages
    output_mb: dict[str, float] = field(default_factory=dict)  # "site", "plain": on disk
    dropped_plugins: tuple[str, ...] = ()
    cold: Build | None = None
    warm: list[Build] = field(default_factory=list)
    plain: list[Build] = field(default_factory=list)
    serve: dict[str, ServeFigures] = field(default_factory=dict)
    search: SearchFigures | None = None
    profile: str = ""  # hotspots of a warm build, when asked for


def tables(results: Results, seconds: float) -> str:
    parts = [
        f"## {results.notes} notes a language ({results.pages} pages in all)",
        *_builds(results),
        *_serve(results.serve),
        *(_search(results.search) if results.search else ()),
        *([results.profile] if results.profile else []),
        f"The run took {seconds / 60:.1f} min; load average at its end "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.",
    ]
    return "\n\n".join(parts) + "\n"


def _builds(results: Results) -> Iterator[str]:
    if not (results.cold or results.warm or results.plain):
        return
    plain = _median_build(results.plain)
    rows = [
        "| build | `scripts/site build` | plain MkDocs + Material + static-i18n | ratio |",
        "|---|---|---|---|",
    ]
    measured = [("cold (empty block store and card cache)", results.cold)]
    if results.warm:
        measured.append(
            (
                f"warm (everything stored), median of {len(results.warm)}",
                _median_build(results.warm),
            )
        )
    for name, build in measured:
        if build is not None:
            rows.append(
                f"| {name} | {build.seconds:.1f} s | {_seconds(plain)} | {_ratio(build, plain)} |"
            )
    for name, build in measured:
        if build is not None:
            cpu_ratio = f"{build.cpu_seconds / plain.cpu_seconds:.2f}×" if plain else "-"
            rows.append(
                f"| CPU time, {name.split(' ')[0]} (user + system, all processes) "
                f"| {build.cpu_seconds:.1f} s | {_cpu(plain)} | {cpu_ratio} |"
            )
    for name, build in measured:
        if build is not None:
            rows.append(
                f"| cores kept busy, {name.split(' ')[0]} (CPU time / wall time) "
                f"| {build.cores_busy:.2f} | {f'{plain.cores_busy:.2f}' if plain else '-'} | |"
            )
    for name, build in measured:
        if build is not None:
            rows.append(
                f"| peak memory, {name.split(' ')[0]}: all processes (PSS) / largest one (RSS) "
                f"| {_memory(build)} | {_memory(plain)} | |"
            )
    if results.output_mb:
        site, plain_mb = results.output_mb.get("site"), results.output_mb.get("plain")
        rows.append(
            f"| output on disk | {_megabytes(site)} | {_megabytes(plain_mb)} "
            f"| {f'{site / plain_mb:.2f}×' if site and plain_mb else '-'} |"
        )
    yield "\n".join(rows)
    yield (
        f"Plain: the same pages and nav with Material's search and tags and static-i18n; "
        f"without the site's {', '.join(results.dropped_plugins)} (Material's blog cannot "
        "build static-i18n's folder layout without blog-i18n, so the posts are plain pages "
        "there), its theme overrides and site_markdown; its exec blocks show as code."
    )


def _median_build(builds: Sequence[Build]) -> Build | None:
    if not builds:
        return None
    return Build(
        statistics.median(build.seconds for build in builds),
        max(build.peak_tree_mib for build in builds),
        max(build.peak_process_mib for build in builds),
        statistics.median(build.cpu_seconds for build in builds),
    )


def _megabytes(size: float | None) -> str:
    return f"{size:,.0f} MB" if size is not None else "-"


def _seconds(build: Build | None) -> str:
    return f"{build.seconds:.1f} s" if build else "-"


def _cpu(build: Build | None) -> str:
    return f"{build.cpu_seconds:.1f} s" if build else "-"


def _ratio(build: Build, plain: Build | None) -> str:
    return f"{build.seconds / plain.seconds:.2f}×" if plain else "-"


def _memory(build: Build | None) -> str:
    if build is None:
        return "-"
    return f"{build.peak_tree_mib:.0f} / {build.peak_process_mib:.0f} MiB"


def _serve(serve: dict[str, ServeFigures]) -> Iterator[str]:
    preview, plain = serve.get("preview"), serve.get("plain")
    if preview is None or plain is None:
        return
    rows = [
        f"| save → served, median of {preview.edits} | `scripts/site serve` "
        "| plain `mkdocs serve` | ratio |",
        "|---|---|---|---|",
        f"| server start → the post served | {preview.startup:.1f} s | {plain.startup:.1f} s "
        f"| {preview.startup / plain.startup:.2f}× |",
        f"| a sentence of a post's prose | {preview.prose:.2f} s | {plain.prose:.2f} s "
        f"| {preview.prose / plain.prose:.2f}× |",
        f"| a line of a post's block (its own run: {preview.block_run:.2f} s) "
        f"| {preview.block:.2f} s | {plain.block:.2f} s | {preview.block / plain.block:.2f}× |",
    ]
    yield "\n".join(rows)
    yield (
        "As scripts/bench_serve.py measures it: the preview serves Korean with every block "
        "stored; plain is MkDocs + Material (search, blog, tags) serving docs/ko alone."
    )


def _search(search: SearchFigures) -> Iterator[str]:
    by_engine: dict[str, dict[str, FirstSearch]] = {}
    for measured in search.first:
        by_engine.setdefault(measured.engine, {})[measured.language] = measured
    material = by_engine.get(MATERIAL.name, {})
    pagefind = by_engine.get(PAGEFIND.name, {})
    rows = [
        f"| a phone's first search (390 px, CPU 4× slower, gzip) | {MATERIAL.name} "
        f"| {PAGEFIND.name} | ratio |",
        "|---|---|---|---|",
    ]
    for language, mine in material.items():
        theirs = pagefind.get(language)
        label = f"{language} `{mine.query}` from a note"
        for what, of, unit in FIRST_SEARCH_ROWS:
            ours = of(mine)
            other = of(theirs) if theirs else None
            rows.append(
                f"| {label}: {what} | {ours:,.0f} {unit} "
                f"| {f'{other:,.0f} {unit}' if other is not None else '-'} "
                f"| {f'{ours / other:.2f}×' if other else '-'} |"
            )
    yield "\n".join(rows)
    notes = [
        "Times from the page's own clock, median of the runs; the query is typed as soon as "
        "the note has loaded."
    ]
    if search.pagefind_seconds is not None:
        notes.append(
            "Pagefind: its default UI at the top of the note, debounce off, Material's search "
            f"taken out of that page; it indexed the built site in {search.pagefind_seconds:.1f} s."
        )
    yield " ".join(notes)
    yield from _recall(search.recall)


def _recall(recall: dict[str, list[Answer]]) -> Iterator[str]:
    if not recall:
        return
    engines = list(recall)
    rows = [
        f"| Korean recall, the one page in the first {TOP} | queries | "
        + " | ".join(engines)
        + " |",
        "|---|---|" + "---|" * len(engines),
    ]
    for kind in (*KINDS, None):
        count = sum(1 for query in PLANTED_QUERIES if kind is None or query.kind == kind)
        cells = [share_found(recall[engine], kind) for engine in engines]
        rows.append(f"| {kind or 'all'} | {count} | " + " | ".join(cells) + " |")
    yield "\n".join(rows)
    detail = [
        "| query | kind | " + " | ".join(f"{engine} (pages found)" for engine in engines) + " |",
        "|---|---|" + "---|" * len(engines),
    ]
    answers = {engine: {answer.query: answer for answer in recall[engine]} for engine in engines}
    for query in PLANTED_QUERIES:
        cells = []
        for engine in engines:
            answer = answers[engine][query]
            cells.append(f"{'found' if answer.found else 'missed'} ({answer.results})")
        detail.append(
            f"| `{query.query}` (the page: {query.on_page}) | {query.kind} | "
            + " | ".join(cells)
            + " |"
        )
    yield "\n".join(detail)
