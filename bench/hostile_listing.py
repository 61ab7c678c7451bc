"""Longest reactor stall and peak memory of a crawl whose homepage has 100,000 article links.

    .venv/bin/python bench/hostile_listing.py

Baseline in the same run: the same site with a 100-link homepage. Both crawls take the first
NEWSCRAWL_LISTING_LINKS=100 links (so both fetch the same 100 articles) and record the longest reactor stall
(NEWSCRAWL_STALL_MONITOR). Before the links were read in a thread and chunked, the 100,000-link homepage stalled
the reactor 15 s and queued every link (625 MB).
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.crawl_helpers import run_crawl  # noqa: E402
from tests.hostile_site import HostileSite, Reply, article_page  # noqa: E402


def _article(path: str) -> Reply:
    found = re.fullmatch(r"/2024/03/s-(\d+)/", path)
    return Reply(body=article_page(int(found.group(1)))) if found else Reply(404, b"not found")


def measure(links: int) -> tuple[float, int]:
    homepage = ("<html><body>" + "".join(f'<a href="/2024/03/s-{n}/">{n}</a>' for n in range(links))
                + "</body></html>").encode()
    with HostileSite({"/": Reply(body=homepage)}, fallback=_article) as site, tempfile.TemporaryDirectory() as tmp:
        result = run_crawl(f"sqlite:///{tmp}/a.sqlite3", "-a", f"site={site.root}", timeout=600,
                           settings={"NEWSCRAWL_LISTING_LINKS": "100", "NEWSCRAWL_STALL_MONITOR": "1",
                                     "NEWSCRAWL_WP_JSON": "0", "MEMUSAGE_CHECK_INTERVAL_SECONDS": "1"})
    stall = re.search(r"'newscrawl/reactor/max_stall_ms': ([\d.]+)", result.stderr)
    memory = re.search(r"'memusage/max': (\d+)", result.stderr)
    return float(stall.group(1)) if stall else -1.0, int(memory.group(1)) if memory else -1


def main() -> int:
    print(f"{'homepage links':>15}{'longest stall ms':>18}{'peak MB':>9}")
    for links in (100, 100_000):
        stall, memory = measure(links)
        print(f"{links:>15,}{stall:>18.0f}{memory / 2**20:>9.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
