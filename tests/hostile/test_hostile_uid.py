"""A root build's block becomes an unprivileged uid of its own once its view is built, so
that a root-owned file the view forgot to hide is not readable to it; a block with a workdir
sees that folder as its own through an idmapped mount, and what it writes there lands on disk
as the folder owner's. Where the idmapped mount is refused, such a block runs as root without
capabilities, as before, and the protections line says so."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from fencerun.run import Executor

from tests.fencerun.conftest import build_env, write_project
from tests.fencerun.run.helpers import block, run, run_one
from tests.hostile.conftest import active_protections
from tests.hostile.test_hostile_refusals import REFUSALS
from tests.not_checked import Cause, skip_for

SECRET = "root-only-" + "x" * 8
# Owner of a workdir that is neither root nor the block: what the block writes there must
# land on disk as this owner's.
OWNER_UID, OWNER_GID = 4242, 4343


@pytest.mark.needs_root("only a root build's blocks change uid (an ordinary user's map to it)")
@pytest.mark.needs_protection("mount namespace")
def test_a_root_builds_block_is_an_unprivileged_uid_that_cannot_read_roots_files(
    executor: Executor, project: Path, marker: str
) -> None:
    assert "unprivileged uid" in active_protections(executor)
    secret = project / f"{marker}-root-only"
    secret.write_text(SECRET + "\n")
    secret.chmod(0o600)
    shown = project / "docs" / "page.md"
    shown.chmod(0o644)
    python = run_one(
        executor,
        "python",
        "import os, re, subprocess\n"
        "print(*os.getresuid(), *os.getresgid(), os.getgroups())\n"
        "status = open('/proc/self/status').read()\n"
        "for name in ('Uid', 'Gid'):\n"
        "    print(*re.search(name + r':(.*)', status).group(1).split(), end=' ')\n"
        "print()\n"
        f"try:\n    print(open({str(secret)!r}).read())\n"
        "except PermissionError:\n    print('secret refused')\n"
        f"print(open({str(shown)!r}).read())\n"
        "print(subprocess.run(['bash', '-c', 'id -u'], capture_output=True, text=True).stdout)\n"
        "open(os.path.join(os.environ['HOME'], 'note'), 'w').write('home is mine')\n",
    )
    assert python.returncode == 0, python.output
    first, ids = python.output.splitlines()[:2]
    uid = int(first.split()[0])
    assert uid != 0
    # Real, effective, saved (and file system) uid and gid alike, no groups.
    assert first == " ".join([str(uid)] * 6) + " []"
    assert ids.split() == [str(uid)] * 8
    assert "secret refused" in python.output and SECRET not in python.output
    assert "# page" in python.output
    assert f"\n{uid}\n" in python.output  # a program it starts is that uid too

    shell = run_one(
        executor,
        "bash",
        f"id -u; id -G; cat {secret} || echo secret refused; cat {shown}\n"
        "id -un; ps -o user= -p $$; ls -ld ~ | cut -d' ' -f3\n"
        "python -c 'import os; print(\"python\", os.getuid())'\n"
        "stat -c '%u %a %n' /tmp /tmp/home /tmp/work\n"
        "echo mine > ~/note && echo > /tmp/work/note && echo home and work are mine",
    )
    assert shell.returncode == 0, shell.output
    uid = int(shell.output.split()[0])
    assert uid != 0 and shell.output.split()[1] == str(uid)
    assert "secret refused" in shell.output and SECRET not in shell.output
    assert "Permission denied" in shell.output
    assert "# page" in shell.output
    # Named in its view, so that published ps and ls -l show a name, not a changing number.
    assert "\nfencerun\nfencerun\nfencerun\n" in shell.output
    assert f"python {uid}" in shell.output
    assert f"{uid} 1777 /tmp\n{uid} 700 /tmp/home\n{uid} 700 /tmp/work\n" in shell.output
    assert "home and work are mine" in shell.output


@pytest.mark.needs_root("only a root build's blocks change uid (an ordinary user's map to it)")
@pytest.mark.needs_protection("mount namespace")
def test_a_block_writes_its_workdir_as_the_folders_owner(
    executor: Executor, project: Path, marker: str
) -> None:
    assert "unprivileged uid" in active_protections(executor)
    assert "but blocks with a workdir" not in active_protections(executor)
    theirs = project / "docs" / f"{marker}-theirs"
    roots = project / "docs" / f"{marker}-roots"
    for folder in (theirs, roots):
        folder.mkdir()
        (folder / "kept.txt").write_text("before\n")
    for path in (theirs, theirs / "kept.txt"):
        os.chown(path, OWNER_UID, OWNER_GID)
    write = "id -u; echo new > made.txt; echo after >> kept.txt; mkdir sub; touch sub/deep"
    # One session: one container, with two folders of two owners writable.
    results = run(
        executor,
        block("bash", write, workdir=f"docs/{theirs.name}", session=marker),
        block("bash", write, index=1, workdir=f"docs/{roots.name}", session=marker),
        block(
            "python",
            "import os\nprint(os.getuid())\nopen('from-python.txt', 'w').write('new')",
            index=2,
            workdir=f"docs/{theirs.name}",
        ),
    )
    for result in results:
        assert result.returncode == 0, result.output
        assert int(result.output.split()[0]) != 0, result.output
    for folder, owner in ((theirs, (OWNER_UID, OWNER_GID)), (roots, (0, 0))):
        assert (folder / "kept.txt").read_text() == "before\nafter\n"
        for name in ("made.txt", "kept.txt", "sub", "sub/deep"):
            found = (folder / name).stat()
            assert (found.st_uid, found.st_gid) == owner, (folder, name)
    found = (theirs / "from-python.txt").stat()
    assert (found.st_uid, found.st_gid) == (OWNER_UID, OWNER_GID)


PAGE = """
# Page

```bash exec="on"
echo "plain $(id -u)"
```

```bash exec="on" workdir="docs/out"
echo "writer $(id -u)"; echo made > made.txt
```
"""


@pytest.mark.needs_root("only a root build's blocks change uid")
def test_a_refused_idmapped_mount_leaves_only_blocks_with_a_workdir_as_root(
    tmp_path: Path,
) -> None:
    """mount_setattr missing (ENOSYS, as before Linux 5.12): the view is built the old way,
    blocks without a workdir still change uid, those with one run as root without
    capabilities, and the protections line says so."""
    tmp_path.chmod(0o755)  # a checkout, readable to every user
    write_project(tmp_path, {"index.md": PAGE})
    (tmp_path / "docs" / "out").mkdir()
    command = [sys.executable, str(REFUSALS), "mount_setattr", "ENOSYS", "--"]
    command += [sys.executable, "-m", "mkdocs", "build", "--strict"]
    done = subprocess.run(
        command, cwd=tmp_path, env=build_env(), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    (line,) = [line for line in done.stderr.splitlines() if "blocks run with:" in line]
    if "mount namespace" not in line:
        skip_for(Cause.MACHINE, f"a mount namespace: {line}")
    active, _, missing = line.partition("; not available: ")
    assert "unprivileged uid (but blocks with a workdir)" in active
    assert (
        "unprivileged uid for blocks with a workdir (idmapped mount: mount_setattr "
        "(a detached mount): Function not implemented): they run as root without "
        "capabilities, and can read root's files the view shows"
    ) in missing
    html = (tmp_path / "site" / "index.html").read_text()
    plain = re.search(r"plain (\d+)", html)
    assert plain is not None and int(plain.group(1)) != 0, html
    assert "writer 0" in html
    made = tmp_path / "docs" / "out" / "made.txt"
    assert made.read_text() == "made\n" and made.stat().st_uid == 0
