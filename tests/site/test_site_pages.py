"""Every page of the built site: search, anchors, hosts, metadata, docs/."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest
from ko_search.shards import documents

from tests.site.built_site import POSTS, REPO, ROOTS, SITE_URL, BuiltSite, Post, one

HANGUL = re.compile(r"[\uac00-\ud7a3]")
CSS_URL = re.compile(r"""@import\s+(?:url\()?\s*['"]?([^'")\s;]+)|url\(\s*['"]?([^'")\s]+)""")


def config_of(site: BuiltSite, url: str) -> dict[str, object]:
    script = site.page(url).select_one("script#__config")
    assert script is not None
    settings: dict[str, object] = json.loads(script.get_text())
    return settings


def search_index(site: BuiltSite, language: str) -> dict[str, list[dict[str, str]]]:
    # ko-search keeps the documents in its shards' fragments, not in search_index.json.
    return {"docs": documents(str(site.file(f"{ROOTS[language]}search")))}


@pytest.mark.parametrize("language", ROOTS)
def test_pages_of_a_language_load_that_languages_search_index(
    site: BuiltSite, language: str
) -> None:
    for post in POSTS:
        url = post.url(language)
        base = site.resolve(url, str(config_of(site, url)["base"]))
        # Material fetches search/search_index.json relative to "base".
        assert base + "search/search_index.json" == f"{ROOTS[language]}search/search_index.json"


def post_titles(site: BuiltSite, language: str) -> set[str]:
    return {
        one(site.page(post.url(language)), ".md-content h1").get_text().strip().rstrip("¶")
        for post in POSTS
    }


def page_titles(site: BuiltSite, language: str) -> set[str]:
    """Titles of whole pages (not sections) in a language's search index."""
    docs = search_index(site, language)["docs"]
    return {doc["title"] for doc in docs if "#" not in doc["location"]}


@pytest.mark.parametrize(("language", "other"), [("ko", "en"), ("en", "ko")])
def test_search_index_holds_only_its_languages_pages(
    site: BuiltSite, language: str, other: str
) -> None:
    root = ROOTS[language]
    docs = search_index(site, language)["docs"]
    locations = {site.resolve(root, doc["location"]).split("#")[0] for doc in docs}
    for location in locations:
        assert site.file(location).is_file(), f"search result /{location} is not a page"
        assert location.startswith(root), f"/{location} is not a '{language}' page"
        if language == "ko":
            assert not location.startswith("en/"), f"English page /{location} in Korean index"
    assert {post.url(language) for post in POSTS} <= locations
    assert post_titles(site, language) <= page_titles(site, language)
    assert not post_titles(site, other) & page_titles(site, language)


@pytest.mark.parametrize("post", POSTS, ids=lambda post: post.slug)
def test_korean_headings_keep_hangul_in_their_anchors(site: BuiltSite, post: Post) -> None:
    headings = site.page(post.url("ko")).select(".md-content h2[id], .md-content h3[id]")
    assert headings, "post has no section headings"
    for heading in headings:
        anchor = str(heading["id"])
        assert not re.fullmatch(r"_\d+", anchor), f"anchor #{anchor} lost its Hangul"
        if HANGUL.search(heading.get_text()):
            assert HANGUL.search(anchor), f"#{anchor} for {heading.get_text()!r}"


def external(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob"):
        return False
    return bool(parts.netloc) and parts.netloc != urlsplit(SITE_URL).netloc


def test_no_page_loads_anything_from_another_host(site: BuiltSite) -> None:
    offending = []
    for url in site.html_pages():
        page = site.page(url)
        for tag, attribute in (("link", "href"), ("script", "src"), ("img", "src")):
            for element in page.find_all(tag):
                value = element.get(attribute)
                if value and external(str(value)):
                    offending.append(f"/{url}: <{tag} {attribute}={value}>")
    assert not offending, "\n".join(offending)


def test_no_stylesheet_imports_from_another_host(site: BuiltSite) -> None:
    offending = []
    for path in sorted(site.root.rglob("*.css")):
        for match in CSS_URL.finditer(path.read_text(encoding="utf-8")):
            target = match.group(1) or match.group(2)
            if external(target):
                offending.append(f"{path.relative_to(site.root)}: {target}")
    assert not offending, "\n".join(offending)


def test_no_page_has_a_pyodide_editor_or_loads_its_scripts(site: BuiltSite) -> None:
    # An editor loads Pyodide, Ace and highlight.js, from another host unless the site
    # serves them: this site has none, and fencerun adds its editor script to no other page.
    offending = []
    for url in site.html_pages():
        page = site.page(url)
        sources = [str(tag["src"]) for tag in page.find_all("script", src=True)]
        if page.select_one("div.pyodide") or [src for src in sources if "pyodide" in src]:
            offending.append(f"/{url}")
    assert not offending, "\n".join(offending)


def test_build_writes_nothing_into_docs(site: BuiltSite) -> None:
    assert site.docs_after == site.docs_before


@pytest.mark.parametrize("language", ROOTS)
def test_every_page_has_a_description_and_open_graph_tags(site: BuiltSite, language: str) -> None:
    for url in site.html_pages():
        if not url.startswith(ROOTS[language]) or (language == "ko" and url.startswith("en/")):
            continue
        if url.startswith("assets/"):
            continue
        page = site.page(url)
        for selector in (
            'meta[name="description"]',
            'meta[property="og:title"]',
            'meta[property="og:description"]',
            'meta[property="og:type"]',
        ):
            tag = page.select_one(selector)
            assert tag is not None and tag["content"], f"/{url} lacks {selector}"
    for post in POSTS:
        page = site.page(post.url(language))
        description = page.select_one('meta[name="description"]')
        assert description is not None and description["content"] != ""
        assert one(page, 'meta[property="og:type"]')["content"] == "article"
        og_url = one(page, 'meta[property="og:url"]')["content"]
        assert og_url == SITE_URL + post.url(language)


def test_search_dialog_has_an_accessible_name(site: BuiltSite) -> None:
    for url in ("", "en/", POSTS[0].url("ko")):
        dialog = site.page(url).select_one('[role="dialog"].md-search')
        assert dialog is not None and dialog.get("aria-label"), f"/{url}: unnamed search dialog"


@pytest.mark.parametrize("language", ROOTS)
def test_glossary_explains_abbreviations_in_the_pages_language(
    site: BuiltSite, language: str
) -> None:
    titles = [
        str(abbr["title"])
        for post in POSTS
        for abbr in site.page(post.url(language)).select(".md-content abbr[title]")
    ]
    assert titles, "no abbreviation explained in any post"
    assert all(bool(HANGUL.search(title)) == (language == "ko") for title in titles)


@pytest.mark.parametrize("language", ROOTS)
def test_korean_text_is_marked_korean_for_line_breaking(site: BuiltSite, language: str) -> None:
    page = site.page(POSTS[0].url(language))
    assert page.html is not None and page.html["lang"] == language
    stylesheet = (site.root / "assets/stylesheets/site.css").read_text(encoding="utf-8")
    rule = re.search(r":lang\(ko\) \.md-typeset \{([^}]*)\}", stylesheet)
    assert rule and "word-break: keep-all" in rule.group(1)


def test_the_tests_build_a_copy_and_never_touch_what_is_published(site: BuiltSite) -> None:
    assert REPO not in site.project.parents
    assert (site.project / ".cache/fencerun/results.sqlite").is_file()
    assert site.published_unchanged, "the build wrote into the checkout's .cache/fencerun or site/"
