"""What a Korean two-set (dubeolsik) keyboard IME shows while a word is typed.

A Hangul syllable is built from jamo keys and stays "composing" until a key
arrives that cannot join it; a final consonant even hops to the next
syllable when a vowel follows (리, 린, 리누). Replaying these states is how a
real reader's query reaches the search box, half-built syllables included.
"""

from __future__ import annotations

from dataclasses import dataclass

INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
FINALS = ("", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ")
FIRST_SYLLABLE = 0xAC00
SYLLABLE_COUNT = 11172

# Jamo typed as two keys, and the two keys.
COMPOUND_VOWELS = {
    "ㅘ": "ㅗㅏ",
    "ㅙ": "ㅗㅐ",
    "ㅚ": "ㅗㅣ",
    "ㅝ": "ㅜㅓ",
    "ㅞ": "ㅜㅔ",
    "ㅟ": "ㅜㅣ",
    "ㅢ": "ㅡㅣ",
}
CLUSTER_FINALS = {
    "ㄳ": "ㄱㅅ", "ㄵ": "ㄴㅈ", "ㄶ": "ㄴㅎ", "ㄺ": "ㄹㄱ", "ㄻ": "ㄹㅁ", "ㄼ": "ㄹㅂ",
    "ㄽ": "ㄹㅅ", "ㄾ": "ㄹㅌ", "ㄿ": "ㄹㅍ", "ㅀ": "ㄹㅎ", "ㅄ": "ㅂㅅ",
}  # fmt: skip

# The physical key of each jamo on the dubeolsik layout (doubled ones with Shift).
KEYS = dict(
    zip(
        "ㅂㅈㄷㄱㅅㅛㅕㅑㅐㅔㅁㄴㅇㄹㅎㅗㅓㅏㅣㅋㅌㅊㅍㅠㅜㅡ",
        "QWERTYUIOPASDFGHJKLZXCVBNM",
        strict=True,
    )
)
SHIFTED_KEYS = dict(zip("ㅃㅉㄸㄲㅆㅒㅖ", "QWERTOP", strict=True))


@dataclass(frozen=True)
class ImeState:
    """The input after one key: text already committed, and the composing syllable."""

    jamo: str  # the key just typed
    committed: str
    composing: str


@dataclass(frozen=True)
class _Syllable:
    initial: str = ""
    vowel: str = ""
    final: str = ""

    def text(self) -> str:
        if not self.vowel:
            return self.initial
        if not self.initial:
            return self.vowel
        index = (INITIALS.index(self.initial) * len(VOWELS) + VOWELS.index(self.vowel)) * len(
            FINALS
        ) + FINALS.index(self.final)
        return chr(FIRST_SYLLABLE + index)


def key_for(jamo: str) -> tuple[str, bool]:
    """The letter key (A-Z) that types jamo, and whether Shift is held."""
    if jamo in KEYS:
        return KEYS[jamo], False
    return SHIFTED_KEYS[jamo], True


def jamo_keys(word: str) -> list[str]:
    """The jamo keys a person presses to type word (Hangul syllables only)."""
    keys: list[str] = []
    for character in word:
        code = ord(character) - FIRST_SYLLABLE
        if not 0 <= code < SYLLABLE_COUNT:
            raise ValueError(f"{character!r} in {word!r} is not a Hangul syllable")
        initial, rest = divmod(code, len(VOWELS) * len(FINALS))
        vowel, final = divmod(rest, len(FINALS))
        keys.append(INITIALS[initial])
        keys.extend(COMPOUND_VOWELS.get(VOWELS[vowel], VOWELS[vowel]))
        keys.extend(CLUSTER_FINALS.get(FINALS[final], FINALS[final]))
    return keys


def typing_states(word: str) -> list[ImeState]:
    """Every state the input goes through while word is typed, one per key.

    The last state still composes the last syllable: the reader has not
    pressed space or Enter yet.
    """
    committed = ""
    current = _Syllable()
    states = []
    for jamo in jamo_keys(word):
        if jamo in VOWELS:
            committed, current = _type_vowel(committed, current, jamo)
        else:
            committed, current = _type_consonant(committed, current, jamo)
        states.append(ImeState(jamo, committed, current.text()))
    if committed + current.text() != word:
        raise AssertionError(f"the IME model typed {committed + current.text()!r}, not {word!r}")
    return states


def _joined(pairs: dict[str, str], first: str, second: str) -> str | None:
    return next((whole for whole, keys in pairs.items() if keys == first + second), None)


def _type_vowel(committed: str, current: _Syllable, vowel: str) -> tuple[str, _Syllable]:
    if current.initial and not current.vowel:
        return committed, _Syllable(current.initial, vowel)
    if current.vowel and not current.final:
        compound = _joined(COMPOUND_VOWELS, current.vowel, vowel)
        if compound:
            return committed, _Syllable(current.initial, compound)
    if current.final:
        # The final consonant (or a cluster's second half) starts the new syllable.
        cluster = CLUSTER_FINALS.get(current.final)
        kept, moved = (cluster[0], cluster[1]) if cluster else ("", current.final)
        left = _Syllable(current.initial, current.vowel, kept)
        return committed + left.text(), _Syllable(moved, vowel)
    return committed + current.text(), _Syllable("", vowel)


def _type_consonant(committed: str, current: _Syllable, consonant: str) -> tuple[str, _Syllable]:
    if current.vowel and current.initial and not current.final and consonant in FINALS:
        return committed, _Syllable(current.initial, current.vowel, consonant)
    if current.final:
        cluster = _joined(CLUSTER_FINALS, current.final, consonant)
        if cluster:
            return committed, _Syllable(current.initial, current.vowel, cluster)
    return committed + current.text(), _Syllable(consonant)
