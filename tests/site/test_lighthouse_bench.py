"""scripts/lighthouse_bench.py serves the site as GitHub Pages does (text gzipped) and visits
every page. Lighthouse itself is not run here: its scores are measurements, not tests."""

from __future__ import annotations

import gzip
import importlib.util
import sys
import urllib.request
from pathlib import Path
from types import ModuleType

import pytest

from tests.site.built_site import REPO


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "lighthouse_bench", REPO / "scripts" / "lighthouse_bench.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for page in ("", "blog/post/", "en/", "en/kb/"):
        (tmp_path / page).mkdir(parents=True, exist_ok=True)
        (tmp_path / page / "index.html").write_text(f"<p>{page or 'home'} 한글</p>" * 50)
    (tmp_path / "style.css").write_text("p { color: red }\n" * 50)
    (tmp_path / "chart.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>' * 50)
    (tmp_path / "photo.png").write_bytes(b"\x89PNG" + bytes(500))
    return tmp_path


def _get(url: str, *, gzip_ok: bool) -> tuple[str | None, bytes, str]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.headers["Content-Encoding"], response.read(), response.url


def test_text_is_sent_gzipped_to_clients_that_accept_it(bench: ModuleType, folder: Path) -> None:
    with bench.serve(folder, compress=True) as base:
        for name in ("", "blog/post/", "style.css", "chart.svg"):
            encoding, body, _ = _get(f"{base}/{name}", gzip_ok=True)
            on_disk = folder / name / "index.html" if name.endswith("/") or not name else folder / name
            assert encoding == "gzip", name
            assert gzip.decompress(body) == on_disk.read_bytes()
        encoding, body, _ = _get(f"{base}/photo.png", gzip_ok=True)
        assert encoding is None and body == (folder / "photo.png").read_bytes()
        encoding, body, _ = _get(f"{base}/", gzip_ok=False)
        assert encoding is None and body == (folder / "index.html").read_bytes()
        # A folder without its slash is redirected to it, as GitHub Pages does.
        assert _get(f"{base}/blog/post", gzip_ok=True)[2] == f"{base}/blog/post/"
    with bench.serve(folder, compress=False) as base:
        assert _get(f"{base}/", gzip_ok=True)[0] is None


def test_every_page_is_visited_home_first_then_english(bench: ModuleType, folder: Path) -> None:
    assert bench.pages_of(folder, None) == ["/", "/blog/post/", "/en/", "/en/kb/"]
    assert bench.pages_of(folder, r"^/(en/)?$") == ["/", "/en/"]
