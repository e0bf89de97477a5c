"""pymdownx.snippets lines in text fencerun puts in the page, where snippets reads them after
fencerun: once as the page's text, and once more in each Markdown output that `markdown_ext`
converts with the page's extensions.

Text that must show as it is written, whatever those readings do, gets each line snippets
would act on escaped once for every reading (`escaped_for`).
"""

from __future__ import annotations

from pymdownx.snippets import SnippetPreprocessor

_MARKER_RE = SnippetPreprocessor.RE_ALL_SNIPPETS


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
