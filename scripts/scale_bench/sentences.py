"""The prose sentences of the knowledge base's own pages, the material synthetic notes are
made of: the words, lengths and mix of Hangul and Latin that the site's real text has."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
FENCE = re.compile(r"^(`{3,}|~{3,})")
# Lines that are not running prose: headings, lists, tables, admonitions, HTML, indented
# blocks (code, or an admonition's body, whose sentences the rest already covers).
NOT_PROSE = re.compile(r"^(#|[-*+] |\d+\. |\||!!!|\?\?\?|<|\s|\*\[|\[\^)")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")
# A sentence that carries a link, a footnote, HTML or attributes would point at files
# relative to a page it is no longer on.
MARKUP = re.compile(r"[][<>{}|\\]")


def prose_sentences(kb_dir: Path, leave_out: Iterable[str] = ()) -> list[str]:
    """Every sentence of running prose in kb_dir/*.md, in file order, once each; without
    the ones holding any word of `leave_out` (case-insensitive), so that a planted word
    is found on its own note only."""
    unwanted = [word.casefold() for word in leave_out]
    found: dict[str, None] = {}
    for page in sorted(kb_dir.glob("*.md")):
        for paragraph in _paragraphs(page.read_text(encoding="utf-8")):
            for sentence in SENTENCE_END.split(paragraph):
                if _usable(sentence) and not any(w in sentence.casefold() for w in unwanted):
                    found.setdefault(sentence)
    if not found:
        raise SystemExit(f"error: no prose sentences found in {kb_dir}/*.md")
    return list(found)


def _paragraphs(text: str) -> Iterator[str]:
    lines: list[str] = []
    fence: str | None = None
    for line in FRONT_MATTER.sub("", text).splitlines():
        opened = FENCE.match(line)
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(line.strip()) >= len(fence):
                fence = None if line.strip() == opened.group(1) else fence
            continue
        if opened:
            fence = opened.group(1)
            yield from _flush(lines)
        elif not line.strip() or NOT_PROSE.match(line):
            yield from _flush(lines)
        else:
            lines.append(line.strip())
    yield from _flush(lines)


def _flush(lines: list[str]) -> Iterator[str]:
    if lines:
        yield " ".join(lines)
        lines.clear()


def _usable(sentence: str) -> bool:
    return (
        20 <= len(sentence) <= 220
        and sentence[-1] in ".!?"
        and not MARKUP.search(sentence)
        and sentence.count("`") % 2 == 0
        and sentence.count("*") % 2 == 0
    )
