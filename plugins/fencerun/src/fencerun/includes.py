"""pymdownx.snippets lines and fencerun: what a block's body includes is part of its code, and
text fencerun puts in the page shows as it is written however often snippets reads it.

Snippets first: markdown-exec reads a page after pymdownx.snippets has, so a body line such as
`--8<-- "example.py"` has become that file's lines by the time the block runs. fencerun reads
pages before Markdown does, so it hands such a body to the snippets preprocessor itself, with
the site's own settings (base_path, check_paths, ...), before the block is keyed and run: an
edit of the included file changes the key and reruns the block.

Snippets still reads the page after fencerun: once as the page's text, and once more in each
Markdown output that `markdown_ext` converts with the page's extensions. Text that must show
as it is written gets each line snippets would act on escaped once for every reading
(`escaped_for`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markdown import Markdown
from pymdownx.snippets import SnippetMissingError, SnippetPreprocessor

from fencerun.errors import BlockError
from fencerun.model import SourceLocation

SNIPPETS = "pymdownx.snippets"

_MARKER_RE = SnippetPreprocessor.RE_ALL_SNIPPETS
# Section markers (`--8<-- [start:name]`): snippets takes them out of what it reads.
_SECTION_RE = SnippetPreprocessor.RE_SNIPPET_SECTION


class SnippetIncluder:
    """Expands the snippets lines of block bodies as the site's pymdownx.snippets would."""

    def __init__(self, options: Mapping[str, Any]) -> None:
        """`options`: the site's settings for pymdownx.snippets, base paths made absolute."""
        settings = dict(options)
        if "auto_append" in settings:
            settings["auto_append"] = []  # appended once to the page, never to each block
        markdown = Markdown(extensions=[SNIPPETS], extension_configs={SNIPPETS: settings})
        self._preprocessor = markdown.preprocessors["snippet"]

    def __call__(self, code: str, where: SourceLocation) -> str:
        """The body with what its snippets lines name put in; `where` is its fence's line.
        Raises BlockError, at the line that names it, for what cannot be included."""
        lines = code.split("\n")
        if not any(_MARKER_RE.match(line) or _SECTION_RE.match(line) for line in lines):
            return code
        try:
            return "\n".join(self._preprocessor.run(lines))
        except (SnippetMissingError, OSError, UnicodeDecodeError, ValueError) as error:
            line = where.line + 1 + self._failing_line(lines)
            raise BlockError(
                SourceLocation(where.path, line),
                f"pymdownx.snippets cannot include what the block's body names: {error}",
                "name a file that exists under a base_path of pymdownx.snippets in mkdocs.yml",
            ) from None

    def _failing_line(self, lines: list[str]) -> int:
        """The first body line whose own inclusion fails (-1: the fence's line, when no
        single line does, as in a block of names between two bare markers)."""
        for number, line in enumerate(lines):
            if not _MARKER_RE.match(line):
                continue
            try:
                self._preprocessor.run([line])
            except (SnippetMissingError, OSError, UnicodeDecodeError, ValueError):
                return number
        return -1


def escaped_for(text: str, readings: int) -> str:
    """`text` with each line pymdownx.snippets acts on escaped `readings` more times (it takes
    one ';' off at each reading), so that it shows as written after that many readings."""
    if readings <= 0:
        return text
    lines = text.split("\n")
    for number, line in enumerate(lines):
        marker = _MARKER_RE.match(line)
        if marker is not None:
            indent = marker.end("space")
            lines[number] = line[:indent] + ";" * readings + line[indent:]
    return "\n".join(lines)
