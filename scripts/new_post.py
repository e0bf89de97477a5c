#!/usr/bin/env python3
"""Starts a new blog post (the Korean file and its English twin, same date and slug), or
with --note a knowledge base note in both languages.

Asks for what is missing when run in a terminal; otherwise takes flags only.
See `new_post.py --help` and the site's kb/writing-posts.md.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click
import yaml
from content_check.authors import known_authors
from content_check.conventions import (
    DEFAULT_AUTHORS,
    EXCERPT_SEPARATOR,
    POSTS_DIR,
    SLUG_RULE,
    is_valid_slug,
)
from content_check.front_matter import FrontMatterError, parse_front_matter
from content_check.site_config import Site, SiteConfigError, load_site
from pymdownx.slugs import slugify

PROJECT_ROOT = Path(__file__).resolve().parents[1]
KOREAN, ENGLISH = "ko", "en"
T = TypeVar("T")

# What the new files say until the author replaces it; `draft: true` keeps them
# off the published site meanwhile.
BODY = {
    KOREAN: (
        "# {title}\n\n"
        "이 문단은 글의 첫머리(리드)다. 블로그 목록에는 아래 구분선까지만 보이니, "
        "무엇을 왜 썼는지 두세 문장으로 적는다.\n\n"
        f"{EXCERPT_SEPARATOR}\n\n"
        "## 첫 번째 소제목\n\n"
        "본문을 여기서부터 쓴다.\n"
    ),
    ENGLISH: (
        "# {title}\n\n"
        "This paragraph is the lead: the blog index shows the post up to the separator "
        "below, so say in two or three sentences what the post is about and why.\n\n"
        f"{EXCERPT_SEPARATOR}\n\n"
        "## First section\n\n"
        "The body starts here.\n"
    ),
}


# A note starts in these words; its place in the nav and on the knowledge base's index
# follows from its title (kb-links), so nothing else needs an edit.
NOTE_BODY = {
    KOREAN: (
        "# {title}\n\n"
        "이 노트가 무엇을 다루는지 두세 문장으로 적는다. 이 문단은 링크 미리보기에도 나온다.\n\n"
        "## 첫 번째 소제목\n\n"
        "관련된 노트는 `[[노트 제목]]`처럼 위키링크로 잇는다.\n"
    ),
    ENGLISH: (
        "# {title}\n\n"
        "Say in two or three sentences what this note covers; link previews show this "
        "paragraph.\n\n"
        "## First section\n\n"
        "Link related notes with a wikilink such as `[[Note title]]`.\n"
    ),
}
KB_DIR = "kb"


class PostError(click.UsageError):
    """Bad input; the message says what to do. In a terminal the question is asked again."""


@dataclass(frozen=True)
class NewPost:
    titles: dict[str, str]
    descriptions: dict[str, str]
    tags: dict[str, list[str]]
    slug: str
    date: dt.date
    categories: list[dict[str, str]]  # each category named in both languages
    authors: list[str]

    def front_matter(self, language: str) -> dict[str, Any]:
        return {
            "date": self.date,
            "slug": self.slug,
            "authors": self.authors,
            "categories": [names[language] for names in self.categories],
            "tags": self.tags[language],
            "description": self.descriptions[language],
            "draft": True,
        }

    def text(self, language: str) -> str:
        front = yaml.safe_dump(
            self.front_matter(language),
            allow_unicode=True,
            sort_keys=False,
            default_flow_style=None,
            width=10_000,
        )
        return f"---\n{front}---\n\n" + BODY[language].format(title=self.titles[language])


@dataclass(frozen=True)
class NewNote:
    titles: dict[str, str]
    descriptions: dict[str, str]
    tags: dict[str, list[str]]
    name: str  # the file's name without .md, the same in both languages
    folder: str  # under kb/, "" for kb/ itself

    def text(self, language: str) -> str:
        front: dict[str, Any] = {"description": self.descriptions[language]}
        if self.tags[language]:
            front["tags"] = self.tags[language]
        matter = yaml.safe_dump(
            front, allow_unicode=True, sort_keys=False, default_flow_style=None, width=10_000
        )
        return f"---\n{matter}---\n\n" + NOTE_BODY[language].format(title=self.titles[language])

    def path(self, site: Site, language: str) -> Path:
        return site.language_dir(language) / KB_DIR / self.folder / f"{self.name}.md"


def slug_from_title(title: str) -> str:
    """An ASCII slug made from an English title ("" when nothing ASCII is left)."""
    ascii_only = slugify(case="lower")(title, "-").encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")


def one_line(value: str) -> str:
    value = value.strip()
    if not value or "\n" in value:
        raise PostError("write one non-empty line")
    return value


def parse_list(value: str) -> list[str]:
    return [tag.strip() for tag in value.split(",") if tag.strip()]


def parse_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise PostError(f"{value!r} is not a date; write YYYY-MM-DD, e.g. 2024-03-01") from None


def resolve_categories(names: list[str], site: Site) -> list[dict[str, str]]:
    if not names:
        raise PostError(f"a post needs a category; choose from: {choices(site)}")
    resolved = []
    for name in names:
        korean = site.category_in(name, KOREAN) or site.category_in(name.capitalize(), KOREAN)
        english = site.category_in(korean, ENGLISH) if korean else None
        if korean is None or english is None:
            raise PostError(f"unknown category {name!r}; choose from: {choices(site)}")
        resolved.append({KOREAN: korean, ENGLISH: english})
    return resolved


def choices(site: Site) -> str:
    """The categories mkdocs.yml names in both languages."""
    both = [names for names in site.categories.values() if KOREAN in names and ENGLISH in names]
    return ", ".join(f"{names[KOREAN]} ({names[ENGLISH]})" for names in both)


def check_authors(authors: list[str], site: Site) -> list[str]:
    for language in (KOREAN, ENGLISH):
        known = known_authors(site, language)
        for author in authors:
            if author not in known.names:
                raise PostError(
                    f"author {author!r} is unknown; add them to {known.source} or pass "
                    f"--author with one of: {', '.join(sorted(known.names)) or 'none yet'}"
                )
    return authors


def check_slug(slug: str, site: Site) -> str:
    if not is_valid_slug(slug):
        suggestion = slug_from_title(slug)
        hint = f"; try {suggestion!r}" if suggestion else ""
        raise PostError(f"slug {slug!r} is not valid: use {SLUG_RULE}{hint}")
    for language in (KOREAN, ENGLISH):
        posts = site.language_dir(language) / POSTS_DIR
        for path in sorted(posts.rglob("*.md")) if posts.is_dir() else []:
            if path.stem == slug or _slug_of(path) == slug:
                raise PostError(
                    f"slug {slug!r} is taken by {site.shown(path)}; choose another slug "
                    "(translations share one slug, so it must be free in every language)"
                )
    return slug


def check_note_name(name: str, folder: str, site: Site) -> str:
    if not is_valid_slug(name):
        suggestion = slug_from_title(name)
        hint = f"; try {suggestion!r}" if suggestion else ""
        raise PostError(f"file name {name!r} is not valid: use {SLUG_RULE}{hint}")
    for language in (KOREAN, ENGLISH):
        path = site.language_dir(language) / KB_DIR / folder / f"{name}.md"
        if path.exists():
            raise PostError(f"{site.shown(path)} exists already; choose another --slug")
    return name


def check_folder(folder: str) -> str:
    parts = [part for part in folder.strip("/").split("/") if part]
    if any(not is_valid_slug(part) for part in parts):
        raise PostError(f"folder {folder!r} is not valid: each part must be {SLUG_RULE}")
    return "/".join(parts)


def _slug_of(path: Path) -> object:
    try:
        front = parse_front_matter(path.read_text(encoding="utf-8", errors="replace"))
    except FrontMatterError:
        return None
    return front.values.get("slug") if front else None


class Asker:
    """Takes each value from its flag; in a terminal, asks for what no flag gave."""

    def __init__(self, interactive: bool) -> None:
        self.interactive = interactive

    def __call__(
        self,
        value: str | None,
        flag: str,
        question: str,
        check: Callable[[str], T],
        default: str | None = None,
    ) -> T:
        if value is not None:
            return self._checked(value, flag, check)
        if self.interactive:
            # click asks again when `check` raises PostError (a UsageError).
            answer: T = click.prompt(question, default=default, value_proc=check)
            return answer
        if default is None:
            raise click.UsageError(f"pass {flag}: nothing to make a default {flag} from")
        return self._checked(default, flag, check)

    @staticmethod
    def _checked(value: str, flag: str, check: Callable[[str], T]) -> T:
        try:
            return check(value)
        except PostError as problem:
            raise PostError(f"{flag}: {problem.message}") from None


@click.command(
    help="Start a blog post: writes the Korean file and its English twin. With --note, start "
    "a knowledge base note in both languages instead."
)
@click.option("--note", is_flag=True, help="A knowledge base note under docs/<lang>/kb/.")
@click.option("--folder", default="", help="With --note: a folder under kb/ (a nav section).")
@click.option("--title", help="Korean title.")
@click.option("--title-en", help="English title.")
@click.option("--slug", help="ASCII URL slug shared by both languages [default: from --title-en].")
@click.option("--category", "categories", multiple=True, help="Category, Korean or English name.")
@click.option("--tags", help="Comma-separated tags of the Korean post.")
@click.option("--tags-en", help="Comma-separated tags of the English post [default: --tags].")
@click.option("--description", help="One-line Korean description (search and previews).")
@click.option("--description-en", help="One-line English description.")
@click.option("--date", "date_text", help="Publication date, YYYY-MM-DD [default: today].")
@click.option(
    "--author", "authors", multiple=True, help="Author id from .authors.yml [default: linus]."
)
@click.option(
    "--root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=PROJECT_ROOT,
    show_default="this repository",
    help="MkDocs project to write into (the folder holding mkdocs.yml).",
)
def main(
    note: bool,
    folder: str,
    title: str | None,
    title_en: str | None,
    slug: str | None,
    categories: tuple[str, ...],
    tags: str | None,
    tags_en: str | None,
    description: str | None,
    description_en: str | None,
    date_text: str | None,
    authors: tuple[str, ...],
    root: Path,
) -> None:
    try:
        site = load_site(root.resolve())
    except SiteConfigError as problem:
        raise click.ClickException(str(problem)) from problem
    interactive = sys.stdin.isatty()
    if note:
        start_note(
            site,
            interactive,
            folder,
            title,
            title_en,
            slug,
            tags,
            tags_en,
            description,
            description_en,
        )
        return
    if not interactive:
        required = {
            "--title": title,
            "--title-en": title_en,
            "--category": categories or None,
            "--description": description,
            "--description-en": description_en,
        }
        missing = [flag for flag, value in required.items() if value is None]
        if missing:
            raise click.UsageError(
                f"missing {', '.join(missing)}: pass them as flags, or run in a terminal to be "
                "asked"
            )
    if not interactive and slug is None and not slug_from_title(title_en or ""):
        raise click.UsageError(
            f"--title-en {title_en!r} gives no ASCII slug; pass one with --slug, e.g. --slug "
            "my-first-post"
        )
    ask = Asker(interactive)

    korean_title = ask(title, "--title", "Title (Korean)", one_line)
    english_title = ask(title_en, "--title-en", "Title (English)", one_line)
    shared_slug = ask(
        slug,
        "--slug",
        "Slug (ASCII, shared by both languages)",
        lambda value: check_slug(value, site),
        default=slug_from_title(english_title) or None,
    )
    chosen_categories = ask(
        ",".join(categories) if categories else None,
        "--category",
        f"Categories, comma-separated: {choices(site)}",
        lambda value: resolve_categories(parse_list(value), site),
    )
    korean_tags = ask(tags, "--tags", "Tags (Korean post)", parse_list, default="")
    english_tags = ask(
        tags_en, "--tags-en", "Tags (English post)", parse_list, default=", ".join(korean_tags)
    )
    korean_description = ask(
        description, "--description", "One-line description (Korean)", one_line
    )
    english_description = ask(
        description_en, "--description-en", "One-line description (English)", one_line
    )
    post = NewPost(
        titles={KOREAN: korean_title, ENGLISH: english_title},
        descriptions={KOREAN: korean_description, ENGLISH: english_description},
        tags={KOREAN: korean_tags, ENGLISH: english_tags},
        slug=shared_slug,
        date=ask(date_text, "--date", "Date", parse_date, default=dt.date.today().isoformat()),
        categories=chosen_categories,
        authors=check_authors(list(authors) or sorted(DEFAULT_AUTHORS), site),
    )
    written = []
    for language in (KOREAN, ENGLISH):
        path = site.language_dir(language) / POSTS_DIR / f"{post.slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as file:
            file.write(post.text(language))
        written.append(site.shown(path))
    click.echo(f"Wrote {written[0]} and {written[1]} (both `draft: true`).")
    click.echo(
        f"Next: write the lead above {EXCERPT_SEPARATOR} and the body in both, delete "
        "`draft: true` to publish, and run scripts/check_content.py."
    )


def start_note(
    site: Site,
    interactive: bool,
    folder: str,
    title: str | None,
    title_en: str | None,
    slug: str | None,
    tags: str | None,
    tags_en: str | None,
    description: str | None,
    description_en: str | None,
) -> None:
    required = {
        "--title": title,
        "--title-en": title_en,
        "--description": description,
        "--description-en": description_en,
    }
    missing = [flag for flag, value in required.items() if value is None]
    if missing and not interactive:
        raise click.UsageError(
            f"missing {', '.join(missing)}: pass them as flags, or run in a terminal to be asked"
        )
    ask = Asker(interactive)
    where = ask(folder, "--folder", "Folder under kb/", check_folder)
    korean_title = ask(title, "--title", "Title (Korean)", one_line)
    english_title = ask(title_en, "--title-en", "Title (English)", one_line)
    name = ask(
        slug,
        "--slug",
        "File name (ASCII, shared by both languages)",
        lambda value: check_note_name(value, where, site),
        default=slug_from_title(english_title) or None,
    )
    korean_tags = ask(tags, "--tags", "Tags (Korean note)", parse_list, default="")
    english_tags = ask(
        tags_en, "--tags-en", "Tags (English note)", parse_list, default=", ".join(korean_tags)
    )
    new = NewNote(
        titles={KOREAN: korean_title, ENGLISH: english_title},
        descriptions={
            KOREAN: ask(description, "--description", "One-line description (Korean)", one_line),
            ENGLISH: ask(
                description_en, "--description-en", "One-line description (English)", one_line
            ),
        },
        tags={KOREAN: korean_tags, ENGLISH: english_tags},
        name=name,
        folder=where,
    )
    written = []
    for language in (KOREAN, ENGLISH):
        path = new.path(site, language)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as file:
            file.write(new.text(language))
        written.append(site.shown(path))
    click.echo(f"Wrote {written[0]} and {written[1]}.")
    click.echo(
        "Next: write both, link them from other notes with [[wikilinks]], and run "
        "scripts/check_content.py. The nav and the knowledge base's index list them by "
        "themselves (front matter `order:` to place one first)."
    )


if __name__ == "__main__":
    main()
