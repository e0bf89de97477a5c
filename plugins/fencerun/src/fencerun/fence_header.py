"""Read a fence header (what follows the backticks) into its language and its options, values
still as text.

Two header forms are accepted, as in markdown-exec (which relies on pymdownx.superfences):
``python exec="on" source="above"`` (values quoted) and ``{.python exec="on"}`` (attr_list
syntax, where unquoted values are allowed). Anything this module cannot read exactly is an
OptionError whose message and hint the find stage turns into a BlockError with file:line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LANGUAGE_RE = re.compile(r"\.?(?P<lang>[\w#.+-]+)(?=\s|\{|$)")
_KEY_RE = re.compile(r"[a-zA-Z][a-zA-Z0-9_]*")
# attr_list's own tokens, in the order its scanner tries them.
_BRACE_TOKEN_RE = re.compile(
    r"""(?P<dq>[^ =}]+=".*?")|(?P<sq>[^ =}]+='.*?')|(?P<kv>[^ =}]+=[^ =}]+)"""
    r"""|(?P<word>[^ =}]+)|(?P<space>\s+)"""
)


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
    return FenceHeader(language, _parse_plain(text))


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
    return FenceHeader(language, tuple(values))
