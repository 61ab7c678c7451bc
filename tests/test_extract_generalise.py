"""Failure classes seen on real publisher pages outside our fixtures, each on a page written for the test.

Lost articles (pruning a container that holds the story, the fast pass finding only a menu), calls to action
without class names, non-articles with article markup, metadata defaults that were not evidence.
"""

from __future__ import annotations

import json

import pytest
from lxml.html import fromstring

from newscrawl.extract import body as B
from newscrawl.extract import body_text, extract_article

STORY = [
    "SIBU: Flood victims in three longhouses along the Batang Rajang were moved to a relief centre at a school "
    "hall yesterday after the river rose two metres overnight.",
    "The district officer said 214 people from 61 families had registered at the centre by 6pm, and that food "
    "supplies for five days had been delivered by boat before the road to the school was cut off.",
    "Residents said the water had entered their homes shortly after midnight, giving them little time to move "
    "their belongings and livestock to higher ground.",
    "The Meteorological Department has forecast continuous rain in the interior until the weekend.",
]
PROSE = "".join(f"<p>{p}</p>" for p in STORY)
MENU = "<ul>" + "".join(f"<li><a href='/s{i}/'>Section {i}</a></li>" for i in range(40)) + "</ul>"


def page(body: str, head: str = "", body_class: str = "single-post") -> str:
    return (f"<html lang='en'><head><title>Flood victims moved to relief centre - Sibu Times</title>"
            f"<meta property='og:type' content='article'>{head}</head><body class='{body_class}'>"
            f"<nav>{MENU}</nav><h1>Flood victims moved to relief centre</h1>{body}"
            "<footer><p>Copyright Sibu Times</p></footer></body></html>")


# --- never lose the article -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("wrapper", [
    "<div class='widget-area main-col'>{}</div>",          # a theme's generic widget token on the main column
    "<aside class='content'>{}</aside>",                    # the story inside an <aside>
    "<div class='td-a-rec'><section>{}</section></div>",   # an ad-slot class on a wrapper
])
def test_container_holding_the_article_is_not_pruned(wrapper):
    text = body_text(page(wrapper.format(PROSE)), "https://sibutimes.example/2024/01/05/flood-relief/")
    assert all(p in text for p in STORY)


def test_json_ld_article_body_protects_its_container():
    # the story holds less than half of the page's prose here (a long reader discussion), so only the
    # articleBody anchor can tell that the "sidebar" div is the article
    comments = "".join(f"<p>Reader {i} wrote a long comment about the floods and the relief work in the district "
                       f"over many years of living by the river.</p>" for i in range(8))
    html = page(f"<div class='sidebar'>{PROSE}</div><div class='discussion'>{comments}</div>")
    tree = fromstring(html)
    B.prune_tree(tree, None, "\n".join(STORY))
    assert STORY[0] in tree.text_content()
    tree = fromstring(html)
    B.prune_tree(tree)  # without the anchor the class decides
    assert STORY[0] not in tree.text_content()


def test_boilerplate_that_holds_little_prose_is_still_pruned():
    html = page(f"<div class='entry-content'>{PROSE}</div><div class='sidebar'><p>Most read: a much shorter "
                "list of other headlines that readers clicked on this week.</p></div>")
    text = body_text(html, "https://sibutimes.example/2024/01/05/flood-relief/")
    assert STORY[1] in text and "Most read" not in text


@pytest.mark.parametrize("text, page_prose, article_body, expected", [
    ("", 0, None, True),                                                       # nothing found
    ("\n".join(f"Section {i}" for i in range(60)) + "\n" + STORY[0], 600, None, True),  # a menu, one line of prose
    (STORY[0], 2000, None, True),                                              # the lead of a much longer page
    ("\n".join(STORY), 700, None, False),                                      # the story
    ("\n".join(STORY), 700, "\n".join(STORY * 4), True),                       # far less than the articleBody
])
def test_when_the_fallback_runs(text, page_prose, article_body, expected):
    assert B.needs_fallback(text, page_prose, article_body) is expected


def test_fast_pass_finding_a_menu_runs_the_fallback(monkeypatch):
    calls = []

    def fake_extract(tree, **kw):
        calls.append(kw["fast"])
        return "\n".join(f"Menu item {i}" for i in range(50)) if kw["fast"] else "\n".join(STORY)

    monkeypatch.setattr(B.trafilatura, "extract", fake_extract)
    text = body_text(page(f"<div>{PROSE}</div>"), "https://sibutimes.example/a/")
    assert calls == [True, False] and text.splitlines() == STORY


# --- calls to action without class names ----------------------------------------------------------------------------

@pytest.mark.parametrize("cta, leftover", [
    ("<h3>Subscribe to our newsletter</h3><p>The day's top Sarawak stories, every morning in your inbox.</p>"
     "<p><a href='/newsletter'>Sign me up</a></p>", ["inbox", "Sign me up", "Subscribe"]),
    ("<div><p><strong>Follow us on Facebook and Telegram</strong></p><p><a href='#'>Facebook</a> · "
     "<a href='#'>Telegram</a></p></div>", ["Follow us", "Telegram"]),
    ("<p>Download our app for breaking news alerts</p><p><a href='#'>App Store</a> | <a href='#'>Google Play</a></p>",
     ["Download our app", "Google Play"]),
    ("<h4>Support independent journalism</h4><p>Your donation keeps our reporters in the interior.</p>"
     "<p><a href='/donate'>Donate now</a></p>", ["donation", "Donate now"]),
    ("<div><h3>Langgan surat berita kami</h3><p>Berita terkini terus ke peti masuk anda setiap pagi.</p></div>",
     ["Langgan", "peti masuk"]),
    ("<p>Sertai saluran Telegram kami untuk berita terkini</p>", ["Telegram"]),
])
def test_call_to_action_blocks_go_whole(cta, leftover):
    html = page("<div class='entry-content'>" + "".join(f"<p>{p}</p>" for p in STORY[:2]) + cta
                + "".join(f"<p>{p}</p>" for p in STORY[2:]) + "</div>")
    text = body_text(html, "https://sibutimes.example/2024/01/05/flood-relief/")
    assert all(p in text for p in STORY)
    assert [w for w in leftover if w in text] == []


def test_prose_that_mentions_a_newsletter_is_kept():
    para = ("The council's newsletter, which is delivered to every longhouse in the district, will carry the "
            "evacuation routes and the numbers to call when the river rises again next month.")
    html = page(f"<div class='entry-content'>{PROSE}<p>{para}</p></div>")
    assert para in body_text(html, "https://sibutimes.example/2024/01/05/flood-relief/")


# --- not articles, whatever the markup ------------------------------------------------------------------------------

def test_og_type_website_page_is_not_archived():
    html = page(f"<div>{PROSE}</div>", body_class="").replace("content='article'", "content='website'")
    r = extract_article(html, "https://sibutimes.example/about-our-coverage/")
    assert (r["is_article"], r["reject_reason"]) == (False, "not_article")


def test_index_of_thousands_of_rows_is_not_an_article():
    rows = "".join(f"<tr><td>{i}</td><td>Polling station {i}</td><td>{i * 7}</td></tr>" for i in range(3000))
    r = extract_article(page(f"<div class='entry-content'>{PROSE}<table>{rows}</table></div>"),
                        "https://sibutimes.example/2024/01/05/results/")
    assert (r["is_article"], r["reject_reason"]) == (False, "index_page")


def test_text_orders_of_magnitude_longer_than_a_story_is_rejected():
    huge = "".join(f"<p>{STORY[i % 4]} ({i})</p>" for i in range(1500))
    r = extract_article(page(f"<div class='entry-content'>{huge}</div>"), "https://sibutimes.example/2024/01/05/x/")
    assert (r["is_article"], r["reject_reason"]) == (False, "too_long")


@pytest.mark.parametrize("ld_type", ["ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle",
                                     "LiveBlogPosting", "Report", "SatiricalArticle"])
def test_every_article_subtype_counts(ld_type):
    ld = {"@context": "https://schema.org", "@type": ld_type, "headline": "Flood victims moved to relief centre"}
    html = page(f"<div>{PROSE}</div>", head=f"<script type='application/ld+json'>{json.dumps(ld)}</script>",
                body_class="").replace("<meta property='og:type' content='article'>", "")
    assert extract_article(html, "https://sibutimes.example/flood/")["is_article"] is True


def test_site_navigation_list_does_not_outweigh_og_article():
    nav = {"@context": "https://schema.org", "@type": "ItemList", "itemListElement": [
        {"@type": "SiteNavigationElement", "name": f"Section {i}", "url": f"https://sibutimes.example/s{i}/"}
        for i in range(8)]}
    html = page(f"<div>{PROSE}</div>", head=f"<script type='application/ld+json'>{json.dumps(nav)}</script>",
                body_class="")
    assert extract_article(html, "https://sibutimes.example/flood/")["page_kind"] == "article"


# --- metadata by evidence -------------------------------------------------------------------------------------------

def meta_page(head: str = "", body: str = "", lang: str = "en") -> str:
    return (f"<html lang='{lang}'><head><meta property='og:type' content='article'>{head}</head>"
            f"<body class='single-post'><div class='entry-content'>{body}{PROSE}</div></body></html>")


@pytest.mark.parametrize("raw, expected", [
    ("Minister: &quot;We will rebuild&quot; - Sibu Times", 'Minister: "We will rebuild"'),
    ("Residents&#039; plea heard", "Residents' plea heard"),
    ("Floods &amp;amp; landslides", "Floods & landslides"),
])
def test_titles_are_clean_text(raw, expected):
    r = extract_article(meta_page(f"<meta property='og:title' content='{raw}'>"
                                  "<meta property='og:site_name' content='Sibu Times'>"), "https://s.example/a/")
    assert r["title"] == expected


def test_control_characters_never_reach_metadata():
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Title\x1b[2J with\x07 escape\u202e",
          "author": {"@type": "Person", "name": "Lee\x1b Wong\u202e"}, "articleSection": "Sara\x00wak"}
    r = extract_article(meta_page(f"<script type='application/ld+json'>{json.dumps(ld)}</script>"),
                        "https://s.example/a/")
    assert (r["title"], r["authors"], r["section"]) == ("Title [2J with escape", ["Lee Wong"], "Sara wak")


def test_a_huge_title_is_capped():
    r = extract_article(meta_page(f"<title>{'Banjir ' * 20000}</title>"), "https://s.example/a/")
    assert 0 < len(r["title"]) <= 500


@pytest.mark.parametrize("author, expected", [
    ("Sibu Times", []),                          # the site
    ("Editor 10", []), ("Web Desk", []), ("admin", []), ("News Desk", []), ("Pentadbir", []),  # CMS accounts
    ("Dan Smith and Jane Roe", ["Dan Smith", "Jane Roe"]),
    ("Ahmad Fauzi dan Siti Aminah", ["Ahmad Fauzi", "Siti Aminah"]),
    ("DAN LEE", ["DAN LEE"]),                   # an all-caps first name, not the conjunction
    ("AHMAD DAN SITI", ["AHMAD", "SITI"]),
])
def test_authors_are_people(author, expected):
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Flood",
          "author": {"@type": "Person", "name": author}, "publisher": {"@type": "Organization", "name": "Sibu Times"}}
    r = extract_article(meta_page(f"<meta property='og:site_name' content='Sibu Times'>"
                                  f"<script type='application/ld+json'>{json.dumps(ld)}</script>"),
                        "https://s.example/a/")
    assert r["authors"] == expected


@pytest.mark.parametrize("wrap", ["<![CDATA[{}]]>", "//<![CDATA[\n{}\n//]]>", "<!--{}-->"])
def test_json_ld_in_cdata_or_comments_is_read(wrap):
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Wrapped headline",
          "datePublished": "2024-01-05T08:00:00+08:00"}
    r = extract_article(meta_page("<script type='application/ld+json'>" + wrap.format(json.dumps(ld)) + "</script>"),
                        "https://s.example/a/")
    assert (r["title"], r["published_at"]) == ("Wrapped headline", "2024-01-05T08:00:00+08:00")


@pytest.mark.parametrize("head, hints, expected", [
    ("", {}, "2024-01-05T08:00:00"),                                             # no evidence: stays naive
    ("<meta property='article:modified_time' content='2024-01-06T10:00:00+05:30'>", {}, "2024-01-05T08:00:00+05:30"),
    ("", {"site_timezone": "-03:00"}, "2024-01-05T08:00:00-03:00"),              # offset the site's feeds use
    ("<meta property='article:modified_time' content='2024-01-06T10:00:00+05:30'>", {"timezone": "+08:00"},
     "2024-01-05T08:00:00+08:00"),                                               # the outlet's configured zone
    ("<meta property='article:modified_time' content='2024-01-06T10:00:00Z'>", {}, "2024-01-05T08:00:00"),
])
def test_naive_times_get_an_offset_only_from_evidence(head, hints, expected):
    html = meta_page(head + "<meta property='article:published_time' content='2024-01-05 08:00:00'>")
    assert extract_article(html, "https://s.example/a/", hints=hints)["published_at"] == expected


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "1899-05-01T10:00:00+08:00"])
def test_placeholder_dates_are_not_publication_dates(value):
    html = meta_page(f"<meta property='article:published_time' content='{value}'>")
    assert extract_article(html, "https://s.example/a/", hints={"timezone": "+08:00"})["published_at"] is None


MALAY = ("<p>KUCHING: Kerajaan negeri akan membina 12 kolam tadahan banjir baharu di sekitar bandar raya ini menjelang "
         "2026 bagi mengurangkan banjir kilat yang melanda kawasan rendah hampir setiap musim tengkujuh.</p>"
         "<p>Timbalan Menteri berkata kolam itu akan dibina di Batu Kawa, Matang dan Petra Jaya, di mana kapasiti "
         "longkang tidak seiring dengan pembangunan perumahan sejak beberapa tahun kebelakangan ini.</p>"
         "<p>Katanya, peruntukan sebanyak RM180 juta telah diluluskan bagi fasa pertama yang melibatkan enam kolam "
         "dan tender akan dipanggil pada suku kedua tahun ini.</p>")
INDONESIAN = ("<p>JAKARTA: Pemerintah provinsi akan membangun 12 kolam retensi baru di sekitar kota ini pada tahun "
              "2026 untuk mengurangi banjir yang hampir setiap musim hujan melanda kawasan dataran rendah.</p>"
              "<p>Wakil Menteri mengatakan kolam tersebut akan dibangun di beberapa kecamatan, di mana kapasitas "
              "saluran air tidak sebanding dengan pembangunan perumahan selama beberapa tahun terakhir.</p>"
              "<p>Menurutnya, anggaran sebesar Rp180 miliar telah disetujui untuk tahap pertama yang mencakup enam "
              "kolam dan lelang akan dibuka pada kuartal kedua tahun ini.</p>")


@pytest.mark.parametrize("lang, body, hints, expected", [
    ("en-US", MALAY, {}, "ms"),                 # a WordPress theme's default declaration on a Malay story
    ("en-US", MALAY, {"language": "ms"}, "ms"),
    ("id", INDONESIAN, {}, "id"),
    ("ms-MY", MALAY, {}, "ms"),
    ("eng", PROSE, {}, "en"),                   # ISO 639-1, not the three-letter code
])
def test_language_from_content_and_declaration(lang, body, hints, expected):
    html = (f"<html lang='{lang}'><head><meta property='og:type' content='article'></head><body class='single-post'>"
            f"<div class='entry-content'>{body}</div></body></html>")
    assert extract_article(html, "https://s.example/a/", hints=hints)["language"] == expected


# --- hostile bytes ---------------------------------------------------------------------------------------------------

def test_a_few_invalid_utf8_bytes_keep_the_page_utf8():
    html = meta_page(body="<p>Café owners in Kuching — “open again” said one.</p>").encode("utf-8")
    html = html.replace(b"Kuching", b"Kuch\xffing\xfe")
    r = extract_article(html, "https://s.example/a/", encoding=None)
    assert "Café owners in Kuch" in r["text"] and "“open again”" in r["text"]


@pytest.mark.parametrize("ctrl", ["\x00", "\x07"])
def test_a_control_byte_in_the_title_is_not_a_binary_page(ctrl):
    html = meta_page(f"<title>Flood{ctrl} relief</title>").encode("utf-8")
    r = extract_article(html, "https://s.example/a/", encoding="utf-8")
    assert r["is_article"] is True and r["title"] == "Flood relief"


def test_huge_json_ld_is_skipped_without_losing_the_article():
    blob = json.dumps({"@type": "NewsArticle", "headline": "x", "description": "a" * 3_000_000})
    html = meta_page(f"<script type='application/ld+json'>{blob}</script>")
    r = extract_article(html, "https://s.example/a/")
    assert r["is_article"] is True and STORY[0] in r["text"]


def test_binary_bodies_are_still_binary():
    assert extract_article(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "https://s.example/a.png")["reject_reason"] \
        == "binary"
    assert extract_article(bytes(range(32)) * 64, "https://s.example/blob")["reject_reason"] == "binary"


def test_related_block_helper_keeps_tail_text():
    tree = fromstring("<html><body><div class='entry-content'><p>One.</p>Tail text stays."
                      "<script>" + "x" * 10 + "</script></div></body></html>")
    B.prune_tree(tree)
    assert "Tail text stays." in tree.text_content()


# --- the site's zone, observed where it writes machine-readable dates ------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("2024-03-05T14:20:00+08:00", "+08:00"), ("Tue, 05 Mar 2024 14:20:00 +0800", "+08:00"),
    ("2024-03-05T14:20:00-03:30", "-03:30"), ("2024-03-05T14:20:00Z", None), ("Tue, 05 Mar 2024 14:20:00 GMT", None),
    ("2024-03-05", None), ("2024-03-05T14:20:00", None), ("", None), (None, None),
])
def test_stated_offset(raw, expected):
    from newscrawl.dates import stated_offset

    assert stated_offset(raw) == expected


def test_sitemaps_and_feeds_report_the_offset_they_write():
    from newscrawl.discovery.feeds import parse_feed
    from newscrawl.discovery.sitemaps import parse_sitemap

    sitemap = (b"<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
               b"<url><loc>https://s.example/a/</loc><lastmod>2024-03-05T14:20:00-05:00</lastmod></url>"
               b"<url><loc>https://s.example/b/</loc><lastmod>2024-03-05</lastmod></url></urlset>")
    assert [(e.url, e.offset) for e in parse_sitemap(sitemap)] == [("https://s.example/a/", "-05:00"),
                                                                   ("https://s.example/b/", None)]
    feed = (b"<?xml version='1.0'?><rss version='2.0'><channel><title>S</title><item><link>https://s.example/c/</link>"
            b"<pubDate>Tue, 05 Mar 2024 14:20:00 +0530</pubDate></item></channel></rss>")
    assert [(e.url, e.offset) for e in parse_feed(feed, "https://s.example/feed/")] == [("https://s.example/c/", "+05:30")]
