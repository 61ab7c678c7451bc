"""From ``ARCHIVE_URL`` to a SQLAlchemy ``Engine``: the one place that knows SQLite from PostgreSQL.

* :class:`ArchiveConfig` maps the settings to what an archive is opened with. The crawl's extension, the
  pre-flight check of ``scrapy crawl`` and the CLI all build it with :meth:`ArchiveConfig.from_settings`, so a
  setting given with ``-s`` means the same wherever the archive is first created.
* :func:`parse_url` / :func:`make_engine` turn the URL into an engine (SQLite pragmas, read-only opens for a
  reader who may not write the file, a connect timeout on PostgreSQL).
* Dialect differences in statements (insert-or-ignore) and in storage errors (disk full, I/O) live here too;
  the full-text index's dialect code stays in :mod:`newscrawl.store.fts`, where the index is defined.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from sqlalchemy import Column, Connection, Engine, Table, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from newscrawl.store import neardup as nd
from newscrawl.store import storymatch

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 30_000  # a CLI query or a second writer may hold the lock briefly
PG_CONNECT_TIMEOUT_S = 10  # fail fast instead of hanging on a black-holed host
BACKENDS = ("sqlite", "postgresql")


class ArchiveError(Exception):
    """A one-line, user-facing problem with the archive (bad URL, unreachable database, unwritable path...)."""


# --------------------------------------------------------------------------- settings -> archive arguments


@dataclass(frozen=True)
class ArchiveConfig:
    """Everything an archive is opened with, from the ``ARCHIVE_URL`` / ``NEWSCRAWL_*`` settings."""

    url: str
    batch_size: int = 200
    neardup: bool = True
    neardup_config: nd.NearDupConfig = field(default_factory=nd.NearDupConfig)
    shared: bool = False  # one of several writers (NEWSCRAWL_DISTRIBUTED): see Archive.shared
    pool_size: int | None = None  # NEWSCRAWL_DB_POOL_SIZE (PostgreSQL)

    @classmethod
    def from_settings(cls, settings: Any = None, url: str | None = None) -> ArchiveConfig:
        """From Scrapy ``Settings`` (a crawl, with its ``-s`` overrides) or, when ``None``, newscrawl's own
        settings module (the CLI). ``url`` overrides ``ARCHIVE_URL`` (the CLI's ``--archive``)."""
        if settings is None:
            settings = _SettingsModule()
        config = nd.NearDupConfig(
            threshold=settings.getfloat("NEWSCRAWL_NEARDUP_THRESHOLD", nd.DEFAULT_THRESHOLD),
            min_words=settings.getint("NEWSCRAWL_NEARDUP_MIN_WORDS", nd.DEFAULT_MIN_WORDS),
            permutations=settings.getint("NEWSCRAWL_NEARDUP_PERMUTATIONS", nd.DEFAULT_PERMUTATIONS),
            shingle_size=settings.getint("NEWSCRAWL_NEARDUP_SHINGLE_SIZE", nd.DEFAULT_SHINGLE_SIZE),
            min_names=settings.getfloat("NEWSCRAWL_NEARDUP_MIN_NAMES", storymatch.DEFAULT_MIN_NAMES),
            min_figures=settings.getfloat("NEWSCRAWL_NEARDUP_MIN_FIGURES", storymatch.DEFAULT_MIN_FIGURES),
        )
        return cls(url=url or settings.get("ARCHIVE_URL"), batch_size=settings.getint("NEWSCRAWL_BATCH_SIZE", 200),
                   neardup=settings.getbool("NEWSCRAWL_NEARDUP", True), neardup_config=config,
                   shared=settings.getbool("NEWSCRAWL_DISTRIBUTED"),
                   pool_size=settings.getint("NEWSCRAWL_DB_POOL_SIZE") or None)

    def open(self, create: bool = True) -> Any:
        """The :class:`~newscrawl.store.archive.Archive` this configuration describes."""
        from newscrawl.store.archive import Archive

        return Archive(self.url, batch_size=self.batch_size, create=create, neardup=self.neardup,
                       config=self.neardup_config, shared=self.shared, pool_size=self.pool_size)


class _SettingsModule:
    """newscrawl's settings module read the way Scrapy's ``Settings`` is (the CLI has no crawler; the store
    does not import Scrapy)."""

    def __init__(self) -> None:
        from newscrawl import settings

        self._module = settings

    def get(self, name: str, default: Any = None) -> Any:
        return getattr(self._module, name, default)

    def getint(self, name: str, default: int = 0) -> int:
        return int(self.get(name, default))

    def getfloat(self, name: str, default: float = 0.0) -> float:
        return float(self.get(name, default))

    def getbool(self, name: str, default: bool = False) -> bool:
        return bool(self.get(name, default))


# --------------------------------------------------------------------------- URL -> engine


def redact(url: str) -> str:
    """The archive URL with any password hidden, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - unparsable: hide anything that looks like user:password@
        return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", url)


def parse_url(url: str) -> URL:
    """The URL parsed, or an ArchiveError naming what is wrong with it."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:
        raise ArchiveError(f"cannot open archive {redact(url)}: not a database URL "
                           "(expected e.g. sqlite:///archive/news.db or postgresql+psycopg://user@host/db)") from exc
    if parsed.get_backend_name() not in BACKENDS:
        raise ArchiveError(f"cannot open archive {redact(url)}: unsupported database "
                           f"'{parsed.get_backend_name()}' (use sqlite or postgresql)")
    return parsed


def sqlite_file(parsed: URL) -> Path | None:
    """The database file of a SQLite URL (also of a ``file:`` URI filename), or None for an in-memory one."""
    db = parsed.database
    if not db or db == ":memory:" or "mode=memory" in db:
        return None
    if db.startswith("file:"):
        return Path(db.removeprefix("file:").split("?", 1)[0])
    return Path(db)


def prepare_sqlite_file(parsed: URL, create: bool) -> None:
    """A missing file is an error when reading; when creating, its directory is made. Other databases: nothing."""
    if parsed.get_backend_name() != "sqlite":
        return
    if parsed.database and parsed.database.startswith("file:"):
        return
    path = sqlite_file(parsed)
    if path is None:
        return
    if not create and not path.exists():
        raise ArchiveError(f"cannot open archive {redact(str(parsed))}: {path} does not exist")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ArchiveError(f"cannot open archive {redact(str(parsed))}: cannot create directory "
                           f"{path.parent}: {exc.strerror or exc}") from exc


def read_only_if_unwritable(parsed: URL) -> URL:
    """A reader who may not write the file or its directory (a researcher reading the cron user's archive/)
    gets a read-only connection: a WAL reader must otherwise create the -shm file. While a crawl writes (its
    -wal file exists) ``mode=ro`` shares the writer's WAL index; with no writer the file is opened
    ``immutable`` (no locks, no -shm): the query sees the file as it is when it starts."""
    path = sqlite_file(parsed)
    if (path is None or (parsed.database or "").startswith("file:") or not path.exists()
            or (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))):
        return parsed
    flag = {"mode": "ro"} if path.with_name(path.name + "-wal").exists() else {"immutable": "1"}
    return parsed.set(database=path.resolve().as_uri(), query={**flag, "uri": "true"})


def is_read_only(parsed: URL) -> bool:
    return parsed.query.get("mode") == "ro" or parsed.query.get("immutable") == "1"


def _install_sqlite_hooks(engine: Engine, read_only: bool = False) -> None:
    """Pragmas on every connection, and SQLAlchemy (not sqlite3) emitting BEGIN so SAVEPOINTs nest properly.

    Batches that write start with BEGIN IMMEDIATE: the write lock is taken (waiting busy_timeout) before the
    batch's first lookup, so a lookup and the insert it decides on can't be split by another writer.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # sqlite3 must not emit its own BEGIN
        cur = dbapi_conn.cursor()
        mode = "wal" if read_only else cur.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if mode.lower() not in ("wal", "memory"):
            log.warning("SQLite refused WAL mode (journal_mode=%s); concurrent readers will block the crawl", mode)
        cur.execute("PRAGMA synchronous=NORMAL")  # safe with WAL: a crash loses at most the last commit
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS:d}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.info.pop("newscrawl_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(parsed: URL, **kwargs: Any) -> Engine:
    """An engine for a parsed archive URL (see :func:`parse_url`); ``kwargs`` go to ``create_engine``."""
    connect_args: dict[str, Any] = {}
    if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
        connect_args["connect_timeout"] = PG_CONNECT_TIMEOUT_S
    engine = create_engine(parsed, connect_args=connect_args, **kwargs)
    if engine.dialect.name == "sqlite":
        _install_sqlite_hooks(engine, is_read_only(parsed))
    return engine


def pool_options(parsed: URL, pool_size: int | None) -> dict[str, Any]:
    """``create_engine`` pool arguments: PostgreSQL keeps ``pool_size`` connections (NEWSCRAWL_DB_POOL_SIZE, the
    writer and query readers); SQLite keeps SQLAlchemy's default."""
    if parsed.get_backend_name() != "postgresql" or not pool_size:
        return {}
    return {"pool_size": pool_size, "max_overflow": 0}


def serialise_writers(conn: Connection) -> None:
    """Hold the archive's write lock until the transaction ends (several writing processes: distributed workers).
    PostgreSQL: a transaction-scoped advisory lock per database and search_path; SQLite's BEGIN IMMEDIATE is one."""
    if conn.dialect.name == "postgresql":
        url = conn.engine.url
        key = zlib.crc32(f"newscrawl-write:{url.database}:{url.query.get('options', '')}".encode())
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})


def begin_write(conn: Connection) -> None:
    """Mark the next transaction on ``conn`` as a writer's (BEGIN IMMEDIATE on SQLite; nothing elsewhere)."""
    conn.info["newscrawl_write"] = True


# --------------------------------------------------------------------------- statements that differ


def insert_article(conn: Connection, table: Table, values: dict[str, Any]) -> int | None:
    """INSERT an article row, its id; None when another writer committed a row with this URL first (PostgreSQL:
    ON CONFLICT DO NOTHING; SQLite has one writer at a time, BEGIN IMMEDIATE)."""
    if conn.dialect.name != "postgresql":
        return conn.execute(table.insert(), values).inserted_primary_key[0]
    return conn.execute(_insert_article_pg(table), values).scalar()


@functools.lru_cache(maxsize=8)
def _insert_article_pg(table: Table) -> Any:
    """Built once and given the values as parameters: ``.values(**values)`` on every store cost ~1 ms of Python."""
    return postgresql.insert(table).on_conflict_do_nothing(index_elements=[table.c.url]).returning(table.c.id)


def upsert(conn: Connection, table: Table, index_elements: Sequence[Column], values: dict[str, Any],
           update: dict[str, Any]) -> None:
    """``INSERT ... ON CONFLICT (index_elements) DO UPDATE SET update`` in the connection's dialect."""
    insert = (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(table).values(**values)
    conn.execute(insert.on_conflict_do_update(index_elements=list(index_elements), set_=update))


def insert_ignoring(conn: Connection, table: Table, index_elements: Sequence[Column]) -> Any:
    """``INSERT ... ON CONFLICT (index_elements) DO NOTHING`` in the connection's dialect."""
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    return insert(table).on_conflict_do_nothing(index_elements=list(index_elements))


# --------------------------------------------------------------------------- errors


def one_line(exc: BaseException) -> str:
    """The first meaningful line of an exception, preferring the DBAPI's own message."""
    orig = getattr(exc, "orig", None) or exc
    for line in str(orig).splitlines():
        if line.strip():
            return line.strip()
    return type(orig).__name__


# Storage errors that every later write would meet too (disk full, read-only, I/O error, corruption): the run
# cannot do its job any more. SQLite primary result codes; PostgreSQL SQLSTATE classes 53 (insufficient
# resources: disk full, out of memory) and 58 (system error: I/O).
_FATAL_SQLITE_CODES = frozenset((8, 10, 11, 13, 14, 26))  # READONLY, IOERR, CORRUPT, FULL, CANTOPEN, NOTADB
_FATAL_PG_CLASSES = ("53", "58")


def fatal_cause(exc: BaseException) -> BaseException | None:
    """``exc``, or the error it was raised while handling, when that is one of those; else None. (The disk-full
    error is often hidden behind "no such savepoint": SQLite rolled back the whole transaction, savepoint too.)"""
    cause: BaseException | None = exc
    for _ in range(4):
        if cause is None:
            return None
        orig = getattr(cause, "orig", None) or cause
        code = getattr(orig, "sqlite_errorcode", None)
        if (code is not None and code & 0xFF in _FATAL_SQLITE_CODES) or str(
                getattr(orig, "sqlstate", None) or "").startswith(_FATAL_PG_CLASSES):
            return cause
        cause = cause.__context__
    return None
