"""Material's page settings, changed by the site's plugins, stay safe JSON inside the page."""

from __future__ import annotations

import json
from typing import Any

from bs4 import BeautifulSoup
from site_kit.material_config import change_material_config

PAGE = (
    '<html><head><script id="__config" type="application/json">'
    '{"base": "..", "search": "assets/javascripts/workers/search.1234abcd.min.js"}'
    "</script></head><body>본문</body></html>"
)


def _settings(html: str) -> dict[str, Any]:
    script = BeautifulSoup(html, "html.parser").find("script", id="__config")
    assert script is not None
    settings: dict[str, Any] = json.loads(script.get_text())
    return settings


def test_a_change_lands_in_the_page_and_nothing_else_moves() -> None:
    def rebase(settings: dict[str, Any]) -> None:
        settings["base"] = "../en"

    changed = change_material_config(PAGE, rebase)
    assert _settings(changed) == {
        "base": "../en",
        "search": "assets/javascripts/workers/search.1234abcd.min.js",
    }
    assert changed.endswith("</script></head><body>본문</body></html>")


def test_a_value_that_would_close_the_script_stays_inside_it() -> None:
    hostile = "</script><script>alert('x & y')</script>"

    def add(settings: dict[str, Any]) -> None:
        settings["title"] = hostile
        settings["words"] = "한국어 그대로"

    changed = change_material_config(PAGE, add)
    scripts = BeautifulSoup(changed, "html.parser").find_all("script")
    assert len(scripts) == 1  # no element was closed early, none was opened
    assert _settings(changed)["title"] == hostile
    assert "한국어 그대로" in changed  # Hangul as it is, not escaped


def test_a_page_without_material_settings_is_left_as_it_was() -> None:
    page = "<html><body><script>var x = 1;</script></body></html>"
    assert change_material_config(page, lambda settings: settings.clear()) == page
