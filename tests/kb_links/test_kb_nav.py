"""A note is a file: dropped under docs/<lang>/kb/, it appears in its language's nav, on the
knowledge base's index page, on the tags page and in search, with no edit of mkdocs.yml."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from kb_links.notes import Note
from kb_links.tree import folder_tree
from ko_search.shards import documents

from tests.site.built_site import SITE_URL
from tests.site_copy import build_site, copy_site


def note(src_uri: str, title: str, order: float | None = None) -> Note:
    return Note(src_uri=src_uri, language="ko", title=title, order=order)


def test_notes_go_by_order_then_by_title_in_korean_and_latin_order() -> None:
    tree = folder_tree(
        "ko/kb",
        [
            note("ko/kb/c.md", "다람쥐"),
            note("ko/kb/a.md", "가방"),
            note("ko/kb/z.md", "하늘", order=10),
            note("ko/kb/b.md", "Apple"),
            note("ko/kb/d.md", "banana"),
            note("ko/kb/index.md", "지식 베이스"),
            note("ko/kb/sub/index.md", "나무"),
            note("ko/kb/sub/x.md", "잎"),
            note("en/kb/other.md", "Elsewhere"),
        ],
    )
    assert tree.index is not None and tree.index.title == "지식 베이스"
    assert [n.title for n in tree.notes] == ["하늘", "Apple", "banana", "가방", "다람쥐"]
    assert [folder.title for folder in tree.folders] == ["나무"]
    assert [n.title for n in tree.all_notes()] == [
        "지식 베이스", "하늘", "Apple", "banana", "가방", "다람쥐", "나무", "잎",
    ]  # fmt: skip


NEW_NOTES = {
    "docs/ko/kb/swap-space.md": "---\ndescription: 스왑 공간을 다룹니다.\ntags: [리눅스]\n---\n"
    "\n# 가상 메모리와 스왑\n\n[[메모리 명령어]]에서 이어집니다.\n",
    "docs/ko/kb/storage/index.md": "---\ndescription: 저장 장치 노트.\n---\n\n# 저장 장치\n",
    "docs/ko/kb/storage/lvm.md": "---\ndescription: LVM.\n---\n\n# LVM 다루기\n",
    "docs/en/kb/swap-space.md": "---\ndescription: About swap.\ntags: [Linux]\n---\n"
    "\n# Virtual memory and swap\n\nFollows [[Memory commands]].\n",
}


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site with new notes, a folder of them among them, and nothing else changed."""
    root = tmp_path_factory.mktemp("grown")
    project = copy_site(root / "project")
    before = (project / "mkdocs.yml").read_text()
    for path, text in NEW_NOTES.items():
        (project / path).parent.mkdir(parents=True, exist_ok=True)
        (project / path).write_text(text, encoding="utf-8")
    done = build_site(project, root / "site", site_url=SITE_URL, run_blocks=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert (project / "mkdocs.yml").read_text() == before
    return root / "site"


def _nav(site: Path, page: str) -> list[str]:
    soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
    nav = soup.select_one("nav.md-nav--primary")
    assert nav is not None
    return [link.get_text(" ", strip=True) for link in nav.select("a.md-nav__link, label")]


def test_a_new_note_and_a_new_folder_appear_in_the_nav_in_order(grown: Path) -> None:
    korean = _nav(grown, "kb/index.html")
    at = korean.index("이 사이트가 만들어지는 과정")
    # The section's label, its toggle's, then its index page and its note.
    assert korean[at + 1 : at + 6] == [
        "가상 메모리와 스왑",
        "저장 장치",
        "",
        "저장 장치",
        "LVM 다루기",
    ]
    assert "Virtual memory and swap" in _nav(grown, "en/kb/index.html")
    assert "가상 메모리와 스왑" not in _nav(grown, "en/kb/index.html")


def test_the_index_page_lists_the_notes_it_does_not_link_to_yet(grown: Path) -> None:
    soup = BeautifulSoup((grown / "kb" / "index.html").read_text(), "html.parser")
    heading = soup.find("h2", id="그-밖의-노트")
    assert heading is not None
    listed = heading.find_next("ul")
    assert listed is not None
    assert [a.get_text() for a in listed.select("a")] == [
        "가상 메모리와 스왑",
        "저장 장치",
        "LVM 다루기",
    ]
    assert "스왑 공간을 다룹니다." in listed.get_text()


def test_a_new_note_is_in_search_and_on_the_tags_page(grown: Path) -> None:
    # ko-search keeps the documents in its shards' fragments, not in search_index.json.
    docs = documents(str(grown / "search"))
    assert any(doc["location"].startswith("kb/swap-space/") for doc in docs)
    assert "kb/swap-space/" in (grown / "tags" / "index.html").read_text()
