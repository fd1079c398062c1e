"""The official TMF lifecycles of tests/data/lifecycles.yaml, as legal and illegal moves."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).parent / "data" / "lifecycles.yaml"


@dataclass(frozen=True)
class Official:
    """One official lifecycle: its states, final states and every legal move."""

    name: str
    field: str
    initial: str
    states: frozenset[str]
    final: frozenset[str]
    legal: frozenset[tuple[str, str]]

    @property
    def illegal(self) -> frozenset[tuple[str, str]]:
        pairs = itertools.permutations(sorted(self.states), 2)
        return frozenset(pair for pair in pairs if pair not in self.legal)


def _moves(entry: dict[str, Any]) -> set[tuple[str, str]]:
    rows = [(source, row["to"]) for row in entry["transitions"] for source in row["from"]]
    moves: set[tuple[str, str]] = set()
    for source, target in rows:
        if target == "origin":  # back to the state it came from: every state leading here
            moves |= {(source, origin) for origin, into in rows if into == source}
        elif source == "new":  # stored in the initial state first, then moved (see the file)
            if target != entry["initial"]:
                moves.add((entry["initial"], target))
        else:
            moves.add((source, target))
    return moves


@cache
def official() -> dict[str, Official]:
    raw = yaml.safe_load(DATA.read_text())
    result: dict[str, Official] = {}
    for name, entry in raw.items():
        if "like" in entry:
            base, gone = {**raw[entry["like"]]}, set(entry["without"])
            base["states"] = [s for s in base["states"] if s not in gone]
            base["final"] = [s for s in base["final"] if s not in gone]
            base["transitions"] = [row for row in base["transitions"] if row["to"] not in gone]
            entry = base
        legal = _moves(entry)
        states = frozenset(entry["states"])
        assert {s for pair in legal for s in pair} <= states, f"{name}: a move to an unknown state"
        result[name] = Official(
            name, entry["field"], entry["initial"], states, frozenset(entry["final"]),
            frozenset(legal),
        )
    return result
