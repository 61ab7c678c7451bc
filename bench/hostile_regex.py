"""How long the reactor-side page checks take on pages built to make a regular expression backtrack.

    .venv/bin/python bench/hostile_regex.py

Baseline, in the same run: the former article-claim pattern (``<meta[^>]+property=...[^>]+content=...``) on
small pages of repeated ``<meta property='og:type' `` (it grows as the cube of the page: 41 KB took 93 s, so it
is only timed up to 8 KB). Then the linear tag scan (``newscrawl.tagscan``) and the page classifier on 300 KB of
each adversarial pattern of tests/test_hostile_regex.py.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newscrawl.extract import classify_page
from newscrawl.tagscan import claims_article, declared_links
from tests.test_hostile_regex import ADVERSARIAL, _page

FORMER_CLAIM = re.compile(
    r"""<meta[^>]+property=["']og:type["'][^>]+content=["']article["']"""
    r"""|<meta[^>]+content=["']article["'][^>]+property=["']og:type["']"""
    r"""|<body[^>]+class=["'][^"']*\bsingle-(?:post|format-\w+)\b"""
    r'|"@type"\s*:\s*"(?:NewsArticle|ReportageNews|AnalysisNewsArticle|BlogPosting)"',
    re.IGNORECASE)


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    print("baseline: former claim pattern on repeated <meta property='og:type' ")
    for size in (2_000, 4_000, 8_000):
        page = "<meta property='og:type' " * (size // 25)
        print(f"  {size / 1000:5.0f} KB  {timed(lambda: FORMER_CLAIM.search(page, 0, 300_000)):9.1f} ms")
    print("now: tag scan (claim + declared links) and classifier, 300 KB pages")
    for name, unit in sorted(ADVERSARIAL.items()):
        page = _page(unit)
        scan = timed(lambda: (claims_article(page), declared_links(page)))
        classify = timed(lambda: classify_page(page, "https://example.com/2024/03/some-story/"))
        print(f"  {name:20s} {len(page) / 1000:5.0f} KB  scan {scan:6.1f} ms  classify {classify:6.1f} ms")


if __name__ == "__main__":
    main()
