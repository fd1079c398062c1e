"""callbacks: the signatures of applied southbound callbacks, shared by every gateway process

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 01:55:00

Written to match `tmf_gateway/services/callback_log.py` as it stands at this revision; a frozen
snapshot like 0001, identical on SQLite and PostgreSQL.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "callback_signature",
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("stamp", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("digest"),
    )
    op.create_index("ix_callback_signature_stamp", "callback_signature", ["stamp"])


def downgrade() -> None:
    op.drop_index("ix_callback_signature_stamp", table_name="callback_signature")
    op.drop_table("callback_signature")
