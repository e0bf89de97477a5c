"""A build on a system that is not Linux (the author's Mac), simulated on Linux.

The build and its workers run in an interpreter where `sys.platform` is "darwin", libc
has none of the Linux-only calls fencerun knows (unshare, setns, mount, prctl, capset,
syscall) and `os` and `signal` lack pidfds, memfd_create, unshare, setns and
sched_getaffinity. fencerun must import, pick its portable backend, run the blocks and
say in its protections line what they get.
"""

from __future__ import annotations

import os
import sys
import textwrap
from pathlib import Path

from tests.fencerun.conftest import build, write_project

LINUX_ONLY_C = ("unshare", "setns", "mount", "prctl", "capset", "syscall")
LINUX_ONLY_PY = {
    "os": ("unshare", "setns", "pidfd_open", "memfd_create", "sched_getaffinity"),
    "signal": ("pidfd_send_signal",),
}

# Started as `as-darwin.py WRAPPER ARGS...`: hides Linux, then does what
# `python ARGS...` would (the only forms used: `-I -c CODE ...` and `-m MODULE ...`).
AS_DARWIN = textwrap.dedent(
    f"""\
    import ctypes, os, runpy, signal, sys
    # Standard modules that import macOS-only parts of themselves under "darwin",
    # imported while the platform is still the real one.
    import urllib.request

    class NoLinuxLibc(ctypes.CDLL):
        def __getattr__(self, name):
            if name in {LINUX_ONLY_C!r}:
                raise AttributeError(name)
            return super().__getattr__(name)

        def __getitem__(self, name):
            if name in {LINUX_ONLY_C!r}:
                raise AttributeError(name)
            return super().__getitem__(name)

    ctypes.CDLL = NoLinuxLibc
    for module, names in {LINUX_ONLY_PY!r}.items():
        for name in names:
            if hasattr(sys.modules[module] if module in sys.modules else __import__(module), name):
                delattr(sys.modules[module], name)
    sys.platform = "darwin"
    sys.executable = sys.argv[1]
    args = sys.argv[2:]
    if args[0] == "-I":
        args = args[1:]
    if args[0] == "-c":
        sys.argv = ["-c", *args[2:]]
        exec(compile(args[1], "<string>", "exec"), {{"__name__": "__main__"}})
    else:
        sys.argv = [args[1], *args[2:]]
        runpy.run_module(args[1], run_name="__main__", alter_sys=True)
    """
)

PAGE = """\
# 맥에서

```python exec="on"
import os, sys
print(sys.platform, hasattr(os, "memfd_create"), os.getcwd() != "/")
```

```bash exec="on"
echo "셸 $((6 * 7))"
```

```bash exec="on" os="linux"
echo "linux only: $(uname -s)"
```
"""


def _darwin_interpreter(folder: Path) -> Path:
    script = folder / "as-darwin.py"
    script.write_text(AS_DARWIN)
    wrapper = folder / "python"
    wrapper.write_text(f'#!/bin/sh\nexec {sys.executable} {script} "$0" "$@"\n')
    wrapper.chmod(0o755)
    return wrapper


def test_a_site_builds_off_linux_with_the_portable_backend(tmp_path: Path) -> None:
    tools = tmp_path / "tools"
    tools.mkdir()
    python = _darwin_interpreter(tools)
    project = tmp_path / "site"
    write_project(project, {"index.md": PAGE})
    done = build(project, python=str(python), env={"PATH": f"{tools}:{os.environ['PATH']}"})
    assert done.returncode == 0, done.output
    html = done.html()
    assert "darwin False True" in html
    assert "셸 42" in html
    protections = next(line for line in done.output.splitlines() if "blocks run with" in line)
    assert "blocks run with: own process group" in protections
    assert "namespace" not in protections.split("; not available:")[0]
    # macOS does not enforce RLIMIT_AS: the line must not claim a memory limit.
    assert "memory limit (this system does not enforce RLIMIT_AS)" in protections
    assert "hiding the build's environment" in protections
    # The block that needs Linux did not run: a notice says so, in the page's language.
    assert "linux only" not in html
    assert "Not run on this machine" in html
    assert "This block runs on Linux only, and this site was built on macOS" in html


def test_a_block_for_linux_runs_on_linux(tmp_path: Path) -> None:
    write_project(tmp_path, {"index.md": PAGE})
    done = build(tmp_path)
    assert done.returncode == 0, done.output
    assert "linux only: Linux" in done.html()
    assert "Not run on this machine" not in done.html()


def test_an_unknown_system_is_an_error_naming_the_block(tmp_path: Path) -> None:
    write_project(tmp_path, {"index.md": '# x\n\n```bash exec="on" os="windows"\necho\n```\n'})
    done = build(tmp_path)
    assert done.returncode == 1
    assert 'index.md:3: os="windows" is not a system fencerun knows' in done.output
    assert 'write os="linux"' in done.output
