"""index columns take values of any length; the Idempotency-Key table

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 14:10:00

PostgreSQL only for the columns: a name, status, @type, party id or external id over 255
characters failed the insert (VARCHAR(255)), and a B-tree entry over ~2,700 bytes fails too.
The columns become TEXT (still binary `C` collation); the client-given ones (type, state,
party_id, label) are filtered by equality, so they get hash indexes, which hold a 4-byte hash
of any value; `date` keeps its B-tree (the gateway writes it, normalised and short). SQLite
stores any length in a VARCHAR(255) column already. The `idempotency_key` table is written to
match `tmf_gateway/services/idempotency.py` as it stands at this revision, a frozen snapshot.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

RESOURCE_TABLES = {  # table -> indexed columns, as revision 0001 created them
    "cancel_product_order": ("label", "state", "type"),
    "customer": ("date", "label", "party_id", "state", "type"),
    "customer_hub": (),
    "product_order": ("date", "label", "state", "type"),
    "product_order_hub": (),
    "ticket_desk_link": ("label", "state"),
    "trouble_ticket": ("date", "label", "state", "type"),
    "trouble_ticket_hub": (),
}
COLUMNS = ("type", "state", "date", "party_id", "label")


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    op.create_table(
        "idempotency_key",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("request", sa.String(length=64), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("response", sa.Text(), nullable=True),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index("ix_idempotency_key_created_at", "idempotency_key", ["created_at"])
    if not _postgres():
        return
    for table, indexed in RESOURCE_TABLES.items():
        for column in COLUMNS:
            op.execute(f'ALTER TABLE {table} ALTER COLUMN {column} TYPE TEXT COLLATE "C"')
        for column in indexed:
            if column == "date":
                continue
            op.drop_index(f"ix_{table}_{column}", table_name=table)
            op.create_index(f"ix_{table}_{column}", table, [column], postgresql_using="hash")


def downgrade() -> None:
    if _postgres():
        for table, indexed in RESOURCE_TABLES.items():
            for column in indexed:
                if column != "date":
                    op.drop_index(f"ix_{table}_{column}", table_name=table)
            for column in COLUMNS:
                op.execute(
                    f'ALTER TABLE {table} ALTER COLUMN {column} TYPE VARCHAR(255) COLLATE "C"'
                )
            for column in indexed:
                if column != "date":
                    op.create_index(f"ix_{table}_{column}", table, [column])
    op.drop_index("ix_idempotency_key_created_at", table_name="idempotency_key")
    op.drop_table("idempotency_key")
