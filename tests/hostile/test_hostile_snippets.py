"""A block cannot publish through pymdownx.snippets what it could not read: the snippet lines of
its output include only files of its own view; any other shows as the block printed it, with a
warning naming the block."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fencerun.isolation.project_view import project_view
from fencerun.render.snippets import SnippetView, confine
from markdown import Markdown

from tests.fencerun.conftest import PLAIN_MKDOCS_YML, Build, build, section, write_project

TOKEN = "ghp_fencerunSnippetToken0123456789"
OUTSIDE_TOKEN = "fencerun-outside-the-project-0123"
ALLOWED = "allowed-snippet **text**"
SNIPPETS_YML = "  - pymdownx.snippets:\n      base_path: [.]\n      check_paths: true\n"

PAGE = """\
# Snippets

## Markdown output

```bash exec="on" markdown="on"
echo '--8<-- ".git/config"'
```

## HTML output

```bash exec="on" html="on"
echo '--8<-- ".git/config"'
```

## Plain output

```bash exec="on"
echo '--8<-- ".git/config"'
```

## Block of names

```bash exec="on"
printf -- '--8<--\\n.git/config\\n--8<--\\n'
```

## Link out of the project

```bash exec="on"
echo '--8<-- "includes/out.md"'
```

## Allowed in Markdown

```bash exec="on" markdown="on"
echo '--8<-- "docs/snippets/x.md"'
```

## Allowed in plain text

```bash exec="on"
echo '--8<-- "docs/snippets/x.md"'
```

## Escaped

```bash exec="on"
echo ';--8<-- "docs/snippets/x.md"'
```

## In a blockquote

> ```bash exec="on" markdown="on"
> echo '--8<-- ".git/config"'
> ```
>
> ```bash exec="on"
> echo ';--8<-- "docs/snippets/x.md"'
> ```

## Nested in literate Markdown

````md exec="on"
```bash exec="on" markdown="on"
echo '--8<-- ".git/config"'
```

```bash exec="on"
echo '--8<-- ".git/config"'
```
````
"""


def fence_line(heading: str) -> int:
    """The page line (1-based, as warnings count) of the first fence under `heading`."""
    lines = PAGE.split("\n")
    return lines.index(f"## {heading}") + 3


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Build:
    root = tmp_path_factory.mktemp("snippets")
    project = root / "project"
    write_project(
        project, {"index.md": PAGE}, mkdocs_yml=PLAIN_MKDOCS_YML.format(plugin_options="")
    )
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as yml:
        yml.write(SNIPPETS_YML)
    (project / ".git").mkdir()
    (project / ".git" / "config").write_text(f"[github]\n\ttoken = {TOKEN}\n")
    (project / "docs" / "snippets").mkdir()
    (project / "docs" / "snippets" / "x.md").write_text(ALLOWED + "\n")
    (root / "outside.md").write_text(OUTSIDE_TOKEN + "\n")
    (project / "includes").mkdir()
    (project / "includes" / "out.md").symlink_to(root / "outside.md")
    # Not strict: a refused line is a warning, which --strict makes an error.
    return build(project, strict=False)


@pytest.fixture(scope="module")
def soup(built: Build) -> BeautifulSoup:
    return built.soup()


def shown(soup: BeautifulSoup, heading_id: str) -> str:
    return "\n".join(element.get_text() for element in section(soup, heading_id))


def shown_lines(soup: BeautifulSoup, heading_id: str) -> list[str]:
    return shown(soup, heading_id).splitlines()


def test_no_built_page_holds_a_file_the_blocks_could_not_read(built: Build) -> None:
    assert built.returncode == 0, built.output
    for page in (built.project / "site").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert TOKEN not in text, page
        assert OUTSIDE_TOKEN not in text, page


@pytest.mark.parametrize("heading_id", ["markdown-output", "html-output", "plain-output"])
def test_a_refused_line_shows_as_the_block_printed_it(soup: BeautifulSoup, heading_id: str) -> None:
    assert '--8<-- ".git/config"' in shown_lines(soup, heading_id)


def test_a_refused_block_of_names_and_a_link_out_show_as_printed(soup: BeautifulSoup) -> None:
    assert "--8<--\n.git/config\n--8<--" in shown(soup, "block-of-names")
    assert '--8<-- "includes/out.md"' in shown_lines(soup, "link-out-of-the-project")


@pytest.mark.parametrize(
    ("heading", "name"),
    [
        ("Markdown output", ".git/config"),
        ("HTML output", ".git/config"),
        ("Plain output", ".git/config"),
        ("Block of names", ".git/config"),
        ("Link out of the project", "includes/out.md"),
        ("In a blockquote", ".git/config"),
    ],
)
def test_each_refusal_is_a_warning_naming_the_block_and_the_file(
    built: Build, heading: str, name: str
) -> None:
    warning = next(
        line
        for line in built.output.splitlines()
        if line.startswith("WARNING") and f"docs/index.md:{fence_line(heading)}: " in line
    )
    assert f'"{name}"' in warning and "shown as text" in warning


def test_a_file_the_blocks_can_read_is_still_included(soup: BeautifulSoup, built: Build) -> None:
    markdown = section(soup, "allowed-in-markdown")
    assert [strong.get_text() for e in markdown for strong in e.select("strong")] == ["text"]
    assert ALLOWED in shown(soup, "allowed-in-plain-text")
    assert '"docs/snippets/x.md"' not in built.output


def test_a_line_the_block_escaped_itself_shows_as_printed(soup: BeautifulSoup) -> None:
    assert ';--8<-- "docs/snippets/x.md"' in shown_lines(soup, "escaped")


def test_in_a_blockquote_only_a_markdown_outputs_own_conversion_reads_snippet_lines(
    soup: BeautifulSoup,
) -> None:
    quoted = shown_lines(soup, "in-a-blockquote")
    assert '--8<-- ".git/config"' in quoted
    assert ';--8<-- "docs/snippets/x.md"' in quoted


def test_blocks_in_literate_markdown_are_confined_for_its_reading_too(
    soup: BeautifulSoup, built: Build
) -> None:
    # Snippets reads a literate output once more, when it is converted as Markdown.
    lines = [line.strip() for line in shown_lines(soup, "nested-in-literate-markdown")]
    assert lines.count('--8<-- ".git/config"') == 2
    first = fence_line("Nested in literate Markdown") + 1
    for line in (first, first + 4):
        assert any(
            text.startswith("WARNING") and f"docs/index.md:{line}: " in text
            for text in built.output.splitlines()
        ), line


# -- every form snippets reads, checked against snippets itself ---------------------------

REFUSED = [
    '--8<-- ".git/config"',
    "-8<- '.git/config'",
    '---8<--- ".git/config"',
    '  --8<-- ".git/config"',
    '\t--8<--\t".git/config"',
    '--8<-- ".git/config:1:2"',
    '--8<-- ".git/config:2"',
    '--8<-- ".git/config:github"',
    '--8<-- "docs/../.git/config"',
    '--8<-- "sub/.git/config"',
    '--8<-- "../outside.md"',
    '--8<-- "{root}/outside.md"',
    '--8<-- "docs/out.md"',
    '--8<-- "docs/into-git.md"',
    '--8<-- ".cache/x.md"',
    '--8<-- ".venv/x.md"',
    '--8<-- "store/x.md"',
    '--8<-- "public/x.md"',
    '--8<-- "missing.md"',
    '--8<-- "https://127.0.0.1:9/x.md"',
    '--8<-- ":1:2"',
    "--8<--\n.git/config\n--8<--",
    "--8<--\ndocs/x.md\n.git/config\n--8<--",
    "--8<--\n.git/config",
    ';--8<-- ".git/config"',
    ";;--8<-- 'docs/x.md'",
    ";--8<--\n.git/config\n;--8<--",
]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project whose hidden and outside files hold the token; docs/x.md is readable."""
    project = tmp_path / "project"
    for hidden in (".git/config", "sub/.git/config", ".cache/x.md", ".venv/x.md"):
        (project / hidden).parent.mkdir(parents=True, exist_ok=True)
        (project / hidden).write_text(f"[github]\ntoken = {TOKEN}\n")
    for hidden in ("store/x.md", "public/x.md"):  # a cache_dir and a site_dir of its own
        (project / hidden).parent.mkdir(parents=True, exist_ok=True)
        (project / hidden).write_text(TOKEN + "\n")
    (tmp_path / "outside.md").write_text(TOKEN + "\n")
    (project / "docs").mkdir()
    (project / "docs" / "x.md").write_text("included\n")
    (project / "docs" / "out.md").symlink_to(tmp_path / "outside.md")
    (project / "docs" / "into-git.md").symlink_to(project / ".git" / "config")
    return project


def view_of(project: Path) -> SnippetView:
    # "store" and "public" stand for a cache_dir and a site_dir of its own.
    return SnippetView(
        project=project_view(project, [project / "store", project / "public"]),
        base_paths=(str(project),),
    )


def snippets_read(text: str, project: Path, passes: int) -> str:
    """What pymdownx.snippets, set up as on this site, makes of `text` read `passes` times."""
    config = {"base_path": [str(project)], "check_paths": True}
    md = Markdown(extensions=["pymdownx.snippets"], extension_configs={"pymdownx.snippets": config})
    lines = text.split("\n")
    for _ in range(passes):
        lines = md.preprocessors["snippet"].run(lines)
    return "\n".join(lines)


@pytest.mark.parametrize("passes", [1, 2])
@pytest.mark.parametrize("printed", REFUSED)
def test_snippets_shows_what_confinement_refused_exactly_as_printed(
    project: Path, printed: str, passes: int
) -> None:
    printed = printed.format(root=project.parent)
    confined, _refused = confine(printed, view_of(project), passes)
    assert snippets_read(confined, project, passes) == printed


@pytest.mark.parametrize("passes", [1, 2])
@pytest.mark.parametrize(
    ("printed", "included", "refused"),
    [
        ('--8<-- "docs/x.md"', "included\n", []),
        ("  -8<- 'docs/x.md:1:1'", "  included", []),
        ("--8<--\ndocs/x.md\n\n;.git/config\n--8<--", "included\n\n", []),
        (
            '--8<--\ndocs/x.md\n--8<-- ".git/config"\n--8<--',
            'included\n\n--8<-- ".git/config"',
            ['".git/config"'],
        ),
    ],
)
def test_snippets_includes_readable_files_once_and_nothing_else(
    project: Path, printed: str, included: str, refused: list[str], passes: int
) -> None:
    confined, said = confine(printed, view_of(project), passes)
    assert snippets_read(confined, project, passes) == included
    assert said == refused
