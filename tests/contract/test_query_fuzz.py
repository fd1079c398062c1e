"""Hypothesis: random TMF630 filters and sorts never break SQL and agree with the memory store."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.pg import fresh_schema
from tests.schemas import THING
from tmf_gateway.errors import InvalidQuery
from tmf_gateway.storage.memory import MemoryStore
from tmf_gateway.storage.sqlite import SqliteStore
from tmf_gateway.testing.store_suite.queries import SCHEMA, thing
from tmf_gateway.tmf import values
from tmf_gateway.tmf.query import parse_query

NASTY = [
    "O'Brien",
    'say "hi"',
    "'; DROP TABLE thing; --",
    '"); DROP TABLE thing; --',
    "émile",
    "Ωmega",
    "🦜 parrot",
    "back\\slash",
    "",
    "name-07",
    "$.x ? (@ == 1)",
    "{a,b}",
    "%_",
]
PATHS = [
    "id", "@type", "name", "status", "rank", "vip", "validFor.startDateTime",
    "validFor.endDateTime", "engagedParty.id", "engagedParty.role", "relatedParty.id",
    "relatedParty.role", "contactMedium.mediumType", "contactMedium.characteristic.emailAddress",
    "tags",
]  # fmt: skip
SORTABLE = [p for p in PATHS if not SCHEMA.resolve(p).crosses_array]
OPS = ["", ".eq", ".ne", ".gt", ".gte", ".lt", ".lte", ".in", ".regex", "*", "!", ">", "<"]
RANKS = [0, -5, 2**70, 1.5, 10**20, -0.25, 7, 7.0, 3]


def _docs() -> list[dict]:
    docs = []
    for n, name in enumerate(NASTY, start=1):
        docs.append(
            thing(
                n,
                name=name,
                rank=RANKS[n % len(RANKS)],
                status=NASTY[(n * 5) % len(NASTY)],
                validFor={
                    "startDateTime": f"2024-0{1 + n % 9}-1{n % 10}T0{n % 10}:30:00+0{n % 3}:00",
                    "endDateTime": f"2025-01-01T00:00:0{n % 10}.{n:03d}Z",
                },
                engagedParty={"id": NASTY[(n * 3) % len(NASTY)], "role": "Owner"},
                tags=[NASTY[n % len(NASTY)], "x"],
            )
        )
    docs.append({"id": "bare", "@type": "Thing", "name": "bare"})
    docs.append({"id": "nulls", "name": None, "rank": None, "validFor": None, "tags": []})
    return docs


texts = st.one_of(
    st.sampled_from(NASTY),
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=8),
)
numbers = st.one_of(
    st.sampled_from(["0", "7", "-5", "1.5", "1e300", str(2**70), "-0.25", "abc", "7.0"]),
    st.integers(-(2**80), 2**80).map(str),
    st.floats(-1e6, 1e6, allow_nan=False).map(repr),
)
dates = st.one_of(
    st.sampled_from(["2024-03-13", "2024-01-11T01:30:00+01:00", "2025-01-01T00:00:05.005Z"]),
    st.datetimes(
        min_value=__import__("datetime").datetime(2023, 1, 1),
        max_value=__import__("datetime").datetime(2026, 1, 1),
    ).map(lambda d: d.isoformat() + "Z"),
)
regexes = st.builds(
    lambda head, body, tail: head + body + tail,
    st.sampled_from(["", "^"]),
    st.one_of(texts.map(re.escape), st.sampled_from(["[a-z]+", "e.*e", "-0[1-5]", "\\d"])),
    st.sampled_from(["", "$", ".*"]),
)


@st.composite
def queries(draw) -> list[tuple[str, str]]:
    pairs = []
    for _ in range(draw(st.integers(0, 3))):
        path, op = draw(st.sampled_from(PATHS)), draw(st.sampled_from(OPS))
        kind = SCHEMA.resolve(path).kind
        if op in (".regex", "*"):
            value = draw(regexes)
        else:
            pool = {values.NUMBER: numbers, values.DATETIME: dates}.get(kind, texts)
            if kind == values.BOOLEAN:
                pool = st.sampled_from(["true", "false"])
            value = ",".join(draw(st.lists(pool, min_size=1, max_size=3)))
        if op in (">", "<"):
            pairs.append((f"{path}{op}{value}", ""))
        else:
            pairs.append((f"{path}{op}", value))
    keys = draw(st.lists(st.sampled_from(SORTABLE), max_size=2, unique=True))
    if keys:
        signs = [draw(st.sampled_from(["", "-", "+"])) for _ in keys]
        pairs.append(("sort", ",".join(s + k for s, k in zip(signs, keys, strict=True))))
    pairs.append(("offset", str(draw(st.integers(0, 5)))))
    pairs.append(("limit", str(draw(st.integers(1, 40)))))
    return pairs


def _answer(store, query):
    with store.unit_of_work() as uow:
        page = uow.query("thing", query)
    return [doc["id"] for doc in page.items], page.total


def _seed(store):
    with store.unit_of_work(write=True) as uow:
        for doc in _docs():
            uow.add("thing", doc)
    return store


@pytest.fixture(scope="module")
def reference():
    store = _seed(MemoryStore([THING]))
    yield store
    store.close()


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def sql_store(request, tmp_path_factory):
    if request.param == "sqlite":
        store = _seed(SqliteStore(f"sqlite:///{tmp_path_factory.mktemp('fuzz')}/f.db", [THING]))
        yield store
        store.close()
        return
    from tmf_gateway.storage.postgresql import PostgresStore

    with fresh_schema() as url:
        store = _seed(PostgresStore(url, [THING]))
        yield store
        store.close()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pairs=queries())
def test_sql_stores_answer_like_memory(sql_store, reference, pairs):
    try:
        query = parse_query(pairs, SCHEMA, default_limit=100)
    except InvalidQuery:
        assume(False)
    assert _answer(sql_store, query) == _answer(reference, query), pairs


def test_injection_attempts_leave_the_table_intact(sql_store):
    for value in NASTY:
        query = parse_query([("name", value), ("status.regex", re.escape(value))], SCHEMA)
        _answer(sql_store, query)
    assert _answer(sql_store, parse_query([], SCHEMA))[1] == len(_docs())
