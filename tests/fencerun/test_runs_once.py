"""Each unique block runs once per build, however often it is rendered: the blog's index,
archive and category pages re-render a post's excerpt, and static-i18n builds every language
(with untranslated pages rendered again as fallbacks)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from tests.fencerun.conftest import Build, build, write_project
from tests.scripts import load_script

# The benchmark counts executions on this same site: its mkdocs.yml is written once, there.
MKDOCS_YML = load_script("bench_exec").BLOG_I18N_SITE.format(plugin="  - fencerun\n")


def post(category: str, title: str) -> str:
    return f"""
        ---
        date: 2024-02-01
        slug: counting
        categories: [{category}]
        ---

        # {title}

        ```bash exec="on" workdir="counts"
        echo post-excerpt-block >> runs.log
        echo excerpt-output
        ```

        <!-- more -->

        ```python exec="on" workdir="counts"
        open("runs.log", "a").write("post-body-block\\n")
        print("body-output")
        ```
    """


HOME = """
    # Home

    ```bash exec="on" workdir="counts"
    echo home-block >> runs.log
    echo home-output
    ```
"""

KOREAN_ONLY = """
    # 한국어만

    ```bash exec="on" workdir="counts"
    echo ko-only-block >> runs.log
    echo ko-only-output
    ```
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Build:
    project = tmp_path_factory.mktemp("runs-once")
    pages = {
        "ko/index.md": HOME,
        "en/index.md": HOME,
        "ko/only-ko.md": KOREAN_ONLY,
        "ko/blog/index.md": "# 블로그\n",
        "en/blog/index.md": "# Blog\n",
        "ko/blog/posts/counting.md": post("리눅스", "세기"),
        "en/blog/posts/counting.md": post("Linux", "Counting"),
    }
    write_project(project, pages, mkdocs_yml=MKDOCS_YML)
    (project / "counts").mkdir()
    result = build(project)
    assert result.returncode == 0, result.output
    return result


def runs(project: Path) -> Counter[str]:
    return Counter((project / "counts" / "runs.log").read_text().split())


def test_every_unique_block_ran_exactly_once(built: Build) -> None:
    assert runs(built.project) == {
        "home-block": 1,
        "ko-only-block": 1,
        "post-excerpt-block": 1,
        "post-body-block": 1,
    }
    assert "blocks 4 run, 0 reused, 0 failed" in built.output


def test_every_block_starts_before_the_first_page_renders_blog_posts_too(built: Build) -> None:
    # Progress lines count against the blocks started so far: all 4 were started at once.
    progress = re.findall(r"fencerun: \d+/(\d+) blocks done", built.output)
    assert progress and set(progress) == {"4"}, built.output


def test_the_report_names_each_block_by_its_file_and_the_line_of_its_fence(built: Build) -> None:
    report = json.loads((built.project / ".cache/fencerun/last-build-report.json").read_text())
    locations = [block["location"] for block in report["blocks"]]
    assert len(locations) == 4
    for location in locations:
        page, _, line = location.rpartition(":")
        # Named from the project folder, as the build's messages name pages.
        assert page.startswith("docs/"), location
        fence = (built.project / page).read_text().split("\n")[int(line) - 1]
        assert fence.startswith("```") and 'exec="on"' in fence, location


@pytest.mark.parametrize(
    "page",
    [
        "blog/2024/02/01/counting/index.html",
        "blog/index.html",
        "blog/archive/2024/index.html",
        "blog/category/리눅스/index.html",
        "en/blog/2024/02/01/counting/index.html",
        "en/blog/index.html",
        "en/blog/archive/2024/index.html",
        "en/blog/category/linux/index.html",
    ],
)
def test_the_excerpt_output_shows_wherever_the_blog_renders_the_post(
    built: Build, page: str
) -> None:
    assert "excerpt-output" in built.html(page)


@pytest.mark.parametrize("page", ["index.html", "en/index.html"])
def test_translated_pages_show_the_output_in_each_language(built: Build, page: str) -> None:
    assert "home-output" in built.html(page)


def test_the_fallback_copy_of_an_untranslated_page_shows_its_output(built: Build) -> None:
    assert "ko-only-output" in built.html("only-ko/index.html")
    assert "ko-only-output" in built.html("en/only-ko/index.html")
