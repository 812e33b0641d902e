"""Initial schema: articles, events, deployments, edits.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# Written out rather than imported from extract.schema: a migration must keep
# creating the same tables when the code moves on.
STATUSES = ("announced", "ordered", "deployed", "arrived", "withdrawn", "alert", "other")


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("title", sa.Text()),
        sa.Column("source", sa.Text()),
        sa.Column("lang", sa.String(16)),
        sa.Column("published", sa.String(32)),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("is_example", sa.Boolean(), nullable=False),
        sa.UniqueConstraint("content_hash", name="uq_articles_content_hash"),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("representative_id", sa.Integer()),
    )
    op.create_index("ix_events_representative_id", "events", ["representative_id"])
    op.create_table(
        "deployments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("event_id", sa.Integer(), sa.ForeignKey("events.id", ondelete="SET NULL")),
        sa.Column("origin", sa.Text()),
        sa.Column("origin_country", sa.String(8)),
        sa.Column("origin_lat", sa.Float()),
        sa.Column("origin_lon", sa.Float()),
        sa.Column("destination", sa.Text()),
        sa.Column("destination_country", sa.String(8)),
        sa.Column("destination_lat", sa.Float()),
        sa.Column("destination_lon", sa.Float()),
        sa.Column("headcount", sa.Integer()),
        sa.Column("headcount_shared", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("force", sa.String(8)),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("source", sa.Text()),
        sa.Column("unit", sa.Text()),
        sa.Column("date", sa.String(32)),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("start", sa.Integer()),
        sa.Column("end", sa.Integer()),
        sa.Column("lang", sa.String(16)),
        sa.Column("headcount_qualifier", sa.String(16)),
        sa.Column("origin_kind", sa.String(16)),
        sa.Column("destination_kind", sa.String(16)),
        sa.Column("origin_text", sa.Text()),
        sa.Column("destination_text", sa.Text()),
        sa.Column("headcount_group", sa.Text()),
        sa.Column("counted", sa.Boolean(), nullable=False),
        sa.Column("extractor_version", sa.String(64)),
        sa.Column("edited", sa.Boolean(), nullable=False),
        sa.Column("human_added", sa.Boolean(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("machine_key", sa.String(64)),
        sa.Column("event_date", sa.String(32)),
        sa.CheckConstraint("status IN (%s)" % ", ".join(f"'{s}'" for s in STATUSES),
                           name="ck_deployments_status"),
    )
    op.create_index("ix_deployments_article_id", "deployments", ["article_id"])
    op.create_index("ix_deployments_event_id", "deployments", ["event_id"])
    op.create_index("ix_deployments_match", "deployments", ["force", "destination_country", "event_date"])
    op.create_table(
        "edits",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("deployment_id", sa.Integer(), sa.ForeignKey("deployments.id", ondelete="CASCADE")),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("old_value", sa.Text()),
        sa.Column("new_value", sa.Text()),
    )
    op.create_index("ix_edits_deployment_id", "edits", ["deployment_id"])
    op.create_index("ix_edits_article_id", "edits", ["article_id"])


def downgrade() -> None:
    op.drop_table("edits")
    op.drop_table("deployments")
    op.drop_table("events")
    op.drop_table("articles")
