"""The generic resource use cases (create, read, list, patch, delete) every TMF API shares."""

from __future__ import annotations

import uuid
from typing import Any

import jsonpatch
from jsonpointer import escape

from .. import jsoncodec
from ..domain.resources import ResourceType
from ..errors import Conflict, InvalidResource, NotFound, PreconditionFailed
from ..events.envelope import build_event
from ..ports import AuditEntry, Page, Store, Stored, UnitOfWork
from ..tmf.patch import JSON_PATCH, apply_patch
from ..tmf.query import Query
from ..tmf.values import now_iso
from .context import Caller
from .if_match import check_if_match, parse_if_match
from .validation import SchemaValidator


class ResourceRules:
    """Per-resource business rules; the defaults accept everything. Subclasses override."""

    def on_create(self, doc: dict[str, Any], uow: UnitOfWork, caller: Caller) -> None:
        """Complete or check a new document (server-set fields, references) before it is stored."""

    def on_patch(
        self, old: dict[str, Any], new: dict[str, Any], uow: UnitOfWork, caller: Caller
    ) -> None:
        """Check a change (lifecycle, patchable fields) and complete it before it is stored.
        Read through `uow`, never write: a patch is first prepared in a read transaction."""

    def on_delete(self, doc: dict[str, Any], uow: UnitOfWork) -> None:
        """Refuse deleting a resource that must be kept."""

    def after_create(self, doc: dict[str, Any], uow: UnitOfWork) -> None:
        """Work that follows a stored creation in the same unit of work (e.g. an event that
        must come after the CreateEvent)."""


def changed_paths(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """What changed, as JSON patch operations from old to new. A creation (or deletion) adds
    (or removes) every member, which is what `make_patch` would say at a sixth of a create's
    CPU, spent inside the writer lock; only a change needs the diff."""
    if not old:
        return [{"op": "add", "path": "/" + escape(k), "value": v} for k, v in new.items()]
    if not new:
        return [{"op": "remove", "path": "/" + escape(k)} for k in old]
    return list(jsonpatch.make_patch(old, new))


class ResourceService:
    """Stores one resource type; every change writes its audit entry and TMF event in the
    same transaction as the change itself."""

    def __init__(
        self,
        store: Store,
        resource: ResourceType,
        validator: SchemaValidator,
        rules: ResourceRules | None = None,
        required: tuple[str, ...] = (),
        max_depth: int = 100,
    ) -> None:
        self.store = store
        self.resource = resource
        self.validator = validator
        self.rules = rules or ResourceRules()
        self.required = required  # what create requires, so no patch may remove it
        self.max_depth = max_depth  # no patch may nest the resource deeper (max_json_depth)

    def list(self, query: Query) -> Page:
        with self.store.unit_of_work() as uow:
            return uow.query(self.resource.kind, query)

    def get(self, resource_id: str) -> Stored:
        with self.store.unit_of_work() as uow:
            return self.require(uow, resource_id)

    def require(self, uow: UnitOfWork, resource_id: str) -> Stored:
        stored = uow.get(self.resource.kind, resource_id)
        if stored is None:
            raise NotFound(f"{self.resource.type_name} '{resource_id}' does not exist")
        return stored

    def create(self, body: dict[str, Any], caller: Caller) -> Stored:
        with self.store.unit_of_work(write=True) as uow:
            return self.create_in(uow, body, caller)

    def create_in(self, uow: UnitOfWork, body: dict[str, Any], caller: Caller) -> Stored:
        """Create inside `uow` (a use case that creates several resources in one transaction)."""
        rt = self.resource
        doc = dict(body)
        doc["id"] = uuid.uuid4().hex
        doc["href"] = rt.href(caller.base_url, doc["id"])
        doc.setdefault("@type", rt.type_name)
        self.rules.on_create(doc, uow, caller)
        self.validator.check(doc)
        stored = uow.add(rt.kind, doc)
        self._record(uow, "create", None, doc, stored.version, caller)
        self.rules.after_create(doc, uow)
        return stored

    def patch(
        self,
        resource_id: str,
        body: Any,
        media: str,
        if_match: str | None,
        caller: Caller,
    ) -> Stored:
        """Apply a patch. The first try prepares everything outside the writer lock and writes
        only if the resource has not changed since it was read; if it has, the patch is
        retried under the lock (with If-Match given, the change is refused instead)."""
        tags = parse_if_match(if_match)
        try:
            try:
                return self._patch_optimistically(resource_id, body, media, tags, caller)
            except PreconditionFailed:
                if tags is not None:
                    raise
            # the resource changed meanwhile: re-read it locked against other writers (the row
            # on PostgreSQL, the one writer elsewhere) and re-apply, which cannot be overtaken
            return self._patch_locked(resource_id, body, media, tags, caller)
        except RecursionError:
            # only a document stored before max_json_depth applied to every write nests so deep
            raise Conflict(
                f"{self.resource.type_name} '{resource_id}' is nested too deep to be patched"
            ) from None

    def _patch_optimistically(
        self, resource_id: str, body: Any, media: str, tags: set[str] | None, caller: Caller
    ) -> Stored:
        """Read, patch, check, diff and build the events in a read transaction; hold the writer
        lock only for the writes. PreconditionFailed when someone changed it in between."""
        with self.store.unit_of_work() as uow:
            stored, new = self._patched(uow, resource_id, body, media, tags, caller)
        if new is None:
            return stored
        change = self._change("update", stored.doc, new, stored.version + 1, caller)
        with self.store.unit_of_work(write=True) as uow:
            updated = uow.replace(self.resource.kind, resource_id, new, stored.version)
            self._write(uow, change, new["id"])
            return updated

    def _patch_locked(
        self, resource_id: str, body: Any, media: str, tags: set[str] | None, caller: Caller
    ) -> Stored:
        with self.store.unit_of_work(write=True) as uow:
            stored, new = self._patched(uow, resource_id, body, media, tags, caller, lock=True)
            if new is None:
                return stored
            updated = uow.replace(self.resource.kind, resource_id, new, stored.version)
            self._record(uow, "update", stored.doc, new, updated.version, caller)
            return updated

    def _patched(
        self,
        uow: UnitOfWork,
        resource_id: str,
        body: Any,
        media: str,
        tags: set[str] | None,
        caller: Caller,
        lock: bool = False,
    ) -> tuple[Stored, dict[str, Any] | None]:
        """The stored resource and its checked new version; None when the patch changes
        nothing. Only reads through `uow` (`lock`: holding the resource against writers)."""
        rt = self.resource
        found = uow.get_for_update(rt.kind, resource_id) if lock else uow.get(rt.kind, resource_id)
        if found is None:
            raise NotFound(f"{rt.type_name} '{resource_id}' does not exist")
        stored = found
        check_if_match(tags, stored)
        new = apply_patch(stored.doc, body, media)
        for owned in rt.server_owned:
            if new.get(owned) != stored.doc.get(owned):
                raise InvalidResource(f"'{owned}' is set by the server and cannot be changed")
        # a merge patch nests no deeper than itself or the resource, both within the limit;
        # JSON patches add values at paths, and a series of them could nest without end
        if media == JSON_PATCH and jsoncodec.deeper_than(new, self.max_depth):
            raise InvalidResource(
                f"the patched resource would nest deeper than {self.max_depth} levels"
            )
        removed = [name for name in self.required if new.get(name) is None]
        if removed:
            raise InvalidResource(f"'{removed[0]}' is required and cannot be removed")
        self.rules.on_patch(stored.doc, new, uow, caller)
        if new == stored.doc:
            return stored, None
        self.validator.check(new)  # a patch leaving an invalid resource is the client's error
        return stored, new

    def update(
        self, uow: UnitOfWork, stored: Stored, new: dict[str, Any], caller: Caller
    ) -> Stored:
        """Store a change made by the gateway itself (lifecycle, southbound) inside `uow`."""
        self.validator.check(new)
        updated = uow.replace(self.resource.kind, new["id"], new, stored.version)
        self._record(uow, "update", stored.doc, new, updated.version, caller)
        return updated

    def delete(self, resource_id: str, if_match: str | None, caller: Caller) -> None:
        with self.store.unit_of_work(write=True) as uow:
            stored = self.require(uow, resource_id)
            check_if_match(parse_if_match(if_match), stored)
            self.rules.on_delete(stored.doc, uow)
            uow.delete(self.resource.kind, resource_id)
            self._record(uow, "delete", stored.doc, None, stored.version, caller)

    def audit_trail(self, resource_id: str) -> list[AuditEntry]:
        """The change history; it outlives the resource, so a deleted one still has it."""
        with self.store.unit_of_work() as uow:
            return uow.audit_trail(self.resource.kind, resource_id)

    def _record(
        self,
        uow: UnitOfWork,
        action: str,
        old: dict[str, Any] | None,
        new: dict[str, Any] | None,
        version: int,
        caller: Caller,
    ) -> None:
        current = new if new is not None else old
        assert current is not None
        self._write(uow, self._change(action, old, new, version, caller), current["id"])

    def _change(
        self,
        action: str,
        old: dict[str, Any] | None,
        new: dict[str, Any] | None,
        version: int,
        caller: Caller,
    ) -> tuple[AuditEntry, list[dict[str, Any]]]:
        """The audit entry and events of one change: pure work, no store needed."""
        current = new if new is not None else old
        assert current is not None
        changes = changed_paths(old or {}, new or {})
        audit = AuditEntry(
            self.resource.kind, current["id"], version, now_iso(), caller.actor, action, changes
        )
        return audit, self._events(action, old, new, changes)

    def _write(
        self, uow: UnitOfWork, change: tuple[AuditEntry, list[dict[str, Any]]], resource_id: str
    ) -> None:
        audit, events = change
        uow.record_audit(audit)
        for event in events:
            uow.record_event(event, self.resource.kind, resource_id)

    def _events(
        self,
        action: str,
        old: dict[str, Any] | None,
        new: dict[str, Any] | None,
        changes: list[dict[str, Any]],
    ) -> list[dict[str, Any]]:
        rt = self.resource
        if action == "create" and new is not None:
            return [build_event(rt, "CreateEvent", new)]
        if action == "delete" and old is not None:
            return [build_event(rt, "DeleteEvent", old)]
        assert old is not None and new is not None
        events = []
        state = rt.state_field
        if state and old.get(state) != new.get(state):
            # one event per move, intermediate ones included (docs/ordering.md), each followed
            # by the event of entering that state, if the resource type has one
            moves = rt.moves(old, new)
            for index, passed in enumerate(moves):
                doc = new if index == len(moves) - 1 else {**new, state: passed}
                events.append(build_event(rt, rt.state_event, doc, field_path=state))
                if passed in rt.entry_events:
                    events.append(build_event(rt, rt.entry_events[passed], doc,
                                              field_path=state))
        touched = sorted({op["path"].split("/")[1] for op in changes} - {state, "lastUpdate"})
        if touched:
            events.append(
                build_event(rt, "AttributeValueChangeEvent", new, field_path=",".join(touched))
            )
        return events
