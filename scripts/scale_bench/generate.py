"""Grows a copy of the site by synthetic knowledge-base notes, the same file names in
Korean and English, as its author's knowledge base will be in a few years.

A note is made of the knowledge base's own sentences, reshuffled (the same seed gives the
same notes): a title and a few sections with headings, tags from one list of paired Korean
and English tags, links to other notes, every tenth note a cheap shell block and every
hundredth a small matplotlib figure. The notes are filed as an author files them: by topic,
each topic in folders of FOLDER_NOTES notes (kb/scale/linux/part-01/note-00001.md), each
folder with an index page. kb-links makes the site's nav of the folders; the plain build's
nav lists them in mkdocs.yml, the same sections in the same order.
"""

from __future__ import annotations

import json
import posixpath
import random
import re
from dataclasses import dataclass
from pathlib import Path

from .queries import PLANTED_QUERIES, PlantedQuery
from .sentences import prose_sentences

LANGUAGES = ("ko", "en")
NOTES_DIR = "kb/scale"  # inside each language's folder of docs/
NOTES_TITLE = {"ko": "노트", "en": "Notes"}
# Korean, English, and the topic's folder.
TOPICS = (
    ("리눅스", "Linux", "linux"),
    ("컨테이너", "Containers", "containers"),
    ("네트워크", "Networking", "networking"),
    ("메모리", "Memory", "memory"),
    ("디스크", "Disk", "disk"),
    ("프로세스", "Processes", "processes"),
    ("보안", "Security", "security"),
    ("운영", "Operations", "operations"),
    ("모니터링", "Monitoring", "monitoring"),
    ("장애 대응", "Incident response", "incident-response"),
    ("자동화", "Automation", "automation"),
    ("성능", "Performance", "performance"),
)
# Notes a folder holds at most: a few dozen, as the knowledge base's guide asks of authors.
FOLDER_NOTES = 50
HEADINGS = (
    ("배경", "Background"),
    ("살펴보기", "A closer look"),
    ("자주 하는 실수", "Common mistakes"),
    ("명령어", "Commands"),
    ("문제 해결", "Troubleshooting"),
    ("정리", "Summary"),
    ("더 읽을거리", "Further reading"),
)
TITLE = {"ko": "{topic} 노트 {number}", "en": "{topic} note {number}"}
# Not the topic alone: "Processes" would be a second page that [[processes]] names.
TOPIC_TITLE = {"ko": "{topic} 노트", "en": "{topic} notes"}
PART_TITLE = {"ko": "{topic} 묶음 {part}", "en": "{topic}, part {part}"}
INDEX_DESCRIPTION = {"ko": "{title}에 든 노트입니다.", "en": "The notes of {title}."}
LINK = {"ko": "노트 {number}", "en": "Note {number}"}
RELATED = {"ko": "관련 노트: ", "en": "Related: "}
KB_HOME = {"ko": "지식 베이스", "en": "Knowledge base"}
BLOCK_EVERY = 10
FIGURE_EVERY = 100
LINKS_PER_NOTE = 3
KB_NAV_ENTRY = re.compile(r"^(\s+)- kb/[^/\s]+\.md$")
INDEX = "index.md"
LOCALE = re.compile(r"^\s+- locale: (\w+)$")


@dataclass(frozen=True)
class Grown:
    notes: int
    # The Korean note each planted query must find, as a URL path of the built site.
    targets: dict[PlantedQuery, str]
    # A note from which a reader searches: its URL path in each language.
    reader_page: dict[str, str]


def grow(project: Path, notes: int, seed: int) -> Grown:
    """Writes `notes` notes a language into project/docs and lists them in its nav."""
    grown = layout(notes)
    planted_words = [planted.word for planted in PLANTED_QUERIES]
    sentences = {
        language: prose_sentences(project / "docs" / language / "kb", planted_words)
        for language in LANGUAGES
    }
    planted_in = _planted_notes(notes)
    for language in LANGUAGES:
        docs = project / "docs" / language
        for folder, title in _folders(notes, language).items():
            (docs / folder).mkdir(parents=True)
            (docs / folder / INDEX).write_text(_index_page(language, title), encoding="utf-8")
        # One generator per language, seeded alike: a note's tags, links and blocks are
        # the same in both languages, as in a translation.
        shape = random.Random(seed)
        words = random.Random(f"{seed}-{language}")
        for number in range(1, notes + 1):
            planted = planted_in.get(number) if language == "ko" else None
            text = _note(language, number, notes, sentences[language], shape, words, planted)
            (docs / _path(number)).write_text(text, encoding="utf-8")
    _add_to_nav(project / "mkdocs.yml", notes)
    return grown


def layout(notes: int) -> Grown:
    """Where grow puts what the measurements look for, for a copy grown by `notes`."""
    if notes < len(PLANTED_QUERIES) + 2:
        raise SystemExit(f"error: --notes must be at least {len(PLANTED_QUERIES) + 2}")
    return Grown(
        notes,
        {planted: _url(number) for number, planted in _planted_notes(notes).items()},
        {"ko": _url(2), "en": f"en/{_url(2)}"},
    )


def _planted_notes(notes: int) -> dict[int, PlantedQuery]:
    """Spread over the notes, none on note 1 or 2 (the reader's pages)."""
    step = (notes - 2) // len(PLANTED_QUERIES)
    return {3 + index * step: planted for index, planted in enumerate(PLANTED_QUERIES)}


def _topic(number: int) -> int:
    """Notes take the topics in turn, so that every topic grows alike."""
    return (number - 1) % len(TOPICS)


def _part(number: int) -> int:
    return (number - 1) // (len(TOPICS) * FOLDER_NOTES) + 1


def _folder(number: int) -> str:
    """The folder of a note, from its language's root: kb/scale/<topic>/part-NN."""
    return f"{NOTES_DIR}/{TOPICS[_topic(number)][2]}/part-{_part(number):02d}"


def _path(number: int) -> str:
    return f"{_folder(number)}/note-{number:05d}.md"


def _url(number: int) -> str:
    return f"{_path(number).removesuffix('.md')}/"


def _folders(notes: int, language: str) -> dict[str, str]:
    """Every folder the notes fill, parents first, with its index page's title."""
    side = LANGUAGES.index(language)
    folders = {NOTES_DIR: NOTES_TITLE[language]}
    for number in range(1, notes + 1):
        topic, part = TOPICS[_topic(number)], _part(number)
        topic_title = TOPIC_TITLE[language].format(topic=topic[side])
        folders.setdefault(posixpath.dirname(_folder(number)), topic_title)
        title = PART_TITLE[language].format(topic=topic[side], part=part)
        folders.setdefault(_folder(number), title)
    return folders


def _index_page(language: str, title: str) -> str:
    description = INDEX_DESCRIPTION[language].format(title=title)
    return f"---\ndescription: {json.dumps(description, ensure_ascii=False)}\n---\n\n# {title}\n"


def _note(
    language: str,
    number: int,
    notes: int,
    sentences: list[str],
    shape: random.Random,
    words: random.Random,
    planted: PlantedQuery | None,
) -> str:
    side = LANGUAGES.index(language)
    topic = _topic(number)
    tags = [TOPICS[topic][side], TOPICS[shape.randrange(len(TOPICS))][side]]
    linked = shape.sample(range(1, notes + 1), LINKS_PER_NOTE)
    sections = shape.sample(HEADINGS, shape.randint(2, 4))
    lines = [
        "---",
        # JSON's quoted string is YAML too: a sentence may start with ` or hold ": ".
        f"description: {json.dumps(words.choice(sentences), ensure_ascii=False)}",
        f"tags: [{', '.join(dict.fromkeys(tags))}]",
        "---",
        "",
        "# " + TITLE[language].format(topic=TOPICS[topic][side], number=number),
        "",
    ]
    opening = words.sample(sentences, shape.randint(3, 5))
    if planted is not None:
        opening.insert(1, planted.sentence)
    lines += [" ".join(opening), ""]
    for index, heading in enumerate(sections):
        lines += [f"## {heading[side]}", "", " ".join(words.sample(sentences, shape.randint(4, 7)))]
        if index == 0:
            lines += ["", _links(language, number, linked)]
        lines.append("")
    if number % BLOCK_EVERY == 0:
        lines += ['```bash exec="on"', f'echo "note {number}: $((6 * 7))"', "```", ""]
    if number % FIGURE_EVERY == 0:
        lines += [
            '```python exec="on"',
            "import matplotlib.pyplot as plt",
            "",
            f'plt.figure(figsize=(3, 2), label="note {number}")',
            f"plt.plot([1, 2, 3, 4], [{number % 7}, 3, 1, 4])",
            "```",
            "",
        ]
    return "\n".join(lines)


def _links(language: str, number: int, linked: list[int]) -> str:
    here = _folder(number)
    targets = [
        f"[{LINK[language].format(number=n)}]({posixpath.relpath(_path(n), here)})" for n in linked
    ]
    # A link out of the notes, to the knowledge base's front page, as notes have.
    targets.append(f"[{KB_HOME[language]}]({posixpath.relpath(f'kb/{INDEX}', here)})")
    return RELATED[language] + ", ".join(targets)


def _add_to_nav(mkdocs_yml: Path, notes: int) -> None:
    """The notes' folders as sections after each language's last knowledge-base page (by
    text: the file has tags such as !ENV that a YAML round trip would lose)."""
    lines = mkdocs_yml.read_text(encoding="utf-8").splitlines()
    grown: list[str] = []
    locale = ""
    added: list[str] = []
    for index, line in enumerate(lines):
        grown.append(line)
        if found := LOCALE.match(line):
            locale = found.group(1)
        entry = KB_NAV_ENTRY.match(line)
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if entry and not KB_NAV_ENTRY.match(following) and locale in LANGUAGES:
            notes_in: dict[str, list[str]] = {}
            for number in range(1, notes + 1):
                notes_in.setdefault(_folder(number), []).append(_path(number))
            titles = _folders(notes, locale)
            grown += _nav_section(NOTES_DIR, titles, notes_in, entry.group(1))
            added.append(locale)
    if sorted(added) != sorted(LANGUAGES):
        raise SystemExit(
            f"error: {mkdocs_yml.name}: found the knowledge base's nav for {added or 'no'} "
            f"language, expected {list(LANGUAGES)}; the benchmark lists the notes after each "
            "language's last `- kb/<page>.md` nav entry"
        )
    mkdocs_yml.write_text("\n".join(grown) + "\n", encoding="utf-8")


def _nav_section(
    folder: str, titles: dict[str, str], notes_in: dict[str, list[str]], indent: str
) -> list[str]:
    """The nav lines of `folder`: its index page, its subfolders, then its notes."""
    inner = indent + "    "
    lines = [f"{indent}- {json.dumps(titles[folder], ensure_ascii=False)}:"]
    lines.append(f"{inner}- {folder}/{INDEX}")
    for child in titles:
        if posixpath.dirname(child) == folder:
            lines += _nav_section(child, titles, notes_in, inner)
    lines += [f"{inner}- {path}" for path in notes_in.get(folder, [])]
    return lines
