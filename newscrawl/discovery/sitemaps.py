"""Sitemaps: indexes, URL sets and Google News sitemaps (sitemaps.org protocol and its news extension)."""

from __future__ import annotations

import re
import struct
from io import BytesIO

from lxml import etree
from scrapy.utils.gz import gunzip

from ..dates import stated_offset, to_iso
from . import Listed

# Child sitemaps that list no articles: users/authors, tags, static pages, taxonomies (WordPress core, Yoast,
# Rank Math names). Sections are discovered from the homepage instead, so skipping them saves requests.
NON_ARTICLE_SITEMAP = re.compile(
    r"(users?|authors?)[-_]|(post_tag|tag|page|category|taxonom\w*|format|attachment)[-_]?sitemap|"
    r"sitemap[-_](users?|authors?|taxonomies|posts-page|page|category|tag)|posts-page-|taxonomies-",
    re.IGNORECASE,
)

PROTOCOL_MAX_URLS = 50_000  # sitemaps.org: at most 50,000 URLs and 50 MB (uncompressed) per sitemap file
PROTOCOL_MAX_BYTES = 50 * 1024 * 1024


class BadSitemap(Exception):
    """A sitemap that cannot be read: ``reason`` is the counted skip reason."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def sitemap_xml(body: bytes, max_size: int) -> bytes:
    """The XML of a sitemap file: gunzipped when it is a ``.gz`` file (at most ``max_size`` bytes, so a gzip bomb
    stops there), as is otherwise. Raises :class:`BadSitemap` (``too_large`` or ``bad_gzip``)."""
    if body[:2] != b"\x1f\x8b":
        return body
    try:
        return gunzip(body, max_size=max_size)
    except ValueError as exc:  # Scrapy's _DecompressionMaxSizeExceeded
        raise BadSitemap("too_large", f"over {max_size} bytes once gunzipped") from exc
    except (OSError, EOFError, struct.error) as exc:
        raise BadSitemap("bad_gzip", f"not a readable gzip file ({exc})") from exc


def read_sitemap(body: bytes, limit: int | None = None) -> tuple[list[Listed], int]:
    """Entries of a sitemap or sitemap index (child sitemaps marked ``is_sitemap``), at most ``limit``, and how
    many more it listed.

    Streamed: each ``<url>``/``<sitemap>`` element is read, then freed, so a 50 MB sitemap never becomes a 50 MB
    tree. The date of an entry is its Google News ``publication_date`` when present (the publication time), else
    its ``lastmod``. Unparseable XML gives the entries read before the error (none for a page that is not XML).
    """
    entries: list[Listed] = []
    over = 0
    parser = etree.iterparse(BytesIO(body.strip()), events=("end",), resolve_entities=False, no_network=True,
                             recover=True, huge_tree=True)
    try:
        for _, node in parser:
            root = node.getparent()
            if root is None or root.getparent() is not None:
                continue  # the root itself, or a field inside an entry (read with its entry)
            if limit is not None and len(entries) >= limit:
                over += 1
            elif (entry := _entry(node, _local(root.tag) == "sitemapindex")) is not None:
                entries.append(entry)
            node.clear()
            while node.getprevious() is not None:  # entries already read: free them
                del root[0]
    except (etree.XMLSyntaxError, ValueError):
        pass
    return entries, over


def _entry(node: etree._Element, is_index: bool) -> Listed | None:
    loc = lastmod = news_date = None
    for child in node.iter():
        name = _local(child.tag)
        if name == "loc" and loc is None:
            loc = (child.text or "").strip()
        elif name == "lastmod":
            lastmod = (child.text or "").strip()
        elif name == "publication_date":
            news_date = (child.text or "").strip()
    raw = news_date or lastmod
    return Listed(url=loc, date=to_iso(raw), is_sitemap=is_index, offset=stated_offset(raw)) if loc else None


def parse_sitemap(body: bytes) -> list[Listed]:
    """Every entry of a sitemap or sitemap index (see :func:`read_sitemap`)."""
    return read_sitemap(body)[0]


def lists_articles(sitemap_url: str) -> bool:
    """Whether a child sitemap (by its URL) may list articles."""
    return not NON_ARTICLE_SITEMAP.search(sitemap_url.rsplit("/", 1)[-1])
