"""Failures: a block that exits otherwise than declared or times out fails `mkdocs build` with
file:line, the tail of its output and how to declare an expected failure; malformed fences are
clear errors, never a traceback."""

from __future__ import annotations

import pytest

from tests.fencerun.conftest import Build, build_pages

FAILING = {
    "index.md": """
        # Fine

        ```python exec="on"
        print("fine")
        ```
    """,
    "guide/broken.md": """
        ---
        title: Broken
        ---

        # Broken

        Some prose.

        ```python exec="on"
        for n in range(30):
            print(f"line {n}")
        raise SystemExit(4)
        ```
    """,
    "guide/slow.md": """
        # Slow

        - in a list

            ```bash exec="on" timeout="0.5"
            echo started
            sleep 20
            ```
    """,
}


@pytest.fixture(scope="module")
def failed(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return build_pages(tmp_path_factory.mktemp("failing"), FAILING)


def test_a_failing_block_fails_the_build(failed: Build) -> None:
    assert failed.returncode == 1
    assert "Traceback" not in failed.output


def test_the_message_names_file_and_line_of_each_failing_block(failed: Build) -> None:
    assert "2 blocks failed" in failed.output
    assert "docs/guide/broken.md:9: python block exited with 4, expected 0" in failed.output
    assert "docs/guide/slow.md:5: bash block was stopped at its timeout" in failed.output


def test_the_message_shows_the_tail_of_the_output(failed: Build) -> None:
    assert "| line 29" in failed.output
    assert "| line 3\n" not in failed.output
    assert "earlier lines]" in failed.output


def test_the_message_says_how_to_declare_an_expected_failure(failed: Build) -> None:
    assert 'returncode="4" in the fence header' in failed.output
    assert 'timeout="SECONDS"' in failed.output


def test_a_declared_exit_code_builds_and_an_undeclared_zero_fails(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    page = """
        ```bash exec="on" returncode="2"
        echo expected
        exit 2
        ```

        ```python exec="on" returncode="1"
        print("claims to fail but exits 0")
        ```
    """
    result = build_pages(tmp_path_factory.mktemp("declared"), {"index.md": page})
    assert result.returncode == 1
    assert "a block failed" in result.output
    assert "docs/index.md:6: python block exited with 0, expected 1" in result.output
    assert "index.md:1" not in result.output


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ('ruby exec="on"', "exec fence with 'ruby'"),
        ("python exec=on", "the value of exec is not quoted"),
        ('python exec="on" workdir="missing"', 'workdir="missing" is not a folder of the project'),
        ('python exec="on" returncode="x"', 'returncode="x" is not an exit code'),
        ('python exec="on" timeout="-1"', 'timeout="-1" is not a number of seconds'),
        ('python exec="on" colour="red"', "unknown option colour"),
    ],
)
def test_malformed_fences_fail_the_build_with_file_line_and_hint(
    tmp_path_factory: pytest.TempPathFactory, header: str, message: str
) -> None:
    page = f"# Page\n\n```{header}\nprint(1)\n```\n"
    result = build_pages(tmp_path_factory.mktemp("malformed"), {"notes/page.md": page})
    assert result.returncode == 1
    assert f"docs/notes/page.md:3: {message}" in result.output
    assert "hint: " in result.output
    assert "Traceback" not in result.output


def test_an_unclosed_exec_fence_is_an_error(tmp_path_factory: pytest.TempPathFactory) -> None:
    page = '# Page\n\n```bash exec="on"\necho never closed\n'
    result = build_pages(tmp_path_factory.mktemp("unclosed"), {"index.md": page})
    assert result.returncode == 1
    assert "docs/index.md:3: the fence opened with ``` is never closed" in result.output


def test_every_malformed_block_of_the_site_is_reported_at_once(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    pages = {
        "a.md": '```python exec="on" sorce="above"\nprint(1)\n```\n',
        "b/c.md": "# C\n\n```bash exec=on\necho\n```\n",
    }
    result = build_pages(tmp_path_factory.mktemp("many-malformed"), pages)
    assert result.returncode == 1
    assert "docs/a.md:1: unknown option sorce" in result.output
    assert "docs/b/c.md:3: the value of exec is not quoted" in result.output
