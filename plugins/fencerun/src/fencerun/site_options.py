"""The site's fencerun options as plain values, with their defaults, and the engine's `Settings`
made of them. MkDocs reads the options from mkdocs.yml itself (`config.py`); where no MkDocs
runs (Zensical, which drops the options of plugins it does not know), `read_site_options`
checks the plugin's entry as the site's config file gives it, so both builds of one site get
the same settings, and so the same block keys."""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

from fencerun.errors import FencerunError
from fencerun.settings import (
    DEFAULT_CACHE_DIR,
    DEFAULT_FROZEN_DIR,
    DEFAULT_MAX_OUTPUT,
    DEFAULT_TIMEOUT,
    Settings,
    execute_switch,
)

OnError = Literal["fail", "warn"]
DefaultOutput = Literal["text", "markdown"]


@dataclass(frozen=True)
class SiteOptions:
    execute: bool = True
    timeout: float = DEFAULT_TIMEOUT
    workers: int | None = None
    max_output: int = DEFAULT_MAX_OUTPUT
    environment: Mapping[str, str] = field(default_factory=dict)
    pass_environment: tuple[str, ...] = ()
    on_error: OnError = "fail"
    default_output: DefaultOutput = "text"
    provenance: bool = True
    cache_dir: str = DEFAULT_CACHE_DIR
    frozen_dir: str = DEFAULT_FROZEN_DIR


OPTION_NAMES: tuple[str, ...] = tuple(option.name for option in fields(SiteOptions))


def site_settings(
    options: SiteOptions,
    *,
    project_dir: Path,
    docs_dir: Path,
    site_dir: Path | None,
    environ: Mapping[str, str] = os.environ,
    snippets: Mapping[str, Any] | None = None,
) -> Settings:
    """The engine's settings; raises FencerunError for what no block could use.
    `project_dir` is the folder of the site's config file: cache_dir, frozen_dir and
    workdir are relative to it; `site_dir` is where the build writes (None: nowhere known);
    `snippets`: the site's pymdownx.snippets settings (`snippet_settings`), which block
    bodies are expanded with."""
    return Settings(
        project_dir=project_dir,
        cache_dir=project_dir / options.cache_dir,
        frozen_dir=project_dir / options.frozen_dir,
        execute=execute_switch(environ, options.execute),
        timeout=float(options.timeout),
        workers=options.workers,
        max_output_bytes=options.max_output,
        provenance=options.provenance,
        markdown_default=options.default_output == "markdown",
        docs_label=docs_label(project_dir, docs_dir),
        env_extra=dict(options.environment),
        env_pass=tuple(options.pass_environment),
        build_dirs=(site_dir,) if site_dir is not None else (),
        snippets=snippets,
    )


def docs_label(project_dir: Path, docs_dir: Path | str) -> str:
    """How messages name the docs folder, relative to the project: "docs/" ("" when the same)."""
    docs = os.path.relpath(docs_dir, project_dir)
    return "" if docs == "." else Path(docs).as_posix() + "/"


def read_site_options(raw: object, where: str) -> SiteOptions:
    """The options of the plugin's entry in the site's config file (None: every default),
    checked as MkDocs checks them; `where` names the entry in messages."""
    if raw is None:
        return SiteOptions()
    if not isinstance(raw, Mapping):
        raise FencerunError(f"{where} must be a mapping of options, not {raw!r}")
    chosen: dict[str, Any] = {}
    for name, value in raw.items():
        check = _CHECKS.get(name)
        if check is None:
            close = difflib.get_close_matches(str(name), OPTION_NAMES, n=1)
            hint = f"did you mean {close[0]}? " if close else ""
            raise FencerunError(
                f"{where} has no option {name!r}: {hint}options are {', '.join(OPTION_NAMES)}"
            )
        problem = check(value)
        if problem:
            raise FencerunError(f"{where}: {name} must be {problem}, not {value!r}")
        chosen[name] = tuple(value) if name == "pass_environment" else value
    return SiteOptions(**chosen)


def _kind(test: Callable[[object], bool], wanted: str) -> Callable[[object], str]:
    return lambda value: "" if test(value) else wanted


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_str_map(value: object) -> bool:
    return isinstance(value, Mapping) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    )


def _is_str_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


_CHECKS: Mapping[str, Callable[[object], str]] = {
    "execute": _kind(lambda v: isinstance(v, bool), "true or false"),
    "timeout": _kind(_is_number, "a number of seconds"),
    "workers": _kind(lambda v: v is None or _is_int(v), "a whole number"),
    "max_output": _kind(_is_int, "a whole number of bytes"),
    "environment": _kind(_is_str_map, "a mapping of names to text values"),
    "pass_environment": _kind(_is_str_list, "a list of variable names"),
    "on_error": _kind(lambda v: v in ("fail", "warn"), "fail or warn"),
    "default_output": _kind(lambda v: v in ("text", "markdown"), "text or markdown"),
    "provenance": _kind(lambda v: isinstance(v, bool), "true or false"),
    "cache_dir": _kind(lambda v: isinstance(v, str), "a folder's path"),
    "frozen_dir": _kind(lambda v: isinstance(v, str), "a folder's path"),
}
