"""Words the site writes apart, for the worker to tell a reader's spacing from the site's.

Korean spacing varies: a reader may type 인프라엔지니어 for the 인프라 엔지니어 of a
page. The worker then searches for the word as typed and for its two halves,
but only when the site has the halves side by side somewhere: halves it
merely has (인프라, 엔지니어 on unrelated pages) would find pages the reader
did not mean.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator

from site_kit.hangul import HANGUL

from .inner_words import MIN_TAIL, TAG, WORD_RUN


def written_apart(texts: Iterable[str], separator: re.Pattern[str]) -> Iterator[str]:
    """Each pair of neighbouring words of texts, lowercased, one space between: the
    last run of letters of a token and the first of the next (인프라 엔지니어로 from
    "(인프라 엔지니어로)"), where letters meet across the gap and one side is Korean."""
    for text in texts:
        before = ""
        for token in separator.split(html.unescape(TAG.sub(" ", text)).lower()):
            if pair := _pair(before, token):
                yield pair
            before = token


def _pair(before: str, token: str) -> str | None:
    if not (before and token and before[-1].isalnum() and token[0].isalnum()):
        return None
    left: str = WORD_RUN.findall(before)[-1]
    right: str = WORD_RUN.findall(token)[0]
    if len(left) < MIN_TAIL or len(right) < MIN_TAIL:
        return None
    if not (HANGUL.search(left) or HANGUL.search(right)):
        return None
    return f"{left} {right}"
