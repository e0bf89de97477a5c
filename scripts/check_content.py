#!/usr/bin/env python3
"""Checks the site's content; see `check_content.py --help` and kb/writing-posts.md.

Runs as the README says, `scripts/check_content.py`, whatever Python `python3` is: from
outside the project's .venv it sets that up first (as scripts/site does) and runs again
in it, where the check (plugins/content-check/) is installed with the site's packages.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv"


def _run_in_project_venv() -> None:
    if Path(sys.prefix).resolve() == VENV.resolve():
        return
    setup = 'source "$1" && ensure_venv requirements.lock'
    subprocess.run(["bash", "-c", setup, "-", str(ROOT / "scripts" / "_venv.sh")], check=True)
    python = VENV / "bin" / "python"
    os.execv(python, [str(python), str(Path(__file__).resolve()), *sys.argv[1:]])


if __name__ == "__main__":
    _run_in_project_venv()
    from content_check.cli import main

    main(default_map={"root": ROOT})
