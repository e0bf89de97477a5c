"""scripts/new_post.py: writes a valid Korean post and its English twin, refuses bad input."""

from __future__ import annotations

import datetime as dt
import os
import pty
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from tests.content_check.conftest import Run, SiteTree

    NewPost = Callable[..., Run]
    Check = Callable[[Path], Run]

NEW_POST = Path(__file__).resolve().parents[2] / "scripts" / "new_post.py"

FLAGS = (
    "--title",
    "프로세스와 스레드",
    "--title-en",
    "Processes and threads",
    "--category",
    "리눅스",
    "--tags",
    "리눅스, 프로세스",
    "--tags-en",
    "linux, process",
    "--description",
    "ps 로 스레드를 세어 본다.",
    "--description-en",
    "Counting threads with ps.",
    "--date",
    "2024-05-02",
)


def front_matter(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    loaded = yaml.safe_load(text.split("---\n")[1])
    assert isinstance(loaded, dict)
    return loaded


def posts(site: SiteTree) -> list[str]:
    return sorted(
        path.relative_to(site.root).as_posix() for path in site.root.glob("docs/*/blog/posts/*.md")
    )


def test_flags_write_a_korean_post_and_its_english_twin_that_pass_the_check(
    site: SiteTree, new_post: NewPost, check_content: Check
) -> None:
    run = new_post(site.root, *FLAGS)
    assert run.returncode == 0, run.output
    korean = site.root / "docs/ko/blog/posts/processes-and-threads.md"
    english = site.root / "docs/en/blog/posts/processes-and-threads.md"
    assert "docs/ko/blog/posts/processes-and-threads.md" in run.output
    assert front_matter(korean) == {
        "date": dt.date(2024, 5, 2),
        "slug": "processes-and-threads",
        "authors": ["linus"],
        "categories": ["리눅스"],
        "tags": ["리눅스", "프로세스"],
        "description": "ps 로 스레드를 세어 본다.",
        "draft": True,
    }
    assert front_matter(english) == {
        "date": dt.date(2024, 5, 2),
        "slug": "processes-and-threads",
        "authors": ["linus"],
        "categories": ["Linux"],
        "tags": ["linux", "process"],
        "description": "Counting threads with ps.",
        "draft": True,
    }
    assert "# 프로세스와 스레드\n" in korean.read_text(encoding="utf-8")
    assert "\n<!-- more -->\n" in english.read_text(encoding="utf-8")
    check = check_content(site.root)
    assert check.returncode == 0, check.output
    assert "0 error(s), 2 warning(s)" in check.output  # the two drafts


def test_an_english_category_name_and_defaults_for_date_and_tags_are_accepted(
    site: SiteTree, new_post: NewPost
) -> None:
    run = new_post(
        site.root,
        "--title=회고",
        "--title-en=Looking back on 2024",
        "--category=retrospective",
        "--tags=팀",
        "--description=한 해를 돌아본다.",
        "--description-en=Looking back on the year.",
    )
    assert run.returncode == 0, run.output
    english = front_matter(site.root / "docs/en/blog/posts/looking-back-on-2024.md")
    korean = front_matter(site.root / "docs/ko/blog/posts/looking-back-on-2024.md")
    assert (korean["categories"], english["categories"]) == (["회고"], ["Retrospective"])
    assert korean["date"] == english["date"] == dt.date.today()
    assert english["tags"] == ["팀"]


def test_a_slug_taken_in_either_language_is_refused_and_nothing_is_written(
    site: SiteTree, new_post: NewPost
) -> None:
    site.write("docs/en/blog/posts/processes-and-threads.md", "# only in English\n")
    before = posts(site)
    run = new_post(site.root, *FLAGS)
    assert run.returncode == 2
    assert (
        "slug 'processes-and-threads' is taken by docs/en/blog/posts/processes-and-threads.md; "
        "choose another slug"
    ) in run.output
    assert posts(site) == before


def test_a_slug_taken_in_front_matter_under_another_file_name_is_refused(
    site: SiteTree, new_post: NewPost
) -> None:
    site.write("docs/en/blog/posts/old-name.md", "---\nslug: processes-and-threads\n---\n# x\n")
    run = new_post(site.root, *FLAGS)
    assert run.returncode == 2
    assert "slug 'processes-and-threads' is taken by docs/en/blog/posts/old-name.md" in run.output


def test_a_different_slug_is_accepted_next_to_an_existing_post(
    site: SiteTree, new_post: NewPost
) -> None:
    run = new_post(site.root, *FLAGS, "--slug", "xor-swap-2")
    assert run.returncode == 0, run.output
    assert "docs/en/blog/posts/xor-swap-2.md" in posts(site)


def test_an_invalid_slug_is_refused_with_a_valid_suggestion(
    site: SiteTree, new_post: NewPost
) -> None:
    before = posts(site)
    run = new_post(site.root, *FLAGS, "--slug", "Processes_And 스레드")
    assert run.returncode == 2
    assert "--slug: slug 'Processes_And 스레드' is not valid" in run.output
    assert "lowercase ASCII letters and digits" in run.output
    assert "try 'processes-and'" in run.output
    assert posts(site) == before


def test_an_unknown_category_is_refused_with_the_choices(site: SiteTree, new_post: NewPost) -> None:
    flags = list(FLAGS)
    flags[flags.index("리눅스")] = "요리"
    run = new_post(site.root, *flags)
    assert run.returncode == 2
    assert "--category: unknown category '요리'; choose from: 커리어 (Career), 리눅스 (Linux)" in (
        run.output
    )


def test_the_categories_are_the_ones_mkdocs_yml_lists(site: SiteTree, new_post: NewPost) -> None:
    site.edit("mkdocs.yml", "        linux: {ko: 리눅스, en: Linux}\n", "")
    run = new_post(site.root, *FLAGS)
    assert run.returncode == 2
    assert (
        "--category: unknown category '리눅스'; choose from: 커리어 (Career), 파이썬" in run.output
    )


def test_missing_flags_without_a_terminal_are_listed_together(
    site: SiteTree, new_post: NewPost
) -> None:
    run = new_post(site.root, "--title", "제목만")
    assert run.returncode == 2
    assert (
        "missing --title-en, --category, --description, --description-en: pass them as flags"
    ) in run.output


def test_a_bad_date_or_unknown_author_is_refused(site: SiteTree, new_post: NewPost) -> None:
    bad_date = new_post(site.root, *FLAGS[:-1], "2024-13-01")
    assert bad_date.returncode == 2
    assert "--date: '2024-13-01' is not a date; write YYYY-MM-DD" in bad_date.output
    ghost = new_post(site.root, *FLAGS, "--author", "ghost")
    assert ghost.returncode == 2
    assert "author 'ghost' is unknown; add them to docs/ko/blog/.authors.yml" in ghost.output
    assert posts(site) == ["docs/en/blog/posts/xor-swap.md", "docs/ko/blog/posts/xor-swap.md"]


def test_in_a_terminal_it_asks_for_each_value_and_asks_again_after_a_bad_answer(
    site: SiteTree,
) -> None:
    answers = [
        "네임스페이스",  # Korean title
        "Namespaces",  # English title
        "xor-swap",  # slug: taken, asked again
        "",  # accept the default made from the English title
        "요리",  # category: unknown, asked again
        "Linux",
        "리눅스",  # Korean tags
        "",  # English tags: same as the Korean ones
        "네임스페이스를 본다.",
        "A look at namespaces.",
        "2024-06-01",
    ]
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, str(NEW_POST), "--root", str(site.root)],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    os.close(terminal)
    os.write(controller, "".join(answer + "\n" for answer in answers).encode())
    transcript = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal closes when the script exits
            break
        if not chunk:
            break
        transcript += chunk
    os.close(controller)
    assert process.wait(timeout=60) == 0, transcript.decode(errors="replace")
    shown = transcript.decode(errors="replace")
    assert "slug 'xor-swap' is taken" in shown
    assert "Slug (ASCII, shared by both languages) [namespaces]:" in shown
    assert "unknown category '요리'" in shown
    english = front_matter(site.root / "docs/en/blog/posts/namespaces.md")
    assert english["categories"] == ["Linux"]
    assert english["tags"] == ["리눅스"]
    assert english["date"] == dt.date(2024, 6, 1)


NOTE_FLAGS = (
    "--note",
    "--title",
    "스레드와 프로세스",
    "--title-en",
    "Threads and processes",
    "--tags",
    "리눅스",
    "--description",
    "스레드를 다룬다.",
    "--description-en",
    "About threads.",
)


def test_note_writes_a_knowledge_base_note_in_both_languages_that_passes_the_check(
    site: SiteTree, new_post: NewPost, check_content: Check
) -> None:
    run = new_post(site.root, *NOTE_FLAGS, "--folder", "linux")
    assert run.returncode == 0, run.output
    korean = site.root / "docs/ko/kb/linux/threads-and-processes.md"
    english = site.root / "docs/en/kb/linux/threads-and-processes.md"
    assert front_matter(korean) == {"description": "스레드를 다룬다.", "tags": ["리눅스"]}
    assert front_matter(english) == {"description": "About threads.", "tags": ["리눅스"]}
    assert "# 스레드와 프로세스\n" in korean.read_text(encoding="utf-8")
    assert "# Threads and processes\n" in english.read_text(encoding="utf-8")
    assert "docs/ko/kb/linux/threads-and-processes.md" in run.output
    check = check_content(site.root)
    assert check.returncode == 0, check.output


def test_note_refuses_a_name_that_is_taken(site: SiteTree, new_post: NewPost) -> None:
    assert new_post(site.root, *NOTE_FLAGS).returncode == 0
    again = new_post(site.root, *NOTE_FLAGS)
    assert again.returncode == 2
    assert "docs/ko/kb/threads-and-processes.md exists already" in again.output
