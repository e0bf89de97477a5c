"""The IME model the search test types with shows what a dubeolsik keyboard shows."""

from __future__ import annotations

import pytest

from tests.browser.hangul_ime import key_for, typing_states


def shown(word: str) -> list[tuple[str, str]]:
    return [(state.committed, state.composing) for state in typing_states(word)]


def test_a_final_consonant_moves_to_the_next_syllable_when_a_vowel_follows() -> None:
    assert shown("리눅스를") == [
        ("", "ㄹ"),
        ("", "리"),
        ("", "린"),
        ("리", "누"),
        ("리", "눅"),
        ("리", "눇"),
        ("리눅", "스"),
        ("리눅", "슬"),
        ("리눅스", "르"),
        ("리눅스", "를"),
    ]


def test_a_cluster_final_gives_its_second_consonant_to_the_next_syllable() -> None:
    assert shown("안자") == [("", "ㅇ"), ("", "아"), ("", "안"), ("", "앉"), ("안", "자")]


def test_compound_vowels_and_cluster_finals_are_typed_key_by_key() -> None:
    assert shown("괜찮아")[-5:] == [
        ("괜", "차"),
        ("괜", "찬"),
        ("괜", "찮"),
        ("괜찮", "ㅇ"),
        ("괜찮", "아"),
    ]
    assert shown("괜찮아")[:4] == [("", "ㄱ"), ("", "고"), ("", "괘"), ("", "괜")]


def test_doubled_consonants_are_typed_with_shift() -> None:
    assert key_for("ㄲ") == ("R", True)
    assert key_for("ㄱ") == ("R", False)
    assert [state.jamo for state in typing_states("꿈")] == ["ㄲ", "ㅜ", "ㅁ"]


def test_only_hangul_syllables_can_be_typed() -> None:
    with pytest.raises(ValueError, match="not a Hangul syllable"):
        typing_states("XOR스왑")
