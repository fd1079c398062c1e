"""Which server process holds each connection to a port (Linux /proc): the per-worker split that
the bench reports beside its figures and a test checks for `serve --workers N`."""

from __future__ import annotations

import os
from pathlib import Path

LISTEN, ESTABLISHED = "0A", "01"


def _sockets(port: int) -> dict[str, str]:
    """inode -> TCP state of the sockets whose local port is `port`."""
    found: dict[str, str] = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        path = Path(table)
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            parts = line.split()
            if int(parts[1].rsplit(":", 1)[1], 16) == port:
                found[parts[9]] = parts[3]
    return found


def _inodes(pid: int) -> list[str]:
    inodes = []
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.append(target[8:-1])
    except OSError:
        pass
    return inodes


def connection_split(port: int) -> dict[int, int]:
    """pid -> established connections it holds, for every process listening on `port` (the
    workers), zero included; this user's processes only (the others' fds are not readable)."""
    states = _sockets(port)
    split: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        held = [states[i] for i in _inodes(int(entry)) if i in states]
        if LISTEN in held:
            split[int(entry)] = held.count(ESTABLISHED)
    return split


def listening_sockets(port: int) -> dict[int, set[str]]:
    """pid -> inodes of the sockets it listens on `port` with: one shared socket shows the
    same inode under every worker, one socket per worker (SO_REUSEPORT) a different one each."""
    states = _sockets(port)
    found: dict[int, set[str]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            held = {i for i in _inodes(int(entry)) if states.get(i) == LISTEN}
            if held:
                found[int(entry)] = held
    return found
