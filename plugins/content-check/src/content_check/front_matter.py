"""A page's YAML front matter, with the line of each key so findings can point at it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

# The same pattern MkDocs uses (mkdocs.utils.meta), so both agree on where it ends.
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)


@dataclass(frozen=True)
class FrontMatter:
    values: dict[str, Any]
    key_lines: dict[str, int]  # 1-based line of each top-level key
    item_lines: dict[str, tuple[int, ...]]  # line of each item, for keys whose value is a list
    body_line: int  # first line after the closing ---

    def line_of(self, key: str) -> int:
        """Where a finding about `key` points: the key, else the end of the front matter."""
        return self.key_lines.get(key, max(self.body_line - 1, 1))

    def line_of_item(self, key: str, index: int) -> int:
        items = self.item_lines.get(key, ())
        return items[index] if index < len(items) else self.line_of(key)


class FrontMatterError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def parse_front_matter(text: str) -> FrontMatter | None:
    """The front matter at the top of `text`, or None when the page has none."""
    match = FRONT_MATTER.match(text)
    if match is None:
        return None
    source = match.group(1)
    first_line = 2  # the YAML starts on the line after the opening ---
    try:
        root = yaml.compose(source, Loader=yaml.SafeLoader)
        values = yaml.safe_load(source)
    except yaml.MarkedYAMLError as problem:
        mark = problem.problem_mark or problem.context_mark
        line = first_line + (mark.line if mark else 0)
        raise FrontMatterError(
            line, f"front matter is not valid YAML ({problem.problem}); fix the YAML syntax"
        ) from problem
    except ValueError as problem:
        # Well-formed YAML whose value cannot be built, such as the date 2026-13-45.
        raise _unbuildable(root, first_line, problem) from problem
    if values is None:
        values = {}
    if not isinstance(values, dict) or not isinstance(root, (yaml.MappingNode, type(None))):
        raise FrontMatterError(first_line, "front matter must be a mapping of `key: value` lines")
    key_lines: dict[str, int] = {}
    item_lines: dict[str, tuple[int, ...]] = {}
    for key_node, value_node in root.value if root is not None else []:
        key = str(key_node.value)
        key_lines[key] = first_line + key_node.start_mark.line
        if isinstance(value_node, yaml.SequenceNode):
            item_lines[key] = tuple(first_line + item.start_mark.line for item in value_node.value)
    body_line = text.count("\n", 0, match.end()) + 1
    return FrontMatter(
        {str(key): value for key, value in values.items()}, key_lines, item_lines, body_line
    )


def _unbuildable(root: yaml.Node | None, first_line: int, problem: ValueError) -> FrontMatterError:
    """Points at the first value YAML cannot build, found by building each on its own."""
    pairs = root.value if isinstance(root, yaml.MappingNode) else []
    for key_node, value_node in pairs:
        try:
            yaml.SafeLoader("").construct_object(value_node, deep=True)
        except ValueError as error:
            line = first_line + value_node.start_mark.line
            key, value = key_node.value, value_node.value
            if value_node.tag == "tag:yaml.org,2002:timestamp":
                return FrontMatterError(
                    line,
                    f"`{key}: {value}` is not a date that exists ({error}); write a real "
                    "date as YYYY-MM-DD, e.g. `date: 2024-03-01`",
                )
            return FrontMatterError(line, f"`{key}: {value}` cannot be read ({error}); fix it")
    return FrontMatterError(first_line, f"front matter cannot be read ({problem}); fix it")
