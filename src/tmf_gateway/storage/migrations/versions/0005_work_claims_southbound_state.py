"""claims and southbound state: which gateway process does a piece of southbound work (an
order's submission), and what an adapter keeps in the store (the simulator's orders in flight)

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-02 14:30:00

Written to match `tmf_gateway/services/claims.py` and `storage/southbound_state.py` as they
stand at this revision; a frozen snapshot like 0001, identical on SQLite and PostgreSQL.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "work_claim",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("owner", sa.String(length=100), nullable=False),
        sa.Column("expires", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "southbound_state",
        sa.Column("scope", sa.String(length=100), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("scope", "key"),
    )


def downgrade() -> None:
    op.drop_table("southbound_state")
    op.drop_table("work_claim")
