"""What the orphan repair costs every crawl: ``integrity.repair`` at the start of a run, on a large archive.

Builds a synthetic SQLite archive (default 200,000 articles, two URLs each, a listing and a signature each, a
revision for 1 in 20) with bulk inserts, then times, in the same run:

* baseline: ``Archive.open`` (every crawl pays it) and ``SELECT count(*) FROM articles``;
* ``suspect`` (what every crawl pays from now on) and ``repair`` with nothing to repair (run only when suspect);
* ``find_orphans(full=False)``, and ``full=True`` (``newscrawl db check``, which also scans the band index);
* ``repair`` after 100 articles were deleted by hand (foreign keys off, as in the sqlite3 shell).

    .venv/bin/python bench/repair.py                    # 200,000 articles in a temp dir
    .venv/bin/python bench/repair.py --articles 20000   # quicker
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newscrawl.store import integrity
from newscrawl.store.archive import Archive


def build(path: Path, n: int) -> None:
    Archive.open(f"sqlite:///{path}").close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA synchronous=OFF")
    now = "2024-01-01T00:00:00+00:00"
    chunk = 20_000
    for start in range(1, n + 1, chunk):
        ids = range(start, min(start + chunk, n + 1))
        db.executemany("INSERT INTO articles (id, url, outlet, title, authors, tags, text, fetched_at, content_hash) "
                       "VALUES (?, ?, 'ex', ?, '[]', '[]', ?, ?, ?)",
                       [(i, f"https://ex.com/{i}/", f"Title {i}", f"text of article {i} " * 20, now, f"{i:064x}")
                        for i in ids])
        db.executemany("INSERT INTO article_urls VALUES (?, ?, ?, ?)",
                       [(u, i, k, now) for i in ids for u, k in ((f"https://ex.com/{i}/", "canonical"),
                                                                (f"https://ex.com/{i}/?amp", "variant"))])
        db.executemany("INSERT INTO neardup_signatures VALUES (?, ?, 400)", [(i, b"\0" * 512) for i in ids])
        db.executemany("INSERT INTO neardup_bands VALUES (?, ?)", [(i * 64 + b, i) for i in ids for b in range(8)])
        db.executemany("INSERT INTO listings (url, outlet, source_url, source_kind, first_seen, last_seen, article_id)"
                       " VALUES (?, 'ex', 'https://ex.com/sitemap.xml', 'sitemap', ?, ?, ?)",
                       [(f"https://ex.com/{i}/", now, now, i) for i in ids])
        db.executemany("INSERT INTO revisions (article_id, title, text, content_hash, fetched_at) VALUES (?, 't', 'x', "
                       "'h', ?)", [(i, now) for i in ids if i % 20 == 0])
        db.commit()
    db.close()


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        build_s, _ = timed(lambda: build(path, args.articles))
        url = f"sqlite:///{path}"
        open_s, archive = timed(lambda: Archive.open(url))
        count_s, _ = timed(lambda: archive.read(lambda c: c.exec_driver_sql("SELECT count(*) FROM articles").scalar()))
        suspect_s, suspected = timed(lambda: archive.read(integrity.suspect))
        clean_s, clean = timed(lambda: archive.write(lambda c: integrity.repair(c)))
        archive.flush()
        find_s, _ = timed(lambda: archive.read(lambda c: integrity.find_orphans(c, full=False)))
        full_s, _ = timed(lambda: archive.read(lambda c: integrity.find_orphans(c, full=True)))
        archive.close()
        db = sqlite3.connect(path)
        db.execute("PRAGMA foreign_keys=OFF")
        db.execute("DELETE FROM articles WHERE id % ? = 0", (max(args.articles // 100, 1),))
        db.commit()
        db.close()
        with Archive.open(url) as archive:
            dirty_suspect = archive.read(integrity.suspect)
            dirty_s, repaired = timed(lambda: archive.write(lambda c: integrity.repair(c)))
        figures = {"articles": args.articles, "build_s": round(build_s, 1), "baseline_open_s": round(open_s, 3),
                   "baseline_count_s": round(count_s, 3), "suspect_s": round(suspect_s, 3), "suspected": suspected,
                   "repair_clean_s": round(clean_s, 3),
                   "find_orphans_s": round(find_s, 3), "db_check_full_s": round(full_s, 3),
                   "repair_after_100_deleted_s": round(dirty_s, 3), "repaired": repaired, "clean": clean, "suspected_after_delete": dirty_suspect}
    print(f"{args.articles:,} articles (built in {build_s:.1f} s)")
    print(f"  baseline: Archive.open {open_s * 1000:.0f} ms, count(*) {count_s * 1000:.0f} ms")
    print(f"  the test every crawl runs (integrity.suspect): {suspect_s * 1000:.0f} ms (found: {suspected})")
    print(f"  repair with nothing to repair (run only when suspected): {clean_s * 1000:.0f} ms")
    print(f"  find_orphans: {find_s * 1000:.0f} ms; db check (with the band index): {full_s * 1000:.0f} ms")
    print(f"  repair after 100 articles deleted by hand: {dirty_s * 1000:.0f} ms ({repaired})")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
