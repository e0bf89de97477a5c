"""What a block sees of the environment: only what the site's config sets or passes through,
and a change to that reruns the block."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.fencerun.conftest import build, write_project

PAGE = """
# Environment

```python exec="on"
import os
for name in ("GREETING", "FENCERUN_TEST_TOKEN", "FENCERUN_TEST_SECRET"):
    print(name, os.environ.get(name, "unset"))
```

```python exec="on"
import os
from pathlib import Path
config_dir = os.environ["MKDOCS_CONFIG_DIR"]
print("config dir", config_dir, (Path(config_dir) / "mkdocs.yml").is_file())
```
"""

OPTIONS = """
environment:
  GREETING: hello
pass_environment: [FENCERUN_TEST_TOKEN]
"""


@dataclass(frozen=True)
class Shown:
    log: str  # what mkdocs build printed
    text: str  # the page's text right after that build


def build_with(project: Path, token: str) -> Shown:
    result = build(
        project, env={"FENCERUN_TEST_TOKEN": token, "FENCERUN_TEST_SECRET": "must-not-leak"}
    )
    assert result.returncode == 0, result.output
    return Shown(result.output, result.soup().get_text())


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> list[Shown]:
    project = tmp_path_factory.mktemp("environment")
    write_project(project, {"index.md": PAGE}, plugin_options=OPTIONS)
    return [build_with(project, token) for token in ("first", "second", "second")]


def test_blocks_see_set_and_passed_variables_and_nothing_else(builds: list[Shown]) -> None:
    text = builds[0].text
    assert "GREETING hello" in text
    assert "FENCERUN_TEST_TOKEN first" in text
    assert "FENCERUN_TEST_SECRET unset" in text and "must-not-leak" not in text


def test_blocks_find_the_folder_of_mkdocs_yml_as_markdown_exec_names_it(
    builds: list[Shown],
) -> None:
    assert "config dir <project> True" in builds[0].text


def test_a_changed_passed_variable_reruns_the_block_and_an_unchanged_one_reuses_it(
    builds: list[Shown],
) -> None:
    _first, changed, same = builds
    assert "blocks 2 run, 0 reused" in changed.log
    assert "FENCERUN_TEST_TOKEN second" in changed.text
    assert "blocks 0 run, 2 reused" in same.log
    assert "FENCERUN_TEST_TOKEN second" in same.text


@pytest.mark.parametrize(
    ("options", "said"),
    [
        ('environment:\n  GREETING: "a\\0b"\n', "gives GREETING a value with a NUL character"),
        (
            'environment:\n  "A=B": x\n',
            "`environment` option in mkdocs.yml names 'A=B' as a variable",
        ),
        (
            "pass_environment: ['']\n",
            "`pass_environment` option in mkdocs.yml names '' as a variable",
        ),
    ],
)
def test_an_environment_no_process_can_hold_is_one_clear_error(
    tmp_path: Path, options: str, said: str
) -> None:
    write_project(tmp_path, {"index.md": PAGE}, plugin_options=options)
    result = build(tmp_path)
    assert result.returncode != 0
    assert said in result.output
    assert "Traceback" not in result.output
