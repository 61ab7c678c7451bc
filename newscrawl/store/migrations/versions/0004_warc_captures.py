"""WARC captures (issue 14): the ``captures`` table, and ``capture_id`` on ``articles`` and ``revisions``.

Each archived version points to the WARC record it was extracted from (docs/warc.md). The columns are added only
where missing: the baseline creates ``revisions`` from today's declaration in an archive that lacked it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _columns(table: str) -> set[str]:
    return {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}


def upgrade() -> None:
    from newscrawl.store.schema import metadata

    metadata.tables["captures"].create(op.get_bind(), checkfirst=True)
    if "capture_id" not in _columns("articles"):
        with op.batch_alter_table("articles") as batch:
            batch.add_column(sa.Column("capture_id", sa.Integer(), nullable=True))
            batch.create_index("ix_articles_capture_id", ["capture_id"])
    if "capture_id" not in _columns("revisions"):
        with op.batch_alter_table("revisions") as batch:
            batch.add_column(sa.Column("capture_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("revisions") as batch:
        batch.drop_column("capture_id")
    with op.batch_alter_table("articles") as batch:
        batch.drop_index("ix_articles_capture_id")
        batch.drop_column("capture_id")
    op.drop_table("captures")
