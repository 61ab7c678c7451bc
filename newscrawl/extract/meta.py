"""Article metadata from one parsed tree: JSON-LD > OpenGraph/meta > visible page > htmldate > trafilatura."""

from __future__ import annotations

import html
import json
import re
from datetime import datetime, time, timedelta, timezone, tzinfo
from typing import Any, Iterator
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

from lxml.html import HtmlElement

from . import patterns as P
from .language import iso639_1

# --- JSON-LD ------------------------------------------------------------------------------------------------------


def _walk_ld(obj: Any) -> Iterator[dict]:
    if isinstance(obj, list):
        for x in obj:
            yield from _walk_ld(x)
    elif isinstance(obj, dict):
        yield obj
        for key in ("@graph", "mainEntity", "itemListElement"):
            if key in obj and isinstance(obj[key], (list, dict)):
                yield from _walk_ld(obj[key])


# CMS templates wrap JSON-LD in CDATA sections or HTML comments (also their "//" JavaScript-escaped forms)
_LD_WRAPPER_RE = re.compile(r"^\s*(?://\s*)?(?:<!\[CDATA\[|<!--)|(?://\s*)?(?:\]\]>|-->)\s*$")


def ld_nodes(tree: HtmlElement) -> list[dict]:
    """Every JSON-LD object on the page, @graph (Yoast) flattened. Broken blocks are skipped."""
    nodes: list[dict] = []
    for script in tree.iterfind('.//script[@type="application/ld+json"]'):
        raw = _LD_WRAPPER_RE.sub("", script.text or "").strip()
        if not raw or len(raw) > P.MAX_LD_CHARS:  # a multi-megabyte block is no article's metadata (memory)
            continue
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            try:  # trailing commas / stray semicolons are common in hand-written blocks
                data = json.loads(re.sub(r",\s*([}\]])", r"\1", raw.rstrip(";")), strict=False)
            except ValueError:
                continue
        nodes.extend(_walk_ld(data))
    return nodes


def ld_types(node: dict) -> set[str]:
    t = node.get("@type")
    types = t if isinstance(t, list) else [t]
    return {x.lower() for x in types if isinstance(x, str)}


def _first_str(value: Any, key: str = "name") -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return _first_str(value.get(key) or value.get("url") or value.get("@value"), key)
    if isinstance(value, list):
        for v in value:
            s = _first_str(v, key)
            if s:
                return s
    return None


def _ld_article(nodes: list[dict]) -> tuple[dict, dict[str, dict]]:
    by_id = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str)}
    for n in nodes:
        if ld_types(n) & P.ARTICLE_LD_TYPES:
            return n, by_id
    return {}, by_id


def ld_article_body(nodes: list[dict]) -> str | None:
    """The `articleBody` the page declares in JSON-LD (the article's own statement of its text), if any."""
    art, _ = _ld_article(nodes)
    body = art.get("articleBody")
    return body if isinstance(body, str) and body.strip() else None


def _ld_page(nodes: list[dict]) -> dict:
    for n in nodes:
        if ld_types(n) & (P.OTHER_LD_TYPES | P.LISTING_LD_TYPES):
            return n
    return {}


def _ld_authors(art: dict, by_id: dict[str, dict]) -> list[str]:
    raw = art.get("author") or art.get("creator")
    items = raw if isinstance(raw, list) else [raw]
    names = []
    for a in items:
        if isinstance(a, dict) and "name" not in a and a.get("@id") in by_id:  # Yoast: {"@id": ".../person/x"}
            a = by_id[a["@id"]]
        name = _first_str(a)
        if name and not name.startswith(("http://", "https://")):
            names.append(name)
    return names


# --- meta tags ----------------------------------------------------------------------------------------------------


def meta_tags(tree: HtmlElement) -> dict[str, list[str]]:
    """<meta property|name|itemprop=... content=...> as {lowercased key: [values in page order]}."""
    out: dict[str, list[str]] = {}
    for m in tree.iterfind(".//meta"):
        key = m.get("property") or m.get("name") or m.get("itemprop")
        content = m.get("content")
        if key and content and content.strip():
            out.setdefault(key.strip().lower(), []).append(content.strip())
    return out


def _m(meta: dict[str, list[str]], *keys: str) -> str | None:
    for k in keys:
        if meta.get(k):
            return meta[k][0]
    return None


# --- dates --------------------------------------------------------------------------------------------------------


def parse_tz(value: str | None) -> tzinfo | None:
    """'+08:00' / '-0530' / 'Asia/Kuching' -> tzinfo; missing or unusable -> None (no evidence of a zone)."""
    if not value or not isinstance(value, str):
        return None
    value = value.strip()
    m = re.fullmatch(r"([+-])(\d{1,2}):?(\d{2})?", value)
    if m:
        delta = timedelta(hours=int(m[2]), minutes=int(m[3] or 0))
        return timezone(-delta if m[1] == "-" else delta) if delta < timedelta(hours=15) else None
    try:
        return ZoneInfo(value)
    except Exception:  # noqa: BLE001
        return None


_OFFSET_RE = re.compile(r"T?\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?\s*([+-]\d{2}):?(\d{2})$")


def offset_evidence(values: list[str | None]) -> tzinfo | None:
    """The UTC offset the page writes its own machine-readable times with ("...T14:20:00+05:30"), if any.

    "Z" is not evidence: a page that serialises in UTC says nothing about the zone of its naive local times."""
    for v in values:
        m = _OFFSET_RE.search(v.strip()) if isinstance(v, str) else None
        if m:
            tz = parse_tz(f"{m[1]}:{m[2]}")
            if tz is not None:
                return tz
    return None


def _iso_out(dt: datetime, tz: tzinfo | None) -> str | None:
    """ISO 8601; a naive time takes `tz` when there is evidence of one, else stays naive (never a guessed zone).
    Dates outside 1990 .. next year are a page's placeholder (0001-01-01, 9999-12-31), not a publication date."""
    if not (P.MIN_YEAR <= dt.year <= datetime.now().year + 1):
        return None
    if dt.tzinfo is None and tz is not None:
        dt = dt.replace(tzinfo=tz)
        if isinstance(tz, ZoneInfo):  # render a named zone as its fixed offset
            dt = dt.astimezone(timezone(dt.utcoffset()))
    return dt.isoformat(timespec="seconds")


def normalize_date(value: str | None, tz: tzinfo) -> str | None:
    """ISO-ish string -> ISO 8601 with offset. Naive -> `tz`; date-only -> midnight `tz`; explicit offsets kept."""
    if not value or not isinstance(value, str):
        return None
    v = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
        try:
            return _iso_out(datetime.combine(datetime.strptime(v, "%Y-%m-%d").date(), time()), tz)
        except ValueError:
            return None
    v = re.sub(r"\s*(Z|UTC|GMT)$", "+00:00", v)
    v = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", v)  # +0800 -> +08:00
    v = re.sub(r"(\.\d{1,6})\d*", r"\1", v)  # fractional seconds beyond microseconds
    try:
        dt = datetime.fromisoformat(v.replace(" ", "T", 1) if re.match(r"\d{4}-\d{2}-\d{2} \d", v) else v)
    except ValueError:
        return parse_visible_date(value, tz)
    return _iso_out(dt, tz)


_MONTH_NAMES = "|".join(sorted(P.MONTHS, key=len, reverse=True))
_TIME = r"(?:,?\s*(?:jam|pukul|at|@|-|\|)?\s*(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.|pagi|tengah\s*hari|petang|malam)?)?"
_DMY_RE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(" + _MONTH_NAMES + r")\.?,?\s+(\d{4})" + _TIME, re.IGNORECASE)
_MDY_RE = re.compile(r"\b(" + _MONTH_NAMES + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})" + _TIME, re.IGNORECASE)
_NUMERIC_RE = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})" + _TIME)


def parse_visible_date(text: str | None, tz: tzinfo) -> str | None:
    """Human date in English or Malay ('5 Mac 2024, 2:20 petang', 'March 5, 2024 at 2:20 pm', '05/03/2024')."""
    if not text:
        return None
    m = _DMY_RE.search(text)
    if m:
        day, mon, year, rest = int(m[1]), P.MONTHS[m[2].lower()], int(m[3]), m.groups()[3:]
    elif (m := _MDY_RE.search(text)):
        mon, day, year, rest = P.MONTHS[m[1].lower()], int(m[2]), int(m[3]), m.groups()[3:]
    elif (m := _NUMERIC_RE.search(text)):  # day-first, as written in Malaysia
        day, mon, year, rest = int(m[1]), int(m[2]), int(m[3]), m.groups()[3:]
    else:
        return None
    hour, minute, second, part = rest
    h, mi, s = int(hour or 0), int(minute or 0), int(second or 0)
    if part:
        p = re.sub(r"[\s.]", "", part.lower())
        pm = p in ("pm", "tengahhari", "petang", "malam") if p not in ("am", "pagi") else False
        if p == "malam" and h < 5:  # "1.00 malam" is 1 a.m.
            pm = False
        if pm and h < 12:
            h += 12
        if not pm and h == 12:
            h = 0
    try:
        return _iso_out(datetime(year, mon, day, h, mi, s), tz)
    except ValueError:
        return None


# --- authors ------------------------------------------------------------------------------------------------------


def _split_names(byline: str) -> list[str]:
    caps = byline.isupper()
    return (P.AUTHOR_SPLIT_CAPS_RE if caps else P.AUTHOR_SPLIT_RE).split(byline)


def clean_authors(values: list[str], not_people: list[str] | None = None) -> list[str]:
    """'By A and B', 'Oleh A dan B', 'A, B' -> ['A', 'B'] (order kept; duplicates, URLs, CMS accounts such as
    "admin"/"Web Desk" and the names in `not_people` (the site, the publisher) dropped)."""
    out: list[str] = []
    others = {_fold(n) for n in not_people or () if n}
    for v in values:
        if not v or not isinstance(v, str) or v.startswith(("http://", "https://")):
            continue
        v = clean_field(v).strip(" \t|:-–—")
        v = P.BYLINE_PREFIX_RE.sub("", v)
        for name in _split_names(v):
            name = P.BYLINE_PREFIX_RE.sub("", name).strip(" .:-–—")
            if (name and 1 < len(name) <= 60 and not any(c.isdigit() for c in name) and name not in out
                    and not P.ACCOUNT_NAME_RE.match(name) and _fold(name) not in others and not _DOMAIN_RE.search(name)):
                out.append(name)
    return out


_DOMAIN_RE = re.compile(r"\w\.(?:com|net|org|my|co|news|info|tv)\b", re.IGNORECASE)


def _fold(name: str) -> str:
    return re.sub(r"\W+", "", name).casefold()


# --- text fields ---------------------------------------------------------------------------------------------------

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def clean_field(value: str, limit: int = P.MAX_FIELD_CHARS) -> str:
    """One-line metadata text: HTML entities decoded (pages double-escape them: "&amp;quot;"), control and
    bidirectional-override characters removed (a title must not drive the reader's terminal), spaces collapsed,
    capped at `limit` characters."""
    for _ in range(2):
        if "&" not in value:
            break
        value = html.unescape(value)
    value = _CONTROL_RE.sub(" ", value)
    return re.sub(r"\s+", " ", value).strip()[:limit].rstrip()


# --- titles -------------------------------------------------------------------------------------------------------

_SEP_RE = re.compile(r"\s+[|\-–—:·•»]\s+")


def strip_site_suffix(title: str | None, site_names: list[str], h1: str | None) -> str | None:
    """'Headline - Site Name' / 'Headline | Site' -> 'Headline' when the tail is the site's name or the h1 is the head."""
    if not title:
        return None
    title = clean_field(title)
    if h1 and title != h1 and title.startswith(h1) and _SEP_RE.match(title[len(h1):]):
        return h1
    names = {n.lower().strip() for n in site_names if n}
    parts = _SEP_RE.split(title)
    while len(parts) > 1 and (parts[-1].lower().strip() in names or (names and any(
            n and (n in parts[-1].lower() or parts[-1].lower() in n) for n in names))):
        title = title[: title.rfind(parts[-1])].rstrip(" |-–—:·•»")
        parts = parts[:-1]
    while len(parts) > 1 and parts[0].lower().strip() in names:  # "Site | Headline"
        title = title[len(parts[0]):].lstrip(" |-–—:·•»")
        parts = parts[1:]
    return title or None


# --- the whole record ---------------------------------------------------------------------------------------------

# One pass over the tree each (a union of `//*` paths walks the whole document once per branch).
_BYLINE_XPATH = (
    './/*[@rel="author" or @itemprop="author" or (@class and (contains(concat(" ", normalize-space(@class), " "),'
    ' " author ") or contains(@class, "author-name") or contains(@class, "byline") or contains(@class, "meta-author")'
    ' or contains(@class, "entry-author") or contains(@class, "td-post-author-name") or contains(@class, "posted-by")'
    '))]'
)
_SHORT = "[not(.//p) and string-length(normalize-space(.)) < 120]"  # a byline/date element, not a container
_DATE_XPATH = (
    './/*[(self::time and @datetime) or @itemprop="datePublished" or @itemprop="dateModified" or (@class and ('
    'contains(@class, "entry-date") or contains(@class, "post-date") or contains(@class, "published")'
    ' or contains(@class, "td-post-date") or contains(@class, "meta-date") or contains(@class, "updated")'
    ' or contains(@class, "date-post") or contains(@class, "article-date") or contains(@class, "meta_date")'
    ' or contains(@class, "post_date") or contains(@class, "entry_date")'
    ' or contains(concat(" ", normalize-space(@class), " "), " date ")))]'
)
_BYLINE_TEXT_RE = re.compile(r"^\s*(?:by|oleh)\s+([A-Z][^\n]{1,80})$", re.IGNORECASE)


def _text(el: HtmlElement) -> str:
    return re.sub(r"\s+", " ", el.text_content()).strip()


def _visible(tree: HtmlElement, tz: tzinfo) -> dict[str, Any]:
    """Byline, dates, section and tags as rendered in the page (the theme's markup)."""
    out: dict[str, Any] = {"authors": [], "published": None, "modified": None, "section": None, "tags": []}
    for el in tree.xpath(f"({_BYLINE_XPATH}){_SHORT}"):
        if el.tag in ("meta", "link", "body", "html", "article") or el.get("class", "").find("author-box") >= 0:
            continue
        t = _text(el)
        if t and len(t) <= 80:
            out["authors"] = clean_authors([t])
            if out["authors"]:
                break
    if not out["authors"]:  # a "By X" / "Oleh X" line in the first paragraphs
        for el in tree.xpath("(.//p | .//div[not(*)] | .//span[not(*)])"
                             "[starts-with(normalize-space(.), 'By ') or starts-with(normalize-space(.), 'Oleh ')"
                             " or starts-with(normalize-space(.), 'BY ') or starts-with(normalize-space(.), 'OLEH ')]"
                             "[string-length(normalize-space(.)) < 90][position() <= 5]"):
            m = _BYLINE_TEXT_RE.match(_text(el))
            if m:
                out["authors"] = clean_authors([m[1]])
                break
    for el in tree.xpath(f"({_DATE_XPATH})[@datetime or @content or (not(.//p) and string-length(normalize-space(.)) < 120)]"):
        cls = (el.get("class") or "") + " " + (el.get("itemprop") or "")
        raw = el.get("datetime") or el.get("content")
        value = normalize_date(raw, tz) if raw else parse_visible_date(_text(el), tz)
        if not value:
            continue
        if "updated" in cls or "modified" in cls.lower():
            out["modified"] = out["modified"] or value
        else:
            out["published"] = out["published"] or value
        if out["published"] and out["modified"]:
            break
    if out["published"] is None:  # a short leaf that reads like a date ("5 Mac 2024, 3:15 petang")
        for el in tree.xpath(".//body//*[self::a or self::span or self::div or self::p or self::time]"
                             "[not(*)][string-length(normalize-space(.)) < 60][position() <= 400]"):
            text = _text(el)
            if any(ch.isdigit() for ch in text) and (value := parse_visible_date(text, tz)):
                out["published"] = value
                break
    cats = tree.xpath('.//a[contains(concat(" ", normalize-space(@rel), " "), " category ")]')
    if cats:
        out["section"] = _text(cats[0]) or None
    else:  # the breadcrumb's last link before the article ("Home > Sarawak > headline")
        crumbs = [t for a in tree.xpath('.//*[contains(@class, "breadcrumb")]//a')
                  if (t := _text(a)) and a.get("href", "").rstrip("/").count("/") > 2]
        if crumbs:
            out["section"] = crumbs[-1] if len(crumbs[-1]) <= 60 else None
    out["tags"] = list(dict.fromkeys(
        t for a in tree.xpath('.//a[@rel="tag"]') if (t := _text(a)) and len(t) <= 60))
    return out


def extract_metadata(tree: HtmlElement, url: str, hints: dict, *, use_visible: bool = True,
                     nodes: list[dict] | None = None) -> dict[str, Any]:
    """Fill title, authors, dates, section, tags, language, image_url, canonical_url (see package docstring).

    `use_visible=False` skips the page-markup fallbacks (bylines/dates of a listing's teasers mean nothing).
    """
    nodes = ld_nodes(tree) if nodes is None else nodes
    art, by_id = _ld_article(nodes)
    page = _ld_page(nodes)
    meta = meta_tags(tree)
    tz = page_timezone(hints, art, page, meta, tree)
    head_title = tree.findtext(".//title")
    h1s = [t for el in tree.iterfind(".//h1") if (t := _text(el))]
    h1 = h1s[0] if len(h1s) == 1 else next(
        (_text(el) for el in tree.xpath('.//h1[contains(@class, "title")]')), h1s[0] if h1s else None)

    site_names = [_m(meta, "og:site_name") or ""]
    site_names += [n.get("name", "") for n in nodes if ld_types(n) & {"website", "organization", "newsmediaorganization"}
                   and isinstance(n.get("name"), str)]
    pub = art.get("publisher")
    if isinstance(pub, dict) and pub.get("@id") in by_id:
        pub = by_id[pub["@id"]]
    site_names.append(_first_str(pub) or "")

    vis: dict[str, Any] | None = None

    def visible() -> dict[str, Any]:
        nonlocal vis
        if vis is None:
            vis = _visible(tree, tz) if use_visible else {"authors": [], "published": None, "modified": None,
                                                           "section": None, "tags": []}
        return vis

    # title: JSON-LD headline > og:title > h1 > <title>, each stripped of a " - Site" suffix
    title = None
    for cand in (_first_str(art.get("headline")), _first_str(art.get("name")), _m(meta, "og:title", "twitter:title"),
                 h1, head_title):
        title = strip_site_suffix(cand, site_names, h1)
        if title:
            break

    site_names = [n for n in site_names if n]
    authors = clean_authors(_ld_authors(art, by_id), site_names) if art else []
    if not authors:
        authors = clean_authors([a for a in meta.get("author", []) + meta.get("article:author", [])
                                 + meta.get("parsely-author", []) + meta.get("sailthru.author", [])], site_names)
    if not authors:
        authors = clean_authors(visible()["authors"], site_names)

    published = normalize_date(_first_str(art.get("datePublished")) or _first_str(page.get("datePublished")), tz)
    modified = normalize_date(_first_str(art.get("dateModified")) or _first_str(page.get("dateModified")), tz)
    published = published or normalize_date(_m(meta, "article:published_time", "datepublished", "og:published_time",
                                                "pubdate", "publishdate", "parsely-pub-date", "sailthru.date",
                                                "dc.date.issued", "date"), tz)
    modified = modified or normalize_date(_m(meta, "article:modified_time", "og:updated_time", "datemodified",
                                             "lastmod"), tz)
    if not published or not modified:
        published = published or visible()["published"]
        modified = modified or visible()["modified"]

    section = _first_str(art.get("articleSection")) or _m(meta, "article:section")
    if not section:
        section = visible()["section"]

    kw = art.get("keywords")
    if isinstance(kw, str):
        tags = [k.strip() for k in kw.split(",") if k.strip()]
    elif isinstance(kw, list):
        tags = [k.strip() for k in kw if isinstance(k, str) and k.strip()]
    else:
        tags = []
    tags = tags or meta.get("article:tag", []) or visible()["tags"]
    tags = list(dict.fromkeys(t for t in (clean_field(x, 100) for x in tags) if t))[:P.MAX_TAGS]
    section = clean_field(section) or None if isinstance(section, str) else None

    declared = (_first_str(art.get("inLanguage")) or _first_str(page.get("inLanguage")) or _m(meta, "og:locale")
                or tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
                or _m(meta, "content-language", "language"))
    declared = iso639_1(declared)
    language = declared or iso639_1(hints.get("language")) or "en"

    image = _first_str(art.get("image"), "url") or _m(meta, "og:image", "og:image:url", "twitter:image")
    if art.get("image") and isinstance(art["image"], dict) and art["image"].get("@id") in by_id:
        image = _first_str(by_id[art["image"]["@id"]], "url") or image
    image = urljoin(url, image) if image else None

    canonical = None
    for link in tree.iterfind(".//link[@rel]"):
        if "canonical" in link.get("rel", "").lower().split() and link.get("href", "").strip():
            canonical = link.get("href").strip()
            break
    canonical = canonical or _m(meta, "og:url")
    canonical = urljoin(url, canonical) if canonical else None

    return {"title": title, "authors": authors, "published_at": published, "modified_at": modified,
            "section": section, "tags": tags, "language": language, "image_url": image, "canonical_url": canonical,
            "site_names": site_names, "tz": tz, "declared_language": declared}


def page_timezone(hints: dict, art: dict, page: dict, meta: dict[str, list[str]], tree: HtmlElement) -> tzinfo | None:
    """The zone for this page's naive times, by evidence only: the outlet's configured `timezone` hint, else the
    offset the page itself writes elsewhere (JSON-LD, meta, <time datetime>), else the offset the site's feeds and
    sitemaps use (`site_timezone`, observed by discovery). None when there is no evidence."""
    configured = parse_tz(hints.get("timezone"))
    if configured is not None:
        return configured
    values = [_first_str(node.get(k)) for node in (art, page) for k in ("datePublished", "dateModified")]
    values += [v for k in ("article:published_time", "article:modified_time", "og:updated_time") for v in meta.get(k, [])]
    values += [t.get("datetime") for t in tree.iterfind(".//time[@datetime]")][:20]
    return offset_evidence(values) or parse_tz(hints.get("site_timezone"))


def fallback_dates(tree: HtmlElement, url: str, tz: tzinfo) -> str | None:
    """htmldate's search, only when structured data and the page's own date markup gave nothing."""
    from htmldate import find_date

    try:
        found = find_date(tree, extensive_search=True, original_date=True, outputformat="%Y-%m-%dT%H:%M:%S", url=url)
    except Exception:  # noqa: BLE001
        return None
    if not found:
        return None
    if found.endswith("T00:00:00"):
        found = found[:10]
    return normalize_date(found, tz)
