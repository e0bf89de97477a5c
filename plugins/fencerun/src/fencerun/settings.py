"""The engine's settings, as plain values (the MkDocs side reads them from mkdocs.yml in
`config.py`), and the environment switch that turns execution off."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fencerun.errors import FencerunError
from fencerun.isolation.policy import IsolationPolicy

EXECUTE_VARIABLE = "FENCERUN_EXECUTE"

# Defaults for what mkdocs.yml leaves out, read by the plugin and by the `fencerun` command.
DEFAULT_CACHE_DIR = ".cache/fencerun"  # relative to the folder of mkdocs.yml
DEFAULT_FROZEN_DIR = "frozen"
DEFAULT_TIMEOUT = 30.0  # seconds
DEFAULT_MAX_OUTPUT = 200_000  # bytes

_ON = frozenset({"1", "true", "on", "yes"})
_OFF = frozenset({"0", "false", "off", "no"})


@dataclass(frozen=True)
class Settings:
    project_dir: Path  # the folder of mkdocs.yml; workdir options are relative to it
    cache_dir: Path  # the result store
    frozen_dir: Path  # recorded outputs of freeze="true" blocks, committed with the site
    execute: bool = True
    timeout: float = DEFAULT_TIMEOUT  # for blocks without their own timeout option
    workers: int | None = None  # None: sized to the machine by the executor
    max_output_bytes: int = DEFAULT_MAX_OUTPUT
    provenance: bool = True  # footer under each output, unless a block says otherwise
    markdown_default: bool = False  # markdown-exec renders output as Markdown by default
    # How reports name the docs folder before a page's path ("docs/"), so that they name
    # pages as the build's messages and the content check do: from the project folder
    docs_label: str = ""
    # What blocks see of the environment beyond the sandbox's fixed allow-list
    env_extra: Mapping[str, str] = field(default_factory=dict)  # set for every block
    env_pass: tuple[str, ...] = ()  # names copied from the build's environment when set
    # Folders the build writes besides cache_dir (site_dir): blocks neither see nor write them
    build_dirs: tuple[Path, ...] = ()
    # The site's pymdownx.snippets settings, base paths absolute; None when it does not use
    # that extension. Block bodies take in what they include with them (`includes`).
    snippets: Mapping[str, Any] | None = None

    @property
    def written_dirs(self) -> tuple[Path, ...]:
        """Every folder the build writes, the result store first."""
        return (self.cache_dir, *self.build_dirs)

    def __post_init__(self) -> None:
        problem = _environment_problem(self.env_extra, self.env_pass)
        if problem:
            raise FencerunError(problem)

    def isolation_policy(self) -> IsolationPolicy:
        """The executor's policy: its defaults, with this site's environment choices."""
        return IsolationPolicy(env_extra=dict(self.env_extra), env_pass=self.env_pass)


def _environment_problem(env_extra: Mapping[str, str], env_pass: tuple[str, ...]) -> str:
    """What no process environment can hold, said for mkdocs.yml; "" when all is well.

    Caught here, it is one message before the build starts instead of a failure in every
    block's sandbox.
    """
    for option, names in (("environment", list(env_extra)), ("pass_environment", env_pass)):
        for name in names:
            if not name or "=" in name or "\0" in name:
                return (
                    f"fencerun's `{option}` option in mkdocs.yml names {name!r} as a variable: "
                    "a variable name must be non-empty, without '=' or NUL characters"
                )
    for name, value in env_extra.items():
        if "\0" in value:
            return (
                f"fencerun's `environment` option in mkdocs.yml gives {name} a value with a "
                "NUL character, which no process environment can hold: remove it"
            )
    return ""


def execute_switch(environ: Mapping[str, str], configured: bool) -> bool:
    """FENCERUN_EXECUTE=0 turns execution off whatever mkdocs.yml says (and =1 on)."""
    raw = environ.get(EXECUTE_VARIABLE)
    if raw is None or not raw.strip():
        return configured
    word = raw.strip().lower()
    if word in _ON:
        return True
    if word in _OFF:
        return False
    raise FencerunError(
        f"{EXECUTE_VARIABLE}={raw!r} is neither on nor off; "
        f"set it to 0 to build without running blocks, or 1 to run them"
    )
