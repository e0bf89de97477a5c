"""The published build keeps its cards between runs, where the site's config keeps them."""

from __future__ import annotations

from typing import Any

import yaml
from mkdocs.utils.yaml import yaml_load

from tests.site.built_site import REPO


def cards_cache_dir() -> str:
    with (REPO / "mkdocs.yml").open("rb") as config_file:
        config: dict[str, Any] = yaml_load(config_file)
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "social-cards" in plugin:
            return str(plugin["social-cards"]["cache_dir"])
    raise AssertionError("mkdocs.yml does not enable social-cards")


def test_the_build_job_restores_the_cards_the_site_config_keeps() -> None:
    workflow = yaml.safe_load((REPO / ".github/workflows/publish.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    build = next(i for i, step in enumerate(steps) if step.get("run") == "scripts/site build")
    restored = {
        step["with"]["path"]: index
        for index, step in enumerate(steps)
        if step.get("uses", "").startswith("actions/cache@")
    }
    cache_dir = cards_cache_dir()
    assert cache_dir in restored, f"the build job does not restore {cache_dir}"
    assert restored[cache_dir] < build
