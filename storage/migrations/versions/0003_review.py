"""Review decisions and hand-made event groupings.

deployments.review: "accepted", "fixed" or "rejected" once a person has checked the row on the
Review page (NULL: not checked). deployments.event_pinned: a person merged or split the row's event,
so automatic grouping leaves the row where they put it. An index on confidence serves the queue.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: Union[str, Sequence[str], None] = "0002"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("deployments") as batch:
        batch.add_column(sa.Column("review", sa.String(16)))
        batch.add_column(sa.Column("event_pinned", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_index("ix_deployments_confidence", "deployments", ["confidence"])


def downgrade() -> None:
    op.drop_index("ix_deployments_confidence", table_name="deployments")
    with op.batch_alter_table("deployments") as batch:
        batch.drop_column("event_pinned")
        batch.drop_column("review")
