"""The posts' tags: one spelling per tag, capitalised in English, listed in reading order."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pytest
import yaml

from tests.site.built_site import REPO, ROOTS, BuiltSite

LANGUAGES = tuple(ROOTS)


@dataclass(frozen=True)
class Tagged:
    tag: str
    where: str  # docs/<language>/blog/posts/<file>.md:<line>


def tags_in_posts(language: str) -> list[Tagged]:
    """Every tag the language's posts carry, with the file and line that gives it."""
    found: list[Tagged] = []
    for path in sorted((REPO / "docs" / language / "blog" / "posts").glob("*.md")):
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines and lines[0] == "---", f"{path.relative_to(REPO)}:1 has no front matter"
        end = lines.index("---", 1)
        front = yaml.safe_load("\n".join(lines[1:end])) or {}
        line = next((n for n, text in enumerate(lines[:end], 1) if text.startswith("tags:")), 1)
        where = f"{path.relative_to(REPO).as_posix()}:{line}"
        found.extend(Tagged(str(tag), where) for tag in front.get("tags") or [])
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_two_tags_differ_only_in_case(language: str) -> None:
    spellings: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for tagged in tags_in_posts(language):
        spellings[tagged.tag.casefold()][tagged.tag].append(tagged.where)
    clashes = [
        " vs ".join(f"{tag!r} ({', '.join(where)})" for tag, where in variants.items())
        for variants in spellings.values()
        if len(variants) > 1
    ]
    assert not clashes, (
        "tags that differ only in case would be two entries on the tags page; "
        "use the spelling already there: " + "; ".join(clashes)
    )


def test_english_tags_start_with_a_capital_letter() -> None:
    lowercase = [f"{t.where}: {t.tag!r}" for t in tags_in_posts("en") if t.tag[:1].islower()]
    assert not lowercase, (
        "English tags start with a capital letter, like the categories "
        "(`Containers`, `Job change`): " + ", ".join(lowercase)
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_tags_page_lists_each_tag_once_in_alphabetical_order(
    site: BuiltSite, language: str
) -> None:
    url = f"{ROOTS[language]}tags/"
    listed = [heading.get_text(strip=True) for heading in site.page(url).select("h2 .md-tag")]
    expected = sorted({tagged.tag for tagged in tags_in_posts(language)}, key=str.casefold)
    assert listed == expected, f"/{url} lists {listed}, expected {expected}"
