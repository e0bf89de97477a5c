"""Build one site twice, with markdown-exec and with fencerun, and compare what each block
shows: the same text in the same structure.

Before building, a marker (`<div class="compared-block">`) is put before every block that
stands outside another fence; a block's result is everything the page shows from its marker
to the next one, read from both builds as a flat list of tags and texts. Left out of the
comparison, as what the two may differ in by design: fencerun's provenance footer, its
wrappers and classes; colour markup (spans in code, ANSI escapes); heading ids and the
numbers in generated ids (a block's id prefix, tab sets, random ids of figures); and what
no reader sees: a script's text, a figure's metadata, an empty paragraph, a paragraph a
browser ends before a block inside it. The projects' paths read `<project>` on both sides.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup, Tag
from bs4.element import Comment, NavigableString

from tests.fencerun.conftest import Build, build_env

SIDES = ("markdown-exec", "fencerun")
MARKER_CLASS = "compared-block"
_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<mark>`{3,}|~{3,})[ \t]*(?P<info>.*)$")
_EXEC_LANGUAGES = r"(?:python|py|pycon|bash|sh|console|md|markdown)"
_EXEC = re.compile(
    rf"^\{{?\s*\.?{_EXEC_LANGUAGES}\b.*\bexec=\"(?!(?:0|no|off|false)\")[^\"]*\"",
    re.IGNORECASE,
)
_DRAWN = re.compile(r"^\{?\s*\.?(?:tree|pyodide)\b")
_ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# Generated ids: the prefix of a block's ids (`exec-N--`, and fencerun's `pyodide-N--` for
# an editor), the number of a tab set in the page (one count for the page in fencerun, one
# per rendered Markdown in markdown-exec, which prefixes those ids too).
_BLOCK_PREFIX = re.compile(r"(?:exec|pyodide)-\d+--")
_TAB_SET = re.compile(r"(?:exec-\d+--)?__tabbed_\d+")
_TAB_COUNT = re.compile(r"^\d+:")
# Random ids: matplotlib's of a figure's clip paths and markers (unless the block salts
# them), and the uuids other libraries (plotly) give their elements.
_FIGURE_ID = re.compile(r"\b[mp][0-9a-f]{10}\b|\b[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}\b")
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_LINKED_ATTRIBUTES = ("id", "href", "xlink:href", "for", "name", "clip-path")
# Where a browser ends a paragraph: before any of these.
_BLOCK_LEVEL = {"div", "pre", "ul", "ol", "table", "p", "details", "blockquote", *_HEADINGS}
DIFF_LINES = 40


@dataclass(frozen=True)
class Block:
    """A fence markdown-exec and fencerun render, with the ones nested in it."""

    page: str
    line: int  # of its opening line in the page, from 1
    header: str  # its opening line
    fences: int  # rendered fences it holds: itself and every nested one

    def __str__(self) -> str:
        return f"{self.page}:{self.line} {self.header.strip()}"


@dataclass(frozen=True)
class Compared:
    block: Block
    diff: str  # "" when both builds show the same; else a short unified diff


@dataclass(frozen=True)
class Builds:
    blocks: list[Block]
    builds: dict[str, Build]  # side -> its build
    site_dirs: dict[str, Path]  # side -> where it built the site


def is_rendered(info: str) -> bool:
    """Whether a fence's info string makes markdown-exec (and fencerun) render it."""
    return bool(_EXEC.match(info) or _DRAWN.match(info))


def mark_blocks(page: str, text: str) -> tuple[str, list[Block]]:
    """The page with a marker before each outermost rendered fence, and those blocks; a
    fence in an HTML comment shows nothing, and is left out."""
    out: list[str] = []
    found: list[tuple[int, str]] = []
    nested: list[int] = []  # rendered fences in each found block, itself included
    open_fence: tuple[str, int] | None = None  # (fence character, length)
    in_block = False  # whether the open fence is a found block
    in_comment = False
    for number, line in enumerate(text.splitlines(keepends=True), 1):
        if open_fence is None and (in_comment or line.lstrip().startswith("<!--")):
            in_comment = "-->" not in line
            out.append(line)
            continue
        match = _FENCE.match(line.rstrip("\n"))
        if match is None:
            out.append(line)
            continue
        if open_fence is not None:
            mark = match["mark"]
            if not match["info"] and mark[0] == open_fence[0] and len(mark) >= open_fence[1]:
                open_fence = None
            elif in_block and is_rendered(match["info"]):
                nested[-1] += 1
            out.append(line)
            continue
        open_fence = (match["mark"][0], len(match["mark"]))
        in_block = is_rendered(match["info"])
        if in_block:
            found.append((number, line.rstrip("\n")))
            nested.append(1)
            out.append(f'\n{match["indent"]}<div class="{MARKER_CLASS}"></div>\n\n')
        out.append(line)
    blocks = [
        Block(page, number, header, count)
        for (number, header), count in zip(found, nested, strict=True)
    ]
    return "".join(out), blocks


def drop_blocks(text: str, needles: Iterable[str]) -> str:
    """The page without each outermost fence whose lines hold one of `needles`, each line
    of it left blank: the other blocks keep their line numbers."""
    wanted = tuple(needles)
    lines = text.splitlines(keepends=True)
    kept: list[str] = []
    fence: list[str] = []  # lines of the open outermost fence
    open_fence: tuple[str, int] | None = None
    for line in lines:
        match = _FENCE.match(line.rstrip("\n"))
        if open_fence is None:
            if match is None:
                kept.append(line)
                continue
            open_fence, fence = (match["mark"][0], len(match["mark"])), [line]
            continue
        fence.append(line)
        if match and not match["info"]:
            mark = match["mark"]
            if mark[0] == open_fence[0] and len(mark) >= open_fence[1]:
                open_fence = None
                dropped = any(needle in "".join(fence) for needle in wanted)
                kept += ["\n"] * len(fence) if dropped else fence
    return "".join(kept + fence if open_fence else kept)


def build_both(
    source: Path,
    entries: Iterable[str],
    where: Path,
    *,
    plugins: Mapping[str, str],
    edit_page: Callable[[str, str], str] = lambda page, text: text,
    edit_config: Callable[[str, str], str] = lambda side, text: text,
) -> Builds:
    """Copy `entries` of `source` (its mkdocs.yml aside) into a project per side, mark the
    blocks of every page (after `edit_page(page, text)`), and build each with its `plugins:`
    section and `source`'s mkdocs.yml as `edit_config(side, text)` makes it; the sites are
    built outside the projects, where no block lists them."""
    env = {"PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")}
    builds: dict[str, Build] = {}
    site_dirs: dict[str, Path] = {}
    blocks: list[Block] = []
    for side in SIDES:
        project = where / side
        project.mkdir(parents=True)
        for entry in entries:
            origin = source / entry
            if origin.is_dir():
                shutil.copytree(origin, project / entry)
            else:
                shutil.copy2(origin, project / entry)
        site_dirs[side] = where / f"site-{side}"
        config = edit_config(side, (source / "mkdocs.yml").read_text(encoding="utf-8"))
        config += f"site_dir: {site_dirs[side]}\n{plugins[side]}"
        (project / "mkdocs.yml").write_text(config, encoding="utf-8")
        blocks = []
        for page in sorted((project / "docs").rglob("*.md")):
            name = page.relative_to(project / "docs").as_posix()
            marked, found = mark_blocks(name, edit_page(name, page.read_text(encoding="utf-8")))
            page.write_text(marked, encoding="utf-8")
            blocks += found
        builds[side] = _build(project, env)
    return Builds(blocks, builds, site_dirs)


def _build(project: Path, env: Mapping[str, str]) -> Build:
    """`mkdocs build --strict` by its command, as authors run it (a block that reads how
    the build was started sees the same under both)."""
    command = [os.path.join(os.path.dirname(sys.executable), "mkdocs"), "build", "--strict"]
    done = subprocess.run(
        command,
        cwd=project,
        env=build_env(env),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return Build(project, done.returncode, done.stdout + done.stderr)


def page_html(site: Path, page: str) -> Path:
    """Where MkDocs (with directory URLs) writes a page."""
    stem = page.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return site / f"{stem}.html"
    return site / stem / "index.html"


def compare(builds: Builds) -> list[Compared]:
    """Each block of `builds` with the difference between what the two sides show for it."""
    compared: list[Compared] = []
    by_page: dict[str, list[Block]] = {}
    for block in builds.blocks:
        by_page.setdefault(block.page, []).append(block)
    for page, blocks in by_page.items():
        shown = {
            side: shown_results(
                page_html(builds.site_dirs[side], page).read_text("utf-8"),
                {str(builds.builds[side].project): "<project>"},
            )
            for side in SIDES
        }
        for side, results in shown.items():
            assert len(results) == len(blocks) + 1, f"{page}: {side} lost a block's marker"
        pairs = zip(shown[SIDES[0]][1:], shown[SIDES[1]][1:], strict=True)
        for block, (theirs, ours) in zip(blocks, pairs, strict=True):
            diff = difflib.unified_diff(theirs, ours, *SIDES, n=2, lineterm="")
            lines = list(diff)
            cut = lines[:DIFF_LINES] + (["..."] if len(lines) > DIFF_LINES else [])
            compared.append(Compared(block, "\n".join(cut)))
    return compared


def shown_results(html: str, paths: Mapping[str, str] = {}) -> list[list[str]]:
    """What a page shows, cut at each block's marker: the part before the first block, then
    each block's result, as lines of tags and texts."""
    soup = BeautifulSoup(html, "html.parser")
    article = soup.select_one("article") or soup.body
    assert isinstance(article, Tag)
    _normalize(article, paths)
    results: list[list[str]] = [[]]
    _flatten(article, results, in_pre=False)
    return results


def _normalize(article: Tag, paths: Mapping[str, str]) -> None:
    """Take out what the two sides may differ in: fencerun's footers, wrappers and classes,
    colour and highlighting markup, heading ids and the numbers in generated ids, and what
    no reader sees (empty paragraphs, a figure's metadata); name the machine's `paths` as
    fencerun does."""
    for footer in article.select("p.fencerun-provenance"):
        footer.decompose()
    for wrapper in article.select("div.fencerun-long"):
        wrapper.unwrap()
    for span in article.select("pre span, code span"):
        span.unwrap()
    for hidden in article.find_all("metadata"):
        hidden.decompose()
    for paragraph in article.find_all("p"):
        if any(isinstance(child, Tag) and child.name in _BLOCK_LEVEL for child in paragraph):
            paragraph.unwrap()
    for tag in article.find_all(True):
        _normalize_attributes(tag)
    for script in article.find_all("script"):
        script.clear()  # what it does shows in a browser, not in the HTML
    article.smooth()
    for text in article.find_all(string=True):
        replaced = str(text)
        for path, name in paths.items():
            replaced = replaced.replace(path, name)
        if replaced != text:
            text.replace_with(NavigableString(replaced))
    for paragraph in article.find_all("p"):
        if not paragraph.get_text(strip=True) and not paragraph.find(True):
            paragraph.decompose()


def _normalize_attributes(tag: Tag) -> None:
    if tag.name in _HEADINGS:
        tag.attrs.pop("id", None)
    classes = tag.get("class")
    if isinstance(classes, list):
        if "headerlink" in classes:
            tag.attrs.pop("href", None)
        kept = " ".join(name for name in classes if not name.startswith("fencerun-"))
        if kept:
            tag["class"] = kept
        else:
            del tag["class"]
    for name in _LINKED_ATTRIBUTES:
        value = tag.get(name)
        if isinstance(value, str):
            value = _FIGURE_ID.sub("pN", _TAB_SET.sub("__tabbed_N", value))
            tag[name] = _BLOCK_PREFIX.sub("ID--", value)
    count = tag.get("data-tabs")
    if isinstance(count, str):
        tag["data-tabs"] = _TAB_COUNT.sub("N:", count)


def _flatten(node: Tag, results: list[list[str]], *, in_pre: bool) -> None:
    for child in node.children:
        if isinstance(child, Comment):
            continue
        if isinstance(child, NavigableString):
            text = _ANSI_ESCAPE.sub("", str(child))
            if in_pre:
                results[-1] += [f"| {line}" for line in text.split("\n")]
            elif words := " ".join(text.split()):
                results[-1].append(f"| {words}")
            continue
        if not isinstance(child, Tag):
            continue
        if MARKER_CLASS in (child.get("class") or []):
            results.append([])
            continue
        results[-1].append(_opening(child))
        _flatten(child, results, in_pre=in_pre or child.name == "pre")
        results[-1].append(f"</{child.name}>")


def _opening(tag: Tag) -> str:
    attributes = []
    for name, value in sorted(tag.attrs.items()):
        words = value.split() if name == "class" and isinstance(value, str) else value
        shown = " ".join(sorted(words)) if isinstance(words, list) else words
        attributes.append(f' {name}="{shown}"')
    return f"<{tag.name}{''.join(attributes)}>"
