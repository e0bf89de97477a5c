"""A page's link map: its neighbours one step away, each a link, laid out around it inside
the drawing with titles that neither overlap nor run over a line, cut to fit a phone."""

from __future__ import annotations

import pytest
from kb_links.graph import PageSource, link_languages
from kb_links.local_map import (
    BOTH,
    IN,
    MOST,
    OUT,
    Box,
    LocalMap,
    Neighbour,
    local_map,
    neighbours,
)
from kb_links.notes import Note
from kb_links.text_width import ELLIPSIS, fit, text_width
from markdown.extensions.toc import slugify_unicode

CENTRE = Note("ko/kb/page.md", "ko", "시작하는 엔지니어를 위한 리눅스와 컨테이너 이야기")
TITLES = [
    "프로세스",
    "네임스페이스와 cgroup으로 컨테이너 격리하기",
    "Memory commands for the working engineer",
    "WWWWWWWWWWWWWWWWWWWWWWWWW",
    "디스크",
    "가나다라마바사아자차카타파하가나다라마바사",
]


def around(count: int) -> list[Neighbour]:
    ways = (OUT, IN, BOTH)
    return [
        Neighbour(Note(f"ko/kb/n{n}.md", "ko", TITLES[n % len(TITLES)]), ways[n % 3])
        for n in range(count)
    ]


def drawn(count: int) -> LocalMap:
    found = local_map(CENTRE, around(count))
    assert found is not None
    return found


def inside(box: Box, drawing: LocalMap) -> bool:
    return (
        box.x >= 0
        and box.y >= 0
        and box.x + box.width <= drawing.width
        and box.y + box.height <= drawing.height
    )


def crosses(line: tuple[float, float, float, float], box: Box) -> bool:
    """Whether the segment runs through the box (Liang-Barsky clipping)."""
    x1, y1, x2, y2 = line
    dx, dy = x2 - x1, y2 - y1
    low, high = 0.0, 1.0
    for step, room in (
        (-dx, x1 - box.x),
        (dx, box.x + box.width - x1),
        (-dy, y1 - box.y),
        (dy, box.y + box.height - y1),
    ):
        if step == 0:
            if room < 0:
                return False
            continue
        t = room / step
        if step < 0:
            low = max(low, t)
        else:
            high = min(high, t)
    return low < high


COUNTS = range(1, MOST + 1)


@pytest.mark.parametrize("count", COUNTS)
def test_every_node_and_title_lies_inside_the_drawing(count: int) -> None:
    drawing = drawn(count)
    assert inside(drawing.centre_box, drawing)
    assert text_width(drawing.centre_label, 13, bold=True) <= drawing.centre_box.width
    for node in drawing.nodes:
        dot = Box(node.x - drawing.dot, node.y - drawing.dot, 2 * drawing.dot, 2 * drawing.dot)
        assert inside(dot, drawing), node.note.title
        assert inside(node.label_box, drawing), node.note.title
        assert inside(node.area, drawing), node.note.title
        assert text_width(node.label, 13) <= node.label_box.width, node.label


@pytest.mark.parametrize("count", COUNTS)
def test_titles_and_links_do_not_overlap_nor_cross_a_line(count: int) -> None:
    drawing = drawn(count)
    nodes = drawing.nodes
    for index, node in enumerate(nodes):
        assert not node.label_box.overlaps(drawing.centre_box), node.label
        assert not node.area.overlaps(drawing.centre_box), node.label
        for other in nodes[index + 1 :]:
            assert not node.label_box.overlaps(other.label_box), (node.label, other.label)
            assert not node.area.overlaps(other.area), (node.label, other.label)
        for other in nodes:
            assert not crosses(other.line, node.label_box), (other.label, node.label)


def test_the_drawing_fits_a_phone_and_grows_only_downwards() -> None:
    heights = [drawn(count).height for count in COUNTS]
    assert all(drawn(count).width <= 360 for count in COUNTS)
    assert heights == sorted(heights)
    assert heights[-1] <= 240


def test_the_first_twelve_neighbours_are_drawn_and_the_rest_counted() -> None:
    all_of_them = around(MOST + 5)
    drawing = local_map(CENTRE, all_of_them)
    assert drawing is not None
    assert [node.note for node in drawing.nodes] == [each.note for each in all_of_them[:MOST]]
    assert drawing.more == 5
    assert drawn(3).more == 0


def test_a_page_without_neighbours_has_no_map() -> None:
    assert local_map(CENTRE, []) is None


def test_arrows_point_the_way_each_link_goes() -> None:
    drawing = drawn(3)
    for node in drawing.nodes:
        x1, y1, x2, y2 = node.line
        tips = [tuple(float(v) for v in arrow.split(" ")[0].split(",")) for arrow in node.arrows]
        at_neighbour, at_page = (x2, y2), (x1, y1)
        expected = {OUT: [at_neighbour], IN: [at_page], BOTH: [at_neighbour, at_page]}
        assert tips == expected[node.direction]


def test_a_long_title_is_cut_with_an_ellipsis_and_a_short_one_kept_whole() -> None:
    drawing = drawn(6)
    labels = {node.note.title: node.label for node in drawing.nodes}
    assert labels["프로세스"] == "프로세스"
    cut = labels["네임스페이스와 cgroup으로 컨테이너 격리하기"]
    assert cut.endswith(ELLIPSIS) and len(cut) > 4
    assert "네임스페이스와 cgroup으로 컨테이너 격리하기".startswith(cut[:-1])
    assert drawing.centre_label.endswith(ELLIPSIS)
    assert drawing.centre.title == CENTRE.title  # whole, for the link's accessible name


@pytest.mark.parametrize(
    ("text", "width", "shown"),
    [
        ("메모리", 60, "메모리"),
        ("메모리 명령어", 60, "메모리…"),  # no space left before the ellipsis
        ("네임스페이스와 cgroup으로 격리", 140, "네임스페이스와…"),  # whole words only
        ("Memory commands", 110, "Memory…"),
        ("가나다라마바사아자차카타파하", 60, "가나다…"),  # one word: cut inside it
        ("Memory", 60, "Memory"),
        ("", 60, ""),
    ],
)
def test_fit_keeps_what_fits_and_cuts_the_rest(text: str, width: float, shown: str) -> None:
    assert fit(text, width, 13) == shown
    assert text_width(shown, 13) <= width


def page(name: str, title: str, *links: str) -> PageSource:
    body = f"# {title}\n\n" + " ".join(f"[[{link}]]" for link in links) + "\n"
    return PageSource(f"ko/kb/{name}.md", body, {}, 1)


def test_neighbours_are_the_pages_linked_either_way_one_step() -> None:
    pages = [
        page("page", "이 노트", "b-out", "a-both", "page"),  # its own link is no neighbour
        page("a-both", "서로", "page"),
        page("b-out", "나가는 링크", "far"),
        page("c-in", "들어오는 링크", "page"),
        page("far", "두 걸음"),
    ]
    linked, _ = link_languages({"ko": pages}, slugify_unicode)
    note = linked["ko"].index.notes["ko/kb/page.md"]
    found = [(each.note.title, each.direction) for each in neighbours(note, linked["ko"])]
    assert found == [("나가는 링크", OUT), ("서로", BOTH), ("들어오는 링크", IN)]
    listed = neighbours(note, linked["ko"], lambda other: other.title != "서로")
    assert [each.note.title for each in listed] == ["나가는 링크", "들어오는 링크"]
