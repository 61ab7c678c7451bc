"""Research views (issue 17): a covering index on articles (outlet, published_at, duplicate_of).

``newscrawl attention`` counts the stories of a query per outlet and period; for a common word that is most of
the archive, and reading each match's row (text included) costs seconds at a million articles. With this index
SQLite reads the three columns (and the id) from the index alone. Creating it reads the table once.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

NAME = "ix_articles_outlet_published_story"


def upgrade() -> None:
    op.create_index(NAME, "articles", ["outlet", "published_at", "duplicate_of"], if_not_exists=True)


def downgrade() -> None:
    op.drop_index(NAME, table_name="articles", if_exists=True)
