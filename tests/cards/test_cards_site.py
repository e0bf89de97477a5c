"""Every page of the real site has its own link preview card, and its tags point at it."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from PIL import Image
from social_cards.draw import draw_card

from tests.cards.cards import card_text_of, drawn_like_missing_glyph, fonts, glyphless
from tests.site.built_site import POSTS, ROOTS, SITE_URL, BuiltSite, Post, one

NOT_SHARED = {"404.html", "en/404.html"}  # error pages: nobody shares them


def shared_pages(site: BuiltSite) -> list[str]:
    pages = [page for page in site.html_pages() if page not in NOT_SHARED]
    assert len(pages) > 40  # both languages: posts, blog views, knowledge base
    return pages


def page_url(html_path: str) -> str:
    return html_path.removesuffix("index.html")


def card_file(site: BuiltSite, page: BeautifulSoup) -> bytes:
    url = one(page, 'meta[property="og:image"]')["content"]
    assert isinstance(url, str) and url.startswith(SITE_URL), url
    path = site.root / urlsplit(url).path.removeprefix(urlsplit(SITE_URL).path)
    assert path.is_file(), f"og:image {url} is not in the built site"
    return path.read_bytes()


def test_every_page_names_its_card_in_open_graph_and_twitter_tags(site: BuiltSite) -> None:
    for html_path in shared_pages(site):
        page = site.page(page_url(html_path))
        image = one(page, 'meta[property="og:image"]')["content"]
        assert str(image).startswith(SITE_URL + "assets/images/social/"), html_path
        assert str(image).endswith(".png"), html_path
        assert one(page, 'meta[property="og:image:type"]')["content"] == "image/png"
        assert one(page, 'meta[property="og:image:width"]')["content"] == "1200"
        assert one(page, 'meta[property="og:image:height"]')["content"] == "630"
        title = one(page, 'meta[property="og:title"]')["content"]
        alt = one(page, 'meta[property="og:image:alt"]')["content"]
        assert str(alt).startswith(str(title)), html_path
        assert one(page, 'meta[name="twitter:card"]')["content"] == "summary_large_image"
        assert one(page, 'meta[name="twitter:image"]')["content"] == image
        assert one(page, 'meta[name="twitter:image:alt"]')["content"] == alt


def test_every_card_is_a_1200_by_630_png_of_its_own_page(site: BuiltSite) -> None:
    cards: dict[str, str] = {}
    for html_path in shared_pages(site):
        page = site.page(page_url(html_path))
        png = card_file(site, page)
        with Image.open(io.BytesIO(png)) as image:
            assert (image.format, image.size) == ("PNG", (1200, 630)), html_path
        # The card is exactly the drawing of the title, description, site name and
        # author the page states: the preview says what the page says.
        text = card_text_of(page)
        assert png == draw_card(text, fonts()), f"the card of /{html_path} is not {text}"
        cards[html_path] = str(one(page, 'meta[property="og:image"]')["content"])
    # Two pages never share a card file (a blog's second page has a card of its own).
    assert len(set(cards.values())) == len(cards)


@pytest.mark.parametrize("post", POSTS, ids=lambda post: post.slug)
def test_a_posts_two_translations_have_cards_in_their_own_language(
    site: BuiltSite, post: Post
) -> None:
    texts = {}
    for language in ROOTS:
        page = site.page(post.url(language))
        texts[language] = card_text_of(page)
        assert card_file(site, page)
    assert any("\uac00" <= ch <= "\ud7a3" for ch in texts["ko"].title)
    assert not any("\uac00" <= ch <= "\ud7a3" for ch in texts["en"].title)
    assert texts["ko"].author == texts["en"].author == "linus"
    assert texts["ko"].site_name == texts["en"].site_name == "linus.log"


def test_the_hangul_on_every_card_is_drawn_not_boxes(site: BuiltSite) -> None:
    font_set = fonts()
    hangul: set[str] = set()
    for html_path in shared_pages(site):
        text = card_text_of(site.page(page_url(html_path)))
        for value, font in (
            (text.title, font_set.extra_bold),
            (text.description, font_set.regular),
            (text.site_name, font_set.bold),
            (text.author, font_set.bold),
        ):
            assert not glyphless(value, font), f"/{html_path}: {value!r} has no glyphs in {font}"
            hangul |= {ch for ch in value if "\uac00" <= ch <= "\ud7a3"}
    assert len(hangul) > 150  # the syllables of the Korean pages' titles and descriptions
    boxes = [ch for ch in sorted(hangul) if drawn_like_missing_glyph(ch, font_set.extra_bold)]
    assert not boxes
