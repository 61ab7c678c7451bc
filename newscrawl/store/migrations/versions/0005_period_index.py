"""Research views (issue 17): Sarawak-time publication periods as indexed generated columns (SQLite).

``published_day``, ``published_week`` and ``published_month`` are VIRTUAL columns computed from
``published_at``; two covering indexes hold them in grouping order (:mod:`newscrawl.store.periodindex`).
No data changes; creating the indexes reads the table once. PostgreSQL: nothing (docs/research.md).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from newscrawl.store import periodindex

    periodindex.ensure(op.get_bind())


def downgrade() -> None:
    from newscrawl.store import periodindex

    periodindex.drop(op.get_bind())
