"""Completeness audit: what the outlets' sitemaps/feeds listed versus what the archive holds.

Reads the crawl's ``listings`` table (url, outlet, source_url, listed_date, first_seen, last_seen: every URL a
sitemap or feed listed) and ``skips`` (url, outlet, reason, run_id, at: every URL the crawl decided not to store).
A listed URL counts as *archived* when it is an article's canonical URL or one of its aliases in ``article_urls``;
*skipped* when it is not archived but has a skip record (its latest reason); *missing* otherwise. Its month is the
month of the listing's date (lastmod / pubDate), or of ``first_seen`` when the listing gave none.

Sitemaps also list pages that are not articles and are never fetched as one: the homepage (a WordPress page
sitemap lists it first) and section pages. A listed URL that is an outlet's root, or that the crawl walked as a
listing page (it is the ``source_url`` of homepage/section listings), is a *listing page*: counted apart, never
missing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Engine, and_, column, exists, func, inspect, select, table

from newscrawl.query.search import day_expr
from newscrawl.store.crawlstate import OUTLET_LISTINGS
from newscrawl.store.schema import article_urls, articles

REQUIRED_TABLES = ("listings", "skips")

listings = table("listings", column("url"), column("outlet"), column("source_url"), column("source_kind"),
                 column("listed_date"), column("first_seen"), column("last_seen"))
# The outlet's own word on what it published: sitemaps, feeds and its REST API (not links of section pages).
AUDITED_SOURCES = OUTLET_LISTINGS
skips = table("skips", column("url"), column("outlet"), column("reason"), column("run_id"), column("at"))
LISTING_PAGE_SOURCES = ("homepage", "section")  # listings found on these pages: their source_url is a listing


class AuditUnavailable(RuntimeError):
    """The archive has no listings/skips tables yet (written by crawls that record their listings)."""


@dataclass
class MonthAudit:
    outlet: str
    month: str
    listed: int = 0
    archived: int = 0
    skipped: int = 0
    missing: int = 0
    listing_pages: int = 0  # listed URLs that are the homepage or a section page: not articles, not counted
    articles: int = 0  # all archived articles published that month, listed or found elsewhere
    languages: dict[str, int] = field(default_factory=dict)  # those articles by language
    skip_reasons: dict[str, int] = field(default_factory=dict)
    missing_urls: list[str] = field(default_factory=list)

    @property
    def completeness(self) -> float | None:
        """Share of listed URLs that are archived (None when nothing was listed)."""
        return self.archived / self.listed if self.listed else None


def check_tables(engine: Engine) -> None:
    insp = inspect(engine)
    absent = [t for t in REQUIRED_TABLES if not insp.has_table(t)]
    if absent:
        raise AuditUnavailable(
            f"this archive has no {' or '.join(repr(t) for t in absent)} table: audit needs a crawl made by a "
            "newscrawl version that records sitemap/feed listings and skips; re-crawl to collect them")


def _is_root(url: str) -> bool:
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query


def audit(engine: Engine, *, outlets: tuple[str, ...] = (), since_month: str | None = None,
          until_month: str | None = None, list_missing: int = 0) -> list[MonthAudit]:
    """Per (outlet, month): listed, archived, skipped (by reason), missing URLs and all archived articles."""
    check_tables(engine)
    month = func.substr(func.coalesce(listings.c.listed_date, listings.c.first_seen), 1, 7)
    conds = [listings.c.source_kind.in_(AUDITED_SOURCES)]
    if outlets:
        conds.append(listings.c.outlet.in_(outlets))
    if since_month:
        conds.append(month >= since_month)
    if until_month:
        conds.append(month <= until_month)
    # One row per listed URL (a URL listed by a sitemap and a feed counts once, at its earliest listing).
    per_url = (select(listings.c.outlet, listings.c.url, func.min(month).label("month"))
               .where(*conds).group_by(listings.c.outlet, listings.c.url).subquery("per_url"))
    is_archived = (exists(select(articles.c.id).where(articles.c.url == per_url.c.url))
                   | exists(select(article_urls.c.url).where(article_urls.c.url == per_url.c.url)))
    reason = (select(skips.c.reason).where(skips.c.url == per_url.c.url)
              .order_by(skips.c.at.desc()).limit(1).scalar_subquery())
    walked = listings.alias("walked")
    is_listing_page = exists(select(walked.c.url).where(walked.c.source_url == per_url.c.url,
                                                        walked.c.source_kind.in_(LISTING_PAGE_SOURCES)))
    stmt = select(per_url.c.outlet, per_url.c.month, per_url.c.url, is_archived.label("archived"),
                  reason.label("reason"), is_listing_page.label("listing_page")
                  ).order_by(per_url.c.outlet, per_url.c.month, per_url.c.url)
    result: dict[tuple[str, str], MonthAudit] = {}
    with engine.connect() as conn:
        rows = conn.execution_options(stream_results=True, yield_per=2000).execute(stmt)
        for outlet, m, url, is_arch, why, listing_page in rows:
            entry = result.setdefault((outlet, m), MonthAudit(outlet, m))
            if not is_arch and (listing_page or _is_root(url)):
                entry.listing_pages += 1
                continue
            entry.listed += 1
            if is_arch:
                entry.archived += 1
            elif why is not None:
                entry.skipped += 1
                entry.skip_reasons[why] = entry.skip_reasons.get(why, 0) + 1
            else:
                entry.missing += 1
                if len(entry.missing_urls) < list_missing:
                    entry.missing_urls.append(url)
        # Every archived article by publication month, to show what came from sections or links instead.
        amonth = func.substr(day_expr(engine), 1, 7)
        aconds: list[Any] = [articles.c.published_at.is_not(None)]
        if outlets:
            aconds.append(articles.c.outlet.in_(outlets))
        counts: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
        lang = func.coalesce(articles.c.language, "?")
        for outlet, m, language, n in conn.execute(
                select(articles.c.outlet, amonth, lang, func.count())
                .where(and_(*aconds)).group_by(articles.c.outlet, amonth, lang)):
            if m and (not since_month or m >= since_month) and (not until_month or m <= until_month):
                counts[(outlet, m)][language] = int(n)
    for key, by_language in counts.items():
        entry = result.setdefault(key, MonthAudit(*key))
        entry.articles, entry.languages = sum(by_language.values()), dict(sorted(by_language.items()))
    return [result[k] for k in sorted(result)]
