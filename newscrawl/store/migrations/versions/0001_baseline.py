"""Baseline: the schema of newscrawl before migrations (main at 884c56d).

Archives made before Alembic have no ``alembic_version`` table; they are upgraded from here. This revision
creates whatever an older archive still lacks of that schema (tables added in place by earlier versions:
revisions, the near-duplicate index, story groups, crawl state, the marker, the full-text index), exactly as
those versions did on open, so every archive leaves this revision with the same tables.

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

BASELINE_TABLES = (
    "articles", "article_urls", "revisions", "neardup_signatures", "neardup_bands", "neardup_config",
    "story_links", "story_corrections", "archive_meta", "crawl_runs", "listings", "fetches", "skips",
    "http_validators", "article_events", "frontier",
)


def upgrade() -> None:
    from newscrawl.store import fts
    from newscrawl.store.schema import metadata

    conn = op.get_bind()
    # checkfirst: only what is missing. (Later revisions add columns with add_column_if_missing, so a table
    # created here from today's declaration does not break them.)
    metadata.create_all(conn, tables=[metadata.tables[name] for name in BASELINE_TABLES], checkfirst=True)
    fts.ensure_fts(conn)


def downgrade() -> None:
    raise NotImplementedError("the baseline is where newscrawl's archives begin")
