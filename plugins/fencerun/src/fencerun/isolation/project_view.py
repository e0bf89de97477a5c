"""What of the project a block may see, write and publish.

A block sees the project read-only, never its git data (`.git` holds hooks that git runs
outside any sandbox, and the CI job's token in `.git/config`), nor what the build itself
writes: the result store, the other caches and the built site. Its workdir, the one folder
it may write, and the files its output may include (pymdownx.snippets) must stand in the
project outside all of these and outside the build's virtual environment. A block without
a workdir works in a private folder that shows the project's other entries at their names,
read-only, so that it reads the project's files by the paths markdown-exec's blocks use.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

GIT_NAME = ".git"
# Folders that, wherever they stand in the project, hold tool caches (the result store's
# default home among them) or a virtual environment: never a workdir, never published.
_KEPT_NAMES = frozenset({".cache", ".venv"})
# Folders of the project a walk for `.git` entries skips: build output, caches and the
# virtual environment hold none of the project's own git data, and can be large.
_NOT_WALKED = frozenset({".venv", "node_modules", "__pycache__"})


@dataclass(frozen=True)
class ProjectView:
    """The project as blocks see it. Every path is resolved (symlinks followed)."""

    root: Path
    hidden: tuple[Path, ...]  # never shown to a block: git data and what the build writes
    not_writable: tuple[Path, ...]  # shown, read-only, and never a workdir (the venv)

    def withheld(self, path: Path) -> str:
        """Why a block may neither write nor publish `path` (absolute), said as the end of a
        sentence about it; "" when it may. Checked as named and where its symlinks lead."""
        named = Path(os.path.abspath(path))
        for seen in dict.fromkeys((named, Path(os.path.realpath(named)))):
            if not _inside(seen, self.root):
                return f"leads out of the project (to {seen})"
            parts = seen.relative_to(self.root).parts
            if GIT_NAME in parts:
                return "is git data, which git runs hooks from"
            kept_names = [part for part in parts if part in _KEPT_NAMES]
            kept = [
                folder for folder in (*self.hidden, *self.not_writable) if _inside(seen, folder)
            ]
            if kept_names or kept:
                name = kept_names[0] if kept_names else _name(kept[0], self.root)
                return f"is inside {name}, which the build keeps to itself"
        return ""

    def workdir_problem(self, workdir: str) -> str:
        """Why `workdir` (as written in a block's options) may not be a block's workdir;
        "" when it may."""
        if os.path.isabs(workdir):
            return f'workdir="{workdir}" is an absolute path; name a folder of the project'
        if problem := self.withheld(self.root / workdir):
            return f'workdir="{workdir}" {problem}'
        if not (self.root / workdir).is_dir():
            return f'workdir="{workdir}" is not a folder of the project'
        return ""

    def workdir(self, workdir: str) -> str:
        """The real path of an allowed workdir."""
        return os.path.realpath(self.root / workdir)

    def shown_entries(self) -> tuple[str, ...]:
        """The project folder's entries a block's own working folder shows, at the same
        names, so that relative paths read as from the project folder (markdown-exec runs
        blocks there): every entry but the hidden ones, as it stands now."""
        try:
            names = sorted(os.listdir(self.root))
        except OSError:
            return ()
        entries = (str(self.root / name) for name in names)
        return tuple(entry for entry in entries if not self._hides(entry))

    def _hides(self, entry: str) -> bool:
        real = Path(os.path.realpath(entry))
        return any(_inside(real, folder) for folder in self.hidden)


def project_view(project_dir: Path, build_dirs: Iterable[Path] = ()) -> ProjectView:
    """The view of `project_dir` blocks get; `build_dirs` are the folders the build writes
    (result store, caches, site_dir), inside the project or not."""
    root = Path(os.path.realpath(project_dir))
    written = {Path(os.path.realpath(folder)) for folder in build_dirs}
    written.add(root / ".cache")  # every cache of the site's plugins, by convention
    hidden = sorted({*written, *_git_entries(root, skip=written)})
    venvs = {Path(os.path.realpath(prefix)) for prefix in (sys.prefix, root / ".venv")}
    return ProjectView(
        root=root,
        hidden=tuple(hidden),
        not_writable=tuple(sorted(venv for venv in venvs if _inside(venv, root))),
    )


def _git_entries(root: Path, *, skip: set[Path]) -> list[Path]:
    """Every `.git` folder or file (a worktree's or submodule's pointer) in the project."""
    found = []
    for folder, subfolders, files in os.walk(root):
        here = Path(folder)
        if GIT_NAME in subfolders or GIT_NAME in files:
            found.append(here / GIT_NAME)
        subfolders[:] = [
            name
            for name in subfolders
            if name != GIT_NAME and name not in _NOT_WALKED and here / name not in skip
        ]
    return found


def _name(folder: Path, root: Path) -> str:
    """How messages name a folder: from the project folder where it is inside it."""
    return str(folder.relative_to(root)) if _inside(folder, root) else str(folder)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents
