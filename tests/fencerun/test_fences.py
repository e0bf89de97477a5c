"""The find stage: which fences are blocks, what they hold, and the errors for malformed ones."""

from __future__ import annotations

import textwrap

import pytest
from fencerun.errors import BlockError
from fencerun.fences import find_blocks, scan_page
from fencerun.model import BlockOptions


def page(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def only_block_error(markdown: str) -> BlockError:
    with pytest.raises(BlockError) as caught:
        find_blocks(markdown, "posts/x.md", first_line=4)
    return caught.value


def test_plain_and_brace_headers_give_the_same_options() -> None:
    markdown = page(
        """
        ```python exec="on" source="tabbed-left" result="json" title="a b"
        print(1)
        ```

        ```{.python exec="on" source="tabbed-left" result=json title="a b"}
        print(1)
        ```
        """
    )
    first, second = find_blocks(markdown, "a.md")
    assert first.block.options == second.block.options
    assert first.block.options.source == "tabbed-left"
    assert first.block.options.result == "json"
    assert first.block.options.title == "a b"
    assert (first.block.index, second.block.index) == (0, 1)


def test_line_numbers_count_from_first_line_and_spans_include_fence_lines() -> None:
    markdown = page(
        """
        intro

        ```bash exec="on"
        echo hi
        ```
        """
    )
    (found,) = find_blocks(markdown, "guide/shell.md", first_line=5)
    assert str(found.block.location) == "guide/shell.md:7"
    assert (found.start, found.end) == (2, 4)
    assert found.block.code == "echo hi"


def test_every_option_is_read_into_its_field() -> None:
    header = (
        'python exec="on" source="below" result="text" returncode="3" session="s" id="demo" '
        'idprefix="" tabs="Code|Out" title="T" width="80" workdir="examples" updatetoc="no" '
        'timeout="2.5" freeze="true" provenance="off"'
    )
    (found,) = find_blocks(f"```{header}\nx\n```", "a.md")
    assert found.block.options == BlockOptions(
        source="below", result="text", returncode=3, session="s", id="demo", idprefix="",
        tabs=("Code", "Out"), title="T", width=80, workdir="examples", updatetoc=False,
        timeout=2.5, freeze=True, provenance=False,
    )  # fmt: skip


def test_markdown_default_applies_unless_the_block_says_otherwise() -> None:
    markdown = '```python exec="on"\nx\n```\n\n```python exec="on" markdown="off"\ny\n```'
    first, second = find_blocks(markdown, "a.md", markdown_default=True)
    assert first.block.options.markdown is True
    assert second.block.options.markdown is False


def test_nested_fences_in_lists_admonitions_tabs_and_quotes_are_found_and_dedented() -> None:
    markdown = page(
        """
        - step

            ```sh exec="on"
            echo one
              two
            ```

        !!! note

            === "Tab"

                ```python exec="on"
                print(2)
                ```

        > ```console exec="on"
        > $ echo three
        >
        > ```
        """
    )
    blocks = find_blocks(markdown, "a.md")
    assert [f.block.code for f in blocks] == ["echo one\n  two", "print(2)", "$ echo three\n"]
    assert [f.indent for f in blocks] == ["    ", "        ", "> "]


def test_exec_fences_inside_another_fence_are_examples_not_blocks() -> None:
    markdown = page(
        """
        ````markdown
        ```python exec="on"
        print("shown, never run")
        ```
        ````

        ```python
        text = '''
        ```bash exec="on"
        '''
        ```
        """
    )
    assert find_blocks(markdown, "a.md") == []


def test_a_longer_backtick_line_does_not_close_the_fence() -> None:
    markdown = '```python exec="on"\nprint("````")\n````\n```'
    (found,) = find_blocks(markdown, "a.md")
    assert found.block.code == 'print("````")\n````'


def test_exec_off_fences_are_reported_as_plain_code_not_blocks() -> None:
    fences = scan_page('```python exec="off" title="t" source="above"\nx\n```', "a.md")
    assert fences.blocks == []
    (disabled,) = fences.disabled
    assert (disabled.language, disabled.title, disabled.start) == ("python", "t", 0)


def test_bare_exec_flag_in_both_forms_runs_the_block() -> None:
    markdown = "```python exec\nx\n```\n\n```{.python exec}\ny\n```"
    assert len(find_blocks(markdown, "a.md")) == 2


def test_py_is_an_alias_for_python() -> None:
    (found,) = find_blocks('```py exec="on"\nx\n```', "a.md")
    assert found.block.language == "python"


@pytest.mark.parametrize(
    ("header", "message", "hint"),
    [
        ('ruby exec="on"', "exec fence with 'ruby'", "remove exec"),
        ('exec="on"', "exec fence with no language", "right after the backticks"),
        ("python exec=on", "value of exec is not quoted", 'exec="on"'),
        ('python exec="on" source=above', "value of source is not quoted", 'source="above"'),
        ('python exec="on" sorce="above"', "unknown option sorce", "did you mean source"),
        ('python exec="maybe"', 'exec="maybe" is not on or off', 'exec="on"'),
        ('python exec="on" source="left"', 'source="left" is not a place', "tabbed-left"),
        ('python exec="on" returncode="one"', 'returncode="one" is not', "returncode="),
        ('python exec="on" returncode="300"', "not an exit code", "returncode="),
        ('python exec="on" timeout="0"', 'timeout="0" is not a number of seconds', "timeout="),
        ('python exec="on" timeout="soon"', "not a number of seconds", "timeout="),
        ('python exec="on" workdir=""', "workdir is empty", "workdir="),
        ('python exec="on" tabs="only"', "does not name two tabs", "Code|Output"),
        ('python exec="on" width="wide"', "not a number of columns", "width="),
        ('python exec="on" html="on" markdown="on"', "two different things", "keep one"),
        ('python exec="on" html="on" result="json"', "no effect with html", "remove result"),
        ('python exec="on" title="x', "has no closing", "close the quote"),
        ('python exec="on" id="a" id="b"', "given twice", "keep one"),
        ('{.python exec="on"', "is not closed", "close it"),
        ('{.python .extra exec="on"}', "extra classes .extra", "language class"),
        ('{.python #x exec="on"}', "'#x' sets an HTML id", 'id="x"'),
    ],
)
def test_malformed_exec_fences_are_block_errors_with_file_line_and_hint(
    header: str, message: str, hint: str
) -> None:
    error = only_block_error(f"text\n\n```{header}\nprint(1)\n```\n")
    assert str(error.location) == "posts/x.md:6"
    assert message in error.message
    assert hint in error.hint
    assert str(error).startswith("posts/x.md:6: ")


def test_unterminated_exec_fence_is_an_error_naming_its_opening_line() -> None:
    error = only_block_error('```bash exec="on"\necho never closed\n')
    assert str(error.location) == "posts/x.md:4"
    assert "never closed" in error.message


def test_body_line_indented_less_than_the_fence_is_an_error() -> None:
    error = only_block_error('- item\n\n    ```bash exec="on"\n    echo a\n  echo b\n    ```\n')
    assert str(error.location) == "posts/x.md:6"
    assert "line 8 of the block is indented less" in error.message


def test_unterminated_plain_fence_is_not_an_error() -> None:
    assert find_blocks("```text\nno end\n", "a.md") == []


def test_describe_shows_the_path_under_the_docs_folder() -> None:
    error = only_block_error('```python exec="on" nope="1"\nx\n```')
    assert error.describe("docs/").startswith("docs/posts/x.md:4: unknown option nope")


def test_exec_fences_in_a_literate_body_are_blocks_at_their_own_line_and_depth() -> None:
    markdown = page(
        """
        `````md exec="on"
        ```python exec="on"
        print(1)
        ```

        > ````md exec="on"
        > ```bash exec="on"
        > echo 2
        > ```
        > ````
        `````

        ````md exec="on" result="text"
        ```python exec="on"
        print("shown as text, as markdown-exec shows it: never run")
        ```
        ````
        """
    )
    outer, first, inner, second, as_text = find_blocks(markdown, "a.md", first_line=3)
    assert as_text.block.language == "markdown" and as_text.parent is None
    assert [str(f.block.location) for f in (outer, first, inner, second)] == [
        "a.md:3", "a.md:4", "a.md:8", "a.md:9",
    ]  # fmt: skip
    assert [f.block.index for f in (outer, first, inner, second)] == [0, 1, 2, 3]
    assert (first.parent, inner.parent, second.parent) == (outer, outer, inner)
    assert (second.start, second.indent, second.block.code) == (0, "", "echo 2")
