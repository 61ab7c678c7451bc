"""Extraction stage: fetched page -> clean article text and metadata.

Public API (other modules code against these names):

* ``extract_article(body, url, *, encoding=None, hints=None) -> dict`` -- the full record (keys below).
* ``body_text(html, url) -> str`` -- the body text only (what the extraction benchmark scores).
* ``classify_page(html, url) -> "article" | "listing" | "other"`` -- cheap, for the spider on every page.

Steps of ``extract_article`` (each its own module, each testable alone):

1. ``decode``: bytes -> str. BOM > Scrapy's ``encoding`` (strict) > UTF-8 (strict) > charset-normalizer, falling
   through whenever a decode gives U+FFFD or UTF-8-as-cp1252 mojibake. latin-1/ascii labels are read as cp1252
   (as browsers do). NUL bytes / %PDF / image signatures -> ``binary``.
2. Parse ONCE with lxml (``trafilatura.utils.load_html``); the same tree serves every step below.
3. Rejects before extraction: ``bot_challenge`` (Cloudflare "Just a moment...", "Checking your browser",
   captcha interstitials), ``error_page`` (body class ``error404``, or a "Page not found"/"404"/"Halaman tidak
   dijumpai" title or heading on a page that is not marked up as an article).
4. ``classify``: page kind from JSON-LD @type, og:type, WordPress body classes, rel=next/prev, URL shape and, only
   when those are weak, the amount of prose vs. article-like links. Non-articles -> ``not_article``. A crawl's
   spider that classified the page already (it does for pages that do not claim to be articles in their markup)
   passes its verdict as ``hints["page_kind"]``: the page kind is decided once.
5. ``meta``: metadata, first source that has a value wins:
     JSON-LD (Article/NewsArticle/BlogPosting/..., Yoast ``@graph`` with ``@id`` references resolved)
     > OpenGraph / ``<meta>`` (og:title, article:published_time, article:modified_time, article:section,
       article:tag, og:image, og:locale, name=author)
     > the visible page (``time[datetime]``, ``.entry-date``/``.updated``, ``rel=author``/``.author`` bylines,
       "By X"/"Oleh X" lines, English and Malay dates such as "5 Mac 2024, 2:20 petang", ``rel=category``,
       ``rel=tag`` links)
     > htmldate (dates only, and only when nothing above gave a published date)
     > trafilatura's metadata (title/author/date, only for fields still empty).
   Title is the headline, with a " - Site" / " | Site" suffix removed (site name from og:site_name or JSON-LD
   WebSite/Organization/publisher, or the page's h1 being the head of the title).
   Dates are ISO 8601 with an offset: naive times get ``hints["timezone"]`` (default +08:00), date-only values
   become midnight in that zone, values with an explicit offset (including UTC "Z") keep it unchanged.
   Language: JSON-LD inLanguage > og:locale > ``<html lang>`` > ``hints["language"]`` > "en" (no detection).
   Authors: names only ("By "/"Oleh " removed; "A and B", "A dan B", "A, B" split).
6. ``body``: prune boilerplate DOM nodes (theme/plugin class and id tokens, aside/nav/footer/figcaption, in-body
   "Related"/"Baca juga" blocks, ``hints["remove_selectors"]``), optionally narrow to ``hints["body_selector"]``,
   run trafilatura (options in ``body.TRAFILATURA_OPTIONS``: fast=True, include_comments=False, chosen on the
   181-page benchmark: F1 0.964 vs 0.953 for plain default trafilatura, ~1.2x its speed), then drop short
   boilerplate lines (``patterns.BOILERPLATE_LINE_RE``) and a trailing related-links block.
7. ``too_short`` when the text is under ``hints["min_text_length"]`` (default ``DEFAULT_MIN_TEXT_LENGTH`` = 200
   characters); ``empty_text`` when nothing is left at all.

All class names and line patterns are data in ``newscrawl.extract.patterns``. ``extract_article`` never raises.
"""

from __future__ import annotations

import logging
import re
import statistics
from typing import Any
from urllib.parse import urlsplit

from lxml.html import HtmlElement
from trafilatura.utils import load_html

from .. import record
from ..text import length_for_minimum
from . import patterns as P
from .body import drop_head_lines, extract_body, headlines, prune_tree
from .classify import classify_tree
from .decode import BinaryContent, decode_body, is_binary
from .language import decide as decide_language
from .meta import clean_authors, clean_field, extract_metadata, fallback_dates, ld_article_body, ld_nodes, ld_types

__all__ = ["extract_article", "body_text", "classify_page", "DEFAULT_MIN_TEXT_LENGTH"]

DEFAULT_MIN_TEXT_LENGTH = P.DEFAULT_MIN_TEXT_LENGTH
LOGGER = logging.getLogger(__name__)
# what extract_article returns: the verdict, then the article record's extracted fields (newscrawl/record.py)
KEYS = ("is_article", "reject_reason", "page_kind", "canonical_url", *record.EXTRACTED)


def _empty(reason: str, language: str = "en") -> dict[str, Any]:
    return {"is_article": False, "reject_reason": reason, "page_kind": "other", "canonical_url": None, "title": None,
            "authors": [], "published_at": None, "modified_at": None, "section": None, "tags": [],
            "language": language, "image_url": None, "text": ""}


def _parse(html: str) -> HtmlElement | None:
    try:
        return load_html(html)
    except Exception:  # noqa: BLE001
        return None


def body_text(html: str, url: str) -> str:
    """Article body text, one paragraph per line ('' when nothing is found)."""
    tree = _parse(html)
    if tree is None:
        return ""
    try:
        heads = headlines(tree)
        return drop_head_lines(extract_body(tree, url, article_body=ld_article_body(ld_nodes(tree))), heads)
    except Exception:
        LOGGER.exception("body extraction failed: %s", url)
        return ""


def classify_page(html: str, url: str) -> str:
    """'article' | 'listing' | 'other' from cheap page evidence (no body extraction)."""
    tree = _parse(html)
    if tree is None:
        return "other"
    try:
        return classify_tree(tree, url)
    except Exception:
        LOGGER.exception("classification failed: %s", url)
        return "other"


def _is_bot_challenge(tree: HtmlElement, html: str, title: str) -> bool:
    if re.search(r"^(just a moment|attention required|checking your browser|please wait|ddos-guard|captcha)",
                 title, re.I):
        return True
    # markers anywhere only count on a small, near-empty page (interstitials are a few kB of markup)
    if len(html) > 100_000 or not P.BOT_CHALLENGE_RE.search(html.lower()):
        return False
    return sum(len(p.text_content()) for p in tree.iterfind(".//p")) < 1500


def _marked_article(tree: HtmlElement, nodes: list[dict]) -> bool:
    """The page declares itself an article (JSON-LD article type or og:type article)."""
    if any(ld_types(n) & P.ARTICLE_LD_TYPES for n in nodes):
        return True
    return any(m.get("property", "").lower() == "og:type" and (m.get("content") or "").strip().lower() == "article"
               for m in tree.iterfind(".//meta[@property]"))


def _is_error_page(tree: HtmlElement, title: str, is_marked_article: bool) -> bool:
    body = tree.find(".//body")
    if body is not None and "error404" in (body.get("class") or "").split():
        return True
    if is_marked_article:
        return False
    heads = [title] + [h.text_content().strip() for h in tree.xpath(".//h1")[:2]]
    return any(h and len(h) < 120 and P.ERROR_TITLE_RE.search(h) for h in heads)


def section_language(hints: dict, url: str, section: str | None) -> str | None:
    """The outlet's language for one of its sections (hint ``language_sections``: {"iban": "iba"}), matched
    against the article's section name or a segment of its URL path, case-insensitively; None when none matches."""
    table = hints.get("language_sections")
    if not isinstance(table, dict) or not table:
        return None
    wanted = {str(k).casefold(): str(v) for k, v in table.items()}
    names = [(section or "").strip().casefold()] + [seg.casefold() for seg in urlsplit(url).path.split("/") if seg]
    return next((wanted[n] for n in names if n in wanted), None)


def extract_article(body: bytes | str, url: str, *, encoding: str | None = None,
                    hints: dict | None = None) -> dict[str, Any]:
    """Full extraction record for one fetched page; see the module docstring. Never raises."""
    hints = hints if isinstance(hints, dict) else {}
    default_lang = str(hints.get("language") or "en")
    try:
        record = _extract(body, url, encoding, hints, default_lang)
        return {k: record[k] for k in KEYS}
    except Exception:  # the crawl must go on: an unexpected page shape is a reject, not a crash
        LOGGER.exception("extraction failed: %s", url)
        return _empty("error", default_lang)


def _extract(body: bytes | str, url: str, encoding: str | None, hints: dict, default_lang: str) -> dict[str, Any]:
    if body is None or (isinstance(body, (bytes, str)) and not body.strip()):
        return _empty("empty_text", default_lang)
    if not isinstance(body, (bytes, str)):
        return _empty("undecodable", default_lang)
    try:
        html = decode_body(body, encoding)
    except BinaryContent:
        return _empty("binary", default_lang)
    except (UnicodeDecodeError, LookupError):
        return _empty("undecodable", default_lang)
    if html.lstrip().startswith("%PDF") or is_binary(html[:1024].encode("utf-8", "replace")):
        return _empty("binary", default_lang)
    tree = _parse(html)
    if tree is None:
        return _empty("empty_text", default_lang)
    _drop_huge_scripts(tree)

    head_title = (tree.findtext(".//title") or "").strip()
    if _is_bot_challenge(tree, html, head_title):
        return _empty("bot_challenge", default_lang)  # nothing on it describes the real page

    nodes = ld_nodes(tree)
    kind = hints.get("page_kind") or classify_tree(tree, url, nodes)  # a crawl's spider may have decided it
    record = _empty("not_article", default_lang)
    record.update(extract_metadata(tree, url, hints, use_visible=kind == "article", nodes=nodes))
    record["page_kind"] = kind
    if _is_error_page(tree, head_title, _marked_article(tree, nodes)):
        record.update(reject_reason="error_page", page_kind="other")
        return record
    if kind != "article":
        return record

    tz = record["tz"]  # the zone the page's own evidence gave (None: naive times stay naive)
    if not record["published_at"]:  # htmldate's search, only when nothing structured gave a date
        record["published_at"] = fallback_dates(tree, url, tz)
    if not (record["title"] and record["authors"] and record["published_at"]):
        _trafilatura_metadata(tree, url, record, tz)

    article_body = ld_article_body(nodes)
    heads = headlines(tree, record["title"])  # before pruning: a theme's header may hold the h1
    prune_tree(tree, hints.get("remove_selectors"), article_body)
    text = extract_body(tree, url, hints, pruned=True, article_body=article_body)
    text = drop_head_lines(text, heads, record["authors"])
    record["text"] = text
    record["language"] = decide_language(record["declared_language"], text,
                                         section_language(hints, url, record.get("section")) or hints.get("language"))
    record["reject_reason"] = _length_verdict(text, hints)
    record["is_article"] = record["reject_reason"] is None
    return record


def _drop_huge_scripts(tree: HtmlElement) -> None:
    """A multi-megabyte script (JSON-LD included) is never text and would cost the metadata fallbacks (trafilatura,
    htmldate) a gigabyte to parse: bounded memory per page."""
    for script in list(tree.iter("script")):
        if script.text and len(script.text) > P.MAX_LD_CHARS:
            script.getparent().remove(script)


def _hint_int(hints: dict, key: str, default: int) -> int:
    try:
        return int(hints.get(key, default))
    except (TypeError, ValueError):
        return default


def _length_verdict(text: str, hints: dict) -> str | None:
    """None for a story-sized text, else the reject reason (empty, too short, too long, an index of rows)."""
    if not text.strip():
        return "empty_text"
    # a CJK character is a share of a word, not a letter (newscrawl.text): a Chinese brief is not "too short"
    if length_for_minimum(text) < _hint_int(hints, "min_text_length", DEFAULT_MIN_TEXT_LENGTH):
        return "too_short"
    if len(text) > _hint_int(hints, "max_text_length", P.DEFAULT_MAX_TEXT_LENGTH):
        return "too_long"
    lines = text.count("\n") + 1
    if lines >= P.INDEX_MIN_LINES and statistics.median(map(len, text.split("\n"))) < P.INDEX_MAX_MEDIAN_LINE:
        return "index_page"
    return None


def _trafilatura_metadata(tree: HtmlElement, url: str, record: dict, tz) -> None:
    """Last resort for fields nothing else filled."""
    from trafilatura.metadata import extract_metadata as tm

    from .meta import normalize_date

    try:
        doc = tm(tree, url, None, False, None)
    except Exception:  # noqa: BLE001
        return
    if not record["title"] and doc.title:
        record["title"] = clean_field(doc.title)
    if not record["authors"] and doc.author:
        record["authors"] = clean_authors([doc.author.replace(";", ",")], record.get("site_names"))
    if not record["published_at"] and doc.date:
        record["published_at"] = normalize_date(doc.date, tz)
