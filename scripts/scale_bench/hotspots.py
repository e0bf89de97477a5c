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
    by_package: dict[str, float] = {}
    for (path, _, _), (_, _, own_time, _, _) in entries.items():
        package = _package(path)
        by_package[package] = by_package.get(package, 0.0) + own_time
    packages = sorted(((seconds, name) for name, seconds in by_package.items()), reverse=True)
    lines = [
        f"Profiled warm build: {build.seconds:.1f} s under cProfile. The site's plugins' hooks, "
        "by time spent in them and all they call (share of the whole build):",
        "",
        "| hook | seconds | share |",
        "|---|---|---|",
        *(f"| {name} | {seconds:.1f} | {seconds / total:.0%} |" for seconds, name in hooks[:TOP]),
        "",
        "Time of their own, by package (templates apart from code; built-ins: C functions "
        "such as getattr and str.join, called from any package):",
        "",
        "| package | seconds | share |",
        "|---|---|---|",
        *(
            f"| {name} | {seconds:.1f} | {seconds / total:.0%} |"
            for seconds, name in packages[:TOP]
        ),
        "",
        f"The {TOP} functions with the most time of their own:",
        "",
        "| function | seconds | share |",
        "|---|---|---|",
        *(f"| {name} | {seconds:.1f} | {seconds / total:.0%} |" for seconds, name in own[:TOP]),
    ]
    return "\n".join(lines)


def _package(path: str) -> str:
    """Who a profiled function belongs to: a site plugin, a package, or the built-ins."""
    if path == "~":
        return "built-ins"
    if path.startswith("<frozen"):
        return "python standard library"
    source = Path(path)
    if "overrides" in source.parts and source.suffix == ".html":
        return "the site's templates (overrides/)"
    if source.is_relative_to(SITE_PLUGINS):
        return f"site plugin {source.relative_to(SITE_PLUGINS).parts[0]}"
    if "site-packages" in source.parts:
        package = source.parts[source.parts.index("site-packages") + 1]
        return f"{package} templates" if source.suffix == ".html" else package
    return "python standard library" if "lib" in source.parts else path


def _short(path: str) -> str:
    """A source path from its package on (plugins/x/src/pkg/..., site-packages/pkg/...)."""
    parts = Path(path).parts
    for marker in ("src", "site-packages", "lib"):
        if marker in parts:
            return "/".join(parts[len(parts) - parts[::-1].index(marker) :])
    return path
