"""The `fencerun` command: keep the result store tidy, refresh frozen outputs, show a report.

Run it from the folder of mkdocs.yml (or pass -f PATH)::

    fencerun prune              remove stored results no page used in the last build
    fencerun freeze             list frozen blocks: recorded where and when, missing, stale
    fencerun freeze --refresh   run frozen blocks on this machine and rewrite their recordings
    fencerun report             print the last build's report

It reads the plugin's settings (cache_dir, frozen_dir, timeout, max_output, workers) from the
`fencerun` entry of mkdocs.yml, without importing MkDocs.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any

import yaml

from fencerun.config import DEFAULT_CACHE_DIR, DEFAULT_FROZEN_DIR, Settings
from fencerun.engine import frozen_id
from fencerun.errors import BlockError, FencerunError, failure_of
from fencerun.fences import find_blocks
from fencerun.freeze import FrozenResults
from fencerun.model import Block, Result
from fencerun.progress import BlockProgress
from fencerun.report import REPORT_FILE, BuildReport
from fencerun.store import ResultStore

_FRONT_MATTER_RE = re.compile(r"\A-{3}[ \t]*\r?\n.*?^(?:-{3}|\.{3})[ \t]*\r?\n", re.S | re.M)


class CommandError(Exception):
    """A problem the user can fix; printed without a traceback."""


@dataclass(frozen=True)
class Project:
    settings: Settings
    docs_dir: Path


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without MkDocs: its !ENV and !!python tags become plain values."""


def _any_tag(loader: _TolerantLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return None


_TolerantLoader.add_multi_constructor("!", _any_tag)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _any_tag)


def load_project(config_file: Path) -> Project:
    """The plugin's settings as mkdocs.yml gives them."""
    try:
        config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader)
    except FileNotFoundError:
        raise CommandError(
            f"{config_file} not found: run fencerun in the folder of mkdocs.yml or pass -f PATH"
        ) from None
    except yaml.YAMLError as error:
        raise CommandError(f"{config_file} is not valid YAML: {error}") from None
    if not isinstance(config, dict):
        raise CommandError(f"{config_file}: expected a mapping of MkDocs settings")
    project_dir = config_file.resolve().parent
    options = _plugin_options(config.get("plugins"))
    given: dict[str, Any] = {}
    if "timeout" in options:
        given["timeout"] = float(options["timeout"])
    if "max_output" in options:
        given["max_output_bytes"] = int(options["max_output"])
    if options.get("workers") is not None:
        given["workers"] = int(options["workers"])
    # What blocks see decides what they print: a refreshed recording must see what the
    # build's blocks see.
    environment = options.get("environment") or {}
    passed = options.get("pass_environment") or []
    if not isinstance(environment, dict) or not isinstance(passed, list):
        raise CommandError(
            f"{config_file}: fencerun's environment must be a mapping and pass_environment "
            "a list of variable names"
        )
    given["env_extra"] = {str(name): str(value) for name, value in environment.items()}
    given["env_pass"] = tuple(str(name) for name in passed)
    try:
        settings = Settings(
            project_dir=project_dir,
            cache_dir=project_dir / str(options.get("cache_dir", DEFAULT_CACHE_DIR)),
            frozen_dir=project_dir / str(options.get("frozen_dir", DEFAULT_FROZEN_DIR)),
            **given,
        )
    except FencerunError as error:
        raise CommandError(str(error)) from None
    return Project(settings, project_dir / str(config.get("docs_dir", "docs")))


def _plugin_options(plugins: object) -> dict[str, Any]:
    entries: list[object] = []
    if isinstance(plugins, list):
        entries = plugins
    elif isinstance(plugins, dict):
        entries = [{name: value} for name, value in plugins.items()]
    for entry in entries:
        if isinstance(entry, dict) and "fencerun" in entry:
            options = entry["fencerun"]
            return options if isinstance(options, dict) else {}
    return {}


# -- prune ---------------------------------------------------------------------------------


def prune(project: Project, *, builds: int) -> int:
    with ResultStore(project.settings.cache_dir) as store:
        if not store.build_records():
            raise CommandError(
                f"no finished build is recorded in {store.builds}: build the site first "
                "(mkdocs build), then prune"
            )
        keep, since = store.keys_of_recent_builds(builds)
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
    for path in sorted(docs_dir.rglob("*.md")):
        page = path.relative_to(docs_dir).as_posix()
        source = path.read_text(encoding="utf-8")
        front_matter = _FRONT_MATTER_RE.match(source)
        body = source[front_matter.end() :] if front_matter else source
        first_line = source[: len(source) - len(body)].count("\n") + 1
        try:
            found = find_blocks(body, page, first_line=first_line)
        except BlockError as error:
            raise CommandError(error.describe(_docs_label(project))) from None
        for item in found:
            if item.block.options.freeze:
                yield FrozenBlock(page, frozen_id(item.block), item.block)


def list_frozen(project: Project, *, pages: Sequence[str]) -> int:
    frozen = FrozenResults(project.settings.frozen_dir)
    label = _docs_label(project)
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
        when = f"{provenance.started_at} on {provenance.host}" if provenance else "unknown"
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
    label = _docs_label(project)
    executor = _executor(project.settings)
    progress = BlockProgress()
    try:
        futures: list[Future[Result]] = []
        for item in chosen:
            futures += executor.submit([item.block])
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


def _executor(settings: Settings) -> Any:
    try:
        run = import_module("fencerun.run")
    except ImportError as error:
        raise CommandError(f"the block executor (fencerun.run) cannot be loaded: {error}") from None
    return run.Executor(
        project_dir=settings.project_dir,
        workers=settings.workers,
        default_timeout=settings.timeout,
        max_output_bytes=settings.max_output_bytes,
        policy=settings.isolation_policy(),
    )


def _docs_label(project: Project) -> str:
    """How the plugin's messages name the docs folder: relative to mkdocs.yml."""
    docs = os.path.relpath(project.docs_dir, project.settings.project_dir)
    return "" if docs == "." else Path(docs).as_posix() + "/"


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
