"""The full-text index over ``articles.title`` and ``articles.text``.

SQLite: an FTS5 *external-content* table ``articles_fts`` (no second copy of the text) kept in sync by
INSERT / UPDATE / DELETE triggers on ``articles``, so every writer (the Archive, a researcher's own SQL) keeps it
current. ``content="articles"`` is spelled with double quotes because that is what Datasette looks for when it
detects a table's FTS index. A view ``articles_browse`` adds a ``month`` column for Datasette's facets.

PostgreSQL: a stored generated column ``articles.fulltext`` = ``to_tsvector('simple', title || ' ' || text)``
with a GIN index. Stored, not an expression index: ranking (``ts_rank_cd``) and date-ordered plans read the
tsvector instead of re-parsing every matching article (30x faster for a common word at 100k articles). The
``simple`` configuration (no stemming, no stop words) matches FTS5's ``unicode61`` tokenizer and suits mixed
English/Malay text. Archives made before the column existed get it on their next ``ensure_fts`` (a crawl or
``newscrawl index --rebuild``): PostgreSQL rewrites the table once.

CJK text (Chinese, Japanese kana) has no spaces between words, so ``unicode61`` indexes a Chinese sentence as one
token. On SQLite a second FTS5 table, ``articles_cjk`` (``trigram`` tokenizer: every 3-character substring), holds
the articles whose title or text contains a CJK character, and only those (the English and Malay majority pays
nothing); triggers with a ``WHEN`` clause keep it current like the main one. Its content is the view
``articles_cjk_src``, which ends each column with two newlines so that a one- or two-character query (古晋) can be
answered from the index: :mod:`newscrawl.query.cjk` expands it, through the ``articles_cjk_vocab`` table
(fts5vocab), into the trigrams that start with it. On PostgreSQL the partial pg_trgm GIN index
``ix_articles_cjk_trgm`` answers terms of three or more characters and the partial GIN index
``ix_articles_cjk_bigrams`` (over ``newscrawl_cjk_bigrams()``, a text's CJK bigrams) two-character ones. See
docs/languages.md.

:func:`ensure_fts` is idempotent and cheap when the index exists; :mod:`newscrawl.store.migrate` calls it when it
creates or upgrades an archive.
"""

from __future__ import annotations

import logging

from sqlalchemy import Connection, Engine, inspect

from newscrawl import record

log = logging.getLogger(__name__)

FTS_TABLE = "articles_fts"
PG_INDEX = "ix_articles_fulltext"
PG_COLUMN = "fulltext"  # PostgreSQL only: the stored tsvector of title and text
PG_CONFIG = "simple"
BROWSE_VIEW = "articles_browse"

_SQLITE_CREATE = f"""
CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(
    title, text, content="articles", content_rowid="id", tokenize="unicode61 remove_diacritics 2"
)"""

_SQLITE_TRIGGERS = (
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ai AFTER INSERT ON articles BEGIN
        INSERT INTO {FTS_TABLE}(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON articles BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
    END""",
    # Only a change of the indexed columns touches the index (setting duplicate_of doesn't).
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO {FTS_TABLE}(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
)

# Datasette's view: the article record's browse columns (newscrawl/record.py), with the month beside the date.
_VIEW_COLUMNS = ", ".join(
    f"{name}, substr(published_at, 1, 7) AS month" if name == "published_at" else name
    for name in record.BROWSE_COLUMNS)
_SQLITE_VIEW = f"CREATE VIEW IF NOT EXISTS {BROWSE_VIEW} AS SELECT {_VIEW_COLUMNS} FROM articles"


# Tables the full-text indexes own (FTS5 shadow tables included): not declared in schema.py, left out of Alembic's
# comparisons (migrations/env.py)
INDEX_TABLE_PREFIXES = ("articles_fts", "articles_cjk")

# --- CJK (SQLite): trigram index over the articles holding CJK characters ---------------------------------------
CJK_TABLE = "articles_cjk"
CJK_SOURCE = "articles_cjk_src"
CJK_VOCAB = "articles_cjk_vocab"
CJK_PAD = "char(10, 10)"  # two newlines after each column: every character of the text starts a trigram
# the same ranges as newscrawl.text.CJK_RANGES (SQLite's GLOB compares code points)
CJK_GLOB = "'*[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]*'"


def _has_cjk_sql(row: str) -> str:
    return f"(coalesce({row}.title, '') || coalesce({row}.text, '')) GLOB {CJK_GLOB}"


_SQLITE_CJK = (
    f"""CREATE VIEW IF NOT EXISTS {CJK_SOURCE} AS
    SELECT id, coalesce(title, '') || {CJK_PAD} AS title, coalesce(text, '') || {CJK_PAD} AS text
    FROM articles AS a WHERE {_has_cjk_sql("a")}""",
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {CJK_TABLE} USING fts5(
        title, text, content="{CJK_SOURCE}", content_rowid="id", tokenize="trigram")""",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {CJK_VOCAB} USING fts5vocab({CJK_TABLE}, row)",
)
_CJK_ROW = "(rowid, title, text) SELECT {r}.id, coalesce({r}.title, '') || " + CJK_PAD + \
           ", coalesce({r}.text, '') || " + CJK_PAD + " WHERE {cond}"
_CJK_DELETE = f"INSERT INTO {CJK_TABLE}({CJK_TABLE}, rowid, title, text) SELECT 'delete', old.id, " \
              f"coalesce(old.title, '') || {CJK_PAD}, coalesce(old.text, '') || {CJK_PAD} WHERE {_has_cjk_sql('old')}"
_SQLITE_CJK_TRIGGERS = (
    f"""CREATE TRIGGER IF NOT EXISTS {CJK_TABLE}_ai AFTER INSERT ON articles BEGIN
        INSERT INTO {CJK_TABLE}{_CJK_ROW.format(r="new", cond=_has_cjk_sql("new"))};
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {CJK_TABLE}_ad AFTER DELETE ON articles BEGIN
        {_CJK_DELETE};
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {CJK_TABLE}_au AFTER UPDATE OF title, text ON articles BEGIN
        {_CJK_DELETE};
        INSERT INTO {CJK_TABLE}{_CJK_ROW.format(r="new", cond=_has_cjk_sql("new"))};
    END""",
)


# --- CJK (PostgreSQL): a partial pg_trgm GIN index over the articles holding CJK characters -------------------
PG_CJK_INDEX = "ix_articles_cjk_trgm"
# pg_trgm finds no trigram in a one- or two-character term: a GIN index over each CJK article's bigrams answers
# two-character terms (the usual length of a Chinese place or name), through this immutable function
PG_BIGRAM_INDEX = "ix_articles_cjk_bigrams"
PG_BIGRAM_FUNCTION = "newscrawl_cjk_bigrams"
# the CJK articles' ids (partial b-tree, revision 0006): a relevance search for a dense CJK term walks the newest
# CJK articles only, not every article (search._cjk_pg_newest)
PG_CJK_IDS_INDEX = "ix_articles_cjk_ids"
PG_CJK_CLASS = "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"


def pg_cjk_document_sql(prefix: str = "") -> str:
    """The indexed text of the CJK trigram index (title, newline, text); ``prefix`` qualifies the columns."""
    return f"(coalesce({prefix}title, '') || E'\\n' || coalesce({prefix}text, ''))"


def pg_cjk_predicate_sql(prefix: str = "") -> str:
    """The partial index's condition: the article holds a CJK character (queries repeat it to use the index)."""
    return f"({pg_cjk_document_sql(prefix)} ~ '{PG_CJK_CLASS}')"


def pg_bigrams_sql(prefix: str = "") -> str:
    """The indexed bigram array of the CJK document (``@> ARRAY['古晋']`` uses the bigram index)."""
    return f"{PG_BIGRAM_FUNCTION}({pg_cjk_document_sql(prefix)})"


_PG_BIGRAM_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {PG_BIGRAM_FUNCTION}(t text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT coalesce(array_agg(DISTINCT substr(r.run, i, 2)), '{{}}'::text[])
      FROM (SELECT m[1] AS run FROM regexp_matches(t, '({PG_CJK_CLASS}{{2,}})', 'g') AS m) AS r,
           generate_series(1, length(r.run) - 1) AS i $$"""


def pg_document_sql(prefix: str = "") -> str:
    """The indexed tsvector column; ``prefix`` ("a.") qualifies it for an aliased table."""
    return f"{prefix}{PG_COLUMN}"


_PG_DOCUMENT_EXPR = (f"to_tsvector('{PG_CONFIG}'::regconfig, coalesce(title, '') || ' ' || coalesce(text, ''))")


def has_index(bind: Engine | Connection) -> bool:
    """Whether the full-text index exists in this archive."""
    if bind.dialect.name == "sqlite":
        return inspect(bind).has_table(FTS_TABLE)
    # one catalog query (every search asks: the inspector's column and index reflection cost ~5 ms)
    sql = ("SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('articles') AND attname = %s "
           "AND NOT attisdropped) AND EXISTS (SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
           "WHERE i.indrelid = to_regclass('articles') AND c.relname = %s)")
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            return bool(conn.exec_driver_sql(sql, (PG_COLUMN, PG_INDEX)).scalar())
    return bool(bind.exec_driver_sql(sql, (PG_COLUMN, PG_INDEX)).scalar())


def ensure_fts(bind: Engine | Connection) -> None:
    """Create the index (and its triggers) if missing; index existing rows when it is created late. Given a
    connection (a migration's), it runs in that connection's transaction."""
    if isinstance(bind, Engine):
        with bind.begin() as conn:
            return ensure_fts(conn)
    if bind.dialect.name == "sqlite":
        _ensure_sqlite(bind)
    elif bind.dialect.name == "postgresql":
        _ensure_postgresql(bind)
    else:  # pragma: no cover - Archive only opens sqlite and postgresql
        raise ValueError(f"no full-text index for {bind.dialect.name}")
    ensure_cjk(bind)


def _ensure_postgresql(conn: Connection) -> None:
    if has_index(conn):
        return
    if not any(c["name"] == PG_COLUMN for c in inspect(conn).get_columns("articles")):
        if conn.exec_driver_sql("SELECT 1 FROM articles LIMIT 1").first():
            log.info("adding the stored full-text column to articles (PostgreSQL rewrites the table once)")
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {PG_INDEX}")  # an earlier version's expression index
        conn.exec_driver_sql(f"ALTER TABLE articles ADD COLUMN {PG_COLUMN} tsvector "
                             f"GENERATED ALWAYS AS ({_PG_DOCUMENT_EXPR}) STORED")
    conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON articles USING GIN ({PG_COLUMN})")


def ensure_cjk(conn: Connection) -> None:
    """The CJK index (revision 0002): on SQLite the trigram table, its view, vocabulary and triggers (indexing
    existing CJK articles when created late); on PostgreSQL pg_trgm and the partial GIN index. Idempotent."""
    if conn.dialect.name == "sqlite":
        cjk_exists = conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = ?", (CJK_TABLE,)).first()
        for statement in _SQLITE_CJK + _SQLITE_CJK_TRIGGERS:
            conn.exec_driver_sql(statement)
        if not cjk_exists and conn.exec_driver_sql("SELECT 1 FROM articles LIMIT 1").first():
            log.info("indexing the archive's existing CJK articles for full-text search")
            conn.exec_driver_sql(f"INSERT INTO {CJK_TABLE}({CJK_TABLE}) VALUES ('rebuild')")
    elif conn.dialect.name == "postgresql":
        _ensure_pg_cjk(conn)


def pg_indexes(bind: Engine | Connection) -> set[str]:
    """PostgreSQL: the names of the indexes on ``articles`` in the archive's schema (the first of its search_path)."""
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            return pg_indexes(conn)
    return {r[0] for r in bind.exec_driver_sql(
        "SELECT indexname FROM pg_indexes WHERE tablename = 'articles' AND schemaname = current_schema()")}


def _ensure_pg_cjk(conn: Connection) -> None:
    """The CJK indexes: the CJK articles' ids, their bigrams, pg_trgm's trigrams; without the right to create the
    bigram function or the extension, the queries they serve scan, with a warning."""
    def exists(index: str) -> bool:
        return index in pg_indexes(conn)

    if not exists(PG_CJK_IDS_INDEX):
        conn.exec_driver_sql(f"CREATE INDEX {PG_CJK_IDS_INDEX} ON articles (id) WHERE {pg_cjk_predicate_sql()}")
    if exists(PG_BIGRAM_INDEX):
        return
    try:
        with conn.begin_nested():
            conn.exec_driver_sql(_PG_BIGRAM_FUNCTION_SQL)
            conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {PG_BIGRAM_INDEX} ON articles USING GIN "
                                 f"({pg_bigrams_sql()}) WHERE {pg_cjk_predicate_sql()}")
    except Exception as exc:  # noqa: BLE001 - no right to create a function: two-character terms scan
        log.warning("no bigram index for CJK search (%s): two-character CJK queries read every article",
                    str(exc).splitlines()[0])
    if exists(PG_CJK_INDEX):
        return
    try:
        with conn.begin_nested():  # a savepoint: a refused CREATE EXTENSION must not abort the caller's transaction
            _create_pg_trgm(conn)
            # the operator class qualified: the extension may live in a schema outside this archive's search_path
            schema = conn.exec_driver_sql("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n "
                                          "ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'").scalar()
            conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {PG_CJK_INDEX} ON articles USING GIN "
                                 f'({pg_cjk_document_sql()} "{schema}".gin_trgm_ops) WHERE {pg_cjk_predicate_sql()}')
    except Exception as exc:  # noqa: BLE001 - an extension we may not create: search still works, slower
        log.warning("no pg_trgm index for CJK search (%s): CJK queries read every CJK article",
                    str(exc).splitlines()[0])


def _create_pg_trgm(conn: Connection) -> None:
    """pg_trgm, when missing, goes to ``public``: an extension is database-wide, and one created in an archive's
    own schema would be dropped with that schema (``DROP SCHEMA ... CASCADE``), taking every other archive's
    trigram index with it. Without a ``public`` schema (or the right to create there), the archive's
    schema, with a warning."""
    if conn.exec_driver_sql("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").first():
        return
    try:
        with conn.begin_nested():
            conn.exec_driver_sql("CREATE EXTENSION pg_trgm WITH SCHEMA public")
        return
    except Exception as exc:  # noqa: BLE001 - no public schema or no right to create in it
        reason = str(exc).splitlines()[0]
    conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    log.warning("pg_trgm created in this archive's schema (%s): dropping that schema drops the extension and the "
                "CJK index of every archive in the database that uses it", reason)


def _ensure_sqlite(conn: Connection) -> None:
    exists = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (FTS_TABLE,)
    ).first()
    if not exists:
        conn.exec_driver_sql(_SQLITE_CREATE)
    for trigger in _SQLITE_TRIGGERS:
        conn.exec_driver_sql(trigger)
    conn.exec_driver_sql(_SQLITE_VIEW)
    if not exists and conn.exec_driver_sql("SELECT 1 FROM articles LIMIT 1").first():
        log.info("indexing the archive's existing articles for full-text search")
        conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def rebuild_fts(engine: Engine) -> int:
    """Rebuild the index from ``articles`` (after bulk loads or suspected drift); returns the article count."""
    ensure_fts(engine)
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
            conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")
            conn.exec_driver_sql(f"INSERT INTO {CJK_TABLE}({CJK_TABLE}) VALUES ('rebuild')")
            conn.exec_driver_sql(f"INSERT INTO {CJK_TABLE}({CJK_TABLE}) VALUES ('optimize')")
        else:
            conn.exec_driver_sql(f"REINDEX INDEX {PG_INDEX}")
            if PG_CJK_INDEX in pg_indexes(conn):
                conn.exec_driver_sql(f"REINDEX INDEX {PG_CJK_INDEX}")
        return int(conn.exec_driver_sql("SELECT count(*) FROM articles").scalar_one())
