"""A figure's SVG document made fit to be a file of the site, shown by an <img>.

A figure comes out of the block's own process, so a block can hand over any text as its
"SVG" (by replacing `savefig`, say). An <img> runs no script and loads nothing else, but the
same file opened on its own would, and the site serves it. So the document is parsed as XML
and written out again with only what drawings need: SVG elements from an allow-list, no
event attributes, links only inside the figure or to embedded images, and CSS rules scoped
to the figure.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from xml.etree import ElementTree

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

# What matplotlib writes, and the rest of static SVG drawing; no script, foreignObject,
# animation (it can set attributes, links included) or external-content elements.
# fmt: off
_ELEMENTS = frozenset((
    "svg", "g", "defs", "symbol", "use", "switch", "a", "title", "desc", "style",
    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
    "text", "tspan", "textPath", "image",
    "clipPath", "mask", "marker", "pattern", "linearGradient", "radialGradient", "stop",
    "filter", "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite", "feFlood",
    "feGaussianBlur", "feImage", "feMerge", "feMergeNode", "feMorphology", "feOffset",
    "feTile", "feFuncR", "feFuncG", "feFuncB", "feFuncA",
))
# fmt: on
_PROLOGUE_RE = re.compile(r"\A\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>\[]*>\s*)?", re.IGNORECASE)
_URL_RE = re.compile(r"url\(\s*(['\"]?)([^)'\"]*)\1\s*\)", re.IGNORECASE)
_WEB_LINK_RE = re.compile(r"\Ahttps?://", re.IGNORECASE)
_IMAGE_DATA_RE = re.compile(r"\Adata:image/(png|jpeg|gif|webp);base64,", re.IGNORECASE)
# A CSS rule with a plain selector list (what matplotlib writes: `*{...}`); anything else
# (@-rules, functions in selectors) matches nothing and is dropped.
_CSS_RULE_RE = re.compile(r"([^{};@()\\<]+)\{([^{}]*)\}")


# Kept on every id (and every reference to one): the files' names hash their content, and
# every published figure was named with it.
_ID_PREFIX = "f-"

_LENGTH_RE = re.compile(r"\A\s*([0-9]*\.?[0-9]+)\s*(px|pt)?\s*\Z")
_PIXELS_PER_UNIT = {"px": 1.0, "pt": 4 / 3, "": 1.0}  # CSS: 96 px an inch, 72 pt an inch


class UnsafeFigure(ValueError):
    """The figure is not an SVG document this module can pass on."""


@dataclass(frozen=True)
class FigureFile:
    """A figure as a standalone SVG file, and what an <img> showing it needs."""

    name: str  # named by its content: the same figure is the same file on every build
    svg: str
    width: int  # CSS pixels, so the page keeps the figure's place before it loads
    height: int
    label: str


# The blog renders a post's excerpt again on its index, archive and category pages.
@lru_cache(maxsize=32)
def figure_file(document: str, *, label: str) -> FigureFile:
    """The figure as a file of its own, cleaned, named for screen readers by its own title or
    else by `label`.

    Raises UnsafeFigure when the text is not an SVG document that can be passed on, or when it
    gives no size (an <img> needs one).
    """
    root = _parse(document)
    width, height = _size(root)
    name = _own_title(root) or label
    try:
        body = _Writer(_ID_PREFIX).root(root, name)
    except RecursionError:
        raise UnsafeFigure("its elements are nested too deeply") from None
    svg = f'<?xml version="1.0" encoding="utf-8"?>\n{body}\n'
    digest = hashlib.blake2b(svg.encode(), digest_size=10).hexdigest()
    return FigureFile(f"{digest}.svg", svg, width, height, name)


def _parse(document: str) -> ElementTree.Element:
    text = _PROLOGUE_RE.sub("", document, count=1)
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        # Internal entities are the only way to make a short document expand hugely.
        raise UnsafeFigure("it declares a document type with entities")
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as error:
        raise UnsafeFigure(f"it is not well-formed XML ({error})") from None
    if root.tag != f"{{{SVG_NS}}}svg":
        raise UnsafeFigure(f"its root element is {root.tag!r}, not an SVG <svg>")
    return root


def _own_title(root: ElementTree.Element) -> str:
    title = root.find(f"{{{SVG_NS}}}title")
    return " ".join((title.text or "").split()) if title is not None else ""


def _size(root: ElementTree.Element) -> tuple[int, int]:
    """Width and height in CSS pixels: the root's width and height, else its viewBox."""
    given_width = _LENGTH_RE.match(root.get("width", ""))
    given_height = _LENGTH_RE.match(root.get("height", ""))
    if given_width and given_height:
        width, height = (
            float(given[1]) * _PIXELS_PER_UNIT[given[2] or ""]
            for given in (given_width, given_height)
        )
    else:
        box = root.get("viewBox", "").replace(",", " ").split()
        try:
            width, height = float(box[2]), float(box[3])
        except (IndexError, ValueError):
            raise UnsafeFigure("it gives no size (width and height, or a viewBox)") from None
    if not (0 < width < 100_000 and 0 < height < 100_000):
        raise UnsafeFigure(f"its size {width:g} x {height:g} is out of range")
    return max(1, round(width)), max(1, round(height))


class _Writer:
    def __init__(self, id_prefix: str) -> None:
        self.prefix = id_prefix
        self.root_id = f"{id_prefix}svg"

    def root(self, node: ElementTree.Element, label: str) -> str:
        attributes = "".join(
            self.attribute(node, key, value) for key, value in node.attrib.items() if key != "id"
        )
        namespaces = f' xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}"'
        head = (
            f'<svg{namespaces} id="{escape(self.root_id)}" class="fencerun-figure" role="img" '
            f'aria-label="{escape(label)}"{attributes}><title>{escape(label)}</title>'
        )
        return head + self.content(node, titles=False) + "</svg>"

    def element(self, node: ElementTree.Element) -> str:
        name = _local_svg_name(node.tag)
        if name is None or name not in _ELEMENTS:
            return ""
        attributes = "".join(self.attribute(node, key, value) for key, value in node.attrib.items())
        return f"<{name}{attributes}>{self.content(node)}</{name}>"

    def content(self, node: ElementTree.Element, *, titles: bool = True) -> str:
        if _local_svg_name(node.tag) == "style":
            return escape(self.scoped_css(node.text or ""), quote=False)
        parts = [escape(node.text or "", quote=False)]
        for child in node:
            if titles or _local_svg_name(child.tag) != "title":  # root() wrote the one title
                parts.append(self.element(child))
            parts.append(escape(child.tail or "", quote=False))
        return "".join(parts)

    def attribute(self, node: ElementTree.Element, key: str, value: str) -> str:
        if key.startswith(f"{{{XLINK_NS}}}"):
            name = "xlink:" + key.split("}", 1)[1]
        elif key.startswith("{"):
            return ""  # other vocabularies: metadata, editor data
        else:
            name = key
        lowered = name.lower()
        if lowered.startswith("on") or lowered in ("class", "xmlns"):
            # Event handlers run script; a class could pick up the page's styles.
            return ""
        checked: str | None
        if lowered in ("href", "xlink:href"):
            checked = self.link(node, value)
        elif lowered == "id":
            checked = self.prefix + value
        else:
            checked = self.css(value) if "(" in value or "\\" in value else value
        return "" if checked is None else f' {name}="{escape(checked)}"'

    def link(self, node: ElementTree.Element, value: str) -> str | None:
        target = value.strip()
        name = _local_svg_name(node.tag)
        if target.startswith("#"):
            return "#" + self.prefix + target[1:]
        # Embedded bitmaps (imshow) are data: URIs; nothing is fetched from elsewhere.
        if name in ("image", "feImage") and _IMAGE_DATA_RE.match(target):
            return target
        # A link a figure's artist carries (matplotlib's set_url) leads away, never runs.
        if name == "a" and _WEB_LINK_RE.match(target):
            return target
        return None

    def css(self, value: str) -> str | None:
        """The value with url(#id) pointing at the prefixed id, or None if it would fetch
        something or hides what it says behind CSS escapes."""
        if "\\" in value:
            return None

        def point(match: re.Match[str]) -> str:
            target = match.group(2).strip()
            if target.startswith("#"):
                return f"url(#{self.prefix}{target[1:]})"
            return "none"

        pointed = _URL_RE.sub(point, value)
        leftover = re.sub(r"url\(#", "", pointed, flags=re.IGNORECASE)
        if "url(" in leftover.lower() or "image-set(" in leftover.lower():
            return None
        return pointed

    def scoped_css(self, css: str) -> str:
        """Rules that apply inside this figure only: an inline <style> styles the whole page."""
        rules = []
        for match in _CSS_RULE_RE.finditer(css):
            declarations = self.css(match.group(2))
            if declarations is None:
                continue
            selectors = ", ".join(
                f"#{self.root_id} {selector.strip()}"
                for selector in match.group(1).split(",")
                if selector.strip()
            )
            rules.append(f"{selectors} {{{declarations}}}")
        return "\n".join(rules)


def _local_svg_name(tag: object) -> str | None:
    if not isinstance(tag, str) or not tag.startswith(f"{{{SVG_NS}}}"):
        return None  # comments, processing instructions, other vocabularies
    return tag.split("}", 1)[1]
