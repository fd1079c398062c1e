"""TMF630 query parsing: operators, OR/AND grouping, typing and refusals."""

from datetime import UTC, datetime

import pytest

from tests.schemas import SCHEMAS
from tmf_gateway.errors import InvalidQuery
from tmf_gateway.tmf.query import parse_query
from tmf_gateway.tmf.schema import ResourceSchema

SCHEMA = ResourceSchema(SCHEMAS, "Thing")


def parse(*pairs, **kw):
    return parse_query(list(pairs), SCHEMA, **kw)


@pytest.mark.parametrize(
    ("key", "value", "op"),
    [
        ("rank", "3", "eq"),
        ("rank.eq", "3", "eq"),
        ("rank.ne", "3", "ne"),
        ("rank.gt", "3", "gt"),
        ("rank.gte", "3", "gte"),
        ("rank.lt", "3", "lt"),
        ("rank.lte", "3", "lte"),
        ("rank.in", "3", "eq"),
        ("rank>", "3", "gt"),
        ("rank>=", "3", "gte"),
        ("rank<", "3", "lt"),
        ("rank<=", "3", "lte"),
        ("rank!", "3", "ne"),
    ],
)
def test_operators(key, value, op):
    cond = parse((key, value)).conditions[0]
    assert cond.field.path == "rank"
    assert cond.op == op


def test_symbol_without_equals_sign():
    cond = parse(("rank>3", "")).conditions[0]
    assert (cond.op, cond.values) == ("gt", (3,))


def test_regex_star_form_and_named_form():
    assert parse(("name*", "^Moo")).conditions[0].op == "regex"
    assert parse(("name.regex", "^Moo")).conditions[0].values == ("^Moo",)


def test_invalid_regex_is_refused():
    with pytest.raises(InvalidQuery, match="regular expression"):
        parse(("name.regex", "(unclosed"))


def test_comma_list_and_repeated_attribute_are_or():
    query = parse(("status", "a,b"), ("status", "c"))
    assert len(query.conditions) == 1
    assert query.conditions[0].values == ("a", "b", "c")


def test_different_attributes_and_operators_are_and():
    query = parse(("rank.gt", "1"), ("rank.lt", "5"), ("status", "x"))
    assert [(c.field.path, c.op) for c in query.conditions] == [
        ("rank", "gt"),
        ("rank", "lt"),
        ("status", "eq"),
    ]


def test_values_are_typed_by_schema():
    query = parse(("rank", "7"), ("vip", "true"), ("validFor.startDateTime.gt", "2024-01-01"))
    rank, vip, start = query.conditions
    assert rank.values == (7,)
    assert vip.values == (True,)
    assert start.values == (datetime(2024, 1, 1, tzinfo=UTC),)


def test_dates_with_offsets_are_normalised_to_utc():
    cond = parse(("validFor.startDateTime", "2024-01-01T02:00:00+02:00")).conditions[0]
    assert cond.values == (datetime(2024, 1, 1, tzinfo=UTC),)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("rank", "three", "not a number"),
        ("vip", "yes", "true or false"),
        ("validFor.startDateTime.gt", "yesterday", "ISO 8601"),
        ("nosuch", "1", "no such attribute"),
        ("engagedParty", "1", "is an object"),
        ("engagedParty.nosuch", "1", "no such attribute"),
    ],
)
def test_malformed_filters_are_refused(key, value, message):
    with pytest.raises(InvalidQuery, match=message):
        parse((key, value))


def test_nested_paths_through_lists_are_known():
    cond = parse(("contactMedium.characteristic.emailAddress", "a@b.c")).conditions[0]
    assert [(s.key, s.is_array) for s in cond.field.segments] == [
        ("contactMedium", True),
        ("characteristic", False),
        ("emailAddress", False),
    ]


def test_sort_fields_offset_limit():
    query = parse(
        ("sort", "name,-validFor.startDateTime"),
        ("fields", "name, status"),
        ("offset", "10"),
        ("limit", "5"),
    )
    assert [(k.field.path, k.descending) for k in query.sort] == [
        ("name", False),
        ("validFor.startDateTime", True),
    ]
    assert query.fields == ("name", "status")
    assert (query.offset, query.limit) == (10, 5)


def test_default_and_maximum_limit():
    assert parse().limit == 100
    assert parse(default_limit=20).limit == 20
    assert parse(("limit", "1001")).limit == 1000
    assert parse(("limit", "0")).limit == 0
    with pytest.raises(InvalidQuery, match="'limit' must be at least 0"):
        parse(("limit", "-1"))
    with pytest.raises(InvalidQuery, match="integer"):
        parse(("offset", "x"))
    assert parse(("offset", str(10**40))).offset == 2**62


def test_sort_on_list_attribute_is_refused():
    with pytest.raises(InvalidQuery, match="inside a list"):
        parse(("sort", "relatedParty.id"))
