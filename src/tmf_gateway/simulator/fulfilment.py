"""A simulated legacy order system: takes orders and moves their items on after small delays."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from tmf_gateway.errors import SouthboundRejected
from tmf_gateway.ports import ItemUpdate

from .faults import SimulatedFaults

# An offering id containing the word gets the behaviour (options "behaviours" override).
DEFAULT_BEHAVIOURS = {"fail": "fail", "hold": "hold", "info": "info", "nocancel": "refuseCancel"}
FINAL = frozenset({"completed", "failed", "cancelled", "rejected"})
COMMITMENT_SECONDS = 7 * 86400  # default completion date promised on submit, from now
STATE_SCOPE = "simulator.fulfilment"  # where its items in flight are kept in the gateway's store
_SAVED = ("order_id", "item_id", "behaviour", "state", "asked_info", "script", "refuse_cancel")


@dataclass
class _Item:
    order_id: str
    item_id: str
    behaviour: str
    state: str = "acknowledged"
    asked_info: bool = False
    due: float = 0.0
    script: list[str] = field(default_factory=list)
    refuse_cancel: bool = False


def _offering(item: Mapping[str, Any]) -> str:
    for source in (item, item.get("product") or {}):
        offering = source.get("productOffering") if isinstance(source, dict) else None
        if isinstance(offering, dict) and isinstance(offering.get("id"), str):
            return offering["id"]
    return ""


def _resumed_state(state: Any) -> str:
    return state if state in ("inProgress", "pending", "held") else "acknowledged"


class SimulatedOrderSystem(SimulatedFaults):
    """Items go inProgress then completed (or failed / held / pending) `delay` seconds apart.

    Options: `delay` (seconds, default 0.5), `behaviours` (word in offering id -> one of
    fail, hold, info, refuseCancel), `commitment_seconds` (the completion date it commits to
    on submit, from now; default a week, as a real order system promises days ahead), and the
    fault switches of SimulatedFaults.
    """

    system_name = "the simulated order system"

    def __init__(
        self, options: Mapping[str, Any] | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        options = options or {}
        self.delay = float(options.get("delay", 0.5))
        self.commitment = float(options.get("commitment_seconds", COMMITMENT_SECONDS))
        self.behaviours = {**DEFAULT_BEHAVIOURS, **options.get("behaviours", {})}
        self._init_faults(options)
        self.clock = clock
        self._items: dict[tuple[str, str], _Item] = {}
        self._lock = threading.Lock()
        self._state: Any = None  # ports.AdapterState once bound: items in flight survive

    def bind_state(self, state: Any) -> None:
        """Take up the items in flight saved in the gateway's store (ports.KeepsState); each
        goes on with its next step `delay` seconds from now."""
        now = self.clock()
        with self._lock:
            self._state = state
            for saved in state.load(STATE_SCOPE).values():
                item = _Item(**{k: v for k, v in saved.items() if k in _SAVED})
                item.due = now + self.delay if item.script else 0.0
                self._items[(item.order_id, item.item_id)] = item

    def _save(self, items: list[_Item]) -> None:
        """Keep items still in flight in the store, forget the finished ones (under the lock)."""
        if self._state is None or not items:
            return
        done = [i for i in items if i.state in FINAL and not i.script]
        self._state.save(STATE_SCOPE, {
            f"{i.order_id}/{i.item_id}": {k: getattr(i, k) for k in _SAVED}
            for i in items if i not in done
        })
        self._state.remove(STATE_SCOPE, [f"{i.order_id}/{i.item_id}" for i in done])

    def _behaviour(self, offering_id: str) -> str:
        for word, behaviour in self.behaviours.items():
            if word in offering_id.lower() and behaviour != "refuseCancel":
                return behaviour
        return "complete"

    def submit(self, order: dict[str, Any]) -> str | None:
        self._check_up()
        items = order.get("productOrderItem") or []
        if not items:
            raise SouthboundRejected(f"order {order.get('id')} has no items")
        now = self.clock()
        with self._lock:
            for item in items:
                key = (order["id"], item["id"])
                known = self._items.get(key)
                if known is None:
                    offering = _offering(item).lower()
                    known = self._items[key] = _Item(
                        order["id"], item["id"], self._behaviour(offering),
                        # an order resubmitted after a restart goes on from where the gateway
                        # (its store) has it, not from the start
                        state=_resumed_state(item.get("state")),
                        refuse_cancel=any(
                            w in offering for w, b in self.behaviours.items()
                            if b == "refuseCancel"
                        ),
                    )
                if known.state == "completed" and item.get("state") == "inProgress":
                    known.state = "inProgress"  # delivery refused by the customer: redeliver
                if known.state in FINAL or known.script:
                    continue
                known.script = self._script(known)
                known.due = now + self.delay
            self._save([self._items[(order["id"], i["id"])] for i in items])
        committed = datetime.now(UTC) + timedelta(seconds=self.commitment)
        return committed.isoformat(timespec="milliseconds").replace("+00:00", "Z")

    def _script(self, item: _Item) -> list[str]:
        if item.state in ("pending", "held") or item.behaviour == "complete":
            steps = ["completed"]
        elif item.behaviour == "fail":
            steps = ["failed"]
        elif item.behaviour == "hold":
            steps = ["held"]
        elif item.behaviour == "info" and not item.asked_info:
            item.asked_info = True
            steps = ["pending"]
        else:
            steps = ["completed"]
        return (["inProgress"] if item.state != "inProgress" else []) + steps

    def knows(self, order_id: str) -> bool:
        """Whether this order system has the order (ports.OrderStatus): after a restart it
        has forgotten what was in flight, and the gateway submits it again."""
        with self._lock:
            return any(item.order_id == order_id for item in self._items.values())

    def cancel(self, order_id: str) -> bool:
        self._check_up()
        with self._lock:
            items = [i for i in self._items.values() if i.order_id == order_id]
            if any(i.refuse_cancel for i in items):
                return False
            for item in items:
                item.script = []
                if item.state not in FINAL:
                    item.state = "cancelled"
            self._save(items)
        return True

    def poll_updates(self) -> list[ItemUpdate]:
        self._check_up()
        updates: list[ItemUpdate] = []
        now = self.clock()
        with self._lock:
            moved: list[_Item] = []
            for item in self._items.values():
                if item.script and item.due <= now:
                    moved.append(item)
                while item.script and item.due <= now:
                    item.state = item.script.pop(0)
                    item.due += self.delay
                    reason = {"failed": "simulated failure", "held": "simulated blocking issue",
                              "pending": "simulated request for information"}.get(item.state, "")
                    updates.append(ItemUpdate(item.order_id, item.item_id, item.state, reason))
            self._save(moved)
        return updates
