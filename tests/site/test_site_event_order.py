"""The knowledge base's table of plugin events is the order MkDocs really runs them in."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from tests.site.built_site import REPO, ROOTS
from tests.site_copy import copy_site

PAGE = "kb/how-this-site-is-built.md"
_ROW = re.compile(r"^\| `on_(\w+)` \| (.+) \|$", re.M)
_HANDLER = re.compile(r"([\w/-]+) \((-?\d+)\)")


@pytest.fixture(scope="module")
def configured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MkDocsConfig]:
    """The site's config after every plugin's on_config, as a build has it when pages render:
    a plugin may take another's handler out of the list there."""
    project = copy_site(tmp_path_factory.mktemp("events") / "site")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FENCERUN_EXECUTE", "0")
        patch.setenv("NO_MKDOCS_2_WARNING", "1")
        patch.chdir(project)
        config = load_config(str(project / "mkdocs.yml"))
        config.plugins.on_startup(command="build", dirty=False)
        config = config.plugins.on_config(config)
        yield config
        config.plugins.on_shutdown()


def _real_order(config: MkDocsConfig) -> dict[str, list[tuple[str, int]]]:
    owners = {id(plugin): name.removeprefix("material/") for name, plugin in config.plugins.items()}
    order = {}
    for event, handlers in config.plugins.events.items():
        if handlers:
            order[event] = [
                (owners[id(getattr(handler, "__self__"))], getattr(handler, "mkdocs_priority", 0))
                for handler in handlers
            ]
    return order


def _documented_order(language: str) -> dict[str, list[tuple[str, int]]]:
    text = (REPO / "docs" / language / PAGE).read_text(encoding="utf-8")
    return {
        event: [(name, int(priority)) for name, priority in _HANDLER.findall(handlers)]
        for event, handlers in _ROW.findall(text)
    }


@pytest.mark.parametrize("language", ROOTS)
def test_the_event_table_lists_every_handler_in_the_order_mkdocs_runs_them(
    configured: MkDocsConfig, language: str
) -> None:
    assert _documented_order(language) == _real_order(configured)
