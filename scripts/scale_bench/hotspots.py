"""A warm build and a plain build under cProfile: where the time goes, and where the
site's build spends what the plain one does not.

cProfile slows a build (more where Python calls many small functions), so the shares and
differences matter here, not the seconds; the builds' own times are in the build table.
"""

from __future__ import annotations

import pstats
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .builds import timed_build
from .project import PLAIN_OUT, PLAIN_YML, Project, environment

TOP = 15

Function = tuple[str, int, str]  # cProfile's key: file, line, name


@dataclass(frozen=True)
class Profile:
    seconds: float  # the build under cProfile, wall time
    total: float  # the profiled run's own account of its time
    own: dict[Function, float]  # time spent in each function itself
    cumulative: dict[Function, float]  # ... and in all it calls


def profile_warm_builds(project: Project) -> str:
    site = _profiled(project, "profiled warm build", ["--strict"])
    plain = _profiled(project, "profiled plain build", ["-f", PLAIN_YML, "-d", PLAIN_OUT])
    hooks = sorted(
        (
            (seconds, f"{_short(path)} {name}")
            for (path, _, name), seconds in site.cumulative.items()
            if _site_plugin(path) and name.lstrip("_").startswith("on_")
        ),
        reverse=True,
    )
    site_packages, plain_packages = _by_package(site.own), _by_package(plain.own)
    packages = sorted(
        site_packages.keys() | plain_packages.keys(),
        key=lambda name: site_packages.get(name, 0.0) - plain_packages.get(name, 0.0),
        reverse=True,
    )
    added = sorted(
        (
            (seconds - plain.own.get(function, 0.0), _name(function))
            for function, seconds in site.own.items()
        ),
        reverse=True,
    )
    heaviest = sorted(((seconds, _name(f)) for f, seconds in site.own.items()), reverse=True)
    return "\n".join(
        [
            f"Under cProfile a warm `scripts/site build` took {site.seconds:.1f} s and the plain "
            f"build {plain.seconds:.1f} s. The site's plugins' hooks, by the time spent in them "
            "and all they call (share of the whole warm build):",
            "",
            "| hook | seconds | share |",
            "|---|---|---|",
            *_rows(hooks[:TOP], site.total),
            "",
            "Time of their own, by package, the packages that cost the site's build more than "
            "the plain one first (built-ins: C functions such as getattr and str.join, called "
            "from any package):",
            "",
            "| package | site s | plain s | site - plain |",
            "|---|---|---|---|",
            *(
                f"| {name} | {site_packages.get(name, 0.0):.1f} "
                f"| {plain_packages.get(name, 0.0):.1f} "
                f"| {site_packages.get(name, 0.0) - plain_packages.get(name, 0.0):+.1f} |"
                for name in packages[:TOP]
            ),
            f"| all | {site.total:.1f} | {plain.total:.1f} | {site.total - plain.total:+.1f} |",
            "",
            f"The {TOP} functions with the most time of their own in the warm build:",
            "",
            "| function | seconds | share |",
            "|---|---|---|",
            *_rows(heaviest[:TOP], site.total),
            "",
            f"The {TOP} functions whose own time the warm build adds to the plain one's:",
            "",
            "| function | seconds more | share of the warm build |",
            "|---|---|---|",
            *_rows(added[:TOP], site.total),
        ]
    )


def _profiled(project: Project, what: str, arguments: list[str]) -> Profile:
    """`mkdocs build` with arguments, as scripts/site runs it, under cProfile."""
    profile = project.log(what).with_suffix(".prof")
    python = str(project.root / ".venv" / "bin" / "python")
    argv = [python, "-m", "cProfile", "-o", str(profile), "-m", "mkdocs", "build", *arguments]
    build = timed_build(what, argv, project.root, environment(), project.log(what))
    entries = pstats.Stats(str(profile)).stats  # type: ignore[attr-defined]
    own = {function: float(row[2]) for function, row in entries.items()}
    cumulative = {function: float(row[3]) for function, row in entries.items()}
    return Profile(build.seconds, max(cumulative.values()), own, cumulative)


def _by_package(own: dict[Function, float]) -> dict[str, float]:
    packages: dict[str, float] = {}
    for (path, _, _), seconds in own.items():
        package = _package(path)
        packages[package] = packages.get(package, 0.0) + seconds
    return packages


def _rows(ranked: Iterable[tuple[float, str]], total: float) -> Iterable[str]:
    return (f"| {name} | {seconds:.1f} | {seconds / total:.0%} |" for seconds, name in ranked)


def _package(path: str) -> str:
    """Who a profiled function belongs to: a site plugin, a package, or the built-ins."""
    if path == "~":
        return "built-ins"
    if path.startswith("<frozen"):
        return "python standard library"
    source = Path(path)
    if "overrides" in source.parts and source.suffix == ".html":
        return "the site's templates (overrides/)"
    if plugin := _site_plugin(path):
        return f"site plugin {plugin}"
    if "site-packages" in source.parts:
        package = source.parts[source.parts.index("site-packages") + 1]
        return f"{package} templates" if source.suffix == ".html" else package
    return "python standard library" if "lib" in source.parts else path


def _site_plugin(path: str) -> str | None:
    """The site plugin a source file is part of (plugins/<name>/src/...): the copy's own, as
    its `scripts/site` installs them into the venv it links."""
    parts = Path(path).parts
    for index in range(len(parts) - 2):
        if parts[index] == "plugins" and parts[index + 2] == "src":
            return parts[index + 1]
    return None


def _name(function: Function) -> str:
    path, line, name = function
    return f"{_short(path)}:{line} {name}" if path != "~" else name


def _short(path: str) -> str:
    """A source path from its package on (plugins/x/src/pkg/..., site-packages/pkg/...)."""
    parts = Path(path).parts
    for marker in ("src", "site-packages", "lib"):
        if marker in parts:
            return "/".join(parts[len(parts) - parts[::-1].index(marker) :])
    return path
