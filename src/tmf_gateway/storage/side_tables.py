"""The side-data tables, beside the resources': API keys and the access log (revision 0002),
applied callback signatures (0003), Idempotency-Keys (0004), work claims and the southbound
adapters' state (0005). The stores' metadata and the migrations' target both include them."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

_METADATA = MetaData()  # a home for the definitions; each store copies them into its own
API_KEY = Table(
    "api_key",
    _METADATA,
    Column("key_id", String(32), primary_key=True),
    Column("client", String(255), nullable=False),
    Column("scopes", String(2000), nullable=False),
    Column("secret_hash", String(128), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("revoked_at", String(32)),
)
ACCESS_LOG = Table(
    "access_log",
    _METADATA,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("at", String(32), nullable=False, index=True),
    Column("client", String(255), nullable=False),
    Column("operation", String(128), nullable=False),
    Column("customer_id", String(64), index=True),
    Column("status", Integer, nullable=False),
    Column("bytes", Integer, nullable=False),
)
CALLBACK_SIGNATURE = Table(
    "callback_signature",
    _METADATA,
    Column("digest", String(64), primary_key=True),
    Column("stamp", BigInteger, nullable=False, index=True),  # the signed unix time
)
IDEMPOTENCY_KEY = Table(
    "idempotency_key",
    _METADATA,
    Column("key", String(64), primary_key=True),  # digest of client, path and header value
    Column("request", String(64), nullable=False),  # digest of the body
    Column("status", Integer, nullable=False),  # 0 while the first request runs
    Column("response", Text),  # JSON: the answer's headers and body
    Column("created_at", Float, nullable=False, index=True),
)
WORK_CLAIM = Table(
    "work_claim",
    _METADATA,
    Column("name", String(200), primary_key=True),
    Column("owner", String(100), nullable=False),
    Column("expires", Float, nullable=False),  # unix time; after it anyone may take the work
)
SOUTHBOUND_STATE = Table(
    "southbound_state",
    _METADATA,
    Column("scope", String(100), primary_key=True),  # e.g. "simulator.fulfilment"
    Column("key", String(200), primary_key=True),
    Column("value", Text, nullable=False),  # JSON
)
SIDE_TABLES = (API_KEY, ACCESS_LOG, CALLBACK_SIGNATURE, IDEMPOTENCY_KEY, WORK_CLAIM,
               SOUTHBOUND_STATE)


def add_side_tables(metadata: MetaData) -> None:
    """Copy the side tables into a store's (or the migrations' target) metadata."""
    for table in SIDE_TABLES:
        table.to_metadata(metadata)
