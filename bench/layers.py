"""Which layer of the stack a worker's CPU samples fall in, from py-spy's collapsed stacks.

The samples are taken with `--gil`: only the thread holding the GIL is recorded, which is the
Python CPU a worker process can spend at most one core of. Waits (for the database's answer, a
lock, the next request) and C code that releases the GIL (SQLite's own work) are not in them.
Each sample is charged to the innermost frame that belongs to a known layer: time in sqlite3's
C code shows up in the store's Python frame that called it, JSON decoding called by Connexion
counts as JSON, and so on. Frames of no known layer (threading, the standard library) pass the
sample to their caller.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

# (layer, pattern on the frame's file path); the first pattern that matches names the layer
LAYERS: list[tuple[str, str]] = [
    ("store: SQL, driver, commit", r"tmf_gateway/storage/|(^|/)(sqlalchemy|psycopg|sqlite3)/"),
    ("JSON encode/decode", r"(^|/)json/|orjson|tmf_gateway/jsoncodec"),
    ("request validation", r"(^|/)jsonschema|connexion/(validators|middleware/request_valid)"),
    ("thread hand-off (bridge, anyio)",
     r"(^|/)(a2wsgi|anyio)/|tmf_gateway/api/(bridge|frameworks)|concurrent/futures"),
    ("security, access log", r"tmf_gateway/security/"),
    ("Flask, Werkzeug", r"(^|/)(flask|werkzeug)/"),
    ("Connexion routing, middleware", r"(^|/)(connexion|starlette)/"),
    ("gateway services, TMF630, audit", r"tmf_gateway/"),
    ("HTTP server, event loop", r"(^|/)(uvicorn|httptools|uvloop|asyncio)/"),
    ("logging", r"(^|/)logging/"),
]
_COMPILED = [(layer, re.compile(pattern)) for layer, pattern in LAYERS]
_FRAME_FILE = re.compile(r"\(([^():]+)(?::\d+)?\)$")


def layer_of(frame: str) -> str | None:
    match = _FRAME_FILE.search(frame)
    path = match.group(1) if match else frame
    for layer, pattern in _COMPILED:
        if pattern.search(path):
            return layer
    return None


def shares(raw: Path) -> dict[str, float]:
    """Layer -> fraction of all samples, for one py-spy `--format raw` file."""
    counts: Counter[str] = Counter()
    for line in raw.read_text().splitlines():
        stack, _, number = line.rpartition(" ")
        if not stack or not number.isdigit():
            continue
        layer = "other"
        for frame in reversed(stack.split(";")):
            found = layer_of(frame)
            if found:
                layer = found
                break
        counts[layer] += int(number)
    total = sum(counts.values()) or 1
    return {layer: n / total for layer, n in counts.most_common()}
