"""The archive's schema version, kept by Alembic (the SQLAlchemy project's migration tool).

Every schema change is a revision in ``newscrawl/store/migrations/versions/``. A writer's open
(:meth:`Archive.open(create=True) <newscrawl.store.archive.Archive.open>`: every crawl) and ``newscrawl db upgrade``
bring the archive to the newest revision, in one transaction:

* a new, empty database gets today's tables from :mod:`newscrawl.store.schema` at once and is stamped with the
  newest revision (Alembic's recipe for building a database from scratch);
* an archive made before migrations existed (no ``alembic_version`` table) starts at the baseline revision,
  which creates what such an archive still lacks, then runs every later revision;
* any other archive runs the revisions it has not seen.

Readers (the CLI's queries) never write: an archive behind this version is refused with a one-line message
naming ``newscrawl db upgrade``; an archive *ahead* of it (made by a newer newscrawl) is refused for writing.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from sqlalchemy import Connection, Engine, inspect

from newscrawl.store import fts, periodindex
from newscrawl.store.engine import ArchiveError, begin_write
from newscrawl.store.schema import articles, metadata

BASELINE = "0001"
# The newest revision, written down so that readers (every query command) compare an archive's revision without
# importing Alembic (~130 ms of each command's start). Adding a revision means updating it: writers check it against
# the revision files before migrating, and tests/test_store_migrations.py fails until it agrees.
HEAD = "0007"


def declared(obj: object, name: str | None, kind: str, *_: object) -> bool:
    """Alembic's ``include_object``: whether schema.py declares this object. The full-text tables
    (:mod:`~newscrawl.store.fts`) and the period columns and indexes (:mod:`~newscrawl.store.periodindex`) are
    created by their modules, which SQLAlchemy cannot declare: autogenerate must neither drop nor add them."""
    name = name or ""
    if kind == "table":
        return not name.startswith(fts.INDEX_TABLE_PREFIXES)
    if kind == "column":
        return name not in periodindex.COLUMNS
    if kind == "index":
        return name not in periodindex.INDEXES and name != fts.PG_CJK_IDS_INDEX
    return True


def _config(connection: Connection | None = None) -> Any:
    from alembic.config import Config  # writers only: readers never load Alembic

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("newscrawl.store") / "migrations"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head() -> str:
    """The newest revision this version of newscrawl knows."""
    return HEAD


def script_heads() -> list[str]:
    """The heads of the revision files, as Alembic reads them (one, equal to HEAD, when the chain is sound)."""
    from alembic.script import ScriptDirectory

    return list(ScriptDirectory.from_config(_config()).get_heads())


def _check_head() -> None:
    heads = script_heads()
    if heads != [HEAD]:  # two revisions on one parent (an unchained merge), or HEAD not updated
        raise RuntimeError(f"the archive migrations' heads are {', '.join(heads)} but migrate.HEAD is {HEAD}")


def _version(conn: Connection) -> str | None:
    """The revision stamped in ``alembic_version`` (Alembic's own table), None without one."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    rows = [r[0] for r in conn.exec_driver_sql("SELECT version_num FROM alembic_version")]
    if len(rows) > 1:
        raise ArchiveError(f"archive schema has {len(rows)} revisions stamped ({', '.join(rows)}): "
                           "run `newscrawl db upgrade`")
    return rows[0] if rows else None


def current(bind: Engine | Connection) -> str | None:
    """The archive's revision: None for an empty database, the baseline for one made before migrations."""
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            return current(conn)
    rev = _version(bind)
    if rev is None and inspect(bind).has_table(articles.name):
        return BASELINE
    return rev


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Bring the archive to :func:`head` (idempotent); returns (revision before, revision after)."""
    from alembic import command

    with engine.connect() as conn:
        with conn.begin():  # the usual case, read-only: nothing to do (a second opener is not blocked by a
            if _up_to_date(conn):  # crawl's open batch, which holds SQLite's write lock)
                return head(), head()
        begin_write(conn)  # SQLite: take the write lock first, so two processes do not both migrate
        with conn.begin():
            _check_head()
            version = _version(conn)
            before = current(conn)
            cfg = _config(conn)
            if version is None and before is None:  # an empty database: today's schema in one go
                metadata.create_all(conn)
                fts.ensure_fts(conn)
                periodindex.ensure(conn)
                command.stamp(cfg, "head")
            elif version is None:  # made before migrations: from the baseline on (it creates what is missing)
                command.upgrade(cfg, "head")
            elif not _known(version):
                raise ArchiveError(f"archive schema is at revision {version}, newer than this newscrawl "
                                   f"({head()}): upgrade newscrawl")
            elif version != head():
                command.upgrade(cfg, "head")
            # At the head the declarations are the schema: a table dropped by hand comes back empty (the next
            # crawl refills it; integrity repairs what pointed into it). Nothing else is created here.
            metadata.create_all(conn, checkfirst=True)
            fts.ensure_fts(conn)
            periodindex.ensure(conn)
        return before, head()


def _up_to_date(conn: Connection) -> bool:
    """At the head, with every declared table and the full-text index present."""
    if _version(conn) != head():
        return False
    return not set(metadata.tables) - set(inspect(conn).get_table_names()) and fts.has_index(conn)


def _known(rev: str) -> bool:
    from alembic.script import ScriptDirectory

    try:
        return ScriptDirectory.from_config(_config()).get_revision(rev) is not None
    except Exception:  # noqa: BLE001 - alembic raises its own errors for ids it does not know
        return False


def require_current(engine: Engine) -> None:
    """For readers: an archive behind or ahead of this version is a one-line ArchiveError."""
    rev = current(engine)
    if rev is None or rev == head():
        return
    if not _known(rev):
        raise ArchiveError(f"archive schema is at revision {rev}, newer than this newscrawl ({head()}): "
                           "upgrade newscrawl")
    raise ArchiveError(f"archive schema is at revision {rev}, this newscrawl needs {head()}: "
                       "run `newscrawl db upgrade` (or any crawl) to upgrade it in place")
