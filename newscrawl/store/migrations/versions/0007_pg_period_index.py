"""Research views (issue 17) on PostgreSQL: the publication periods as expression indexes.

The function ``newscrawl_period(published_at, unit)`` (Sarawak-time day, ISO week or month as an integer, as
SQLite's period columns of revision 0005) and two indexes on ``(outlet, period, day)`` including
``published_at``, ``duplicate_of`` and ``id``: an outlet's stories per period (the denominator of
``attention --normalise``) are counted by an index-only scan instead of reading every article
(:mod:`newscrawl.store.periodindex`). No data changes; creating the indexes reads the table once. SQLite: nothing
new (0005 made its columns and indexes; re-ensured here, idempotent).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from newscrawl.store import periodindex

    periodindex.ensure(op.get_bind())


def downgrade() -> None:
    from newscrawl.store import periodindex

    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        periodindex.drop(conn)
