"""PostgreSQL: articles' text and tsvector out of line, so reading many rows reads a narrow table.

``toast_tuple_target = 1024`` on ``articles`` (``schema.PG_TOAST_TUPLE_TARGET``; why there). It applies to rows
written from now on; ``VACUUM FULL articles`` rewrites the existing ones (docs/postgresql.md#row-layout says how
long it takes and what it locks). SQLite: nothing (its revision moves on, docs/schema.md#schema-changes).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from newscrawl.store.schema import PG_ROW_LAYOUT

    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(PG_ROW_LAYOUT % {"table": "articles"})


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("ALTER TABLE articles RESET (toast_tuple_target)")
