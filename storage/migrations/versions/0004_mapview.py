"""deployments.allocated: troops each row gives per-place totals, summed by the map in the database.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""
from collections import defaultdict
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: Union[str, Sequence[str], None] = "0003"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def allocations(rows: list) -> dict:
    # A frozen copy of storage.allocation.allocations as it was when this revision was written.
    groups = defaultdict(list)
    for row in rows:
        if row[2] not in (None, ""):
            groups[row[2]].append(row)
    out = {}
    for row_id, headcount, group, _shared, counted in rows:
        figure = float(headcount) if headcount is not None and counted is not False else 0.0
        members = groups.get(group) if group not in (None, "") else None
        if members and headcount is not None:
            figures = {m[1] for m in members if m[1] is not None}
            if (all(bool(m[3]) for m in members) and len(figures) == 1
                    and sum(1 for m in members if m[4] is not False) == 1):
                figure = float(headcount) / len(members)
        out[row_id] = figure
    return out


def upgrade() -> None:
    op.add_column("deployments", sa.Column("allocated", sa.Float()))
    deployments = sa.table("deployments", sa.column("id", sa.Integer()), sa.column("article_id", sa.Integer()),
                           sa.column("headcount", sa.Integer()), sa.column("headcount_group", sa.Text()),
                           sa.column("headcount_shared", sa.Boolean()), sa.column("counted", sa.Boolean()),
                           sa.column("deleted", sa.Boolean()), sa.column("allocated", sa.Float()))
    connection = op.get_bind()
    by_article = defaultdict(list)
    for row in connection.execute(
            sa.select(deployments.c.article_id, deployments.c.id, deployments.c.headcount,
                      deployments.c.headcount_group, deployments.c.headcount_shared, deployments.c.counted)
            .where(deployments.c.deleted.is_(False))):
        by_article[row[0]].append(tuple(row[1:]))
    values = [{"row_id": row_id, "value": value}
              for rows in by_article.values() for row_id, value in allocations(rows).items()]
    if values:
        connection.execute(deployments.update().where(deployments.c.id == sa.bindparam("row_id"))
                           .values(allocated=sa.bindparam("value")), values)


def downgrade() -> None:
    with op.batch_alter_table("deployments") as batch:
        batch.drop_column("allocated")
