"""The environment a block sees: an explicit allow-list, never the build's own.

Tokens and keys in the build's environment (GITHUB_TOKEN, AWS_*, ...) cannot
reach a block because nothing is copied unless it is named here or in the
policy. The warm workers get the same treatment, because every block is a
fork of one of them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

from fencerun.isolation import libc
from fencerun.isolation.policy import IsolationPolicy
from fencerun.isolation.protections import Protections

UTF8_LOCALE = "C.UTF-8"
_DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin"

# One BLAS thread per process: the pool already uses every core, and a BLAS
# thread pool started in a warm worker would not survive the fork of a block.
_SINGLE_THREADED_MATH = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}


def _search_path(build_env: Mapping[str, str]) -> str:
    """The build's PATH with this interpreter's folder first, so `python` in a
    shell block is the interpreter that runs Python blocks."""
    interpreter_dir = os.path.dirname(sys.executable)
    parts = [interpreter_dir]
    parts += [p for p in build_env.get("PATH", _DEFAULT_PATH).split(":") if p != interpreter_dir]
    return ":".join(parts)


def _common(build_env: Mapping[str, str]) -> dict[str, str]:
    return {
        "PATH": _search_path(build_env),
        "LANG": UTF8_LOCALE,
        "LC_ALL": UTF8_LOCALE,
        "PYTHONIOENCODING": "utf-8",
        "MPLBACKEND": "Agg",
        **_SINGLE_THREADED_MATH,
    }


def worker_environment(build_env: Mapping[str, str]) -> dict[str, str]:
    """Environment of a warm worker process."""
    env = _common(build_env)
    if "HOME" in build_env:
        # matplotlib keeps its font cache under HOME: reusing it saves a rebuild per build.
        env["HOME"] = build_env["HOME"]
    return env


def hide_build_environment(protections: Protections) -> bool:
    """Keep blocks from reading the build's own environment in /proc where nothing else does.

    A block runs as the build's user; without a PID namespace (which hides
    the build) or a user namespace (which denies access across it), and without
    root's capabilities to drop, /proc/BUILD_PID/environ would be readable to it.
    A process that is not dumpable cannot be read that way. Returns whether it
    was needed.
    """
    namespaces = protections.namespaces
    if namespaces.pid or namespaces.user or protections.capabilities_dropped:
        return False
    try:
        libc.prctl(libc.PR_SET_DUMPABLE, 0)
    except OSError:  # no prctl off Linux; the protections line says so
        return False
    return True


def block_environment(
    policy: IsolationPolicy,
    build_env: Mapping[str, str],
    *,
    home: str,
    tmp: str,
    config_dir: str,
) -> dict[str, str]:
    """Environment of one block: the allow-list, its own HOME and TMPDIR, the folder of
    mkdocs.yml as markdown-exec's plugin names it (MKDOCS_CONFIG_DIR, which its pages use
    to find the project's files), then the policy's."""
    env = _common(build_env)
    env.update(HOME=home, TMPDIR=tmp, PYTHONUNBUFFERED="1", MKDOCS_CONFIG_DIR=config_dir)
    env.update({name: build_env[name] for name in policy.env_pass if name in build_env})
    env.update(policy.env_extra)
    return env
