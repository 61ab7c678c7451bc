"""The replica outlets themselves: they serve what the manifest promises, and the traps are really there."""

from __future__ import annotations

import html
import json
import random
import re
import urllib.error
import urllib.request
from datetime import datetime
from urllib.parse import urlsplit

import pytest
from protego import Protego

from tests.replica import build_replica
from tests.replica.manifest import BOILERPLATE


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, body) without following redirects or raising on 4xx/5xx."""
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with _OPENER.open(req, timeout=10) as resp:
            return resp.status, dict(resp.headers.items()), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers.items()), err.read()


def fetch_ok(url: str) -> tuple[int, dict[str, str], bytes]:
    """Fetch, retrying once on the one-shot 503/429 traps (no sleeping: the replica does not enforce it)."""
    status, headers, body = fetch(url)
    if status in (503, 429):
        assert headers.get("Retry-After") == "1"
        status, headers, body = fetch(url)
    return status, headers, body


def page_text(headers: dict[str, str], body: bytes) -> str:
    charset = re.search(r"charset=([\w-]+)", headers.get("Content-Type", "")).group(1)
    return html.unescape(re.sub(r"<[^>]+>", " ", body.decode(charset)))


def shingles(text: str, k: int = 5) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i:i + k]) for i in range(len(words) - k + 1)}


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b)


# ---------------------------------------------------------------- server basics
def test_outlets_on_own_ports_with_robots(replica):
    ports = {urlsplit(r).port for r in replica.roots.values()}
    assert len(ports) == 3
    for key, root in replica.roots.items():
        status, _, body = fetch(root + "robots.txt")
        robots = body.decode()
        assert status == 200 and "Sitemap: " + root in robots and "Disallow: /wp-admin/" in robots


def test_request_log_records_requests(fresh_replica):
    root = fresh_replica.roots["dayakdaily"]
    fetch(root + "feed/?x=1", {"X-Probe": "yes"})
    rec = fresh_replica.requests[-1]
    assert (rec.method, rec.outlet, rec.path, rec.status) == ("GET", "dayakdaily", "/feed/?x=1", 200)
    assert rec.headers["X-Probe"] == "yes"
    assert fresh_replica.requested_urls()[-1] == root + "feed/?x=1"
    fresh_replica.reset_log()
    assert fresh_replica.requests == []


def test_conditional_get(replica):
    url = replica.roots["borneopost"] + "post-sitemap.xml"
    status, headers, _ = fetch(url)
    assert status == 200 and headers["ETag"] and headers["Last-Modified"]
    assert fetch(url, {"If-None-Match": headers["ETag"]})[0] == 304
    assert fetch(url, {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    assert fetch(url, {"If-None-Match": '"stale"'})[0] == 200
    article = replica.manifest.for_outlet("borneopost")[0].url
    _, h, _ = fetch_ok(article)
    assert fetch(article, {"If-None-Match": h["ETag"]})[0] == 304


# ---------------------------------------------------------------- manifest consistency
def test_every_manifest_article_is_served_with_title_and_text(fresh_replica):
    manifest = fresh_replica.manifest
    assert len(manifest.articles) >= 24
    for art in manifest.articles:
        status, headers, body = fetch_ok(art.url)
        assert status == 200, art.url
        text = page_text(headers, body)
        assert art.title in text
        squashed = re.sub(r"\s+", " ", text)
        for para in art.text.split("\n"):
            assert para in squashed, (art.url, para[:60])
        assert 120 <= len(art.text.split()) <= 900
        assert datetime.fromisoformat(art.published_at).utcoffset().total_seconds() == 8 * 3600


def test_boilerplate_is_on_pages_but_never_in_article_prose(fresh_replica):
    manifest = fresh_replica.manifest
    seen = ""
    for art in manifest.articles:
        low = (art.title + "\n" + art.text).lower()
        assert not [b for b in manifest.boilerplate if b.lower() in low], art.url
        status, headers, body = fetch_ok(art.url)
        seen += page_text(headers, body)
    missing = [b for b in BOILERPLATE if b not in seen]
    assert missing == []


def test_variants_map_to_their_article(fresh_replica):
    manifest = fresh_replica.manifest
    kinds = {}
    for art in manifest.articles:
        for url, kind in art.variants.items():
            assert manifest.article(url) is art
            kinds.setdefault(kind, url)
    assert set(kinds) == {"amp", "shortlink", "noslash", "utm", "alt_path"}
    status, headers, _ = fetch(kinds["shortlink"])
    assert status == 301 and manifest.article(headers["Location"]).url == headers["Location"]
    status, headers, _ = fetch(kinds["noslash"])
    assert status == 301 and headers["Location"].endswith("/")
    for kind in ("amp", "utm", "alt_path"):
        status, headers, body = fetch_ok(kinds[kind])
        canonical = re.search(rb'<link rel="canonical" href="([^"]+)"', body).group(1).decode()
        assert status == 200
        assert canonical == (kinds[kind] if kind == "alt_path" else manifest.article(kinds[kind]).url)


def test_discovery_surfaces(replica):
    arts = replica.manifest.articles
    assert any(a.discovery == ["feed"] for a in arts)
    assert any(a.discovery == ["sitemap"] for a in arts)
    deep = [a for a in arts if a.discovery == ["archive"] and a.archive_page >= 2]
    assert deep
    # The Malay article whose only date is the visible one.
    only_visible = [a for a in deep if "visible Malay date" in a.notes][0]
    _, headers, body = fetch(only_visible.url)
    page = body.decode()
    assert "article:published_time" not in page and "ld+json" not in page and "datetime=" not in page
    assert "5 Mac 2024, 3:15 petang" in page and 'lang="ms' in page and "Oleh " in page


def test_listing_pages_are_never_articles(replica):
    manifest = replica.manifest
    assert not manifest.never_articles & {a.url for a in manifest.articles}
    root = replica.roots["borneopost"]
    for path in ("", "category/sarawak/", "about-us/", "tag/bintulu/", "author/raymond-tingang/"):
        status, _, body = fetch(root + path)
        assert status == 200 and b'og:type" content="website"' in body and root + path in manifest.never_articles
    status, _, body = fetch(replica.roots["utusanborneo"] + "category/sarawak/page/2/")
    assert status == 200 and b'rel="prev"' in body and b"archive category category-sarawak paged" in body


def test_disallowed_links_exist_and_are_covered_by_robots(replica):
    manifest = replica.manifest
    for outlet, urls in manifest.disallowed.items():
        root = replica.roots[outlet]
        robots = Protego.parse(fetch(root + "robots.txt")[2].decode())
        home = fetch(root)[2].decode()
        for url in urls:
            assert not robots.can_fetch(url, "newscrawl") and manifest.is_disallowed(url)
            assert f'href="{url}"' in home, url


# ---------------------------------------------------------------- traps
def test_traps_behave(fresh_replica):
    by_kind = {}
    for t in fresh_replica.manifest.traps:
        by_kind.setdefault(t["kind"], t["url"])
    assert fetch(by_kind["404_listed"])[0] == 404
    assert [fetch(by_kind["500"])[0] for _ in range(2)] == [500, 500]
    status, _, body = fetch(by_kind["challenge_403"])
    assert status == 403 and b"Just a moment..." in body and b"Checking your browser" in body
    assert fetch(by_kind["challenge_200"])[0] == 200
    assert fetch(by_kind["loop"])[0] == 302
    status, headers, body = fetch(by_kind["huge"])
    assert status == 200 and len(body) > 3_000_000
    status, headers, body = fetch(by_kind["empty"])
    assert status == 200 and body == b""
    status, headers, body = fetch(by_kind["pdf"])
    assert headers["Content-Type"] == "application/pdf" and body.startswith(b"%PDF")
    status, headers, body = fetch(by_kind["pdf_as_html"])
    assert headers["Content-Type"].startswith("text/html") and body.startswith(b"%PDF")
    for kind, code in (("retry503", 503), ("retry429", 429)):
        first = fetch(by_kind[kind])
        assert first[0] == code and first[1]["Retry-After"] == "1"
        assert fetch(by_kind[kind])[0] == 200
    status, headers, body = fetch(by_kind["truncated"])
    assert status == 200 and not body.rstrip().endswith(b"</html>")
    status, headers, body = fetch(by_kind["cp1252"])
    assert headers["Content-Type"] == "text/html; charset=windows-1252" and b"<meta charset" not in body
    assert "Kafé ‘Rumah Tok Nan’" in body.decode("cp1252")


def test_near_duplicate_wire_story(replica):
    manifest = replica.manifest
    (a, b), = manifest.near_duplicates
    ta, tb = manifest.article(a).text, manifest.article(b).text
    assert ta != tb and urlsplit(a).port != urlsplit(b).port
    assert jaccard(shingles(ta), shingles(tb)) > 0.6


def test_partner_links_point_to_other_outlets(replica):
    body = fetch(replica.roots["dayakdaily"])[2].decode()
    assert f'href="{replica.roots["borneopost"]}"' in body and f'href="{replica.roots["utusanborneo"]}"' in body


def test_manifest_is_json_serialisable(replica):
    data = json.loads(replica.manifest.to_json())
    assert data["roots"] == replica.roots and data["articles"][0]["title"]


# ---------------------------------------------------------------- mutations
def test_edit_and_add_change_listing_surfaces(mutable_replica):
    srv = mutable_replica
    root = srv.roots["borneopost"]
    target = srv.manifest.for_outlet("borneopost")[0]
    _, sm_headers, sm_before = fetch(root + "post-sitemap.xml")
    _, art_headers, _ = fetch_ok(target.url)

    srv.replica.edit_article(target.url)
    edited = srv.manifest.article(target.url)
    assert edited.text != target.text and edited.modified_at > (target.modified_at or "")
    status, _, sm_after = fetch(root + "post-sitemap.xml", {"If-None-Match": sm_headers["ETag"]})
    assert status == 200 and f"<lastmod>{edited.modified_at}</lastmod>".encode() in sm_after
    assert fetch(target.url, {"If-None-Match": art_headers["ETag"]})[0] == 200
    assert fetch(target.url, {"If-Modified-Since": art_headers["Last-Modified"]})[0] == 200

    new = srv.replica.add_articles(3)
    for art in new:
        site = srv.replica.sites[art.outlet]
        url = site.article_url(art)
        assert srv.manifest.article(url).title == art.title
        feed = fetch(site.root + "feed/")[2].decode()
        assert url in feed and url in fetch(site.root)[2].decode()
        assert fetch_ok(url)[0] == 200


# ---------------------------------------------------------------- scale mode
def test_scale_mode_splits_sitemaps_and_prose_is_distinct():
    rep = build_replica(n_articles=3300, seed=5)
    bp = rep.sites["borneopost"]
    assert len(bp.articles) > 1000 and "/post-sitemap2.xml" in bp.sitemap_files()
    assert bp.rss().count("<item>") == 20
    dd = rep.sites["dayakdaily"]
    assert "/wp-sitemap-posts-post-2.xml" in dd.sitemap_files()
    generated = [a for s in rep.sites.values() for a in s.articles if a.post_id >= 1_000_000]
    sample = random.Random(3).sample(generated, 150)
    sets = [shingles(a.text) for a in sample]
    worst = max(jaccard(sets[i], sets[j]) for i in range(len(sets)) for j in range(i + 1, len(sets)))
    assert worst < 0.2
    assert len({a.title for a in generated}) > 0.9 * len(generated)


def test_generation_is_deterministic():
    a = build_replica(n_articles=60, seed=9).sites["utusanborneo"]
    b = build_replica(n_articles=60, seed=9).sites["utusanborneo"]
    assert [x.text for x in a.sorted] == [x.text for x in b.sorted]
    assert a.handle("GET", "/sitemap.xml").body == b.handle("GET", "/sitemap.xml").body


@pytest.mark.parametrize("outlet", ["borneopost", "dayakdaily", "utusanborneo"])
def test_article_markup_looks_like_wordpress(replica, outlet):
    art = replica.manifest.for_outlet(outlet)[0]
    body = fetch_ok(art.url)[2].decode("utf-8", "replace")
    assert f"single single-post postid-{art.post_id}" in body
    assert f'<link rel="canonical" href="{art.url}">' in body and 'og:type" content="article"' in body
    assert f'rel="shortlink" href="{replica.roots[outlet]}?p={art.post_id}"' in body
