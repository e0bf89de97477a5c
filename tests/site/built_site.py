"""The built site and the posts it must publish, shared by the site tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

REPO = Path(__file__).resolve().parents[2]
# Built as if deployed here: links to this host are the site's own.
SITE_URL = "https://linus.example.org/"


@dataclass(frozen=True)
class Post:
    slug: str
    date: str  # yyyy/mm/dd, as in the URL
    category: dict[str, str]  # per language

    def url(self, language: str) -> str:
        return f"{ROOTS[language]}blog/{self.date}/{self.slug}/"


ROOTS = {"ko": "", "en": "en/"}
POSTS = (
    Post("from-naver-cloud-to-millie", "2022/09/14", {"ko": "커리어", "en": "Career"}),
    Post("linux-and-containers-for-new-engineers", "2023/03/19", {"ko": "리눅스", "en": "Linux"}),
    Post("xor-swap-experiment", "2023/07/23", {"ko": "파이썬", "en": "Python"}),
    Post("2023-retrospective", "2023/12/30", {"ko": "회고", "en": "Retrospective"}),
)
CATEGORY_SLUGS = {
    "커리어": "career",
    "리눅스": "linux",
    "파이썬": "python",
    "회고": "retrospective",
}


@dataclass(frozen=True)
class BuiltSite:
    root: Path
    docs_before: frozenset[str]
    docs_after: frozenset[str]
    project: Path  # the copy of the site that was built
    published_unchanged: bool  # the checkout's store and site/ were left as they were
    log: str = ""  # what the build printed (stderr): its protections line among it

    def file(self, url: str) -> Path:
        """The file served for a site-relative URL ('blog/', 'en/feed.xml')."""
        path = self.root / url
        return path / "index.html" if url == "" or url.endswith("/") else path

    def page(self, url: str) -> BeautifulSoup:
        path = self.file(url)
        assert path.is_file(), f"no page at /{url} ({path} missing)"
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")

    def resolve(self, page_url: str, href: str) -> str:
        """The site-relative URL a link on a page leads to."""
        absolute = urljoin(SITE_URL + page_url, href)
        assert absolute.startswith(SITE_URL), f"{href} on /{page_url} leaves the site"
        return urlsplit(absolute).path.removeprefix(urlsplit(SITE_URL).path)

    def html_pages(self) -> Iterator[str]:
        for path in sorted(self.root.rglob("*.html")):
            yield path.relative_to(self.root).as_posix()


def tree(folder: Path) -> frozenset[str]:
    return frozenset(path.relative_to(folder).as_posix() for path in folder.rglob("*"))


def one(page: BeautifulSoup | Tag, selector: str) -> Tag:
    """The element a selector finds, which must exist."""
    element = page.select_one(selector)
    assert element is not None, f"nothing matches {selector}"
    return element
