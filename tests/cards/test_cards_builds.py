"""Cards in real builds of a small site: kept between builds, redrawn when their text changes."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

from tests.cards.cards import SmallSite
from tests.site.built_site import one

PAGES = {
    "index.md": "# 홈\n\n첫 화면.\n",
    "linux.md": "---\ndescription: 리눅스를 처음 배우는 사람에게.\n---\n\n# 리눅스 입문\n\n본문.\n",
    "memory.md": "# 메모리\n\n본문.\n",
}


def counts(log: str) -> tuple[int, int]:
    match = re.search(r"social-cards: cards drawn (\d+), reused (\d+)", log)
    assert match, log
    return int(match[1]), int(match[2])


def built(site: SmallSite) -> str:
    result = site.build()
    assert result.returncode == 0, result.stderr[-4000:]
    return result.stderr


def test_a_rebuild_reuses_every_card_and_a_changed_title_redraws_only_its_own(
    tmp_path: Path,
) -> None:
    site = SmallSite(tmp_path)
    site.write(PAGES)
    assert counts(built(site)) == (3, 0)
    first = {page: site.card(page) for page in ("index", "linux", "memory")}

    assert counts(built(site)) == (0, 3)
    assert {page: site.card(page) for page in first} == first

    site.write({"linux.md": PAGES["linux.md"].replace("리눅스 입문", "리눅스 첫걸음")})
    assert counts(built(site)) == (1, 2)
    assert site.card("linux") != first["linux"]
    assert site.card("memory") == first["memory"]
    assert site.card("index") == first["index"]


def test_two_builds_with_empty_caches_draw_the_same_bytes(tmp_path: Path) -> None:
    one_site, other = SmallSite(tmp_path / "one"), SmallSite(tmp_path / "other")
    for site in (one_site, other):
        site.write(PAGES)
        assert counts(built(site)) == (3, 0)
    for page in ("index", "linux", "memory"):
        assert one_site.card(page) == other.card(page)


def test_a_page_points_its_tags_at_its_card_at_the_sites_address(tmp_path: Path) -> None:
    site = SmallSite(tmp_path)
    site.write(PAGES)
    built(site)
    page = BeautifulSoup((site.out / "linux/index.html").read_text(encoding="utf-8"), "html.parser")
    card_url = "https://cards.example.org/assets/images/social/linux.png"
    assert one(page, 'meta[property="og:image"]')["content"] == card_url
    assert one(page, 'meta[property="og:image:alt"]')["content"] == "리눅스 입문 — 카드 시험장"
    assert one(page, 'meta[name="twitter:card"]')["content"] == "summary_large_image"


def test_a_title_the_font_cannot_draw_fails_the_strict_build_naming_the_page(
    tmp_path: Path,
) -> None:
    site = SmallSite(tmp_path)
    site.write({**PAGES, "memory.md": "# 메모리 🙂\n\n본문.\n"})
    result = site.build()
    assert result.returncode != 0
    assert "memory.md" in result.stderr
    assert "🙂" in result.stderr
    assert "NanumGothic cannot draw" in result.stderr


def test_a_site_without_site_url_fails_with_what_to_set(tmp_path: Path) -> None:
    site = SmallSite(tmp_path, site_url=None)
    site.write(PAGES)
    result = site.build()
    assert result.returncode != 0
    assert "set site_url in mkdocs.yml" in result.stderr
