"""The README's commands set themselves up: system packages, the Python they use.

Each test runs the real scripts in a copy of them (a "repository" in a temporary folder)
whose .venv holds this interpreter and a stand-in mkdocs, and whose PATH is a folder of
chosen commands: the machine is made to lack the site's commands, apt-get, sudo or a usable
Python, and nothing is installed or built for real.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest

from tests.site.built_site import REPO

SCRIPTS = ("site", "_venv.sh", "_system.sh", "system-packages")
# The commands the site's blocks run, by the Debian package that holds them.
SITE_PACKAGES = {
    "procps": ("ps", "pgrep", "pkill", "free", "vmstat"),
    "iproute2": ("ss", "ip"),
    "psmisc": ("pstree",),
    "curl": ("curl",),
    "mount": ("swapon",),
    "util-linux": ("findmnt", "lsblk", "unshare"),
    "gcc": ("gcc",),
}
SITE_COMMANDS = {command for commands in SITE_PACKAGES.values() for command in commands}
# What the setup scripts may call on any machine, macOS's /bin/bash 3.2 included: no
# sha256sum, no GNU options. (python3 is the interpreter the scripts pick.)
PORTABLE = (
    *("bash", "dirname", "basename", "cat", "mktemp", "mkdir", "rm", "id", "grep", "env"),
    "uname",
)
SBIN = ("/usr/local/sbin", "/usr/sbin", "/sbin")
# Installs a package by making its commands in the folder it lives in; logs each call.
FAKE_APT_GET = """#!/bin/sh
echo "apt-get $*" >>"$(dirname "$0")/../apt.log"
case " $* " in *" install "*) ;; *) exit 0 ;; esac
for package in "$@"; do
    case "$package" in
{cases}
    esac
done
"""


def link_commands(into: Path, names: Iterable[str]) -> None:
    """Links each command of this machine named in `names` into `into`."""
    into.mkdir(parents=True, exist_ok=True)
    for name in names:
        found = shutil.which(name)
        assert found is not None, f"this machine lacks {name}"
        if (into / name).exists():
            continue
        (into / name).symlink_to(found)


def executable(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


class Machine:
    """A copy of the setup scripts and a PATH of chosen commands to run them with."""

    def __init__(self, root: Path) -> None:
        self.repo = root / "repo"
        self.bin = root / "bin"
        (self.repo / "scripts").mkdir(parents=True)
        for script in SCRIPTS:
            shutil.copy2(REPO / "scripts" / script, self.repo / "scripts" / script)
        for lock in ("requirements-build.lock", "requirements.lock", "requirements-dev.lock"):
            shutil.copy2(REPO / lock, self.repo / lock)
        (self.repo / "plugins/example").mkdir(parents=True)
        (self.repo / "plugins/example/pyproject.toml").write_text("[project]\n", encoding="utf-8")
        self._make_venv()
        link_commands(self.bin, PORTABLE)
        (self.bin / "python3").symlink_to(sys.executable)

    def _make_venv(self) -> None:
        bin_dir = self.repo / ".venv/bin"
        bin_dir.mkdir(parents=True)
        # This interpreter, but never its pip: nothing is installed for real.
        executable(
            bin_dir / "python",
            '#!/bin/sh\n[ "$1 $2" = "-m pip" ] && { echo "pip ran" >&2; exit 97; }\n'
            # The preview, as a stand-in like mkdocs.
            '[ "$1 $2" = "-m site_preview" ] && '
            '{ echo "preview" >>"$(dirname "$0")/../ran"; exit; }\n'
            f'exec {sys.executable} "$@"\n',
        )
        executable(bin_dir / "mkdocs", '#!/bin/sh\necho "mkdocs $*" >>"$(dirname "$0")/../ran"\n')
        # Set up already: the stamp holds the digest ensure_venv takes over the lock, every
        # lock and every plugin manifest, in that order (globs sort bytewise under LC_ALL=C),
        # then the checkout the plugins were installed from.
        files = [self.repo / "requirements.lock", *sorted(self.repo.glob("requirements*.lock"))]
        files += sorted(self.repo.glob("plugins/*/pyproject.toml"))
        digest = hashlib.sha256(b"".join(path.read_bytes() for path in files)).hexdigest()
        (self.repo / ".venv/.installed-requirements.lock").write_text(f"{digest} {self.repo}\n")

    def has(self, *commands: str) -> None:
        link_commands(self.bin, commands)

    def has_apt(self) -> None:
        """apt-get that installs the site's packages, and a sudo for a test run by a user."""
        cases = "\n".join(
            f"        {package}) for c in {' '.join(commands)}; do "
            f'printf "#!/bin/sh\\n" >"$(dirname "$0")/$c"; chmod +x "$(dirname "$0")/$c"; done ;;'
            for package, commands in SITE_PACKAGES.items()
        )
        executable(self.bin / "apt-get", FAKE_APT_GET.format(cases=cases))
        executable(self.bin / "sudo", '#!/bin/sh\nexec "$@"\n')

    def run(self, *arguments: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", str(self.repo / "scripts" / arguments[0]), *arguments[1:]],
            env={"PATH": str(self.bin), "HOME": str(self.repo), "LC_ALL": "C", **env},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    @property
    def mkdocs_ran(self) -> list[str]:
        ran = self.repo / ".venv/ran"
        return ran.read_text(encoding="utf-8").splitlines() if ran.exists() else []

    @property
    def apt_calls(self) -> list[str]:
        log = self.bin.parent / "apt.log"
        return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def in_sbin(command: str) -> bool:
    """The scripts add the sbin folders to PATH (an ordinary user's Debian PATH lacks them)."""
    return shutil.which(command, path=os.pathsep.join(SBIN)) is not None


@pytest.fixture
def machine(tmp_path: Path) -> Machine:
    return Machine(tmp_path)


def test_build_stops_before_any_block_naming_missing_commands_and_their_packages(
    machine: Machine,
) -> None:
    result = machine.run("site", "build")
    assert result.returncode == 1
    assert machine.mkdocs_ran == [], "the build ran although the blocks' commands are missing"
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    missing_procps = ", ".join(SITE_PACKAGES["procps"])
    assert f"{missing_procps} (procps)" in errors[0]
    assert "pstree (psmisc)" in errors[0]
    assert ("swapon (mount)" in errors[0]) is not in_sbin("swapon")
    # No apt-get: Debian's names, and a way to build all the same.
    assert "this system's package manager" in errors[0]
    assert "FENCERUN_EXECUTE=0 scripts/site build" in errors[0]
    # gcc and unshare are optional: the posts say so in words when they are missing.
    assert "gcc" not in errors[0] and "unshare" not in errors[0]
    assert "gcc (gcc)" in result.stderr


def test_build_installs_missing_commands_with_apt_then_builds(machine: Machine) -> None:
    machine.has_apt()
    result = machine.run("site", "build")
    assert result.returncode == 0, result.stderr
    assert machine.apt_calls[0].startswith("apt-get -o DPkg::Lock::Timeout=600 update")
    installed = machine.apt_calls[1].split()
    assert installed[:4] == ["apt-get", "-o", "DPkg::Lock::Timeout=600", "install"]
    wanted = {
        package for package, commands in SITE_PACKAGES.items() if not all(map(in_sbin, commands))
    }
    assert set(installed[4:]) - {"-y", "-qq", "--no-install-recommends"} == wanted
    assert machine.mkdocs_ran == ["mkdocs build --strict"]
    # Run again: nothing is missing, nothing is installed.
    assert machine.run("site", "build").returncode == 0
    assert len(machine.apt_calls) == 2


def test_build_with_every_command_present_installs_nothing(machine: Machine) -> None:
    machine.has(*(c for c in SITE_COMMANDS if not in_sbin(c)))
    machine.has_apt()
    result = machine.run("site", "build", "--site-dir", "out")
    assert result.returncode == 0, result.stderr
    assert machine.apt_calls == []
    assert machine.mkdocs_ran == ["mkdocs build --strict --site-dir out"]
    assert result.stderr == ""


def test_a_venv_another_checkout_set_up_last_is_set_up_again(machine: Machine) -> None:
    """A copy of the project that links this .venv (a benchmark's) installs the plugins
    editable from itself: the stamp names the checkout, so this one reinstalls them."""
    stamp = machine.repo / ".venv/.installed-requirements.lock"
    digest = stamp.read_text().split()[0]
    stamp.write_text(f"{digest} /elsewhere/a-copy\n")
    machine.has(*(c for c in SITE_COMMANDS if not in_sbin(c)))
    result = machine.run("site", "build")
    assert "pip ran" in result.stderr  # set up again, with this checkout's plugins
    assert machine.mkdocs_ran == []


def test_serve_and_a_build_that_runs_no_block_do_not_need_the_commands(machine: Machine) -> None:
    result = machine.run("site", "build", FENCERUN_EXECUTE="0")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    served = machine.run("site", "serve")
    assert served.returncode == 0, served.stderr
    assert "serving anyway" in served.stderr
    assert machine.mkdocs_ran == [
        "mkdocs build --strict",
        "preview",
    ]


def test_off_linux_the_build_installs_nothing_and_goes_on(machine: Machine) -> None:
    # macOS: the blocks that need Linux commands are marked os="linux" and not run there.
    (machine.bin / "uname").unlink()
    executable(machine.bin / "uname", "#!/bin/sh\necho Darwin\n")
    machine.has_apt()
    result = machine.run("site", "build")
    assert result.returncode == 0, result.stderr
    assert "not Linux (Darwin)" in result.stderr and "error" not in result.stderr
    assert machine.apt_calls == []
    assert machine.mkdocs_ran == ["mkdocs build --strict"]


def test_two_set_ups_at_once_take_turns_and_install_once(machine: Machine) -> None:
    # A pip that takes its time and logs each call, with the set-up out of date: both
    # commands must see it, but only the first may install; the second waits, then finds
    # the stamp current.
    log = machine.repo / "pip.log"
    sleep = shutil.which("sleep")
    executable(
        machine.repo / ".venv/bin/python",
        '#!/bin/sh\nif [ "$1 $2" = "-m pip" ]; then\n'
        f'    echo "start $PPID" >>{log}; {sleep} 1; echo "end $PPID" >>{log}; exit 0\nfi\n'
        f'exec {sys.executable} "$@"\n',
    )
    (machine.repo / ".venv/.installed-requirements.lock").unlink()
    machine.has(*(c for c in SITE_COMMANDS if not in_sbin(c)))
    env = {"PATH": str(machine.bin), "HOME": str(machine.repo), "LC_ALL": "C"}
    builds = [
        subprocess.Popen(
            ["bash", str(machine.repo / "scripts/site"), "build"],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    stderrs = [build.communicate(timeout=120)[1] for build in builds]
    assert [build.returncode for build in builds] == [0, 0], stderrs
    calls = log.read_text(encoding="utf-8").split("\n")[:-1]
    # pip and the build backend, the lock, the one plugin: each started and ended before the
    # next, by one.
    installer = calls[0].split()[1]
    assert calls == [f"{what} {installer}" for _ in range(3) for what in ("start", "end")]
    assert sum("Waiting for another set-up" in text for text in stderrs) == 1, stderrs
    assert machine.mkdocs_ran == ["mkdocs build --strict"] * 2


def test_the_set_up_installs_hashed_locks_and_builds_the_plugins_offline(
    machine: Machine,
) -> None:
    # What comes from an index must match a hash in a lock, pip itself included; the plugins
    # are built from the checkout with the backend the build lock installed, and no index.
    log = machine.repo / "pip.log"
    executable(
        machine.repo / ".venv/bin/python",
        '#!/bin/sh\nif [ "$1 $2" = "-m pip" ]; then\n'
        f'    shift 2; echo "$*" >>{log}; exit 0\nfi\n'
        f'exec {sys.executable} "$@"\n',
    )
    (machine.repo / ".venv/.installed-requirements.lock").unlink()
    result = machine.run("site", "build", FENCERUN_EXECUTE="0")
    assert result.returncode == 0, result.stderr
    installs = [call.split() for call in log.read_text(encoding="utf-8").splitlines()]
    assert installs and all(words[0] == "install" for words in installs), installs
    locks = []
    for words in installs:
        if "-e" in words:
            assert {"--no-index", "--no-deps", "--no-build-isolation"} <= set(words), words
        else:
            assert "--require-hashes" in words and "-r" in words, f"unpinned: pip {words}"
            locks.append(Path(words[words.index("-r") + 1]).name)
    assert locks == ["requirements-build.lock", "requirements.lock"]
    assert sum("-e" in words for words in installs) == 1


def test_a_python_set_in_PYTHON_that_cannot_be_used_is_an_error(machine: Machine) -> None:
    result = machine.run("site", "build", PYTHON="no-such-python3")
    assert result.returncode == 1
    assert "PYTHON=no-such-python3 is not a program on this machine" in result.stderr
    old = machine.bin / "python3.10"
    # Says its version; refuses everything else, as the version check would.
    executable(old, "#!/bin/sh\n[ \"$1\" = --version ] || exit 1\necho 'Python 3.10.12'\n")
    result = machine.run("site", "build", PYTHON=str(old))
    assert result.returncode == 1
    assert f"PYTHON={old} is Python 3.10.12; the site needs Python 3.11 or newer" in result.stderr
    assert machine.mkdocs_ran == []


def test_no_usable_python_at_all_names_the_floor(machine: Machine) -> None:
    (machine.bin / "python3").unlink()
    result = machine.run("site", "build")
    assert result.returncode == 1
    assert "error: Python 3.11 or newer is needed" in result.stderr


def test_tests_packages_off_debian_are_a_note_not_a_failure(machine: Machine) -> None:
    # macOS: no dpkg, no apt-get. What the tests need is named; the command goes on.
    machine.has(*(c for c in SITE_COMMANDS if not in_sbin(c)))
    executable(machine.bin / "npm", "#!/bin/sh\n")
    result = machine.run("system-packages", "tests")
    assert result.returncode == 0, result.stderr
    assert "not Debian or Ubuntu" in result.stderr
    assert "chromium" in result.stderr


def test_the_node_tools_stamp_needs_no_gnu_tools(tmp_path: Path) -> None:
    # Installed by the suite's own setup: with only portable commands and npm on PATH the
    # script finds the stamp current and leaves node_modules alone.
    stamp = REPO / "scripts/node/node_modules/.installed-lock"
    before = stamp.read_text(encoding="utf-8")
    link_commands(tmp_path, (*PORTABLE, "npm"))
    result = subprocess.run(
        ["bash", str(REPO / "scripts/node/install")],
        env={"PATH": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", "the stamp was not recognised: the lock would be installed again"
    assert stamp.read_text(encoding="utf-8") == before
