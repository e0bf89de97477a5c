"""A small two-language blog with the site's plugins and templates, for the preview and
draft tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

MKDOCS_YML = """\
site_name: preview test
theme:
  name: material
  language: ko
  font: false
  custom_dir: {overrides}
markdown_extensions:
  - pymdownx.superfences
plugins:
  - search
  - blog:
      post_url_format: "{{slug}}"
  - i18n:
      docs_structure: folder
      fallback_to_default: true
      languages:
        - locale: ko
          name: 한국어
          default: true
        - locale: en
          name: English
  - blog-i18n
  - kb-links
  - fencerun:
      cache_dir: .cache/fencerun
"""

AUTHORS_YML = "authors:\n  linus:\n    name: linus\n    description: x\n    avatar: a.svg\n"


def post(slug: str, title: str, lead: str, block_line: str, *, draft: bool = False) -> str:
    flag = "draft: true\n" if draft else ""
    return (
        f"---\ndate: 2024-02-01\nslug: {slug}\n{flag}authors: [linus]\n---\n\n"
        f"# {title}\n\n{lead}\n\n"
        f'<!-- more -->\n\n```bash exec="on"\n{block_line}\n```\n'
    )


REPO_ROOT = Path(__file__).resolve().parents[2]
PUBLISHED = "docs/ko/blog/posts/published.md"
DRAFT = "docs/ko/blog/posts/unfinished.md"


def write_site(root: Path) -> None:
    files = {
        "mkdocs.yml": MKDOCS_YML.format(overrides=REPO_ROOT / "overrides"),
        "docs/ko/index.md": "# 홈\n\n첫 화면.\n",
        "docs/en/index.md": "# Home\n",
        "docs/ko/about.md": "# 소개\n\n소개하는 글.\n",
        PUBLISHED: post("published", "공개한 글", "처음 쓴 문장.", 'echo "out-$((40 + 1))"'),
        DRAFT: post(
            "unfinished", "쓰는 중인 글", "아직 쓰는 문장.", 'echo "draft-$((40 + 2))"', draft=True
        ),
    }
    for language in ("ko", "en"):
        files[f"docs/{language}/blog/index.md"] = "# Blog\n"
        files[f"docs/{language}/blog/.authors.yml"] = AUTHORS_YML
    files["docs/en/blog/posts/.gitkeep"] = ""
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
