#!/usr/bin/env python3
"""Benchmark: from saving a post to the browser showing it, under each kind of serve.

Copies the project into a temporary folder (never touching the checkout's site/ or
.cache/fencerun) and fills that copy's result store with one `scripts/site build`. Each
variant then gets its own copy of that and its server, started one after another (the
time to the post's first answer is measured). In each round the variants take turns, so
that the load others put on the machine weighs on all alike: each post is edited as an
author would, a sentence of prose, then one line added to one block, and after each save
its URL is polled until the served page shows the change (for the block: its new output);
the time from the save is recorded. Variants:

  preview      `scripts/site serve`: the site's live preview (one language)
  mkdocs       `mkdocs serve` on the site's mkdocs.yml: both languages, every page
               (what `scripts/site serve` ran before the preview)
  plain        plain MkDocs + Material (search, blog, tags) serving the same Korean
               pages without the site's plugins: exec blocks stay plain code

Prints medians and ranges, and each variant's median over plain's.

Run with the project's venv:  .venv/bin/python scripts/bench_serve.py [--rounds N]
"""

from __future__ import annotations

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

import click

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
    command: Callable[[Path, int], list[str]]  # (project folder, port) -> argv
    runs_blocks: bool


@dataclass
class Figures:
    startup: float = 0.0
    prose: list[float] = field(default_factory=list)
    code: list[float] = field(default_factory=list)
    block_run: list[float] = field(default_factory=list)  # the edited block's own run time


@click.command(help=__doc__.split("\n\n")[0] if __doc__ else None)
@click.option("--rounds", default=5, show_default=True, help="edits of each kind")
@click.option(
    "--variants",
    default="preview,mkdocs,plain",
    show_default=True,
    help="comma-separated, of: preview, mkdocs, plain",
)
def main(rounds: int, variants: str) -> None:
    venv = REPO_ROOT / ".venv"
    if not (venv / "bin" / "mkdocs").exists():
        sys.exit("error: no .venv here; run `scripts/site build` once first")
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as temp:
        base = Path(temp) / "base"
        copy_project(base, venv)
        say("filling the copy's result store (scripts/site build) ...")
        fill_store(base)
        mkdocs = [str(venv / "bin/mkdocs"), "serve", "-a"]
        known = {
            "preview": Variant(
                "preview",
                "scripts/site serve",
                # What `scripts/site serve` runs once set up: its set-up would reinstall the
                # shared venv's editable plugins from this temporary copy.
                lambda root, port: [
                    str(venv / "bin/python"),
                    "-m",
                    "site_preview",
                    "--port",
                    str(port),
                ],
                True,
            ),
            "mkdocs": Variant(
                "mkdocs",
                "mkdocs serve, site's mkdocs.yml",
                lambda root, port: [*mkdocs, f"127.0.0.1:{port}"],
                True,
            ),
            "plain": Variant(
                "plain",
                "plain MkDocs + Material",
                lambda root, port: [*mkdocs, f"127.0.0.1:{port}"],
                False,
            ),
        }
        chosen = [known[name.strip()] for name in variants.split(",")]
        servers = []
        try:
            for variant in chosen:
                root = Path(temp) / variant.name
                if variant.runs_blocks:
                    shutil.copytree(base, root, symlinks=True)  # the filled store too
                else:
                    make_plain_site(base, root)
                say(f"{variant.name}: starting {variant.what} ...")
                servers.append(Running.start(variant, root))
            # The variants take turns at each round, so that the machine's load, which
            # others share, weighs on all of them alike.
            for number in range(1, rounds + 1):
                for server in servers:
                    server.edit_round(number)
        finally:
            for server in servers:
                server.stop()
        print_table(chosen, {server.variant.name: server.figures for server in servers})


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


@dataclass
class Running:
    """A server started on its own copy of the project, and the edits made to it."""

    variant: Variant
    root: Path
    post: Path
    original: str
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    figures: Figures = field(default_factory=Figures)

    @classmethod
    def start(cls, variant: Variant, root: Path) -> Running:
        # The plain site's docs folder is a copy of docs/ko.
        post = root / (POST if variant.runs_blocks else POST.replace("docs/ko/", "docs/", 1))
        original = post.read_text(encoding="utf-8")
        port = free_port()
        log_path = root.parent / f"{variant.name}.log"
        started = time.monotonic()
        with log_path.open("w") as log:
            process = subprocess.Popen(
                variant.command(root, port),
                cwd=root,
                env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        url = f"http://127.0.0.1:{port}/{post_path(original)}"
        running = cls(variant, root, post, original, url, process, log_path)
        running.wait_until(lambda page: PROSE_LINE in page, started, STARTUP_TIMEOUT)
        running.figures.startup = time.monotonic() - started
        time.sleep(1.0)  # let the watcher take its first look at the files
        return running

    def edit_round(self, number: int) -> None:
        """A sentence of prose, then a line added to one block, each waited for."""
        prose = f"벤치마크문장{number}호"
        text = self.original.replace(PROSE_LINE, f"{prose} {PROSE_LINE}", 1)
        self.figures.prose.append(self.save_and_wait(text, prose))
        output = f"bench-{7000 + number}"
        line = f'echo "bench-$((7000 + {number}))" # bench-edit-{number}'
        text = text.replace(BLOCK_LINE, f"{BLOCK_LINE}\n{line}", 1)
        shown = output if self.variant.runs_blocks else f"bench-edit-{number}"
        self.figures.code.append(self.save_and_wait(text, shown))
        if self.variant.runs_blocks:
            self.figures.block_run.append(block_run_time(self.root))
        time.sleep(0.5)

    def save_and_wait(self, text: str, token: str) -> float:
        saved = time.monotonic()
        self.post.write_text(text, encoding="utf-8")
        self.wait_until(lambda page: token in page, saved, EDIT_TIMEOUT)
        return time.monotonic() - saved

    def wait_until(self, shows: Callable[[str], bool], since: float, timeout: float) -> None:
        while time.monotonic() - since < timeout:
            if self.process.poll() is not None:
                self.fail(f"the server stopped (exit {self.process.returncode})")
            try:
                with urllib.request.urlopen(self.url, timeout=timeout) as response:
                    if shows(response.read().decode("utf-8", "replace")):
                        return
            except (urllib.error.URLError, ConnectionError):
                pass
            time.sleep(POLL_EVERY)
        self.fail(f"{self.url} did not show the change within {timeout:.0f} s")

    def fail(self, problem: str) -> None:
        log = self.log_path.read_text(encoding="utf-8")[-4000:]
        sys.exit(f"error: {self.variant.name}: {problem}; its log ends:\n{log}")

    def stop(self) -> None:
        self.post.write_text(self.original, encoding="utf-8")
        stop(self.process)


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
    # The venv's mkdocs, as `scripts/site build` runs it, without its set-up (see main).
    command = [str(copy / ".venv" / "bin" / "mkdocs"), "build", "--strict", "-q"]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    done = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        say(f"note: the store-filling build failed; going on:\n{done.stdout}{done.stderr}")


def print_table(variants: list[Variant], results: dict[str, Figures]) -> None:
    plain = results.get("plain")
    print()
    rounds = len(next(iter(results.values())).prose)
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
