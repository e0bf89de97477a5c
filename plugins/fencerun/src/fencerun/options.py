"""Read a fence header (what follows the backticks) and turn it into validated BlockOptions.

Two header forms are accepted, as in markdown-exec (which relies on pymdownx.superfences):
``python exec="on" source="above"`` (values quoted) and ``{.python exec="on"}`` (attr_list
syntax, where unquoted values are allowed). Anything this module cannot read exactly is an
OptionError whose message and hint the find stage turns into a BlockError with file:line.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, get_args

from fencerun.model import BlockOptions, SourceMode

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

SOURCE_MODES: tuple[str, ...] = tuple(mode for mode in get_args(SourceMode) if mode)
# markdown-exec still accepts its old name for `block`.
SOURCE_ALIASES: Mapping[str, str] = {"material-block": "block"}

TRUE_WORDS = frozenset({"on", "true", "yes", "1"})
FALSE_WORDS = frozenset({"off", "false", "no", "0"})

MAX_TIMEOUT_S = 24 * 3600.0

_LANGUAGE_RE = re.compile(r"\.?(?P<lang>[\w#.+-]+)(?=\s|\{|$)")
_KEY_RE = re.compile(r"[a-zA-Z][a-zA-Z0-9_]*")
_FENCE_LANG_RE = re.compile(r"[\w#.+-]+")
# attr_list's own tokens, in the order its scanner tries them.
_BRACE_TOKEN_RE = re.compile(
    r"""(?P<dq>[^ =}]+=".*?")|(?P<sq>[^ =}]+='.*?')|(?P<kv>[^ =}]+=[^ =}]+)"""
    r"""|(?P<word>[^ =}]+)|(?P<space>\s+)"""
)
# `|` separates the two tab titles unless escaped as `\|`.
_TABS_SPLIT_RE = re.compile(r"(?<!\\)\|")


class OptionError(ValueError):
    """A header that cannot be read or an option value that is not valid."""

    def __init__(self, message: str, hint: str = "") -> None:
        self.message = message
        self.hint = hint
        super().__init__(message)


@dataclass(frozen=True)
class FenceHeader:
    """A fence header split into its language and its options, values still as text."""

    language: str
    values: tuple[tuple[str, str], ...]
    brace: bool

    def get(self, key: str) -> str | None:
        for name, value in self.values:
            if name == key:
                return value
        return None


def parse_header(text: str) -> FenceHeader:
    """Split what follows the fence characters into language and options."""
    text = text.strip()
    language = ""
    match = _LANGUAGE_RE.match(text)
    if match and not text.startswith("{"):
        language = match.group("lang")
        text = text[match.end() :].strip()
    if text.startswith("{"):
        if not text.endswith("}"):
            raise OptionError(
                "the attribute list opened with '{' is not closed",
                'close it on the same line: ```{.python exec="on"}',
            )
        return _parse_brace(language, text[1:-1])
    return FenceHeader(language, _parse_plain(text), brace=False)


def _parse_plain(text: str) -> tuple[tuple[str, str], ...]:
    values: list[tuple[str, str]] = []
    position = 0
    while position < len(text):
        if text[position].isspace():
            position += 1
            continue
        key_match = _KEY_RE.match(text, position)
        if key_match is None:
            token = text[position:].split(maxsplit=1)[0]
            raise OptionError(
                f"cannot read '{token}' in the fence header",
                'write options as name="value", separated by spaces',
            )
        key = key_match.group(0)
        position = key_match.end()
        if position == len(text) or text[position].isspace():
            values.append((key, key))  # a bare flag, as superfences reads it
            continue
        if text[position] != "=":
            token = text[key_match.start() :].split(maxsplit=1)[0]
            raise OptionError(
                f"cannot read '{token}' in the fence header",
                'write options as name="value", separated by spaces',
            )
        position += 1
        quote = text[position] if position < len(text) else ""
        if quote not in {'"', "'"}:
            raw = text[position:].split(maxsplit=1)[0] if position < len(text) else ""
            raise OptionError(
                f"the value of {key} is not quoted",
                f'write {key}="{raw}"' if raw else f'write {key}="..."',
            )
        end = _closing_quote(text, position + 1, quote)
        if end < 0:
            raise OptionError(
                f"the value of {key} has no closing {quote}",
                f"close the quote: {key}={quote}...{quote}",
            )
        values.append((key, text[position + 1 : end]))
        position = end + 1
    return tuple(values)


def _closing_quote(text: str, start: int, quote: str) -> int:
    # As superfences reads it: the first matching quote that is followed by a space or the end.
    index = text.find(quote, start)
    while index >= 0:
        if index + 1 == len(text) or text[index + 1].isspace():
            return index
        index = text.find(quote, index + 1)
    return -1


def _parse_brace(language: str, inner: str) -> FenceHeader:
    values: list[tuple[str, str]] = []
    classes: list[str] = []
    position = 0
    while position < len(inner):
        match = _BRACE_TOKEN_RE.match(inner, position)
        if match is None:
            raise OptionError(
                f"cannot read '{inner[position:]}' in the attribute list",
                'write attributes as {.python exec="on" source="above"}',
            )
        position = match.end()
        token = match.group(0)
        if match.group("space"):
            continue
        if match.group("word"):
            if token.startswith("."):
                classes.append(token[1:])
            elif token.startswith("#"):
                raise OptionError(
                    f"'{token}' sets an HTML id, which exec fences do not take",
                    f'to name the block, write id="{token[1:]}"',
                )
            else:
                values.append((token, token))
            continue
        key, value = token.split("=", 1)
        if match.group("dq") or match.group("sq"):
            value = value[1:-1]
        values.append((key, value))
    if not language and classes:
        language = classes.pop(0)
    if classes:
        raise OptionError(
            f"extra classes {', '.join('.' + c for c in classes)} on an exec fence",
            'keep only the language class, e.g. {.python exec="on"}',
        )
    return FenceHeader(language, tuple(values), brace=True)


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
}

# Every option a fence header can carry.
OPTION_NAMES: tuple[str, ...] = ("exec", *_READERS)
