"""NanumGothic, as the pinned koreanize-matplotlib package ships it.

The font files are found in the distribution's file list rather than with
importlib.resources: that would import koreanize_matplotlib, which imports
matplotlib and changes its settings, for nothing but a path.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

from fontTools.ttLib import TTFont

DISTRIBUTION = "koreanize-matplotlib"


class FontError(Exception):
    """A font the cards need is not where its package should have put it."""


@dataclass(frozen=True)
class FontSet:
    regular: Path
    bold: Path
    extra_bold: Path

    def digest(self) -> str:
        """Changes whenever a font file does, so cached cards are redrawn with it."""
        hasher = hashlib.sha256()
        for path in (self.regular, self.bold, self.extra_bold):
            hasher.update(path.read_bytes())
        return hasher.hexdigest()


@cache
def nanum_gothic() -> FontSet:
    return FontSet(
        regular=_packaged_font("NanumGothic.ttf"),
        bold=_packaged_font("NanumGothicBold.ttf"),
        extra_bold=_packaged_font("NanumGothicExtraBold.ttf"),
    )


def _packaged_font(name: str) -> Path:
    try:
        distribution = metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError as error:
        raise FontError(
            f"the {DISTRIBUTION} package is not installed; install the site's pinned "
            "requirements (scripts/site build sets up .venv with them)"
        ) from error
    for file in distribution.files or ():
        if file.name == name:
            path = Path(str(distribution.locate_file(file)))
            if path.is_file():
                return path
    raise FontError(
        f"{DISTRIBUTION} has no {name}; reinstall it (pip install --force-reinstall "
        f"{DISTRIBUTION}=={distribution.version})"
    )


@cache
def _characters(path: Path) -> frozenset[int]:
    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def missing_characters(text: str, font: Path) -> list[str]:
    """The characters of text the font has no glyph for (they would be drawn as boxes)."""
    covered = _characters(font)
    missing = {ch for ch in text if not ch.isspace() and ord(ch) not in covered}
    return sorted(missing)
