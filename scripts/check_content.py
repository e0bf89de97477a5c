#!/usr/bin/env python3
"""Checks the site's content; see `check_content.py --help` and kb/writing-posts.md."""

import sys
from pathlib import Path

# The package is imported by its name from the project root, the name mypy gives it.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scripts.content_check.cli import main

if __name__ == "__main__":
    main()
