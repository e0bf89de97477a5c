"""The `fencerun` command: keep the result store tidy, refresh frozen outputs, show a report.

Run it from the folder of mkdocs.yml (or pass -f PATH)::

    fencerun prune              remove stored results no page used in the last build
    fencerun freeze             list frozen blocks: recorded when, missing, stale
    fencerun freeze --refresh   run frozen blocks on this machine and rewrite their recordings
    fencerun report             print the last build's report

It reads mkdocs.yml as `mkdocs build` does (MkDocs' own loader: INHERIT, !ENV, validation
of the plugin's options), so it uses the settings the build uses.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError

from fencerun.config import FencerunConfig, engine_settings
from fencerun.errors import BlockError, FencerunError, failure_of
from fencerun.fences import find_blocks
from fencerun.freeze import FrozenResults, frozen_id
from fencerun.includes import SnippetIncluder
from fencerun.model import Block, Result
from fencerun.page_sources import page_body
from fencerun.plugin import FencerunPlugin
from fencerun.progress import BlockProgress
from fencerun.report import REPORT_FILE, BuildReport
from fencerun.run import Executor
from fencerun.settings import Settings
from fencerun.store import ResultStore


class CommandError(Exception):
    """A problem the user can fix; printed without a traceback."""


@dataclass(frozen=True)
class Project:
    settings: Settings
    docs_dir: Path


def load_project(config_file: Path) -> Project:
    """The plugin's settings and the docs folder, as `mkdocs build` reads them."""
    if not config_file.is_file():
        raise CommandError(
            f"{config_file} not found: run fencerun in the folder of mkdocs.yml or pass -f PATH"
        )
    try:
        config = load_config(str(config_file))
    except (Abort, ConfigurationError) as error:
        # MkDocs has logged each problem above.
        raise CommandError(f"{config_file}: {error}") from None
    plugin = config.plugins.get("fencerun")
    options = plugin.config if isinstance(plugin, FencerunPlugin) else _default_options()
    try:
        settings = engine_settings(config, options)
    except FencerunError as error:
        raise CommandError(str(error)) from None
    return Project(settings, Path(config.docs_dir))


def _default_options() -> FencerunConfig:
    """The plugin's defaults, for a site that does not enable it (yet)."""
    options = FencerunConfig()
    options.load_dict({})
    options.validate()
    return options


# -- prune ---------------------------------------------------------------------------------


def prune(project: Project, *, builds: int) -> int:
    with ResultStore(project.settings.cache_dir) as store:
        if not store.builds.paths():
            raise CommandError(
                f"no finished build is recorded in {store.builds.folder}: build the site first "
                "(mkdocs build), then prune"
            )
        keep, since = store.builds.keys_of_recent(builds)
        try:
            before = len(store.stored_keys())
            removed = store.prune(keep, keep_newer_than=since)
        except OSError as error:
            raise CommandError(
                f"{error}: make cache_dir writable, or try again once no build runs"
            ) from None
    which = "the last build" if builds == 1 else f"the last {builds} builds"
    print(f"removed {removed} of {before} stored results; kept those {which} used")
    return 0


# -- report --------------------------------------------------------------------------------


def report(project: Project, *, file: Path | None, as_json: bool) -> int:
    path = file or project.settings.cache_dir / REPORT_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CommandError(f"{path} not found: build the site first (mkdocs build)") from None
    try:
        loaded = BuildReport.from_json(text)
    except ValueError as error:
        raise CommandError(f"{path}: {error}") from None
    print(text.rstrip("\n") if as_json else loaded.render_text())
    return 0


# -- freeze --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FrozenBlock:
    page: str  # relative to the docs folder, as the plugin names pages
    block_id: str
    block: Block


def frozen_blocks(project: Project) -> Iterator[FrozenBlock]:
    """Every block marked freeze="on" in the docs folder, page by page."""
    docs_dir = project.docs_dir
    if not docs_dir.is_dir():
        raise CommandError(f"{docs_dir} is not a folder: set docs_dir in mkdocs.yml")
    snippets = project.settings.snippets
    include = SnippetIncluder(snippets) if snippets is not None else None
    for path in sorted(docs_dir.rglob("*.md")):
        page = path.relative_to(docs_dir).as_posix()
        body, first_line = page_body(path.read_text(encoding="utf-8"))
        try:
            found = find_blocks(body, page, first_line=first_line, include=include)
        except BlockError as error:
            raise CommandError(error.describe(project.settings.docs_label)) from None
        for item in found:
            if item.block.options.freeze:
                yield FrozenBlock(page, frozen_id(item.block), item.block)


def list_frozen(project: Project, *, pages: Sequence[str]) -> int:
    frozen = FrozenResults(project.settings.frozen_dir)
    label = project.settings.docs_label
    seen = set()
    for item in frozen_blocks(project):
        if pages and item.page not in pages:
            continue
        seen.add(frozen.path_for(item.page, item.block_id))
        where = f"{label}{item.block.location} ({item.block_id})"
        recording = frozen.recording(item.page, item.block_id)
        if recording is None:
            print(f"{where}: not recorded yet; the next build or --refresh records it")
            continue
        provenance = recording.result.provenance
        when = provenance.started_at if provenance else "unknown"
        stale = frozen.is_stale(item.page, item.block_id, item.block)
        state = "STALE, the code changed since; run --refresh" if stale else "recorded"
        print(f"{where}: {state} {when}")
    for recording in frozen.recordings():
        if recording.path not in seen and (not pages or recording.page in pages):
            print(f"{_relative(recording.path)}: no frozen block uses it any more; delete it")
    return 0


def refresh_frozen(project: Project, *, pages: Sequence[str]) -> int:
    """Runs the frozen blocks (of `pages`, or all) here and rewrites their recordings."""
    chosen = [item for item in frozen_blocks(project) if not pages or item.page in pages]
    unknown = set(pages) - {item.page for item in chosen}
    if unknown:
        raise CommandError(
            f"no frozen block in {', '.join(sorted(unknown))}: name pages relative to "
            f"{_relative(project.docs_dir)}/, e.g. ko/blog/posts/post.md"
        )
    if not chosen:
        print('no block is marked freeze="on"; nothing to refresh')
        return 0
    frozen = FrozenResults(project.settings.frozen_dir)
    label = project.settings.docs_label
    executor = Executor.for_settings(project.settings)
    progress = BlockProgress()
    try:
        futures: list[Future[Result]] = []
        for item in chosen:
            try:
                futures += executor.submit([item.block])
            except BlockError as error:
                raise CommandError(error.describe(label)) from None
        progress.watch(futures)
        failed = 0
        for item, future in zip(chosen, futures, strict=True):
            result = future.result()
            failure = failure_of(item.block, result)
            if failure is not None:
                failed += 1
                print(failure.describe(label) + "\n  (its old recording is kept)", file=sys.stderr)
                continue
            frozen.put(item.page, item.block_id, result, block=item.block)
            took = f" in {result.provenance.duration_s:.1f} s" if result.provenance else ""
            print(f"recorded {label}{item.block.location} ({item.block_id}){took}")
    finally:
        progress.close()
        executor.close()
    if failed:
        print(f"{failed} of {len(chosen)} frozen blocks failed", file=sys.stderr)
        return 1
    return 0


def _relative(path: Path) -> str:
    try:
        return Path(os.path.relpath(path)).as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()


# -- command line --------------------------------------------------------------------------


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(
        prog="fencerun",
        description="Manage fencerun's stored and frozen block results.",
    )
    main_parser.add_argument(
        "-f",
        "--config-file",
        type=Path,
        default=Path("mkdocs.yml"),
        help="the site's mkdocs.yml (default: ./mkdocs.yml)",
    )
    commands = main_parser.add_subparsers(dest="command", required=True)
    prune_parser = commands.add_parser(
        "prune", help="remove stored results that no page used in the last build(s)"
    )
    prune_parser.add_argument(
        "--builds",
        type=int,
        default=1,
        metavar="N",
        help="keep what any of the last N recorded builds used (default: 1)",
    )
    freeze_parser = commands.add_parser(
        "freeze", help="list frozen blocks, or rerun them here with --refresh"
    )
    freeze_parser.add_argument(
        "--refresh",
        action="store_true",
        help="run the frozen blocks on this machine and rewrite their recordings",
    )
    freeze_parser.add_argument(
        "--page",
        action="append",
        default=[],
        metavar="PAGE",
        help="only this page (relative to the docs folder); repeatable",
    )
    report_parser = commands.add_parser("report", help="print the last build's report")
    report_parser.add_argument(
        "--file", type=Path, help="a report file (default: the one in the cache folder)"
    )
    report_parser.add_argument("--json", action="store_true", help="print the raw JSON")
    return main_parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    try:
        project = load_project(arguments.config_file)
        if arguments.command == "prune":
            if arguments.builds < 1:
                raise CommandError("--builds must be 1 or more")
            return prune(project, builds=arguments.builds)
        if arguments.command == "report":
            return report(project, file=arguments.file, as_json=arguments.json)
        if arguments.refresh:
            return refresh_frozen(project, pages=arguments.page)
        return list_frozen(project, pages=arguments.page)
    except CommandError as error:
        print(f"fencerun: error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
