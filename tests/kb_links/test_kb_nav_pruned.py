"""A knowledge base past kb-links' prune_nav_above (100 pages): a page's nav lists the notes
of the folders the page is in, and every other folder as one link, so that its nav does not
grow with the notes of other folders."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from tests.site.built_site import SITE_URL, one
from tests.site_copy import build_site, copy_site

BIG_FOLDER_NOTES = 105  # with the knowledge base's own pages, past the default of 100


def _note(title: str) -> str:
    return f"---\ndescription: {title}.\n---\n\n# {title}\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site with two new folders of Korean notes: 저장 장치 with two, 커널 with 105."""
    root = tmp_path_factory.mktemp("pruned")
    project = copy_site(root / "project")
    kb = project / "docs" / "ko" / "kb"
    notes = {
        "storage/index.md": _note("저장 장치"),
        "storage/lvm.md": _note("LVM 다루기"),
        "storage/raid.md": _note("RAID 다루기"),
        "kernel/index.md": _note("커널"),
    }
    notes |= {f"kernel/k{n:03d}.md": _note(f"커널 노트 {n:03d}") for n in range(BIG_FOLDER_NOTES)}
    for path, text in notes.items():
        (kb / path).parent.mkdir(parents=True, exist_ok=True)
        (kb / path).write_text(text, encoding="utf-8")
    done = build_site(project, root / "site", site_url=SITE_URL, run_blocks=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return root / "site"


def _nav(site: Path, page: str) -> Tag:
    soup = BeautifulSoup((site / page / "index.html").read_text(encoding="utf-8"), "html.parser")
    return one(soup, "nav.md-nav--primary")


def _kb_entries(site: Path, page: str, name: str = "지식 베이스") -> list[str]:
    """The links of the knowledge base's item in the page's nav, as a reader reads them."""
    for item in _nav(site, page).select(":scope > ul > li"):
        links = [link.get_text(" ", strip=True) for link in item.select("a.md-nav__link")]
        if links and links[0] == name:
            return links
    raise AssertionError(f"/{page}: the nav has no item {name!r}")


def _kernel_notes(entries: list[str]) -> list[str]:
    return [entry for entry in entries if entry.startswith("커널 노트")]


def test_a_note_lists_its_own_folder_and_links_each_other_folder_once(site: Path) -> None:
    entries = _kb_entries(site, "kb/storage/lvm")
    root_notes = len(list((site.parent / "project" / "docs" / "ko" / "kb").glob("*.md"))) - 1
    # The index, the notes of the knowledge base's own folder (the note's parent folder),
    # the storage folder whole, and the kernel folder's 105 notes as one link.
    assert len(entries) == 1 + root_notes + 3 + 1
    assert entries[-4:] == ["저장 장치", "LVM 다루기", "RAID 다루기", "커널"]
    assert _kernel_notes(entries) == []


def test_the_link_of_a_pruned_folder_leads_to_its_index(site: Path) -> None:
    pruned = one(_nav(site, "kb/storage/lvm"), "li.md-nav__item--pruned > a.md-nav__link")
    assert pruned.get_text(" ", strip=True) == "커널"
    assert pruned["href"] == "../../kernel/"


def test_a_note_of_the_big_folder_lists_that_folder_whole(site: Path) -> None:
    entries = _kb_entries(site, "kb/kernel/k007")
    assert len(_kernel_notes(entries)) == BIG_FOLDER_NOTES
    assert "저장 장치" in entries and "LVM 다루기" not in entries


def test_a_page_outside_the_knowledge_base_links_it_once(site: Path) -> None:
    assert _kb_entries(site, "about") == ["지식 베이스"]
    link = one(_nav(site, "about"), "li.md-nav__item--pruned > a.md-nav__link")
    assert link["href"] == "../kb/"


def test_a_language_whose_knowledge_base_is_small_keeps_its_whole_nav(site: Path) -> None:
    entries = _kb_entries(site, "en/about", "Knowledge base")
    english_notes = len(list((site.parent / "project" / "docs" / "en" / "kb").glob("*.md")))
    assert len(entries) == english_notes
