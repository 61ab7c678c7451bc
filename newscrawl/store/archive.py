"""The archive storage library: batching, the store decision, aliases, revisions and story corrections.

``Archive`` stores extracted articles in the tables of :mod:`newscrawl.store.schema` through SQLAlchemy Core, so the
same statements run on SQLite (the default) and PostgreSQL. Writes are batched: one transaction holds up to
``batch_size`` stores and is committed when it is full, on :meth:`Archive.flush` and on :meth:`Archive.close`.
Each :meth:`Archive.store` runs inside a SAVEPOINT, so an article and all its URLs land together or not at all,
and a failing store does not throw away the rest of the batch. A process killed mid-batch loses only the
uncommitted batch; re-running the crawl stores those articles again (stores are idempotent).

Schema: every table is declared in :mod:`newscrawl.store.schema`; a writer's open brings the archive to the newest
migration (:mod:`newscrawl.store.migrate`), a reader's open refuses an archive that needs one.

Near-duplicates and revisions (see docs/near-duplicates.md): every new article is checked against the whole
archive's persistent MinHash/LSH index (:mod:`newscrawl.store.neardup`) and the same-story decision
(:mod:`newscrawl.store.storymatch`); a copy of an earlier story is stored with ``duplicate_of`` = the earliest article
of its story group and status ``'near_duplicate'`` (groups, evidence and corrections: :mod:`newscrawl.store.stories`).
A changed article keeps one ``articles`` row (the newest version) and its earlier versions in ``revisions``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, func, inspect, literal, select, union_all
from sqlalchemy.exc import SQLAlchemyError

from newscrawl import record
from newscrawl.store import captures, integrity, migrate, neardup, stories
from newscrawl.store.engine import (
    ArchiveError,
    begin_write,
    fatal_cause,
    insert_article,
    insert_ignoring,
    make_engine,
    one_line,
    parse_url,
    pool_options,
    prepare_sqlite_file,
    read_only_if_unwritable,
    redact,
    serialise_writers,
)
from newscrawl.store.neardup import NearDupConfig
from newscrawl.store.schema import article_urls, articles, metadata, neardup_config, neardup_signatures, revisions
from newscrawl.store.stories import Member
from newscrawl.store.stories import parse_time as _parse_time
from newscrawl.store.storymatch import DEFAULT_MIN_FIGURES, DEFAULT_MIN_NAMES

log = logging.getLogger(__name__)

# Columns a caller must provide (the rest default to NULL / empty lists), and what an 'updated' store overwrites
# (url, outlet and id identify the article and stay): both from the article record, newscrawl/record.py.
REQUIRED_FIELDS = record.REQUIRED
CONTENT_FIELDS = record.CONTENT


def content_hash(text: str) -> str:
    """sha256 hex of the text with whitespace collapsed, NFC-normalised and casefolded.

    Two copies of an article that differ only in spacing, line breaks or letter case hash the same.
    """
    normalised = " ".join(unicodedata.normalize("NFC", text or "").split()).casefold()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def _now_utc() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()



# --------------------------------------------------------------------------- row helpers


def _as_json_list(value: Any) -> str:
    if value is None:
        return "[]"
    if isinstance(value, str):  # a single author / tag given as a string
        value = [value]
    return json.dumps(list(value), ensure_ascii=False)


def _row_values(article: dict[str, Any]) -> dict[str, Any]:
    """The ``articles`` column values for an article dict (lists encoded, hash computed if absent)."""
    missing = [k for k in REQUIRED_FIELDS if article.get(k) in (None, "")]
    if missing:
        raise ValueError(f"article is missing required field(s): {', '.join(missing)}")
    values = {c.name: article.get(c.name) for c in articles.columns if c.name != "id"}
    for name in record.JSON_LISTS:
        values[name] = _as_json_list(article.get(name))
    values["content_hash"] = article.get("content_hash") or content_hash(article["text"])
    return values


def _row_to_dict(row: Any) -> dict[str, Any]:
    data = dict(row._mapping)
    for name in record.JSON_LISTS:
        data[name] = json.loads(data[name] or "[]")
    return data


def _is_older(new_modified: str | None, stored_modified: str | None) -> bool:
    """True when the incoming version is provably older than the stored one (a stale cache or mirror)."""
    new, stored = _parse_time(new_modified), _parse_time(stored_modified)
    return bool(new and stored and new < stored)


def _unique(urls: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(u for u in urls if u))


# --------------------------------------------------------------------------- the archive


class Archive:
    """A batched, idempotent article store over one database connection.

    Not a connection pool: one ``Archive`` holds one connection for its lifetime; calls are serialised by a
    lock so pipeline stages on different threads may share it. Reads see the current, uncommitted batch.
    """

    def __init__(self, url: str, *, batch_size: int = 200, create: bool = True, neardup: bool = True,
                 neardup_threshold: float = neardup.DEFAULT_THRESHOLD,
                 neardup_min_words: int = neardup.DEFAULT_MIN_WORDS,
                 neardup_permutations: int = neardup.DEFAULT_PERMUTATIONS,
                 neardup_shingle_size: int = neardup.DEFAULT_SHINGLE_SIZE,
                 neardup_min_names: float = DEFAULT_MIN_NAMES,
                 neardup_min_figures: float = DEFAULT_MIN_FIGURES, config: NearDupConfig | None = None,
                 shared: bool = False, pool_size: int | None = None) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        requested = config or NearDupConfig(threshold=neardup_threshold, min_words=neardup_min_words,
                                            permutations=neardup_permutations, shingle_size=neardup_shingle_size,
                                            min_names=neardup_min_names, min_figures=neardup_min_figures)
        # None: near-duplicate detection off (neardup=False, or a read-only open of an archive without the index)
        self.neardup: NearDupConfig | None = requested if neardup else None
        self.url = redact(url)
        self.batch_size = batch_size
        # Several processes write this archive at once (distributed workers): every write is its own short
        # transaction, serialised across processes by a transaction-scoped lock (engine.serialise_writers).
        self.shared = shared
        self.store_seconds = 0.0  # wall time in store(), commits of shared writes included (bench/distributed.py)
        self.lock_wait_seconds = 0.0  # of which waiting for the other writers' lock
        self.pending = 0  # stores in the open batch
        self._lock = threading.RLock()
        self._closed = False
        self._writing = False  # a write batch (BEGIN IMMEDIATE on SQLite) is open
        # Store statuses of the open batch, and of every batch committed: what a run reports is what is on disk.
        self._batch_statuses: Counter[str] = Counter()
        self.committed: Counter[str] = Counter()
        self.lost = 0  # stores rolled back because their batch could not be committed
        self.failure: str | None = None  # the first failed commit, in one line
        self.on_failure: Callable[[str], None] | None = None  # called once, on the first failed commit
        self._batch_opened = 0.0  # time.monotonic() when it was
        parsed = parse_url(url)
        if parsed.get_backend_name() == "sqlite":
            prepare_sqlite_file(parsed, create)
            if not create:  # reading only: an archive the user may not write is opened read-only
                parsed = read_only_if_unwritable(parsed)
        try:
            self.engine: Engine = make_engine(parsed, **pool_options(parsed, pool_size))
            self._conn: Connection = self.engine.connect()
            self._init_schema(create)
        except ArchiveError:
            self._dispose()
            raise
        except (SQLAlchemyError, OSError, ImportError) as exc:
            self._dispose()
            raise ArchiveError(f"cannot open archive {self.url}: {one_line(exc)}") from exc

    @classmethod
    def open(cls, url: str, *, batch_size: int = 200, create: bool = True, neardup: bool = True,
             neardup_threshold: float = neardup.DEFAULT_THRESHOLD,
             neardup_min_words: int = neardup.DEFAULT_MIN_WORDS,
             neardup_permutations: int = neardup.DEFAULT_PERMUTATIONS,
             neardup_shingle_size: int = neardup.DEFAULT_SHINGLE_SIZE,
             neardup_min_names: float = DEFAULT_MIN_NAMES,
             neardup_min_figures: float = DEFAULT_MIN_FIGURES, shared: bool = False,
             pool_size: int | None = None) -> Archive:
        """Connect, create the tables if ``create`` (else require them), enable WAL on SQLite. (A crawl and the
        CLI open it through :class:`~newscrawl.store.engine.ArchiveConfig`, which reads these from the settings.)

        ``neardup_*`` are the near-duplicate settings (``NEWSCRAWL_NEARDUP_*``); permutations and shingle size
        fix the index layout when the archive is created, later opens keep the recorded layout. ``min_names``
        and ``min_figures`` are the same-story decision's (:mod:`newscrawl.store.storymatch`).
        """
        return cls(url, batch_size=batch_size, create=create, neardup=neardup, neardup_threshold=neardup_threshold,
                   neardup_min_words=neardup_min_words, neardup_permutations=neardup_permutations,
                   neardup_shingle_size=neardup_shingle_size, neardup_min_names=neardup_min_names,
                   neardup_min_figures=neardup_min_figures, shared=shared, pool_size=pool_size)

    def _init_schema(self, create: bool) -> None:
        if create:
            try:
                integrity.claim(self.engine)
            except integrity.ForeignDatabase as exc:
                raise ArchiveError(f"cannot open archive {self.url}: not a newscrawl archive: {exc}") from None
            migrate.upgrade(self.engine)  # a new archive gets today's schema, an older one its missing revisions
            integrity.mark(self.engine)
        elif not inspect(self.engine).has_table(articles.name):
            raise ArchiveError(f"cannot open archive {self.url}: no '{articles.name}' table (not an archive?)")
        else:
            migrate.require_current(self.engine)
        if self.neardup is not None:
            if not create and not inspect(self.engine).has_table(neardup_config.name):
                self.neardup = None  # an archive from before near-duplicate detection, opened read-only
                return
            try:
                with self.engine.begin() as conn:
                    self.neardup = neardup.load_layout(conn, self.neardup)
            except ValueError as exc:
                raise ArchiveError(f"cannot open archive {self.url}: {exc}") from exc

    def _dispose(self) -> None:
        conn = getattr(self, "_conn", None)
        if conn is not None:
            conn.close()
        engine = getattr(self, "engine", None)
        if engine is not None:
            engine.dispose()

    # -- context management -------------------------------------------------------------------

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Archive({self.url!r}, batch_size={self.batch_size})"

    # -- transactions ---------------------------------------------------------------------------

    def _begin_write(self) -> None:
        if self._writing:
            return
        if self._conn.in_transaction():  # a read left open: end it so the batch can start IMMEDIATE
            self._conn.rollback()
        begin_write(self._conn)
        self._conn.begin()
        self._writing = True
        self._batch_opened = time.monotonic()
        if self.shared:  # until this write commits, another worker's store of the same story waits, then sees it
            started = time.perf_counter()
            serialise_writers(self._conn)
            self.lock_wait_seconds += time.perf_counter() - started

    def _end_read(self) -> None:
        """Outside a write batch, don't keep a read transaction (it would pin an old WAL snapshot)."""
        if not self._writing and self._conn.in_transaction():
            self._conn.rollback()

    def _read(self, fn: Callable[[Connection], Any]) -> Any:
        with self._lock:
            self._ensure_open()
            try:
                return fn(self._conn)
            except SQLAlchemyError as exc:
                raise ArchiveError(f"archive {self.url}: read failed: {one_line(exc)}") from exc
            finally:
                self._end_read()

    def _ensure_open(self) -> None:
        if self._closed:
            raise ArchiveError(f"archive {self.url} is closed")

    def flush(self) -> None:
        """Commit the current batch (no-op when nothing is pending)."""
        with self._lock:
            self._ensure_open()
            if not self._writing:
                return
            try:
                self._conn.commit()
            except SQLAlchemyError as exc:
                self._abandon_batch()
                self._failed(f"archive {self.url}: commit failed: {one_line(exc)}")
                raise ArchiveError(f"archive {self.url}: commit failed: {one_line(exc)}") from exc
            log.debug("committed %d stores to %s", self.pending, self.url)
            self.committed.update(self._batch_statuses)
            self._batch_statuses.clear()
            self.pending = 0
            self._writing = False

    def _write_failed(self, exc: SQLAlchemyError) -> None:
        """After a failed statement: a batch the database dropped, or one it cannot keep (disk full...), is
        abandoned and the archive marked failed; otherwise only that statement's savepoint was lost."""
        fatal = fatal_cause(exc)
        # sqlite3 knows whether SQLite itself rolled the transaction back (it does on some SQLITE_FULL errors)
        dropped = getattr(self._conn.connection.dbapi_connection, "in_transaction", True) is False
        if fatal is not None or dropped or not self._conn.in_transaction():
            self._abandon_batch()
            self._failed(f"archive {self.url}: cannot write: {one_line(fatal or exc)}")

    def _failed(self, message: str) -> None:
        if self.failure is None:
            self.failure = message
            if self.on_failure is not None:
                self.on_failure(message)

    def flush_if_older(self, seconds: float) -> bool:
        """Commit the open batch if it was opened ``seconds`` ago or more (a clock calls this, so a batch that
        fills slowly is not left uncommitted for minutes); True if it committed."""
        with self._lock:
            if self._closed or not self._writing or time.monotonic() - self._batch_opened < seconds:
                return False
            self.flush()
            return True

    def _abandon_batch(self) -> None:
        lost, self.pending, self._writing = self.pending, 0, False
        self.lost += sum(self._batch_statuses.values())
        self._batch_statuses.clear()
        try:
            self._conn.rollback()
        except SQLAlchemyError:
            pass
        if lost:
            log.error("archive %s: %d uncommitted stores were rolled back", self.url, lost)

    def close(self) -> None:
        """Commit what is pending and release the database. Safe to call twice."""
        with self._lock:
            if self._closed:
                return
            try:
                self.flush()
            finally:
                self._closed = True
                self._dispose()

    def check(self, write: bool = False) -> None:
        """Cheap connectivity check; raises ArchiveError when the database is gone. ``write``: also prove that
        a row can be written (a read-only file, a read-only user), by writing one and rolling it back."""
        self._read(lambda conn: conn.exec_driver_sql("SELECT 1").scalar_one())
        if write:
            with self._lock:
                self.flush()
                try:
                    integrity.check_writable(self._conn)
                except SQLAlchemyError as exc:
                    raise ArchiveError(f"archive {self.url} is not writable: {one_line(exc)}") from exc

    # -- reads ----------------------------------------------------------------------------------

    def article_id_for_url(self, url: str) -> int | None:
        """The article a URL (canonical or any alias) belongs to, or None."""
        return self._read(lambda conn: _lookup_urls(conn, [url]))

    def article_id_for_hash(self, content_hash: str) -> int | None:
        """The earliest article whose text has this content hash, or None."""
        return self._read(lambda conn: _lookup_hash(conn, content_hash))

    def get_article(self, article_id: int) -> dict[str, Any] | None:
        """The article row as a dict (authors and tags decoded to lists), or None."""

        def fetch(conn: Connection) -> dict[str, Any] | None:
            row = conn.execute(select(articles).where(articles.c.id == article_id)).first()
            return _row_to_dict(row) if row else None

        return self._read(fetch)

    def urls_for(self, article_id: int) -> dict[str, str]:
        """Every URL recorded for an article, mapped to its kind (canonical | variant | same_text ...)."""

        def fetch(conn: Connection) -> dict[str, str]:
            rows = conn.execute(
                select(article_urls.c.url, article_urls.c.kind)
                .where(article_urls.c.article_id == article_id)
                .order_by(article_urls.c.url)
            )
            return {url: kind for url, kind in rows}

        return self._read(fetch)

    def count(self, table: str = "articles") -> int:
        """Rows in one of the archive's tables."""
        if table not in metadata.tables:
            raise ValueError(f"unknown table {table!r} (known: {', '.join(sorted(metadata.tables))})")
        stmt = select(func.count()).select_from(metadata.tables[table])
        return self._read(lambda conn: conn.execute(stmt).scalar_one())

    # -- the write path -------------------------------------------------------------------------

    def store(self, article: dict[str, Any], urls: list[str]) -> tuple[int, str]:
        """Store one article and every URL that means it; returns (article id, status).

        status is 'new', 'near_duplicate' (a new row whose text is a near-copy of an archived article:
        its ``duplicate_of`` is set to the earliest article of that story), 'updated' (the row now holds this
        newer version; the previous one went to ``revisions`` and ``duplicate_of`` was re-evaluated),
        'unchanged' (same title and content hash, or an older version than the stored one) or
        'duplicate_content' (no URL known but the text is already archived: the URLs become 'same_text'
        aliases of that article, no row is added).

        ``article['minhash']`` may carry a precomputed :class:`newscrawl.store.neardup.Signature` of the text
        (``archive.neardup.signature(text)``, e.g. from a process pool); without it, it is computed here when
        needed. An explicit ``article['duplicate_of']`` is stored as given instead of the near-duplicate check.
        """
        values = _row_values(article)
        all_urls = _unique([values["url"], *urls])
        nd = self.neardup
        given = article.get("minhash")
        sig = None if nd is None else _Lazy(lambda: given if nd.usable(given) else nd.signature(values["text"]))
        started = time.perf_counter()
        try:
            return self._store_one(values, all_urls, nd, sig, article.get("capture"))
        finally:
            self.store_seconds += time.perf_counter() - started

    def _store_one(self, values: dict[str, Any], all_urls: list[str], nd: NearDupConfig | None,
                   sig: _Lazy | None, capture: Any = None) -> tuple[int, str]:
        with self._lock:
            self._ensure_open()
            try:
                self._begin_write()
                with self._conn.begin_nested():  # the article, its URLs and its WARC pointer, or nothing
                    if capture:
                        values["capture_id"] = captures.insert(self._conn, capture)
                    result = _store(self._conn, values, all_urls, nd, sig)
                    if capture:
                        captures.attach(self._conn, values["capture_id"], result[0])
            except SQLAlchemyError as exc:
                self._write_failed(exc)
                raise ArchiveError(f"archive {self.url}: cannot store {values['url']}: {one_line(exc)}") from exc
            self.pending += 1
            self._batch_statuses[result[1]] += 1
            if self.pending >= self.batch_size or self.shared:
                self.flush()
            return result

    def reextracted(self, article_id: int, fields: dict[str, Any]) -> str:
        """File a re-extraction of the article's own capture (``newscrawl reextract``): 'changed' or 'unchanged'.

        ``fields`` are extraction fields (title, text, authors, dates, ...; ``minhash`` optional). A changed title
        or text goes through the same path as a recrawl's new version (the old one to ``revisions``, the
        near-duplicate signature and group re-evaluated); changed metadata alone updates the row.
        """
        nd = self.neardup
        given = fields.get("minhash")
        with self._lock:
            self._ensure_open()
            try:
                self._begin_write()
                with self._conn.begin_nested():
                    stored = self._conn.execute(select(articles).where(articles.c.id == article_id)).one()
                    values = {k: stored._mapping[k] for k in CONTENT_FIELDS}
                    values.update({k: fields[k] for k in CONTENT_FIELDS if k in fields and k not in (
                        "fetched_at", "capture_id", "content_hash")})
                    values["authors"] = _as_json_list(values["authors"]) if isinstance(
                        values["authors"], (list, tuple)) else values["authors"]
                    values["tags"] = _as_json_list(values["tags"]) if isinstance(
                        values["tags"], (list, tuple)) else values["tags"]
                    values["content_hash"] = content_hash(values["text"])
                    if all(values[k] == stored._mapping[k] for k in CONTENT_FIELDS):
                        return "unchanged"
                    if values["title"] != stored.title or values["content_hash"] != stored.content_hash:
                        sig = None if nd is None else _Lazy(
                            lambda: given if nd.usable(given) else nd.signature(values["text"]))
                        _refresh(self._conn, article_id, values, nd, sig, same_capture=True)
                    else:
                        self._conn.execute(articles.update().where(articles.c.id == article_id).values(**values))
            except SQLAlchemyError as exc:
                self._write_failed(exc)
                raise ArchiveError(f"archive {self.url}: cannot update article {article_id}: {one_line(exc)}") from exc
            self.pending += 1
            self._batch_statuses["reextracted"] += 1
            if self.pending >= self.batch_size:
                self.flush()
            return "changed"

    def read(self, fn: Callable[[Connection], Any]) -> Any:
        """Run ``fn(connection)`` for a read; it sees the open batch. For companion modules (crawl state)."""
        return self._read(fn)

    def write(self, fn: Callable[[Connection], Any]) -> Any:
        """Run ``fn(connection)`` inside the current batch transaction (committed with the batch)."""
        with self._lock:
            self._ensure_open()
            self._begin_write()
            try:
                with self._conn.begin_nested():
                    result = fn(self._conn)
            except SQLAlchemyError as exc:
                self._write_failed(exc)
                raise ArchiveError(f"archive {self.url}: write failed: {one_line(exc)}") from exc
            if self.shared:
                self.flush()
            return result

    def backfill_neardup(self, chunk: int = 500) -> int:
        """Index (and link) every article that has no near-duplicate signature yet; returns how many.

        For archives filled before near-duplicate detection existed or with it switched off. Batched like
        ``store``; safe to interrupt and run again.
        """
        nd = self.neardup
        if nd is None:
            return 0
        missing = (select(articles.c.id, articles.c.text)
                   .outerjoin(neardup_signatures, neardup_signatures.c.article_id == articles.c.id)
                   .where(neardup_signatures.c.article_id.is_(None)).order_by(articles.c.id).limit(chunk))
        done = 0
        while rows := self._read(lambda conn: conn.execute(missing).all()):
            for row in rows:
                sig = nd.signature(row.text)
                with self._lock:
                    self._ensure_open()
                    try:
                        self._begin_write()
                        with self._conn.begin_nested():
                            stories.link(self._conn, nd, row.id, sig, row.text)
                    except SQLAlchemyError as exc:
                        self._write_failed(exc)
                        raise ArchiveError(f"archive {self.url}: cannot index article {row.id}: "
                                           f"{one_line(exc)}") from exc
                    self.pending += 1
                    if self.pending >= self.batch_size:
                        self.flush()
            done += len(rows)
        return done

    def add_aliases(self, url: str, urls: list[str]) -> int | None:
        """File ``urls`` as variants of the article known under ``url``; returns its id (None: not archived)."""
        with self._lock:
            self._ensure_open()
            article_id = self._read(lambda conn: _lookup_urls(conn, [url]))
            if article_id is None:
                return None
            self._begin_write()
            _add_urls(self._conn, article_id, _unique(urls), _now_utc(), kind="variant")
            if self.shared:
                self.flush()
            return article_id

    # -- story groups: corrections and re-checks (newscrawl.store.stories) --------------------------------------

    def _story_write(self, fn: Callable[[Connection, NearDupConfig], Any]) -> Any:
        nd = self.neardup
        if nd is None:
            raise ArchiveError(f"archive {self.url}: near-duplicate detection is off or the archive has no index "
                               "(open it for writing with neardup on)")
        self.flush()  # the tables are created on another connection: no batch may hold the write lock
        stories.ensure(self.engine)  # archives from before corrections existed get the tables here
        try:
            result = self.write(lambda conn: fn(conn, nd))
        except stories.StoryError as exc:
            raise ArchiveError(str(exc)) from exc
        self.flush()
        return result

    def story_link(self, article_id: int, other_id: int, note: str | None = None) -> list[int]:
        """Record that two articles are one story and group them; returns the group's ids (root first).

        Stored in ``story_corrections``: later checks, re-checks and crawls keep the two in one group.
        """
        def write(conn: Connection, nd: NearDupConfig) -> list[int]:
            stories.require(conn, [article_id, other_id])
            stories.record_correction(conn, "link", article_id, other_id, note)
            stories.regroup(conn, nd, {*stories.group_of(conn, article_id),
                                           *stories.group_of(conn, other_id)})
            return stories.group_of(conn, article_id)

        return self._story_write(write)

    def story_unlink(self, article_id: int, note: str | None = None) -> list[int]:
        """Take an article out of its story group, for good; returns the ids of the group it leaves.

        An "unlink" correction is stored against every other member, so no later check puts it back with any
        of them; the rest of the group is re-checked (a new root when the article was the root).
        """
        def write(conn: Connection, nd: NearDupConfig) -> list[int]:
            stories.require(conn, [article_id])
            group = stories.group_of(conn, article_id)
            others = [m for m in group if m != article_id]
            if not others:
                raise stories.StoryError(f"article {article_id} is not in a story group with another article")
            for other in others:
                stories.record_correction(conn, "unlink", article_id, other, note)
            stories.regroup(conn, nd, group)
            return others

        return self._story_write(write)

    def story_recheck(self) -> tuple[int, int]:
        """Re-check every story group with the current rule and the corrections: (groups checked, copies that are
        now stories of their own)."""
        return self._story_write(stories.recheck_all)

    def story_evidence(self, article_id: int) -> dict[str, Any]:
        """Why an article is (or is not) in its story group: see :func:`newscrawl.store.stories.explain`."""
        return self._read(lambda conn: stories.explain(conn, self.neardup or NearDupConfig(), article_id))

    def promote_url(self, article_id: int, url: str) -> None:
        """Make ``url`` (already one of the article's URLs) its canonical URL; the old one stays an alias.

        Used when the same text is served at two URLs and the one the outlet lists in its sitemap or feed
        was met second.
        """
        def write(conn: Connection) -> None:
            old = conn.execute(select(articles.c.url).where(articles.c.id == article_id)).scalar()
            if old is None or old == url:
                return
            conn.execute(articles.update().where(articles.c.id == article_id).values(url=url))
            conn.execute(article_urls.update().where(article_urls.c.url == old).values(kind="same_text"))
            conn.execute(article_urls.update().where(article_urls.c.url == url)
                         .values(kind="canonical", article_id=article_id))

        self.write(write)

# --------------------------------------------------------------------------- statements (one connection)


def _url_matches(conn: Connection, urls: list[str]) -> list[tuple[int, str]]:
    """(article id, kind) for every URL already known, from the aliases and the canonical column."""
    if not urls:
        return []
    return [(article_id, kind) for article_id, kind in conn.execute(_URL_MATCHES, {"urls": urls})]


def _lookup_urls(conn: Connection, urls: list[str]) -> int | None:
    """The lowest article id any of the URLs maps to, or None."""
    return min((article_id for article_id, _ in _url_matches(conn, urls)), default=None)


def _lookup_hash(conn: Connection, digest: str) -> int | None:
    return conn.execute(select(func.min(articles.c.id)).where(articles.c.content_hash == digest)).scalar()


SAME_HASH = "same_hash"  # pseudo-kind of _known's row for the article that already holds the same text


def _known(conn: Connection, urls: list[str], digest: str) -> list[tuple[int, str]]:
    """``_url_matches`` plus (id, SAME_HASH) for the lowest article already holding text ``digest``: one query
    for everything the store of a new article needs to know."""
    rows = conn.execute(_KNOWN, {"urls": urls, "digest": digest})
    return [(article_id, kind) for article_id, kind in rows if article_id is not None]


# Built once (their cache keys too): run for every stored article.
_URLS = bindparam("urls", expanding=True)
_URL_SELECTS = (select(article_urls.c.article_id, article_urls.c.kind).where(article_urls.c.url.in_(_URLS)),
                select(articles.c.id, literal("canonical")).where(articles.c.url.in_(_URLS)))
_URL_MATCHES = union_all(*_URL_SELECTS)
_KNOWN = union_all(
    *_URL_SELECTS,
    select(func.min(articles.c.id), literal(SAME_HASH)).where(articles.c.content_hash == bindparam("digest")))




def _insert_urls_ignoring_known(conn: Connection) -> Any:
    """INSERT into article_urls that skips URLs already mapped (the only dialect-specific statement)."""
    return insert_ignoring(conn, article_urls, [article_urls.c.url])


def _add_urls(conn: Connection, article_id: int, urls: list[str], seen_at: str, *, kind: str,
              canonical: str | None = None) -> None:
    """Map URLs to an article; a URL already mapped (to it or another article) keeps its mapping."""
    rows = [{"url": u, "article_id": article_id, "kind": "canonical" if u == canonical else kind,
             "first_seen": seen_at} for u in urls]
    if rows:
        conn.execute(_insert_urls_ignoring_known(conn), rows)


class _Lazy:
    """A value computed on first use: a recrawl that turns out unchanged never pays for the MinHash."""

    def __init__(self, compute: Callable[[], Any]) -> None:
        self._compute, self._done, self._value = compute, False, None

    def get(self) -> Any:
        if not self._done:
            self._value, self._done = self._compute(), True
        return self._value


def _store(conn: Connection, values: dict[str, Any], urls: list[str], nd: NearDupConfig | None = None,
           sig: _Lazy | None = None) -> tuple[int, str]:
    seen_at = values["fetched_at"] or _now_utc()
    known = _known(conn, urls, values["content_hash"])
    matches = [(article_id, kind) for article_id, kind in known if kind != SAME_HASH]
    own = [article_id for article_id, kind in matches if kind != "same_text"]
    if own:  # a URL of this article: same article, maybe a new version
        article_id = min(own)
        status = _refresh(conn, article_id, values, nd, sig)
        _add_urls(conn, article_id, urls, seen_at, kind="variant")
        return article_id, status
    if matches:  # only known as a copy of another article's text
        copy_of = min(article_id for article_id, _ in matches)
        if _hash_of(conn, copy_of) == values["content_hash"]:
            _add_urls(conn, copy_of, urls, seen_at, kind="same_text")
            return copy_of, "duplicate_content"
        _release_copies(conn, urls)  # its text diverged from the article it copied: it stands alone now
    same_text_id = next((article_id for article_id, kind in known if kind == SAME_HASH), None)
    if same_text_id is not None:
        _add_urls(conn, same_text_id, urls, seen_at, kind="same_text")
        return same_text_id, "duplicate_content"
    new_id = insert_article(conn, articles, values)
    if new_id is None:  # another writer stored this URL meanwhile (outside the shared lock): a known article now
        article_id = _lookup_urls(conn, [values["url"]])
        status = _refresh(conn, article_id, values, nd, sig)
        _add_urls(conn, article_id, urls, seen_at, kind="variant")
        return article_id, status
    _add_urls(conn, new_id, urls, seen_at, kind="variant", canonical=values["url"])
    if nd is None or sig is None:
        return new_id, "new"
    signature = sig.get()
    if values.get("duplicate_of") is not None:  # the caller decided; index it so later copies find the story
        neardup.add(conn, nd, new_id, signature)
        return new_id, "new"
    me = Member(new_id, values.get("published_at"), values.get("fetched_at"), None)
    root = stories.link(conn, nd, new_id, signature, values["text"], me)
    return new_id, "near_duplicate" if root is not None else "new"


def _hash_of(conn: Connection, article_id: int) -> str | None:
    return conn.execute(select(articles.c.content_hash).where(articles.c.id == article_id)).scalar()


def _release_copies(conn: Connection, urls: list[str]) -> None:
    conn.execute(article_urls.delete().where(article_urls.c.url.in_(urls), article_urls.c.kind == "same_text"))


def _refresh(conn: Connection, article_id: int, values: dict[str, Any], nd: NearDupConfig | None = None,
             sig: _Lazy | None = None, *, same_capture: bool = False) -> str:
    """Bring a known article up to date; 'unchanged' unless its title or text changed.

    The version being replaced goes to ``revisions``; a changed text also replaces the article's near-duplicate
    signature and re-evaluates its ``duplicate_of``. A provably older version is filed in ``revisions`` (once)
    and changes nothing else (``same_capture``: a re-extraction of the stored version's own page is never older).
    """
    stored = conn.execute(
        select(articles.c.title, articles.c.text, articles.c.content_hash, articles.c.modified_at,
               articles.c.fetched_at, articles.c.capture_id).where(articles.c.id == article_id)
    ).one()
    if stored.title == values["title"] and stored.content_hash == values["content_hash"]:
        return "unchanged"
    if not same_capture and _is_older(values["modified_at"], stored.modified_at):
        _add_revision(conn, article_id, values, only_if_new=True)  # a late-found earlier version is history too
        return "unchanged"  # never replace a newer stored version with an older copy
    _add_revision(conn, article_id, stored._asdict())
    update = {k: values[k] for k in CONTENT_FIELDS}
    if values.get("duplicate_of") is not None:
        update["duplicate_of"] = values["duplicate_of"]
    conn.execute(articles.update().where(articles.c.id == article_id).values(**update))
    if nd is not None and sig is not None and stored.content_hash != values["content_hash"]:
        neardup.remove(conn, nd, article_id)
        if values.get("duplicate_of") is not None:
            neardup.add(conn, nd, article_id, sig.get())
        elif conn.execute(select(articles.c.id).where(articles.c.duplicate_of == article_id).limit(1)).first():
            neardup.add(conn, nd, article_id, sig.get())  # a corrected root: its copies are checked against it
            stories.regroup(conn, nd, stories.group_of(conn, article_id))
        else:
            stories.link(conn, nd, article_id, sig.get(), values["text"])
    return "updated"


def _add_revision(conn: Connection, article_id: int, version: dict[str, Any], *, only_if_new: bool = False) -> None:
    row = {k: version[k] for k in ("title", "text", "content_hash", "modified_at", "fetched_at")}
    row["capture_id"] = version.get("capture_id")
    if only_if_new and conn.execute(select(revisions.c.id).where(
            revisions.c.article_id == article_id, revisions.c.content_hash == row["content_hash"],
            revisions.c.title == row["title"]).limit(1)).first():
        return
    conn.execute(revisions.insert().values(article_id=article_id, **row))
