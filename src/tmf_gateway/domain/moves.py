"""What a state-machine decision did: the moves it made and the TMF events they imply."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Move:
    """One step of one resource (or, with `item_id`, of one order item) from a state to the next;
    `source` is "new" for the state a resource is created in."""

    resource: str
    source: str
    target: str
    reason: str = ""
    item_id: str | None = None


@dataclass
class Moves:
    """The moves one decision made, in order, and the event types they imply (the StateChange
    of each move of a resource, then the event of entering that state, if it has one). Item
    moves imply no event of their own: TMF622 v4 has no item state event."""

    moves: list[Move] = field(default_factory=list)
    events: list[str] = field(default_factory=list)

    def add(self, move: Move, *events: str) -> Moves:
        self.moves.append(move)
        self.events.extend(events)
        return self

    def extend(self, other: Moves) -> Moves:
        self.moves.extend(other.moves)
        self.events.extend(other.events)
        return self

    def targets(self, resource: str) -> list[str]:
        """The states `resource` itself (not its items) moved to, in order."""
        return [m.target for m in self.moves if m.resource == resource and m.item_id is None]

    def entered(self, resource: str, state: str) -> bool:
        return state in self.targets(resource)

    def __bool__(self) -> bool:
        return bool(self.moves)
