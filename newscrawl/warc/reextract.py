"""Re-run the current extraction over stored captures, with no network (``newscrawl reextract``, docs/warc.md).

The work list is every article whose ``capture_id`` is set (filtered). This process reads each response record
back with one seek (:mod:`newscrawl.warc.read`) and feeds the page to the crawl's own extraction pool
(:class:`newscrawl.workers.ExtractionPool`, one worker per core), keeping at most ``pool.max_pending`` pages in
flight; results are filed with :meth:`Archive.reextracted` (a changed text or title is a new version, the old
one goes to ``revisions``). A page the current rules reject, or a capture that cannot be read, counts as failed
and leaves its row as it is: re-extraction never deletes archived text.
"""

from __future__ import annotations

import json
import logging
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from w3lib.encoding import html_body_declared_encoding

from newscrawl.outlets import Outlet, load_outlets
from newscrawl.store import captures
from newscrawl.store.archive import Archive
from newscrawl.warc.read import CaptureError, read_response
from newscrawl.workers import ExtractionError, ExtractionPool

logger = logging.getLogger(__name__)

PAGE = 1000  # work-list rows read per query


@dataclass
class Summary:
    counts: Counter = field(default_factory=Counter)  # changed | unchanged | failed
    failures: Counter = field(default_factory=Counter)  # reason -> rows

    def line(self) -> str:
        c = self.counts
        reasons = ", ".join(f"{n} {r}" for r, n in self.failures.most_common())
        return (f"re-extracted {sum(c.values())} articles: {c['changed']} changed, {c['unchanged']} unchanged, "
                f"{c['failed']} failed" + (f" ({reasons})" if reasons else ""))


def page_encoding(charset: str | None, body: bytes) -> str | None:
    """What Scrapy would have decided, near enough: the header's charset, else the page's <meta> declaration."""
    return charset or html_body_declared_encoding(body)


def hints_for(outlets: list[Outlet], min_text_length: int) -> Callable[[str, str | None], dict]:
    """Hints for a capture: those it was extracted with, under the outlets file's current ones."""
    by_key = {o.key: o for o in outlets}

    def hints(key: str, stored: str | None) -> dict:
        outlet = by_key.get(key)
        found = {**json.loads(stored or "{}"), **(outlet.extraction_hints() if outlet else {})}
        found.setdefault("min_text_length", min_text_length)
        return found

    return hints


def work_list(archive: Archive, **filters: Any) -> Iterator[dict[str, Any]]:
    """Articles with a capture, a page of rows at a time (the archive is not held open for reading meanwhile)."""
    last = 0
    while True:
        rows = archive.read(lambda conn: [r for r in captures.for_articles(conn, after_id=last, limit=PAGE,
                                                                            **filters)])
        if not rows:
            return
        yield from rows
        last = rows[-1]["id"]


def reextract(archive: Archive, warc_dir: str, pool: ExtractionPool, *, outlets_file: str | None = None,
              min_text_length: int = 200, progress: Callable[[int], None] | None = None,
              **filters: Any) -> Summary:
    """Re-extract every (filtered) article from its capture through ``pool``; see the module docstring."""
    summary = Summary()
    hints = hints_for(load_outlets(outlets_file), min_text_length)
    in_flight: deque[tuple[dict[str, Any], Future]] = deque()

    def settle(row: dict[str, Any], future: Future) -> None:
        try:
            fields = future.result()
        except ExtractionError as exc:
            return fail(exc.reason)
        if not fields.get("is_article") or not (fields.get("text") or "").strip() or not (
                fields.get("title") or "").strip():
            return fail(f"now_rejected_{fields.get('reject_reason') or 'not_article'}")
        fields["title"] = fields["title"].strip()
        summary.counts[archive.reextracted(row["id"], fields)] += 1
        done()

    def fail(reason: str) -> None:
        summary.counts["failed"] += 1
        summary.failures[reason] += 1
        done()

    def done() -> None:
        if progress:
            progress(1)

    for row in work_list(archive, **filters):
        try:
            page = read_response(warc_dir, row["warc_file"], row["warc_offset"], row["record_id"])
        except CaptureError as exc:
            logger.warning("article %s: %s", row["id"], exc)
            fail("capture_unreadable")
            continue
        encoding = page_encoding(page.charset, page.body)
        in_flight.append((row, pool.submit(page.body, row["fetched_url"], encoding, hints(row["outlet"], row["hints"]))))
        while len(in_flight) >= pool.max_pending or (in_flight and in_flight[0][1].done()):
            settle(*in_flight.popleft())
    while in_flight:
        settle(*in_flight.popleft())
    archive.flush()
    return summary
