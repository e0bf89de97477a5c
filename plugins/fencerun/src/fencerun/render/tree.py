"""markdown-exec's `tree` fence: an indented list of names drawn as a file tree, in a code block.

Lines indented under a name are its entries; a name with entries, or ending in `/`, is a
folder. Files get Material's icon for their type when Material for MkDocs is installed (as
markdown-exec gives them), a plain emoji otherwise. The icons go in after the code block is
highlighted: the tree carries a word in their place that no lexer splits.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from textwrap import dedent

from fencerun.model import TreeIcons

FOLDER = "📁 "
FILE = "📄 "

# The icon markdown-exec gives a file: by its whole name, else by what follows its last dot.
_ICON_BY_NAME = {
    "Dockerfile": "simple-docker",
    ".gitattributes": "simple-git",
    ".gitignore": "simple-git",
}
_ICONS_AND_SUFFIXES = (
    ("simple-apachegroovy", "groovy"),
    ("simple-c", "c h"),
    ("simple-cplusplus", "cpp hpp"),
    ("simple-css", "css"),
    ("simple-fishshell", "fish"),
    ("simple-fsharp", "fs fsi fsx"),
    ("simple-gnubash", "sh"),
    ("simple-go", "go"),
    ("simple-gradle", "gradle"),
    ("simple-html5", "html"),
    ("simple-icon", "ico"),
    ("simple-javascript", "js"),
    ("simple-jinja", "jinja"),
    ("simple-jpeg", "jpg jpeg"),
    ("simple-json", "json"),
    ("simple-kotlin", "kt kts"),
    ("simple-latex", "tex"),
    ("simple-libreofficewriter", "odt"),
    ("simple-lua", "lua"),
    ("simple-markdown", "md"),
    ("simple-php", "php"),
    ("simple-python", "py pyc pyd pyo pyx"),
    ("simple-react", "jsx tsx"),
    ("simple-ruby", "rb"),
    ("simple-rust", "rs"),
    ("simple-sass", "scss"),
    ("simple-scala", "scala"),
    ("simple-svg", "svg"),
    ("simple-toml", "toml"),
    ("simple-typescript", "ts"),
    ("simple-yaml", "yml yaml"),
    ("simple-zsh", "zsh"),
)
_ICON_BY_SUFFIX = {
    suffix: icon for icon, suffixes in _ICONS_AND_SUFFIXES for suffix in suffixes.split()
}
_OTHER_FILE_ICON = "material-file"
_ICON_WORD_RE = re.compile(r"__ICON_[0-9a-f]{32}")


@dataclass
class _Entry:
    text: str  # the line as written, without its indentation (a comment may follow the name)
    entries: list[_Entry] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.text.split()[0]


def draw_tree(code: str, icons: TreeIcons) -> str:
    """The tree's text for its code block; with theme icons, icon words to give `with_icons`."""
    use_theme = icons == "theme" and _theme_icons() is not None
    return "\n".join(_lines(_read(code), icons, use_theme=use_theme, top=True))


def with_icons(html: str) -> str:
    """The highlighted tree with its icon words replaced by Material's icons."""
    svgs = _svg_by_word()
    return _ICON_WORD_RE.sub(
        lambda match: (
            f'<span class="twemoji">{svgs[match[0]]}</span>' if match[0] in svgs else match[0]
        ),
        html,
    )


def _read(code: str) -> list[_Entry]:
    top: list[_Entry] = []
    # The indentation of each open level and the list its entries join.
    levels: list[tuple[int, list[_Entry]]] = [(0, top)]
    for line in dedent(code.strip()).split("\n"):
        text = line.lstrip()
        if not text:
            continue
        indent = len(line) - len(text)
        while indent < levels[-1][0]:
            levels.pop()
        if indent > levels[-1][0]:
            levels.append((indent, levels[-1][1][-1].entries))
        levels[-1][1].append(_Entry(text))
    return top


def _lines(entries: list[_Entry], icons: TreeIcons, *, use_theme: bool, top: bool) -> list[str]:
    lines = []
    for number, entry in enumerate(entries):
        last = number == len(entries) - 1
        branch = "" if top else ("└── " if last else "├── ")
        lines.append(branch + _icon(entry, icons, use_theme=use_theme) + entry.text)
        below = _lines(entry.entries, icons, use_theme=use_theme, top=False)
        # The top level's entries hang from no line of their own.
        lead = "" if top else ("    " if last else "│   ")
        lines.extend(lead + line for line in below)
    return lines


def _icon(entry: _Entry, icons: TreeIcons, *, use_theme: bool) -> str:
    if icons == "none":
        return ""
    if entry.entries or entry.name.endswith("/"):
        return FOLDER
    if not use_theme:
        return FILE
    icon = _ICON_BY_NAME.get(entry.name)
    if icon is None:
        icon = _ICON_BY_SUFFIX.get(entry.name.rsplit(".", 1)[-1], _OTHER_FILE_ICON)
    return _word(icon) + " "


def _word(icon: str) -> str:
    return "__ICON_" + hashlib.sha256(icon.encode()).hexdigest()[:32]


@cache
def _theme_icons() -> Traversable | None:
    """The icon folder of Material for MkDocs, else of Zensical's theme (its successor ships
    the same icons), as markdown-exec looks for them; None where neither is installed."""
    for package in ("material", "zensical_ui"):
        try:
            folder = files(package).joinpath("templates", ".icons")
        except ModuleNotFoundError:
            continue
        if folder.is_dir():
            return folder
    return None


@cache
def _svg_by_word() -> dict[str, str]:
    folder = _theme_icons()
    if folder is None:
        return {}
    icons = {*_ICON_BY_NAME.values(), *_ICON_BY_SUFFIX.values(), _OTHER_FILE_ICON}
    svgs = {}
    for icon in icons:
        family, name = icon.split("-", 1)
        svgs[_word(icon)] = folder.joinpath(family, f"{name}.svg").read_text(encoding="utf-8")
    return svgs
