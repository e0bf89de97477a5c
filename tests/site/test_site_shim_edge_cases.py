"""blog-i18n on small sites built for one case each: untranslated posts and
translations that would not share a URL, categories."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup

MKDOCS_YML = """\
site_name: edge
site_url: http://127.0.0.1:8000/
theme: {name: material, language: ko, font: false}
plugins:
  - search
  - blog
  - i18n:
      docs_structure: folder
      languages:
        - {locale: ko, name: 한국어, default: true, build: true}
        - {locale: en, name: English, build: true}
  - blog-i18n
"""


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in {"mkdocs.yml": MKDOCS_YML, **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def post(date: str, slug: str, title: str) -> str:
    return f"---\ndate: {date}\nslug: {slug}\n---\n\n# {title}\n\nLead.\n\n<!-- more -->\n\nRest.\n"


def build(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(root / "out")],
        cwd=root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
    )


PAGES = {
    "docs/ko/index.md": "# 홈\n",
    "docs/en/index.md": "# Home\n",
    "docs/ko/blog/index.md": "# 블로그\n",
    "docs/en/blog/index.md": "# Blog\n",
}


def docs_tree(root: Path) -> list[str]:
    return sorted(path.relative_to(root).as_posix() for path in (root / "docs").rglob("*"))


def test_untranslated_post_stays_out_of_the_other_blog_and_switches_to_its_index(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        {**PAGES, "docs/ko/blog/posts/only-ko.md": post("2024-01-02", "only-ko", "한국어")},
    )
    (tmp_path / "docs/en/blog/posts").mkdir()
    before = docs_tree(tmp_path)
    result = build(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "docs/ko/blog/posts/only-ko.md has no 'en' translation" in result.stderr
    assert docs_tree(tmp_path) == before
    out = tmp_path / "out"
    assert (out / "blog/2024/01/02/only-ko/index.html").is_file()
    assert not list((out / "en").rglob("only-ko*"))
    html = (out / "blog/2024/01/02/only-ko/index.html").read_text("utf-8")
    switch = BeautifulSoup(html, "html.parser").select_one('a.md-select__link[hreflang="en"]')
    assert switch is not None and switch["href"] == "../../../../../en/blog/"


def test_missing_posts_folder_fails_the_build_instead_of_being_created_in_docs(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        {**PAGES, "docs/ko/blog/posts/only-ko.md": post("2024-01-02", "only-ko", "한국어")},
    )
    before = docs_tree(tmp_path)
    result = build(tmp_path)
    assert result.returncode != 0
    assert "docs/en/blog/posts is missing" in result.stderr
    assert docs_tree(tmp_path) == before


def test_translations_with_different_dates_fail_the_build_naming_both_files_and_dates(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        {
            **PAGES,
            "docs/ko/blog/posts/x.md": post("2024-01-02", "x", "엑스"),
            "docs/en/blog/posts/x.md": post("2024-01-03", "x", "X"),
        },
    )
    result = build(tmp_path)
    assert result.returncode != 0
    # Both files at the line of their date, and the dates as written, not as Python shows
    # them (datetime.date(2024, 1, 2)).
    assert (
        "blog-i18n: docs/ko/blog/posts/x.md:2: date: 2024-01-02 differs from its "
        "translation's date: 2024-01-03 (docs/en/blog/posts/x.md:2)"
    ) in result.stderr
    assert "datetime" not in result.stderr
    assert "must share date and slug" in result.stderr


CATEGORIES = """\
      categories:
        linux: {ko: 리눅스, en: Linux}
"""


def categorised_post(slug: str, category: str) -> str:
    return post("2024-01-02", slug, slug).replace("---\n\n", f"categories: [{category}]\n---\n\n", 1)


def test_blog_i18n_categories_are_the_only_ones_allowed_each_at_one_slug(tmp_path: Path) -> None:
    files = {
        **PAGES,
        "docs/ko/blog/posts/x.md": categorised_post("x", "리눅스"),
        "docs/en/blog/posts/x.md": categorised_post("x", "Linux"),
    }
    write(tmp_path, files)
    config = tmp_path / "mkdocs.yml"
    config.write_text(MKDOCS_YML.replace("  - blog-i18n\n", f"  - blog-i18n:\n{CATEGORIES}"))
    result = build(tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out/blog/category/linux/index.html").is_file()
    assert (tmp_path / "out/en/blog/category/linux/index.html").is_file()

    (tmp_path / "docs/ko/blog/posts/x.md").write_text(categorised_post("x", "요리"), "utf-8")
    result = build(tmp_path)
    assert result.returncode != 0
    assert "category '요리' not in allow list" in result.stderr


def test_a_second_list_of_categories_in_the_blogs_own_options_is_refused(
    tmp_path: Path,
) -> None:
    write(tmp_path, {**PAGES, "docs/ko/blog/posts/x.md": categorised_post("x", "리눅스")})
    (tmp_path / "docs/en/blog/posts").mkdir()
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        MKDOCS_YML.replace("  - blog\n", "  - blog:\n      categories_allowed: [리눅스]\n").replace(
            "  - blog-i18n\n", f"  - blog-i18n:\n{CATEGORIES}"
        )
    )
    result = build(tmp_path)
    assert result.returncode != 0
    assert "list each category there once and remove categories_allowed" in result.stderr
