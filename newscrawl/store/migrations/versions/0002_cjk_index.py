"""CJK full-text index (issue 15): Chinese text searchable by substring and phrase.

SQLite: the FTS5 ``trigram`` table ``articles_cjk`` over the articles holding CJK characters (its content view
``articles_cjk_src``, its vocabulary ``articles_cjk_vocab``, three triggers), filled from the archive's existing
CJK articles. PostgreSQL: the ``pg_trgm`` extension and the partial GIN index ``ix_articles_cjk_trgm``, the
function ``newscrawl_cjk_bigrams`` and the partial GIN index ``ix_articles_cjk_bigrams``. Both are
index structures over ``articles``: no data changes, and English/Malay search is untouched (docs/languages.md).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from newscrawl.store import fts

    fts.ensure_cjk(op.get_bind())


def downgrade() -> None:
    from newscrawl.store import fts

    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        for trigger in ("ai", "ad", "au"):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {fts.CJK_TABLE}_{trigger}")
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {fts.CJK_VOCAB}")
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {fts.CJK_TABLE}")
        conn.exec_driver_sql(f"DROP VIEW IF EXISTS {fts.CJK_SOURCE}")
    else:
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {fts.PG_CJK_INDEX}")
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {fts.PG_BIGRAM_INDEX}")
        conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {fts.PG_BIGRAM_FUNCTION}(text)")
