"""Bytes are decoded with Scrapy's encoding unless that yields replacement characters or mojibake."""

import pathlib

import pytest

from newscrawl.extract import extract_article
from newscrawl.extract.decode import decode_body

PAGES = pathlib.Path(__file__).parent / "pages"
CP1252 = (PAGES / "cp1252_article.html").read_bytes()
URL = "https://sarawakweekly.example/2023/11/20/cafe-owners-rally/"


@pytest.mark.parametrize("encoding", ["cp1252", "windows-1252", "iso-8859-1", "utf-8", None])
def test_cp1252_page_whatever_was_declared(encoding):
    r = extract_article(CP1252, URL, encoding=encoding)
    assert r["title"] == "Kuching café owners rally behind “Cleaner River” campaign"
    assert r["authors"] == ["Renée Tan"]
    assert "the state’s “Cleaner River” campaign." in r["text"]
    assert "every day – it’s bad" in r["text"]
    assert "\ufffd" not in r["text"] and "â€" not in r["text"]


def test_utf8_page_declared_cp1252_is_read_as_utf8():
    body = (PAGES / "dayakdaily_article.html").read_bytes()
    r = extract_article(body, "https://dayakdaily.com/x/", encoding="cp1252")
    assert "Sarawak’s green hydrogen hub" in r["text"]
    assert "â€" not in r["text"]


def test_bom_wins():
    assert decode_body("\ufeff<p>café</p>".encode("utf-8"), "cp1252") == "<p>café</p>"


def test_unknown_encoding_label_falls_back():
    assert decode_body("<p>Kuching’s</p>".encode("utf-8"), "no-such-codec") == "<p>Kuching’s</p>"


def test_str_body_is_used_as_is():
    assert decode_body("<p>é</p>", "ascii") == "<p>é</p>"
