"""Links of listing pages (homepage, sections): which are articles to fetch, sections to walk, pages of a section.

The decision is from URL shape only, because it happens before a request; the fetched page then proves itself
an article (or not) from its own evidence in ``newscrawl.extract.classify_page``.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

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
