"""Read a few tags of a page without building its tree, in time linear in the page (it runs on the reactor thread).

The patterns here never combine unbounded repetitions that can match the same characters: a tag is ``<name``
then everything up to the next ``<`` or ``>``, an attribute name starts only where a name starts. A page of
40 KB of unclosed ``<meta property='og:type' `` took the former ``<meta[^>]+property=...[^>]+content=`` pattern
93 s; these patterns read a 300 KB adversarial page in milliseconds (tests/test_hostile_regex.py).
"""

from __future__ import annotations

import html
import re
from typing import Iterator

# A tag of one of the wanted names; an unclosed one ends where the next tag starts.
_TAGS = {name: re.compile(rf"<{name}\b([^<>]*)", re.IGNORECASE) for name in ("meta", "body", "link")}
# name=value; the lookbehind makes a name start only at a name's first character (no quadratic retries inside a
# long run of name characters), and each value form stops at its first closing character.
_ATTR = re.compile(r"""(?<![\w:-])([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_SINGLE_CLASS = re.compile(r"\bsingle-(?:post|format-\w+)\b", re.IGNORECASE)
_LD_ARTICLE = re.compile(r'"@type"\s*:\s*"(?:NewsArticle|ReportageNews|AnalysisNewsArticle|BlogPosting)"',
                         re.IGNORECASE)

CLAIM_SCAN_CHARS = 300_000  # article evidence sits in <head> and <body>'s tag: no need to read a huge page whole
DECLARED_RELS = frozenset({"amphtml", "shortlink"})  # other URLs of the same article the page itself names


def tag_attributes(text: str, name: str, end: int | None = None, having: tuple[str, ...] = ()
                   ) -> Iterator[dict[str, str]]:
    """The attributes (lower-cased names, raw values) of every ``<name ...>`` tag in ``text[:end]``; with
    ``having``, only of the tags whose lower-cased text contains one of those strings (cheaper than parsing all)."""
    for tag in _TAGS[name].finditer(text, 0, len(text) if end is None else end):
        inside = tag.group(1)
        if having and not any(word in inside.lower() for word in having):
            continue
        yield {m[1].lower(): m[2] if m[2] is not None else m[3] if m[3] is not None else m[4]
               for m in _ATTR.finditer(inside)}


def claims_article(text: str) -> bool:
    """Strong article evidence in the page's own markup: ``og:type`` article, a WordPress single-post body
    class, or a JSON-LD article type (the extraction stage checks the claim in full, off the reactor)."""
    for attrs in tag_attributes(text, "meta", CLAIM_SCAN_CHARS, having=("og:type",)):
        if (attrs.get("property") or "").strip().lower() == "og:type" and (
                attrs.get("content") or "").strip().lower() == "article":
            return True
    for attrs in tag_attributes(text, "body", CLAIM_SCAN_CHARS, having=("single-",)):
        if _SINGLE_CLASS.search(attrs.get("class") or ""):
            return True
    return _LD_ARTICLE.search(text, 0, CLAIM_SCAN_CHARS) is not None


def declared_links(text: str) -> list[str]:
    """The hrefs of a page's ``<link>`` tags whose rel names another URL of the same article."""
    return [html.unescape(attrs["href"].strip()) for attrs in tag_attributes(text, "link", having=tuple(DECLARED_RELS))
            if DECLARED_RELS & set((attrs.get("rel") or "").lower().split()) and (attrs.get("href") or "").strip()]
