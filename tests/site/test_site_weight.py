"""What keeps pages light for a phone: few elements, figures as images, long outputs laid out
only near the screen. scripts/lighthouse-bench measures the result; these pin the causes."""

from __future__ import annotations

import pytest

from tests.site.built_site import POSTS, ROOTS, BuiltSite

# Lighthouse calls a page of more than 1,400 elements excessive. The heaviest page, the XOR
# post, has about 1,700 with its code highlighted token by token; with its chart inlined and
# two elements per code line it had 2,979. The budget leaves room for prose, not for those.
ELEMENT_BUDGET = 2_000
LONG_LINES = 15


def _pages(site: BuiltSite) -> list[str]:
    return [
        page.removesuffix("index.html")
        for page in site.html_pages()
        if page.endswith("index.html") and ("/20" in page or "kb/" in page)
    ]


def test_every_post_and_knowledge_base_page_keeps_within_the_element_budget(
    site: BuiltSite,
) -> None:
    pages = _pages(site)
    assert len(pages) >= 2 * (len(POSTS) + 8)
    counts = {url: len(site.page(url).find_all(True)) for url in pages}
    over = {url: count for url, count in counts.items() if count > ELEMENT_BUDGET}
    assert not over, f"pages over {ELEMENT_BUDGET} elements: {over}"


def test_code_lines_carry_no_anchor_or_span_of_their_own(site: BuiltSite) -> None:
    # Without line numbers nobody can click a line's anchor; each was two elements a line.
    for url in _pages(site):
        page = site.page(url)
        assert not page.select("a[id^='__codelineno'], span[id^='__span']"), url


@pytest.mark.parametrize("language", ROOTS)
def test_long_outputs_of_the_posts_wait_for_the_screen(site: BuiltSite, language: str) -> None:
    wrapped = 0
    for post in POSTS:
        page = site.page(post.url(language))
        for output in page.select("article .fencerun-long"):
            (pre,) = output.select("pre")
            lines = pre.get_text().rstrip("\n").count("\n") + 1
            assert lines >= LONG_LINES
            assert output["style"] == f"--fencerun-lines: {lines}"
            wrapped += 1
    # The XOR post's benchmark source, bytecode and assembly, the primer's long outputs.
    assert wrapped >= 8
    css = site.file("assets/fencerun.css").read_text(encoding="utf-8")
    assert "content-visibility: auto" in css
