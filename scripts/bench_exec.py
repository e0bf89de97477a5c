#!/usr/bin/env python3
"""Benchmark: fencerun against markdown-exec and against builds that run nothing.

Generates synthetic Material sites in a temporary folder and builds each with `mkdocs
build` in a child process, the variants of one scenario taking turns so that machine noise
spreads evenly; reports the median of several runs and these ratios (issue 7):

  warm         warm fencerun rebuild / build with execution off (FENCERUN_EXECUTE=0)
               target <= 1.05. Execution off renders the stored results where there
               are some, so it is measured twice: with the warm build's store (the same
               pages: what turning execution on costs) and with an empty store (every
               block a short notice instead of its output). Also over a build without
               any exec plugin, for reference
  slow-40      cold fencerun build / markdown-exec, 40 blocks of 0.25 s    target <= 0.6
  cold-200     cold fencerun build / markdown-exec, 200 pages x 2 cheap
               blocks (one Python, one bash)                              target <= 1.0
  blog-i18n    executions per unique block on a blog + two-language site  target 1.0
               (fencerun: blocks handed to its executor, counted in the build process;
               markdown-exec: blocks append to a counter file as they run)
  per-block    no ratio: CPU time one cheap block costs, through one fencerun worker,
               split between the build, the worker, its fork server and the block's own
               processes (read from /proc; where the cold-200 ratio's time goes); beside
               it, the least a block forked from a warm interpreter can cost (a bare
               fork, the block's one line, exit), with and without a worker's modules
  store        no target: time to keep one result, as a file of its own (how frozen
               recordings are written) against a row of the result store's SQLite file,
               the reason the store is one database; and one lookup of a stored result

Run with the project's venv:  .venv/bin/python scripts/bench_exec.py [--quick]
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import click

MATERIAL_SITE = """\
site_name: bench
theme:
  name: material
  font: false
markdown_extensions:
  - pymdownx.superfences
  - pymdownx.highlight
  - pymdownx.tabbed:
      alternate_style: true
plugins:
  - search
{plugin}
"""

BLOG_I18N_SITE = """\
site_name: bench blog
theme:
  name: material
  language: ko
  font: false
markdown_extensions:
  - pymdownx.superfences
plugins:
  - search
  - blog:
      post_excerpt: required
      categories_allowed: [리눅스, Linux]
  - i18n:
      docs_structure: folder
      fallback_to_default: true
      reconfigure_material: true
      languages:
        - locale: ko
          name: 한국어
          default: true
          build: true
        - locale: en
          name: English
          build: true
  - blog-i18n
{plugin}
"""

# The plugin entries of each variant (options as documented in the fencerun README).
FENCERUN = "  - fencerun:\n      cache_dir: {cache}\n"
FENCERUN_WORKERS = "      workers: {workers}\n"
MARKDOWN_EXEC = "  - markdown-exec\n"
NO_PLUGIN = ""

# The programs some scenarios run in a process of their own.
PROGRAMS = Path(__file__).resolve().parent / "bench"


@dataclass(frozen=True)
class Variant:
    name: str
    config: Path
    env: Mapping[str, str]
    before_each: Callable[[], None] = lambda: None


@dataclass(frozen=True)
class Timing:
    name: str
    seconds: list[float]  # wall clock
    cpu_seconds: list[float]  # user + system time of the build and every process it started

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu_seconds)


def cheap_page(number: int) -> str:
    return textwrap.dedent(
        f"""\
        # Page {number}

        Some prose for page {number}, long enough to be a paragraph of a real post and to
        give the Markdown parser something to do besides the blocks.

        ```python exec="on"
        print("page {number}: python block")
        ```

        More prose between the blocks, with a [link](#page-{number}) and `inline code`.

        ```bash exec="on"
        echo "page {number}: bash block"
        ```
        """
    )


def slow_page(number: int, blocks: int) -> str:
    fence = '```python exec="on"\nimport time\ntime.sleep(0.25)\nprint("page {0} block {1}")\n```\n'
    fences = "\n".join(fence.format(number, b) for b in range(blocks))
    return f"# Slow page {number}\n\n{fences}"


def counted_block(label: str) -> str:
    return textwrap.dedent(
        f"""\
        ```python exec="on"
        import os
        if os.environ.get("MDEXEC_COUNTER"):
            open(os.environ["MDEXEC_COUNTER"], "a").write("run\\n")
        print("{label}")
        ```
        """
    )


def blog_pages(posts: int) -> tuple[dict[str, str], int]:
    """A two-language blog: every post translated (same code), one untranslated page."""
    pages: dict[str, str] = {
        "ko/blog/index.md": "# 블로그\n",
        "en/blog/index.md": "# Blog\n",
        "ko/index.md": "# 홈\n\n" + counted_block("home"),
        "en/index.md": "# Home\n\n" + counted_block("home"),
        "ko/only-ko.md": "# 한국어만\n\n" + counted_block("korean only"),
    }
    unique = 2
    for number in range(posts):
        for language, category in (("ko", "리눅스"), ("en", "Linux")):
            pages[f"{language}/blog/posts/post-{number}.md"] = (
                f"---\ndate: 2024-02-{number + 1:02d}\nslug: post-{number}\n"
                f"categories: [{category}]\n---\n\n# Post {number} ({language})\n\n"
                + counted_block(f"post {number} excerpt")
                + "\n<!-- more -->\n\n"
                + counted_block(f"post {number} body")
            )
        unique += 2
    return pages, unique


def write_site(folder: Path, pages: Mapping[str, str]) -> None:
    for name, text in pages.items():
        path = folder / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def write_config(folder: Path, name: str, template: str, plugin: str) -> Path:
    config = folder / f"mkdocs-{name}.yml"
    config.write_text(template.format(plugin=plugin.rstrip("\n")), encoding="utf-8")
    return config


def fencerun_plugin(cache: str, workers: int | None) -> str:
    entry = FENCERUN.format(cache=cache)
    return entry + (FENCERUN_WORKERS.format(workers=workers) if workers else "")


def build(
    config: Path, env: Mapping[str, str], *, count_submitted_to: Path | None = None
) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one build. CPU time counts every process the build
    waited for (its block workers too) and tells the work done even on a busy machine."""
    site = config.parent / f"site-{config.stem}"
    launch = [sys.executable, "-m", "mkdocs"]
    if count_submitted_to is not None:
        launch = [sys.executable, str(PROGRAMS / "count_executions.py"), str(count_submitted_to)]
    command = [*launch, "build", "-q", "-f", str(config), "-d", str(site)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, env={**os.environ, **env}, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise SystemExit(f"build with {config.name} failed:\n{done.stdout}{done.stderr}")
    return elapsed, cpu


def measure(variants: list[Variant], runs: int) -> list[Timing]:
    """Each variant `runs` times, taking turns."""
    seconds: dict[str, list[float]] = {variant.name: [] for variant in variants}
    cpu: dict[str, list[float]] = {variant.name: [] for variant in variants}
    for _ in range(runs):
        for variant in variants:
            variant.before_each()
            wall, used = build(variant.config, variant.env)
            seconds[variant.name].append(wall)
            cpu[variant.name].append(used)
    return [Timing(name, seconds[name], cpu[name]) for name in seconds]


def clear(folder: Path) -> Callable[[], None]:
    return lambda: shutil.rmtree(folder, ignore_errors=True)


def common_env() -> dict[str, str]:
    return {"NO_MKDOCS_2_WARNING": "1", "FENCERUN_EXECUTE": "1"}


# -- scenarios -----------------------------------------------------------------------------


def cheap_site(root: Path, pages: int, workers: int | None) -> Path:
    folder = root / f"cheap-{pages}"
    if not folder.exists():
        write_site(folder, {f"page-{n:03d}.md": cheap_page(n) for n in range(pages)})
        (folder / "docs" / "index.md").write_text("# Cheap blocks\n", encoding="utf-8")
        write_config(folder, "fencerun-cold", MATERIAL_SITE, fencerun_plugin("cache-cold", workers))
        write_config(folder, "fencerun-warm", MATERIAL_SITE, fencerun_plugin("cache-warm", workers))
        write_config(folder, "fencerun-off", MATERIAL_SITE, fencerun_plugin("cache-off", workers))
        write_config(folder, "markdown-exec", MATERIAL_SITE, MARKDOWN_EXEC)
        write_config(folder, "plain", MATERIAL_SITE, NO_PLUGIN)
    return folder


def warm_scenario(root: Path, pages: int, runs: int, workers: int | None) -> list[Timing]:
    folder = cheap_site(root, pages, workers)
    env = common_env()
    build(folder / "mkdocs-fencerun-warm.yml", env)  # fills the cache the warm runs reuse
    return measure(
        [
            Variant("fencerun warm", folder / "mkdocs-fencerun-warm.yml", env),
            Variant(
                "execute off, stored",
                folder / "mkdocs-fencerun-warm.yml",
                {**env, "FENCERUN_EXECUTE": "0"},
            ),
            Variant(
                "execute off, no store",
                folder / "mkdocs-fencerun-off.yml",
                {**env, "FENCERUN_EXECUTE": "0"},
                clear(folder / "cache-off"),
            ),
            Variant("no exec plugin", folder / "mkdocs-plain.yml", env),
        ],
        runs,
    )


def cold_scenario(root: Path, pages: int, runs: int, workers: int | None) -> list[Timing]:
    folder = cheap_site(root, pages, workers)
    env = common_env()
    return measure(
        [
            Variant(
                "fencerun cold",
                folder / "mkdocs-fencerun-cold.yml",
                env,
                clear(folder / "cache-cold"),
            ),
            Variant("markdown-exec", folder / "mkdocs-markdown-exec.yml", env),
        ],
        runs,
    )


def slow_scenario(root: Path, blocks: int, runs: int, workers: int | None) -> list[Timing]:
    folder = root / f"slow-{blocks}"
    per_page = 4
    pages = {
        f"slow-{n}.md": slow_page(n, min(per_page, blocks - n * per_page))
        for n in range((blocks + per_page - 1) // per_page)
    }
    write_site(folder, {"index.md": "# Slow blocks\n", **pages})
    cold = write_config(folder, "fencerun-cold", MATERIAL_SITE, fencerun_plugin("cache", workers))
    mdexec = write_config(folder, "markdown-exec", MATERIAL_SITE, MARKDOWN_EXEC)
    env = common_env()
    return measure(
        [
            Variant("fencerun cold", cold, env, clear(folder / "cache")),
            Variant("markdown-exec", mdexec, env),
        ],
        runs,
    )


@dataclass(frozen=True)
class Executions:
    name: str
    executions: int
    unique: int

    @property
    def per_block(self) -> float:
        return self.executions / self.unique


def blog_scenario(root: Path, posts: int, workers: int | None) -> list[Executions]:
    folder = root / "blog-i18n"
    pages, unique = blog_pages(posts)
    write_site(folder, pages)
    counters = folder / "counters"
    counters.mkdir()
    fencerun_config = write_config(
        folder, "fencerun", BLOG_I18N_SITE, fencerun_plugin("cache", workers)
    )
    mdexec_config = write_config(folder, "markdown-exec", BLOG_I18N_SITE, MARKDOWN_EXEC)
    build(fencerun_config, common_env(), count_submitted_to=counters / "fencerun")
    build(mdexec_config, {**common_env(), "MDEXEC_COUNTER": str(counters / "markdown-exec")})
    return [
        Executions(name, _lines(counters / name), unique) for name in ("fencerun", "markdown-exec")
    ]


def per_block_scenario(root: Path, count: int) -> dict[str, dict[str, float]]:
    """CPU ms per block for each family, split by process (bench/per_block_cpu.py)."""
    split = {}
    for language in ("python", "bash"):
        done = subprocess.run(
            [sys.executable, str(PROGRAMS / "per_block_cpu.py"), language, str(count)],
            cwd=root,
            env=common_env(),
            capture_output=True,
            text=True,
            check=True,
        )
        split[language] = json.loads(done.stdout)
    return split


def fork_floor(root: Path, family: str, count: int, modules: Sequence[str]) -> float:
    """CPU ms per block of a bare fork of an interpreter holding `modules` (bench/fork_floor.py)."""
    done = subprocess.run(
        [sys.executable, str(PROGRAMS / "fork_floor.py"), family, str(count), *modules],
        cwd=root,
        env=common_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout) * 1000 / count


@dataclass(frozen=True)
class PerResult:
    name: str
    wall_ms: float
    cpu_ms: float  # user + system time of this process


@dataclass(frozen=True)
class StoreCosts:
    file_put: PerResult
    row_put: PerResult
    row_get: PerResult


def store_scenario(root: Path, count: int) -> StoreCosts:
    """Milliseconds per result kept (wall and CPU, kernel included): one JSON file each,
    written atomically, against one row each of a ResultStore; and per lookup of a row."""
    from fencerun.atomic_file import write_atomically
    from fencerun.model import Result
    from fencerun.result_json import result_to_json
    from fencerun.store import ResultStore

    text = json.dumps(result_to_json(Result("a line of output\n" * 20, 0)))
    keys = [f"{number:064x}" for number in range(count)]
    folder = root / "store-bench"
    shutil.rmtree(folder, ignore_errors=True)

    def timed(name: str, action: Callable[[str], object]) -> PerResult:
        started, used = time.perf_counter(), _cpu_s()
        for key in keys:
            action(key)
        wall, cpu = time.perf_counter() - started, _cpu_s() - used
        return PerResult(name, wall * 1000 / count, cpu * 1000 / count)

    file_put = timed("file", lambda key: write_atomically(folder / "files" / key, text))
    store = ResultStore(folder / "store")
    result = Result("a line of output\n" * 20, 0)
    row_put = timed("row", lambda key: store.put(key, result))
    row_get = timed("lookup", store.get)
    store.close()
    shutil.rmtree(folder, ignore_errors=True)
    return StoreCosts(file_put, row_put, row_get)


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines()) if path.exists() else 0


# -- report --------------------------------------------------------------------------------


def print_timings(title: str, timings: list[Timing]) -> None:
    print(f"\n{title}")
    for timing in timings:
        runs = ", ".join(f"{s:.2f}" for s in timing.seconds)
        print(
            f"  {timing.name:<22} median {timing.median:6.2f} s, CPU {timing.cpu_median:6.2f} s"
            f"   (runs: {runs})"
        )


def print_ratio(label: str, numerator: Timing, denominator: Timing, target: float | None) -> None:
    ratio = numerator.median / denominator.median
    cpu_ratio = numerator.cpu_median / denominator.cpu_median
    verdict = ""
    if target is not None:
        verdict = f"   target <= {target:.2f}: {'met' if ratio <= target else 'NOT met'}"
    print(f"  {label:<44} {ratio:5.2f}  (CPU time {cpu_ratio:5.2f}){verdict}")


SCENARIOS = ("warm", "cold-200", "slow-40", "blog-i18n", "per-block", "store")


@click.command(help=__doc__.split("\n\n")[0] if __doc__ else None)
@click.option("--runs", default=5, show_default=True, help="builds per variant (median)")
@click.option("--pages", default=200, show_default=True, help="pages of the cheap-block site")
@click.option("--slow-blocks", default=40, show_default=True, help="0.25 s blocks")
@click.option("--posts", default=6, show_default=True, help="posts per language, blog site")
@click.option("--workers", type=int, help="fencerun workers (default: its own)")
@click.option("--quick", is_flag=True, help="a fast check: 1 run, 40 pages, 3 posts")
@click.option(
    "--only",
    type=click.Choice(SCENARIOS),
    multiple=True,
    help="run only these scenarios (repeatable)",
)
@click.option(
    "--keep",
    type=click.Path(path_type=Path),
    help="build in this folder and keep it",
)
def main(
    runs: int,
    pages: int,
    slow_blocks: int,
    posts: int,
    workers: int | None,
    quick: bool,
    only: tuple[str, ...],
    keep: Path | None,
) -> None:
    if quick:
        runs, pages, posts = 1, 40, 3
    chosen = set(only or SCENARIOS)
    # Under the project, not /tmp: blocks get a private /tmp, and a project living under
    # the machine's /tmp costs each block extra mounts that a real site does not pay.
    scratch = Path(__file__).resolve().parent.parent / ".cache"
    scratch.mkdir(parents=True, exist_ok=True)
    root = keep or Path(tempfile.mkdtemp(prefix="fencerun-bench-", dir=scratch))
    root.mkdir(parents=True, exist_ok=True)
    print(
        f"fencerun benchmark: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, "
        f"{runs} run(s) per variant, sites in {root}\n"
        f"load average before: {', '.join(f'{n:.1f}' for n in os.getloadavg())} "
        "(wall-clock ratios mean little on a machine busy with other work)"
    )
    try:
        if "warm" in chosen:
            warm, off, off_empty, plain = warm_scenario(root, pages, runs, workers)
            print_timings(
                f"Warm rebuild, {pages} pages x 2 cheap blocks",
                [warm, off, off_empty, plain],
            )
            print_ratio("warm rebuild / execution off, same store", warm, off, 1.05)
            print_ratio("warm rebuild / execution off, empty store", warm, off_empty, None)
            print_ratio("warm rebuild / no exec plugin (reference)", warm, plain, None)
        if "cold-200" in chosen:
            cold, mdexec = cold_scenario(root, pages, runs, workers)
            print_timings(f"Cold build, {pages} pages x 2 cheap blocks", [cold, mdexec])
            print_ratio("cold fencerun / markdown-exec", cold, mdexec, 1.0)
        if "slow-40" in chosen:
            cold, mdexec = slow_scenario(root, slow_blocks, runs, workers)
            print_timings(f"Cold build, {slow_blocks} blocks of 0.25 s", [cold, mdexec])
            print_ratio("cold fencerun / markdown-exec", cold, mdexec, 0.6)
        if "blog-i18n" in chosen:
            print(f"\nBlog + two languages, {posts} posts per language")
            for counted in blog_scenario(root, posts, workers):
                target = "   target 1.00" if counted.name == "fencerun" else ""
                print(
                    f"  {counted.name:<22} {counted.executions} executions of {counted.unique} "
                    f"unique blocks = {counted.per_block:.2f} per block{target}"
                )
        if "per-block" in chosen:
            count = 60 if quick else 300
            print(f"\nCPU per cheap block, one worker, {count} blocks each (ms)")
            for language, parts in per_block_scenario(root, count).items():
                shares = ", ".join(f"{name} {ms:.2f}" for name, ms in parts.items())
                print(f"  {language:<8} {sum(parts.values()):5.2f} = {shares}")
            print("Least a block can cost: a bare fork, the one line, exit; no sandbox (ms)")
            for family in ("python", "bash"):
                worker_sized = fork_floor(root, family, count * 4, ("fencerun.run.worker",))
                bare = fork_floor(root, family, count * 4, ())
                print(
                    f"  {family:<8} {worker_sized:5.2f} forked from an interpreter holding a "
                    f"lean worker's modules, {bare:.2f} from a bare one"
                )
        if "store" in chosen:
            count = 500 if quick else 5000
            costs = store_scenario(root, count)
            print(f"\nKeeping {count} results, ms per result (wall / CPU, kernel included)")
            for each in (costs.file_put, costs.row_put, costs.row_get):
                print(f"  {each.name:<8} {each.wall_ms:6.3f} / {each.cpu_ms:6.3f}")
            ratio = costs.row_put.cpu_ms / costs.file_put.cpu_ms
            print(f"  row / file, CPU time: {ratio:.2f}")
    finally:
        if keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
