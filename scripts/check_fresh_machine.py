"""Runs the README's commands on a freshly made Debian system, as a newcomer would.

Makes a minimal Debian root with mmdebstrap (python3, python3-venv, git and
ca-certificates; sudo too when the commands run as an ordinary user), clones this
repository into it and runs the given commands one after another in it, each as its own
"container": the root is a mount point of its own with /proc, /sys (recursively, cgroup
mounts included) and /dev under it, made the root of a private mount namespace with
pivot_root rather than chroot, so the kernel treats it as a container's root. Prints each
command's exit code and time; each command's output goes to a log, and its last lines are
shown when it fails. Needs root and mmdebstrap; downloads a Debian system, and then the
packages the commands install, so it is not part of the test suite.

`--workflow` runs every `run:` step of .github/workflows/publish.yml instead, in order,
with the environment GitHub gives a step (CI, GITHUB_ACTIONS, the job's and step's env).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import click
import yaml

REPO = Path(__file__).resolve().parent.parent
WORKFLOW = Path(".github/workflows/publish.yml")
RELEASES = {"12": "bookworm", "13": "trixie"}
BASE_PACKAGES = ["python3", "python3-venv", "git", "ca-certificates"]
USER = "runner"
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# What the workflow's expressions stand for outside GitHub.
EXPRESSIONS = {"steps.pages.outputs.base_url": "https://example.github.io/linus.log"}
LOG_TAIL = 40

# Mounts what a container runtime would under the root, then makes the root the mount
# namespace's own root (pivot_root), so nothing of the host's file tree stays reachable.
ENTER_ROOT = r"""
set -e
root=$1
shift
mount --bind "$root" "$root"
mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys"
mount --rbind /dev "$root/dev"
cd "$root"
pivot_root . .
umount -l .
cd /
exec "$@"
"""


@dataclass
class Step:
    """One command to run in the root, as the user the run is for."""

    name: str
    script: str
    env: dict[str, str] = field(default_factory=dict)


def fail(message: str) -> None:
    print(f"check-fresh-machine: error: {message}", file=sys.stderr)
    raise SystemExit(2)


def run_host(command: list[str], log: Path | None = None) -> None:
    """Runs a setup command on the host; its output goes to LOG, shown if it fails."""
    with open(log or os.devnull, "a", encoding="utf-8") as out:
        out.write(f"$ {shlex.join(command)}\n")
        out.flush()
        result = subprocess.run(
            command, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, check=False
        )
    if result.returncode != 0:
        if log is not None:
            print(tail(log), file=sys.stderr)
        fail(f"{shlex.join(command)} exited with {result.returncode}")


def tail(log: Path, lines: int = LOG_TAIL) -> str:
    text = log.read_text(encoding="utf-8", errors="replace").splitlines()
    return "\n".join(text[-lines:])


def in_root(root: Path, command: list[str]) -> list[str]:
    """COMMAND run inside ROOT as inside a container (see ENTER_ROOT)."""
    return [
        "unshare",
        "--mount",
        "--propagation",
        "private",
        "--",
        "/bin/sh",
        "-c",
        ENTER_ROOT,
        "sh",
        str(root),
        *command,
    ]


def make_root(root: Path, release: str, user: str, trust: tuple[Path, ...], log: Path) -> None:
    packages = [*BASE_PACKAGES, *(["sudo"] if user != "root" else [])]
    run_host(
        [
            "mmdebstrap",
            "--variant=minbase",
            f"--include={','.join(packages)}",
            RELEASES[release],
            str(root),
        ],
        log,
    )
    # A container runtime writes /etc/hosts; a minimal root has none (sudo looks its name up).
    hostname = (root / "etc/hostname").read_text(encoding="utf-8").strip() or "localhost"
    (root / "etc/hosts").write_text(
        f"127.0.0.1\tlocalhost\n127.0.1.1\t{hostname}\n::1\tlocalhost\n", encoding="utf-8"
    )
    if trust:
        # A network path that inspects TLS: its authority joins the root's store, and pip
        # and npm (which bring their own lists of authorities) are pointed at that store.
        for index, certificate in enumerate(trust):
            target = root / f"usr/local/share/ca-certificates/extra-{index}.crt"
            shutil.copyfile(certificate, target)
        run_host(in_root(root, ["update-ca-certificates"]), log)
        store = "/etc/ssl/certs/ca-certificates.crt"
        (root / "etc/pip.conf").write_text(f"[global]\ncert = {store}\n", encoding="utf-8")
        (root / "etc/npmrc").write_text(f"cafile={store}\n", encoding="utf-8")
    if user != "root":
        # A uid of its own: per-user limits (RLIMIT_NPROC) count every process of that uid
        # on the kernel, so two checks at once, or a host user, must not share one.
        uid = str(20000 + os.getpid() % 40000)
        useradd = ["useradd", "--create-home", "--shell", "/bin/bash", "--uid", uid, user]
        run_host(in_root(root, useradd), log)
        sudoers = root / "etc/sudoers.d" / user
        sudoers.write_text(f"{user} ALL=(ALL) NOPASSWD:ALL\n", encoding="utf-8")
        sudoers.chmod(0o440)


def clone(root: Path, user: str, revision: str, log: Path) -> str:
    """Clones this repository at REVISION into the user's home; returns the path inside."""
    home = "/root" if user == "root" else f"/home/{user}"
    inside = f"{home}/linus.log"
    target = root / inside.lstrip("/")
    run_host(["git", "clone", "--quiet", "--no-hardlinks", str(REPO), str(target)], log)
    run_host(["git", "-C", str(target), "checkout", "--quiet", "--detach", revision], log)
    if user != "root":
        run_host(in_root(root, ["chown", "-R", f"{user}:{user}", inside]), log)
    return inside


def readme_steps(commands: list[str]) -> list[Step]:
    return [Step(name=command, script=command) for command in commands]


def expand(text: str) -> str:
    def value(match: re.Match[str]) -> str:
        expression = match.group(1).strip()
        if expression not in EXPRESSIONS:
            fail(f"{WORKFLOW}: no stand-in value for the expression ${{{{ {expression} }}}}")
        return EXPRESSIONS[expression]

    return re.sub(r"\$\{\{(.*?)\}\}", value, text)


def workflow_steps(checkout: Path) -> list[Step]:
    """Every `run:` step of the workflow, in file order, with its job's and its own env."""
    workflow = yaml.safe_load((checkout / WORKFLOW).read_text(encoding="utf-8"))
    base = {key: expand(str(value)) for key, value in (workflow.get("env") or {}).items()}
    steps: list[Step] = []
    for job_name, job in workflow["jobs"].items():
        job_env = {key: expand(str(value)) for key, value in (job.get("env") or {}).items()}
        for index, step in enumerate(job.get("steps", []), start=1):
            if "run" not in step:
                continue
            step_env = {key: expand(str(value)) for key, value in (step.get("env") or {}).items()}
            name = f"{job_name} #{index}: {step.get('name') or step['run'].splitlines()[0]}"
            steps.append(Step(name, expand(step["run"]), {**base, **job_env, **step_env}))
    return steps


def run_step(
    root: Path, user: str, checkout: str, step: Step, env: dict[str, str], log: Path
) -> int:
    home = "/root" if user == "root" else f"/home/{user}"
    variables = {"HOME": home, "USER": user, "LOGNAME": user, "PATH": PATH, **env, **step.env}
    # GitHub runs a step's script with bash -e and pipefail; the README's commands are typed
    # into a shell. Either way stdin is empty, as in CI.
    shell = ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step.script]
    command = ["env", "-i", *(f"{key}={value}" for key, value in variables.items()), *shell]
    as_user = ["runuser", "-u", user, "--"] if user != "root" else []
    inside = in_root(root, [*as_user, "/bin/sh", "-c", 'cd "$0" && exec "$@"', checkout, *command])
    with open(log, "a", encoding="utf-8") as out:
        out.write(f"\n$ {step.script}\n")
        out.flush()
        return subprocess.run(
            inside, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, check=False
        ).returncode


README_COMMANDS = ("scripts/site build", "scripts/test", "scripts/site build", "scripts/test")


@click.command(
    help="Run the README's commands (or the workflow's steps) on a fresh Debian root.\n\n"
    "COMMANDS run in order (default: build, test, build, test)."
)
@click.option(
    "--debian",
    type=click.Choice(sorted(RELEASES)),
    default="12",
    show_default=True,
    help="Debian release",
)
@click.option(
    "--user",
    type=click.Choice(["root", USER]),
    default="root",
    show_default=True,
    help=f"run as root or as the ordinary user {USER!r} with sudo",
)
@click.option(
    "--revision", default="HEAD", show_default=True, help="commit of this repository to clone"
)
@click.option(
    "--workflow",
    is_flag=True,
    help="run the workflow's run: steps instead of the README's commands",
)
@click.option(
    "--trust-ca",
    "trusted",
    type=click.Path(path_type=Path),
    multiple=True,
    metavar="CERT",
    help="a certificate authority the network path needs (TLS inspection)",
)
@click.option("--keep", is_flag=True, help="keep the root afterwards")
@click.argument("commands", nargs=-1, default=README_COMMANDS)
def main(
    debian: str,
    user: str,
    revision: str,
    workflow: bool,
    trusted: tuple[Path, ...],
    keep: bool,
    commands: tuple[str, ...],
) -> None:
    # Started in the background (nohup ... &), this process ignores SIGINT and SIGQUIT, and
    # the commands would inherit that: Ctrl-C would not stop a build in the root. A handler
    # is reset to the default in every program started, as under a login shell.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGQUIT, signal.SIG_DFL)
    if os.geteuid() != 0:
        fail("needs root: it makes a Debian root with mmdebstrap and mounts /proc, /sys, /dev")
    for tool in ("mmdebstrap", "unshare", "pivot_root"):
        if shutil.which(tool) is None:
            fail(f"{tool} is not installed (Debian: apt-get install mmdebstrap util-linux)")
    for certificate in trusted:
        if not certificate.is_file():
            fail(f"--trust-ca {certificate}: no such file")
    resolved = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--verify", f"{revision}^{{commit}}"],
        capture_output=True,
        text=True,
        check=False,
    )
    if resolved.returncode != 0:
        fail(f"--revision {revision}: not a commit of this repository")
    commit = resolved.stdout.strip()
    label = f"debian-{debian}-{user}{'-workflow' if workflow else ''}"
    # Outside the repository: the root is a whole system, and its owner may differ.
    root = Path(tempfile.mkdtemp(prefix=f"fresh-{label}-", dir="/var/tmp"))
    root.chmod(0o755)  # it becomes "/", which every user must be able to enter
    log = root.with_suffix(".log")
    print(f"{label}: commit {commit[:12]}, root {root}, log {log}", flush=True)
    try:
        started = time.monotonic()
        make_root(root, debian, user, trusted, log)
        checkout = clone(root, user, commit, log)
        python = subprocess.run(
            in_root(root, ["python3", "-c", "import platform; print(platform.python_version())"]),
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        print(
            f"{label}: root made in {time.monotonic() - started:.0f} s, Python {python}", flush=True
        )
        steps = (
            workflow_steps(root / checkout.lstrip("/"))
            if workflow
            else readme_steps(list(commands))
        )
        env = {"CI": "true", "GITHUB_ACTIONS": "true"} if workflow else {}
        failures = 0
        for step in steps:
            started = time.monotonic()
            mark = log.stat().st_size
            code = run_step(root, user, checkout, step, env, log)
            print(
                f"{label}: {step.name}: exit {code} in {time.monotonic() - started:.0f} s",
                flush=True,
            )
            if code != 0:
                failures += 1
                with open(log, encoding="utf-8", errors="replace") as out:
                    out.seek(mark)
                    lines = out.read().splitlines()
                print("\n".join(f"    {line}" for line in lines[-LOG_TAIL:]), flush=True)
        if failures:
            raise SystemExit(1)
    finally:
        if keep:
            print(f"{label}: root kept at {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main(prog_name="scripts/check-fresh-machine")
