"""What of the machine a block never sees where it has a mount namespace: home folders,
the system's secrets and the sockets of services that act with their caller's rights.

Home folders hold keys, tokens and shell histories; a block gets a home of its own. Paths
a block needs that live in a home (the interpreter of a pyenv or Homebrew install, a
project checked out there) are shown again inside the covered folder.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
from collections.abc import Iterable, Mapping

# Folders covered by an empty one, with only the paths a block needs shown again.
_HOME_FOLDERS = ("/root", "/home", "/Users", "/run/user", "/var/run/user")
# Files and folders of the system that hold secrets, or sockets of services that would act
# with the caller's rights (the docker group is root in all but name). Patterns for glob.
_SECRETS = (
    "/etc/shadow",
    "/etc/shadow-",
    "/etc/gshadow",
    "/etc/gshadow-",
    "/etc/sudoers",
    "/etc/sudoers.d",
    "/etc/ssh/*_key",
    "/etc/ssl/private",
    "/etc/security/opasswd",
    "/run/docker.sock",
    "/run/containerd",
    "/run/podman",
    "/var/run/docker.sock",
)


def home_folders(build_env: Mapping[str, str]) -> list[str]:
    """The machine's home folders, and the build user's wherever it is (real paths)."""
    homes = list(_HOME_FOLDERS)
    homes.append(build_env.get("HOME", ""))
    with contextlib.suppress(KeyError):  # a uid with no passwd entry, as in some containers
        homes.append(pwd.getpwuid(os.getuid()).pw_dir)
    real = {os.path.realpath(home) for home in homes if home and home != "/"}
    return [home for home in real if os.path.isdir(home) and home != "/"]


def system_secrets() -> list[str]:
    """The secrets of the system present on this machine (real paths)."""
    found = {os.path.realpath(path) for pattern in _SECRETS for path in glob.glob(pattern)}
    return sorted(found)


def needed_paths(project_dir: str, interpreter_paths: Iterable[str]) -> list[str]:
    """What a block needs wherever it is: the project and the interpreter (real paths)."""
    real = {os.path.realpath(path) for path in (project_dir, *interpreter_paths) if path}
    return sorted(path for path in real if os.path.exists(path))
