"""One notion of which characters are Hangul, for search and for glossary terms alike."""

from __future__ import annotations

import pytest
from site_kit.hangul import HANGUL


@pytest.mark.parametrize("text", ["가", "힣", "ㅋㅋ", "ㄱ", "\u1100", "\ua960", "\ud7b0"])
def test_syllables_and_every_kind_of_jamo_are_hangul(text: str) -> None:
    assert HANGUL.search(text)


@pytest.mark.parametrize("text", ["a", "中", "ア", "1", "・", "ー"])
def test_latin_digits_and_other_cjk_are_not(text: str) -> None:
    assert not HANGUL.search(text)
