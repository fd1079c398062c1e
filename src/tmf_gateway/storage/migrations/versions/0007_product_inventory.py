"""product inventory: the customers' products of the built-in product inventory (TMF637 bodies)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 16:00:00

A resource table like those of 0001 (with 0004's index columns), written to match
`tmf_gateway/domain/resources.py` PRODUCT as it stands at this revision.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

DOC = sa.Text().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
INDEXED = sa.String(length=255).with_variant(sa.Text(collation="C"), "postgresql")


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "product",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        *(sa.Column(name, INDEXED, nullable=True)
          for name in ("type", "state", "date", "party_id", "label")),
        sa.Column("doc", DOC, nullable=False),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("id"),
    )
    for column in ("date", "label", "state", "type"):
        using = "hash" if postgres and column != "date" else None
        op.create_index(f"ix_product_{column}", "product", [column], unique=False,
                        postgresql_using=using)
    if postgres:
        op.create_index("ix_product_doc", "product", ["doc"], unique=False,
                        postgresql_using="gin", postgresql_ops={"doc": "jsonb_path_ops"})


def downgrade() -> None:
    op.drop_table("product")
