"""Turn a fence header (`fence_header.FenceHeader`) into validated BlockOptions: unknown
names and bad values are an OptionError with a hint."""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any, get_args

from fencerun.fence_header import FenceHeader, OptionError
from fencerun.model import BlockOptions, PyodideOptions, SourceMode, StderrMode, TreeOptions

# markdown-exec's literate Markdown: the code is its own output, rendered as Markdown.
# Nothing runs.
LITERATE = "markdown"

# Fence language as written -> the language the runner knows. `py` is markdown-exec's alias.
LANGUAGES: Mapping[str, str] = {
    "python": "python",
    "py": "python",
    "pycon": "pycon",
    "bash": "bash",
    "sh": "sh",
    "console": "console",
    "md": LITERATE,
    "markdown": LITERATE,
}

# markdown-exec's fences that run nothing at build time, with or without `exec`: `tree` draws
# a file tree, `pyodide` an editor whose code runs in the reader's browser.
TREE = "tree"
PYODIDE = "pyodide"

SOURCE_MODES: tuple[str, ...] = tuple(mode for mode in get_args(SourceMode) if mode)
STDERR_MODES: tuple[str, ...] = tuple(mode for mode in get_args(StderrMode) if mode)
# markdown-exec still accepts its old name for `block`.
SOURCE_ALIASES: Mapping[str, str] = {"material-block": "block"}

TRUE_WORDS = frozenset({"on", "true", "yes", "1"})
FALSE_WORDS = frozenset({"off", "false", "no", "0"})

MAX_TIMEOUT_S = 24 * 3600.0

# What a fence may name as its language (result="...").
_FENCE_LANG_RE = re.compile(r"[\w#.+-]+")

# `|` separates the two tab titles unless escaped as `\|`.
_TABS_SPLIT_RE = re.compile(r"(?<!\\)\|")


def exec_state(header: FenceHeader) -> bool | None:
    """True/False when the header has an `exec` option, None when it is not an exec fence."""
    value = header.get("exec")
    if value is None:
        return None
    return _boolean("exec", value)


def build_options(header: FenceHeader, *, markdown_default: bool = False) -> BlockOptions:
    """Validate every option of an exec fence; unknown names and bad values are errors."""
    seen: set[str] = set()
    parsed: dict[str, Any] = {}
    for key, raw in header.values:
        if key in seen:
            raise OptionError(f"option {key} is given twice", f"keep one {key}=...")
        seen.add(key)
        if key == "exec":
            continue
        reader = _READERS.get(key)
        if reader is None:
            raise OptionError(f"unknown option {key}", _unknown_hint(key))
        field_name, value = reader(key, raw)
        parsed[field_name] = value
    options = BlockOptions(**parsed)
    _check_combinations(options)
    literate = LANGUAGES.get(header.language) == LITERATE
    wants_markdown = markdown_default or literate
    if "markdown" not in parsed and wants_markdown and not (options.html or options.result):
        options = replace(options, markdown=True)
    return options


def _unknown_hint(key: str) -> str:
    close = difflib.get_close_matches(key, [*_READERS, "exec"], n=1)
    known = ", ".join(sorted([*_READERS, "exec"]))
    if close:
        return f"did you mean {close[0]}? Options are: {known}"
    return f"options are: {known}"


def _check_combinations(options: BlockOptions) -> None:
    if options.html and options.markdown:
        raise OptionError(
            'html="true" and markdown="true" ask for two different things',
            "keep one: html inserts the output as HTML, markdown renders it as Markdown",
        )
    if options.result and (options.html or options.markdown):
        which = "html" if options.html else "markdown"
        raise OptionError(
            f'result="{options.result}" has no effect with {which}="true"',
            f"remove result, or remove {which} to show the output in a {options.result} block",
        )


def _boolean(key: str, raw: str) -> bool:
    word = raw.strip().lower()
    if word in TRUE_WORDS or word == key:
        return True
    if word in FALSE_WORDS:
        return False
    raise OptionError(f'{key}="{raw}" is not on or off', f'write {key}="on" or {key}="off"')


def _read_bool(key: str, raw: str) -> tuple[str, Any]:
    return key, _boolean(key, raw)


def _read_source(key: str, raw: str) -> tuple[str, Any]:
    value = SOURCE_ALIASES.get(raw, raw)
    if value not in SOURCE_MODES:
        raise OptionError(
            f'source="{raw}" is not a place for the source',
            f"use one of: {', '.join(SOURCE_MODES)}",
        )
    return key, value


def _read_result(key: str, raw: str) -> tuple[str, Any]:
    if raw and not _FENCE_LANG_RE.fullmatch(raw):
        raise OptionError(
            f'result="{raw}" is not a code block language',
            "use a language name such as text, json, ansi or console",
        )
    return key, raw


def _read_returncode(key: str, raw: str) -> tuple[str, Any]:
    try:
        value = int(raw.strip())
    except ValueError:
        value = None
    if value is None or not -255 <= value <= 255:
        raise OptionError(
            f'returncode="{raw}" is not an exit code',
            'write the code the block is expected to exit with, e.g. returncode="1"',
        )
    return key, value


def _read_text(key: str, raw: str) -> tuple[str, Any]:
    return key, raw


def _read_name(key: str, raw: str) -> tuple[str, Any]:
    if not raw.strip():
        raise OptionError(f"{key} is empty", f'give it a name, e.g. {key}="demo", or remove it')
    return key, raw


def _read_tabs(key: str, raw: str) -> tuple[str, Any]:
    parts = _TABS_SPLIT_RE.split(raw, maxsplit=1)
    titles = tuple(part.replace(r"\|", "|").strip() for part in parts)
    if len(titles) != 2 or not all(titles):
        raise OptionError(
            f'tabs="{raw}" does not name two tabs',
            'write the two titles separated by |, e.g. tabs="Code|Output" (\\| for a literal |)',
        )
    return key, titles


def _read_width(key: str, raw: str) -> tuple[str, Any]:
    try:
        value = int(raw.strip())
    except ValueError:
        value = -1
    if value < 0 or value > 10_000:
        raise OptionError(
            f'width="{raw}" is not a number of columns',
            'write a whole number, e.g. width="100" (0 keeps the default)',
        )
    return key, value or None


def _read_workdir(key: str, raw: str) -> tuple[str, Any]:
    if not raw.strip():
        raise OptionError(
            "workdir is empty", 'name a folder relative to the project, e.g. workdir="examples"'
        )
    return key, raw


def _read_timeout(key: str, raw: str) -> tuple[str, Any]:
    text = raw.strip().removesuffix("s").strip()
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (0 < value <= MAX_TIMEOUT_S):
        raise OptionError(
            f'timeout="{raw}" is not a number of seconds',
            f'write seconds greater than 0 and at most {MAX_TIMEOUT_S:.0f}, e.g. timeout="60"',
        )
    return key, value


def _read_os(key: str, raw: str) -> tuple[str, Any]:
    if raw != "linux":
        raise OptionError(
            f'os="{raw}" is not a system fencerun knows',
            'write os="linux" for a block that needs Linux, or leave the option out',
        )
    return key, raw


def _read_stderr(key: str, raw: str) -> tuple[str, Any]:
    if raw not in STDERR_MODES:
        raise OptionError(
            f'stderr="{raw}" is not a place for standard error',
            'write stderr="show" to show it in the page among the output, or stderr="log" to '
            "send it to the build's log unless the block fails",
        )
    return key, raw


_READERS: Mapping[str, Callable[[str, str], tuple[str, Any]]] = {
    "source": _read_source,
    "result": _read_result,
    "html": _read_bool,
    "markdown": _read_bool,
    "returncode": _read_returncode,
    "session": _read_name,
    "id": _read_name,
    "idprefix": _read_text,
    "tabs": _read_tabs,
    "title": _read_text,
    "width": _read_width,
    "workdir": _read_workdir,
    "updatetoc": _read_bool,
    "timeout": _read_timeout,
    "freeze": _read_bool,
    "provenance": _read_bool,
    "os": _read_os,
    "stderr": _read_stderr,
}

# Every option a fence header can carry.
OPTION_NAMES: tuple[str, ...] = ("exec", *_READERS)


# tree's icons="..." as markdown-exec reads it: material and zensical name the theme's icons.
_TREE_ICONS: Mapping[str, str] = {
    "auto": "theme",
    "material": "theme",
    "zensical": "theme",
    "basic": "basic",
    "none": "none",
}
_ACE_THEME_RE = re.compile(r"[A-Za-z0-9_]+")
_PYODIDE_VERSION_RE = re.compile(r"v?([0-9][0-9A-Za-z.]*)")
_HEIGHT_RE = re.compile(r"(?P<low>[0-9]*)-(?P<high>[0-9]*)|(?P<lines>[0-9]+)|auto")


def tree_options(values: Iterable[tuple[str, str]]) -> TreeOptions:
    """Validate the options of a `tree` fence."""
    parsed: dict[str, Any] = {}
    for key, raw in _once_each(values, TREE, ("icons", "result", "title")):
        if key == "icons":
            if raw not in _TREE_ICONS:
                raise OptionError(
                    f'icons="{raw}" is not a kind of icons',
                    f"use one of: {', '.join(_TREE_ICONS)}",
                )
            parsed[key] = _TREE_ICONS[raw]
        elif key == "result":
            parsed[key] = _read_result(key, raw)[1] or TreeOptions.result
        else:
            parsed[key] = raw
    return TreeOptions(**parsed)


def pyodide_options(values: Iterable[tuple[str, str]]) -> PyodideOptions:
    """Validate the options of a `pyodide` fence."""
    names = ("session", "version", "install", "assets", "theme", "height")
    parsed: dict[str, Any] = {}
    for key, raw in _once_each(values, PYODIDE, names):
        if key == "session":
            parsed[key] = _read_name(key, raw)[1]
        elif key == "version":
            parsed[key] = _pyodide_version(raw)
        elif key == "install":
            parsed[key] = _packages(raw)
        elif key == "assets":
            parsed[key] = _boolean(key, raw)
        elif key == "theme":
            parsed["theme_light"], parsed["theme_dark"] = _ace_themes(raw)
        else:
            parsed[key] = _editor_height(raw)
    return PyodideOptions(**parsed)


def _once_each(
    values: Iterable[tuple[str, str]], language: str, names: tuple[str, ...]
) -> Iterable[tuple[str, str]]:
    """The options of a fence that runs nothing, each known and given once; `exec` is
    accepted (and ignored) as markdown-exec accepts it."""
    seen: set[str] = set()
    for key, raw in values:
        if key in seen:
            raise OptionError(f"option {key} is given twice", f"keep one {key}=...")
        seen.add(key)
        if key == "exec":
            _boolean(key, raw)
            continue
        if key not in names:
            close = difflib.get_close_matches(key, names, n=1)
            known = f"{language} fences take: {', '.join(sorted(names))}"
            raise OptionError(
                f"unknown option {key} on a {language} fence",
                f"did you mean {close[0]}? {known}" if close else known,
            )
        yield key, raw


def _pyodide_version(raw: str) -> str:
    match = _PYODIDE_VERSION_RE.fullmatch(raw.strip())
    if match is None:
        raise OptionError(
            f'version="{raw}" is not a Pyodide release',
            'write a release number, e.g. version="0.27.7"',
        )
    return match.group(1)


def _packages(raw: str) -> tuple[str, ...]:
    names = tuple(name.strip() for name in raw.split(","))
    if not all(names):
        raise OptionError(
            f'install="{raw}" has an empty package name',
            'separate package names with commas, e.g. install="cowsay,griffe"',
        )
    return names


def _ace_themes(raw: str) -> tuple[str, str]:
    themes = [theme.strip() for theme in raw.split(",")]
    if len(themes) == 1:
        themes *= 2
    if len(themes) != 2 or not all(_ACE_THEME_RE.fullmatch(theme) for theme in themes):
        raise OptionError(
            f'theme="{raw}" does not name one or two editor themes',
            'write an Ace theme, or a light and a dark one, e.g. theme="tomorrow,tomorrow_night"',
        )
    return themes[0], themes[1]


def _editor_height(raw: str) -> tuple[int, int] | None:
    # markdown-exec's rules: auto or 0 fits the code; N is fixed; N-M grows from N to M lines,
    # N defaulting to 5 and M to 30.
    match = _HEIGHT_RE.fullmatch(raw.strip())
    if match is None:
        raise OptionError(
            f'height="{raw}" is not a number of lines',
            'write height="auto", a number of lines such as "10", or a range such as "5-30"',
        )
    if match.group("lines") is not None:
        lines = int(match.group("lines"))
        return (lines, lines) if lines else None
    if match.group(0) == "auto":
        return None
    low = max(1, int(match.group("low") or "5"))
    return low, max(low, int(match.group("high") or "30"))
