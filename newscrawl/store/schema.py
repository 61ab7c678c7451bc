"""Every table of the archive, declared once with SQLAlchemy Core so SQLite and PostgreSQL share them.

Researchers query these tables directly: docs/schema.md documents every column.
Timestamps are ISO 8601 strings with their UTC offset (``2024-03-05T14:20:00+08:00``) so they read the same
in every client and sort correctly within one offset; ``fetched_at`` is always UTC.

Only the store wing writes these tables. A change here is also an Alembic revision
(``newscrawl/store/migrations/versions/``; docs/schema.md#schema-changes): a new archive is created from these
declarations, an existing one is upgraded by its revisions (:mod:`newscrawl.store.migrate`).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Float, ForeignKey, Index, Integer, LargeBinary, MetaData, String, Table, Text

from newscrawl import record

metadata = MetaData()

# one row per article (the newest version); its columns are the article record's (newscrawl/record.py)
articles = Table("articles", metadata, *record.columns())

article_urls = Table(
    "article_urls",
    metadata,
    Column("url", String(2048), primary_key=True),  # every URL seen for the article, normalised
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False, index=True),
    # canonical: the article's own URL | variant: another URL of the same page (tracking params, AMP, http,
    # shortlink...) | same_text: a different page whose text is identical | redirect: reserved
    Column("kind", String(20), nullable=False),
    Column("first_seen", String(40), nullable=False),
)

Index("ix_articles_outlet_published", articles.c.outlet, articles.c.published_at)
# Research views (newscrawl.query.attention): a covering index, so counting a common word's stories per outlet and
# period reads ~50 bytes per article instead of each matching article's row with its text (revision 0002).
Index("ix_articles_outlet_published_story", articles.c.outlet, articles.c.published_at, articles.c.duplicate_of)

# Earlier versions of an article: when a recrawl finds changed title or text at a known URL, the ``articles``
# row takes the new version and the one it replaces is appended here. An unchanged recrawl adds nothing.
revisions = Table(
    "revisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("title", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("modified_at", String(40)),  # as the outlet declared it for that version
    Column("fetched_at", String(40), nullable=False),  # UTC, when that version was fetched
    Column("capture_id", Integer),  # captures.id of the WARC record of that version, or NULL
)

# Near-duplicate index (newscrawl.store.neardup). One MinHash per article (NULL minhash: text too short to compare)...
neardup_signatures = Table(
    "neardup_signatures",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("minhash", LargeBinary),  # permutations x uint32 little-endian
    Column("words", Integer, nullable=False),  # normalised words in the text (boilerplate lines removed)
)

# ... and one row per LSH band: articles sharing a band_key are near-duplicate candidates. No foreign key: this is
# an index (rows of a deleted article are ignored), and the composite primary key is the lookup index. SQLite
# stores it WITHOUT ROWID so the table is its own index.
neardup_bands = Table(
    "neardup_bands",
    metadata,
    Column("band_key", BigInteger, primary_key=True, autoincrement=False),
    Column("article_id", Integer, primary_key=True, autoincrement=False),
    sqlite_with_rowid=False,
)

# The band layout the index was built with (permutations, rows, shingle_size, seed, scheme): name -> value.
neardup_config = Table(
    "neardup_config",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("value", String(200), nullable=False),
)

# Story groups: why each copy is in its group (written by the same-story check or a researcher's correction).
# One row per article whose duplicate_of is set; ``evidence`` is the verdict as JSON (wording, names and figures
# shared and not shared, the other groups it also matched). Read by ``newscrawl show``.
story_links = Table(
    "story_links",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("root_id", Integer, nullable=False, index=True),  # the group's root when decided (= duplicate_of)
    Column("matched_id", Integer),  # the member it matched best (NULL: linked by a researcher)
    Column("score", Float),  # the weaker of the names and figures agreements (storymatch.Verdict.score)
    Column("jaccard", Float),  # word-shingle Jaccard with matched_id
    Column("decided_by", String(20), nullable=False),  # check | researcher | recheck
    Column("evidence", Text, nullable=False, default="{}"),  # storymatch.Verdict.as_dict() + also_matched
    Column("decided_at", String(40), nullable=False),  # UTC
)

# Researchers' corrections: "these two articles are one story" (link) or "not one story" (unlink). Never
# recomputed: every later check, re-check and crawl obeys them. The latest correction of a pair wins (an
# older opposite one is deleted when a new one is recorded).
story_corrections = Table(
    "story_corrections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("action", String(10), nullable=False),  # link | unlink
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("other_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("note", Text),
    Column("created_at", String(40), nullable=False),  # UTC
)

# Whose database this is: ``application = newscrawl`` (set on create) and facts about the archive (name -> value).
# A database with other tables and no marker is refused (newscrawl.store.integrity), never filled with ours.
archive_meta = Table(
    "archive_meta",
    metadata,
    Column("name", String(60), primary_key=True),
    Column("value", String(200), nullable=False),
)


# --------------------------------------------------------------------------- crawl state (newscrawl.store.crawlstate)

crawl_runs = Table(
    "crawl_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("spider", String(50), nullable=False),
    Column("arguments", Text, nullable=False, default="{}"),  # JSON: spider arguments and changed settings
    Column("started_at", String(40), nullable=False),
    Column("finished_at", String(40)),
    Column("status", String(20), nullable=False),  # running | finished | failed | interrupted | killed
    Column("requests", Integer),
    Column("responses", Text),  # JSON {status: count}
    Column("articles_new", Integer),
    Column("articles_updated", Integer),
    Column("articles_unchanged", Integer),
    Column("articles_duplicate", Integer),
    Column("dropped", Text),  # JSON {reason: count}
    Column("errors", Integer),
    Column("stats", Text),  # JSON: every newscrawl/* and downloader/* counter
)

listings = Table(
    "listings",
    metadata,
    Column("url", String(2048), primary_key=True),
    Column("outlet", String(100), nullable=False, index=True),
    Column("source_url", String(2048), nullable=False),
    # sitemap | feed | wp-json (the outlet's own listing, preferred once seen) | section | homepage (a link)
    Column("source_kind", String(20), nullable=False),
    Column("listed_date", String(40)),  # the date the surface gave (lastmod / pubDate), ISO 8601
    Column("first_seen", String(40), nullable=False),
    Column("last_seen", String(40), nullable=False),
    Column("run_id", Integer),  # run that first listed it
    Column("article_id", Integer, index=True),
)

fetches = Table(
    "fetches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, index=True),
    Column("url", String(2048), nullable=False, index=True),
    Column("status", Integer),
    Column("article_id", Integer, index=True),
    Column("at", String(40), nullable=False),
)

skips = Table(
    "skips",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, index=True),
    Column("url", String(2048), nullable=False, index=True),
    Column("outlet", String(100)),
    Column("reason", String(60), nullable=False),
    Column("at", String(40), nullable=False),
)

http_validators = Table(
    "http_validators",
    metadata,
    Column("url", String(2048), primary_key=True),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("checked_at", String(40), nullable=False),
    Column("run_id", Integer),  # trusted only once that run finished: a killed run may not have used the body
)

article_events = Table(
    "article_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", Integer, nullable=False, index=True),
    Column("run_id", Integer),
    Column("url", String(2048), nullable=False),
    Column("event", String(20), nullable=False),  # gone | redirected | removed (newscrawl remove; location = its note)
    Column("status", Integer),
    Column("location", String(2048)),  # where a redirect led
    Column("at", String(40), nullable=False),
)

# Article requests a sitemap/feed decided on, waiting for room in Scrapy's scheduler (which holds ~4 KB per queued
# request: a 200,000-URL sitemap took 1.2 GB). Fed in id order as the scheduler drains; emptied when a run starts
# (what a killed run left is listed in `listings` without an article, and asked for again as pending).
frontier = Table(
    "frontier",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("outlet", String(100), nullable=False),
    Column("url", String(2048), nullable=False),
    Column("found_via", String(2048)),
    Column("listed_date", String(40)),
)

Index("ix_skips_url_id", skips.c.url, skips.c.id)

# WARC captures (newscrawl.warc, docs/warc.md): one row per WARC response record written for an article page,
# i.e. every fetch of it, including unchanged recrawls. ``articles.capture_id`` and ``revisions.capture_id`` name
# the capture their version was extracted from (NULL: fetched without capture, or before captures existed). A
# table rather than five columns on both: one article has many captures, and re-extraction walks them.
captures = Table(
    "captures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="SET NULL"), index=True),
    Column("url", String(2048), nullable=False),  # WARC-Target-URI: the URL as fetched
    Column("warc_file", Text, nullable=False),  # file name inside WARC_DIR (final name, *.warc.gz), or a path
    Column("warc_offset", BigInteger, nullable=False),  # byte offset of the response record's gzip member
    Column("warc_length", Integer, nullable=False),  # compressed length of that member
    Column("record_id", String(255), nullable=False, unique=True),  # WARC-Record-ID, <urn:uuid:...>
    Column("payload_digest", String(64)),  # WARC-Payload-Digest (sha1:BASE32) of the body as sent
    Column("captured_at", String(40), nullable=False),  # WARC-Date, UTC
    # extraction hints the page was extracted with (JSON), learned ones included (the site's timezone from its
    # sitemap dates): re-extraction starts from them, the outlets file's current hints on top
    Column("hints", Text),
)
