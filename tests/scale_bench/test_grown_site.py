"""The scale benchmark's grown copy: notes both languages share, filed in folders of a few
dozen, listed in both navs, whose planted words each sit on one page; and the plain config
it is measured against."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest
from mkdocs.config import load_config

from scripts.scale_bench.generate import FOLDER_NOTES, NOTES_DIR, grow
from scripts.scale_bench.plain import plain_config
from scripts.scale_bench.queries import PLANTED_QUERIES
from scripts.scale_bench.sentences import prose_sentences
from tests.site.built_site import SITE_URL
from tests.site_copy import REPO, build_site, copy_site

NOTES = len(PLANTED_QUERIES) + 7


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_site(tmp_path_factory.mktemp("grown") / "project")
    grow(project, NOTES, seed=7)
    return project


def notes_of(project: Path, language: str) -> dict[str, str]:
    """Each note's text, by its path from the language's folder (kb/scale/.../note-00001.md)."""
    docs = project / "docs" / language
    return {
        path.relative_to(docs).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted((docs / NOTES_DIR).rglob("note-*.md"))
    }


def test_both_languages_get_the_same_note_files(grown: Path) -> None:
    korean, english = notes_of(grown, "ko"), notes_of(grown, "en")
    assert len(korean) == NOTES
    assert korean.keys() == english.keys()
    assert all(re.search(r"[가-힣]", text) for text in korean.values())


def test_every_note_and_folder_index_is_in_both_languages_nav(grown: Path) -> None:
    mkdocs_yml = (grown / "mkdocs.yml").read_text(encoding="utf-8")
    docs = grown / "docs" / "ko"
    for page in (docs / NOTES_DIR).rglob("*.md"):
        assert mkdocs_yml.count(f"- {page.relative_to(docs).as_posix()}\n") == 2, page


def test_notes_are_filed_by_topic_in_folders_of_a_few_dozen_with_an_index(
    tmp_path: Path,
) -> None:
    project = copy_site(tmp_path / "project")
    grow(project, 12 * FOLDER_NOTES + 1, seed=7)
    notes = notes_of(project, "en")
    folders: dict[str, int] = {}
    for path in notes:
        folders[posixpath.dirname(path)] = folders.get(posixpath.dirname(path), 0) + 1
    assert max(folders.values()) == FOLDER_NOTES
    assert "kb/scale/linux/part-02" in folders
    docs = project / "docs" / "en"
    for folder in [*folders, *{posixpath.dirname(folder) for folder in folders}]:
        assert (docs / folder / "index.md").is_file(), folder


def test_a_notes_links_lead_to_pages_of_the_copy(grown: Path) -> None:
    docs = grown / "docs" / "ko"
    for path, text in notes_of(grown, "ko").items():
        for target in re.findall(r"\]\(([^)]+\.md)\)", text):
            assert (docs / posixpath.dirname(path) / target).resolve().is_file(), (path, target)


def test_the_grown_copy_builds(grown: Path, tmp_path: Path) -> None:
    done = build_site(grown, tmp_path / "site", site_url=SITE_URL, run_blocks=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert (
        tmp_path / "site" / "en" / "kb" / "scale" / "linux" / "part-01" / "index.html"
    ).is_file()


def test_the_same_seed_grows_the_same_notes(grown: Path, tmp_path: Path) -> None:
    again = copy_site(tmp_path / "project")
    grow(again, NOTES, seed=7)
    assert notes_of(again, "ko") == notes_of(grown, "ko")
    assert notes_of(again, "en") == notes_of(grown, "en")


def test_each_planted_word_is_on_one_page_of_the_site(grown: Path) -> None:
    pages = {path: path.read_text(encoding="utf-8") for path in (grown / "docs").rglob("*.md")}
    for planted in PLANTED_QUERIES:
        holding = [path for path, text in pages.items() if planted.word in text]
        assert len(holding) == 1, f"{planted.word}: {holding}"


def test_notes_have_tags_and_blocks_every_tenth(grown: Path) -> None:
    notes = notes_of(grown, "en")
    with_blocks = [
        posixpath.basename(path) for path, text in notes.items() if '```bash exec="on"' in text
    ]
    assert sorted(with_blocks) == ["note-00010.md", "note-00020.md"]
    assert all(re.search(r"^tags: \[\w", text, re.M) for text in notes.values())


def test_plain_config_keeps_only_mkdocs_material_and_static_i18n(grown: Path) -> None:
    plain = plain_config((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config_file = grown / "mkdocs-plain-test.yml"
    config_file.write_text(plain.text, encoding="utf-8")
    config = load_config(str(config_file))
    assert list(config.plugins) == ["material/search", "material/tags", "i18n"]
    assert set(plain.dropped) >= {"ko-search", "blog-i18n", "social-cards", "fencerun"}
    assert "site_markdown" not in plain.text and "custom_dir" not in plain.text
    assert "navigation.prune" in config.theme["features"]


def test_sentences_leave_out_code_tables_and_links(tmp_path: Path) -> None:
    page = [
        "---",
        "description: 앞부분",
        "---",
        "",
        "# 제목",
        "",
        "첫 문장은 이 문단의 맨 앞에 놓여 있습니다. 두 번째 문장도 한 줄을",
        "넘어 이어집니다.",
        "",
        "```bash",
        "echo 코드 안의 문장입니다.",
        "```",
        "",
        "| 표 안의 문장입니다. |",
        "",
        "[링크가 있는 문장](other.md)은 여기서 빠집니다.",
    ]
    (tmp_path / "page.md").write_text("\n".join(page) + "\n", encoding="utf-8")
    assert prose_sentences(tmp_path) == [
        "첫 문장은 이 문단의 맨 앞에 놓여 있습니다.",
        "두 번째 문장도 한 줄을 넘어 이어집니다.",
    ]
