from newscrawl.discovery.feeds import feed_links, parse_feed
from newscrawl.discovery.links import link_kind, page_number
from newscrawl.discovery.robots import sitemaps_from_robots
from newscrawl.discovery.sitemaps import lists_articles, parse_sitemap
from newscrawl.spiders.sarawak import declared_links

INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://example.com/post-sitemap.xml</loc><lastmod>2024-03-05T10:00:00+08:00</lastmod></sitemap>
  <sitemap><loc>https://example.com/page-sitemap.xml</loc></sitemap>
</sitemapindex>"""

NEWS = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://example.com/2024/03/05/a/</loc><lastmod>2024-03-06T01:00:00+00:00</lastmod>
    <news:news><news:publication><news:name>X</news:name><news:language>en</news:language></news:publication>
    <news:publication_date>2024-03-05T14:20:00+08:00</news:publication_date><news:title>A</news:title></news:news>
  </url>
  <url><loc>https://example.com/2024/03/06/b/</loc><lastmod>2024-03-06</lastmod></url>
</urlset>"""

RSS = b"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>X</title>
<item><title>A</title><link>https://example.com/a/?utm_source=rss</link>
<pubDate>Tue, 05 Mar 2024 14:20:00 +0800</pubDate></item>
<item><title>No link</title></item></channel></rss>"""


def test_sitemap_index_entries_are_sitemaps_with_dates():
    entries = parse_sitemap(INDEX)
    assert [(e.url, e.date, e.is_sitemap) for e in entries] == [
        ("https://example.com/post-sitemap.xml", "2024-03-05T10:00:00+08:00", True),
        ("https://example.com/page-sitemap.xml", None, True),
    ]


def test_news_sitemap_prefers_publication_date_and_dates_get_offset():
    entries = parse_sitemap(NEWS)
    assert [(e.url, e.date) for e in entries] == [
        ("https://example.com/2024/03/05/a/", "2024-03-05T14:20:00+08:00"),
        ("https://example.com/2024/03/06/b/", "2024-03-06T00:00:00+08:00"),
    ]


def test_broken_sitemap_gives_nothing():
    assert parse_sitemap(b"<html><body>Not found</body></html>") == []
    assert parse_sitemap(b"") == []


def test_non_article_sitemaps_are_recognised():
    assert lists_articles("https://example.com/post-sitemap2.xml")
    assert lists_articles("https://example.com/wp-sitemap-posts-post-1.xml")
    assert lists_articles("https://example.com/news-sitemap.xml")
    for name in ("page-sitemap.xml", "author-sitemap.xml", "wp-sitemap-users-1.xml",
                 "wp-sitemap-taxonomies-category-1.xml", "wp-sitemap-posts-page-1.xml", "post_tag-sitemap.xml"):
        assert not lists_articles("https://example.com/" + name), name


def test_feed_entries_with_utc_dates():
    entries = parse_feed(RSS, "https://example.com/feed/")
    assert [(e.url, e.date) for e in entries] == [("https://example.com/a/?utm_source=rss", "2024-03-05T06:20:00+00:00")]


def test_feed_links_skip_comment_feeds():
    assert feed_links([("application/rss+xml", "https://e.com/feed/"),
                       ("application/rss+xml", "https://e.com/comments/feed/"),
                       ("text/css", "https://e.com/s.css")]) == ["https://e.com/feed/"]


def test_robots_sitemap_lines():
    robots = "User-agent: *\nDisallow: /wp-admin/\nSitemap: https://example.com/sitemap_index.xml\nSitemap: /news.xml\n"
    assert sitemaps_from_robots(robots, "https://example.com/robots.txt") == [
        "https://example.com/sitemap_index.xml", "https://example.com/news.xml"]


def test_link_kinds():
    assert link_kind("https://e.com/category/sarawak/") == "section"
    assert link_kind("https://e.com/category/sarawak/page/2/") == "pagination"
    assert page_number("https://e.com/category/sarawak/page/2/") == 2
    assert link_kind("https://e.com/2024/03/05/dam-project/") == "candidate"
    for url in ("https://e.com/tag/kuching/", "https://e.com/author/jane/", "https://e.com/?s=dam",
                "https://e.com/wp-admin/", "https://e.com/feed/", "https://e.com/wp-content/x.jpg", "https://e.com/"):
        assert link_kind(url) == "skip", url


def test_declared_links_read_amphtml_and_shortlink_without_parsing() -> None:
    page = """<head><link rel="canonical" href="https://example.com/a/">
    <LINK href='https://example.com/a/amp/?x=1&amp;y=2' rel='amphtml' />
    <link rel=shortlink href=https://example.com/?p=5><link rel="alternate amphtml" href="">
    <link rel="stylesheet" href="/style.css"></head><body><p>link rel="amphtml" href="/not-a-tag"</p>"""
    assert declared_links(page) == ["https://example.com/a/amp/?x=1&y=2", "https://example.com/?p=5"]
