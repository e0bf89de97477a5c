"""Cards kept between builds, named by a hash of everything that shapes them.

A card is drawn again only when its text, the fonts, Pillow, FreeType or this
package's drawing code change; otherwise the stored PNG is used as it is.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from functools import cache
from importlib import resources
from pathlib import Path

import PIL
from fencerun.atomic_file import write_atomically
from PIL import features

from .draw import CardText, draw_card
from .fonts import FontSet

DRAWING_MODULES = ("draw.py", "wrap.py")


class CardCache:
    def __init__(self, folder: Path, fonts: FontSet) -> None:
        self.folder = folder
        self.fonts = fonts
        self.drawn = 0
        self.reused = 0

    def card(self, text: CardText) -> bytes:
        path = self.folder / f"{self.key(text)}.png"
        try:
            png = path.read_bytes()
        except FileNotFoundError:
            png = draw_card(text, self.fonts)
            write_atomically(path, png)
            self.drawn += 1
        else:
            self.reused += 1
        return png

    def key(self, text: CardText) -> str:
        shaped_by = {"text": asdict(text), "drawing": _drawing_digest(self.fonts)}
        encoded = json.dumps(shaped_by, ensure_ascii=False, sort_keys=True).encode()
        return hashlib.sha256(encoded).hexdigest()


@cache
def _drawing_digest(fonts: FontSet) -> str:
    # FreeType rasterises the glyphs: another version may shade their edges differently.
    freetype = features.version("freetype2") or "none"
    hasher = hashlib.sha256(f"Pillow {PIL.__version__}, FreeType {freetype}".encode())
    hasher.update(fonts.digest().encode())
    package = resources.files(__package__)
    for name in DRAWING_MODULES:
        hasher.update(package.joinpath(name).read_bytes())
    return hasher.hexdigest()
