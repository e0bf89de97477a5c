"""Runs tests of tests/hostile/ again as an ordinary user, after scripts/test ran them as root.

An ordinary user's build confines its blocks another way than root's (a user namespace per
block, RLIMIT_NPROC for a cap, no pids cgroup), and CI runs as root: without this run that
way would go untested. The user is nobody, uid and gid 65534 with no groups, reached with
setpriv: no account to make, no sudo. It cannot enter root's home, where the checkout, its
.venv and the Python the venv was made from may sit, so it gets, in a fresh folder under
/var/tmp, all of it owned by root and readable by anyone:

- a venv made from a Python of the same version that nobody may run, holding the .venv's
  own site-packages, hard-linked (copied where a link cannot be made): nothing downloaded
  or installed, well under a second;
- a copy of the checkout without git data, environments, caches and built site; the venv
  imports the project's plugins from there;
- a home folder of its own (nobody's only), outside /tmp as a home is, for blocks get a
  private /tmp.

pytest's temporary folders are in a folder of nobody's own under /tmp, as root's are; both
folders are removed when the run ends.

    python scripts/hostile_as_user.py SELECTION    (as root, with the checkout's .venv)

SELECTION holds the node ids of the tests to run, one a line, as the root run listed them
(tests/hostile/conftest.py). Exits with pytest's status.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path
from typing import NoReturn

REPO_ROOT = Path(__file__).resolve().parent.parent
NOBODY = 65534
AS_NOBODY = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
# Left out of the checkout's copy: git data, environments, stores and output of builds.
LEFT_OUT = {".git", ".venv", ".cache", "site", "test-artifacts"}
NOT_COPIED = shutil.ignore_patterns("__pycache__", "node_modules", ".*_cache", ".hypothesis")
# Root's own: its home, names, folders (XDG_* too), and the root run's selection file.
ROOTS_OWN = {
    "HOME",
    "USER",
    "LOGNAME",
    "PWD",
    "OLDPWD",
    "TMPDIR",
    "VIRTUAL_ENV",
    "PYTHONPATH",
    "PYTHONHOME",
    "HOSTILE_SELECTION",
}


def _share(source: str, target: str) -> str:
    """`source` at `target`, readable by nobody and writable by root alone: a hard link
    where the file already is so (it costs nothing), else a copy made so."""
    mode = os.stat(source).st_mode
    if mode & stat.S_IROTH and not mode & (stat.S_IWGRP | stat.S_IWOTH):
        try:
            os.link(source, target)
            return target
        except OSError:
            pass  # another file system: copied
    shutil.copyfile(source, target)
    os.chmod(target, 0o755 if mode & 0o111 else 0o644)
    return target


def _open_folders(root: Path) -> None:
    """Folders anyone may enter and only root may change (a copy keeps its source's mode)."""
    for folder, _, _ in os.walk(root):
        os.chmod(folder, 0o755)


def _fail(message: str) -> NoReturn:
    sys.exit(f"error: {message}")


def _nobody_runs(python: str) -> bool:
    """Whether nobody may run `python`, of this version, and it may start itself again (the
    workers are started from sys.executable). Started through env, as a process of nobody's
    starts it: setpriv's own exec has been seen to reach what theirs cannot."""
    check = (
        "import subprocess, sys\n"
        f"sys.exit(sys.version_info[:2] != {sys.version_info[:2]}"
        " or subprocess.run([sys.executable, '-c', 'pass']).returncode)"
    )
    done = subprocess.run([*AS_NOBODY, "env", python, "-c", check], capture_output=True)
    return done.returncode == 0


def python_for_nobody() -> str:
    """A Python of this venv's version that nobody may run: the one the venv was made from
    where nobody can reach it, else the system's (the venv's packages are built for it)."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    candidates = [
        os.path.realpath(sys.executable),
        shutil.which(f"python{version}"),
        f"/usr/bin/python{version}",
    ]
    tried = list(dict.fromkeys(filter(None, candidates)))
    for candidate in tried:
        if _nobody_runs(candidate):
            return candidate
    _fail(
        f"no Python {version} that an ordinary user may run (tried {', '.join(tried)}):"
        f" tests/hostile/ runs again as uid {NOBODY} with the .venv's packages, built for"
        f" {version}; install python{version} outside root's home (Debian: apt-get install"
        f" python{version}) or make .venv from one that is (PYTHON=/usr/bin/python{version})"
    )


def make_venv(venv: Path, python: str, plugins: Path) -> None:
    """A venv of `python` with this venv's packages and the plugins of the copied checkout."""
    made = subprocess.run(
        [python, "-m", "venv", "--without-pip", str(venv)], capture_output=True, text=True
    )
    if made.returncode != 0:
        _fail(f"{python} -m venv --without-pip {venv} failed:\n{made.stdout}{made.stderr}")
    ask = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site_packages = subprocess.check_output([venv / "bin" / "python", "-c", ask], text=True)
    target = Path(site_packages.strip())
    shutil.copytree(
        sysconfig.get_paths()["purelib"],
        target,
        symlinks=True,
        dirs_exist_ok=True,
        # An editable install points at the checkout's own plugins, out of nobody's reach.
        ignore=shutil.ignore_patterns("__editable__*"),
        copy_function=_share,
    )
    sources = sorted(str(source) for source in plugins.glob("*/src"))
    (target / "checkout-plugins.pth").write_text("".join(f"{path}\n" for path in sources))


def copy_checkout(into: Path) -> None:
    into.mkdir()
    for entry in REPO_ROOT.iterdir():
        if entry.name in LEFT_OUT:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(
                entry, into / entry.name, symlinks=True, ignore=NOT_COPIED, copy_function=_share
            )
        elif entry.is_symlink():
            (into / entry.name).symlink_to(os.readlink(entry))
        else:
            _share(str(entry), str(into / entry.name))


def folder_of_nobody(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    os.chown(folder, NOBODY, NOBODY)
    folder.chmod(0o700)
    return folder


def run(node_ids: list[str]) -> int:
    if shutil.which("setpriv") is None:
        _fail("setpriv is needed to run tests/hostile/ as an ordinary user (Debian: util-linux)")
    started = time.monotonic()
    python = python_for_nobody()
    shared = Path(tempfile.mkdtemp(prefix="fencerun-as-user-", dir="/var/tmp"))
    scratch = Path(tempfile.mkdtemp(prefix="fencerun-as-user-", dir="/tmp"))
    try:
        checkout, venv = shared / "checkout", shared / "venv"
        copy_checkout(checkout)
        make_venv(venv, python, checkout / "plugins")
        _open_folders(shared)
        home = folder_of_nobody(shared / "home")
        folder_of_nobody(scratch)
        env = {
            name: value
            for name, value in os.environ.items()
            if name not in ROOTS_OWN and not name.startswith("XDG_")
        }
        env["HOME"] = str(home)
        env["PATH"] = f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', os.defpath)}"
        print(
            f"\n{len(node_ids)} tests of tests/hostile/ again as an ordinary user (uid {NOBODY},"
            f" no groups, {python}), set up in {time.monotonic() - started:.1f} s",
            flush=True,
        )
        pytest = [str(venv / "bin" / "python"), "-m", "pytest", "-p", "no:cacheprovider"]
        pytest.append(f"--basetemp={scratch / 'pytest'}")
        return subprocess.run([*AS_NOBODY, *pytest, *node_ids], cwd=checkout, env=env).returncode
    finally:
        shutil.rmtree(shared, ignore_errors=True)
        shutil.rmtree(scratch, ignore_errors=True)


def main() -> None:
    if len(sys.argv) != 2:
        _fail("usage: python scripts/hostile_as_user.py SELECTION (a file of node ids)")
    if os.geteuid() != 0 or sys.prefix == sys.base_prefix:
        _fail("run as root with the checkout's .venv, whose packages the ordinary user gets")
    node_ids = Path(sys.argv[1]).read_text(encoding="utf-8").splitlines()
    sys.exit(run(node_ids))


if __name__ == "__main__":
    main()
