#!/usr/bin/env python3
"""Benchmark: from saving a post to the browser showing it, under each kind of serve.

Copies the project into a temporary folder (never touching the checkout's site/ or
.cache/fencerun), fills that copy's result store with one `scripts/site build`, then for
each variant starts its server, waits for the post to be served, and edits it as an
author would: a sentence of prose, then one line added to one block. After each save it
polls the post's URL until the served page shows the change (for the block: its new
output) and records the time from the save. Variants, one after another:

  preview      `scripts/site serve`: the site's live preview (one language)
  mkdocs       `mkdocs serve` on the site's mkdocs.yml: both languages, every page
               (what `scripts/site serve` ran before the preview)
  plain        plain MkDocs + Material (search, blog, tags) serving the same Korean
               pages without the site's plugins: exec blocks stay plain code

Prints medians and ranges, and each variant's median over plain's.

Run with the project's venv:  .venv/bin/python scripts/bench_serve.py [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
POST = "docs/ko/blog/posts/linux-and-containers-for-new-engineers.md"
# A sentence of prose and a cheap block of that post, each found by a line it holds.
PROSE_LINE = "httpd 컨테이너 네 개가 떠 있고"
BLOCK_LINE = "ulimit -Hn"
POLL_EVERY = 0.02
STARTUP_TIMEOUT = 300.0
EDIT_TIMEOUT = 120.0

PLAIN_MKDOCS_YML = """\
site_name: plain
theme:
  name: material
  language: ko
  font: false
markdown_extensions:
  - abbr
  - admonition
  - attr_list
  - footnotes
  - md_in_html
  - tables
  - toc:
      permalink: true
  - pymdownx.details
  - pymdownx.highlight
  - pymdownx.inlinehilite
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
plugins:
  - search
  - blog:
      post_url_date_format: yyyy/MM/dd
      post_url_format: "{date}/{slug}"
  - tags
"""


@dataclass
class Variant:
    name: str
    what: str
    command: Callable[[Path, int], list[str]]
    project: Callable[[Path], Path]  # the folder the server runs in
    runs_blocks: bool


@dataclass
class Figures:
    startup: float = 0.0
    prose: list[float] = field(default_factory=list)
    code: list[float] = field(default_factory=list)
    block_run: list[float] = field(default_factory=list)  # the edited block's own run time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="edits of each kind (default 5)")
    parser.add_argument(
        "--variants",
        default="preview,mkdocs,plain",
        help="comma-separated, of: preview, mkdocs, plain",
    )
    options = parser.parse_args()
    venv = REPO_ROOT / ".venv"
    if not (venv / "bin" / "mkdocs").exists():
        sys.exit("error: no .venv here; run `scripts/site build` once first")
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as temp:
        copy = Path(temp) / "site"
        copy_project(copy, venv)
        plain = Path(temp) / "plain"
        make_plain_site(copy, plain)
        say("filling the copy's result store (scripts/site build) ...")
        fill_store(copy)
        variants = {
            "preview": Variant(
                "preview",
                "scripts/site serve",
                lambda root, port: [str(root / "scripts/site"), "serve", "--port", str(port)],
                lambda _: copy,
                True,
            ),
            "mkdocs": Variant(
                "mkdocs",
                "mkdocs serve, site's mkdocs.yml",
                lambda root, port: [str(venv / "bin/mkdocs"), "serve", "-a", f"127.0.0.1:{port}"],
                lambda _: copy,
                True,
            ),
            "plain": Variant(
                "plain",
                "plain MkDocs + Material",
                lambda root, port: [str(venv / "bin/mkdocs"), "serve", "-a", f"127.0.0.1:{port}"],
                lambda _: plain,
                False,
            ),
        }
        results: dict[str, Figures] = {}
        for number, name in enumerate(options.variants.split(",")):
            variant = variants[name.strip()]
            say(f"{variant.name}: {variant.what} ...")
            # Each variant writes its own block lines: one that a variant before it ran would
            # come from the shared result store instead of running.
            first_edit = 7000 + 100 * number
            results[variant.name] = measure(
                variant, variant.project(copy), options.rounds, first_edit
            )
        print_table([variants[name] for name in results], results, options.rounds)


def copy_project(copy: Path, venv: Path) -> None:
    """The project's files (not what git ignores); the venv by a link, as it is measured."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO_ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for relative in filter(None, listed.split("\0")):
        source = REPO_ROOT / relative
        if source.is_file():
            target = copy / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    (copy / ".venv").symlink_to(venv)


def make_plain_site(copy: Path, plain: Path) -> None:
    shutil.copytree(copy / "docs" / "ko", plain / "docs")
    (plain / "mkdocs.yml").write_text(PLAIN_MKDOCS_YML, encoding="utf-8")


def measure(variant: Variant, root: Path, rounds: int, first_edit: int) -> Figures:
    # The plain site's docs folder is a copy of docs/ko.
    post = root / (POST if variant.runs_blocks else POST.replace("docs/ko/", "docs/", 1))
    original = post.read_text(encoding="utf-8")
    port = free_port()
    url = f"http://127.0.0.1:{port}/{post_path(original)}"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    log_path = root.parent / f"{variant.name}.log"
    log = log_path.open("w")
    started = time.monotonic()
    server = subprocess.Popen(
        variant.command(root, port),
        cwd=root,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    figures = Figures()
    try:
        wait_for(url, lambda page: PROSE_LINE in page, started, STARTUP_TIMEOUT, server)
        figures.startup = time.monotonic() - started
        time.sleep(1.0)  # let the watcher take its first look at the files
        for number in range(1, rounds + 1):
            prose = f"벤치마크문장{number}호"
            text = original.replace(PROSE_LINE, f"{prose} {PROSE_LINE}", 1)
            figures.prose.append(save_and_wait(post, text, url, prose, server))
            output = f"bench-{first_edit + number}"
            line = f'echo "bench-$(({first_edit} + {number}))" # bench-edit-{first_edit + number}'
            text = text.replace(BLOCK_LINE, f"{BLOCK_LINE}\n{line}", 1)
            shown = output if variant.runs_blocks else f"bench-edit-{first_edit + number}"
            figures.code.append(save_and_wait(post, text, url, shown, server))
            if variant.runs_blocks:
                figures.block_run.append(block_run_time(root))
            time.sleep(0.5)
    except SystemExit:
        say(f"{variant.name}'s server said:\n{log_path.read_text(encoding='utf-8')[-4000:]}")
        raise
    finally:
        post.write_text(original, encoding="utf-8")
        stop(server)
        log.close()
    return figures


def stop(server: subprocess.Popen[bytes]) -> None:
    """Ctrl-C to the server's process group, as in a terminal; then, if need be, a kill."""
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGINT)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def block_run_time(root: Path) -> float:
    """How long the blocks that ran in the last build took, from fencerun's build report
    (the build that showed the edit reran only the edited block)."""
    report_file = root / ".cache" / "fencerun" / "last-build-report.json"
    for _ in range(100):  # the report is written as the build ends, just after the page
        try:
            blocks = json.loads(report_file.read_text(encoding="utf-8"))["blocks"]
        except (OSError, ValueError, KeyError):
            blocks = []
        ran = [block["duration_s"] or 0.0 for block in blocks if block["origin"] == "run"]
        if ran:
            return float(sum(ran))
        time.sleep(0.05)
    return float("nan")


def save_and_wait(
    post: Path, text: str, url: str, token: str, server: subprocess.Popen[bytes]
) -> float:
    saved = time.monotonic()
    post.write_text(text, encoding="utf-8")
    wait_for(url, lambda page: token in page, saved, EDIT_TIMEOUT, server)
    return time.monotonic() - saved


def wait_for(
    url: str,
    shows: Callable[[str], bool],
    since: float,
    timeout: float,
    server: subprocess.Popen[bytes],
) -> None:
    while time.monotonic() - since < timeout:
        if server.poll() is not None:
            sys.exit(f"error: the server stopped (exit {server.returncode}); see its log")
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                if shows(response.read().decode("utf-8", "replace")):
                    return
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(POLL_EVERY)
    sys.exit(f"error: {url} did not show the change within {timeout:.0f} s")


def post_path(text: str) -> str:
    date = re.search(r"^date: (\d{4})-(\d{2})-(\d{2})$", text, re.M)
    slug = re.search(r"^slug: (\S+)$", text, re.M)
    assert date is not None and slug is not None, "the post has no date or slug"
    return f"blog/{date[1]}/{date[2]}/{date[3]}/{slug[1]}/"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fill_store(copy: Path) -> None:
    """Runs every block once. A block that fails (some race the machine's load) is only
    reported: the servers show it as an error box, which changes no timing here."""
    command = [str(copy / "scripts" / "site"), "build", "-q"]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    done = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        say(f"note: the store-filling build failed; going on:\n{done.stdout}{done.stderr}")


def print_table(variants: list[Variant], results: dict[str, Figures], rounds: int) -> None:
    plain = results.get("plain")
    print()
    print(f"save -> served, {rounds} edits of each kind, seconds: median (min-max)")
    print()
    print(
        "| serve | first answer | prose edit | block edit | the block's own run "
        "| prose / plain | block / plain |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for variant in variants:
        figures = results[variant.name]
        prose = statistics.median(figures.prose)
        code = statistics.median(figures.code)
        ratios = ["-", "-"]
        if plain is not None and variant.name != "plain":
            ratios = [
                f"{prose / statistics.median(plain.prose):.1f}",
                f"{code / statistics.median(plain.code):.1f}",
            ]
        run = f"{statistics.median(figures.block_run):.2f}" if figures.block_run else "-"
        print(
            f"| {variant.what} | {figures.startup:.1f} | {prose:.2f} ({spread(figures.prose)}) "
            f"| {code:.2f} ({spread(figures.code)}) | {run} | {ratios[0]} | {ratios[1]} |"
        )
    print()
    print(f"load average at the end: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")


def spread(values: list[float]) -> str:
    return f"{min(values):.2f}-{max(values):.2f}"


def say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
