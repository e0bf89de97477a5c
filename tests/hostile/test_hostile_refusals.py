"""A host that refuses a system call fencerun makes (a seccomp profile, an old kernel): the
build never hangs. Each refused protection is left out and named on the protections line;
a worker that cannot start fails the build at once, with its reason."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fencerun.isolation import libc
from fencerun.model import Block, BlockOptions, SourceLocation
from fencerun.run import Executor, WorkerFailure, worker_slot

from tests.fencerun.conftest import build_env, write_project

REFUSALS = Path(__file__).with_name("refusals.py")
PAGE = """
# Page

```bash exec="on"
echo shell; hostname
```

```python exec="on"
print("python")
```
"""
PR_SET_PDEATHSIG, PR_SET_CHILD_SUBREAPER, PR_SET_NO_NEW_PRIVS = 1, 36, 38
PR_CAPBSET_DROP, PR_CAP_AMBIENT, PR_SET_DUMPABLE = 24, 47, 4
# The clone that gives a block of an ordinary user's build its PID namespace (plain forks,
# with other flags, stay allowed).
CLONE_INTO_PID_NAMESPACE = libc.CLONE_NEWUSER | libc.CLONE_NEWPID | 17

IDMAP_REFUSED = "unprivileged uid for blocks with a workdir (idmapped mount:"
# (call, first argument, errno) -> what the protections line says is missing ("" for calls
# whose refusal costs no protection).
CASES = {
    ("prctl", PR_SET_CHILD_SUBREAPER, "EPERM"): "subreaper (prctl PR_SET_CHILD_SUBREAPER",
    ("prctl", PR_SET_PDEATHSIG, "EPERM"): "death signal (prctl PR_SET_PDEATHSIG refused)",
    ("prctl", PR_SET_NO_NEW_PRIVS, "EPERM"): "no_new_privs (prctl PR_SET_NO_NEW_PRIVS",
    ("prctl", PR_CAPBSET_DROP, "EPERM"): "capabilities",
    ("prctl", PR_CAP_AMBIENT, "EPERM"): "capabilities",
    ("prctl", PR_SET_DUMPABLE, "EPERM"): "",
    ("capset", None, "EPERM"): "capabilities",
    ("unshare", None, "EPERM"): "mount namespace (unshare",
    ("setns", None, "EPERM"): "network namespace",
    ("mount", None, "EPERM"): "mount namespace (",
    ("mount_setattr", None, "EPERM"): "mount namespace (",
    ("mount_setattr", None, "ENOSYS"): f"{IDMAP_REFUSED} mount_setattr",
    ("open_tree", None, "EPERM"): f"{IDMAP_REFUSED} open_tree",
    ("move_mount", None, "EPERM"): f"{IDMAP_REFUSED} move_mount",
    ("sethostname", None, "EPERM"): "UTS namespace (host name",
    ("pidfd_open", None, "EPERM"): "",
    ("setresuid", None, "EPERM"): "",
    ("clone", CLONE_INTO_PID_NAMESPACE, "EPERM"): "",
    ("setreuid", None, "EPERM"): "unprivileged uid (setreuid: Operation not permitted)",
    ("setgroups", None, "EPERM"): "unprivileged uid (setgroups: Operation not permitted)",
}


# Where an ordinary user's build takes another way: each block makes a user namespace (which
# unshare then refuses first), and no fork server joins a namespace (setns is never made).
AS_AN_ORDINARY_USER: dict[tuple[str, int | None, str], str] = {
    ("unshare", None, "EPERM"): "user namespaces (unshare",
    ("setns", None, "EPERM"): "",
    ("clone", CLONE_INTO_PID_NAMESPACE, "EPERM"): "PID namespace (clone: Operation not permitted)",
    # Its blocks are uid 0 of a user namespace of their own, mapped to it: they change no
    # uid and need no idmapped mount.
    ("mount_setattr", None, "ENOSYS"): "",
    ("open_tree", None, "EPERM"): "",
    ("move_mount", None, "EPERM"): "",
    ("setreuid", None, "EPERM"): "",
    ("setgroups", None, "EPERM"): "",
}


def _name(case: tuple[str, int | None, str]) -> str:
    call, argument, error = case
    return f"{call}{'' if argument is None else f':{argument}'}-{error}"


@pytest.mark.parametrize("case", list(CASES), ids=[_name(case) for case in CASES])
def test_a_refused_call_leaves_out_its_protection_and_says_so(
    tmp_path: Path, case: tuple[str, int | None, str]
) -> None:
    call, argument, error = case
    tmp_path.chmod(0o755)  # a checkout, readable to every user
    write_project(tmp_path, {"index.md": PAGE})
    spec = call if argument is None else f"{call}:{argument}"
    command = [sys.executable, str(REFUSALS), spec, error, "--"]
    command += [sys.executable, "-m", "mkdocs", "build", "--strict"]
    started = time.monotonic()
    done = subprocess.run(
        command, cwd=tmp_path, env=build_env(), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started < 60
    assert "Traceback" not in done.stderr
    (line,) = [line for line in done.stderr.splitlines() if "blocks run with:" in line]
    missing = line.partition("; not available: ")[2]
    said = CASES[case] if os.geteuid() == 0 else AS_AN_ORDINARY_USER.get(case, CASES[case])
    if said == "capabilities":
        assert "capabilities dropped" not in line
        assert "capability dropping (refused)" in missing
    elif said:
        assert said in missing, line
    html = (tmp_path / "site" / "index.html").read_text()
    assert "shell" in html and "python" in html


def test_a_worker_that_cannot_start_fails_its_blocks_at_once(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reason = "fencerun worker: could not start: prctl 36: Operation not permitted"
    monkeypatch.setattr(worker_slot, "_BOOT", f"import sys; sys.exit({reason!r})")
    block = Block(
        language="bash",
        code="echo never",
        options=BlockOptions(),
        location=SourceLocation("page.md", 3),
        index=0,
    )
    started = time.monotonic()
    with Executor(project_dir=project, workers=2) as pool:
        (future,) = pool.submit([block])
        with pytest.raises(WorkerFailure, match="ended as it started") as raised:
            future.result(timeout=10)
        with pytest.raises(WorkerFailure):
            pool.protections_summary()
    assert "page.md:3" in str(raised.value)
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("call", ["unshare", "setns"])
def test_a_refused_namespace_call_is_named_whichever_python_makes_it(
    monkeypatch: pytest.MonkeyPatch, call: str
) -> None:
    """Python 3.12+ makes these calls itself and names none in its error; the protections
    line must name the refused call all the same."""

    def refused(*arguments: int) -> None:
        raise PermissionError(errno.EPERM, os.strerror(errno.EPERM))

    monkeypatch.setattr(os, call, refused, raising=False)
    with pytest.raises(OSError) as raised:
        if call == "unshare":
            libc.unshare(libc.CLONE_NEWNS)
        else:
            libc.setns(0, libc.CLONE_NEWNET)
    assert raised.value.strerror == f"{call}: Operation not permitted"
