"""A link's `#anchor` is MkDocs' to check (`validation: anchors: warn` in mkdocs.yml): the
site's strict build fails on a link to an id no page has, in either language, and names the
page and the line the link is written on, as for a link to a missing page; ids come out as
the pages get them (Hangul kept, a repeated heading numbered, an explicit `{#id}`)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.site_copy import copy_site

KO_ABOUT = "docs/ko/about.md"
EN_ABOUT = "docs/en/about.md"
# Appended to the Korean about page: ids the page then has, links that find them, and
# last, three links to ids that do not exist and one to a page that does not.
KO_ANCHORS = """
## 리눅스 `ps` 명령어 **보기**

## 요약

## 요약

## 직접 정한 이름 {#custom-id}

- [ps](#리눅스-ps-명령어-보기), [둘째 요약](#요약_1), [직접](#custom-id)
- [회고의 절](blog/posts/2023-retrospective.md#본능은-틀리지-않았다)
- [참조][retrospective]

[retrospective]: blog/posts/2023-retrospective.md#마음을-갈아-넣은-최선

- [제목의 앞부분만](#리눅스-ps)
- [제목 그대로](#직접-정한-이름)
- [다른 페이지](index.md#없는-절)
- [없는 페이지](nowhere.md)
"""
EN_ANCHORS = "\n[the English page's own](#no-such-heading)\n"
WARNING = re.compile(r"^WARNING +- +Doc file '(?P<page>[^']+)' contains a link '(?P<link>[^']+)'")


def strict_build(project: Path) -> subprocess.CompletedProcess[str]:
    # Not --quiet: it drops MkDocs' warnings before --strict counts them.
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(project / "site")],
        cwd=project,
        # Nothing runs: ids do not depend on the blocks' outputs here.
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "FENCERUN_EXECUTE": "0"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def append(path: Path, text: str) -> int:
    """Appends `text` and returns the line of the page its first line lands on."""
    before = path.read_text(encoding="utf-8")
    path.write_text(before + text, encoding="utf-8")
    return before.count("\n") + 1


def test_a_link_to_a_missing_id_fails_the_strict_build_at_its_page_and_line(
    tmp_path: Path,
) -> None:
    project = copy_site(tmp_path / "project")
    ko_start = append(project / KO_ABOUT, KO_ANCHORS)
    en_start = append(project / EN_ABOUT, EN_ANCHORS)
    built = strict_build(project)
    assert built.returncode != 0, built.stderr[-3000:]
    warnings = {
        (found["page"], found["link"]): line
        for line in built.stderr.splitlines()
        if (found := WARNING.match(line))
    }
    assert set(warnings) == {
        (f"{KO_ABOUT}:{ko_start + 15}", "#리눅스-ps"),
        (f"{KO_ABOUT}:{ko_start + 16}", "#직접-정한-이름"),
        (f"{KO_ABOUT}:{ko_start + 17}", "index.md#없는-절"),
        (f"{KO_ABOUT}:{ko_start + 18}", "nowhere.md"),
        (f"{EN_ABOUT}:{en_start + 1}", "#no-such-heading"),
    }, built.stderr[-3000:]
    assert (
        "the doc 'docs/ko/index.md' does not contain an anchor '#없는-절'"
        in (warnings[(f"{KO_ABOUT}:{ko_start + 17}", "index.md#없는-절")])
    )
