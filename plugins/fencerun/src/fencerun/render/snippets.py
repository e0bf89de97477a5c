"""pymdownx.snippets lines in a block's output: included only from files the block could read.

pymdownx.snippets is a preprocessor. It reads the page's whole Markdown after fencerun has put
the outputs in, code fences and raw HTML included, and it reads files as the build does, which
no sandbox confines. Unchecked, a block that prints `--8<-- ".git/config"` would publish a file
it could not read itself. So every line of an output that snippets would act on is checked
first, read the way snippets reads it (its inline form with a quoted name, line ranges and
sections, its blocks of names between two bare markers, its `;` escape, its base paths):

- a line naming only files of the block's view (`SnippetView`) is left for snippets;
- any other (a hidden or missing file, a path out of the project, a URL, a block of names
  that never ends) gets snippets' `;` escape, so the page shows it as the block printed it;
- a line the block escaped itself gets one more `;`, so it too shows as printed.

Snippets takes one `;` off at each reading, and a Markdown output is read twice: in the page,
and again when `markdown_ext` converts it on its own with the page's extensions. So its
refused lines get two, and its allowed lines one, which leaves them to the second reading:
what they include is read once, as in the page.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from fencerun.errors import BlockError, failure_of
from fencerun.includes import SNIPPETS
from fencerun.isolation.project_view import ProjectView
from fencerun.model import Block, Result
from fencerun.render.markup import clean
from fencerun.render.output import snippet_passes

# A line snippets acts on: indentation, escaping semicolons, a marker such as --8<-- or -8<-,
# then a quoted file name ending the line (the inline form) or nothing (a bare marker, which
# opens or closes a block of names, one a line).
_MARKER_RE = re.compile(
    r"""[ \t]*(?P<escape>;*)-+8<-+
    (?:[ \t]+(?P<quoted>"(?:\\"|[^"\n])+?"|'(?:\\'|[^'\n])+?'))?""",
    re.VERBOSE,
)
# What snippets takes off the end of a name: line ranges (:3, :3:5, :3:5,8:9) or a section.
_NAME_RE = re.compile(
    r"(?P<path>.*?)(?::-?[0-9]*(?::-?[0-9]*)?(?:,(?=[-0-9:])-?[0-9]*(?::-?[0-9]*)?)*"
    r"|:[a-z][-_0-9a-z]*)?",
    re.IGNORECASE,
)
_URL_PREFIXES = ("http://", "https://")
_UNENDED_BLOCK = "a bare --8<-- line that starts a block of names and never ends it"


@dataclass(frozen=True)
class SnippetView:
    """Where pymdownx.snippets looks for a name, and which files an output may include: those
    the project's view lets blocks publish (`ProjectView.withheld`)."""

    project: ProjectView
    base_paths: tuple[str, ...]  # absolute, as snippets makes them of its base_path setting
    restrict_base_path: bool = True  # snippets' own setting of that name

    def allows(self, name: str) -> bool:
        """Whether snippets would include `name` (as written after the marker, line ranges or
        section included), and from a file blocks may see."""
        match = _NAME_RE.fullmatch(name)
        path = match["path"].strip() if match else ""
        if not path or path.lower().startswith(_URL_PREFIXES):
            return False
        candidates = {base: _candidate(base, path) for base in self.base_paths}
        found = any(
            candidate is not None and self._picks(base, candidate)
            for base, candidate in candidates.items()
        )
        # Every file the name could mean, whether snippets' rules (which changed between its
        # releases) would pick it or not, must be visible.
        return found and not any(
            self.project.withheld(c) for c in candidates.values() if c is not None
        )

    def _picks(self, base: str, candidate: Path) -> bool:
        """Whether snippets takes `candidate`, found under `base`: restricted, only inside."""
        if not self.restrict_base_path or not os.path.isdir(base):
            return True
        return str(candidate).startswith(base.rstrip(os.sep) + os.sep)


def _candidate(base: str, path: str) -> Path | None:
    """The file `path` names under the base path `base`, if there is one."""
    if os.path.isdir(base):
        candidate = Path(os.path.abspath(os.path.join(base, path)))
        return candidate if candidate.exists() else None
    # A base path that is a file gives that file alone.
    candidate = Path(os.path.abspath(os.path.join(os.path.dirname(base), path)))
    if os.path.exists(base) and candidate.exists() and os.path.samefile(candidate, base):
        return candidate
    return None


def snippets_of(
    extensions: Sequence[object], configs: Mapping[str, Any], project: ProjectView
) -> SnippetView | None:
    """Where the site's pymdownx.snippets looks for files, and what outputs may include from
    `project` (the top-level build's view: its site_dir holds every language's, for
    static-i18n builds the others into folders of it); None without snippets."""
    options = snippet_settings(extensions, configs)
    if options is None:
        return None
    return SnippetView(
        project=project,
        base_paths=tuple(options["base_path"]),
        restrict_base_path=bool(options.get("restrict_base_path", True)),
    )


def snippet_settings(
    extensions: Sequence[object], configs: Mapping[str, Any]
) -> dict[str, Any] | None:
    """The site's pymdownx.snippets settings with its base paths absolute (snippets reads
    them relative to the folder the build runs in); None without snippets."""
    if SNIPPETS not in extensions:
        return None
    options = dict(configs.get(SNIPPETS, {}))
    base = options.get("base_path", ["."])
    # As snippets reads the setting: one path or a list.
    bases = [base] if isinstance(base, str | os.PathLike) else base
    options["base_path"] = [os.path.abspath(path) for path in bases]
    return options


def confine_output(
    block: Block, result: Result, view: SnippetView, *, readings: int = 1
) -> tuple[Result, BlockError | None]:
    """The result as its page may show it, and a warning naming what was refused, if anything.

    `readings`: how often snippets reads the text where the block stands: once in the page,
    never in a blockquote (each line starts with ">"), once more in each literate Markdown
    output around it; a Markdown output's own conversion reads it once more.
    """
    own = snippet_passes(block)
    passes = own - 1 + readings if own else 0
    if passes <= 0 or failure_of(block, result) is not None:
        return result, None  # no reading by snippets, or (failed) shown HTML-escaped
    text = clean(result.shown_output)
    confined, refused = confine(text, view, passes)
    if confined == text:
        return result, None
    warning = None
    if refused:
        warning = BlockError(
            block.location,
            "its output has pymdownx.snippets lines that would include what blocks cannot "
            f"read ({', '.join(dict.fromkeys(refused))}); they are shown as text",
            "an output may include only files in the project that blocks can read: none "
            "under .git, .cache, .venv, the result store or site_dir, no URL, no path that "
            "leaves the project",
        )
    # The confined text is all the page shows: a stderr it took in is no longer apart.
    return replace(result, output=confined, stderr=""), warning


def confine(text: str, view: SnippetView, passes: int) -> tuple[str, list[str]]:
    """`text` (already `clean`) with every snippet line that would include anything but files
    `view` allows escaped for `passes` readings by snippets; and what was refused."""
    lines = text.split("\n")
    kept = list(lines)
    refused: list[str] = []
    block_ends: set[int] = set()
    for number, line in enumerate(lines):
        marker = _MARKER_RE.fullmatch(line)
        if marker is None or number in block_ends:
            continue
        if marker["escape"]:
            allowed = False  # snippets takes one ";" off per reading: shown as printed
        elif marker["quoted"] is not None:
            name = marker["quoted"][1:-1].strip()
            allowed = view.allows(name)
            if not allowed:
                refused.append(f'"{name}"')
        else:
            end = _block_end(lines, number)
            if end is None:
                allowed = False
                refused.append(_UNENDED_BLOCK)
            else:
                names = [n.strip() for n in lines[number + 1 : end] if not _MARKER_RE.fullmatch(n)]
                # Blank lines and names commented out with ";" include nothing.
                bad = [n for n in names if n and not n.startswith(";") and not view.allows(n)]
                refused.extend(f'"{name}"' for name in bad)
                allowed = not bad
                block_ends.add(end)
                kept[end] = _escaped(lines[end], passes - allowed)
        kept[number] = _escaped(line, passes - allowed)
    return "\n".join(kept), refused


def _block_end(lines: list[str], start: int) -> int | None:
    """The bare marker that ends the block of names opened at `start`, as snippets finds it."""
    for number in range(start + 1, len(lines)):
        marker = _MARKER_RE.fullmatch(lines[number])
        if marker and not marker["escape"] and marker["quoted"] is None:
            return number
    return None


def _escaped(line: str, times: int) -> str:
    """The line with `times` more escaping semicolons, where snippets looks for them."""
    indent = len(line) - len(line.lstrip(" \t"))
    return line[:indent] + ";" * times + line[indent:]
