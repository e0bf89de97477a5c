"""Blocks run in parallel, yet the pages are the ones a serial run makes: the same site built
with one worker and with four gives byte-identical HTML."""

from __future__ import annotations

from pathlib import Path

from tests.fencerun.conftest import build_pages

# Sessions, stdout and stderr interleaved, a failing exit code shown, Markdown output with
# headings (the table of contents), figures aside: what could come out in another order.
PAGES = {
    f"page-{number}.md": f"""
        # Page {number}

        ```python exec="on" session="s{number}"
        import sys
        total = {number}
        for step in range(3):
            print("out", step, flush=True)
            print("err", step, file=sys.stderr, flush=True)
        ```

        ```bash exec="on"
        echo "bash {number}"; echo "to stderr {number}" >&2
        ```

        ```python exec="on" session="s{number}"
        total += 1
        print("session total", total)
        ```

        ```python exec="on" result="markdown"
        print("## Made by block {number}")
        print("- item {number}")
        ```
    """
    for number in range(6)
}
SETTINGS = "provenance: false\nworkers: {workers}"


def built_pages(project: Path, workers: int) -> dict[str, bytes]:
    done = build_pages(project, PAGES, plugin_options=SETTINGS.format(workers=workers))
    assert done.returncode == 0, done.output
    return {
        str(path.relative_to(project / "site")): path.read_bytes()
        for path in sorted((project / "site").rglob("*.html"))
    }


def test_a_parallel_build_makes_the_pages_of_a_serial_one(tmp_path: Path) -> None:
    serial = built_pages(tmp_path / "serial", workers=1)
    parallel = built_pages(tmp_path / "parallel", workers=4)
    assert serial.keys() == parallel.keys() and len(serial) >= len(PAGES)
    assert "session total 4" in serial["page-3/index.html"].decode()
    for page, html in serial.items():
        assert parallel[page] == html, page
