"""The knowledge-base reference documents every block option and every site setting, in both
languages, and its examples never run."""

from __future__ import annotations

from pathlib import Path

import pytest
from fencerun.config import FencerunConfig
from fencerun.fences import find_blocks
from fencerun.options import LANGUAGES, OPTION_NAMES

REPO = Path(__file__).resolve().parents[2]
PAGES = [REPO / "docs" / "ko" / "kb" / "fencerun.md", REPO / "docs" / "en" / "kb" / "fencerun.md"]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.parent.parent.name)
def test_every_block_option_and_language_has_a_row(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    for option in OPTION_NAMES:
        assert f"| `{option}` |" in text, option
    for language in LANGUAGES:
        assert f"`{language}`" in text, language
    assert "# markdown-exec: hide" in text
    assert "FENCERUN_EXECUTE=0" in text


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.parent.parent.name)
def test_every_site_setting_has_a_row(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    for name, _option in FencerunConfig._schema:
        assert f"| `{name}` |" in text, name


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.parent.parent.name)
def test_examples_are_shown_not_run(page: Path) -> None:
    assert find_blocks(page.read_text(encoding="utf-8"), page.name) == []
