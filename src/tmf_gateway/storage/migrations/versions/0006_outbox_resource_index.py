"""outbox: an index on (resource_kind, resource_id), for the events of one resource

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 15:00:00

The ops console lists an order's events and their deliveries (UnitOfWork.resource_events);
without the index that read would scan the whole outbox. Identical on SQLite and PostgreSQL.
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a database the stores created before migrations existed already has it (build_metadata)
    op.create_index(
        "ix_outbox_resource", "outbox", ["resource_kind", "resource_id"], if_not_exists=True
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_resource", table_name="outbox")
