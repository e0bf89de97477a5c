"""Python-Markdown's `abbr` extension, with abbreviations found before Korean particles.

The stock extension finds an abbreviation only between two `\\b` word boundaries. Hangul
letters are word characters to `re`, so in Korean text, where particles attach to the word
before them (`DRM을`, `cgroup의`, `PID는`), there is no boundary after the abbreviation and it
goes unmarked. Here Hangul counts as a boundary on either side; everything else behaves as
the stock extension does (`cgroups` is still not `cgroup` + `s`).

Use it instead of `abbr` (not beside it) in mkdocs.yml:

    markdown_extensions:
      - site_markdown.abbr
"""

from __future__ import annotations

import re
from typing import Any

from markdown import Markdown
from markdown.extensions.abbr import AbbrExtension, AbbrTreeprocessor
from site_kit.hangul import HANGUL_CHARACTERS

# "Not next to a word character that is not Hangul": a boundary, with Hangul on the outside.
_HANGUL_AWARE_START = rf"(?<![^\W{HANGUL_CHARACTERS}])"
_HANGUL_AWARE_END = rf"(?![^\W{HANGUL_CHARACTERS}])"


def abbreviation_pattern(abbreviations: list[str]) -> re.Pattern[str]:
    """One pattern for all abbreviations, longest first, as the stock extension orders them."""
    ordered = sorted(abbreviations, key=len, reverse=True)
    return re.compile("|".join(_bounded(abbreviation) for abbreviation in ordered))


def _bounded(abbreviation: str) -> str:
    # An edge that is not a word character keeps `\b`, so such abbreviations match exactly
    # where the stock extension matches them.
    start = _HANGUL_AWARE_START if _is_word(abbreviation[0]) else r"\b"
    end = _HANGUL_AWARE_END if _is_word(abbreviation[-1]) else r"\b"
    return f"{start}{re.escape(abbreviation)}{end}"


def _is_word(character: str) -> bool:
    return re.match(r"\w", character) is not None


class HangulAwareAbbrTreeprocessor(AbbrTreeprocessor):  # type: ignore[misc]  # untyped base
    def run(self, root: Any) -> None:
        if not self.abbrs:
            return
        self.RE = abbreviation_pattern(list(self.abbrs))
        self.iter_element(root)


class HangulAwareAbbrExtension(AbbrExtension):  # type: ignore[misc]  # untyped base
    def extendMarkdown(self, md: Markdown) -> None:  # Python-Markdown's name
        super().extendMarkdown(md)
        # Same name and priority: takes the stock tree processor's place, sharing its glossary.
        md.treeprocessors.register(HangulAwareAbbrTreeprocessor(md, self.abbrs), "abbr", 7)


def makeExtension(**kwargs: Any) -> HangulAwareAbbrExtension:  # Markdown's hook
    return HangulAwareAbbrExtension(**kwargs)
