"""How a card lays out its words: Korean line breaking, long titles, same bytes every time."""

from __future__ import annotations

import io
import struct

from PIL import Image
from social_cards.draw import BODY_BOTTOM, BODY_TOP, MARGIN_X, WIDTH, CardText, draw_card, layout
from social_cards.wrap import ELLIPSIS, wrap

from tests.cards.cards import fonts, ink_rows, rightmost_ink

LONG_KOREAN_TITLE = (
    "네이버클라우드에서 밀리의서재까지, 인프라엔지니어로 일하며 배운 것들과 "
    "다시 돌아간다면 다르게 할 일들"
)
TOO_LONG_TITLE = " ".join(["컨테이너와 네임스페이스와 cgroup을 처음부터 끝까지"] * 4)


def card(title: str, description: str = "짧은 설명.") -> CardText:
    return CardText(title=title, description=description, site_name="linus.log", author="linus")


def image_of(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png))


def test_a_long_korean_title_breaks_only_between_words() -> None:
    plan = layout(card(LONG_KOREAN_TITLE), fonts())
    assert len(plan.title_lines) > 1
    # Every line is whole words of the title, in order: no word is cut.
    assert " ".join(plan.title_lines) == LONG_KOREAN_TITLE
    words = LONG_KOREAN_TITLE.split()
    assert all(word in words for line in plan.title_lines for word in line.split())


def test_a_long_title_stays_inside_the_card_on_as_many_lines_as_it_needs() -> None:
    text = card(LONG_KOREAN_TITLE)
    plan = layout(text, fonts())
    picture = image_of(draw_card(text, fonts()))
    assert rightmost_ink(picture, BODY_TOP, BODY_BOTTOM) < WIDTH - MARGIN_X + 4
    rows = ink_rows(picture, BODY_TOP, BODY_BOTTOM)
    assert len(rows) == len(plan.title_lines) + len(plan.description_lines)


def test_a_title_too_long_for_three_lines_ends_in_an_ellipsis_after_a_whole_word() -> None:
    plan = layout(card(TOO_LONG_TITLE), fonts())
    assert len(plan.title_lines) == 3
    last = plan.title_lines[-1]
    assert last.endswith(ELLIPSIS)
    shown = " ".join(plan.title_lines).removesuffix(ELLIPSIS)
    assert TOO_LONG_TITLE.startswith(shown)
    assert TOO_LONG_TITLE[len(shown)] == " "  # the cut falls between two words
    picture = image_of(draw_card(card(TOO_LONG_TITLE), fonts()))
    assert rightmost_ink(picture, BODY_TOP, BODY_BOTTOM) < WIDTH - MARGIN_X + 4


def test_a_short_title_keeps_the_largest_type() -> None:
    short = layout(card("리눅스"), fonts())
    long = layout(card(LONG_KOREAN_TITLE), fonts())
    assert short.title_lines == ["리눅스"]
    assert short.title_size > long.title_size


def test_lines_break_at_spaces_and_a_word_is_split_only_when_no_line_holds_it() -> None:
    def measure(text: str) -> float:
        return float(len(text))  # one unit a character

    assert wrap("리눅스와 컨테이너를 배운다", 10, measure) == ["리눅스와 컨테이너를", "배운다"]
    assert wrap("리눅스와 컨테이너를 배운다", 6, measure) == ["리눅스와", "컨테이너를", "배운다"]
    assert wrap("가나다라마바사아자차카 끝", 5, measure) == ["가나다라마", "바사아자차", "카 끝"]
    assert all(measure(line) <= 5 for line in wrap("가" * 23, 5, measure))


def test_the_same_text_draws_the_same_png_without_metadata() -> None:
    text = card("같은 글은 같은 그림", "두 번 그려도 바이트 하나 다르지 않다.")
    first, second = draw_card(text, fonts()), draw_card(text, fonts())
    assert first == second
    assert png_chunks(first) == ["IHDR", "IDAT", "IEND"]  # no time, text or software chunk


def test_each_word_of_the_card_changes_the_picture() -> None:
    base = card("리눅스와 컨테이너", "설명")
    pictures = {
        draw_card(base, fonts()),
        draw_card(CardText("리눅스와 컨테이너", "설명", "linus.log", "다른 사람"), fonts()),
        draw_card(CardText("리눅스와 컨테이너", "설명", "other.log", "linus"), fonts()),
        draw_card(CardText("리눅스와 컨테이너", "다른 설명", "linus.log", "linus"), fonts()),
        draw_card(CardText("리눅스와 컨테이너들", "설명", "linus.log", "linus"), fonts()),
    }
    assert len(pictures) == 5


def png_chunks(png: bytes) -> list[str]:
    chunks, at = [], 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        chunks.append(png[at + 4 : at + 8].decode("ascii"))
        at += 12 + length
    return [chunk for index, chunk in enumerate(chunks) if index == 0 or chunk != chunks[index - 1]]
