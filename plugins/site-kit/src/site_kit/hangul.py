"""Which characters are Hangul, for every plugin that treats Korean text apart."""

from __future__ import annotations

import re

# Jamo, Compatibility Jamo (ㅋㅋ, ㄱ), Jamo Extended-A, Syllables, Jamo Extended-B: inside a
# character class, as `[...]` or `[^\W...]`.
HANGUL_CHARACTERS = "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7a3\ud7b0-\ud7ff"
HANGUL = re.compile(f"[{HANGUL_CHARACTERS}]")
