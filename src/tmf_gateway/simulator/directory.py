"""A simulated legacy customer directory: keeps pushed customers in memory under its own ids."""

from __future__ import annotations

import copy
import itertools
import threading
from collections.abc import Mapping
from typing import Any

from tmf_gateway.errors import SouthboundRejected
from tmf_gateway.ports import DirectoryEntry

from .faults import SimulatedFaults


class SimulatedCustomerDirectory(SimulatedFaults):
    """Implements ports.CustomerDirectory in memory. Option `refuse` (default "refused"): word
    in a customer's name the directory refuses; and the fault switches of SimulatedFaults
    (tests take it down, slow or garbled through those attributes)."""

    system_name = "the simulated customer directory"

    def __init__(self, options: Mapping[str, Any] | None = None, prefix: str = "CUST") -> None:
        options = options or {}
        self.refuse = str(options.get("refuse", "refused"))
        self._init_faults(options)
        self.prefix = prefix
        self.records: dict[str, dict[str, Any]] = {}  # our customer id -> pushed copy
        self.legacy_ids: dict[str, str] = {}  # our customer id -> directory id
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()

    def push(self, customer: dict[str, Any]) -> str:
        with self._lock:
            self._check_up()
            name = str(customer.get("name", ""))
            if self.refuse and self.refuse in name.lower():
                raise SouthboundRejected(f"the directory refuses customer name '{name}'")
            if customer["id"] not in self.legacy_ids:  # pushing again updates, never duplicates
                self.legacy_ids[customer["id"]] = f"{self.prefix}-{next(self._numbers):06d}"
            self.records[customer["id"]] = copy.deepcopy(customer)
            return self.legacy_ids[customer["id"]]

    def remove(self, customer_id: str) -> None:
        with self._lock:
            self._check_up()
            self.records.pop(customer_id, None)
            self.legacy_ids.pop(customer_id, None)

    def lookup(self, customer_id: str) -> DirectoryEntry | None:
        with self._lock:
            self._check_up()
            ours = customer_id if customer_id in self.records else next(
                (k for k, v in self.legacy_ids.items() if v == customer_id), None)
            if ours is None:
                return None
            return DirectoryEntry(self.legacy_ids[ours], copy.deepcopy(self.records[ours]))
