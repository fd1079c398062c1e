"""One generic state machine, and the official TMF v4 lifecycle tables (LIFECYCLES.md)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..errors import IllegalTransition


@dataclass(frozen=True)
class Lifecycle:
    """Allowed moves between states; final states have no way out."""

    name: str
    field: str
    initial: str
    transitions: Mapping[str, frozenset[str]]

    @property
    def states(self) -> frozenset[str]:
        targets = {t for ts in self.transitions.values() for t in ts}
        return frozenset(self.transitions) | targets

    def allowed(self, current: str) -> list[str]:
        return sorted(self.transitions.get(current, frozenset()))

    def is_final(self, state: str) -> bool:
        return not self.transitions.get(state)

    def can(self, current: str, target: str) -> bool:
        return target in self.transitions.get(current, frozenset())

    def check(self, current: str, target: str) -> None:
        """Raise IllegalTransition (409) naming the allowed next states."""
        if current != target and not self.can(current, target):
            raise IllegalTransition(self.field, current, target, self.allowed(current))


def _table(pairs: Iterable[tuple[str, str]]) -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for source, target in pairs:
        table.setdefault(source, set()).add(target)
        table.setdefault(target, set())
    return {state: frozenset(targets) for state, targets in table.items()}


_ORDER_PAIRS = [
    ("acknowledged", "inProgress"),
    ("acknowledged", "pending"),
    ("acknowledged", "rejected"),
    ("inProgress", "pending"),
    ("pending", "inProgress"),
    ("pending", "cancelled"),
    ("inProgress", "held"),
    ("held", "inProgress"),
    ("held", "cancelled"),
    ("inProgress", "assessingCancellation"),
    ("pending", "assessingCancellation"),
    ("held", "assessingCancellation"),
    # refused cancellation goes back where it came from (the service checks which one)
    ("assessingCancellation", "inProgress"),
    ("assessingCancellation", "pending"),
    ("assessingCancellation", "held"),
    ("assessingCancellation", "pendingCancellation"),
    ("pendingCancellation", "cancelled"),
    ("inProgress", "completed"),
    ("inProgress", "failed"),
    ("inProgress", "partial"),
]

PRODUCT_ORDER = Lifecycle("ProductOrder", "state", "acknowledged", _table(_ORDER_PAIRS))

PRODUCT_ORDER_ITEM = Lifecycle(
    "ProductOrderItem",
    "state",
    "acknowledged",
    _table(p for p in _ORDER_PAIRS if "partial" not in p),
)

CANCEL_PRODUCT_ORDER = Lifecycle(
    "CancelProductOrder",
    "state",
    "acknowledged",
    _table(
        [
            ("acknowledged", "inProgress"),
            ("acknowledged", "terminatedWithError"),
            ("inProgress", "done"),
            ("inProgress", "terminatedWithError"),
        ]
    ),
)

TROUBLE_TICKET = Lifecycle(
    "TroubleTicket",
    "status",
    "acknowledged",
    _table(
        [
            ("acknowledged", "inProgress"),
            ("acknowledged", "rejected"),
            ("acknowledged", "cancelled"),
            ("inProgress", "held"),
            ("held", "inProgress"),
            ("inProgress", "pending"),
            ("pending", "inProgress"),
            ("pending", "cancelled"),
            ("inProgress", "resolved"),
            ("resolved", "closed"),
            ("resolved", "inProgress"),
            ("inProgress", "cancelled"),
        ]
    ),
)
