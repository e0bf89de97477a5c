"""A page's neighbourhood as a small map: the page in the middle, the pages it links to and
the pages that link to it around it, each a dot with its title, joined to the middle by an
arrow that points the way the link goes.

Laid out for a phone held upright: a 360 px wide drawing, which a 390 px screen shows at
about its own size. The neighbours sit on an ellipse around the page, alternately right and
left, the first ones nearest the middle; the ellipse's rows stay clear of the page's own
label, and each side's titles run outwards from their dots, so no title crosses another or
a line. Titles that would not fit are cut with an ellipsis (text_width), the whole title
staying in the link's accessible name.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from kb_links.graph import LanguageLinks
from kb_links.notes import Note
from kb_links.text_width import fit, text_width

OUT, IN, BOTH = "out", "in", "both"  # the page links to the neighbour, it to the page, both

WIDTH = 360
MARGIN = 4
FONT_SIZE = 13  # px, the page's label bold
# From a line's middle down to its baseline: where a title is drawn to sit level with its
# dot (SVG's dominant-baseline would do it, but Chromium then draws the underline above).
BASELINE = 0.35 * FONT_SIZE
MOST = 12  # neighbours drawn; the others are counted in words
# The page's label: a rounded box in the middle, as wide as its title needs. It clears the
# rows above and below it, so it can take most of the width.
CENTRE_WIDTHS = (120, 300)  # the least and the most
CENTRE_HEIGHT = 28
CENTRE_PADDING = 12
# Rows of neighbours above and below the middle, in the order they fill: far enough from
# the middle to clear the page's label, far enough apart for a finger.
ROWS = (30, 64, 98)
# The ellipse the dots sit on: narrow, so that the titles have the width.
ELLIPSE_X = 46
ELLIPSE_Y = 130
DOT = 5  # radius
LABEL_GAP = 7  # between a dot and its title
AREA_HEIGHT = 28  # of a neighbour's link, dot and title
ARROW_LENGTH = 7
ARROW_HALF_WIDTH = 3.5


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float

    def overlaps(self, other: Box) -> bool:
        return (
            self.x < other.x + other.width
            and other.x < self.x + self.width
            and self.y < other.y + other.height
            and other.y < self.y + self.height
        )


@dataclass(frozen=True)
class Neighbour:
    note: Note
    direction: str  # OUT, IN or BOTH


@dataclass(frozen=True)
class MapNode:
    note: Note
    direction: str
    x: float  # the dot's centre
    y: float
    label: str  # the title as drawn: whole, or cut with an ellipsis
    label_x: float  # where the title starts (anchor "start") or ends ("end")
    label_y: float  # its baseline
    anchor: str
    label_box: Box  # the most the title can take
    area: Box  # the link: dot and title
    line: tuple[float, float, float, float]  # from the page's label to the dot
    arrows: tuple[str, ...]  # each a polygon's points


@dataclass(frozen=True)
class LocalMap:
    width: int
    height: int
    centre: Note
    centre_label: str
    centre_label_x: float  # its middle
    centre_label_y: float  # its baseline
    centre_box: Box
    nodes: tuple[MapNode, ...]
    more: int  # neighbours not drawn
    dot: int = DOT  # a neighbour's radius
    font_size: int = FONT_SIZE  # px of the drawing


def neighbours(
    note: Note, linked: LanguageLinks, listed: Callable[[Note], bool] = lambda note: True
) -> list[Neighbour]:
    """The pages `note` links to and those that link to it, that `listed` accepts: first
    those linked both ways and those it links to, in the order its text links them, then
    those that only link to it, by title."""
    outgoing: dict[str, Note] = {}
    for link in linked.links.get(note.src_uri, []):
        if link.target is not note and listed(link.target):
            outgoing.setdefault(link.target.src_uri, link.target)
    incoming = [
        backlink.source
        for backlink in linked.backlinks.get(note.src_uri, [])
        if listed(backlink.source)
    ]
    both = {source.src_uri for source in incoming} & outgoing.keys()
    found = [
        Neighbour(target, BOTH if src_uri in both else OUT) for src_uri, target in outgoing.items()
    ]
    found += [Neighbour(source, IN) for source in incoming if source.src_uri not in both]
    return found


def local_map(note: Note, around: list[Neighbour], most: int = MOST) -> LocalMap | None:
    """The map of `note` and the first `most` of its neighbours; None without neighbours."""
    if not around:
        return None
    shown = around[:most]
    offsets = [_offset(index) for index in range(len(shown))]
    above = max(-min(offsets), 0) + AREA_HEIGHT / 2 + MARGIN
    below = max(max(offsets), 0) + AREA_HEIGHT / 2 + MARGIN
    height = math.ceil(above + below)
    centre_x, centre_y = WIDTH / 2, above
    least, most_wide = CENTRE_WIDTHS
    label = fit(note.title, most_wide - 2 * CENTRE_PADDING, FONT_SIZE, bold=True)
    width = max(least, text_width(label, FONT_SIZE, bold=True) + 2 * CENTRE_PADDING)
    centre_box = _box(centre_x - width / 2, centre_y - CENTRE_HEIGHT / 2, width, CENTRE_HEIGHT)
    nodes = tuple(_node(neighbour, index, centre_box) for index, neighbour in enumerate(shown))
    return LocalMap(
        width=WIDTH,
        height=height,
        centre=note,
        centre_label=label,
        centre_label_x=centre_x,
        centre_label_y=round(centre_y + BASELINE, 1),
        centre_box=centre_box,
        nodes=nodes,
        more=len(around) - len(shown),
    )


def _row(index: int) -> int:
    """The row of the index-th neighbour: two a side on each row, right and left taking
    turns (0 right, 1 left, 2 right ...), above and below the middle taking turns."""
    return index // 4


def _offset(index: int) -> float:
    """How far below the middle (negative: above) the index-th neighbour sits. The two
    sides turn opposite ways, so that two neighbours face each other across the page."""
    side_index = index // 2
    above_first = index % 2 == 0
    above = (side_index % 2 == 0) == above_first
    distance = ROWS[_row(index)]
    return -distance if above else distance


def _node(neighbour: Neighbour, index: int, centre: Box) -> MapNode:
    centre_x, centre_y = centre.x + centre.width / 2, centre.y + centre.height / 2
    right = index % 2 == 0
    side = 1 if right else -1
    dy = _offset(index)
    dx = ELLIPSE_X * math.sqrt(1 - (dy / ELLIPSE_Y) ** 2)
    x, y = centre_x + side * dx, centre_y + dy
    label_x = x + side * (DOT + LABEL_GAP)
    room = (WIDTH - MARGIN - label_x) if right else (label_x - MARGIN)
    label = fit(neighbour.note.title, room, FONT_SIZE)
    line_height = FONT_SIZE * 1.4
    label_box = _box(label_x if right else MARGIN, y - line_height / 2, room, line_height)
    area_from = x - side * (DOT + 3)
    area_to = WIDTH - MARGIN if right else MARGIN
    area = _box(min(area_from, area_to), y - AREA_HEIGHT / 2, abs(area_to - area_from), AREA_HEIGHT)
    start, end = _spoke(centre, x, y)
    arrows = []
    if neighbour.direction in (OUT, BOTH):
        arrows.append(_arrow(start, end))
    if neighbour.direction in (IN, BOTH):
        arrows.append(_arrow(end, start))
    return MapNode(
        note=neighbour.note,
        direction=neighbour.direction,
        x=round(x, 1),
        y=round(y, 1),
        label=label,
        label_x=round(label_x, 1),
        label_y=round(y + BASELINE, 1),
        anchor="start" if right else "end",
        label_box=label_box,
        area=area,
        line=(*_rounded(start), *_rounded(end)),
        arrows=tuple(arrows),
    )


def _spoke(centre: Box, x: float, y: float) -> tuple[tuple[float, float], tuple[float, float]]:
    """The line from the edge of the page's label to just short of the dot."""
    centre_x, centre_y = centre.x + centre.width / 2, centre.y + centre.height / 2
    dx, dy = x - centre_x, y - centre_y
    length = math.hypot(dx, dy)
    leave = min((centre.width / 2 + 2) / abs(dx), (centre.height / 2 + 2) / abs(dy))
    arrive = 1 - (DOT + 2) / length
    return (
        (centre_x + dx * leave, centre_y + dy * leave),
        (centre_x + dx * arrive, centre_y + dy * arrive),
    )


def _arrow(tail: tuple[float, float], tip: tuple[float, float]) -> str:
    """A filled arrowhead at `tip`, pointing away from `tail`."""
    dx, dy = tip[0] - tail[0], tip[1] - tail[1]
    length = math.hypot(dx, dy)
    ux, uy = dx / length, dy / length
    base_x, base_y = tip[0] - ux * ARROW_LENGTH, tip[1] - uy * ARROW_LENGTH
    points = (
        tip,
        (base_x - uy * ARROW_HALF_WIDTH, base_y + ux * ARROW_HALF_WIDTH),
        (base_x + uy * ARROW_HALF_WIDTH, base_y - ux * ARROW_HALF_WIDTH),
    )
    return " ".join(f"{px:.1f},{py:.1f}" for px, py in points)


def _box(x: float, y: float, width: float, height: float) -> Box:
    return Box(round(x, 1), round(y, 1), round(width, 1), round(height, 1))


def _rounded(point: tuple[float, float]) -> tuple[float, float]:
    return round(point[0], 1), round(point[1], 1)
