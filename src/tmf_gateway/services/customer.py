"""Customer inventory rules (eTOM 1.3.1.5 Manage Customer Inventory)."""

from __future__ import annotations

from typing import Any

from ..domain.contact import contact_problems
from ..errors import InvalidResource
from ..ports import UnitOfWork
from .context import Caller
from .resources import ResourceRules

INITIAL_STATUS = "Created"


class CustomerRules(ResourceRules):
    """A customer always names the party it is; its status starts as Created."""

    def on_create(self, doc: dict[str, Any], uow: UnitOfWork, caller: Caller) -> None:
        _require_engaged_party(doc)
        _check_contact(doc)
        doc.setdefault("status", INITIAL_STATUS)

    def on_patch(
        self, old: dict[str, Any], new: dict[str, Any], uow: UnitOfWork, caller: Caller
    ) -> None:
        _require_engaged_party(new)
        if new.get("contactMedium") != old.get("contactMedium"):
            _check_contact(new)


def _check_contact(doc: dict[str, Any]) -> None:
    problems = contact_problems(doc)
    if problems:
        raise InvalidResource("; ".join(problems))


def _require_engaged_party(doc: dict[str, Any]) -> None:
    party = doc.get("engagedParty")
    if not isinstance(party, dict) or "id" not in party:
        raise InvalidResource("a customer needs an 'engagedParty' with an 'id'")
