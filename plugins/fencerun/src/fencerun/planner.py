"""Find and plan: a page's exec fences found, checked and keyed, ready for the engine to run.

A page is parsed once per text: its fences are kept for the planner's life (a `mkdocs serve`
rebuild parses only the pages that changed), its blocks' keys for one build (a workdir's
files may change between builds). A block's key covers the earlier blocks of its session,
which run before it in one job.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from types import MappingProxyType

from fencerun.errors import BlockError
from fencerun.fences import FoundBlock, PageFences, scan_page
from fencerun.includes import SnippetIncluder
from fencerun.isolation.environment import block_environment
from fencerun.isolation.project_view import project_view
from fencerun.keys import BlockKeys
from fencerun.model import Block, PageSource
from fencerun.options import LITERATE
from fencerun.run.steps import check_workdir
from fencerun.settings import Settings

# Parsed pages kept between builds: every page of a large site in two languages, with room
# for the versions an author saves while serving.
SCANS_KEPT = 2048


class PagePlanner:
    def __init__(self, settings: Settings) -> None:
        self._keys = _block_keys(settings)
        self._pages: dict[tuple[str, str, int], PageFences] = {}
        self._scans: dict[tuple[str, str, int, bool], PageFences] = {}
        self._key_of: dict[Block, str] = {}
        # The key of every block of the pages planned in this build.
        self.keys: Mapping[Block, str] = MappingProxyType(self._key_of)
        self._open_build(settings)

    def _open_build(self, settings: Settings) -> None:
        """The state of one top-level build."""
        self.settings = settings
        snippets = settings.snippets
        # Takes in what block bodies include; None when the site does not use snippets.
        self.include = SnippetIncluder(snippets) if snippets is not None else None
        # What blocks may see, write and publish; walked once per build, since a `.git` may
        # come or go between serve rebuilds.
        self.view = project_view(settings.project_dir, settings.written_dirs)
        self._pages.clear()
        self._key_of.clear()

    def start_build(self, settings: Settings) -> None:
        """A new top-level build: pages are planned again and workdirs fingerprinted afresh."""
        if key_environment(settings) != self._keys.environment:
            self._keys = _block_keys(settings)
        else:
            self._keys.start_build(settings)
        if settings.snippets != self.settings.snippets:
            self._scans.clear()  # block bodies include other files now
        self._open_build(settings)

    def plan(self, page: PageSource) -> PageFences:
        """The page's fences, parsed once per text; a malformed block raises BlockError."""
        cache_key = (page.path, page.markdown, page.first_line)
        fences = self._pages.get(cache_key)
        if fences is None:
            fences = self._scan(page)
            self._check_sessions(fences.blocks)
            for found in fences.blocks:
                check_workdir(found.block, self.view)
            for found in fences.blocks:
                session = [b for b in _blocks(fences) if _same_session(b, found.block)]
                earlier = session[: session.index(found.block)]
                self._key_of[found.block] = self._keys(found.block, earlier)
            self._pages[cache_key] = fences
        return fences

    def planned(self) -> list[PageFences]:
        """The fences of every page planned in this build."""
        return list(self._pages.values())

    def _scan(self, page: PageSource) -> PageFences:
        """A page's fences, parsed once per text for the planner's life: a `mkdocs serve`
        rebuild parses only the pages that changed (their keys are computed afresh, since
        a workdir's files may have changed), and those whose blocks include files."""
        scan_key = (page.path, page.markdown, page.first_line, self.settings.markdown_default)
        fences = self._scans.get(scan_key)
        if fences is None:
            fences = scan_page(
                page.markdown,
                page.path,
                first_line=page.first_line,
                markdown_default=self.settings.markdown_default,
                include=self.include,
            )
            if fences.includes_files:
                return fences  # kept for this build only, by `plan`
            if len(self._scans) >= SCANS_KEPT:
                self._scans.pop(next(iter(self._scans)))  # the oldest
            self._scans[scan_key] = fences
        return fences

    @staticmethod
    def _check_sessions(blocks: Sequence[FoundBlock]) -> None:
        for found in blocks:
            options = found.block.options
            if options.freeze and options.session:
                raise BlockError(
                    found.block.location,
                    "a frozen block cannot be part of a session",
                    "later blocks of the session would miss the state it builds; "
                    "remove freeze or session",
                )


def session_of(block: Block, fences: PageFences) -> list[Block]:
    """The blocks of the page that share the block's session (the block alone if none)."""
    return [member for member in _blocks(fences) if _same_session(member, block)]


def job_for(session: list[Block], missing: list[Block]) -> list[Block]:
    """What runs, as one job, for a session some of whose results are missing: every block
    up to the last missing one, since each may rely on the state the earlier ones built."""
    return session[: session.index(missing[-1]) + 1] if missing else []


def key_environment(settings: Settings, environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """The part of a block's environment the site chooses (variables passed through from the
    build or set in its config), as the executor gives it to blocks: part of every key.

    The sandbox's fixed allow-list (locale, PATH, a fresh HOME and TMPDIR, the project's
    folder) stays out: it differs between machines and checkouts only by paths, and keying
    it would turn a store restored on another machine (CI) into misses.
    """
    policy = settings.isolation_policy()
    chosen = {*policy.env_pass, *policy.env_extra}
    seen = block_environment(policy, environ, home="", tmp="", config_dir="")
    return {name: value for name, value in seen.items() if name in chosen}


def _block_keys(settings: Settings) -> BlockKeys:
    return BlockKeys.for_settings(settings, environment=key_environment(settings))


def _blocks(fences: PageFences) -> list[Block]:
    return [found.block for found in fences.blocks]


def _same_session(candidate: Block, block: Block) -> bool:
    # Literate Markdown runs nothing, so it has no state to share, whatever its header says.
    if not block.options.session or LITERATE in (candidate.language, block.language):
        return candidate == block
    return candidate.options.session == block.options.session
