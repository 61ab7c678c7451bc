"""Pages that are not articles come back with is_article False and a clear reason; nothing ever raises."""

import pytest

from newscrawl.extract import DEFAULT_MIN_TEXT_LENGTH, extract_article

KEYS = {"is_article", "reject_reason", "page_kind", "canonical_url", "title", "authors", "published_at",
        "modified_at", "section", "tags", "language", "image_url", "text"}
URL = "https://www.example.my/2024/03/05/some-story/"


def article(paragraphs, title="Kuching council approves new market"):
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<html lang="en"><head><title>{title}</title><meta property="og:type" content="article"></head>'
            f'<body class="single single-post"><article><h1>{title}</h1><div class="entry-content">{body}</div>'
            f"</article></body></html>")


@pytest.mark.parametrize("body, reason", [
    (b"", "empty_text"),
    (b"   \n ", "empty_text"),
    ("", "empty_text"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (b"<html>\x00\x00\x00\x01\x02</html>", "binary"),
    (None, "empty_text"),
    (12345, "undecodable"),
])
def test_bad_input(body, reason):
    r = extract_article(body, URL)
    assert set(r) == KEYS
    assert r["is_article"] is False and r["reject_reason"] == reason


def test_too_short_default_and_hint():
    html = article(["KUCHING: The city council approved a new wet market for Padungan on Tuesday."])
    r = extract_article(html, URL)
    assert r["is_article"] is False and r["reject_reason"] == "too_short"
    assert len(r["text"]) < DEFAULT_MIN_TEXT_LENGTH
    r = extract_article(html, URL, hints={"min_text_length": 20})
    assert r["is_article"] is True and r["reject_reason"] is None


def test_malay_error_page_without_wordpress_class():
    html = ("<html lang='ms'><head><title>Halaman tidak dijumpai - Utusan Borneo</title></head><body>"
            "<h1>Halaman tidak dijumpai</h1><p>Maaf, halaman yang anda cari tiada di laman ini.</p></body></html>")
    assert extract_article(html, URL)["reject_reason"] == "error_page"


def test_headline_mentioning_404_is_still_an_article():
    text = "KUCHING: Sarawak recorded 404 new dengue cases last week, the state health department said today. " * 4
    r = extract_article(article([text], title="Sarawak records 404 new dengue cases"), URL)
    assert r["is_article"] is True and r["title"] == "Sarawak records 404 new dengue cases"


def test_recaptcha_on_a_real_article_is_not_a_challenge():
    html = article(["KUCHING: The state government will build 12 new flood retention ponds around Kuching. " * 5])
    html = html.replace("</body>", '<form id="commentform"><div class="g-recaptcha"></div></form></body>')
    assert extract_article(html, URL)["is_article"] is True


@pytest.mark.parametrize("title", ["Just a moment...", "Attention Required! | Cloudflare"])
def test_challenge_titles(title):
    html = f"<html><head><title>{title}</title></head><body><p>Checking your browser before accessing.</p></body></html>"
    assert extract_article(html.encode(), URL)["reject_reason"] == "bot_challenge"


@pytest.mark.parametrize("junk", ["<<<>>>", "<html><body></body></html>", "\ufffe\uffff", "<?xml version='1.0'?><x/>",
                                  b"\xff\xfe\xfd garbage \x80\x81"])
def test_never_raises(junk):
    r = extract_article(junk, "not a url", encoding="bogus", hints={"timezone": "Mars/Olympus", "min_text_length": "x"})
    assert set(r) == KEYS and r["is_article"] is False
