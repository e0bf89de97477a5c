"""Downloads the wheels tests/fencerun/package installs fencerun's package with, so that the
tests themselves need no network: each set goes into a fresh venv beside the built wheel.

- pinned: MkDocs and Material at this site's pins (requirements.lock), with what they need;
- floors: the lowest version of each dependency plugins/fencerun/pyproject.toml allows, with
  what they need, as tests/fencerun/package/floors.lock pins them.

Every file must match a hash in its lock. Run by scripts/test when a lock or the plugin's
manifest changes:
    python scripts/fencerun_wheels.py WHEELHOUSE
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

REPO_ROOT = Path(__file__).resolve().parent.parent
PLUGIN = REPO_ROOT / "plugins" / "fencerun"
FLOORS_LOCK = REPO_ROOT / "tests" / "fencerun" / "package" / "floors.lock"
SITE_PACKAGES = ("mkdocs", "mkdocs-material")  # what a stranger installs beside fencerun


def floors(pyproject: Path = PLUGIN / "pyproject.toml") -> list[str]:
    """`name==X` for each dependency declared `>=X`; a dependency without a floor is an error."""
    declared = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    pins = []
    for line in declared:
        requirement = Requirement(line)
        lowest = [spec.version for spec in requirement.specifier if spec.operator == ">="]
        if len(lowest) != 1:
            raise ValueError(f"{pyproject}: {line!r} needs one floor (>=)")
        pins.append(f"{requirement.name}=={lowest[0]}")
    return pins


def commands(wheelhouse: Path) -> list[list[str]]:
    """The pip downloads of both sets; --require-hashes refuses a file no lock hashes."""
    pip = [sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "-q"]
    pip += ["--require-hashes", "--only-binary", ":all:", "--dest", str(wheelhouse)]
    lock = REPO_ROOT / "requirements.lock"
    return [
        [*pip, "-c", str(lock), *SITE_PACKAGES, *_dependencies()],
        [*pip, "-r", str(FLOORS_LOCK)],
    ]


def download(wheelhouse: Path) -> None:
    for command in commands(wheelhouse):
        subprocess.run(command, check=True)


def _dependencies() -> list[str]:
    pyproject = tomllib.loads((PLUGIN / "pyproject.toml").read_text(encoding="utf-8"))
    return list(pyproject["project"]["dependencies"])


if __name__ == "__main__":
    download(Path(sys.argv[1]))
