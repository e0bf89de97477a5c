"""Pagefind, for comparison only: installed from PyPI into a throwaway venv outside the
project (nothing is added to its locks), run over the built site as a Material user
following Pagefind's guide would: the whole <body> (Pagefind leaves out nav, header and
footer itself), less Material's heading anchors, skip link and back-to-top button."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

REQUIREMENT = "pagefind[extended]"
EXCLUDED = (".headerlink", ".md-skip", ".md-top")


def ensure_pagefind(venv: Path) -> Path:
    """The venv's Python, with Pagefind installed in it on first use."""
    python = venv / "bin" / "python"
    if _has_pagefind(python):
        return python
    print(f"installing {REQUIREMENT} into {venv} ...", file=sys.stderr, flush=True)
    for argv in (
        [sys.executable, "-m", "venv", str(venv)],
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", REQUIREMENT],
    ):
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(
                f"error: could not install {REQUIREMENT} ({' '.join(argv)}):\n"
                f"{done.stdout}{done.stderr}"[-4000:]
            )
    return python


def _has_pagefind(python: Path) -> bool:
    return (
        python.exists()
        and subprocess.run(
            [str(python), "-c", "import pagefind_bin_extended"], capture_output=True, check=False
        ).returncode
        == 0
    )


def index_site(python: Path, site: Path) -> float:
    """Writes site/pagefind/; returns the seconds it took."""
    excluded = [argument for selector in EXCLUDED for argument in ("--exclude-selectors", selector)]
    started = time.perf_counter()
    done = subprocess.run(
        [str(python), "-m", "pagefind", "--site", str(site), "--quiet", *excluded],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"error: pagefind failed:\n{done.stdout}{done.stderr}"[-4000:])
    return time.perf_counter() - started
