"""classify_page decides from page evidence (JSON-LD, og:type, body classes, rel=next, URL shape, links)."""

import pathlib

import pytest

from newscrawl.extract import classify_page

PAGES = pathlib.Path(__file__).parent / "pages"
NEUTRAL = "https://news.example.my/x"  # a URL that says nothing, so the page's own evidence decides


def page(name):
    return (PAGES / f"{name}.html").read_bytes().decode("utf-8", "replace")


@pytest.mark.parametrize("name, kind", [
    ("borneopost_article", "article"), ("dayakdaily_article", "article"), ("utusanborneo_malay_article", "article"),
    ("borneopost_listing", "listing"), ("borneopost_about", "other"),
])
def test_saved_pages_without_url_help(name, kind):
    assert classify_page(page(name), NEUTRAL) == kind


@pytest.mark.parametrize("body_class, kind", [
    ("archive tag tag-kuching", "listing"), ("archive author author-lian", "listing"),
    ("search search-results", "listing"), ("home blog", "listing"),
    ("single single-post postid-1", "article"), ("page-template-default page page-id-3", "other"),
])
def test_wordpress_body_classes(body_class, kind):
    html = f'<html><body class="{body_class}"><h1>x</h1><p>short</p></body></html>'
    assert classify_page(html, NEUTRAL) == kind


@pytest.mark.parametrize("ld_type, kind", [
    ("NewsArticle", "article"), ("BlogPosting", "article"), ("ReportageNews", "article"),
    ("CollectionPage", "listing"), ("SearchResultsPage", "listing"), ("ProfilePage", "listing"),
    ("WebPage", "other"),
])
def test_json_ld_type(ld_type, kind):
    html = (f'<html><head><script type="application/ld+json">{{"@type": "{ld_type}"}}</script></head>'
            f"<body><p>text</p></body></html>")
    assert classify_page(html, NEUTRAL) == kind


@pytest.mark.parametrize("url", ["https://x.my/category/sarawak/", "https://x.my/tag/flood/", "https://x.my/author/ali/",
                                 "https://x.my/news/page/3/", "https://x.my/?s=banjir", "https://x.my/"])
def test_url_shape_when_page_says_nothing(url):
    assert classify_page("<html><body><p>x</p></body></html>", url) == "listing"


def test_many_article_links_and_no_prose_is_listing():
    links = "".join(f'<li><a href="/2024/03/0{i % 9 + 1}/story-number-{i}-about-kuching-news/">Story {i}</a></li>'
                    for i in range(30))
    assert classify_page(f"<html><body><ul>{links}</ul></body></html>", NEUTRAL) == "listing"


def test_plain_prose_page_is_article():
    prose = "".join(f"<p>{'KUCHING: The council met today to discuss drainage works in Petra Jaya. ' * 3}</p>"
                    for _ in range(6))
    assert classify_page(f"<html><body>{prose}</body></html>", NEUTRAL) == "article"


def test_garbage_is_other():
    assert classify_page("", NEUTRAL) == "other"


def test_a_kind_the_spider_decided_is_not_decided_again(monkeypatch):
    """The spider classifies pages that do not claim to be articles; extraction takes that verdict."""
    import newscrawl.extract as extract

    html = page("borneopost_article")
    calls = []
    real = extract.classify_tree
    monkeypatch.setattr(extract, "classify_tree", lambda *a, **k: calls.append(1) or real(*a, **k))
    decided = extract.extract_article(html.encode(), "https://www.theborneopost.com/2024/03/05/x/",
                                      hints={"page_kind": "article"})
    assert calls == [] and decided["is_article"] and decided["page_kind"] == "article"
    undecided = extract.extract_article(html.encode(), "https://www.theborneopost.com/2024/03/05/x/")
    assert calls == [1] and undecided["text"] == decided["text"]
