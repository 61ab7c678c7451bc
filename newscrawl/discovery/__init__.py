"""Discovery: the surfaces every WordPress news site serves that list its articles.

- ``robots``: ``Sitemap:`` lines of robots.txt and the conventional sitemap locations;
- ``sitemaps``: sitemap indexes, URL sets and Google News sitemaps, with their dates;
- ``feeds``: RSS/Atom feeds through feedparser;
- ``links``: links of the homepage and section pages, sorted into articles, sections and pagination.

Each parser takes bytes/text and returns plain records, so it is testable without Scrapy.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Listed:
    """One URL a listing surface gave, with the date the surface gave for it (ISO 8601, or None)."""

    url: str
    date: str | None = None
    is_sitemap: bool = False  # a child sitemap of a sitemap index
    offset: str | None = None  # the UTC offset the surface wrote its date with: the site's zone, for naive page times
