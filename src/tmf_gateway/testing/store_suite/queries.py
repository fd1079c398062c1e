"""One suite, every store: the same TMF630 queries give the same answers everywhere."""

import threading
import time

import pytest

from tmf_gateway.errors import PreconditionFailed
from tmf_gateway.ports import AuditEntry
from tmf_gateway.testing.things import SCHEMAS
from tmf_gateway.tmf.query import parse_query
from tmf_gateway.tmf.schema import ResourceSchema

SCHEMA = ResourceSchema(SCHEMAS, "Thing")


def thing(n, **extra):
    doc = {
        "id": f"t{n}",
        "@type": "Thing",
        "name": f"name-{n:02d}",
        "status": "Created" if n % 2 else "Approved",
        "rank": n,
        "vip": n % 3 == 0,
        "validFor": {"startDateTime": f"2024-01-{n:02d}T12:00:00Z"},
        "engagedParty": {"id": f"p{n % 4}"},
        "relatedParty": [{"id": f"r{n}", "role": "Customer"}, {"id": "shared", "role": "Owner"}],
        "contactMedium": [
            {"mediumType": "email", "characteristic": {"emailAddress": f"u{n}@example.com"}}
        ],
        "tags": ["even" if n % 2 == 0 else "odd"],
    }
    doc.update(extra)
    return doc


@pytest.fixture
def seeded(store):
    with store.unit_of_work(write=True) as uow:
        for n in range(1, 21):
            uow.add("thing", thing(n))
        # 2024-01-06T23:30-02:00 is 2024-01-07T01:30Z: between t6 and t7 in time
        uow.add(
            "thing",
            thing(21, validFor={"startDateTime": "2024-01-06T23:30:00-02:00"}, name="Zed"),
        )
        uow.add("thing", {"id": "bare", "@type": "Thing", "name": "bare"})
    return store


def ids(store, *pairs):
    query = parse_query(list(pairs), SCHEMA, default_limit=1000)
    with store.unit_of_work() as uow:
        page = uow.query("thing", query)
    return [doc["id"] for doc in page.items], page.total


def id_set(store, *pairs):
    return set(ids(store, *pairs)[0])


def test_equality_on_indexed_and_json_attributes(seeded):
    assert id_set(seeded, ("name", "name-03")) == {"t3"}
    assert id_set(seeded, ("rank", "4")) == {"t4"}
    assert id_set(seeded, ("vip", "true")) == {"t3", "t6", "t9", "t12", "t15", "t18", "t21"}


def test_or_and_and(seeded):
    assert id_set(seeded, ("rank", "1,2"), ("rank", "3")) == {"t1", "t2", "t3"}
    assert id_set(seeded, ("rank.gte", "4"), ("rank.lt", "7"), ("status", "Approved")) == {
        "t4",
        "t6",
    }


def test_ne_counts_missing_attributes_as_not_equal(seeded):
    assert "bare" in id_set(seeded, ("status.ne", "Created"))
    assert id_set(seeded, ("status.ne", "Created")) == {f"t{n}" for n in range(2, 21, 2)} | {"bare"}


def test_numeric_comparison_is_numeric_not_text(seeded):
    assert id_set(seeded, ("rank.gt", "9"), ("rank.lte", "11")) == {"t10", "t11"}


def test_dates_compare_as_dates_across_offsets(seeded):
    # t21 starts 2024-01-07T01:30Z although its text says the 6th
    after = id_set(seeded, ("validFor.startDateTime.gt", "2024-01-07T00:00:00Z"))
    assert "t21" in after and "t6" not in after and "t7" in after
    assert id_set(seeded, ("validFor.startDateTime.lt", "2024-01-03")) == {"t1", "t2"}
    assert id_set(seeded, ("validFor.startDateTime", "2024-01-07T03:30:00+02:00")) == {"t21"}


def test_nested_paths_into_objects_and_lists(seeded):
    assert id_set(seeded, ("engagedParty.id", "p1")) == {"t1", "t5", "t9", "t13", "t17", "t21"}
    assert id_set(seeded, ("relatedParty.id", "r7")) == {"t7"}
    assert len(id_set(seeded, ("relatedParty.id", "shared"))) == 21
    assert id_set(seeded, ("contactMedium.characteristic.emailAddress", "u12@example.com")) == {
        "t12"
    }
    assert id_set(seeded, ("tags", "even"), ("rank.lt", "5")) == {"t2", "t4"}
    assert "t7" not in id_set(seeded, ("relatedParty.id.ne", "r7"))


def test_regex(seeded):
    assert id_set(seeded, ("name*", "^name-1[0-2]$")) == {"t10", "t11", "t12"}
    assert id_set(seeded, ("contactMedium.characteristic.emailAddress.regex", "^u2@")) == {"t2"}


def test_sort_paging_and_total(seeded):
    got, total = ids(seeded, ("sort", "-rank"), ("limit", "3"))
    assert got == ["t21", "t20", "t19"]
    assert total == 22
    got, total = ids(
        seeded, ("status", "Created"), ("sort", "name"), ("offset", "2"), ("limit", "2")
    )
    assert got == ["t3", "t5"]  # "Zed" sorts before "name-01": binary order
    assert total == 11


def test_sort_missing_values_last_both_ways(seeded):
    assert ids(seeded, ("sort", "rank"))[0][-1] == "bare"
    assert ids(seeded, ("sort", "-rank"))[0][-1] == "bare"


def test_sort_by_date_is_chronological(seeded):
    ordered = ids(seeded, ("sort", "-validFor.startDateTime"), ("limit", "3"))[0]
    assert ordered == ["t20", "t19", "t18"]
    ordered = ids(seeded, ("sort", "validFor.startDateTime"), ("rank", "6,7,21"))[0]
    assert ordered == ["t6", "t21", "t7"]


def test_default_order_is_insertion(seeded):
    assert ids(seeded, ("limit", "3"))[0] == ["t1", "t2", "t3"]


def test_offset_past_the_end(seeded):
    got, total = ids(seeded, ("offset", "100"))
    assert (got, total) == ([], 22)


def test_replace_checks_version(store):
    with store.unit_of_work(write=True) as uow:
        uow.add("thing", thing(1))
    with store.unit_of_work(write=True) as uow:
        stored = uow.get("thing", "t1")
        uow.replace("thing", "t1", {**stored.doc, "status": "Approved"}, stored.version)
    with pytest.raises(PreconditionFailed), store.unit_of_work(write=True) as uow:
        uow.replace("thing", "t1", {**stored.doc, "status": "X"}, stored.version)
    with store.unit_of_work() as uow:
        current = uow.get("thing", "t1")
    assert (current.version, current.doc["status"]) == (2, "Approved")


def test_get_for_update_holds_the_resource_until_the_unit_of_work_ends(store):
    """A second read-modify-write waits for the first to commit, then reads its result: both
    changes are kept, neither is refused (a plain `get` on PostgreSQL would read the old
    version and the second write would fail)."""
    with store.unit_of_work(write=True) as uow:
        uow.add("thing", thing(1))
    holding, errors = threading.Event(), []

    def change(field: str, hold: float) -> None:
        try:
            with store.unit_of_work(write=True) as uow:
                stored = uow.get_for_update("thing", "t1")
                holding.set()
                time.sleep(hold)
                uow.replace("thing", "t1", {**stored.doc, field: "set"}, stored.version)
        except Exception as exc:  # reported below
            errors.append(exc)

    first = threading.Thread(target=change, args=("description", 0.3))
    first.start()
    assert holding.wait(5)
    change("statusReason", 0)
    first.join(10)
    assert errors == []
    with store.unit_of_work() as uow:
        current = uow.get("thing", "t1")
        assert uow.get_for_update("thing", "missing") is None
    assert current.version == 3
    assert current.doc["description"] == current.doc["statusReason"] == "set"


def test_indexed_columns_follow_changes(store):
    with store.unit_of_work(write=True) as uow:
        uow.add("thing", thing(1))
        stored = uow.get("thing", "t1")
        uow.replace("thing", "t1", {**stored.doc, "status": "Gone"}, stored.version)
    assert id_set(store, ("status", "Gone")) == {"t1"}
    assert id_set(store, ("status", "Created")) == set()


def test_failed_unit_of_work_leaves_nothing(store):
    with store.unit_of_work(write=True) as uow:  # one committed change, kept
        uow.add("thing", thing(2))
        uow.record_event({"eventType": "ThingCreateEvent", "eventId": "e0"}, "thing", "t2")
    with store.unit_of_work() as uow:
        before = uow.outbox_last_seq()
    with pytest.raises(RuntimeError), store.unit_of_work(write=True) as uow:
        uow.add("thing", thing(1))
        uow.record_event({"eventType": "ThingCreateEvent", "eventId": "e1"}, "thing", "t1")
        uow.record_audit(AuditEntry("thing", "t1", 1, "2024-01-01T00:00:00Z", "alice", "create"))
        raise RuntimeError("boom")
    with store.unit_of_work() as uow:
        assert uow.get("thing", "t1") is None
        assert uow.outbox_last_seq() == before
        assert [e.event_id for e in uow.outbox_after(0, 10)] == ["e0"]
        assert uow.outbox_count_after(0) == 1
        assert uow.audit_trail("thing", "t1") == []
        assert uow.get("thing", "t2") is not None


def test_delete_and_audit_trail(store):
    with store.unit_of_work(write=True) as uow:
        uow.add("thing", thing(1))
        uow.record_audit(AuditEntry("thing", "t1", 1, "2024-01-01T00:00:00Z", "alice", "create"))
        assert uow.delete("thing", "t1") is True
        assert uow.delete("thing", "t1") is False
    with store.unit_of_work() as uow:
        trail = uow.audit_trail("thing", "t1")
        assert [(e.actor, e.action) for e in trail] == [("alice", "create")]
        assert uow.get("thing", "t1") is None


def test_iterate_in_batches(seeded):
    with seeded.unit_of_work() as uow:
        got = [doc["id"] for doc in uow.iterate("thing", batch=5)]
    assert got[:3] == ["t1", "t2", "t3"] and len(got) == 22
