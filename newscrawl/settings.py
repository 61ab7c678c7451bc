"""Scrapy settings for newscrawl.

Every setting can be overridden on the command line (``-s NAME=VALUE``); project settings are prefixed
``NEWSCRAWL_`` except ``ARCHIVE_URL``, whose name is part of the spider contract. The README's "Settings" section
lists them all with these defaults.
"""

import os

BOT_NAME = "newscrawl"
SPIDER_MODULES = ["newscrawl.spiders"]
NEWSPIDER_MODULE = "newscrawl.spiders"
# Our `crawl` command checks the arguments and the archive before the first request.
COMMANDS_MODULE = "newscrawl.commands"

# --- Archive -------------------------------------------------------------------------------------------------
# SQLAlchemy URL of the archive; PostgreSQL works too (postgresql+psycopg://user@host/db).
ARCHIVE_URL = os.environ.get("NEWSCRAWL_ARCHIVE_URL", "sqlite:///archive/newscrawl.sqlite3")
# Articles written per transaction: a crash loses at most one batch, never half an article.
NEWSCRAWL_BATCH_SIZE = 200
# ...and a batch is committed once it is this many seconds old, however few stores it holds (0 = only when full).
NEWSCRAWL_BATCH_SECONDS = 10
EXTENSIONS = {
    "newscrawl.extensions.ArchiveExtension": 100,
    "newscrawl.batchclock.BatchClock": 150,
    "newscrawl.workers.ReactorStallMonitor": 200,  # only with NEWSCRAWL_STALL_MONITOR
}

# --- WARC capture (docs/warc.md) ----------------------------------------------------------------------------
# Which fetches are written as WARC request/response records: "articles" (pages the spider yields as articles),
# "all" (every response, robots.txt, sitemaps and feeds included) or "off".
NEWSCRAWL_WARC_CAPTURE = "articles"
# Directory of the WARC files (created if missing); files are named spider-start time-sequence.warc.gz.
WARC_DIR = os.environ.get("NEWSCRAWL_WARC_DIR", "archive/warc/")
# A WARC file is closed and a new one started past this many bytes (1 GB, the usual size for WARC files).
NEWSCRAWL_WARC_MAX_SIZE = 1_000_000_000
# Exchanges waiting for the writer thread; when full, the crawl waits for the disk (memory stays bounded).
NEWSCRAWL_WARC_QUEUE = 256

# --- Incremental crawling ------------------------------------------------------------------------------------
# Skip article pages already archived unless their sitemap/feed date is newer than the archived copy.
NEWSCRAWL_INCREMENTAL = True
# Send If-None-Match / If-Modified-Since for sitemaps, feeds and section pages (an unchanged one costs a 304).
NEWSCRAWL_CONDITIONAL_GET = True
# Stop walking a section's pagination at the first page that lists only archived articles.
NEWSCRAWL_STOP_AT_KNOWN_PAGE = True
# Pages dropped for a lasting reason (not an article, 404, too short...) are not requested again for this long.
NEWSCRAWL_RECHECK_SKIPPED_DAYS = 30
# Archived articles per outlet re-requested each run, least recently checked first, to record takedowns
# (404/410) and redirects in article_events. 0 = off; e.g. 200 in a daily job.
NEWSCRAWL_RECHECK_PER_RUN = 0
# Ask the WordPress REST API (/wp-json/wp/v2/posts?modified_after=...) for recent posts: one cheap extra
# discovery request per outlet; sites without it answer 404 and nothing else happens.
NEWSCRAWL_WP_JSON = True

# --- Near-duplicates and revisions (README "Near-duplicates and revisions") -----------------------------------
# Check each new article against the whole archive for near-copies (syndicated stories); sets duplicate_of.
NEWSCRAWL_NEARDUP = True
# Jaccard of word 5-shingles a copy keeps at least (measured: re-edited wire copies 0.31-0.84; templated
# stories about different events reach 0.56, which is why names and figures must agree too: docs/near-duplicates.md).
NEWSCRAWL_NEARDUP_THRESHOLD = 0.3
# Same story only if this share of the names (people, places, agencies) of the text naming fewer is in the other...
NEWSCRAWL_NEARDUP_MIN_NAMES = 0.7
# ... and this share of its figures, or all but one (a corrected figure; roundings count as equal). 0 and 0 for
# both: wording alone, the rule of earlier versions.
NEWSCRAWL_NEARDUP_MIN_FIGURES = 0.8
# Texts with fewer words (after ad/"Also read"/follow-us lines are dropped) are never linked as copies.
NEWSCRAWL_NEARDUP_MIN_WORDS = 60
# MinHash size and words per shingle: fixed when the archive is created; later runs keep the recorded layout.
NEWSCRAWL_NEARDUP_PERMUTATIONS = 128
NEWSCRAWL_NEARDUP_SHINGLE_SIZE = 5

# --- Discovery -----------------------------------------------------------------------------------------------
# Link hops from the homepage to walk listing pages (1 = the homepage's sections, 2 = their subsections).
NEWSCRAWL_LISTING_DEPTH = 2
# Pages of one section (or of the homepage) to walk through pagination.
NEWSCRAWL_PAGINATION_DEPTH = 5
# Links read from one homepage/section page (a real one has a few hundred); the rest are a counted skip.
NEWSCRAWL_LISTING_LINKS = 2000
# Sitemap/feed/listing-page entries decided per reactor turn (a sitemap lists thousands; ~20 ms per 250 keeps downloads going).
NEWSCRAWL_LISTING_CHUNK = 250
# Article requests from sitemaps and feeds let into Scrapy's scheduler at once (~4 KB of memory each); the rest
# wait in the archive's frontier table and are fed as the scheduler drains. 0 = queue everything in memory.
NEWSCRAWL_FRONTIER_SIZE = 2000
# Sitemaps get the sitemaps.org protocol's limits, not DOWNLOAD_MAXSIZE: bytes (uncompressed; also the cap when
# gunzipping a .xml.gz, so a gzip bomb stops there) and URLs read per sitemap file.
NEWSCRAWL_SITEMAP_MAX_SIZE = 50 * 1024 * 1024
NEWSCRAWL_SITEMAP_MAX_URLS = 50_000
# Levels of sitemap indexes followed below the sitemaps robots.txt or the outlet names, and distinct sitemaps
# requested per outlet per run: an index that keeps listing "new" children (?v=N) must end.
NEWSCRAWL_SITEMAP_DEPTH = 3
NEWSCRAWL_SITEMAPS_PER_OUTLET = 1000
# Alternative outlets file (JSON, same shape as newscrawl/outlets.json); None = the packaged one.
NEWSCRAWL_OUTLETS_FILE = None

# --- Extraction ----------------------------------------------------------------------------------------------
# Articles shorter than this (characters of extracted text) are dropped as "too_short"; outlets may override
# with the hint min_text_length.
NEWSCRAWL_MIN_TEXT_LENGTH = 200
# Worker processes for extraction (and near-duplicate signatures), off the reactor thread; 0 = inline.
NEWSCRAWL_EXTRACT_WORKERS = len(os.sched_getaffinity(0)) or 1
# Seconds one page may take; past it the page is dropped (extraction_timeout) and its worker replaced.
NEWSCRAWL_EXTRACT_TIMEOUT = 30
# Record the longest reactor stall in the stats (newscrawl/reactor/max_stall_ms); for benchmarks.
NEWSCRAWL_STALL_MONITOR = False
# Items processed in parallel per response; Scrapy's 100 starts many idle tasks for our one-item responses.
CONCURRENT_ITEMS = 16

# --- Politeness ----------------------------------------------------------------------------------------------
USER_AGENT = "newscrawl/0.1 (+https://github.com/newscrawl/newscrawl; research archive of Sarawak news)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
COOKIES_ENABLED = False

# --- Robustness ----------------------------------------------------------------------------------------------
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# Longest Retry-After (seconds) we wait for; a longer one gives the page up for this run.
NEWSCRAWL_RETRY_AFTER_MAX = 120
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024  # no news article is bigger; a bigger body is a trap or a file
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
REDIRECT_MAX_TIMES = 5
DOWNLOADER_MIDDLEWARES = {
    "newscrawl.extensions.Progress": 1,  # first: sees every request leave the queue (progress lines)
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "newscrawl.retry.RetryAfterMiddleware": 550,
    # RFC 9309: an unreachable or 5xx robots.txt disallows the outlet for the run (Scrapy's allows everything)
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "newscrawl.discovery.robots.RobotsTxtPolicy": 100,
    # WARC capture: above HttpCompressionMiddleware (590) and every built-in one, so it sees the bytes as sent
    "newscrawl.warc.capture.WarcCaptureMiddleware": 950,
}
SPIDER_MIDDLEWARES = {
    "newscrawl.warc.capture.WarcItemMiddleware": 950,  # writes the page an ArticleItem came from
}

# --- Pipelines: the data path -------------------------------------------------------------------------------
ITEM_PIPELINES = {
    "newscrawl.pipelines.ExtractPipeline": 100,
    "newscrawl.pipelines.ValidatePipeline": 200,
    "newscrawl.pipelines.CanonicalisePipeline": 300,
    "newscrawl.pipelines.DedupPipeline": 400,
    "newscrawl.warc.capture.WarcPointerPipeline": 850,  # waits for the item's WARC record to be on disk
    "newscrawl.pipelines.StorePipeline": 900,
}
# Non-articles are normal on a news site: log their drops at INFO, not WARNING.
DEFAULT_DROPITEM_LOG_LEVEL = "INFO"

LOG_LEVEL = "INFO"
# A dropped item is logged as its reason and URL, never the whole item (the raw page, the MinHash...).
LOG_FORMATTER = "newscrawl.extensions.QuietLogFormatter"
# Seconds between INFO progress lines (articles stored, pages fetched, requests pending, per outlet); 0 = none.
NEWSCRAWL_PROGRESS_INTERVAL = 60
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
# A cron job needs no listening sockets.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

# --- Distributed crawling (docs/distributed.md) -------------------------------------------------------------
# Run as one of N workers sharing a Redis frontier (scrapy-redis) and a PostgreSQL archive; `scrapy seed sarawak`
# opens the run and queues the outlets' discovery requests first.
NEWSCRAWL_DISTRIBUTED = os.environ.get("NEWSCRAWL_DISTRIBUTED", "0") == "1"
# The shared Redis (request queue, fingerprints of requests already made, the run's id).
NEWSCRAWL_REDIS_URL = os.environ.get("NEWSCRAWL_REDIS_URL", "redis://127.0.0.1:6379/0")
# Prefix of this deployment's Redis keys: one distributed run at a time per prefix (and per archive).
NEWSCRAWL_REDIS_PREFIX = os.environ.get("NEWSCRAWL_REDIS_PREFIX", "newscrawl")
# A worker leaves once the shared queue has been empty, with no other worker busy, for this many seconds.
NEWSCRAWL_DISTRIBUTED_IDLE = 10
# PostgreSQL connections one process keeps (the writer plus readers); the server's max_connections must exceed
# workers x this.
NEWSCRAWL_DB_POOL_SIZE = 5
