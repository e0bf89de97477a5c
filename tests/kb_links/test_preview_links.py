"""The links of a page's HTML that show a preview: those to another previewed page of the
same build, each marked with its preview file's address from the page."""

from __future__ import annotations

import pytest
from kb_links.preview_files import mark_preview_links

# Page URL -> its preview file's URL, from the site's root (one language's build).
TARGETS = {
    "kb/memory/": "previews/kb/memory.json",
    "kb/processes/": "previews/kb/processes.json",
    "blog/2023/07/23/xor-swap/": "previews/blog/posts/xor-swap.json",
}
PAGE = "kb/processes/"


@pytest.mark.parametrize(
    ("link", "marked"),
    [
        ('<a href="../memory/">', '<a data-kb-preview="../../previews/kb/memory.json" href='),
        ('<a href="../memory/#rss">', '<a data-kb-preview="../../previews/kb/memory.json" href='),
        (
            '<a class="x" href="../../blog/2023/07/23/xor-swap/">',
            '<a data-kb-preview="../../previews/blog/posts/xor-swap.json" class="x" href=',
        ),
    ],
)
def test_a_link_to_another_previewed_page_is_marked(link: str, marked: str) -> None:
    html = f"<p>See {link}this</a>.</p>"
    assert mark_preview_links(html, PAGE, TARGETS).startswith(f"<p>See {marked}")


@pytest.mark.parametrize(
    "href",
    [
        "#ps",  # a heading of this page
        "./",  # this page itself
        "../",  # a page without a preview (the section's index)
        "../../en/kb/memory/",  # another language
        "https://example.org/kb/memory/",  # another site
        "/kb/memory/",  # a path from the server's root: not how MkDocs writes a page's link
        "../memory/preview.json",  # not a page
    ],
)
def test_other_links_are_left_as_they_are(href: str) -> None:
    html = f'<p><a href="{href}">this</a></p>'
    assert mark_preview_links(html, PAGE, TARGETS) == html


def test_a_link_written_with_entities_is_found() -> None:
    targets = {"kb/a&b/": "previews/kb/a&b.json"}
    html = '<a href="../a&amp;b/">a &amp; b</a>'
    assert mark_preview_links(html, PAGE, targets) == (
        '<a data-kb-preview="../../previews/kb/a&amp;b.json" href="../a&amp;b/">a &amp; b</a>'
    )
