"""CJK search on PostgreSQL (issue 15): the CJK articles' ids as a partial b-tree index.

``ix_articles_cjk_ids`` on ``articles (id)`` for the rows holding a CJK character (the predicate of the other
two CJK indexes). A relevance search for a common Chinese term walks the newest CJK articles backwards on it
instead of every article (in a quarter-Chinese archive, a quarter of the rows, and no English text searched
for a Chinese term). No data changes; creating it reads the table once. SQLite: nothing (its trigram table
holds only CJK articles already).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from newscrawl.store import fts

    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        fts.ensure_cjk(conn)


def downgrade() -> None:
    from newscrawl.store import fts

    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {fts.PG_CJK_IDS_INDEX}")
