"""Metadata precedence and normalisation: dates with offsets, clean author lists, headline titles, language."""

from datetime import timedelta, timezone

import pytest

from newscrawl.extract import extract_article
from newscrawl.extract.meta import clean_authors, normalize_date, parse_tz, parse_visible_date, strip_site_suffix

MYT = timezone(timedelta(hours=8))
PROSE = "".join(f"<p>KUCHING: Paragraph {i} of a story about the state budget and what it means for rural roads.</p>"
                for i in range(5))


@pytest.mark.parametrize("raw, expected", [
    ("2024-03-05T14:20:00+08:00", "2024-03-05T14:20:00+08:00"),
    ("2024-03-05T06:20:00Z", "2024-03-05T06:20:00+00:00"),  # UTC kept as given, with its offset
    ("2024-03-05T06:20:00+0000", "2024-03-05T06:20:00+00:00"),
    ("2024-03-05 14:20:00", "2024-03-05T14:20:00+08:00"),  # naive -> hint timezone
    ("2024-03-05T14:20:00.123456789", "2024-03-05T14:20:00+08:00"),
    ("2024-03-05", "2024-03-05T00:00:00+08:00"),  # date only -> midnight, hint timezone
    ("5 Mac 2024", "2024-03-05T00:00:00+08:00"),
    ("not a date", None),
    ("", None),
])
def test_normalize_date(raw, expected):
    assert normalize_date(raw, MYT) == expected


@pytest.mark.parametrize("text, expected", [
    ("Selasa, 5 Mac 2024, 2:20 petang", "2024-03-05T14:20:00+08:00"),
    ("12 Ogos 2023 10.30 pagi", "2023-08-12T10:30:00+08:00"),
    ("1 Disember 2023, 8:15 malam", "2023-12-01T20:15:00+08:00"),
    ("Julai 4, 2024", "2024-07-04T00:00:00+08:00"),
    ("March 5, 2024 @ 2:20 PM", "2024-03-05T14:20:00+08:00"),
    ("Posted on 05/03/2024", "2024-03-05T00:00:00+08:00"),
    ("no date here", None),
])
def test_visible_dates(text, expected):
    assert parse_visible_date(text, MYT) == expected


def test_timezone_hint_forms():
    assert parse_tz("+07:00").utcoffset(None) == timedelta(hours=7)
    assert normalize_date("2024-01-01 09:00", parse_tz("Asia/Kuching")) == "2024-01-01T09:00:00+08:00"
    assert parse_tz("garbage") is None and parse_tz(None) is None  # no evidence, no zone


@pytest.mark.parametrize("raw, expected", [
    (["By Lian Cheng"], ["Lian Cheng"]),
    (["Oleh Ahmad Fauzi dan Siti Nurhaliza"], ["Ahmad Fauzi", "Siti Nurhaliza"]),
    (["Marcus Lim and Nur Ain"], ["Marcus Lim", "Nur Ain"]),
    (["A. Rahman, Jane Doe & Wong Kai"], ["A. Rahman", "Jane Doe", "Wong Kai"]),
    (["https://www.facebook.com/someone", "Jane Doe", "Jane Doe"], ["Jane Doe"]),
])
def test_clean_authors(raw, expected):
    assert clean_authors(raw) == expected


@pytest.mark.parametrize("title, expected", [
    ("Sarawak budget passed | The Borneo Post", "Sarawak budget passed"),
    ("Sarawak budget passed - The Borneo Post", "Sarawak budget passed"),
    ("The Borneo Post | Sarawak budget passed", "Sarawak budget passed"),
    ("Premier: budget passed – DayakDaily", "Premier: budget passed"),
    ("Minister - budget will pass", "Minister - budget will pass"),  # no site name: left alone
])
def test_strip_site_suffix(title, expected):
    assert strip_site_suffix(title, ["The Borneo Post", "DayakDaily"], None) == expected


def test_h1_is_the_head_of_the_title():
    assert strip_site_suffix("Budget passed | Some Paper Online", [], "Budget passed") == "Budget passed"


def test_og_beats_visible_and_language_comes_from_the_text():
    html = ('<html><head><title>T - Site</title><meta property="og:type" content="article">'
            '<meta property="og:site_name" content="Site"><meta property="og:title" content="Budget day - Site">'
            '<meta property="article:published_time" content="2024-02-01T10:00:00+08:00">'
            '<meta property="article:section" content="Politik"><meta property="article:tag" content="Bajet">'
            '</head><body class="single-post"><h1>Budget day</h1>'
            '<time datetime="2020-01-01T00:00:00+08:00">1 Jan 2020</time>' + PROSE + "</body></html>")
    r = extract_article(html, "https://s.my/budget-day/", hints={"language": "ms"})
    # the outlet mostly writes Malay, but this page's text is plainly English
    assert (r["title"], r["published_at"], r["section"], r["tags"], r["language"]) == (
        "Budget day", "2024-02-01T10:00:00+08:00", "Politik", ["Bajet"], "en")


def test_naive_meta_date_gets_hint_timezone():
    html = ('<html lang="en"><head><meta property="og:type" content="article">'
            '<meta property="article:published_time" content="2024-02-01 10:00:00"></head>'
            '<body class="single-post"><h1>Budget day</h1>' + PROSE + "</body></html>")
    r = extract_article(html, "https://s.my/budget-day/", hints={"timezone": "+07:00"})
    assert r["published_at"] == "2024-02-01T10:00:00+07:00"
