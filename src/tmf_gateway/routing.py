"""Items of one order delivered by several systems (partners): the order fulfilment port over
several adapters, each item routed by its offering or by the partner named on it."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from .domain.ordering import offering_id
from .errors import ConfigurationError
from .ports import ItemUpdate
from .tmf.values import parse_datetime

STATE_SCOPE = "routing.fulfilment"  # which systems got which order, kept in the store
DEFAULT = ""  # the route of items no rule names: the `southbound` (or _fulfilment) adapter


def partner_of(item: Mapping[str, Any]) -> str | None:
    """The id of the party with role `Partner` on the item's product, if any."""
    product = item.get("product")
    parties = product.get("relatedParty") if isinstance(product, dict) else None
    for party in parties or []:
        if isinstance(party, dict) and str(party.get("role", "")).lower() == "partner":
            return str(party.get("id", "")) or None
    return None


class RoutedFulfilment:
    """ports.OrderFulfilment that splits an order by item: each system gets the same order
    (same id, its idempotency key) with only its items. Submission succeeds when every
    system took its part (a failure retries all, which each must take idempotently);
    cancellation when every system that has a part accepts; updates are all systems' updates,
    and the order's state follows from all its items as always."""

    def __init__(
        self, systems: Mapping[str, Any], routes: Mapping[str, Any]
    ) -> None:
        self.systems = dict(systems)  # route name -> OrderFulfilment; DEFAULT is the default
        self.by_offering: dict[str, str] = dict(routes.get("offerings", {}))
        self.by_partner: dict[str, str] = dict(routes.get("partners", {}))
        unknown = {*self.by_offering.values(), *self.by_partner.values()} - set(self.systems)
        if unknown:
            raise ConfigurationError(f"fulfilment_routes name adapters not loaded: {unknown}")
        self._orders: dict[str, list[str]] = {}  # order id -> routes that have a part
        self._lock = threading.Lock()
        self._state: Any = None
        self._unreturned: list[ItemUpdate] = []  # read from one system while another failed

    def route(self, item: Mapping[str, Any]) -> str:
        """The route of one item: its partner's, else its offering's, else the default."""
        partner = partner_of(item)
        if partner and partner in self.by_partner:
            return self.by_partner[partner]
        return self.by_offering.get(offering_id(item) or "", DEFAULT)

    def parts(self, order: dict[str, Any]) -> dict[str, dict[str, Any]]:
        """The order as each system gets it (bundled children go with their parent)."""
        grouped: dict[str, list[dict[str, Any]]] = {}
        for item in order.get("productOrderItem") or []:
            grouped.setdefault(self.route(item), []).append(item)
        return {name: {**order, "productOrderItem": items} for name, items in grouped.items()}

    def bind_state(self, state: Any) -> None:
        self._state = state
        with self._lock:
            self._orders = {k: list(v) for k, v in state.load(STATE_SCOPE).items()}
        for system in self._distinct():
            bind = getattr(system, "bind_state", None)
            if callable(bind):
                bind(state)

    def _distinct(self) -> list[Any]:
        seen: dict[int, Any] = {}
        for system in self.systems.values():
            seen.setdefault(id(system), system)
        return list(seen.values())

    def submit(self, order: dict[str, Any]) -> str | None:
        parts = self.parts(order)
        with self._lock:
            self._orders[order["id"]] = sorted(parts)
            if self._state is not None:
                self._state.save(STATE_SCOPE, {order["id"]: sorted(parts)})
        promises = [self.systems[name].submit(part) for name, part in parts.items()]
        dated = [(parse_datetime(p), p) for p in promises if isinstance(p, str)]
        dated = [(when, p) for when, p in dated if when is not None]
        return max(dated)[1] if dated else None  # the order is done when its last part is

    def _holders(self, order_id: str) -> list[Any]:
        with self._lock:
            names = self._orders.get(order_id, [DEFAULT])
        return [self.systems[name] for name in names if name in self.systems]

    def cancel(self, order_id: str) -> bool:
        return all([system.cancel(order_id) for system in self._holders(order_id)])

    def knows(self, order_id: str) -> bool:
        holders = self._holders(order_id)
        return all(getattr(s, "knows", lambda _id: True)(order_id) for s in holders)

    def poll_updates(self) -> list[ItemUpdate]:
        """Every system's updates; one system failing raises after the others were read, and
        what they returned comes first in the next poll (each update is read only once)."""
        updates, self._unreturned = self._unreturned, []
        failure: Exception | None = None
        for system in self._distinct():
            try:
                updates.extend(system.poll_updates())
            except Exception as exc:  # re-raised below, once every system was read
                failure = failure or exc
        if failure is not None:
            self._unreturned = updates
            raise failure
        return updates

    def close(self) -> None:
        for system in self._distinct():
            close = getattr(system, "close", None)
            if callable(close):
                close()
