"""A link's preview shows the title and the first paragraph of prose of the page it points
at, as plain text: front matter, headings, code, admonitions, lists and tables passed over,
in Korean as in English."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from kb_links.graph import PageSource, link_languages
from kb_links.notes import NoteIndex
from kb_links.previews import MAX_CHARACTERS, Preview, first_paragraph, page_previews
from kb_links.sources import read_page
from markdown.extensions.toc import slugify_unicode

KOREAN_NOTE = """\
---
description: 프런트 매터의 설명은 미리보기가 아닙니다.
aliases: [프로세스]
---

# 프로세스 명령어 { #processes }

!!! note "출력이 단출한 이유"
    빌드 도구는 코드 블록마다 격리된 환경을 따로 만들어 실행합니다.

```console
$ ps aux  # 코드는 문단이 아닙니다
```

## `ps`로 보기

`ps`는 **실행 중인** 프로세스의 한순간을 찍어 보여 줍니다. 더 깊이는
[[memory|메모리 이야기]]와 [[kb/network]], [네임스페이스](namespaces.md)에서 다루고,
*도움말*은 <kbd>man ps</kbd>&nbsp;로 봅니다.[^1]

둘째 문단은 미리보기에 들지 않습니다.

[^1]: 각주도 들지 않습니다.
"""

ENGLISH_POST = """\
Setext title
============

    indented code is not a paragraph

- a list item
- is not one either

| Column | Meaning |
| --- | --- |
| a table | neither |

> A quote is someone else's words.

<div class="grid" markdown>
HTML blocks are not prose.
</div>

The *first* paragraph, with `snake_case_name` and \\*literal stars\\* kept,
and a [link](https://example.org) that reads as its text.
"""


def site(*korean: PageSource) -> NoteIndex:
    pages = {
        "ko": [
            PageSource("ko/kb/memory.md", "# 메모리 명령어\n", {}, 1),
            PageSource("ko/kb/network.md", "# 네트워크 명령어\n", {}, 1),
            *korean,
        ]
    }
    linked, problems = link_languages(pages, slugify_unicode)
    assert problems == []
    return linked["ko"].index


def test_a_korean_note_previews_its_first_paragraph_after_headings_admonitions_and_code(
    tmp_path: Path,
) -> None:
    source = tmp_path / "ko" / "kb" / "processes.md"
    source.parent.mkdir(parents=True)
    source.write_text(KOREAN_NOTE, encoding="utf-8")
    page = read_page(str(tmp_path), str(source))
    index = site(page)

    assert page_previews([page], index) == {
        "ko/kb/processes.md": Preview(
            title="프로세스 명령어",
            text="ps는 실행 중인 프로세스의 한순간을 찍어 보여 줍니다. 더 깊이는 메모리 이야기와 "
            "네트워크 명령어, 네임스페이스에서 다루고, 도움말은 man ps\xa0로 봅니다.",
        )
    }


def test_an_english_page_passes_over_lists_tables_quotes_and_html_blocks() -> None:
    assert first_paragraph(ENGLISH_POST, site()) == (
        "The first paragraph, with snake_case_name and *literal stars* kept, "
        "and a link that reads as its text."
    )


def test_a_heading_ends_the_paragraph_above_it_without_a_blank_line() -> None:
    body = "# Title\n\nOpening words.\n## Next section\nSection words.\n"
    assert first_paragraph(body, site()) == "Opening words."


def test_code_inside_a_paragraph_keeps_its_words_and_wikilink_syntax() -> None:
    body = "Write `[[target|label]]` and a `` `tick` `` in prose.\n"
    assert first_paragraph(body, site()) == "Write [[target|label]] and a `tick` in prose."


@pytest.mark.parametrize(
    "body",
    [
        "# 제목만 있는 페이지\n",
        "# 표\n\n| 열 | 뜻 |\n| --- | --- |\n| 가 | 나 |\n",
        "```python\nprint('코드뿐')\n```\n",
        "![그림만](picture.png)\n",
    ],
    ids=["heading", "table", "code", "image"],
)
def test_a_page_without_a_paragraph_has_no_preview(body: str) -> None:
    page = PageSource("ko/kb/empty.md", body, {}, 1)
    assert first_paragraph(body, site(page)) == ""
    assert page_previews([page], site(page)) == {}


def test_only_notes_and_posts_have_previews() -> None:
    pages = [
        PageSource(src_uri, "# 제목\n\n본문 문단입니다.\n", {"title": src_uri}, 1)
        for src_uri in (
            "ko/kb/linux/namespaces.md",
            "ko/blog/posts/first.md",
            "ko/about.md",
            "ko/index.md",
            "ko/blog/index.md",
        )
    ]
    assert sorted(page_previews(pages, site(*pages))) == [
        "ko/blog/posts/first.md",
        "ko/kb/linux/namespaces.md",
    ]


def test_a_long_korean_paragraph_is_cut_after_a_whole_word() -> None:
    words = "리눅스의 프로세스는 부모에게서 태어나 " * 40
    cut = first_paragraph(words, site())
    assert len(cut) <= MAX_CHARACTERS
    assert cut.endswith("…")
    whole_words = set(words.split())
    assert set(cut.removesuffix("…").split()) <= whole_words


def test_a_long_english_paragraph_is_cut_after_its_last_whole_sentence() -> None:
    sentence = "A process is born of its parent and inherits what it had. "
    cut = first_paragraph(sentence * 10, site())
    assert cut == (sentence * (MAX_CHARACTERS // len(sentence))).strip()


def test_a_preview_is_a_small_json_object_of_plain_text() -> None:
    preview = Preview("메모리 명령어", '"메모리가 모자란다"는 말')
    written = preview.to_json()
    assert json.loads(written) == {"title": "메모리 명령어", "text": '"메모리가 모자란다"는 말'}
    assert "메모리" in written  # Hangul as UTF-8, not \\u escapes: a third of the bytes
