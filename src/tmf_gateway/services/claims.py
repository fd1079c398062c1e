"""Work claims with an expiry, kept in the store, so that of several gateway processes on one
database only one does a piece of southbound work (an order's submission) at a time."""

from __future__ import annotations

import os
import socket
import uuid
from typing import Any

from ..ports.side import WorkClaims, require_side


def process_owner() -> str:
    """A name for this process's claims, unique across hosts, processes and restarts."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def for_store(store: Any) -> WorkClaims:
    """The claims of this store; ConfigurationError when the store keeps none."""
    return require_side(store, WorkClaims)
