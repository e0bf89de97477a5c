"""One warm build under cProfile: where its time goes, the site's own plugins' hooks first.

cProfile slows the build (more where Python calls many small functions), so the shares
matter here, not the seconds; the build's own time is in the build table.
"""

from __future__ import annotations

import pstats
from pathlib import Path

from .builds import timed_build
from .project import REPO, Project, environment

SITE_PLUGINS = REPO / "plugins"
TOP = 20


def profile_warm_build(project: Project) -> str:
    """Runs `mkdocs build --strict` (what scripts/site build runs) under cProfile."""
    profile = project.log("profiled warm build").with_suffix(".prof")
    python = str(project.root / ".venv" / "bin" / "python")
    argv = [python, "-m", "cProfile", "-o", str(profile), "-m", "mkdocs", "build", "--strict"]
    build = timed_build(
        "profiled warm build", argv, project.root, environment(), project.log("profiled warm build")
    )
    stats = pstats.Stats(str(profile))
    entries = stats.stats  # type: ignore[attr-defined]
    total = max(cumulative for _, _, _, cumulative, _ in entries.values())
    hooks = sorted(
        (
            (cumulative, f"{_short(path)} {name}")
            for (path, _, name), (_, _, _, cumulative, _) in entries.items()
            if Path(path).is_relative_to(SITE_PLUGINS) and name.lstrip("_").startswith("on_")
        ),
        reverse=True,
    )
    own = sorted(
        (
            (own_time, f"{_short(path)}:{line} {name}")
            for (path, line, name), (_, _, own_time, _, _) in entries.items()
        ),
        reverse=True,
    )
    lines = [
        f"Profiled warm build: {build.seconds:.1f} s under cProfile. The site's plugins' hooks, "
        "by time spent in them and all they call (share of the whole build):",
        "",
        "| hook | seconds | share |",
        "|---|---|---|",
        *(f"| {name} | {seconds:.1f} | {seconds / total:.0%} |" for seconds, name in hooks[:TOP]),
        "",
        f"The {TOP} functions with the most time of their own:",
        "",
        "| function | seconds | share |",
        "|---|---|---|",
        *(f"| {name} | {seconds:.1f} | {seconds / total:.0%} |" for seconds, name in own[:TOP]),
    ]
    return "\n".join(lines)


def _short(path: str) -> str:
    """A source path from its package on (plugins/x/src/pkg/..., site-packages/pkg/...)."""
    parts = Path(path).parts
    for marker in ("src", "site-packages", "lib"):
        if marker in parts:
            return "/".join(parts[len(parts) - parts[::-1].index(marker) :])
    return path
