"""Abbreviations get their glossary title even with a Korean particle right after them."""

from __future__ import annotations

import markdown
import pytest

from tests.site.built_site import POSTS, BuiltSite

GLOSSARY = "*[DRM]: Digital Rights Management\n*[cgroup]: control group\n*[cgroups]: control groups"


def convert(text: str) -> str:
    html: str = markdown.markdown(f"{text}\n\n{GLOSSARY}", extensions=["site_markdown.abbr"])
    return html


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        ("DRM을 설계했다", "DRM"),
        ("cgroup의 한도", "cgroup"),
        ("멀티DRM 구조", "DRM"),
        ("DRM, 그리고", "DRM"),
        ("(DRM)", "DRM"),
        ("cgroups로 묶는다", "cgroups"),
    ],
)
def test_abbreviation_is_marked_next_to_hangul_and_punctuation(text: str, marked: str) -> None:
    html = convert(text)
    title = {"DRM": "Digital Rights Management", "cgroup": "control group"}.get(marked)
    assert f">{marked}</abbr>" in html
    assert title is None or f'title="{title}"' in html


@pytest.mark.parametrize("text", ["DRMs and xDRM", "cgroupfs", "a_DRM", "DRM2"])
def test_abbreviation_inside_a_latin_word_stays_unmarked(text: str) -> None:
    assert "<abbr" not in convert(text)


def test_longest_abbreviation_wins() -> None:
    html = convert("cgroups는")
    assert '<abbr title="control groups">cgroups</abbr>는' in html


def test_abbreviations_in_code_stay_code() -> None:
    assert "<abbr" not in convert("`DRM을`")


def test_korean_posts_explain_abbreviations_followed_by_particles(built: BuiltSite) -> None:
    retrospective = next(post for post in POSTS if post.slug == "2023-retrospective")
    page = built.page(retrospective.url("ko"))
    followed_by_particle = [
        abbr
        for abbr in page.select(".md-content abbr[title]")
        if abbr.get_text() == "DRM" and str(abbr.next_sibling or "")[:1] in "을의이은는를"
    ]
    assert followed_by_particle, "DRM followed by a particle is not explained"
