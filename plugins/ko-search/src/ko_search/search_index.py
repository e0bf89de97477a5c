"""Adds the inner words of Korean tokens to a Material search index, and writes
it in shards in place of the search_index.json pages load.

Every field named in config.fields is indexed, but only title, text and tags
are shown in results. The inner words go into a field of their own, so they
are found and never shown.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable, Iterable
from typing import Any

from . import shards
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


def split_index_file(path: str, shards_url: str) -> str:
    """Writes the index at path (Material's) in shards beside it, and in its place a
    stub: Material's settings, no documents, and shards_url (the shards' folder, from
    the site's root) for the worker. Returns the stub.

    Material's page script fetches search_index.json on every page and hands
    it to the worker; the stub keeps that small.
    """
    with open(path, encoding="utf-8") as f:
        index = json.load(f)
    return write_split_index(add_inner_words(index), path, shards_url)


def write_split_index(index: dict[str, Any], path: str, shards_url: str) -> str:
    """split_index_file for an index in hand, its inner words as they are."""
    folder = os.path.join(os.path.dirname(path), shards.FOLDER)
    shutil.rmtree(folder, ignore_errors=True)
    shards.write_shards(index, _separator(index["config"]["separator"]), folder)
    stub = json.dumps(
        {"config": {**index["config"], "ko_search": shards_url}, "docs": []},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    with open(path, "w", encoding="utf-8") as f:
        f.write(stub)
    return stub


def _separator(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as error:
        raise SeparatorError(
            f"the search separator {pattern!r} is not a pattern Python can read ({error}); "
            "write it without JavaScript-only syntax in the search plugin's 'separator' option"
        ) from error
