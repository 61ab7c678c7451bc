"""Cheap page-kind classification: article / listing / other, from evidence the page gives about itself."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement

from . import patterns as P
from .meta import ld_nodes, ld_types

_ARTICLE_LINK_RE = re.compile(r"/(19|20)\d{2}/\d{1,2}/|/\d{5,}")
_SLUG_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-"


def _ends_in_slug(path: str) -> bool:
    """Whether ``path`` ends in a slug of four or more words (``/river-basin-plan-tabled/``, ``.html`` allowed).

    Written out rather than as ``[a-z0-9]+(-[a-z0-9]+){3,}/?(\\.html?)?$``: that pattern retries from every
    character and took 12 s on one 20 KB href of a hostile page (it runs on the reactor thread).
    """
    tail = path.removesuffix(".html").removesuffix(".htm").removesuffix("/")
    run = tail[len(tail.rstrip(_SLUG_CHARS)):]  # the trailing [a-z0-9-]* run
    if run.endswith("-"):
        return False
    return run.rsplit("--", 1)[-1].lstrip("-").count("-") >= 3


_LOOSE_TEXT = etree.XPath(
    "//body//text()[not(ancestor::script) and not(ancestor::style) and not(ancestor::a) and not(ancestor::nav)"
    " and not(ancestor::footer) and not(ancestor::header)]")


def _article_like_links(tree: HtmlElement, host: str) -> int:
    n = 0
    seen = set()
    for a in tree.iterfind(".//a[@href]"):
        href = a.get("href", "")
        parts = urlsplit(href)
        if parts.netloc and parts.netloc.lower().removeprefix("www.") != host:
            continue
        path = parts.path
        if path in seen or P.LISTING_URL_RE.search(href):
            continue
        if _ARTICLE_LINK_RE.search(path) or _ends_in_slug(path):
            seen.add(path)
            n += 1
    return n


def classify_tree(tree: HtmlElement, url: str, nodes: list[dict] | None = None) -> str:
    """Score the page's signals; see classify_page."""
    score = {"article": 0.0, "listing": 0.0, "other": 0.0}
    nodes = ld_nodes(tree) if nodes is None else nodes
    types: set[str] = set()
    for n in nodes:
        types |= ld_types(n)
    if types & P.ARTICLE_LD_TYPES:
        score["article"] += 4
    if types & P.LISTING_LD_TYPES:
        score["listing"] += 4
    elif types & P.WEAK_LISTING_LD_TYPES and not _navigation_lists(nodes):
        score["listing"] += 2
    if types & P.OTHER_LD_TYPES and not types & (P.ARTICLE_LD_TYPES | P.LISTING_LD_TYPES):
        score["other"] += 2

    og_type = ""
    for m in tree.iterfind(".//meta[@property]"):
        if m.get("property", "").lower() == "og:type":
            og_type = (m.get("content") or "").strip().lower()
            break
    if og_type == "article":
        score["article"] += 2
    elif og_type in ("website", "profile"):
        score["other" if og_type == "website" else "listing"] += 1

    body = tree.find(".//body")
    classes = set((body.get("class") or "").lower().split()) if body is not None else set()
    if _article_classes(classes):
        score["article"] += 3
    if classes & P.LISTING_BODY_CLASSES:
        score["listing"] += 3
    if classes & P.OTHER_BODY_CLASSES and not classes & (P.LISTING_BODY_CLASSES | P.ARTICLE_BODY_CLASSES):
        score["other"] += 3

    if any(ln.get("rel", "").lower() in ("next", "prev") for ln in tree.iterfind(".//head/link[@rel]")):
        score["listing"] += 1
    parts = urlsplit(url or "")
    path = parts.path or "/"
    if P.LISTING_URL_RE.search(path + ("?" + parts.query if parts.query else "")):
        score["listing"] += 2
    if path in ("", "/") and not parts.query:
        score["listing"] += 2

    if not any(score.values()) or max(score.values()) < 3:
        # weak structured evidence: look at the content itself
        prose = sum(len(t) for p in tree.iterfind(".//p") if len(t := (p.text_content() or "").strip()) > 80)
        if prose < 1000:  # text not in <p> (br-separated, table layouts): count text outside links instead
            prose = max(prose, len(" ".join(" ".join(_LOOSE_TEXT(tree)).split())) // 2)
        links = _article_like_links(tree, parts.netloc.lower().removeprefix("www."))
        if links >= 15 and prose < 1500:
            score["listing"] += 2
        elif prose >= 1000:
            score["article"] += 2
        elif links >= 8:
            score["listing"] += 1
    best = max(score, key=lambda k: (score[k], k == "article"))
    if best == "article" and og_type == "website" and not (types & P.ARTICLE_LD_TYPES or _article_classes(classes)):
        return "other"  # the page says it is not an article; prose alone does not overrule it
    return best if score[best] > 0 else "other"


def _article_classes(classes: set[str]) -> bool:
    return bool(classes & P.ARTICLE_BODY_CLASSES) or any(c.startswith("postid-") for c in classes)


def _navigation_lists(nodes: list[dict]) -> bool:
    """Every ItemList on the page lists menu entries (SiteNavigationElement), not pages of content."""
    lists = [n for n in nodes if ld_types(n) & P.WEAK_LISTING_LD_TYPES]
    for lst in lists:
        items = lst.get("itemListElement")
        items = items if isinstance(items, list) else [items]
        if not items or not all(isinstance(i, dict) and ld_types(i) & P.NAVIGATION_LD_TYPES for i in items):
            return False
    return True
