"""Article body: prune boilerplate nodes, run trafilatura on the pruned tree, drop leftover boilerplate lines."""

from __future__ import annotations

import re
from collections.abc import Callable
from copy import deepcopy

import trafilatura
from lxml import etree
from lxml.html import HtmlElement, fromstring

from . import patterns as P

# Chosen by measurement on the article-extraction-benchmark (see the package docstring for the figures).
TRAFILATURA_OPTIONS: dict = {
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "favor_precision": False,
    "fast": True,  # skips the readability/jusText comparison: +0.002 F1 here and ~1.3x faster than fast=False
}

_PREFIX_RE = re.compile("^(?:" + "|".join(re.escape(p) for p in P.BOILERPLATE_PREFIXES) + ")", re.IGNORECASE)
_TOKENS = frozenset(t.lower() for t in P.BOILERPLATE_TOKENS)
# containers that hold the article body in common themes: never pruned, nor their ancestors (one tree walk)
_BODY_XPATH = etree.XPath('//*[@itemprop="articleBody" or (@class and (' + " or ".join(
    f'contains(concat(" ", normalize-space(@class), " "), " {name} ")'
    for name in ("entry-content", "td-post-content", "post-content", "article-content", "jeg_post_content")) + "))]")
_CLASSED = etree.XPath("//*[@class or @id]")
_UPPER, _LOWER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"
_HEAD = f"translate(substring(normalize-space(.), 1, 24), '{_UPPER}', '{_LOWER}')"
# the text test runs inside libxml2: only elements starting with a related-block keyword reach Python. One tree
# walk; the first-letter test spares most elements the per-keyword prefix tests.
_FIRST_LETTERS = "".join(sorted({k[0] for k in P.RELATED_HEADING_STARTS}))
_RELATED_CANDIDATES = etree.XPath(
    "//*[self::p or self::h2 or self::h3 or self::h4 or self::h5 or self::h6 or (self::div and not(div))"
    " or self::strong or self::section]"
    f"[contains('{_FIRST_LETTERS}', translate(substring(normalize-space(.), 1, 1), '{_UPPER}', '{_LOWER}'))"
    " and normalize-space(.) != '']"
    "[" + " or ".join(f"starts-with({_HEAD}, '{k}')" for k in P.RELATED_HEADING_STARTS) + "]")


def _is_boilerplate(el: HtmlElement) -> bool:
    tokens = (el.get("class") or "").split()
    if el.get("id"):
        tokens.append(el.get("id"))
    for t in tokens:
        tl = t.lower()
        if tl in _TOKENS or _PREFIX_RE.match(tl):
            return True
    return False


def _drop(el: HtmlElement) -> None:
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail and tail.strip():  # keep text that follows the element
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


# text nodes long enough to be prose (menus, buttons and link lists are shorter), outside links and code
_PROSE_TEXT = etree.XPath(f"//body//text()[string-length(normalize-space(.)) >= {P.PROSE_NODE_MIN}]"
                          "[not(ancestor::a or ancestor::script or ancestor::style)]")


def _norm(text: str) -> str:
    return " ".join(text.split())


def prose_map(tree: HtmlElement) -> dict[HtmlElement, int]:
    """Characters of prose under each element (one pass over the text nodes, credited to every ancestor)."""
    prose: dict[HtmlElement, int] = {}
    for t in _PROSE_TEXT(tree):
        el = t.getparent()
        if el is None:
            continue
        if t.is_tail:
            el = el.getparent()
        n = len(t)
        while el is not None:
            prose[el] = prose.get(el, 0) + n
            el = el.getparent()
    return prose


def _article_body_anchors(tree: HtmlElement, article_body: str | None) -> set:
    """Elements holding the opening sentences of the JSON-LD articleBody, with their ancestors."""
    if not article_body:
        return set()
    probes = [p[:P.ANCHOR_PROBE] for p in (_norm(x) for x in article_body.splitlines()[:6])
              if len(p) >= P.ANCHOR_PROBE][:3]
    found: set = set()
    for t in _PROSE_TEXT(tree) if probes else ():
        if any(probe in _norm(t) for probe in probes):
            el = t.getparent()
            el = el.getparent() if t.is_tail and el is not None else el
            if el is not None:
                found.add(el)
                found.update(el.iterancestors())
    return found


_STRIPPED_BY_TRAFILATURA = frozenset({"aside"})  # measured: converting nav/footer/form too lost 3 pages


def _holds_the_article(prose: dict, el: HtmlElement, total: int) -> bool:
    return total >= P.PROSE_MIN_TOTAL and prose.get(el, 0) >= P.PROTECT_PROSE_SHARE * total


def prune_tree(tree: HtmlElement, remove_selectors: list[str] | None = None,
               article_body: str | None = None) -> HtmlElement:
    """Remove theme/plugin boilerplate in place (see patterns.BOILERPLATE_*) and in-body "Related" blocks.

    A node is never removed when it holds the article: most of the page's prose, or the opening of the page's
    JSON-LD `articleBody` (themes put the main column in a "widget" div or an <aside>; removing it would leave
    trafilatura a menu to extract).
    """
    protected: set = set()
    for body in _BODY_XPATH(tree):
        protected.add(body)
        protected.update(body.iterancestors())
    protected |= _article_body_anchors(tree, article_body)
    prose = prose_map(tree)
    root = tree.find(".//body")
    total = prose.get(root if root is not None else tree, 0)
    doomed = []
    for sel in remove_selectors or ():
        try:
            doomed.extend(tree.cssselect(sel))
        except Exception:  # noqa: BLE001 - a bad selector in outlets.json must not break extraction
            continue
    doomed.extend(el for el in _CLASSED(tree) if el not in protected and el.tag not in ("html", "body")
                  and _is_boilerplate(el))
    for el in tree.iter(*P.BOILERPLATE_TAGS):  # one walk of the tree, not one per tag
        if el in protected:
            continue
        if el.tag == "form" and len(el.text_content()) > 1500:  # ASP.NET-style pages wrap everything in a form
            continue
        doomed.append(el)
    for el in doomed:
        if not _holds_the_article(prose, el, total):
            _drop(el)
        elif el.tag in _STRIPPED_BY_TRAFILATURA:
            el.tag = "div"  # trafilatura drops these tags whole: the article in an <aside> must reach it as a <div>
    # "Baca juga: <a>...</a>", "Related: <a>...</a>" and "Related Posts" headings followed by a list of links
    for el in _RELATED_CANDIDATES(tree):
        if el.getparent() is None:
            continue
        text = el.text_content().strip()
        if not text or len(text) > 250 or not P.RELATED_HEADING_RE.match(text):
            continue
        rest = P.RELATED_HEADING_RE.sub("", text)
        if rest and el.find(".//a") is None and len(rest) > 40:  # prose that starts with "Related ..."
            continue
        nxt = el.getnext()
        if not rest and nxt is not None and nxt.tag in ("ul", "ol", "div"):
            _drop(nxt)
        _drop(el)
    _drop_calls_to_action(tree, protected)
    return tree


_CTA_CANDIDATES = etree.XPath(
    "//body//*[self::p or self::h2 or self::h3 or self::h4 or self::h5 or self::h6 or self::strong or self::b"
    " or (self::div and not(div or p))][string-length(normalize-space(.)) > 0]"
    f"[string-length(normalize-space(.)) <= {P.CTA_MAX_OPENER}]")


def _block_of(el: HtmlElement) -> HtmlElement:
    """The block-level element a CTA line stands in (a <strong> inside a <p> is the <p>)."""
    while el.tag in ("strong", "b", "em", "span", "a") and el.getparent() is not None:
        el = el.getparent()
    return el


def _cta_follower(el: HtmlElement, text: str) -> bool:
    """A short block after a CTA opener belongs to the box when it is a form, mostly links, or CTA wording; a short
    paragraph of the story is none of these."""
    if not text or el.find(".//input") is not None or el.find(".//button") is not None or el.tag == "form":
        return True
    linked = sum(len(_norm(a.text_content())) for a in el.iter("a"))
    return linked >= 0.5 * len(text) or bool(P.CTA_FOLLOWER_RE.search(text))


def _drop_calls_to_action(tree: HtmlElement, protected: set) -> None:
    """Newsletter/follow/app/donation boxes made of plain blocks: the opener line and the short block it opens."""
    for el in _CTA_CANDIDATES(tree):
        if el.getparent() is None or not P.CTA_OPENER_RE.match(_norm(el.text_content())):
            continue
        line = _block_of(el)
        if line.getparent() is None or line in protected or len(_norm(line.text_content())) > P.CTA_MAX_OPENER:
            continue
        box = line.getparent()
        if box.tag not in ("body", "article", "main") and box not in protected \
                and len(_norm(box.text_content())) <= P.CTA_MAX_BLOCK:
            _drop(box)  # the whole group block (a wp-block-group without telling classes, a bare <div>)
            continue
        followers = []
        nxt = line.getnext()
        while nxt is not None and len(followers) < P.CTA_MAX_FOLLOWERS and nxt.tag not in ("h1", "h2", "h3", "h4"):
            text = _norm(nxt.text_content())
            if len(text) > P.CTA_MAX_FOLLOWER or nxt in protected or not _cta_follower(nxt, text):
                break
            followers.append(nxt)
            nxt = nxt.getnext()
        for x in [line, *followers]:
            _drop(x)


def select_body(tree: HtmlElement, selector: str | None) -> HtmlElement:
    """With an outlet's body_selector, hand trafilatura only that part (wrapped in a fresh document)."""
    if not selector:
        return tree
    try:
        found = tree.cssselect(selector)
    except Exception:  # noqa: BLE001
        return tree
    if not found:
        return tree
    doc = fromstring("<html><body></body></html>")
    body = doc.find("body")
    for el in found:
        body.append(deepcopy(el))
    return doc


def clean_lines(text: str, drop_lines: set[str] | None = None) -> str:
    """Drop short boilerplate lines and a trailing "Related"/"Baca juga" block; one paragraph per line."""
    lines = [re.sub(r"[ \t\u00a0]+", " ", ln).strip() for ln in text.splitlines()]
    lines = [ln for ln in lines if ln]
    out: list[str] = []
    for i, ln in enumerate(lines):
        bare = ln.lstrip("-•* ").strip() if ln.startswith(("- ", "• ", "* ")) else ln
        if P.TAIL_OPENER_RE.match(bare) and all(len(x) <= 160 for x in lines[i + 1:]):
            break
        if len(bare) <= P.MAX_BOILERPLATE_LINE and (P.BOILERPLATE_LINE_RE.match(bare) or P.BOILERPLATE_LINE_RE.match(ln)):
            continue
        if drop_lines and bare in drop_lines:
            continue
        if len(out) < 2 and len(ln) <= 80 and P.BYLINE_PREFIX_RE.match(ln):  # "Oleh X" byline atop the body
            continue
        if out and out[-1] == ln:
            continue
        out.append(ln)
    return "\n".join(out)


def _prose_chars(text: str) -> int:
    return sum(len(ln) for ln in text.splitlines() if len(ln) >= P.PROSE_NODE_MIN)


def needs_fallback(text: str, page_prose: int | Callable[[], int], article_body: str | None) -> bool:
    """The fast pass missed the article: nothing, mostly short lines (a menu, a link list), or far less prose than
    the page or its JSON-LD articleBody has (a headline or only the lead). Thresholds in patterns (measured)."""
    found = _prose_chars(text)
    if not text.strip() or found < P.FALLBACK_PROSE_DENSITY * len(text):
        return True
    if article_body and found < P.FALLBACK_BODY_SHARE * len(_norm(article_body)):
        return True
    if callable(page_prose):  # counted only when the cheaper tests did not decide (an XPath over the whole page)
        page_prose = page_prose()
    return page_prose >= P.PROSE_MIN_TOTAL and found < P.FALLBACK_PAGE_SHARE * page_prose


def extract_body(tree: HtmlElement, url: str | None, hints: dict | None = None, *, pruned: bool = False,
                 article_body: str | None = None) -> str:
    """Body text of an already-parsed page. `tree` is modified (pruned) unless `pruned` says it already was.

    trafilatura runs in its fast mode first; when that finds far less prose than the page has, it runs again with
    its fallback extractors (readability, jusText) and the longer answer in prose wins.
    """
    hints = hints or {}
    if not pruned:
        prune_tree(tree, hints.get("remove_selectors"), article_body)
    work = select_body(tree, hints.get("body_selector"))
    text = trafilatura.extract(work, url=url, output_format="txt", **TRAFILATURA_OPTIONS) or ""
    if needs_fallback(text, lambda: sum(len(t) for t in _PROSE_TEXT(work)), article_body):  # trafilatura's own comparison decides, as in its default
        text = trafilatura.extract(work, url=url, output_format="txt",
                                   **(TRAFILATURA_OPTIONS | {"fast": False})) or text
    return clean_lines(text)


def headlines(tree: HtmlElement, title: str | None = None) -> set[str]:
    """The page's headline as its markup gives it (h1, og:title, <title> and its head before a " | Site" tail):
    themes repeat it atop the body, and the archive stores it in `title`. Read before pruning."""
    found = {title} if title else set()
    found.update(_norm(h.text_content()) for h in tree.iterfind(".//h1"))
    for m in tree.iterfind(".//meta[@property]"):
        if m.get("property", "").lower() == "og:title" and m.get("content"):
            found.add(_norm(m.get("content")))
    head = _norm(tree.findtext(".//title") or "")
    if head:
        found.update({head, _SITE_TAIL_RE.split(head)[0]})
    return {h for h in found if h}


_SITE_TAIL_RE = re.compile(r"\s+[|\-–—·•»]\s+")


def drop_head_lines(text: str, heads: set[str], authors: list[str] | None = None) -> str:
    """Drop the headline or a bare author-name line among the first lines of the body text."""
    lines = text.split("\n")
    names = set(authors or ())
    keep = [ln for i, ln in enumerate(lines) if not (i < 3 and (_norm(ln) in heads or ln.strip() in names))]
    return "\n".join(keep)
