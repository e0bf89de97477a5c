"""A build that is not root, as on a CI runner, gets the same protections for its blocks.

The tests here run as root on the development machine, where the workers make PID namespaces
and drop capabilities; a build by an ordinary user takes another way: each block makes a
user namespace (uid 0 inside it, nothing outside) and its own network namespace. So the
checks run again in a process that has given up root, through setpriv, with an
interpreter that such a user may run.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterator, Sequence
from pathlib import Path

import fencerun
import pytest

from tests.hostile.conftest import CAP
from tests.hostile.test_fork_bombs import FORK_LOOP, UNDER_THE_CAP

NOBODY = 65534

# Run by the unprivileged user: four blocks, their results as JSON on stdout.
BUILD = textwrap.dedent(
    """\
    import json, os, sys
    from fencerun.model import Block, BlockOptions, SourceLocation
    from fencerun.run import Executor

    BLOCKS = [
        ("python", "import os\\nopen('/tmp/left-behind', 'w').close()\\nprint(os.getuid())"),
        ("bash", f"ls /tmp; touch {sys.argv[1]}/outside 2>/dev/null || echo read-only"),
        ("python",
         "import socket\\n"
         "try:\\n"
         f"    socket.create_connection(('127.0.0.1', {sys.argv[2]}), timeout=2)\\n"
         "    print('connected')\\n"
         "except OSError as error:\\n"
         "    print(type(error).__name__)"),
        # The build itself, a process of the same user: out of a block's reach.
        ("bash", f"kill -0 {os.getpid()} 2>/dev/null && echo reached || echo out-of-reach\\n"
                 "ls /proc | grep -c '^[0-9]'"),
    ]
    results = []
    with Executor(project_dir=sys.argv[1], workers=1) as executor:
        summary = executor.protections_summary()
        for number, (language, code) in enumerate(BLOCKS):
            block = Block(language=language, code=code, options=BlockOptions(),
                          location=SourceLocation("page.md", number + 1), index=number)
            result = executor.submit([block])[0].result(timeout=60)
            results.append([result.returncode, result.output])
    print(json.dumps({"summary": summary, "results": results}))
    """
)


# Run by the unprivileged user, for each variant: a calm block and a fork loop, while the
# user runs more processes than a block may have, started after the workers were. JSON out.
CAPPED_BUILD = textwrap.dedent(
    """\
    import json, subprocess, sys
    from fencerun.isolation import IsolationPolicy
    from fencerun.model import Block, BlockOptions, SourceLocation
    from fencerun.run import Executor

    project, cap, calm, loop = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    report = {}
    for variant in ("namespaces", "fallback", "portable"):
        policy = IsolationPolicy(
            linux_isolation=variant != "portable", namespaces=variant == "namespaces",
            max_processes=cap,
        )
        with Executor(project_dir=project, workers=1, policy=policy) as pool:
            summary = pool.protections_summary()
            others = [subprocess.Popen(["sleep", "120"]) for _ in range(cap + 8)]
            try:
                results = []
                for number, (language, code) in enumerate([("bash", calm), ("python", loop)]):
                    block = Block(language=language, code=code, options=BlockOptions(timeout=10),
                                  location=SourceLocation("page.md", number + 1), index=number)
                    result = pool.submit([block])[0].result(timeout=120)
                    results.append([result.returncode, result.shown_output, result.process_cap])
            finally:
                for other in others:
                    other.kill()
                    other.wait()
        report[variant] = {"summary": summary, "calm": results[0], "loop": results[1]}
    print(json.dumps(report))
    """
)


def _as_nobody(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command  # already an ordinary user
    return ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *command]


def _python_for_nobody(env: dict[str, str]) -> str:
    """This interpreter if an ordinary user may run it, else one of the same version that
    can (an interpreter installed under /root is out of reach)."""
    wanted = f"{sys.version_info.major}.{sys.version_info.minor}"
    candidates = [
        sys.executable,
        os.path.realpath(sys.executable),  # the venv's base interpreter
        shutil.which(f"python{wanted}"),
        "/usr/bin/python3",
    ]
    # The workers are started from sys.executable: the user must be able to run that too.
    check_code = (
        "import subprocess, sys, fencerun\n"
        "subprocess.run([sys.executable, '-c', 'pass'], check=True)\n"
        "print(sys.version[:4])"
    )
    for candidate in filter(None, candidates):
        check = subprocess.run(
            _as_nobody([candidate, "-c", check_code]),
            env=env,
            capture_output=True,
            text=True,
        )
        if check.returncode == 0 and check.stdout.strip() == wanted:
            return candidate
    pytest.fail(f"no Python {wanted} that an ordinary user can run: tried {candidates}")


@pytest.fixture
def open_project() -> Iterator[Path]:
    """A project folder an ordinary user can read (pytest's own are root's only)."""
    folder = Path(
        subprocess.check_output(["mktemp", "-d", "/tmp/fencerun-nobody-XXXX"], text=True).strip()
    )
    folder.chmod(0o755)
    (folder / "page.md").write_text("# page\n")
    (folder / "page.md").chmod(0o644)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def open_fencerun() -> Iterator[Path]:
    """A copy of fencerun's package an ordinary user can read: the checkout, and with it the
    venv, may sit in root's home, which others cannot enter. fencerun.run needs nothing else.
    """
    folder = Path(
        subprocess.check_output(["mktemp", "-d", "/tmp/fencerun-lib-XXXX"], text=True).strip()
    )
    folder.chmod(0o755)
    shutil.copytree(
        Path(fencerun.__file__).parent,
        folder / "fencerun",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _build_as_nobody(
    code: str,
    project: Path,
    fencerun_copy: Path,
    *arguments: str,
    timeout: float,
    host: Sequence[str] = (),
) -> subprocess.CompletedProcess[str]:
    """Runs `code` (given the project folder, then `arguments`) as an ordinary user, under
    the `host` command if one is given."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(project),
        # fencerun's source, for an interpreter outside the venv.
        "PYTHONPATH": str(fencerun_copy),
    }
    python = _python_for_nobody(env)
    return subprocess.run(
        [*host, *_as_nobody([python, "-c", code, str(project), *arguments])],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_an_unprivileged_build_runs_blocks_isolated(
    open_project: Path, open_fencerun: Path
) -> None:
    # Listening on the build's loopback: a block in a network namespace of its own
    # cannot reach it.
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    done = _build_as_nobody(BUILD, open_project, open_fencerun, str(port), timeout=300)
    listener.close()
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    summary, results = report["summary"], report["results"]
    assert [code for code, _ in results] == [0, 0, 0, 0], results
    active = summary.split("; not available:")[0]
    if "user namespace" in active:
        # uid 0 inside the block's own user namespace; a private /tmp per block; the
        # project read-only; no network at all; a PID namespace, from which the build's
        # processes cannot be signalled.
        assert results[0][1] == "0\n"
        assert "left-behind" not in results[1][1]
        assert "read-only" in results[1][1]
        assert results[2][1] == "ConnectionRefusedError\n"
        assert "no network" in summary and "capabilities dropped" in summary
        assert "PID namespace" in active, summary
        signalled, listed = results[3][1].split()
        assert signalled == "out-of-reach"
        if "a /proc of the block's own (" not in summary:
            assert int(listed) <= 3, results[3]  # bash, ls and grep
    else:
        # Where the kernel refuses user namespaces (some CI runners), blocks still run, as
        # the build's user, and the summary says what is missing.
        assert results[0][1] == f"{NOBODY if os.geteuid() == 0 else os.geteuid()}\n"
        assert "user namespace" in summary


# A host like a container runtime's, whose /proc has a part covered: the kernel then refuses
# a user namespace a /proc of its own, as it would reveal what is covered.
COVERED_PROC = [
    "unshare", "--mount", "--propagation", "private", "sh", "-c",
    'mount --bind /dev/null /proc/kallsyms && exec "$@"', "sh",
]  # fmt: skip


@pytest.mark.needs_root("covering part of /proc needs root; the root run checks this")
def test_where_the_host_covers_part_of_proc_blocks_still_cannot_signal_the_build(
    open_project: Path, open_fencerun: Path
) -> None:
    done = _build_as_nobody(BUILD, open_project, open_fencerun, "1", timeout=300, host=COVERED_PROC)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    summary, results = report["summary"], report["results"]
    active, _, missing = summary.partition("; not available: ")
    assert "PID namespace" in active, summary
    assert "a /proc of the block's own (refused by the host)" in missing, summary
    signalled, listed = results[3][1].split()
    assert signalled == "out-of-reach"
    assert int(listed) > 3  # the machine's processes, as the protections line warns


def test_an_unprivileged_build_caps_each_block_whatever_else_the_user_runs(
    open_project: Path, open_fencerun: Path
) -> None:
    """RLIMIT_NPROC counts every process of the user (outside a user namespace of the
    block's own): the limit must be set above what the user runs as each block starts,
    not as the worker started, or the user's other work would starve the blocks."""
    done = _build_as_nobody(
        CAPPED_BUILD, open_project, open_fencerun, str(CAP), UNDER_THE_CAP, FORK_LOOP, timeout=600
    )
    assert done.returncode == 0, done.stderr
    for variant, report in json.loads(done.stdout).items():
        summary = report["summary"]
        assert report["calm"] == [0, "started\n", None], (variant, report)
        returncode, output, cap = report["loop"]
        started = int(output.split("started ", 1)[1].split()[0])
        assert returncode == 1 and 0 < started < CAP and cap == CAP, (variant, output, cap)
        assert "BlockingIOError: [Errno 11] Resource temporarily unavailable" in output
        if "each block in a user namespace of its own" in summary:
            # Counted in the block's namespace alone: the cap is exact.
            assert started == CAP - 1, (variant, started)
        else:
            assert "RLIMIT_NPROC over every process of the build's user" in summary, summary
