"""The knowledge base: a page per command family, each command with its live output."""

from __future__ import annotations

import pytest

from tests.posts.live_blocks import article, doc, fences, footers
from tests.site.built_site import ROOTS, BuiltSite

FAMILIES = ("processes", "memory", "disk", "network", "namespaces-and-cgroups")


@pytest.mark.parametrize("language", ROOTS)
@pytest.mark.parametrize("family", FAMILIES)
def test_each_command_shows_its_output_from_this_build(
    built: BuiltSite, language: str, family: str
) -> None:
    page = built.page(f"{ROOTS[language]}kb/{family}/")
    live = [fence for fence in fences(doc(language, f"kb/{family}.md")) if fence.runs]
    assert len(live) >= 3
    assert len(footers(page)) == len(live)
    assert not article(page).select(".fencerun-failure, .fencerun-not-executed")
    for console in article(page).select("div.language-console pre"):
        transcript = console.get_text()
        commands = [line for line in transcript.splitlines() if line.startswith("$ ")]
        outputs = [line for line in transcript.splitlines() if line and not line.startswith("$ ")]
        assert commands and outputs, f"a console block printed nothing:\n{transcript}"


@pytest.mark.parametrize("language", ROOTS)
def test_knowledge_base_index_and_nav_lead_to_every_family(built: BuiltSite, language: str) -> None:
    index = built.page(f"{ROOTS[language]}kb/")
    listed = {
        built.resolve(f"{ROOTS[language]}kb/", str(link["href"]))
        for link in article(index).select("a[href]")
    }
    in_nav = {
        built.resolve(f"{ROOTS[language]}kb/", str(link["href"]))
        for link in index.select("nav.md-nav--primary a[href]")
    }
    for family in FAMILIES:
        assert f"{ROOTS[language]}kb/{family}/" in listed
        assert f"{ROOTS[language]}kb/{family}/" in in_nav
