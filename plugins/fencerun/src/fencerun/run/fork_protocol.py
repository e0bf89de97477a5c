"""Messages between a worker (`spawner.Spawner`) and its fork server (`fork_server`), over
the Unix socket they share.

A request is a pickled container spec behind its length, the block's pipes travelling as
file descriptors with the length; a reply is a kind, a pid and a value, with the new
process's pidfd travelling with a `SPAWNED` reply where there are pidfds.
"""

from __future__ import annotations

import socket
import struct

# Replies of the server: (kind, pid, wait status or errno, or the length of a message)
REPLY = struct.Struct("=Bii")
SPAWNED, ENDED, FAILED, READY, UNREADY = 1, 2, 3, 4, 5
LENGTH = struct.Struct("=Q")
MAX_FDS = 9


def receive(channel: socket.socket, size: int, *, max_fds: int = 0) -> tuple[bytes, list[int]]:
    """`size` bytes and the descriptors sent with the first of them; fewer bytes at EOF."""
    data: bytes = b""
    fds: list[int] = []
    if max_fds:
        data, fds, _, _ = socket.recv_fds(channel, size, max_fds)
    while len(data) < size:
        chunk = channel.recv(size - len(data))
        if not chunk:
            break
        data += chunk
    return data, fds
