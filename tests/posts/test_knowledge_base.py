"""The knowledge base: a page per command family, each command with its live output."""

from __future__ import annotations

import re

import pytest
from bs4 import Tag

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


def _console_after(page_article: Tag, command: str) -> str:
    for console in page_article.select("div.language-console pre"):
        if f"$ {command}" in console.get_text():
            return console.get_text()
    raise AssertionError(f"no console block runs {command!r}")


@pytest.mark.parametrize("language", ROOTS)
def test_cgroup_mounts_and_proc_lines_fit_one_layout_the_page_explains(
    built: BuiltSite, language: str
) -> None:
    """v2, v1 or hybrid: what findmnt shows must agree with /proc/<PID>/cgroup as the table says."""
    page_article = article(built.page(f"{ROOTS[language]}kb/namespaces-and-cgroups/"))
    transcript = _console_after(page_article, "findmnt -t cgroup,cgroup2")
    mounts = dict(re.findall(r"^(/\S+)\s+(cgroup2?)$", transcript, re.M))
    v1_lines = re.findall(r"^\d+:[^:\n]+:/", transcript, re.M)
    v2_line = re.search(r"^0::/", transcript, re.M)
    kinds = set(mounts.values())
    if kinds == {"cgroup2"}:
        assert list(mounts) == ["/sys/fs/cgroup"] and v2_line and not v1_lines, transcript
    elif kinds == {"cgroup"}:
        assert v1_lines, transcript
    else:
        assert kinds == {"cgroup", "cgroup2"}, transcript
        assert [t for t, k in mounts.items() if k == "cgroup2"] == ["/sys/fs/cgroup/unified"]
        assert v1_lines and v2_line, transcript
    table = " ".join(table.get_text(" ") for table in page_article.select("table"))
    assert "/sys/fs/cgroup/unified" in table and "0::" in table, "the page explains no hybrid"


@pytest.mark.parametrize("language", ROOTS)
def test_the_block_own_dev_shm_is_the_last_of_the_stacked_mounts(
    built: BuiltSite, language: str
) -> None:
    """The page says findmnt lists stacked mounts bottom up, the block's 64 MiB tmpfs on top."""
    transcript = _console_after(
        article(built.page(f"{ROOTS[language]}kb/disk/")), "findmnt -T /dev/shm"
    )
    shm = [line for line in transcript.splitlines() if line.startswith("/dev/shm ")]
    assert shm, transcript
    own = [number for number, line in enumerate(shm) if "size=65536k" in line]
    if _block_had_its_own_view(transcript):
        assert own == [len(shm) - 1] and " rw," in shm[-1], transcript
    else:  # the machine's own /dev/shm, as the page's text allows for
        assert own == [], transcript


def _block_had_its_own_view(transcript: str) -> bool:
    """Whether the block that printed `transcript` had a mount namespace of its own: the
    same transcript's `findmnt -T /` shows its root read-only, the view blocks get."""
    (root,) = [line for line in transcript.splitlines() if line.startswith("/ ")]
    return root.split()[-1].startswith("ro,")
