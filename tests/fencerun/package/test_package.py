"""fencerun as a stranger gets it: `python -m build` makes an sdist and a wheel, and a clean
venv holding only that wheel, MkDocs and Material builds the README's example and a page
written for markdown-exec, outputs shown. The same venv with the lowest release of each
dependency the package allows (no Material: MkDocs' own theme) shows the floors are honest.

The wheels come from `.cache/wheelhouse`, which scripts/test downloads (scripts/fencerun_wheels.py):
nothing here reaches the network.
"""

from __future__ import annotations

import email.parser
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tarfile
import venv
import zipfile
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.locks import pins
from tests.scripts import load_script

REPO_ROOT = Path(__file__).resolve().parents[3]
PLUGIN = REPO_ROOT / "plugins" / "fencerun"
WHEELHOUSE = REPO_ROOT / ".cache" / "wheelhouse"
FLOORS_LOCK = Path(__file__).with_name("floors.lock")
MARKDOWN_EXEC_PAGE = REPO_ROOT / "tests" / "fencerun" / "pages" / "markdown_exec_modes.md"
SUPPORTED_PYTHONS = ("3.11", "3.12", "3.13")


@dataclass(frozen=True)
class Dist:
    sdist: Path
    wheel: Path

    def metadata(self) -> Message:
        with zipfile.ZipFile(self.wheel) as archive:
            (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
            return email.parser.Parser().parsestr(archive.read(name).decode("utf-8"))


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Dist:
    # A copy: setuptools writes build/ and *.egg-info beside the sources it builds.
    source = tmp_path_factory.mktemp("fencerun-source") / "fencerun"
    shutil.copytree(
        PLUGIN, source, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__")
    )
    out = tmp_path_factory.mktemp("fencerun-dist")
    done = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(source)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (sdist,) = out.glob("*.tar.gz")
    (wheel,) = out.glob("*.whl")
    return Dist(sdist, wheel)


def test_build_makes_an_sdist_and_a_wheel_with_everything_the_plugin_reads(dist: Dist) -> None:
    with zipfile.ZipFile(dist.wheel) as archive:
        names = set(archive.namelist())
        (entry_points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
        entries = archive.read(entry_points).decode("utf-8")
        (license_text,) = [n for n in names if n.endswith(".dist-info/licenses/LICENSE")]
        assert "MIT License" in archive.read(license_text).decode("utf-8")
    assert {"fencerun/assets/fencerun.css", "fencerun/py.typed", "fencerun/cli.py"} <= names
    # Every build reads the editor's script and stylesheet (on_files), pyodide or not.
    assert {"fencerun/assets/fencerun-pyodide.js", "fencerun/assets/fencerun-pyodide.css"} <= names
    assert "fencerun/isolation/view_mounts.py" in names and "fencerun/run/worker.py" in names
    assert "fencerun = fencerun.plugin:FencerunPlugin" in entries
    assert "fencerun = fencerun.cli:main" in entries
    with tarfile.open(dist.sdist) as archive:
        files = {Path(name).name for name in archive.getnames()}
    assert {"README.md", "CHANGELOG.md", "LICENSE", "pyproject.toml", "fencerun.css"} <= files


def test_metadata_names_platforms_pythons_and_bounds_of_every_dependency(dist: Dist) -> None:
    metadata = dist.metadata()
    assert metadata["Requires-Python"] == ">=3.11"
    classifiers = metadata.get_all("Classifier") or []
    for version in SUPPORTED_PYTHONS:
        assert f"Programming Language :: Python :: {version}" in classifiers
    assert {"Operating System :: POSIX", "Operating System :: POSIX :: Linux"} <= set(classifiers)
    assert "Framework :: MkDocs" in classifiers
    requirements = [Requirement(line) for line in metadata.get_all("Requires-Dist") or []]
    assert {r.name.lower() for r in requirements} >= {"mkdocs", "pymdown-extensions", "markdown"}
    for requirement in requirements:
        operators = {spec.operator for spec in requirement.specifier}
        assert operators == {">=", "<"}, f"{requirement}: a floor and a ceiling"
    assert metadata["Version"] in (PLUGIN / "CHANGELOG.md").read_text(encoding="utf-8")


def test_the_floors_lock_pins_the_declared_floors() -> None:
    locked = pins(FLOORS_LOCK)
    for line in load_script("fencerun_wheels").floors():
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        floor = str(requirement.specifier).removeprefix("==")
        assert locked.get(name) == floor, (
            f"{FLOORS_LOCK} pins {name} {locked.get(name)}, plugins/fencerun/pyproject.toml's "
            f"floor is {floor}: compile the lock again (see its header)"
        )


def test_the_floors_the_wheelhouse_holds_are_the_declared_ones() -> None:
    floors = load_script("fencerun_wheels").floors()
    declared = {Requirement(line).name for line in floors}
    assert declared >= {"mkdocs", "pymdown-extensions", "Markdown"}
    for line in floors:
        name, version = line.split("==")
        wheel_name = re.sub(r"[-_.]+", "_", name).lower()
        found = [w for w in WHEELHOUSE.glob("*.whl") if w.name.lower().startswith(wheel_name)]
        assert any(f"-{version}-" in w.name for w in found), f"{line} not in {WHEELHOUSE}"


@dataclass(frozen=True)
class Stranger:
    """A clean venv with the wheel and one set of dependencies, and a site built in it."""

    root: Path
    theme: str

    @property
    def python(self) -> Path:
        return self.root / "venv" / "bin" / "python"

    def run(
        self, *command: str | Path, cwd: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        env = {
            name: value
            for name, value in os.environ.items()
            if name not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "FENCERUN_EXECUTE"}
        }
        env["NO_MKDOCS_2_WARNING"] = "1"
        env["PATH"] = f"{self.python.parent}{os.pathsep}{env.get('PATH', '')}"
        return subprocess.run(
            [str(part) for part in command],
            cwd=cwd or self.root,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )


def _install_sets(dist: Dist, folder: Path) -> dict[str, tuple[str, list[str]]]:
    """Each set's theme and pip arguments, with its lock's versions as constraints in `folder`.

    The wheelhouse's files were checked against the locks' hashes when downloaded. The hashes
    themselves would put the venv's bundled pip in hash-checking mode, which refuses the wheel
    built above and, before pip 26, every requirement that only a constraint pins.
    """
    sets = {}
    for name, lock, theme, packages in (
        ("pinned", REPO_ROOT / "requirements.lock", "material", ["mkdocs", "mkdocs-material"]),
        ("floors", FLOORS_LOCK, "mkdocs", load_script("fencerun_wheels").floors()),
    ):
        versions = folder / f"{name}-versions.txt"
        versions.write_text("".join(f"{n}=={v}\n" for n, v in pins(lock).items()), "utf-8")
        sets[name] = (theme, ["-c", str(versions), str(dist.wheel), *packages])
    return sets


def _require_fresh_wheelhouse() -> None:
    """The wheelhouse matches the locks and the manifest (the stamp scripts/_venv.sh writes)."""
    sources = (
        "requirements.lock",
        "tests/fencerun/package/floors.lock",
        "plugins/fencerun/pyproject.toml",
        "scripts/fencerun_wheels.py",
    )
    wanted = hashlib.sha256(b"".join((REPO_ROOT / name).read_bytes() for name in sources))
    stamp = WHEELHOUSE / ".downloaded"
    found = stamp.read_text(encoding="utf-8").strip() if stamp.exists() else "nothing"
    assert found == wanted.hexdigest(), (
        f"{WHEELHOUSE} was downloaded for other pins than {', '.join(sources)} hold: "
        "run scripts/test, which downloads the wheels again"
    )


@pytest.fixture(scope="session", params=["pinned", "floors"])
def stranger(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, dist: Dist
) -> Stranger:
    _require_fresh_wheelhouse()
    root = tmp_path_factory.mktemp(f"stranger-{request.param}")
    theme, packages = _install_sets(dist, root)[request.param]
    venv.create(root / "venv", with_pip=True)
    site = Stranger(root, theme)
    pip: list[str | Path] = [site.python, "-m", "pip", "install", "--disable-pip-version-check"]
    done = site.run(*pip, "-q", "--no-index", "--find-links", WHEELHOUSE, *packages)
    assert done.returncode == 0, (
        done.stdout + done.stderr + "\n(scripts/test downloads the wheels into .cache/wheelhouse)"
    )
    return site


def test_the_venv_holds_the_package_and_not_the_checkout(stranger: Stranger) -> None:
    done = stranger.run(stranger.python, "-c", "import fencerun; print(fencerun.__file__)")
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()).is_relative_to(stranger.root / "venv")
    command = stranger.run(stranger.python.parent / "fencerun", "--help")
    assert command.returncode == 0 and "prune" in command.stdout


def _readme_example() -> tuple[str, dict[str, object]]:
    """The README's page and its mkdocs.yml settings, as a reader would copy them."""
    readme = (PLUGIN / "README.md").read_text(encoding="utf-8")
    page = re.search(r"^````markdown\n(.*?)^````$", readme, re.S | re.M)
    settings = re.search(r"^```yaml\n(.*?)^```$", readme, re.S | re.M)
    assert page is not None and settings is not None, "the README's example moved"
    loaded = yaml.safe_load(settings.group(1))
    assert isinstance(loaded, dict)
    return page.group(1), loaded


@pytest.fixture(scope="session")
def built(stranger: Stranger) -> tuple[Stranger, subprocess.CompletedProcess[str]]:
    page, settings = _readme_example()
    project = stranger.root / "site-project"
    (project / "docs").mkdir(parents=True)
    config = {"site_name": "A stranger's site", "theme": {"name": stranger.theme}, **settings}
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (project / "docs" / "index.md").write_text(page, encoding="utf-8")
    shutil.copy(MARKDOWN_EXEC_PAGE, project / "docs" / "markdown-exec.md")
    done = stranger.run(stranger.python, "-m", "mkdocs", "build", "--strict", cwd=project)
    return stranger, done


def test_the_readme_example_builds_and_shows_its_output(
    built: tuple[Stranger, subprocess.CompletedProcess[str]],
) -> None:
    stranger, done = built
    assert done.returncode == 0, done.stdout + done.stderr
    html = (stranger.root / "site-project" / "site" / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    outputs = [code.get_text().strip() for code in soup.find_all("code")]
    assert 'print("hello")' in outputs and "hello" in outputs


def test_a_page_written_for_markdown_exec_builds_and_shows_its_outputs(
    built: tuple[Stranger, subprocess.CompletedProcess[str]],
) -> None:
    stranger, done = built
    assert done.returncode == 0, done.stdout + done.stderr
    page = stranger.root / "site-project" / "site" / "markdown-exec" / "index.html"
    text = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").get_text()
    for output in (
        "above-output",
        "below-output",
        "tabbed-left-output",
        "console-output",
        "block-output",
        "session-state",
        "pycon-output",
        "sh-output",
        "hidden-but-run",
    ):
        assert output in text
    assert "0 failed" in done.stdout + done.stderr
