"""What the archive remembers about crawling, so that hourly runs are cheap, traceable and auditable.

Tables (created with the archive; documented in the README's "Archive schema"):

- ``crawl_runs``: one row per run: arguments, start/end, status and its counts.
- ``listings``: every article URL a sitemap, feed or section page listed: where (``source_url``,
  ``source_kind``), with which date, ``first_seen``/``last_seen``, in which run, and the article it became.
- ``fetches``: the HTTP status of every fetch of a candidate article page, per run.
- ``skips``: pages dropped, with the reason (``not_article_listing``, ``http_404``, ``too_short``...).
- ``http_validators``: ETag / Last-Modified per listing surface, sent back as a conditional GET.
- ``article_events``: an archived article found gone (404/410) or redirected elsewhere; the article is kept.

All writes go through the archive's batch transaction (``Archive.write``), so a killed run leaves either the
whole batch or none of it.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, exists, func, select, update

from .engine import insert_ignoring, upsert
from .schema import (
    article_events,
    article_urls,
    articles,
    crawl_runs,
    fetches,
    frontier,
    http_validators,
    listings,
    metadata,
    skips,
)

TABLES = [crawl_runs, listings, fetches, skips, http_validators, article_events, frontier]
OUTLET_LISTINGS = ("sitemap", "feed", "wp-json")  # surfaces where the outlet itself lists its articles


def ensure(engine: Engine) -> None:
    """Create the crawl-state tables (idempotent; called by ``Archive.open``)."""
    metadata.create_all(engine, tables=TABLES)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _later_than(listed: str | None, *stored: str | None) -> bool:
    """Whether a listing's date is newer than every stored timestamp (unknown listing date: not newer)."""
    from ..dates import parse_datetime

    when = parse_datetime(listed)
    if when is None:
        return False
    known = [parse_datetime(s) for s in stored if s]
    return all(when > k for k in known if k is not None)


# run after every stored article: built once
_LISTED_BY_OUTLET = select(listings.c.url).where(listings.c.url.in_(bindparam("urls", expanding=True)),
                                                 listings.c.source_kind.in_(OUTLET_LISTINGS))
# listings updates run as executemany over a whole sitemap's worth of URLs
_SET_LISTED_DATE = update(listings).where(listings.c.url == bindparam("u")).values(listed_date=bindparam("d"))
_SET_SOURCE = (update(listings).where(listings.c.url == bindparam("u"))
               .values(source_url=bindparam("s"), source_kind=bindparam("k")))


class CrawlState:
    """The spider's and pipelines' view of the crawl-state tables, through one ``Archive``."""

    def __init__(self, archive, run_id: int | None = None) -> None:
        self.archive = archive
        self.run_id = run_id
        self._fetch_buffer: list[dict] = []

    # -- runs ----------------------------------------------------------------------------------------------------
    def start_run(self, spider: str, arguments: dict[str, Any]) -> int:
        def write(conn: Connection) -> int:
            # the run lock guarantees no other run is live: a 'running' row left behind was killed
            conn.execute(update(crawl_runs).where(crawl_runs.c.status == "running").values(status="killed"))
            result = conn.execute(crawl_runs.insert().values(
                spider=spider, arguments=json.dumps(arguments, sort_keys=True), started_at=_now(),
                status="running"))
            return int(result.inserted_primary_key[0])

        self.run_id = self.archive.write(write)
        self.archive.flush()  # the run is visible (and marked killed later) even if this process dies
        return self.run_id

    def finish_run(self, status: str, stats: dict[str, Any]) -> None:
        self.flush_fetches()
        values = _run_values(status, stats)
        self.archive.write(lambda conn: conn.execute(
            update(crawl_runs).where(crawl_runs.c.id == self.run_id).values(**values)))
        self.archive.flush()

    def join_run(self, run_id: int) -> int:
        """Work for a run another process opened (a distributed run, opened by ``scrapy seed``)."""
        status = self.archive.read(lambda conn: conn.execute(
            select(crawl_runs.c.status).where(crawl_runs.c.id == run_id)).scalar())
        if status != "running":
            raise ValueError(f"crawl run {run_id} is {status or 'not in the archive'}, not running: seed a new run")
        self.run_id = run_id
        return run_id

    def add_to_run(self, status: str, stats: dict[str, Any]) -> None:
        """Add one worker's counts to the shared run's row, read FOR UPDATE so no worker's counts are lost.
        The row stays 'running' until :meth:`close_run`; a worker that failed marks it with its status."""
        self.flush_fetches()
        mine = _run_values(status, stats)

        def write(conn: Connection) -> None:
            row = conn.execute(select(crawl_runs).where(crawl_runs.c.id == self.run_id).with_for_update()).one()
            merged: dict[str, Any] = {}
            for name in ("requests", "articles_new", "articles_updated", "articles_unchanged",
                         "articles_duplicate", "errors"):
                merged[name] = (getattr(row, name) or 0) + mine[name]
            for name in ("responses", "dropped", "stats"):
                total = json.loads(getattr(row, name) or "{}")
                for key, value in json.loads(mine[name]).items():
                    if isinstance(value, (int, float)) and isinstance(total.get(key, 0), (int, float)):
                        total[key] = total.get(key, 0) + value
                    else:
                        total.setdefault(key, value)
                merged[name] = json.dumps(total, sort_keys=True)
            workers = json.loads(row.stats or "{}").get("newscrawl/workers", 0) + 1
            merged["stats"] = json.dumps({**json.loads(merged["stats"]), "newscrawl/workers": workers},
                                         sort_keys=True)
            if status != "finished" and row.status == "running":
                merged["status"] = "failed" if status == "archive_error" else status
            conn.execute(update(crawl_runs).where(crawl_runs.c.id == self.run_id).values(**merged))

        self.archive.write(write)
        self.archive.flush()

    def close_run(self, run_id: int) -> None:
        """The last worker of a distributed run left: the run is over ('finished' unless a worker failed)."""
        def write(conn: Connection) -> None:
            conn.execute(update(crawl_runs).where(crawl_runs.c.id == run_id, crawl_runs.c.status == "running")
                         .values(status="finished"))
            conn.execute(update(crawl_runs).where(crawl_runs.c.id == run_id).values(finished_at=_now()))

        self.archive.write(write)
        self.archive.flush()

    def last_run_started(self) -> str | None:
        """Start of the last run that finished, for ``modified_after`` windows."""
        return self.archive.read(lambda conn: conn.execute(
            select(crawl_runs.c.started_at).where(crawl_runs.c.status == "finished")
            .order_by(crawl_runs.c.id.desc()).limit(1)).scalar())

    def articles_to_recheck(self, outlet: str, limit: int) -> list[str]:
        """Canonical URLs of an outlet's archived articles, least recently fetched first."""
        last_fetch = (select(func.max(fetches.c.at)).where(fetches.c.article_id == articles.c.id)
                      .scalar_subquery())
        query = (select(articles.c.url).where(articles.c.outlet == outlet)
                 .order_by(func.coalesce(last_fetch, articles.c.fetched_at)).limit(limit))
        return list(self.archive.read(lambda conn: conn.execute(query).scalars().all()))

    # -- incremental decisions -----------------------------------------------------------------------------------
    def known_article(self, url: str) -> tuple[int, str | None, str | None] | None:
        """(id, fetched_at, modified_at) of the archived article at ``url``, or None."""
        query = (select(articles.c.id, articles.c.fetched_at, articles.c.modified_at)
                 .select_from(article_urls.join(articles, articles.c.id == article_urls.c.article_id))
                 .where(article_urls.c.url == url).limit(1))
        row = self.archive.read(lambda conn: conn.execute(query).first())
        return tuple(row) if row else None

    @contextmanager
    def batch(self, urls: list[str]):
        """Decide many listed URLs at once (a sitemap holds thousands): three queries per 500 URLs up front,
        one bulk write of the listings at the end, instead of several round trips per URL on the reactor."""
        self._prefetch(urls)
        self._listed_queue = []
        try:
            yield self
        finally:
            queue, self._listed_queue = self._listed_queue, None
            self._cache = None
            if queue:
                self._write_listings(queue)

    def _prefetch(self, urls: list[str]) -> None:
        self._cache = self._read_decisions(urls)

    def _read_decisions(self, urls: list[str]) -> dict[str, Any]:
        """What ``needs_fetch`` reads for each URL: its article, its listing date, its last skip."""
        cache: dict[str, Any] = {"known": {}, "listed": {}, "skip": {}, "urls": set(urls)}
        unique = list(dict.fromkeys(urls))

        def read(conn: Connection) -> None:
            for i in range(0, len(unique), 500):
                chunk = unique[i:i + 500]
                for row in conn.execute(
                        select(article_urls.c.url, articles.c.id, articles.c.modified_at, articles.c.published_at,
                               articles.c.url.label("row_url"))
                        .select_from(article_urls.join(articles, articles.c.id == article_urls.c.article_id))
                        .where(article_urls.c.url.in_(chunk))):
                    cache["known"][row.url] = (row.id, row.modified_at or row.published_at, row.row_url)
                for row in conn.execute(select(listings.c.url, listings.c.listed_date).where(listings.c.url.in_(chunk))):
                    cache["listed"][row.url] = row.listed_date
                for row in conn.execute(select(skips.c.url, skips.c.reason, skips.c.at)
                                        .where(skips.c.url.in_(chunk)).order_by(skips.c.id)):
                    cache["skip"][row.url] = (row.reason, row.at)  # the last one wins

        self.archive.read(read)
        return cache

    def _lookup(self, url: str) -> tuple[tuple | None, str | None, tuple | None, bool]:
        """(known article (id, own date, row URL), previous listing date, last skip (reason, at), listing row
        exists), from the open batch's cache or read for this URL alone."""
        cache = getattr(self, "_cache", None)
        if cache is None or url not in cache["urls"]:
            cache = self._read_decisions([url])
        return cache["known"].get(url), cache["listed"].get(url), cache["skip"].get(url), url in cache["listed"]

    def needs_fetch(self, url: str, listed_date: str | None, recheck_skipped_after: timedelta) -> tuple[bool, str]:
        """Whether a listed URL must be (re)fetched, and why: 'new', 'changed', 'known' or 'skipped_before'.

        A known article is refetched only when a listing gives it a date newer than every date we hold for it:
        the newest date any listing gave before, and the article's own modified/published time. Both come from
        the site's clock, so a skewed clock on either side cannot cause refetch storms or missed edits.
        """
        known, previous, last_skip, _ = self._lookup(url)
        if known is not None:
            if _later_than(listed_date, previous, known[1]):
                return True, "changed"
            return False, "known" if known[2] == url else "known_alias"
        if last_skip is not None and _is_permanent(last_skip[0]):
            from ..dates import parse_datetime

            at = parse_datetime(last_skip[1])
            if at is not None and datetime.now(timezone.utc) - at < recheck_skipped_after:
                if not _later_than(listed_date, last_skip[1]):
                    return False, "skipped_before"
        return True, "new"

    def listed(self, url: str, outlet: str, source_url: str, source_kind: str, listed_date: str | None) -> None:
        """Record that a listing surface gave ``url`` (written in bulk at the end of a ``batch``)."""
        row = (url, outlet, source_url, source_kind, listed_date)
        if getattr(self, "_listed_queue", None) is not None:
            self._listed_queue.append(row)
        else:
            self._write_listings([row])

    def _write_listings(self, rows: list[tuple]) -> None:
        now = _now()
        latest: dict[str, tuple] = {}
        for row in rows:  # one surface may list a URL twice: keep its newest date
            if row[0] not in latest or _later_than(row[4], latest[row[0]][4]):
                latest[row[0]] = row

        def write(conn: Connection) -> None:
            urls = list(latest)
            existing: dict[str, str | None] = {}
            weak: set[str] = set()  # rows whose source is only a homepage/section link
            for i in range(0, len(urls), 500):
                for url, date, kind in conn.execute(
                        select(listings.c.url, listings.c.listed_date, listings.c.source_kind)
                        .where(listings.c.url.in_(urls[i:i + 500]))):
                    existing[url] = date
                    if kind in ("homepage", "section"):
                        weak.add(url)
            inserts = [{"url": u, "outlet": o, "source_url": src, "source_kind": kind, "listed_date": date,
                        "first_seen": now, "last_seen": now, "run_id": self.run_id}
                       for u, o, src, kind, date in latest.values() if u not in existing]
            if inserts:  # another worker may list the same URL at the same moment: its row stands
                conn.execute(insert_ignoring(conn, listings, [listings.c.url]), inserts)
            seen = [u for u in urls if u in existing]
            for i in range(0, len(seen), 500):
                conn.execute(update(listings).where(listings.c.url.in_(seen[i:i + 500])).values(last_seen=now))
            # keep the newest date any listing gave; the outlet's own sitemap/feed is a better source than a link
            dates = [{"u": u, "d": latest[u][4]} for u in seen if _later_than(latest[u][4], existing[u])]
            sources = [{"u": u, "s": latest[u][2], "k": latest[u][3]} for u in seen
                       if u in weak and latest[u][3] in OUTLET_LISTINGS]
            if dates:  # one executemany each, not a statement per URL: a sitemap lists thousands
                conn.execute(_SET_LISTED_DATE, dates)
            if sources:
                conn.execute(_SET_SOURCE, sources)

        self.archive.write(write)

    def pending_listings(self, outlet: str, limit: int = 10_000) -> list[tuple[str, str, str | None]]:
        """(url, source_url, listed_date) of URLs a sitemap/feed listed that never became an article."""
        query = (select(listings.c.url, listings.c.source_url, listings.c.listed_date)
                 .where(listings.c.outlet == outlet, listings.c.article_id.is_(None),
                        listings.c.source_kind.in_(OUTLET_LISTINGS),
                        ~exists().where(article_urls.c.url == listings.c.url))
                 .order_by(listings.c.first_seen.desc()).limit(limit))
        return [tuple(r) for r in self.archive.read(lambda conn: conn.execute(query).all())]

    def listed_by_outlet(self, url: str) -> bool:
        """Whether a sitemap, feed or the REST API of the outlet listed ``url`` (its own word on its articles)."""
        return self.archive.read(lambda conn: conn.execute(_LISTED_BY_OUTLET, {"urls": [url]}).first()) is not None

    def adopt_listed_url(self, url: str) -> bool:
        """Name an archived article by ``url`` when the outlet lists ``url`` and not the row's current URL.

        One article can be met first at a URL the outlet does not list (an alternate path serving the same
        text); the outlet's own sitemap/feed is its word on which URL is the article's.
        """
        known = self.known_article(url)
        if known is None:
            return False
        kind = self.archive.read(lambda conn: conn.execute(
            select(article_urls.c.kind).where(article_urls.c.url == url)).scalar())
        if kind == "same_text":  # same text, but perhaps another headline: the store decides, with the title
            return False
        current = self.archive.read(lambda conn: conn.execute(
            select(articles.c.url).where(articles.c.id == known[0])).scalar())
        if current == url or self.listed_by_outlet(current) or not self.listed_by_outlet(url):
            return False
        self.archive.promote_url(known[0], url)
        return True

    def adopt_listed_variant(self, article_id: int, variants: list[str], title: str | None = None,
                             current: str | None = None) -> bool:
        """After a store: name the row by whichever of ``variants`` the outlet lists, when its current URL is
        not listed (two queries, whatever the number of variants). With ``title``, only when the stored
        headline is the same: identical text under another headline is another page, not the same one.
        ``current``: the row's URL when the caller just wrote it with this title (saves the first query)."""
        if current is None:
            row = self.archive.read(lambda conn: conn.execute(
                select(articles.c.url, articles.c.title).where(articles.c.id == article_id)).first())
            if row is None or (title is not None and row.title != title):
                return False
            current = row.url
        candidates = list(dict.fromkeys([current, *variants]))
        listed = set(self.archive.read(lambda conn: conn.execute(_LISTED_BY_OUTLET, {"urls": candidates})
                                       .scalars().all()))
        if current is None or current in listed or not listed:
            return False
        self.archive.promote_url(article_id, next(url for url in variants if url in listed))
        return True

    # -- records -------------------------------------------------------------------------------------------------
    def fetched(self, url: str, status: int | None, article_id: int | None = None, listed_url: str | None = None
                ) -> None:
        """Record one article fetch; buffered and written in bulk (one statement per 100 fetches)."""
        self._fetch_buffer.append({"run_id": self.run_id, "url": url, "status": status, "article_id": article_id,
                                   "at": _now(), "listed_url": listed_url})
        if len(self._fetch_buffer) >= 100:
            self.flush_fetches()

    def flush_fetches(self) -> None:
        rows, self._fetch_buffer = self._fetch_buffer, []
        if not rows:
            return

        def write(conn: Connection) -> None:
            conn.execute(fetches.insert(), [{k: v for k, v in r.items() if k != "listed_url"} for r in rows])
            links = [{"u": r["listed_url"], "a": r["article_id"]} for r in rows if r["article_id"] and r["listed_url"]]
            if links:
                conn.execute(update(listings).where(listings.c.url == bindparam("u"))
                             .values(article_id=bindparam("a")), links)

        self.archive.write(write)

    def skipped(self, url: str, outlet: str | None, reason: str) -> None:
        self.archive.write(lambda conn: conn.execute(skips.insert().values(
            run_id=self.run_id, url=url, outlet=outlet, reason=reason, at=_now())))

    def article_event(self, url: str, event: str, status: int | None, location: str | None = None) -> bool:
        """Record that the archived article at ``url`` is gone or redirected; False if ``url`` is not archived."""
        known = self.known_article(url)
        if known is None:
            return False
        self.archive.write(lambda conn: conn.execute(article_events.insert().values(
            article_id=known[0], run_id=self.run_id, url=url, event=event, status=status, location=location,
            at=_now())))
        return True

    # -- frontier ------------------------------------------------------------------------------------------------
    def frontier_clear(self) -> None:
        self.archive.write(lambda conn: conn.execute(frontier.delete()))

    def frontier_push(self, rows: list[tuple[str, str, str | None, str | None]]) -> None:
        """Queue (url, outlet, found_via, listed_date) rows behind the ones already waiting."""
        if rows:
            self.archive.write(lambda conn: conn.execute(frontier.insert(), [
                {"url": u, "outlet": o, "found_via": f, "listed_date": d} for u, o, f, d in rows]))

    def frontier_pop(self, limit: int) -> list[tuple[str, str, str | None, str | None]]:
        """Take the ``limit`` oldest rows off the frontier."""
        def take(conn: Connection) -> list[tuple]:
            found = conn.execute(select(frontier.c.id, frontier.c.url, frontier.c.outlet, frontier.c.found_via,
                                        frontier.c.listed_date).order_by(frontier.c.id).limit(limit)).all()
            if found:
                conn.execute(frontier.delete().where(frontier.c.id <= found[-1].id))
            return [(r.url, r.outlet, r.found_via, r.listed_date) for r in found]

        return self.archive.write(take)

    # -- conditional GET -----------------------------------------------------------------------------------------
    def validators(self, url: str) -> dict[str, str]:
        row = self.archive.read(lambda conn: conn.execute(
            select(http_validators.c.etag, http_validators.c.last_modified)
            .join(crawl_runs, crawl_runs.c.id == http_validators.c.run_id)
            .where(http_validators.c.url == url, crawl_runs.c.status == "finished")
        ).first())
        headers = {}
        if row is not None:
            if row.etag:
                headers["If-None-Match"] = row.etag
            if row.last_modified:
                headers["If-Modified-Since"] = row.last_modified
        return headers

    def remember_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        if not etag and not last_modified:
            return

        def write(conn: Connection) -> None:
            values = {"etag": etag, "last_modified": last_modified, "checked_at": _now(), "run_id": self.run_id}
            upsert(conn, http_validators, [http_validators.c.url], {"url": url, **values}, values)

        self.archive.write(write)


def _run_values(status: str, stats: dict[str, Any]) -> dict[str, Any]:
    """The ``crawl_runs`` columns of a run (or of one worker's share of it) that ended with ``status``."""

    def count(prefix: str) -> dict[str, int]:
        return {k.removeprefix(prefix): v for k, v in stats.items() if k.startswith(prefix)}

    return {
        "finished_at": _now(),
        "status": status,
        "requests": stats.get("downloader/request_count", 0),
        "responses": json.dumps(count("downloader/response_status_count/"), sort_keys=True),
        # rows created; near-copies are new rows too (with duplicate_of set) and are also counted as duplicates
        "articles_new": stats.get("newscrawl/articles/new", 0) + stats.get("newscrawl/articles/near_duplicate", 0),
        "articles_updated": stats.get("newscrawl/articles/updated", 0),
        "articles_unchanged": stats.get("newscrawl/articles/unchanged", 0),
        "articles_duplicate": sum(count("newscrawl/duplicates/").values()),
        "dropped": json.dumps(count("newscrawl/dropped/"), sort_keys=True),
        "errors": stats.get("log_count/ERROR", 0),
        "stats": json.dumps({k: v for k, v in stats.items() if isinstance(v, (int, float, str))},
                            sort_keys=True, default=str),
    }


# Reasons that will not change by themselves within the recheck window: not worth a request every hour.
_PERMANENT = ("not_article", "error_page", "http_404", "http_410", "not_html", "binary", "too_short",
              "empty_text", "offsite_redirect", "redirect_loop", "too_large")


def _is_permanent(reason: str) -> bool:
    return reason.startswith(_PERMANENT)
