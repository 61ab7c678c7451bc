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

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect

from newscrawl.store import fts, periodindex
from newscrawl.store.engine import ArchiveError, begin_write
from newscrawl.store.schema import articles, metadata

BASELINE = "0001"


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


def _config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("newscrawl.store") / "migrations"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head() -> str:
    """The newest revision this version of newscrawl knows."""
    heads = ScriptDirectory.from_config(_config()).get_heads()
    if len(heads) != 1:  # two revisions on one parent: a merge left them unchained
        raise RuntimeError(f"the archive migrations have {len(heads)} heads: {', '.join(heads)}")
    return heads[0]


def current(bind: Engine | Connection) -> str | None:
    """The archive's revision: None for an empty database, the baseline for one made before migrations."""
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            return current(conn)
    rev = MigrationContext.configure(bind).get_current_revision()
    if rev is None and inspect(bind).has_table(articles.name):
        return BASELINE
    return rev


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Bring the archive to :func:`head` (idempotent); returns (revision before, revision after)."""
    with engine.connect() as conn:
        with conn.begin():  # the usual case, read-only: nothing to do (a second opener is not blocked by a
            if _up_to_date(conn):  # crawl's open batch, which holds SQLite's write lock)
                return head(), head()
        begin_write(conn)  # SQLite: take the write lock first, so two processes do not both migrate
        with conn.begin():
            version = MigrationContext.configure(conn).get_current_revision()
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
    if MigrationContext.configure(conn).get_current_revision() != head():
        return False
    return not set(metadata.tables) - set(inspect(conn).get_table_names()) and fts.has_index(conn)


def _known(rev: str) -> bool:
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
