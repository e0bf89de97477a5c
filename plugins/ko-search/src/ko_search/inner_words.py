"""The words hidden inside Korean words, for prefix search to find.

Material's search matches every query term as a prefix of an indexed token,
and splits text only at spaces and hyphens. A Korean token such as
인프라엔지니어를 is therefore found by 인프라 but not by 엔지니어, and XOR스왑 not
by 스왑. Indexing every tail of such a token (엔지니어를, 지니어를, ...) turns
prefix search into search anywhere inside a word, which finds compound parts
without a dictionary of Korean nouns.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator

from site_kit.hangul import HANGUL

WORD_RUN = re.compile(r"[^\W_]+")
TAG = re.compile(r"<[^>]*>")

# A one-syllable tail is almost always a particle or an ending (를, 다), not
# something a reader looks for; skipping them keeps the index small.
MIN_TAIL = 2


def inner_words(texts: Iterable[str], separator: re.Pattern[str]) -> list[str]:
    """The inner words of every Korean token in texts, once each, in order of first use.

    texts are the HTML fields of one search document; separator is the search
    index's own, so tokens here are the tokens Material indexes. Tokens without
    Hangul are left alone: English search stays exactly as it was.
    """
    seen: dict[str, None] = {}
    for text in texts:
        # Material's tokenizer ends a token at every tag.
        plain = html.unescape(TAG.sub(" ", text))
        for token in separator.split(plain):
            if HANGUL.search(token):
                seen.update(dict.fromkeys(_token_inner_words(token.lower())))
    return list(seen)


def _token_inner_words(token: str) -> Iterator[str]:
    for run in WORD_RUN.finditer(token):
        word = run.group()
        # A run behind punctuation, like 인프라 in "(인프라엔지니어)", is not a
        # prefix of the token Material indexes.
        if run.start() > 0:
            yield word
        for start in range(1, len(word)):
            if _starts_inner_word(word, start):
                yield word[start:]


def _starts_inner_word(word: str, start: int) -> bool:
    here_hangul = bool(HANGUL.match(word[start]))
    before_hangul = bool(HANGUL.match(word[start - 1]))
    if here_hangul:
        return len(word) - start >= MIN_TAIL
    # Latin or digits right after Hangul: the "API" of 쿠버네티스API.
    return before_hangul
