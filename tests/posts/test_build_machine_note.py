"""The posts whose blocks run say so once, in one note, and leave the rest to the author's story.

The note says what runs (the blocks with output), on what (the machine that builds the site)
and when (at every build). Outside it, the prose does not come back to the build machine:
outputs, code and the chart may name it, since the note has said what it is.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup, Tag

from tests.posts.live_blocks import article
from tests.site.built_site import POSTS, BuiltSite, Post

LIVE_POSTS = ("linux-and-containers-for-new-engineers", "xor-swap-experiment")
LANGUAGES = ("ko", "en")
# Ways to speak of the build: any Korean word with 빌드, or the English phrases for it.
SPEAKS_OF_THE_BUILD = {
    "ko": re.compile(r"빌드"),
    "en": re.compile(
        r"build(?:s|ing)? (?:machine|tool)|builds this site|(?:site|page) is built|"
        r"when the site|machine (?:that|which) builds",
        re.I,
    ),
}
# What the note must say: the machine that builds the site, and that it runs at every build.
NOTE_SAYS = {
    "ko": ("빌드할 때마다", "빌드하는 머신"),
    "en": ("each time the site is built", "machine that builds"),
}


def _post(slug: str) -> Post:
    return next(post for post in POSTS if post.slug == slug)


def _notes(page_article: Tag, language: str) -> list[Tag]:
    return [
        note
        for note in page_article.select(".admonition")
        if SPEAKS_OF_THE_BUILD[language].search(note.get_text(" "))
    ]


def _prose(page_article: Tag) -> str:
    """The author's own words: the article without code, outputs, tables, figures and notes."""
    copy = BeautifulSoup(str(page_article), "html.parser")
    for tag in copy.select(
        "div.highlight, pre, code, table, svg, .tabbed-set, .admonition, "
        "p.fencerun-provenance, .fencerun-output, figure"
    ):
        tag.decompose()
    return re.sub(r"\s+", " ", copy.get_text(" "))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("slug", LIVE_POSTS)
def test_one_note_says_what_runs_where_and_when(built: BuiltSite, slug: str, language: str) -> None:
    post = _post(slug)
    page_article = article(built.page(post.url(language)))
    notes = _notes(page_article, language)
    assert len(notes) == 1, f"{len(notes)} notes speak of the build machine"
    text = re.sub(r"\s+", " ", notes[0].get_text(" "))
    for words in NOTE_SAYS[language]:
        assert words in text, f"the note does not say {words!r}: {text}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("slug", LIVE_POSTS)
def test_the_story_outside_the_note_leaves_the_build_machine_alone(
    built: BuiltSite, slug: str, language: str
) -> None:
    post = _post(slug)
    prose = _prose(article(built.page(post.url(language))))
    found = [
        prose[max(0, m.start() - 60) : m.end() + 60]
        for m in SPEAKS_OF_THE_BUILD[language].finditer(prose)
    ]
    assert not found, "the prose speaks of the build outside the note:\n" + "\n".join(found)
