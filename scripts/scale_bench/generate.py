"""Grows a copy of the site by synthetic knowledge-base notes, the same file names in
Korean and English, as its author's knowledge base will be in a few years.

A note is made of the knowledge base's own sentences, reshuffled (the same seed gives the
same notes): a title and a few sections with headings, tags from one list of paired Korean
and English tags, links to other notes, every tenth note a cheap shell block and every
hundredth a small matplotlib figure. The notes are added to both languages' nav, under the
knowledge base, as an author lists them by hand today.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

from .queries import PLANTED_QUERIES, PlantedQuery
from .sentences import prose_sentences

LANGUAGES = ("ko", "en")
NOTES_DIR = "kb/scale"  # inside each language's folder of docs/
NAV_SECTION = {"ko": "노트", "en": "Notes"}
TOPICS = (
    ("리눅스", "Linux"),
    ("컨테이너", "Containers"),
    ("네트워크", "Networking"),
    ("메모리", "Memory"),
    ("디스크", "Disk"),
    ("프로세스", "Processes"),
    ("보안", "Security"),
    ("운영", "Operations"),
    ("모니터링", "Monitoring"),
    ("장애 대응", "Incident response"),
    ("자동화", "Automation"),
    ("성능", "Performance"),
)
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
LINK = {"ko": "노트 {number}", "en": "Note {number}"}
RELATED = {"ko": "관련 노트: ", "en": "Related: "}
KB_HOME = {"ko": "지식 베이스", "en": "Knowledge base"}
BLOCK_EVERY = 10
FIGURE_EVERY = 100
LINKS_PER_NOTE = 3
KB_NAV_ENTRY = re.compile(r"^(\s+)- kb/[^/\s]+\.md$")
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
        folder = project / "docs" / language / NOTES_DIR
        folder.mkdir(parents=True)
        # One generator per language, seeded alike: a note's tags, links and blocks are
        # the same in both languages, as in a translation.
        shape = random.Random(seed)
        words = random.Random(f"{seed}-{language}")
        for number in range(1, notes + 1):
            planted = planted_in.get(number) if language == "ko" else None
            text = _note(language, number, notes, sentences[language], shape, words, planted)
            (folder / _file_name(number)).write_text(text, encoding="utf-8")
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


def _file_name(number: int) -> str:
    return f"note-{number:05d}.md"


def _url(number: int) -> str:
    return f"{NOTES_DIR}/{_file_name(number).removesuffix('.md')}/"


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
    topic = shape.randrange(len(TOPICS))
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
            lines += ["", _links(language, linked)]
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


def _links(language: str, linked: list[int]) -> str:
    targets = [f"[{LINK[language].format(number=n)}]({_file_name(n)})" for n in linked]
    # A link out of the notes, to the knowledge base's front page, as notes have.
    targets.append(f"[{KB_HOME[language]}](../index.md)")
    return RELATED[language] + ", ".join(targets)


def _add_to_nav(mkdocs_yml: Path, notes: int) -> None:
    """The notes as a section after each language's last knowledge-base page (by text: the
    file has tags such as !ENV that a YAML round trip would lose)."""
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
        if entry and not KB_NAV_ENTRY.match(following) and locale in NAV_SECTION:
            indent = entry.group(1)
            grown.append(f"{indent}- {NAV_SECTION[locale]}:")
            grown += [f"{indent}    - {NOTES_DIR}/{_file_name(n)}" for n in range(1, notes + 1)]
            added.append(locale)
    if sorted(added) != sorted(LANGUAGES):
        raise SystemExit(
            f"error: {mkdocs_yml.name}: found the knowledge base's nav for {added or 'no'} "
            f"language, expected {list(LANGUAGES)}; the benchmark lists the notes after each "
            "language's last `- kb/<page>.md` nav entry"
        )
    mkdocs_yml.write_text("\n".join(grown) + "\n", encoding="utf-8")
