"""URL canonicalisation: one normal form per article URL, so that variants collapse to one archive row.

courlan does the normalisation (case, default ports, query order, known trackers); on top of it we drop the
fragment, the AMP variants WordPress plugins serve (``/amp/``, ``?amp=1``, ``?amp``) and a few trackers
courlan keeps. ``rel=canonical`` wins over the fetched URL when it stays on the outlet and is not the homepage
(a common theme bug points every page's canonical at ``/``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from courlan import normalize_url

# Trackers courlan does not know about, matched on the lower-cased parameter name.
_EXTRA_TRACKERS = re.compile(r"^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|ref|ref_src|share|amp)$")
_AMP_PATH = re.compile(r"/amp/?$")


@lru_cache(maxsize=32_768)  # one URL is cleaned at discovery, decision, fetch and store: do the work once
def clean_url(url: str) -> str | None:
    """The normal form of ``url``, or None when it is not a usable http(s) URL."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return None
        parts.port  # noqa: B018 - raises ValueError on a bad port
        normal = normalize_url(urlunsplit(parts._replace(fragment="")), strict=False)
    except (ValueError, AttributeError):
        return None
    parts = urlsplit(normal)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _EXTRA_TRACKERS.match(k.lower())]
    path = _AMP_PATH.sub("/", parts.path) if parts.path not in ("/amp", "/amp/") else parts.path
    return urlunsplit((parts.scheme, parts.netloc, path or "/", urlencode(query), ""))


def canonical_url(fetched_url: str, declared: str | None, in_scope) -> str:
    """The URL an article is archived under: its declared canonical when trustworthy, else the fetched URL.

    ``in_scope`` is the outlet's ``in_scope`` predicate: a canonical pointing off the outlet (syndication
    partners do this) or at the homepage is ignored.
    """
    fetched = clean_url(fetched_url) or fetched_url
    candidate = clean_url(declared) if declared else None
    if candidate and in_scope(candidate) and urlsplit(candidate).path not in ("", "/"):
        return candidate
    return fetched


def url_variants(canonical: str, *urls: str | None) -> list[str]:
    """Every distinct URL (raw and cleaned) among ``canonical`` and ``urls``, in first-seen order, for the
    ``article_urls`` table, plus the canonical URL's trailing-slash twin (``/slug`` for ``/slug/``): WordPress
    answers both and links to both, so a later listing of either finds the article without a request."""
    seen: dict[str, None] = {}
    for url in (canonical, *urls):
        if not url:
            continue
        for candidate in (clean_url(url), url):
            if candidate and candidate not in seen:
                seen[candidate] = None
    parts = urlsplit(canonical)
    if parts.path.endswith("/") and parts.path != "/" and not parts.query:
        seen.setdefault(urlunsplit(parts._replace(path=parts.path.rstrip("/"))), None)
    return list(seen)
