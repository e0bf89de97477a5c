"""Small two-language MkDocs projects in temp folders, and scripts/check_content.py run on them."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
CHECK_CONTENT = REPO_ROOT / "scripts" / "check_content.py"

MKDOCS_YML = """\
site_name: test
plugins:
  - blog
  - i18n:
      docs_structure: folder
      languages:
        - locale: ko
          default: true
        - locale: en
  - blog-i18n:
      categories:
        career: {ko: 커리어, en: Career}
        linux: {ko: 리눅스, en: Linux}
        python: {ko: 파이썬, en: Python}
        retrospective: {ko: 회고, en: Retrospective}
markdown_extensions:
  - toc:
      slugify: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}
"""

AUTHORS_YML = "authors:\n  linus:\n    name: linus\n    description: x\n    avatar: a.svg\n"

KOREAN_POST = """\
---
date: 2024-02-01
slug: xor-swap
authors: [linus]
categories: [파이썬]
tags: [파이썬, 벤치마크]
description: XOR 스왑이 정말 느린지 재 봤다.
---

# XOR 스왑 실험

XOR 스왑이 임시 변수보다 느리다는 말을 듣고 재 봤다.

<!-- more -->

## 리눅스 프로세스 보기

본문. [홈으로](../../index.md), [아래 절로](#측정-결과).

## 측정 결과

![측정 결과 그래프](chart.svg)
"""

ENGLISH_POST = """\
---
date: 2024-02-01
slug: xor-swap
authors: [linus]
categories: [Python]
tags: [python, benchmark]
description: Is the XOR swap really slower? I measured it.
---

# The XOR swap experiment

I heard the XOR swap is slower than a temporary variable, so I measured it.

<!-- more -->

## Results

Back [home](../../index.md), or to [the results](#results).
"""


@dataclass(frozen=True)
class Run:
    returncode: int
    output: str  # stdout and stderr together, as a terminal shows them


@dataclass(frozen=True)
class SiteTree:
    """A MkDocs project with one post in Korean and English that passes every check."""

    root: Path

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def edit(self, relative: str, old: str, new: str) -> None:
        path = self.root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


def run_script(script: Path, *args: str) -> Run:
    completed = subprocess.run(
        [sys.executable, str(script), *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=120,
        check=False,
    )
    return Run(completed.returncode, completed.stdout)


@pytest.fixture
def site(tmp_path: Path) -> SiteTree:
    tree = SiteTree(tmp_path)
    tree.write("mkdocs.yml", MKDOCS_YML)
    for language in ("ko", "en"):
        tree.write(f"docs/{language}/index.md", f"# Home {language}\n")
        tree.write(f"docs/{language}/blog/index.md", "# Blog\n")
        tree.write(f"docs/{language}/blog/.authors.yml", AUTHORS_YML)
    tree.write("docs/ko/blog/posts/xor-swap.md", KOREAN_POST)
    tree.write("docs/ko/blog/posts/chart.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    tree.write("docs/en/blog/posts/xor-swap.md", ENGLISH_POST)
    return tree


@pytest.fixture
def check_content() -> Callable[[Path], Run]:
    """Runs scripts/check_content.py on a project folder."""
    return lambda root: run_script(CHECK_CONTENT, "--root", str(root))
