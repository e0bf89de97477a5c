"""scripts/check_content.py: each kind of mistake is reported at its file:line, and only then."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.content_check.conftest import Run, SiteTree

    Check = Callable[[Path], Run]

REPO_ROOT = Path(__file__).resolve().parents[2]
CHECK_CONTENT = REPO_ROOT / "scripts" / "check_content.py"
KO_POST = "docs/ko/blog/posts/xor-swap.md"
EN_POST = "docs/en/blog/posts/xor-swap.md"


def errors_of(run: Run) -> list[str]:
    return [line for line in run.output.splitlines() if ": error: " in line]


def assert_single_error(run: Run, location: str, *words: str) -> str:
    """Exactly one error, at `location` (file:line), saying each of `words`."""
    assert run.returncode == 1, run.output
    errors = errors_of(run)
    assert len(errors) == 1, run.output
    assert errors[0].startswith(f"{location}: error: "), run.output
    for word in words:
        assert word in errors[0], run.output
    return errors[0]


def test_a_complete_two_language_site_passes_without_findings(
    site: SiteTree, check_content: Check
) -> None:
    run = check_content(site.root)
    assert run.returncode == 0, run.output
    assert "0 error(s), 0 warning(s) in 6 page(s)" in run.output


@pytest.mark.parametrize(
    ("key", "line"),
    [
        ("date: 2024-02-01\n", "date: YYYY-MM-DD"),
        ("slug: xor-swap\n", "slug: xor-swap"),
        ("authors: [linus]\n", "authors: [linus]"),
        ("categories: [파이썬]\n", "categories:"),
        ("tags: [파이썬, 벤치마크]\n", "tags:"),
        ("description: XOR 스왑이 정말 느린지 재 봤다.\n", "description:"),
    ],
)
def test_a_missing_front_matter_key_points_at_the_end_of_the_front_matter(
    site: SiteTree, check_content: Check, key: str, line: str
) -> None:
    site.edit(KO_POST, key, "")
    # Seven keys minus one: the closing --- moves up to line 7.
    assert_single_error(check_content(site.root), f"{KO_POST}:7", f"`{line}")


# One edit of a good site, and the one error it must give: (page, text, replacement,
# file:line of the error, words the error says).
MISTAKES = {
    "a quoted date: the blog cannot read it": (
        KO_POST, "date: 2024-02-01", 'date: "2024-02-01"', f"{KO_POST}:2",
        ("not a date", "unquoted"),
    ),
    "an unknown author, with the authors file to add them to": (
        KO_POST, "authors: [linus]", "authors:\n  - linus\n  - ghost", f"{KO_POST}:6",
        ("'ghost'", "docs/ko/blog/.authors.yml"),
    ),
    "a category outside the allowed list, with the choices": (
        KO_POST, "categories: [파이썬]", "categories: [요리]", f"{KO_POST}:5",
        ("'요리'", "커리어, 리눅스"),
    ),
    "an English category on a Korean post, named in Korean": (
        KO_POST, "categories: [파이썬]", "categories: [Python]", f"{KO_POST}:5",
        ("'Python'", "'파이썬'"),
    ),
    "a translation with another date, pointed at in the translation": (
        EN_POST, "date: 2024-02-01", "date: 2024-02-02", f"{EN_POST}:2",
        ("date: 2024-02-01", KO_POST),
    ),
    "a post without the excerpt separator": (
        KO_POST, "<!-- more -->\n", "", f"{KO_POST}:9", ("<!-- more -->", "lead"),
    ),
    "an excerpt separator inside a code block does not count": (
        KO_POST, "<!-- more -->\n", "```html\n<!-- more -->\n```\n", f"{KO_POST}:9",
        ("<!-- more -->",),
    ),
    "a broken relative link, with the file it looked for": (
        KO_POST, "[홈으로](../../index.md)", "[홈으로](../../home.md)", f"{KO_POST}:18",
        ("docs/ko/home.md",),
    ),
    "a link into the other language's folder": (
        EN_POST, "[home](../../index.md)", "[home](../../../ko/index.md)", f"{EN_POST}:18",
        ("docs/ko", "switcher"),
    ),
    "a link to a folder, asked for its index page": (
        KO_POST, "[홈으로](../../index.md)", "[블로그](../)", f"{KO_POST}:18",
        ("folder", "../index.md"),
    ),
    "a wikilink that names no page, with the way targets are written": (
        KO_POST, "본문.", "본문 [[없는 글]]을 보세요.", f"{KO_POST}:18",
        ("[[없는 글]] names no page of this language", "a target is"),
    ),
    "a wikilink to the other language's page": (
        KO_POST, "본문.", "본문 [[The XOR swap experiment]].", f"{KO_POST}:18",
        ("a page of 'en'",),
    ),
    "a wikilink to a heading the page does not have": (
        KO_POST, "본문.", "본문 [[xor-swap#없는 제목]].", f"{KO_POST}:18",
        ("has no heading '없는 제목'",),
    ),
    "an undefined reference label": (
        KO_POST, "본문.", "본문 [참고][없는-라벨], [정의된 것][ok].\n\n[ok]: ../../index.md\n",
        f"{KO_POST}:18", ("[없는-라벨]",),
    ),
}  # fmt: skip


@pytest.mark.parametrize("mistake", MISTAKES)
def test_a_mistake_is_one_error_at_its_line(
    site: SiteTree, check_content: Check, mistake: str
) -> None:
    page, text, replacement, location, words = MISTAKES[mistake]
    site.edit(page, text, replacement)
    assert_single_error(check_content(site.root), location, *words)


def test_the_allowed_categories_are_the_ones_blog_i18n_lists_in_mkdocs_yml(
    site: SiteTree, check_content: Check
) -> None:
    site.edit("mkdocs.yml", "        python: {ko: 파이썬, en: Python}\n", "")
    run = check_content(site.root)
    allowed = "choose from: 커리어, 리눅스, 회고, Career, Linux, Retrospective"
    assert errors_of(run) == [
        f"{EN_POST}:5: error: category 'Python' is not allowed; {allowed}",
        f"{KO_POST}:5: error: category '파이썬' is not allowed; {allowed}",
    ], run.output


@pytest.mark.parametrize(
    ("slug", "words"),
    [("XOR_스왑", ("not valid", "lowercase ASCII")), ("xor-swap-2", ("file name", "xor-swap.md"))],
)
def test_a_slug_must_be_ascii_and_match_the_file_name(
    site: SiteTree, check_content: Check, slug: str, words: tuple[str, ...]
) -> None:
    site.edit(KO_POST, "slug: xor-swap", f"slug: {slug}")
    site.edit(EN_POST, "slug: xor-swap", f"slug: {slug}")
    run = check_content(site.root)
    assert run.returncode == 1
    errors = errors_of(run)
    assert [error.split(": error: ")[0] for error in errors] == [f"{EN_POST}:3", f"{KO_POST}:3"]
    for error in errors:
        for word in words:
            assert word in error, run.output


def test_a_translation_with_another_slug_is_told_the_original_slug(
    site: SiteTree, check_content: Check
) -> None:
    site.edit(EN_POST, "slug: xor-swap", "slug: xor-swap-en")
    run = check_content(site.root)
    assert run.returncode == 1
    assert f"{EN_POST}:3: error: slug 'xor-swap-en' differs from the Korean original" in run.output
    assert "set `slug: xor-swap`" in run.output


def test_front_matter_that_is_not_yaml_is_reported_at_its_line(
    site: SiteTree, check_content: Check
) -> None:
    site.edit(KO_POST, "tags: [파이썬, 벤치마크]", "tags: [파이썬, 벤치마크")
    run = check_content(site.root)
    assert run.returncode == 1
    assert errors_of(run)[0].startswith(f"{KO_POST}:7: error: front matter is not valid YAML")


def test_links_and_images_in_fenced_code_and_inline_code_are_not_checked(
    site: SiteTree, check_content: Check
) -> None:
    site.edit(
        KO_POST,
        "## 측정 결과\n",
        "## 측정 결과\n\n````markdown\n```bash\n[없는 글](nowhere.md) ![](no-alt.png)\n"
        "```\n````\n\n`[없는 글](nowhere.md)` 처럼 쓴다.\n",
    )
    run = check_content(site.root)
    assert run.returncode == 0, run.output


@pytest.mark.parametrize(
    ("image", "words"),
    [
        ("![](chart.svg)", ("no alt text", "![what it shows]")),
        ("![  ](chart.svg)", ("no alt text",)),
        ('<img src="chart.svg">', ("no alt text", 'alt="what it shows"')),
        ("![그래프](missing.svg)", ("does not exist", "docs/ko/blog/posts/missing.svg")),
        ("![그래프](https://example.com/chart.png)", ("another host", "offline")),
    ],
)
def test_images_need_alt_text_and_a_local_file(
    site: SiteTree, check_content: Check, image: str, words: tuple[str, ...]
) -> None:
    site.edit(KO_POST, "![측정 결과 그래프](chart.svg)", image)
    assert_single_error(check_content(site.root), f"{KO_POST}:22", *words)


def test_a_page_without_translation_is_a_warning_not_an_error(
    site: SiteTree, check_content: Check
) -> None:
    site.write("docs/ko/about.md", "# 소개\n")
    run = check_content(site.root)
    assert run.returncode == 0, run.output
    assert (
        "docs/ko/about.md:1: warning: no English translation; readers switching language land "
        "on a fallback copy. Translate it as docs/en/about.md"
    ) in run.output
    assert "0 error(s), 1 warning(s)" in run.output


def test_a_draft_post_is_reported_as_unpublished(site: SiteTree, check_content: Check) -> None:
    site.edit(KO_POST, "---\n\n#", "draft: true\n---\n\n#")
    run = check_content(site.root)
    assert run.returncode == 0, run.output
    assert f"{KO_POST}:8: warning: draft: the post is not published" in run.output


def test_the_site_content_of_this_repository_has_no_errors(check_content: Check) -> None:
    run = check_content(REPO_ROOT)
    assert run.returncode == 0, run.output


def test_a_translation_may_use_the_default_language_file_the_build_falls_back_to(
    site: SiteTree, check_content: Check
) -> None:
    site.edit(EN_POST, "## Results\n", "## Results\n\n![The chart](chart.svg)\n")
    site.write("docs/ko/about.md", "# 소개\n\n## 경력\n")
    site.edit(EN_POST, "[home](../../index.md)", "[about](../../about.md#경력)")
    run = check_content(site.root)
    assert run.returncode == 0, run.output
    assert "0 error(s), 1 warning(s)" in run.output  # about.md has no translation


def test_without_fallback_a_translation_needs_its_own_file(
    site: SiteTree, check_content: Check
) -> None:
    site.edit(
        "mkdocs.yml",
        "docs_structure: folder",
        "docs_structure: folder\n      fallback_to_default: false",
    )
    site.edit(EN_POST, "## Results\n", "## Results\n\n![The chart](chart.svg)\n")
    assert_single_error(
        check_content(site.root), f"{EN_POST}:18", "does not exist", "docs/en/blog/posts/chart.svg"
    )


def test_a_page_that_is_not_utf8_is_named_with_its_line(
    site: SiteTree, check_content: Check
) -> None:
    (site.root / "docs/ko/index.md").write_bytes(b"# Home\n\n" + "본문\n".encode("euc-kr"))
    run = check_content(site.root)
    assert run.returncode == 1
    assert "docs/ko/index.md:3: not UTF-8 text; save the file as UTF-8" in run.output


def test_without_site_settings_any_category_and_the_default_author_apply(
    site: SiteTree, check_content: Check
) -> None:
    site.write("mkdocs.yml", "site_name: test\n")
    for language in ("ko", "en"):
        (site.root / f"docs/{language}/blog/.authors.yml").unlink()
    site.edit(KO_POST, "categories: [파이썬]", "categories: [요리]")
    site.edit(EN_POST, "authors: [linus]", "authors: [lina]")
    run = check_content(site.root)
    assert run.returncode == 1
    assert f"{EN_POST}:4: error: author 'lina' is unknown" in run.output
    assert "use one of: linus" in run.output
    assert len(errors_of(run)) == 1, run.output


def test_a_tag_written_two_ways_in_one_language_is_refused_with_both_places(
    site: SiteTree, check_content: Check
) -> None:
    second = "docs/en/blog/posts/second.md"
    site.write(
        second,
        (site.root / EN_POST)
        .read_text(encoding="utf-8")
        .replace("slug: xor-swap", "slug: second")
        .replace("tags: [python, benchmark]", "tags: [Python, notes]"),
    )
    run = check_content(site.root)
    assert run.returncode != 0, run.output
    assert (
        f"{EN_POST}:6: error: tag 'python' is written 'Python' in {second}:6; use one spelling"
    ) in run.output
    # The same word in the other language's posts is that language's business.
    assert "'파이썬'" not in run.output


def test_a_date_that_does_not_exist_is_an_error_at_its_line_not_a_traceback(
    site: SiteTree, check_content: Check
) -> None:
    site.edit(KO_POST, "date: 2024-02-01", "date: 2026-13-45")
    run = check_content(site.root)
    assert "Traceback" not in run.output, run.output
    assert_single_error(run, f"{KO_POST}:2", "`date: 2026-13-45`", "YYYY-MM-DD")


def test_the_check_runs_as_the_readme_says_from_a_python_without_the_sites_packages(
    site: SiteTree,
) -> None:
    # The interpreter the project's venv was made from: no Markdown package of its own.
    base_python = Path(sys.base_prefix) / "bin" / "python3"
    completed = subprocess.run(
        [str(base_python), str(CHECK_CONTENT), "--root", str(site.root)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "0 error(s), 0 warning(s) in 6 page(s)" in completed.stdout
