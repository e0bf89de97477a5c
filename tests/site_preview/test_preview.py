"""`scripts/site serve`'s preview: one language, drafts marked and run, edits shown, and a
rebuild after a one-page edit renders that page alone (no timing: see scripts/bench_serve.py)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.scripts import load_script
from tests.site_preview.preview_site import PUBLISHED, write_site

WAIT = 180.0  # a busy machine; the first build runs the blocks


@dataclass(frozen=True)
class Server:
    url: str
    root: Path
    log: Path

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=WAIT) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, ""

    def wait_for(self, path: str, shows: Callable[[str], bool]) -> str:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            try:
                status, page = self.get(path)
            except (urllib.error.URLError, ConnectionError):
                status, page = 0, ""
            if status == 200 and shows(page):
                return page
            time.sleep(0.1)
        pytest.fail(f"/{path} never showed the change; server log:\n{self.log.read_text()}")

    def edit(self, relative: str, old: str, new: str) -> None:
        path = self.root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def rebuilds(self) -> list[str]:
        """The preview's line about each build, in order."""
        return re.findall(r"preview: \d+ page\(s\) rendered, \d+ unchanged reused", self.log_text())

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    write_site(tmp_path)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "site_preview", "--port", str(port)],
            cwd=tmp_path,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield Server(f"http://127.0.0.1:{port}/", tmp_path, log)
    finally:
        load_script("bench_serve").stop(process)


def test_the_preview_serves_one_language_and_shows_each_save(server: Server) -> None:
    page = server.wait_for("blog/published/", lambda page: "out-41" in page)
    assert "처음 쓴 문장." in page
    assert server.get("en/")[0] == 404  # --lang ko (the default): Korean alone

    server.edit(PUBLISHED, "처음 쓴 문장.", "고쳐 쓴 문장.")
    server.wait_for("blog/published/", lambda page: "고쳐 쓴 문장." in page)
    server.edit(PUBLISHED, "$((40 + 1))", "$((40 + 3))")
    page = server.wait_for("blog/published/", lambda page: "out-43" in page)
    assert "out-41" not in page
    # The blog's index shows the post's new lead: excerpts are not kept past an edit.
    server.wait_for("blog/", lambda page: "고쳐 쓴 문장." in page)


def test_a_rebuild_renders_only_the_page_that_changed(server: Server) -> None:
    server.wait_for("blog/published/", lambda page: "out-41" in page)
    server.edit("docs/ko/about.md", "소개하는 글.", "다시 소개하는 글.")
    server.wait_for("about/", lambda page: "다시 소개하는 글." in page)
    first, *later = server.rebuilds()
    assert first.startswith("preview: 6 page(s) rendered"), first
    assert later[-1] == "preview: 1 page(s) rendered, 5 unchanged reused", later


def test_a_draft_is_shown_with_its_mark_and_its_block_run(server: Server) -> None:
    page = server.wait_for("blog/unfinished/", lambda page: "draft-42" in page)
    assert '<span class="md-draft">' in page
    listing = server.wait_for("blog/", lambda page: "쓰는 중인 글" in page)
    assert '<span class="md-draft">' in listing


def test_a_new_link_shows_on_the_linked_page_after_the_save(server: Server) -> None:
    page = server.wait_for("blog/published/", lambda page: "out-41" in page)
    assert "이 문서를 가리키는 글" not in page
    server.edit("docs/ko/about.md", "소개하는 글.", "[[공개한 글]]을 소개하는 글.")
    page = server.wait_for("blog/published/", lambda page: "이 문서를 가리키는 글" in page)
    assert "을 소개하는 글." in page  # the sentence that holds the link
    about = server.wait_for("about/", lambda page: "을 소개하는 글." in page)
    assert 'href="../blog/published/"' in about
