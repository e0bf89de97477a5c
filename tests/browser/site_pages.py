"""The pages the browser tests open, and what their Markdown says they show."""

from __future__ import annotations

from pathlib import Path

from tests.site.built_site import POSTS, REPO, Post

# Measures where Korean text breaks into lines; evaluate it in a page, with
# the selector of the parts to measure or none for the article.
HANGUL_LINE_BREAKS = Path(__file__).with_name("hangul_line_breaks.js").read_text(encoding="utf-8")
LANGUAGES = ("ko", "en")
HOME = {"ko": "/", "en": "/en/"}
BLOG_INDEX = {"ko": "/blog/", "en": "/en/blog/"}
# A knowledge-base page: its section has an index page, next to the blog's.
KB_PAGE = {"ko": "/kb/processes/", "en": "/en/kb/processes/"}
# The post with code blocks, Korean prose and a translation: the one most tests read.
LINUX_POST = next(post for post in POSTS if post.slug == "linux-and-containers-for-new-engineers")
XOR_POST = next(post for post in POSTS if post.slug == "xor-swap-experiment")
# The posts with code and live output, opened on a desktop screen in both languages.
DESKTOP_POSTS = (LINUX_POST, XOR_POST)


def post_path(post: Post, language: str) -> str:
    return "/" + post.url(language)


def desktop_paths() -> list[str]:
    """The pages opened once per session on a desktop screen, for several test modules."""
    return [
        *HOME.values(),
        BLOG_INDEX["ko"],
        *KB_PAGE.values(),
        *(post_path(post, language) for post in DESKTOP_POSTS for language in LANGUAGES),
    ]


def post_source(post: Post, language: str) -> Path:
    return REPO / "docs" / language / "blog" / "posts" / f"{post.slug}.md"


def home_source(language: str) -> Path:
    return REPO / "docs" / language / "index.md"


def markdown_title(source: Path) -> str:
    """The text of the page's level-1 heading in its Markdown source."""
    in_front_matter = False
    for number, line in enumerate(source.read_text(encoding="utf-8").splitlines()):
        if line.strip() == "---" and (number == 0 or in_front_matter):
            in_front_matter = not in_front_matter
        elif not in_front_matter and line.startswith("# "):
            return line[2:].strip()
    raise AssertionError(f"{source}: no '# ' title line")
