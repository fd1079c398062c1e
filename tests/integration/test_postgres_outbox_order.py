"""On PostgreSQL, outbox numbers commit in order, so the dispatcher's cursor never skips one."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import text

from tests.pg import fresh_schema
from tests.schemas import THING
from tmf_gateway.errors import InvalidResource

pytestmark = pytest.mark.postgres


@pytest.fixture
def store():
    from tmf_gateway.storage.postgresql import PostgresStore

    with fresh_schema() as url:
        built = PostgresStore(url, [THING])
        yield built
        built.close()


def event(n: int) -> dict:
    return {"eventId": f"e{n}", "eventType": "ThingCreateEvent", "event": {"thing": {"id": n}}}


def outbox_seqs(store) -> list[tuple[int, str]]:
    from sqlalchemy import select

    outbox = store.tables["outbox"]
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(outbox.c.seq, outbox.c.event_id))]


def test_a_later_writer_waits_for_the_earlier_one_to_commit(store):
    first_wrote = threading.Event()
    release_first = threading.Event()
    second_done = threading.Event()
    first_pid: list[int] = []

    def first() -> None:
        with store.unit_of_work(write=True) as uow:
            uow.record_event(event(1), "thing", "1")
            first_pid.append(uow._conn.execute(text("select pg_backend_pid()")).scalar_one())
            first_wrote.set()
            release_first.wait(10)

    def blocked_behind_first() -> int:
        with store.engine.connect() as conn:
            return int(conn.execute(
                text("select count(*) from pg_locks where not granted"
                     " and :pid = any(pg_blocking_pids(pid))"), {"pid": first_pid[0]},
            ).scalar_one())

    def second() -> None:
        first_wrote.wait(10)
        with store.unit_of_work(write=True) as uow:
            uow.record_event(event(2), "thing", "2")
        second_done.set()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_wrote.wait(10)
    deadline = time.monotonic() + 10  # until the second transaction waits on the first's lock
    while not blocked_behind_first():
        assert not second_done.is_set(), "the second committed while the first was open"
        assert time.monotonic() < deadline, "the second transaction never waited on the first"
        time.sleep(0.01)
    assert not second_done.is_set()
    assert outbox_seqs(store) == []
    release_first.set()
    for thread in threads:
        thread.join(10)
    rows = outbox_seqs(store)
    assert [event_id for _, event_id in sorted(rows)] == ["e1", "e2"]


def test_nul_characters_are_a_client_error_and_nothing_is_stored(store):
    with pytest.raises(InvalidResource, match="NUL"), store.unit_of_work(write=True) as uow:
        uow.add("thing", {"id": "t1", "name": "bad\u0000name"})
    with pytest.raises(InvalidResource, match="NUL"), store.unit_of_work(write=True) as uow:
        uow.add("thing", {"id": "t2", "name": "fine", "rank": 1, "tags": ["in\u0000doc"]})
    with store.unit_of_work() as uow:
        assert uow.get("thing", "t1") is None
        assert uow.get("thing", "t2") is None
