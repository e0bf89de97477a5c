"""On the real site: each page ends with the pages of its language that link to it, and a
wikilink that names no page stops the build at its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.site.built_site import ROOTS, SITE_URL, BuiltSite
from tests.site_copy import build_site, copy_site

HEADING = {"ko": "이 문서를 가리키는 글", "en": "Pages that link here"}


@pytest.mark.parametrize("language", ROOTS)
def test_a_note_lists_the_pages_that_link_to_it_with_their_sentences(
    real_site: BuiltSite, language: str
) -> None:
    page = real_site.page(f"{ROOTS[language]}kb/processes/")
    section = page.select_one("section.kb-backlinks")
    assert section is not None
    assert section.h2 is not None and section.h2.get_text(strip=True) == HEADING[language]
    items = section.select("li")
    titles = [item.a.get_text(strip=True) for item in items if item.a is not None]
    assert len(titles) == len(set(titles)) >= 3
    for item in items:
        assert item.a is not None
        target = real_site.resolve(f"{ROOTS[language]}kb/processes/", str(item.a["href"]))
        assert real_site.file(target).is_file(), target
        assert item.p is not None and item.p.get_text(strip=True)
    # Of the page's own text: not in its table of contents.
    assert section.h2["id"] == HEADING[language].lower().replace(" ", "-")
    assert not page.select(f'nav.md-nav--secondary a[href="#{section.h2["id"]}"]')


@pytest.mark.parametrize("language", ROOTS)
def test_a_page_nobody_links_to_shows_no_backlinks(real_site: BuiltSite, language: str) -> None:
    page = real_site.page(f"{ROOTS[language]}tags/")
    assert page.select_one("section.kb-backlinks") is None


def test_a_wikilink_that_names_no_page_fails_the_build_at_its_line(tmp_path: Path) -> None:
    project = copy_site(tmp_path / "project")
    note = project / "docs" / "ko" / "kb" / "memory.md"
    lines = note.read_text(encoding="utf-8").split("\n")
    lines.insert(12, "자세한 건 [[없는 노트]]를 보세요.")
    note.write_text("\n".join(lines), encoding="utf-8")
    done = build_site(project, tmp_path / "site", site_url=SITE_URL, run_blocks=False)
    assert done.returncode != 0
    assert "docs/ko/kb/memory.md:13: [[없는 노트]] names no page of this language" in done.stderr
    assert "Traceback" not in done.stderr
