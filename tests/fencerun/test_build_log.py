"""The build's log with plain data: one count of blocks for the whole build, every language
included from the start, and each failing block listed once."""

from __future__ import annotations

import re
from pathlib import Path

from fencerun.engine import Engine
from fencerun.model import PageSource
from fencerun.settings import Settings

from tests.fencerun.conftest import build, write_project
from tests.fencerun.test_engine import RecordingExecutor, fence, page
from tests.scripts import load_script

BLOG_I18N_YML = load_script("bench_exec").BLOG_I18N_SITE.format(plugin="  - fencerun\n")


def engine_for(tmp_path: Path, executor: RecordingExecutor, lines: list[str]) -> Engine:
    settings = Settings(
        project_dir=tmp_path, cache_dir=tmp_path / "cache", frozen_dir=tmp_path / "frozen"
    )
    return Engine(settings, executor_factory=lambda _: executor, progress_lines=lines.append)


def test_the_count_covers_every_language_from_the_first_line(tmp_path: Path) -> None:
    ko = page("ko/a.md", fence("print('하나')"), fence("print('둘')", 'session="s"'))
    en = page("en/a.md", fence("print('one')"), fence("print('two')", 'session="s"'))
    shared = page("en/b.md", fence("print('하나')"))  # a fallback page: the same block
    lines: list[str] = []
    engine = engine_for(tmp_path, RecordingExecutor(), lines)
    engine.expect([ko, en, shared])
    engine.prepare([ko])  # the Korean build
    engine.prepare([en, shared])  # the English one, later
    assert lines, "no progress line"
    assert {line.rpartition("/")[2] for line in lines} == {"4 blocks done"}
    assert lines[-1] == "fencerun: 4/4 blocks done"


def test_blocks_known_already_are_not_counted(tmp_path: Path) -> None:
    ko, en = page("ko/a.md", fence("print(1)")), page("en/a.md", fence("print(2)"))
    engine_for(tmp_path, RecordingExecutor(), []).prepare([ko])  # an earlier build
    lines: list[str] = []
    engine = engine_for(tmp_path, RecordingExecutor(), lines)
    engine.expect([ko, en])
    engine.prepare([ko])
    engine.prepare([en])
    assert lines == ["fencerun: 1/1 blocks done"]


def test_a_page_that_cannot_be_planned_is_left_to_the_build(tmp_path: Path) -> None:
    broken = PageSource("en/broken.md", '```python exec="on" session="s" freeze="on"\nx\n```\n')
    engine = engine_for(tmp_path, RecordingExecutor(), [])
    engine.expect([broken, page("ko/a.md", fence("print(1)"))])  # raises nothing


def test_a_failing_block_shown_on_several_pages_is_listed_once(tmp_path: Path) -> None:
    failing = fence("raise SystemExit(3)")
    pages = [page("ko/a.md", failing), page("en/a.md", failing), page("ko/b.md", failing)]
    engine = engine_for(tmp_path, RecordingExecutor({"raise SystemExit(3)": 3}), [])
    engine.prepare(pages)
    # The blog plugin renders a post again for its index: the same page, other Markdown.
    engine.plan(PageSource("ko/a.md", "# Index\n\n" + failing, 1))
    assert len(engine.failures()) == 1
    assert engine.report.counts()["failed"] == 1


def test_a_two_language_build_counts_both_languages_in_every_progress_line(
    tmp_path: Path,
) -> None:
    draft = """
        ---
        date: 2024-02-01
        draft: true
        categories: [Linux]
        ---

        # Not yet

        ```bash exec="on"
        echo draft-block
        ```
    """
    pages = {
        "ko/index.md": '# 홈\n\n```bash exec="on"\necho ko-block\n```\n',
        "en/index.md": '# Home\n\n```bash exec="on"\necho en-block\n```\n',
        "ko/blog/index.md": "# 블로그\n",
        "en/blog/index.md": "# Blog\n",
        "ko/blog/posts/.gitkeep": "",
        "en/blog/posts/draft.md": draft,
    }
    write_project(tmp_path, pages, mkdocs_yml=BLOG_I18N_YML)
    built = build(tmp_path, env={"CI": "true"})
    assert built.returncode == 0, built.output
    assert "blocks 2 run, 0 reused, 0 failed" in built.output
    totals = re.findall(r"fencerun: \d+/(\d+) blocks done", built.output)
    # The Korean build's lines already count the English block; the draft is not built.
    assert totals and set(totals) == {"2"}, built.output
    assert "Overriding 'en' config 'nav' with" not in built.output
