"""A Markdown page as the check reads it: front matter, and prose outside code."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .front_matter import FrontMatter, FrontMatterError, parse_front_matter

FENCE_OPEN = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
CODE_SPAN = re.compile(r"(?<!`)(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`)")


@dataclass(frozen=True)
class Page:
    path: Path
    shown: str  # the path as findings show it
    language: str | None  # the static-i18n language folder it lives in, if any
    in_language: str  # path inside its language folder (or the docs folder), POSIX style
    text: str

    @cached_property
    def lines(self) -> tuple[str, ...]:
        return tuple(self.text.splitlines())

    @cached_property
    def _front_matter(self) -> FrontMatter | FrontMatterError | None:
        try:
            return parse_front_matter(self.text)
        except FrontMatterError as problem:
            return problem

    @property
    def front_matter(self) -> FrontMatter | None:
        parsed = self._front_matter
        return parsed if isinstance(parsed, FrontMatter) else None

    @property
    def front_matter_error(self) -> FrontMatterError | None:
        parsed = self._front_matter
        return parsed if isinstance(parsed, FrontMatterError) else None

    @property
    def body_line(self) -> int:
        """First line of the Markdown body, after any front matter."""
        parsed = self._front_matter
        return parsed.body_line if isinstance(parsed, FrontMatter) else 1

    @cached_property
    def code_line_numbers(self) -> frozenset[int]:
        """Lines of fenced code blocks, fences included: their content is not prose."""
        in_code: set[int] = set()
        fence = ""
        for number, line in enumerate(self.lines, start=1):
            if number < self.body_line:
                continue
            if fence:
                in_code.add(number)
                if line.strip().startswith(fence) and set(line.strip()) == {fence[0]}:
                    fence = ""
                continue
            opening = FENCE_OPEN.match(line)
            # A backtick fence's info string cannot hold a backtick (that is inline code).
            if opening and not (opening["fence"][0] == "`" and "`" in opening["info"]):
                fence = opening["fence"]
                in_code.add(number)
        return frozenset(in_code)

    def prose_lines(self) -> Iterator[tuple[int, str]]:
        """(line number, text) of the body outside fenced code, inline code blanked out."""
        for number, line in enumerate(self.lines, start=1):
            if number >= self.body_line and number not in self.code_line_numbers:
                yield number, CODE_SPAN.sub(lambda span: " " * len(span.group()), line)


class UnreadablePage(Exception):
    """A page that is not UTF-8 text; MkDocs cannot build it either."""


def read_page(path: Path, shown: str, docs_dir: Path, languages: tuple[str, ...]) -> Page:
    relative = path.relative_to(docs_dir).parts
    language = relative[0] if len(relative) > 1 and relative[0] in languages else None
    in_language = "/".join(relative[1:] if language else relative)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as problem:
        line = data.count(b"\n", 0, problem.start) + 1
        raise UnreadablePage(f"{shown}:{line}: not UTF-8 text; save the file as UTF-8") from None
    return Page(path, shown, language, in_language, text)
