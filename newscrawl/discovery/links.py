"""Links of listing pages (homepage, sections): which are articles to fetch, sections to walk, pages of a section.

The decision is from URL shape only, because it happens before a request; the fetched page then proves itself
an article (or not) from its own evidence in ``newscrawl.extract.classify_page``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urljoin, urlsplit

from parsel import Selector

from ..urls import clean_url

# Longer URLs are skipped unread (counted): no article has one, the archive's URL columns hold 2048 characters,
# and it bounds the work every URL pattern does on a hostile page's links.
MAX_URL_LENGTH = 2048

# Never worth a request from a listing: feeds, admin, search, comments, sharing, attachments, tag/author lists.
SKIP_PATH = re.compile(
    r"/(wp-admin|wp-login\.php|wp-json|wp-content|wp-includes|xmlrpc\.php|feed|comments|trackback|embed|"
    r"tag|tags|author|search|cart|checkout|my-account|login|register|subscribe)(/|$)|"
    r"\.(jpe?g|png|gif|webp|svg|pdf|zip|mp3|mp4|docx?|xlsx?|pptx?|css|js|xml|json|rss)$",
    re.IGNORECASE,
)
SKIP_QUERY = re.compile(r"(^|&)(s|replytocom|share|print|output|preview|attachment_id)=", re.IGNORECASE)
SECTION_PATH = re.compile(r"/(category|section|kategori|topics?|news-category)/", re.IGNORECASE)
PAGINATION = re.compile(r"/page/(\d+)/?$|[?&](paged|page)=(\d+)", re.IGNORECASE)


def link_kind(url: str) -> str:
    """'skip', 'pagination', 'section' or 'candidate' for a same-outlet link found on a listing page."""
    parts = urlsplit(url)
    if SKIP_PATH.search(parts.path) or SKIP_QUERY.search(parts.query):
        return "skip"
    if parts.path in ("", "/") and not parts.query:
        return "skip"  # the homepage itself
    if PAGINATION.search(parts.path + ("?" + parts.query if parts.query else "")):
        return "pagination"
    if SECTION_PATH.search(parts.path):
        return "section"
    return "candidate"


def page_number(url: str) -> int:
    """The page number of a paginated listing URL (1 when it is the first page)."""
    match = PAGINATION.search(url)
    if not match:
        return 1
    return int(match.group(1) or match.group(3))


@dataclass
class PageLinks:
    """What a homepage or section page links to (see :func:`page_links`)."""

    alternates: list[tuple[str, str]] = field(default_factory=list)  # (type, absolute href) of rel=alternate
    links: list[tuple[str, str, str]] = field(default_factory=list)  # (absolute href, clean URL, link_kind)
    too_long: int = 0  # hrefs over MAX_URL_LENGTH
    unread: int = 0  # hrefs left unread past the limit


def page_links(text: str, base_url: str, in_scope: Callable[[str], bool], limit: int) -> PageLinks:
    """The in-scope links of a listing page worth a decision (not ``skip``), in page order, at most ``limit``.

    Pure: it runs in a thread, so a page of 100,000 links does not stall the reactor while it is read.
    """
    selector = Selector(text=text)
    found = PageLinks(alternates=[(link.attrib.get("type", ""), urljoin(base_url, link.attrib.get("href", "")))
                                  for link in selector.css('link[rel="alternate"]')])
    hrefs = selector.css("a::attr(href)").getall()
    for i, href in enumerate(hrefs):
        if len(found.links) >= limit:
            found.unread = len(hrefs) - i
            break
        if len(href) > MAX_URL_LENGTH:
            found.too_long += 1
            continue
        raw = urljoin(base_url, href)
        url = clean_url(raw)
        if url and in_scope(url) and (kind := link_kind(url)) != "skip":
            found.links.append((raw, url, kind))
    return found
