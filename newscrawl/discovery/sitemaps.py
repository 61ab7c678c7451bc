"""Sitemaps: indexes, URL sets and Google News sitemaps (sitemaps.org protocol and its news extension)."""

from __future__ import annotations

import re

from lxml import etree

from . import Listed
from ..dates import to_iso

# Child sitemaps that list no articles: users/authors, tags, static pages, taxonomies (WordPress core, Yoast,
# Rank Math names). Sections are discovered from the homepage instead, so skipping them saves requests.
NON_ARTICLE_SITEMAP = re.compile(
    r"(users?|authors?)[-_]|(post_tag|tag|page|category|taxonom\w*|format|attachment)[-_]?sitemap|"
    r"sitemap[-_](users?|authors?|taxonomies|posts-page|page|category|tag)|posts-page-|taxonomies-",
    re.IGNORECASE,
)

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=True)


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse_sitemap(body: bytes) -> list[Listed]:
    """Entries of a sitemap or sitemap index; child sitemaps are marked ``is_sitemap``.

    The date of an entry is its Google News ``publication_date`` when present (the publication time), else its
    ``lastmod``. Unparseable XML gives an empty list.
    """
    try:
        root = etree.fromstring(body.strip(), parser=_PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return []
    if root is None:
        return []
    is_index = _local(root.tag) == "sitemapindex"
    entries = []
    for node in root:
        loc = lastmod = news_date = None
        for child in node.iter():
            name = _local(child.tag)
            if name == "loc" and loc is None:
                loc = (child.text or "").strip()
            elif name == "lastmod":
                lastmod = (child.text or "").strip()
            elif name == "publication_date":
                news_date = (child.text or "").strip()
        if loc:
            entries.append(Listed(url=loc, date=to_iso(news_date or lastmod), is_sitemap=is_index))
    return entries


def lists_articles(sitemap_url: str) -> bool:
    """Whether a child sitemap (by its URL) may list articles."""
    return not NON_ARTICLE_SITEMAP.search(sitemap_url.rsplit("/", 1)[-1])
