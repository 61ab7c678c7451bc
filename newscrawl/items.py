"""What travels through the item pipelines.

The spider yields one ``ArticleItem`` per fetched candidate page carrying the raw page (``body``) and how it was
found; ``ExtractPipeline`` fills the article fields and drops ``body``. Keeping the raw page on the item (instead of
extracting in the spider callback) lets extraction run as its own stage, off the reactor thread.
"""

from __future__ import annotations

import scrapy

from . import record
from .store.schema import articles

# The fields of the article record that extraction fills (title, authors, ... text: newscrawl/record.py).
_EXTRACTED = {name: scrapy.Field() for name in record.EXTRACTED}


class ArticleItem(scrapy.Item):
    # -- set by the spider: the fetch --
    url = scrapy.Field()  # final URL of the response (after redirects)
    requested_urls = scrapy.Field()  # every URL that led here: as listed, before redirects
    outlet = scrapy.Field()  # outlet key from outlets.json, or the host of an ad-hoc `-a site=` root
    body = scrapy.Field()  # raw bytes of the page; removed once extracted
    encoding = scrapy.Field()  # encoding Scrapy decided from HTTP header / BOM / meta
    status = scrapy.Field()  # HTTP status of the fetch
    found_via = scrapy.Field()  # URL of the sitemap, feed or section page that listed the page
    listed_date = scrapy.Field()  # lastmod / pubDate the listing gave, ISO 8601, or None
    fetched_at = scrapy.Field()  # UTC ISO 8601
    hints = scrapy.Field()  # outlet extraction hints (dict) from outlets.json
    page_kind = scrapy.Field()  # 'article' when the spider classified the page in full (else extraction does)
    capture = scrapy.Field()  # WARC pointer (newscrawl.warc.capture): a Future, then a store.captures.Capture

    # -- set by ExtractPipeline: the verdict, and the record's extracted fields (_EXTRACTED, added below) --
    is_article = scrapy.Field()
    reject_reason = scrapy.Field()
    canonical_url = scrapy.Field()
    minhash = scrapy.Field()  # near-duplicate signature computed in the extraction worker
    locals().update(_EXTRACTED)  # Scrapy's ItemMeta collects Field attributes of the class body

    # -- set by the storage stages --
    url_variants = scrapy.Field()  # normalised URLs that all mean this article
    content_hash = scrapy.Field()
    article_id = scrapy.Field()
    store_status = scrapy.Field()  # new | near_duplicate | updated | unchanged | duplicate_content


class UrlAliasItem(scrapy.Item):
    """A URL variant seen after its article was already yielded: filed in ``article_urls`` only."""

    url = scrapy.Field()
    alias_of = scrapy.Field()  # the cleaned URL the article was fetched from


# What a feed export (`scrapy crawl sarawak -O items.jsonl`) carries: the article as the archive holds it, one field
# per column of `articles` (declared once, in newscrawl/store/schema.py). StorePipeline emits it for every stored article.
ArticleRecord = type("ArticleRecord", (scrapy.Item,), {
    "__doc__": "An archived article, as its `articles` row (the feed-export item).",
    "__module__": __name__,
    **{column.name: scrapy.Field() for column in articles.columns},
})
