"""How outputs show: text by default and inert, HTML or Markdown only when asked, ANSI colours,
the provenance footer, and exec="off" blocks."""

from __future__ import annotations

import getpass
import platform
import re
import socket
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from tests.fencerun.conftest import (
    PLAIN_MKDOCS_YML,
    Build,
    build,
    build_pages,
    section,
    write_project,
)

PAGE = """
# Outputs

## Text

```python exec="on"
print("_not italic_ **not bold** <script>alert('x')</script> {{ template }}")
```

## Fence in output

```python exec="on"
print("```python exec=\\"on\\"")
print("print('smuggled')")
print("```")
print("after-the-fence")
```

## Exec fence in Markdown output

```python exec="on" markdown="on"
print("**asked for markdown**")
print()
print("```bash exec=\\"on\\"")
print("echo should-never-run > ran.txt")
print("```")
```

## HTML

```bash exec="on" html="on"
echo '<em class="from-html">raw</em>'
```

## ANSI

```bash exec="on" result="ansi"
printf '\\033[31mred\\033[0m and \\033[1;32mbold green\\033[0m <tag>\\n'
```

## Footer off

```python exec="on" provenance="off"
print("no-footer-here")
```

## Disabled

```python exec="off" title="shown.py" source="above"
print("disabled block")
```

## Private paths

```bash exec="on" workdir="docs" markdown="on"
printf 'markdown in %s and `%s`\\n' "$(pwd)" "$(pwd)"
```

```bash exec="on" workdir="docs" html="on"
echo "<p class=\"html-path\">html in $(pwd)</p>"
```

## Child processes

```python exec="on"
import os
import sys
os.chdir("/")
os.environ["LEAKED"] = "yes"
print("leaving-early", flush=True)
sys.exit(0)
```

```python exec="on"
import os
print("next-block-cwd-is-root", os.getcwd() == "/")
print("next-block-sees", os.environ.get("LEAKED", "nothing"))
```
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Build:
    result = build_pages(tmp_path_factory.mktemp("outputs"), {"index.md": PAGE})
    assert result.returncode == 0, result.output
    return result


@pytest.fixture(scope="module")
def soup(built: Build) -> BeautifulSoup:
    return built.soup()


def classes(element: Tag) -> list[str]:
    return list(element.get("class") or [])


def test_text_output_is_escaped_and_not_markdown(soup: BeautifulSoup) -> None:
    (output,) = [e for e in section(soup, "text") if e.select("pre")]
    shown = "_not italic_ **not bold** <script>alert('x')</script> {{ template }}"
    assert shown in output.get_text()
    assert output.find("em") is None and output.find("strong") is None
    assert output.find("script") is None


def test_a_fence_printed_by_a_block_stays_text_and_does_not_run(soup: BeautifulSoup) -> None:
    (output,) = [e for e in section(soup, "fence-in-output") if e.select("pre")]
    text = output.get_text()
    assert "```python exec=\"on\"\nprint('smuggled')\n```\nafter-the-fence" in text


def test_exec_fence_in_markdown_output_is_shown_as_code_and_never_runs(
    soup: BeautifulSoup, built: Build
) -> None:
    elements = section(soup, "exec-fence-in-markdown-output")
    assert any(e.find("strong") for e in elements)
    inert = [e for e in elements if "fencerun-inert" in classes(e)]
    assert len(inert) == 1 and "should-never-run" in inert[0].get_text()
    assert not (built.project / "ran.txt").exists()
    assert "blocks 10 run, 0 reused, 0 failed" in built.output


def test_private_paths_show_by_their_names_in_markdown_and_html_outputs(
    soup: BeautifulSoup,
) -> None:
    (markdown,) = [e for e in section(soup, "private-paths") if e.find("code")]
    assert markdown.get_text() == "markdown in <project>/docs and <project>/docs"
    html = soup.select_one("p.html-path")
    assert html is not None and html.get_text() == "html in <project>/docs"


def test_html_option_inserts_raw_html(soup: BeautifulSoup) -> None:
    em = soup.select_one("em.from-html")
    assert em is not None and em.get_text() == "raw"


def test_ansi_colours_become_coloured_spans_and_text_stays_escaped(soup: BeautifulSoup) -> None:
    (ansi,) = soup.select(".fencerun-ansi")
    spans = {span.get_text(): str(span.get("style", "")) for span in ansi.select("span")}
    assert "color" in spans["red"] and "color" in spans["bold green"]
    assert "bold" in spans["bold green"]
    assert "<tag>" in ansi.get_text() and ansi.find("tag") is None
    assert "\x1b" not in ansi.get_text()


def test_each_output_has_a_provenance_footer_unless_turned_off(soup: BeautifulSoup) -> None:
    text_footer = [e for e in section(soup, "text") if "fencerun-provenance" in classes(e)]
    assert len(text_footer) == 1
    footer = text_footer[0].get_text()
    assert footer.startswith("Ran on ") and "\u00a0s" in footer and "took" in footer
    assert text_footer[0].find("time") is not None
    off = section(soup, "footer-off")
    assert "no-footer-here" in "".join(e.get_text() for e in off)
    assert not [e for e in off if "fencerun-provenance" in classes(e)]


def test_the_footer_names_system_interpreter_and_time_never_the_machine_or_its_user(
    soup: BeautifulSoup,
) -> None:
    (footer,) = [e for e in section(soup, "text") if "fencerun-provenance" in classes(e)]
    system, interpreter, moment, took = footer.get_text().removeprefix("Ran on ").split(" · ")
    assert system.endswith(f"(kernel {platform.release()})")
    assert interpreter == f"{platform.python_implementation()} {platform.python_version()}"
    assert moment.startswith("20") and took.startswith("took ")
    # Whole words: a short host or user name may well be part of a longer word.
    shown = " ".join(e.get_text() for e in soup.select(".fencerun-provenance"))
    words = set(re.findall(r"[\w.-]+", shown))
    assert socket.gethostname() not in words
    assert getpass.getuser() not in words


def test_exec_off_shows_the_code_as_an_ordinary_block(soup: BeautifulSoup) -> None:
    elements = section(soup, "disabled")
    assert len(elements) == 1
    assert 'print("disabled block")' in elements[0].get_text()
    assert "shown.py" in elements[0].get_text()


def test_blocks_run_in_child_processes_that_cannot_end_the_build_or_move_the_next_block(
    soup: BeautifulSoup,
) -> None:
    text = "".join(e.get_text() for e in section(soup, "child-processes"))
    assert "leaving-early" in text
    assert "next-block-cwd-is-root False" in text
    assert "next-block-sees nothing" in text


def test_footer_can_be_turned_off_for_the_whole_site(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    page = (
        '```python exec="on"\nprint("quiet")\n```\n\n'
        '```python exec="on" provenance="on"\nprint("loud")\n```\n'
    )
    result = build_pages(
        tmp_path_factory.mktemp("no-footer"), {"index.md": page}, plugin_options="provenance: false"
    )
    assert result.returncode == 0, result.output
    footers = result.soup().select(".fencerun-provenance")
    assert len(footers) == 1
    assert "loud" in str(footers[0].find_previous("pre"))


def test_an_exec_fence_from_an_included_file_is_shown_as_code_with_a_warning(
    tmp_path: Path,
) -> None:
    yml = (
        PLAIN_MKDOCS_YML.format(plugin_options="")
        + "  - pymdownx.snippets:\n      base_path: [.]\n"
    )
    write_project(tmp_path, {"index.md": '# Page\n\n--8<-- "included.md"\n'}, mkdocs_yml=yml)
    (tmp_path / "included.md").write_text('```bash exec="on"\necho from-snippet\n```\n')
    result = build(tmp_path, strict=False)
    assert result.returncode == 0, result.output
    assert "reached Markdown without being in a page's own source" in result.output
    inert = result.soup().select(".fencerun-inert")
    assert len(inert) == 1 and inert[0].get_text() == "echo from-snippet"
    assert build(tmp_path).returncode == 1  # --strict turns the warning into a failure


def test_a_result_fence_pygments_does_not_draw_keeps_the_outputs_line_ends(
    tmp_path: Path,
) -> None:
    # markdown-exec's gallery pipes pipdeptree's graph into result="mermaid".
    yml = PLAIN_MKDOCS_YML.format(plugin_options="").replace(
        "  - pymdownx.superfences\n",
        "  - pymdownx.superfences:\n      custom_fences:\n        - name: mermaid\n"
        "          class: mermaid\n"
        "          format: !!python/name:pymdownx.superfences.fence_code_format\n",
    )
    page = '```bash exec="on" result="mermaid"\nprintf "graph LR\\n  a --> b\\n\\n\\n"\n```\n'
    write_project(tmp_path, {"index.md": page}, mkdocs_yml=yml)
    result = build(tmp_path)
    assert result.returncode == 0, result.output
    (graph,) = result.soup().select("pre.mermaid code")
    assert graph.get_text() == "graph LR\n  a --> b\n\n\n"  # what markdown-exec shows


# Over 300 kB of SVG each: past the 200,000-byte output cap.
PRINTED_FIGURES = """
# Figures

```python exec="on" html="on"
import random, sys
import matplotlib.pyplot as plt
random.seed(1)
plt.scatter([random.random() for _ in range(3000)], [random.random() for _ in range(3000)])
plt.savefig(sys.stdout, format="svg")
```

```python exec="on" html="on"
import random
from io import StringIO
import matplotlib.pyplot as plt
random.seed(2)
plt.figure()
plt.scatter([random.random() for _ in range(3000)], [random.random() for _ in range(3000)])
buffer = StringIO()
plt.savefig(buffer, format="svg")
print(buffer.getvalue())
```
"""


def test_a_printed_svg_figure_is_never_cut_by_the_output_cap(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    built = build_pages(tmp_path_factory.mktemp("printed-figures"), {"index.md": PRINTED_FIGURES})
    assert built.returncode == 0, built.output
    html = built.html()
    assert "output truncated" not in html
    figures = built.soup().select("svg")
    assert len(figures) == 2
    for figure in figures:
        # Every marker of the scatter, inline as markdown-exec puts it in the page.
        assert len(figure.select("use")) >= 3000
    assert html.count("</svg>") == 2
    assert sum(len(str(figure).encode()) for figure in figures) > 2 * 200_000
