"""On the real site: each post and note has a small preview file under its language's root,
and the links of a page's text to one carry that file's address; nothing else does."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.site.built_site import ROOTS, SITE_URL, BuiltSite
from tests.site_copy import build_site, copy_site

TITLES = {"ko": "메모리 명령어", "en": "Memory commands"}
FIRST_WORDS = {"ko": '"메모리가 모자란다"는 말은', "en": '"We\'re out of memory" can mean'}


@pytest.mark.parametrize("language", ROOTS)
def test_a_link_to_a_note_carries_the_address_of_its_preview(
    real_site: BuiltSite, language: str
) -> None:
    page_url = f"{ROOTS[language]}kb/processes/"
    page = real_site.page(page_url)
    link = page.select_one('article a[href="../memory/"]')
    assert link is not None
    address = real_site.resolve(page_url, str(link["data-kb-preview"]))
    assert address == f"{ROOTS[language]}previews/kb/memory.json"
    preview = json.loads(real_site.file(address).read_text(encoding="utf-8"))
    assert preview["title"] == TITLES[language]
    assert preview["text"].startswith(FIRST_WORDS[language])


@pytest.mark.parametrize("language", ROOTS)
def test_only_links_of_the_text_to_other_posts_and_notes_are_marked(
    real_site: BuiltSite, language: str
) -> None:
    page_url = f"{ROOTS[language]}kb/processes/"
    page = real_site.page(page_url)
    post_or_note = re.compile(rf"^{ROOTS[language]}(kb/|blog/\d{{4}}/)")
    in_text = [
        link
        for link in page.select(".md-content article a[href]")
        # kb-links' own sections after the text are not the text.
        if not any(
            link.find_parent(class_=kind) for kind in ("kb-backlinks", "kb-related", "kb-map")
        )
    ]
    expected = [
        link
        for link in in_text
        if post_or_note.match(target := real_site.resolve(page_url, str(link["href"])))
        and target != page_url
    ]
    assert len(expected) >= 3
    # Not the navigation, the table of contents, the footer, the headings' own anchors.
    assert page.select("a[data-kb-preview]") == expected


def test_a_draft_post_has_no_preview(tmp_path: Path) -> None:
    project = copy_site(tmp_path / "project")
    (project / "docs" / "ko" / "blog" / "posts" / "unpublished.md").write_text(
        "---\ndate: 2024-01-02\nslug: unpublished\ndraft: true\ncategories: [회고]\n"
        "description: 아직 공개하지 않은 글.\n---\n\n# 공개 전 글\n\n"
        "아직 공개하지 않은 문단입니다.\n\n<!-- more -->\n",
        encoding="utf-8",
    )
    out = tmp_path / "site"
    done = build_site(project, out, site_url=SITE_URL, run_blocks=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert (out / "previews" / "blog" / "posts" / "xor-swap-experiment.json").is_file()
    assert not (out / "previews" / "blog" / "posts" / "unpublished.json").exists()
    written = [path for path in out.rglob("*.json") if "공개하지 않은 문단" in path.read_text()]
    assert written == []
