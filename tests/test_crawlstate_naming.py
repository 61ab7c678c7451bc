"""Which URL names an article met at several URLs: the one the outlet lists, but only for the same page."""

from newscrawl.store.archive import Archive
from newscrawl.store.crawlstate import CrawlState

TEXT = ("KUCHING: The state's new river transport plan was unveiled on Monday, promising more frequent express "
        "boat services along the Rajang and better jetties for riverine communities in Kapit and Belaga.\n") * 3


def _article(url: str, title: str) -> dict:
    return {"url": url, "outlet": "x", "title": title, "text": TEXT, "fetched_at": "2024-03-05T00:00:00+00:00"}


def _setup(tmp_path):
    archive = Archive.open(f"sqlite:///{tmp_path}/a.sqlite3")
    state = CrawlState(archive)
    state.start_run("sarawak", {})
    first, status = archive.store(_article("https://e.com/news/a/", "River plan unveiled"), ["https://e.com/news/a/"])
    assert status == "new"
    same, status = archive.store(_article("https://e.com/2024/03/a/", "River plan unveiled"), ["https://e.com/2024/03/a/"])
    assert (same, status) == (first, "duplicate_content")
    state.listed("https://e.com/2024/03/a/", "x", "https://e.com/sitemap.xml", "sitemap", None)
    return archive, state, first


def test_the_listed_url_names_the_same_page(tmp_path):
    archive, state, article_id = _setup(tmp_path)
    assert state.adopt_listed_variant(article_id, ["https://e.com/2024/03/a/"], "River plan unveiled")
    assert archive.get_article(article_id)["url"] == "https://e.com/2024/03/a/"
    assert archive.urls_for(article_id) == {"https://e.com/2024/03/a/": "canonical",
                                            "https://e.com/news/a/": "same_text"}


def test_identical_text_under_another_headline_keeps_the_first_name(tmp_path):
    archive, state, article_id = _setup(tmp_path)
    assert not state.adopt_listed_variant(article_id, ["https://e.com/2024/03/a/"], "Jetty upgrade begins")
    assert not state.adopt_listed_url("https://e.com/2024/03/a/")  # a same_text alias: the store decides
    assert archive.get_article(article_id)["url"] == "https://e.com/news/a/"
