"""Adds the inner words of Korean tokens to a Material search index.

Material builds its Lunr index in the browser from search_index.json: every
field named in config.fields is indexed, but only title, text and tags are
shown in results. The inner words go into a field of their own, so they are
found and never shown.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from .inner_words import inner_words

FIELD = "inner"
# Below the text field's boost (1.0): a word as written ranks above a match
# inside a longer word.
FIELD_BOOST = 0.5
SHOWN_FIELDS = ("title", "text")

InnerWords = Callable[[Iterable[str], re.Pattern[str]], list[str]]


class SeparatorError(ValueError):
    """The index's separator is a JavaScript pattern Python cannot read."""


def add_inner_words(index: dict[str, Any], find: InnerWords = inner_words) -> dict[str, Any]:
    """Returns index with the inner words of each document in FIELD.

    Rewriting an index that has them already gives the same index.
    """
    separator = _separator(index["config"]["separator"])
    docs = []
    with_inner = False
    for doc in index["docs"]:
        texts = [doc.get(name, "") for name in SHOWN_FIELDS] + list(doc.get("tags", []))
        words = find(texts, separator)
        doc = {key: value for key, value in doc.items() if key != FIELD}
        if words:
            doc[FIELD] = " ".join(words)
            with_inner = True
        docs.append(doc)
    fields = {name: spec for name, spec in index["config"]["fields"].items() if name != FIELD}
    if with_inner:
        fields[FIELD] = {"boost": FIELD_BOOST}
    return {**index, "config": {**index["config"], "fields": fields}, "docs": docs}


def rewrite_index_file(path: str, find: InnerWords = inner_words) -> None:
    with open(path, encoding="utf-8") as f:
        index = json.load(f)
    with open(path, "w", encoding="utf-8") as f:
        # Hangul as UTF-8 (3 bytes a syllable), not as \uXXXX escapes (6).
        json.dump(add_inner_words(index, find), f, ensure_ascii=False, separators=(",", ":"))


def _separator(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as error:
        raise SeparatorError(
            f"the search separator {pattern!r} is not a pattern Python can read ({error}); "
            "write it without JavaScript-only syntax in the search plugin's 'separator' option"
        ) from error
