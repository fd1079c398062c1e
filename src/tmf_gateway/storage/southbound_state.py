"""Small state a southbound adapter keeps in the gateway's store (the simulator's orders in
flight), so that it survives a restart and is shared by every gateway process on the store.
Each store implements the `AdapterState` port (sqlside.py, memoryside.py)."""

from __future__ import annotations

from typing import Any

from ..ports.side import AdapterState, require_side


def for_store(store: Any) -> AdapterState:
    """The adapter state of this store; ConfigurationError when the store keeps none."""
    return require_side(store, AdapterState)
