"""Messages between the build process and its warm workers, over the workers' stdin/stdout.

Each message is a pickle behind an 8-byte length. Only the build and its own
workers speak this protocol; block code never sees these pipes.
"""

from __future__ import annotations

import pickle
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO

from fencerun.isolation.policy import IsolationPolicy
from fencerun.isolation.project_view import ProjectView
from fencerun.isolation.protections import Protections
from fencerun.model import Block, Result

_HEADER = struct.Struct(">Q")


@dataclass(frozen=True)
class WorkerSettings:
    """Everything a worker needs to know about the build, sent once at start."""

    project_dir: str
    view: ProjectView  # what of the project blocks see, and where they may write
    default_timeout: float
    max_output_bytes: int
    policy: IsolationPolicy
    build_env: Mapping[str, str]  # the build's environment; only the allow-list reaches blocks
    private_paths: tuple[tuple[str, str], ...]  # (path, neutral name) rewritten in output
    temp_root: str  # where blocks get their folders when there is no mount namespace
    cgroup_root: str | None  # this build's pids cgroup, when one could be made
    preload: tuple[str, ...]  # costly modules this worker imports before its first block


@dataclass(frozen=True)
class Hello:
    """A worker is ready: what it found out about the machine."""

    protections: Protections


@dataclass(frozen=True)
class JobRequest:
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class BlockReply:
    """The result of one block of the current job, in job order."""

    index: int
    result: Result


@dataclass(frozen=True)
class JobFailure:
    """The worker could not run the rest of the job (a fault of the engine, not of the block)."""

    index: int
    message: str


def encode(message: object) -> bytes:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(data)) + data


def send(stream: IO[bytes], message: object | bytes) -> None:
    """Write one message, or one that `encode` already made."""
    stream.write(message if isinstance(message, bytes) else encode(message))
    stream.flush()


def receive(stream: IO[bytes]) -> object | None:
    """The next message, or None at end of stream."""
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(header)
    data = stream.read(size)
    if len(data) < size:
        return None
    message: object = pickle.loads(data)
    return message
