"""The package reads as its pipeline: each stage has its module, and none imports MkDocs
(only the adapters do: plugin.py, config.py, page_sources.py, cli.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import fencerun

PACKAGE = Path(fencerun.__file__).resolve().parent
ADAPTERS = {"fencerun.plugin", "fencerun.config", "fencerun.page_sources", "fencerun.cli"}
STAGES = {
    "find": "fencerun.fences",
    "key": "fencerun.keys",
    "run": "fencerun.run.executor",
    "store": "fencerun.store",
    "render": "fencerun.render",
}


def _modules() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_every_stage_named_in_the_readme_is_a_module() -> None:
    readme = (PACKAGE.parents[1] / "README.md").read_text(encoding="utf-8")
    assert "**find -> key -> run -> store -> render**" in readme
    assert set(STAGES.values()) <= set(_modules())


# Imports each module in turn, in one fresh interpreter, and names the first that brings
# MkDocs in (a module importing an adapter would be caught too).
_PROBE = """
import importlib, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
    if any(loaded.split(".")[0] == "mkdocs" for loaded in sys.modules):
        print(name)
        break
"""


def test_no_module_but_the_adapters_imports_mkdocs() -> None:
    modules = sorted(set(_modules()) - ADAPTERS)
    assert "fencerun.engine" in modules and "fencerun.markdown_ext" in modules
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *modules], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"{done.stdout.strip()} imports MkDocs"
