"""Expected crawl outcomes, computed from the same ``Article`` objects and routes that render the pages.

Compare dates as aware datetimes (``datetime.fromisoformat``): the pages state the same instant in several
offsets (Yoast's OpenGraph prints UTC, its JSON-LD +08:00); the manifest always gives +08:00.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

from .site import UTM, Replica, Site

# Strings of page furniture that must never reach stored article text (checked case-insensitively by
# tests/test_replica.py against every article's prose, and proven present on served article pages).
BOILERPLATE = [
    "- Advertisement -", "Share This Article", "Follow:", "Subscribe to our newsletter", "Latest News", "Related",
    "Also read", "Leave a Reply", "Popular Posts", "We use cookies", "All rights reserved",
    "More from author", "Your email address will not be published", "Copy Link", "Photo courtesy of the organisers",
    "File photo for illustration purposes", "Iklan", "Berita Berkaitan", "Kongsi", "Berita Terkini", "Baca juga",
    "Tinggalkan Komen", "Hak cipta terpelihara", "Gambar hiasan", "menggunakan kuki",
]


@dataclass
class ExpectedArticle:
    outlet: str
    post_id: int
    url: str  # canonical URL
    title: str  # headline without the site suffix
    authors: list[str]
    published_at: str  # ISO 8601, +08:00
    modified_at: str | None  # None when the page declares no modification date
    section: str
    tags: list[str]
    language: str  # 'en' | 'ms'
    text: str  # paragraphs joined with "\n": no captions, ads, share, related or newsletter text
    image_url: str
    variants: dict[str, str]  # other URL -> kind (utm | amp | shortlink | noslash | alt_path); all map to `url`
    discovery: list[str]  # surfaces listing it: sitemap | feed | home (page 1 + sidebars) | archive
    archive_page: int | None  # smallest paginated-archive page listing it (None: in no archive)
    encoding: str  # charset the page is served in
    notes: str = ""


@dataclass
class Manifest:
    roots: dict[str, str]
    articles: list[ExpectedArticle]
    never_articles: set[str]  # absolute URLs that must never be stored as articles
    traps: list[dict]  # {outlet, url, kind, expect, note}
    disallowed: dict[str, list[str]]  # outlet -> absolute URLs linked from pages but disallowed by robots.txt
    disallow_rules: dict[str, list[str]]  # outlet -> Disallow: prefixes
    boilerplate: list[str] = field(default_factory=lambda: list(BOILERPLATE))
    near_duplicates: list[tuple[str, str]] = field(default_factory=list)  # syndicated copies (not exact dups)

    def article(self, url: str) -> ExpectedArticle:
        """The expected article for its canonical URL or any of its variants."""
        return self._index()[url]

    def for_outlet(self, outlet: str) -> list[ExpectedArticle]:
        return [a for a in self.articles if a.outlet == outlet]

    def is_disallowed(self, url: str) -> bool:
        parts = urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        for outlet, root in self.roots.items():
            if url.startswith(root):
                return _matches(target, self.disallow_rules[outlet])
        return False

    def _index(self) -> dict[str, ExpectedArticle]:
        idx = {}
        for a in self.articles:
            idx[a.url] = a
            for v in a.variants:
                idx[v] = a
        return idx

    def to_json(self) -> str:
        data = asdict(self)
        data["never_articles"] = sorted(self.never_articles)
        return json.dumps(data, ensure_ascii=False, indent=1)


def _matches(target: str, rules: list[str]) -> bool:
    return any(target.startswith(rule) for rule in rules)


TRAP_NOTES = {
    "retry503": "First request answers 503 with Retry-After: 1, later ones 200: must end up stored.",
    "retry429": "First request answers 429 with Retry-After: 1, later ones 200: must end up stored.",
    "truncated": ("Served cut mid-tag inside the sidebar, after the article body closed: head, JSON-LD and every "
                  "paragraph are intact, so it MUST be accepted with the full text (lenient HTML parsing)."),
    "cp1252": "Served as windows-1252, declared only in the Content-Type header (no meta charset).",
    "alt_path": "Identical text also served (200, no redirect) at /news/<slug>/ whose canonical is itself.",
    "utm": "Linked with utm_*/fbclid tracking parameters.",
    "noslash": "Linked without its trailing slash from 'Also read' blocks (301 to the slash URL).",
}


def _expected(site: Site, a, positions: dict[int, int], feed: set[int], home: set[int]) -> ExpectedArticle:
    url = site.article_url(a)
    variants = {url + "amp/": "amp", site.url(f"/?p={a.post_id}"): "shortlink", url.rstrip("/"): "noslash"}
    if a.trap == "utm" or site.trending_link()[1] == url + UTM:
        variants[url + UTM] = "utm"
    if a.trap == "alt_path":
        variants[site.url(site.alt_path(a))] = "alt_path"
    discovery = []
    if a.in_sitemap:
        discovery.append("sitemap")
    if a.post_id in feed:
        discovery.append("feed")
    if a.post_id in home:
        discovery.append("home")
    if a.post_id in positions:
        discovery.append("archive")
    notes = [TRAP_NOTES[a.trap]] if a.trap in TRAP_NOTES else []
    if not a.meta_dates:
        notes.append("The visible Malay date is the only date on the page.")
    if a.wire:
        notes.append("Syndicated Bernama story, republished by another outlet with different intro/outro.")
    return ExpectedArticle(
        outlet=a.outlet, post_id=a.post_id, url=url, title=a.title, authors=list(a.authors),
        published_at=a.published.isoformat(), modified_at=a.modified.isoformat() if a.modified else None,
        section=a.section, tags=list(a.tags), language=a.lang, text=a.text, image_url=site.image_url(a),
        variants=variants, discovery=discovery, archive_page=positions.get(a.post_id),
        encoding="windows-1252" if a.trap == "cp1252" else "utf-8", notes=" ".join(notes))


def build_manifest(replica: Replica) -> Manifest:
    with replica.lock:
        articles, never, traps, disallowed, rules = [], set(), [], {}, {}
        for key, site in replica.sites.items():
            positions = site.archive_positions()
            feed = {a.post_id for a in site.feed_items()}
            home = {a.post_id for a in site.on_site[:max(site.replica.per_page, 5)]}
            articles += [_expected(site, a, positions, feed, home) for a in site.sorted]
            never.update(site.url(p) for p in site.listing_paths())
            never.update(site.url(p.path) for p in site.static_pages)
            never.update(site.url(p) for p in ["/robots.txt", "/feed/", *site.sitemap_files()])
            if site.cfg["atom"]:
                never.add(site.url("/feed/atom/"))
            for t in site.traps.values():
                never.add(site.url(t.path))
                traps.append(dict(outlet=key, url=site.url(t.path), kind=t.kind, expect=t.expect, note=t.note))
            for a in site.articles:
                if a.trap in TRAP_NOTES:
                    traps.append(dict(outlet=key, url=site.article_url(a), kind=a.trap, expect="article",
                                      note=TRAP_NOTES[a.trap]))
            rules[key] = list(site.cfg["disallow"])
            # Links the pages really carry into disallowed paths: read from the rendered homepage and an article.
            pages = [site._route("/").body, site._route(site.article_path(site.on_site[0])).body]
            hrefs = {h for body in pages for h in re.findall(r'href="([^"]+)"', body.decode("utf-8", "replace"))}
            disallowed[key] = sorted(h for h in hrefs if h.startswith(site.root)
                                     and _matches(h[len(site.root) - 1:], rules[key]))
        wire = [a.url for a in articles if "Bernama" in a.authors]
        near = [(wire[i], wire[j]) for i in range(len(wire)) for j in range(i + 1, len(wire))]
        return Manifest(roots=dict(replica.roots), articles=articles, never_articles=never, traps=traps,
                        disallowed=disallowed, disallow_rules=rules, near_duplicates=near)
