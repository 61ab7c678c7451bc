"""RSS and Atom feeds, read by feedparser (it copes with every dialect and most broken feeds)."""

from __future__ import annotations

import calendar
from datetime import datetime, timezone

import feedparser

from ..dates import stated_offset
from . import Listed


def parse_feed(body: bytes, base_url: str) -> list[Listed]:
    """Entries of an RSS/Atom feed with their updated (else published) time, newest information first."""
    parsed = feedparser.parse(body, response_headers={"content-location": base_url})
    entries = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not link:
            continue
        keys = entry.keys()  # real keys only: .get("updated_parsed") would trigger feedparser's fallback warning
        stamp = (entry["updated_parsed"] if "updated_parsed" in keys else None) or (
            entry["published_parsed"] if "published_parsed" in keys else None
        )
        date = (
            datetime.fromtimestamp(calendar.timegm(stamp), tz=timezone.utc).isoformat() if stamp else None
        )
        raw = entry["updated"] if "updated" in keys else entry["published"] if "published" in keys else None
        entries.append(Listed(url=link, date=date, offset=stated_offset(raw)))
    return entries


def feed_links(html_links: list[tuple[str, str]]) -> list[str]:
    """hrefs of ``<link rel="alternate">`` feeds, given (type, href) pairs; comment feeds are left out."""
    return [
        href
        for kind, href in html_links
        if kind in ("application/rss+xml", "application/atom+xml") and "comments" not in href.lower()
    ]
