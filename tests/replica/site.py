"""Routes of the replica outlets: articles, archives, sitemaps, feeds, robots.txt and the traps.

``build_replica()`` returns a ``Replica``: one ``Site`` per outlet, each answering ``handle(method, target,
headers) -> Response``. Pages are rendered on request (20,000 articles would not fit comfortably in memory as
bytes), so the data view is ``Site.paths()`` + ``Site.handle``; ``Replica.as_dict()`` renders everything for
small replicas. Mutations (``add_articles``, ``edit_article``) take the replica lock and re-index.
"""

from __future__ import annotations

import base64
import hashlib
import random
import re
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime
from html import escape
from urllib.parse import parse_qs, urlsplit

from . import content, prose, themes
from .content import MYT, Article

OUTLET_KEYS = ["borneopost", "dayakdaily", "utusanborneo"]
SITEMAP_LIMIT = 1000  # URLs per sitemap file (Yoast's default; the brief asks every style to split there)
FEED_ITEMS = 20

EN_TEXTS = dict(
    home="Home", prev="« Previous", next="Next »", older="Older posts", picks="Editor’s Picks",
    partners="Our partners:", privacy="Privacy Policy", cookie_ok="Ok",
    cookie="We use cookies to ensure that we give you the best experience on our website.",
    inline_caption="The site as seen from the air. — Photo courtesy of the organisers",
    nf_title="Page not found", nf_body="Oops! That page can’t be found. It looks like nothing was found here.",
    category="Category", tag="Tag", author="Author", search="Search results for",
)
MS_TEXTS = dict(
    home="Utama", prev="« Sebelumnya", next="Seterusnya »", older="Berita lama", picks="Pilihan Editor",
    partners="Rakan media:", privacy="Dasar Privasi", cookie_ok="Setuju",
    cookie="Laman web ini menggunakan kuki untuk memberikan pengalaman terbaik kepada anda.",
    inline_caption="Gambar hiasan ihsan penganjur.",
    nf_title="Halaman tidak ditemui", nf_body="Maaf, halaman yang anda cari tidak wujud.",
    category="Kategori", tag="Tag", author="Penulis", search="Hasil carian untuk",
)

OUTLETS = {
    "borneopost": dict(name="The Borneo Post", tagline="Sarawak news, Sabah news, Borneo news", theme=themes.TagDiv,
                       texts={**EN_TEXTS, "copyright": "© 2024 The Borneo Post. All rights reserved."},
                       permalink="date", sitemaps="yoast", atom=False,
                       disallow=["/wp-admin/", "/private/", "/?s="]),
    "dayakdaily": dict(name="DayakDaily", tagline="Sarawak’s first independent news portal", theme=themes.Foxiz,
                       texts={**EN_TEXTS, "copyright": "© 2024 DayakDaily. All rights reserved."},
                       permalink="postname", sitemaps="core", atom=True,
                       disallow=["/wp-admin/", "/private/", "/?s=", "/members/"]),
    "utusanborneo": dict(name="Utusan Borneo", tagline="Berita Sarawak terkini", theme=themes.JNews,
                         texts={**MS_TEXTS, "copyright": "© 2024 Utusan Borneo. Hak cipta terpelihara."},
                         permalink="month", sitemaps="plain", atom=False,
                         disallow=["/wp-admin/", "/private/", "/?s="]),
}

STATIC = {
    "en": [("about", "about-us", "About Us", [
        "Founded in 1978 in Sibu, we publish daily news from every division of Sarawak.",
        "Our newsroom has bureaus in Kuching, Sibu, Miri and Bintulu, and correspondents across Borneo."]),
        ("contact", "contact-us", "Contact Us", [
            "Newsroom: newsdesk@example.invalid. Advertising: ads@example.invalid.",
            "Address: Lot 88, Jalan Pending, 93450 Kuching, Sarawak. Telephone: 082-000 000."]),
        ("privacy", "privacy-policy", "Privacy Policy", [
            "This policy explains what personal data we collect when you visit this website and why.",
            "We use cookies for analytics and advertising; you can disable them in your browser settings."])],
    "ms": [("about", "tentang-kami", "Tentang Kami", [
        "Akhbar ini mula diterbitkan pada tahun 2003 dan kini menyiarkan berita dari seluruh Sarawak.",
        "Kami mempunyai pejabat di Kuching, Sibu, Miri dan Bintulu."]),
        ("contact", "hubungi-kami", "Hubungi Kami", [
            "Meja berita: berita@example.invalid. Pengiklanan: iklan@example.invalid.",
            "Alamat: Lot 12, Jalan Bako, 93050 Kuching, Sarawak."]),
        ("privacy", "dasar-privasi", "Dasar Privasi", [
            "Dasar ini menerangkan data peribadi yang kami kumpul apabila anda melayari laman web ini.",
            "Kami menggunakan kuki untuk analitik dan pengiklanan."])],
}

CHALLENGE_HTML = """<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><meta name="robots" content="noindex,nofollow">
<meta name="viewport" content="width=device-width,initial-scale=1"><link href="/cdn-cgi/styles/challenges.css" rel="stylesheet">
</head><body class="no-js"><div class="main-wrapper" role="main"><div class="main-content">
<h1 class="zone-name-title h1">{host}</h1><h2 class="h2" id="challenge-running">Checking your browser before accessing {host}.</h2>
<noscript><div class="h2"><span id="challenge-error-text">Enable JavaScript and cookies to continue</span></div></noscript>
<div id="challenge-body-text" class="core-msg spacer">{host} needs to review the security of your connection before proceeding.</div>
<form id="challenge-form" action="{path}?__cf_chl_f_tk=Xq3pLx0" method="POST"><input type="hidden" name="md" value="9fZ2"></form>
</div></div><div class="footer" role="contentinfo"><div class="footer-inner"><div class="clearfix diagnostic-wrapper">
<div class="ray-id">Ray ID: <code>8c1f2a7b9d4e{n:04d}</code></div></div><div class="text-center" id="footer-text">Performance &amp; security by Cloudflare</div></div></div>
<script>(function(){{window._cf_chl_opt={{cvId:'3',cZone:'{host}',cType:'managed'}};}}());</script></body></html>"""

PDF_BYTES = (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
             b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
             b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>\nendobj\n"
             b"4 0 obj\n<< /Length 58 >>\nstream\nBT /F1 18 Tf 72 760 Td (State Budget 2025 speech, full text) Tj ET\n"
             b"endstream\nendobj\nxref\n0 5\n0000000000 65535 f \ntrailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n0\n"
             b"%%EOF\n") + bytes(range(256)) * 8

UTM = "?utm_source=fb&utm_medium=social&utm_campaign=sharebutton&fbclid=IwAR0aB3cD4eF5gH6iJ7kL8mN9oP"


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    etag_key: str | None = None  # stable validator; default is a hash of the body
    last_modified: datetime | None = None


@dataclass
class StaticPage:
    kind: str
    page_id: int
    slug: str
    title: str
    paragraphs: list[str]

    @property
    def path(self) -> str:
        return f"/{self.slug}/"


@dataclass
class Trap:
    """A URL that tests a failure mode. ``expect``: 'never' (must not become an article) or 'article'."""

    outlet: str
    path: str
    kind: str
    expect: str
    note: str
    listed_in: str = ""  # where the crawler finds it: sitemap | home | ...


def http_date(d: datetime) -> str:
    return format_datetime(d.astimezone(timezone.utc), usegmt=True)


def _html(status: int, text: str, charset: str = "UTF-8", **kw) -> Response:
    body = text.encode(charset, errors="xmlcharrefreplace")
    return Response(status, [("Content-Type", f"text/html; charset={charset}")], body, **kw)


def _xml(text: str, last_modified: datetime | None, ctype: str = "application/xml; charset=UTF-8") -> Response:
    return Response(200, [("Content-Type", ctype), ("X-Robots-Tag", "noindex, follow")], text.encode(),
                    last_modified=last_modified)


class Site:
    def __init__(self, replica: Replica, key: str, root: str, articles: list[Article]):
        self.replica, self.key, self.root = replica, key, root.rstrip("/") + "/"
        self.taken_down: dict[str, Response] = {}  # path -> answer after take_down()
        cfg = OUTLETS[key]
        self.name, self.tagline, self.texts = cfg["name"], cfg["tagline"], cfg["texts"]
        self.theme: themes.Theme = cfg["theme"]()
        self.cfg = cfg
        self.lang = content.LANG[key]
        self.sections = content.SECTIONS[key]
        self.articles = articles
        self.static_pages = [StaticPage(kind, 2 + i, slug, title, paras)
                             for i, (kind, slug, title, paras) in enumerate(STATIC[self.lang])]
        self.traps = self._traps()
        self._huge: bytes | None = None
        self._sitemaps: tuple[int, dict[str, str]] | None = None
        self.reindex()

    # ------------------------------------------------------------ URLs
    @property
    def now(self) -> datetime:
        return self.replica.now

    def url(self, path: str) -> str:
        return self.root.rstrip("/") + path

    def article_path(self, a: Article) -> str:
        style = self.cfg["permalink"]
        if style == "date":
            return f"/{a.published:%Y/%m/%d}/{a.slug}/"
        if style == "month":
            return f"/{a.published:%Y/%m}/{a.slug}/"
        return f"/{a.slug}/"

    def article_url(self, a: Article) -> str:
        return self.url(self.article_path(a))

    def alt_path(self, a: Article) -> str:
        return f"/news/{a.slug}/"

    def category_path(self, slug: str) -> str:
        return f"/category/{slug}/"

    def tag_path(self, tag: str) -> str:
        return f"/tag/{content.slugify(tag)}/"

    def author_slug(self, name: str) -> str:
        return content.slugify(name)

    def author_path(self, name: str) -> str:
        return f"/author/{self.author_slug(name)}/"

    def page_path(self, base: str, n: int) -> str:
        return base if n == 1 else f"{base}page/{n}/"

    def static_path(self, kind: str) -> str:
        return next(p.path for p in self.static_pages if p.kind == kind)

    def image_url(self, a: Article, n: int = 1) -> str:
        name = a.image if n == 1 else a.image.replace(".jpg", f"-{n}.jpg")
        return self.url(f"/wp-content/uploads/{a.published:%Y/%m}/{name}")

    def partners(self) -> list[tuple[str, str]]:
        return [(OUTLETS[k]["name"], r) for k, r in self.replica.roots.items() if k != self.key]

    # ------------------------------------------------------------ index
    def reindex(self) -> None:
        arts = sorted(self.articles, key=lambda a: (a.published, a.post_id), reverse=True)
        self.sorted = arts
        self.on_site = [a for a in arts if a.on_site]
        self.by_path = {self.article_path(a): a for a in arts}
        self.by_id = {a.post_id: a for a in arts}
        self.alt = {self.alt_path(a): a for a in arts if a.trap == "alt_path"}
        self.by_section: dict[str, list[Article]] = {s: [] for _, s in self.sections}
        self.by_tag: dict[str, list[Article]] = {}
        self.tag_names: dict[str, str] = {}
        self.by_author: dict[str, list[Article]] = {}
        for a in self.on_site:
            self.by_section[a.section_slug].append(a)
            for t in a.tags:
                self.by_tag.setdefault(content.slugify(t), []).append(a)
                self.tag_names[content.slugify(t)] = t
            for name in a.authors:
                self.by_author.setdefault(self.author_slug(name), []).append(a)
        self.author_names = {self.author_slug(n): n for a in arts for n in a.authors}
        self.noslash = next((a for a in self.on_site if a.trap == "noslash"), None)

    def latest(self, k: int) -> list[Article]:
        return self.on_site[:k]

    def popular(self) -> list[Article]:
        return self.on_site[1:6:2]

    def related(self, a: Article) -> list[Article]:
        pool = [x for x in self.by_section.get(a.section_slug, [])[:4] if x is not a][:3]
        return pool or [x for x in self.on_site[:4] if x is not a][:3]

    def also_read(self, a: Article) -> Article | None:
        if self.noslash is not None and self.noslash is not a:
            return self.noslash
        return next((x for x in self.on_site[:6] if x is not a), None)

    def also_read_href(self, art: Article, other: Article) -> str:
        url = self.article_url(other)
        return url.rstrip("/") if other.trap == "noslash" else url  # the no-trailing-slash variant (301)

    def utm_article(self) -> Article | None:
        return next((a for a in self.on_site if a.trap == "utm"), None)

    def trending_link(self) -> tuple[str, str]:
        a = self.utm_article() or self.on_site[0]
        return a.title, self.article_url(a) + UTM

    def home_links(self) -> list[tuple[str, str]]:
        links = []
        utm = self.utm_article()
        if utm:
            links.append((utm.title, self.article_url(utm) + UTM))
        for a in self.alt.values():
            links.append((a.title, self.url(self.alt_path(a))))
        for t in self.traps.values():
            if t.listed_in == "home":
                links.append((t.note.split(":")[0], self.url(t.path)))
        return links

    # ------------------------------------------------------------ traps
    def _traps(self) -> dict[str, Trap]:
        T = lambda *a, **k: Trap(self.key, *a, **k)  # noqa: E731
        if self.key == "borneopost":
            traps = [
                T("/2024/02/30/deleted-story/", "404_listed", "never", "Listed in post-sitemap.xml, answers the custom 404 page with status 404.", "sitemap"),
                T("/2024/04/18/state-assembly-sitting-live-updates/", "500", "never", "Always answers 500 (WordPress critical error).", "sitemap"),
                T("/2024/05/20/flood-relief-centres-opened-in-three-divisions/", "challenge_403", "never", "Cloudflare-like bot challenge with status 403.", "sitemap"),
                T("/2024/06/10/full-text-state-budget-2025-debate/", "huge", "never", "HTML page over 3 MB (inline base64 image): must be dropped when DOWNLOAD_MAXSIZE is below its size.", "sitemap"),
                T("/2024/06/14/annual-report-2023/", "pdf", "never", "Annual report 2023: a PDF (application/pdf) linked like an article from the homepage.", "home"),
            ]
        elif self.key == "dayakdaily":
            traps = [
                T("/sarawak-ferry-service-resumes/", "challenge_200", "never", "Bot-challenge page served with status 200.", "sitemap"),
                T("/editorial-note/", "empty", "never", "Empty body with status 200.", "sitemap"),
                T("/state-budget-speech-full-text/", "pdf_as_html", "never", "PDF bytes served as text/html.", "sitemap"),
                T("/deleted-story-2024/", "404_listed", "never", "Listed in wp-sitemap, answers 404.", "sitemap"),
                T("/go/loop-a/", "loop", "never", "Readers' poll: redirect loop /go/loop-a/ -> /go/loop-b/ -> /go/loop-a/.", "home"),
                T("/go/loop-b/", "loop", "never", "Second half of the redirect loop.", ""),
            ]
        else:
            traps = [
                T("/2024/01/berita-dipadam/", "404_listed", "never", "Listed in sitemap.xml, answers 404.", "sitemap"),
                T("/2024/07/semakan-keselamatan/", "challenge_403", "never", "Bot challenge with status 403 (linked from the homepage).", "home"),
            ]
        return {t.path: t for t in traps}

    def trap_response(self, trap: Trap) -> Response:
        host = urlsplit(self.root).netloc
        kind = trap.kind
        if kind == "404_listed":
            return _html(404, self.theme.not_found_page(self, trap.path))
        if kind == "500":
            return _html(500, "<!DOCTYPE html><html><head><title>WordPress &rsaquo; Error</title></head><body "
                         'id="error-page"><div class="wp-die-message"><p>There has been a critical error on this '
                         "website.</p></div></body></html>")
        if kind in ("challenge_403", "challenge_200"):
            r = _html(403 if kind == "challenge_403" else 200,
                      CHALLENGE_HTML.format(host=host, path=trap.path, n=len(trap.path)))
            r.headers += [("Server", "cloudflare"), ("cf-mitigated", "challenge"), ("Cache-Control", "no-store")]
            return r
        if kind == "huge":
            return Response(200, [("Content-Type", "text/html; charset=UTF-8")], self.huge_body(), etag_key="huge")
        if kind == "pdf":
            return Response(200, [("Content-Type", "application/pdf")], PDF_BYTES)
        if kind == "pdf_as_html":
            return Response(200, [("Content-Type", "text/html; charset=UTF-8")], PDF_BYTES)
        if kind == "empty":
            return Response(200, [("Content-Type", "text/html; charset=UTF-8")], b"")
        if kind == "loop":
            other = "/go/loop-b/" if trap.path == "/go/loop-a/" else "/go/loop-a/"
            return Response(302, [("Location", self.url(other)), ("Content-Type", "text/html; charset=UTF-8")], b"")
        raise ValueError(kind)

    def huge_body(self) -> bytes:
        if self._huge is None:
            blob = base64.b64encode(random.Random(7).randbytes(2_600_000)).decode()
            page = (f'<!DOCTYPE html><html lang="en-US"><head><meta charset="UTF-8"><title>Full text: State Budget '
                    f'2025 debate | {self.name}</title><meta property="og:type" content="article"></head><body class='
                    f'"single single-post postid-199999"><article><h1 class="entry-title">Full text: State Budget 2025 '
                    f'debate</h1><div class="td-post-content"><p>KUCHING: The following is the full text of the debate.'
                    f'</p><img src="data:image/png;base64,{blob}" alt=""></div></article></body></html>')
            self._huge = page.encode()
        return self._huge

    # ------------------------------------------------------------ listings
    def archive(self, kind: str, slug: str) -> tuple[str, list[Article], str] | None:
        """(heading, items, body class) of an archive, or None when it does not exist."""
        t = self.texts
        if kind == "category":
            name = dict((s, n) for n, s in self.sections).get(slug)
            if name is None:
                return None
            return name, self.by_section[slug], f"archive category category-{slug}"
        if kind == "tag":
            if slug not in self.by_tag:
                return None
            return f"{t['tag']}: {self.tag_names[slug]}", self.by_tag[slug], f"archive tag tag-{slug}"
        if kind == "author":
            if slug not in self.by_author:
                return None
            return f"{t['author']}: {self.author_names[slug]}", self.by_author[slug], f"archive author author-{slug}"
        if kind == "search":
            words = slug.replace("-", " ").replace("+", " ").lower()
            hits = [a for a in self.on_site if words in a.title.lower() or words in a.paragraphs[0].lower()]
            return f"{t['search']} “{words}”", hits, "search search-results"
        return None

    def archive_bases(self) -> list[tuple[str, str, str]]:
        """(kind, slug, base path) of every archive the site links to."""
        out = [("category", s, self.category_path(s)) for _, s in self.sections]
        out += [("tag", s, f"/tag/{s}/") for s in self.by_tag]
        out += [("author", s, f"/author/{s}/") for s in self.by_author]
        out += [("search", "kuching", "/search/kuching/")]
        return out

    def npages(self, n_items: int) -> int:
        return max(1, -(-n_items // self.replica.per_page))

    def listing_paths(self) -> list[str]:
        """Every homepage/archive page path (all pagination pages)."""
        paths = [self.page_path("/", n) for n in range(1, self.npages(len(self.on_site)) + 1)]
        for kind, slug, base in self.archive_bases():
            found = self.archive(kind, slug)
            for n in range(1, self.npages(len(found[1])) + 1):
                paths.append(self.page_path(base, n))
        return paths

    def archive_positions(self) -> dict[int, int]:
        """post id -> smallest page of the home pagination or of a category archive listing it.

        Tag/author archives are left out: an article whose tags and author are its own is linked to them only
        from itself, so they cannot lead a crawler to it."""
        best: dict[int, int] = {}
        lists = [self.on_site] + [self.by_section[s] for _, s in self.sections]
        per = self.replica.per_page
        for items in lists:
            for i, a in enumerate(items):
                page = i // per + 1
                if page < best.get(a.post_id, 10**9):
                    best[a.post_id] = page
        return best

    # ------------------------------------------------------------ sitemaps / feeds / robots
    def robots(self) -> str:
        lines = ["User-agent: *"] + [f"Disallow: {p}" for p in self.cfg["disallow"]]
        lines.append("Allow: /wp-admin/admin-ajax.php")
        lines.append("")
        for path in self.sitemap_roots():
            lines.append(f"Sitemap: {self.url(path)}")
        return "\n".join(lines) + "\n"

    def sitemap_roots(self) -> list[str]:
        return {"yoast": ["/sitemap_index.xml"], "core": ["/wp-sitemap.xml", "/news-sitemap.xml"],
                "plain": ["/sitemap.xml"]}[self.cfg["sitemaps"]]

    def sitemap_entries(self) -> list[tuple[str, datetime | None]]:
        """(url, lastmod) of the post sitemap, oldest first like Yoast; traps listed in sitemaps included."""
        arts = sorted((a for a in self.articles if a.in_sitemap), key=lambda a: (a.lastmod, a.post_id))
        entries: list[tuple[str, datetime | None]] = [(self.article_url(a), a.lastmod) for a in arts]
        trap_date = datetime(2024, 6, 1, 12, tzinfo=MYT)
        entries += [(self.url(t.path), trap_date) for t in self.traps.values() if t.listed_in == "sitemap"]
        return entries

    def sitemap_files(self) -> dict[str, str]:
        """path -> XML text of every sitemap file of the site (cached until the next mutation)."""
        if self._sitemaps is None or self._sitemaps[0] != self.replica.revision:
            self._sitemaps = (self.replica.revision, self._build_sitemap_files())
        return self._sitemaps[1]

    def _build_sitemap_files(self) -> dict[str, str]:
        style = self.cfg["sitemaps"]
        entries = self.sitemap_entries()
        chunks = [entries[i:i + SITEMAP_LIMIT] for i in range(0, len(entries), SITEMAP_LIMIT)] or [[]]
        static = [(self.url(p.path), datetime(2023, 11, 20, 9, 30, tzinfo=MYT)) for p in self.static_pages]
        cats = [(self.url(self.category_path(s)), max((a.lastmod for a in self.by_section[s]), default=None))
                for _, s in self.sections]
        files: dict[str, str] = {}
        if style == "yoast":
            names = ["/post-sitemap.xml"] + [f"/post-sitemap{i}.xml" for i in range(2, len(chunks) + 1)]
            for name, chunk in zip(names, chunks):
                files[name] = urlset(chunk, images={self.article_url(a): self.image_url(a) for a in self.articles})
            files["/page-sitemap.xml"] = urlset([(self.root, self.latest_mod())] + static)
            files["/category-sitemap.xml"] = urlset(cats)
            files["/sitemap_index.xml"] = sitemapindex([(self.url(n), _maxdate(files[n])) for n in files])
        elif style == "core":
            names = [f"/wp-sitemap-posts-post-{i}.xml" for i in range(1, len(chunks) + 1)]
            for name, chunk in zip(names, chunks):
                files[name] = urlset(chunk)
            files["/wp-sitemap-posts-page-1.xml"] = urlset([(u, None) for u, _ in static])
            files["/wp-sitemap-taxonomies-category-1.xml"] = urlset([(u, None) for u, _ in cats])
            files["/wp-sitemap-users-1.xml"] = urlset([(self.url(f"/author/{s}/"), None) for s in self.by_author])
            files["/wp-sitemap.xml"] = sitemapindex([(self.url(n), None) for n in files])
            news = sorted((a for a in self.articles if a.in_sitemap), key=lambda a: a.published, reverse=True)
            files["/news-sitemap.xml"] = news_sitemap(self, news[:SITEMAP_LIMIT])
        else:
            files["/sitemap.xml"] = urlset([(self.root, self.latest_mod())] + chunks[0] + static)
        return files

    def latest_mod(self) -> datetime:
        return max((a.lastmod for a in self.articles), default=self.now)

    def feed_items(self) -> list[Article]:
        return [a for a in self.sorted if a.in_feed][:FEED_ITEMS]

    def rss(self) -> str:
        items = self.feed_items()
        out = [f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
               f'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
               f"<title>{escape(self.name)}</title><atom:link href=\"{self.url('/feed/')}\" rel=\"self\" type=\"application/rss+xml\"/>"
               f"<link>{self.root}</link><description>{escape(self.tagline)}</description>"
               f"<lastBuildDate>{rfc822(max((a.lastmod for a in items), default=self.now))}</lastBuildDate>"
               f"<language>{'en-US' if self.lang == 'en' else 'ms-MY'}</language><generator>https://wordpress.org/?v=6.5.5</generator>"]
        for a in items:
            cats = "".join(f"<category><![CDATA[{c}]]></category>" for c in [a.section, *a.tags])
            body = "".join(f"<p>{escape(p, quote=False)}</p>" for p in a.paragraphs)
            out.append(f"<item><title>{escape(a.title)}</title><link>{self.article_url(a)}</link>"
                       f"<dc:creator><![CDATA[{', '.join(a.authors)}]]></dc:creator><pubDate>{rfc822(a.published)}</pubDate>"
                       f'{cats}<guid isPermaLink="false">{self.url(f"/?p={a.post_id}")}</guid>'
                       f"<description><![CDATA[{a.summary}]]></description><content:encoded><![CDATA[{body}]]></content:encoded></item>")
        out.append("</channel></rss>")
        return "".join(out)

    def atom(self) -> str:
        items = self.feed_items()
        updated = max((a.lastmod for a in items), default=self.now).isoformat()
        out = [f'<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en-US">'
               f"<title type=\"text\">{escape(self.name)}</title><updated>{updated}</updated><id>{self.url('/feed/atom/')}</id>"
               f'<link rel="alternate" type="text/html" href="{self.root}"/><link rel="self" type="application/atom+xml" href="{self.url("/feed/atom/")}"/>']
        for a in items:
            out.append(f"<entry><author><name>{escape(', '.join(a.authors))}</name></author><title type=\"html\"><![CDATA[{a.title}]]></title>"
                       f'<link rel="alternate" type="text/html" href="{self.article_url(a)}"/><id>{self.url(f"/?p={a.post_id}")}</id>'
                       f"<updated>{a.lastmod.isoformat()}</updated><published>{a.published.isoformat()}</published>"
                       f'<category scheme="{self.root}" term="{escape(a.section)}"/><summary type="html"><![CDATA[{a.summary}]]></summary></entry>')
        out.append("</feed>")
        return "".join(out)

    # ------------------------------------------------------------ request handling
    def paths(self) -> list[str]:
        """Every path the site serves (articles, variants excluded)."""
        return (["/robots.txt", "/feed/"] + (["/feed/atom/"] if self.cfg["atom"] else []) + list(self.sitemap_files())
                + self.listing_paths() + [p.path for p in self.static_pages] + list(self.by_path)
                + list(self.alt) + list(self.traps))

    def handle(self, method: str, target: str, headers: dict[str, str] | None = None) -> Response:
        with self.replica.lock:
            resp = self._route(target)
        return conditional(resp, headers or {})

    def _route(self, target: str) -> Response:
        parts = urlsplit(target)
        path, query = parts.path or "/", parse_qs(parts.query)
        if path in self.taken_down:  # an article deleted (404/410) or redirected away after publication
            return self.taken_down[path]
        if path == "/" and "p" in query:  # WordPress shortlink
            a = self.by_id.get(int(query["p"][0])) if query["p"][0].isdigit() else None
            if a is None:
                return _html(404, self.theme.not_found_page(self, target))
            return Response(301, [("Location", self.article_url(a)), ("X-Redirect-By", "WordPress")], b"")
        if path == "/" and "s" in query:  # disallowed by robots.txt; served anyway so a test can see the request
            return self._archive_page("search", query["s"][0], "/", 1)
        if path == "/robots.txt":
            return Response(200, [("Content-Type", "text/plain; charset=utf-8")], self.robots().encode())
        if path == "/sitemap.xml" and self.cfg["sitemaps"] == "yoast":
            return Response(301, [("Location", self.url("/sitemap_index.xml"))], b"")
        files = self.sitemap_files() if path.endswith(".xml") else {}
        if path in files:
            return _xml(files[path], _maxdate(files[path]))
        if path == "/feed/":
            items = self.feed_items()
            return _xml(self.rss(), max((a.lastmod for a in items), default=self.now), "application/rss+xml; charset=UTF-8")
        if path == "/feed/atom/" and self.cfg["atom"]:
            items = self.feed_items()
            return _xml(self.atom(), max((a.lastmod for a in items), default=self.now), "application/atom+xml; charset=UTF-8")
        if path in self.traps:
            return self._trap(self.traps[path])
        if path in self.by_path:
            return self._article(self.by_path[path], self.article_url(self.by_path[path]), path)
        if path in self.alt:  # same article text under a second URL, canonical pointing at itself
            return self._article(self.alt[path], self.url(path), path)
        if path.endswith("/amp/") and path[:-4] in self.by_path:
            a = self.by_path[path[:-4]]
            return _html(200, self.theme.amp_page(self, a), etag_key=f"amp-{a.post_id}-{a.version}", last_modified=a.lastmod)
        if path.startswith(("/wp-admin/", "/private/", "/members/")):
            return _html(200, f"<html><head><title>Restricted</title></head><body><p>Restricted area: {escape(path)}</p></body></html>")
        for sp in self.static_pages:
            if path == sp.path:
                return _html(200, self.theme.static_page(self, sp), last_modified=datetime(2023, 11, 20, 9, 30, tzinfo=MYT))
        m = re.fullmatch(r"/(?:page/(\d+)/)?", path)
        if m:
            page = int(m.group(1) or 1)
            return self._home(page)
        m = re.fullmatch(r"/(category|tag|author|search)/([^/]+)/(?:page/(\d+)/)?", path)
        if m:
            return self._archive_page(m.group(1), m.group(2), f"/{m.group(1)}/{m.group(2)}/", int(m.group(3) or 1))
        if not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
            probe = self._route(path + "/" + (f"?{parts.query}" if parts.query else ""))
            if probe.status == 200:  # WordPress redirect_canonical adds the trailing slash
                return Response(301, [("Location", self.url(path + "/")), ("X-Redirect-By", "WordPress")], b"")
        return _html(404, self.theme.not_found_page(self, path))

    def _trap(self, trap: Trap) -> Response:
        return self.trap_response(trap)

    def _article(self, a: Article, canonical: str, path: str) -> Response:
        hits = self.replica.count_hit(self.key, path)
        if a.trap == "retry503" and hits == 1:
            return Response(503, [("Retry-After", "1"), ("Content-Type", "text/html; charset=UTF-8")],
                            b"<html><body><h1>Service Temporarily Unavailable</h1></body></html>")
        if a.trap == "retry429" and hits == 1:
            return Response(429, [("Retry-After", "1"), ("Content-Type", "text/html; charset=UTF-8")],
                            b"<html><body><h1>429 Too Many Requests</h1></body></html>")
        cp1252 = a.trap == "cp1252"
        html = self.theme.article_page(self, a, canonical, meta_charset=not cp1252)
        resp = _html(200, html, charset="windows-1252" if cp1252 else "UTF-8",
                     etag_key=f"{a.post_id}-{a.version}-{path}", last_modified=a.lastmod)
        resp.headers.append(("Link", f'<{self.url(f"/?p={a.post_id}")}>; rel=shortlink'))
        if a.trap == "truncated":
            resp.body = truncate_after_content(resp.body)
        return resp

    def _home(self, page: int) -> Response:
        items_all = self.on_site
        npages = self.npages(len(items_all))
        if page > npages:
            return _html(404, self.theme.not_found_page(self, self.page_path("/", page)))
        per = self.replica.per_page
        items = items_all[(page - 1) * per: page * per]
        if page == 1:
            html = self.theme.home_page(self, items, self.home_links())
        else:
            html = self.theme.listing_page(self, title=f"{self.name} - Page {page}", heading=self.name,
                                           canonical=self.url(self.page_path("/", page)), body_class="home blog paged",
                                           items=items, page=page, npages=npages, base="/")
        return _html(200, html, last_modified=max((a.lastmod for a in items), default=self.now))

    def _archive_page(self, kind: str, slug: str, base: str, page: int) -> Response:
        found = self.archive(kind, slug)
        if found is None:
            return _html(404, self.theme.not_found_page(self, base))
        heading, items_all, body_class = found
        npages = self.npages(len(items_all))
        if page > npages:
            return _html(404, self.theme.not_found_page(self, self.page_path(base, page)))
        per = self.replica.per_page
        items = items_all[(page - 1) * per: page * per]
        html = self.theme.listing_page(self, title=f"{heading} - {self.name}", heading=heading,
                                       canonical=self.url(self.page_path(base, page)),
                                       body_class=body_class + (" paged" if page > 1 else ""),
                                       items=items, page=page, npages=npages, base=base)
        return _html(200, html, last_modified=max((a.lastmod for a in items), default=self.now))


# ---------------------------------------------------------------- helpers
def truncate_after_content(body: bytes) -> bytes:
    """Cut the page mid-tag inside the sidebar, after the article body closed (connection dropped)."""
    marker = body.find(b'<div class="sidebar-wrap">')
    cut = body.find(b'<a href="', body.find(b"<li", marker)) + len(b'<a href="htt')
    return body[:cut]


def conditional(resp: Response, headers: dict[str, str]) -> Response:
    """Add ETag/Last-Modified to 200 answers; turn them into 304 when the client's validators still match."""
    if resp.status != 200:
        return resp
    key = resp.etag_key or hashlib.sha1(resp.body).hexdigest()
    etag = '"' + hashlib.sha1(key.encode()).hexdigest()[:20] + '"'
    resp.headers.append(("ETag", etag))
    if resp.last_modified is not None:
        resp.headers.append(("Last-Modified", http_date(resp.last_modified)))
    low = {k.lower(): v for k, v in headers.items()}
    inm, ims = low.get("if-none-match"), low.get("if-modified-since")
    not_modified = False
    if inm is not None:
        not_modified = etag in [t.strip().removeprefix("W/") for t in inm.split(",")] or inm.strip() == "*"
    elif ims is not None and resp.last_modified is not None:
        try:
            not_modified = resp.last_modified.replace(microsecond=0) <= parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            not_modified = False
    if not_modified:
        keep = [(k, v) for k, v in resp.headers if k in ("ETag", "Last-Modified")]
        return Response(304, keep, b"")
    return resp


def rfc822(d: datetime) -> str:
    return d.strftime("%a, %d %b %Y %H:%M:%S %z")  # +0800, as WordPress feeds print it


def urlset(entries: list[tuple[str, datetime | None]], images: dict[str, str] | None = None) -> str:
    rows = []
    for url, lastmod in entries:
        lm = f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else ""
        img = f"<image:image><image:loc>{images[url]}</image:loc></image:image>" if images and url in images else ""
        rows.append(f"<url><loc>{escape(url)}</loc>{lm}{img}</url>")
    return ('<?xml version="1.0" encoding="UTF-8"?><?xml-stylesheet type="text/xsl" href="/main-sitemap.xsl"?>\n'
            '<urlset xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1" '
            'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + "\n".join(rows) + "\n</urlset>\n")


def sitemapindex(entries: list[tuple[str, datetime | None]]) -> str:
    rows = [f"<sitemap><loc>{escape(u)}</loc>{f'<lastmod>{d.isoformat()}</lastmod>' if d else ''}</sitemap>"
            for u, d in entries]
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            + "\n".join(rows) + "\n</sitemapindex>\n")


def news_sitemap(site: Site, arts: list[Article]) -> str:
    rows = [f"<url><loc>{site.article_url(a)}</loc><news:news><news:publication><news:name>{escape(site.name)}</news:name>"
            f"<news:language>{site.lang}</news:language></news:publication><news:publication_date>{a.published.isoformat()}"
            f"</news:publication_date><news:title>{escape(a.title)}</news:title></news:news></url>" for a in arts]
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n' + "\n".join(rows) + "\n</urlset>\n")


_LASTMOD = re.compile(r"<lastmod>([^<]+)</lastmod>")


def _maxdate(xml: str) -> datetime | None:
    found = [datetime.fromisoformat(m) for m in _LASTMOD.findall(xml)]
    return max(found) if found else None


# ---------------------------------------------------------------- the replica
class Replica:
    """All outlets plus the mutable state (clock, per-path hit counters for the retry traps)."""

    def __init__(self, roots: dict[str, str], n_articles: int = 0, seed: int = 1, per_page: int | None = None):
        self.roots = {k: r.rstrip("/") + "/" for k, r in roots.items()}
        self.lock = threading.RLock()
        self.now = datetime(2024, 10, 1, 9, 0, tzinfo=MYT)
        self.revision = 0  # bumped by every mutation; caches key on it
        self.per_page = per_page or (4 if n_articles < 100 else 10)
        self.rng = random.Random(seed)
        self._hits: dict[tuple[str, str], int] = {}
        self._next_id = {k: 1_000_000 * (i + 1) for i, k in enumerate(OUTLET_KEYS)}
        per_outlet = {k: n_articles // len(OUTLET_KEYS) + (1 if i < n_articles % len(OUTLET_KEYS) else 0)
                      for i, k in enumerate(OUTLET_KEYS)}
        self.sites: dict[str, Site] = {}
        for key in OUTLET_KEYS:
            arts = content.bundled_articles(key)
            # Generated articles predate the bundled ones, so the hand-made discovery traps stay where they are.
            arts += content.generate_articles(key, per_outlet[key], self._take_ids(key, per_outlet[key]), self.rng,
                                              start=datetime(2021, 1, 1, tzinfo=MYT), span_days=1090)
            self.sites[key] = Site(self, key, self.roots[key], arts)
        for site in self.sites.values():
            for a in site.articles:
                prose.check_clean(a.title + "\n" + a.text, _boilerplate())

    def _take_ids(self, key: str, n: int) -> int:
        first = self._next_id[key]
        self._next_id[key] += n
        return first

    def count_hit(self, key: str, path: str) -> int:
        with self.lock:
            self._hits[(key, path)] = self._hits.get((key, path), 0) + 1
            return self._hits[(key, path)]

    def reset_state(self) -> None:
        """Forget the retry traps' hit counters (each 503/429 trap fires again once)."""
        with self.lock:
            self._hits.clear()

    def site_for_url(self, url: str) -> tuple[Site, Article]:
        parts = urlsplit(url)
        for site in self.sites.values():
            if url.startswith(site.root) and parts.path in site.by_path:
                return site, site.by_path[parts.path]
        raise KeyError(url)

    # ------------------------------------------------------------ mutations
    def add_articles(self, k: int, outlet: str | None = None) -> list[Article]:
        """Publish ``k`` new articles (round-robin over outlets unless ``outlet``), dated after everything else."""
        with self.lock:
            self.now += timedelta(hours=1)
            keys = [outlet] if outlet else OUTLET_KEYS
            new = []
            for i in range(k):
                key = keys[i % len(keys)]
                art = content.generate_articles(key, 1, self._take_ids(key, 1), self.rng,
                                                start=self.now - timedelta(minutes=30), span_days=0)[0]
                art.published = self.now - timedelta(minutes=k - i)
                art.modified = None
                art.in_sitemap = True
                self.sites[key].articles.append(art)
                new.append(art)
            for key in set(a.outlet for a in new):
                self.sites[key].reindex()
            self.revision += 1
            return new

    def take_down(self, url: str, status: int = 410, location: str | None = None) -> None:
        """From now on the article at ``url`` answers ``status`` (404/410), or 301 to ``location``."""
        with self.lock:
            site, _ = self.site_for_url(url)
            path = urlsplit(url).path
            if location:
                site.taken_down[path] = Response(301, [("Location", location)], b"")
            else:
                site.taken_down[path] = _html(status, site.theme.not_found_page(site, path))
            self.revision += 1

    def edit_article(self, url: str) -> Article:
        """Rewrite part of an article: new text, dateModified/sitemap lastmod/feed date moved to the replica clock."""
        with self.lock:
            self.now += timedelta(hours=1)
            site, art = self.site_for_url(url)
            art.version += 1
            rng = random.Random(art.post_id * 1000 + art.version)
            art.paragraphs = art.paragraphs[:-1] + [
                " ".join(prose.sentence(rng, art.lang) for _ in range(2)), art.paragraphs[-1]]
            art.modified = self.now
            site.reindex()
            self.revision += 1
            return art

    def as_dict(self) -> dict[str, dict[str, tuple[int, list[tuple[str, str]], bytes]]]:
        """outlet -> path -> (status, headers, body) for every listed path (small replicas only)."""
        return {k: {p: (r.status, r.headers, r.body) for p in s.paths() for r in [s.handle("GET", p)]}
                for k, s in self.sites.items()}


def _boilerplate() -> list[str]:
    from .manifest import BOILERPLATE
    return BOILERPLATE


def default_roots(port_base: int = 8801) -> dict[str, str]:
    return {k: f"http://127.0.0.1:{port_base + i}/" for i, k in enumerate(OUTLET_KEYS)}


def build_replica(n_articles: int = 0, seed: int = 1, roots: dict[str, str] | None = None,
                  per_page: int | None = None) -> Replica:
    """The bundled replica (+ ``n_articles`` generated ones spread over the outlets) as data, no server."""
    return Replica(roots or default_roots(), n_articles=n_articles, seed=seed, per_page=per_page)
