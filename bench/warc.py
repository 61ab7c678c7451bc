"""WARC capture, re-extraction and import-warc, measured in one run (docs/warc.md, docs/benchmarks.md).

1. ``crawl``: the generated replica (N articles over 3 outlets, served from its own process) crawled end to end
   with ``NEWSCRAWL_WARC_CAPTURE=off`` and ``=articles``, interleaved, ``--repeat`` times: article pages/s
   (medians) and the ratio; bytes of WARC on disk per captured article.
2. ``reextract``: :func:`newscrawl.warc.reextract.reextract` over the captures of the last capture crawl (seek,
   read, content-decode, extract in the pool, compare, file), against *bare extraction*: the same pages, already
   decoded in memory, through an :class:`~newscrawl.workers.ExtractionPool` of the same size (the same job,
   nothing else). Pages/s of each and the ratio.
3. ``import``: a Common-Crawl-news-shaped WARC built locally (request + response + metadata record per page,
   gzip per record, ``--hosts`` distinct sites, ``--records`` pages, bodies taken from the replica's article
   pages) read by :func:`newscrawl.warc.importer.import_warcs`: records/s of the skip path (no configured host in
   the file) and of the archive path (every response a replica article, extracted and stored in a new archive).

    .venv/bin/python bench/warc.py                       # N=1500, 2 crawls per mode, 20,000-page CC-shaped file
    .venv/bin/python bench/warc.py --n 5000 --repeat 3
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from crawl import serve_replica  # noqa: E402  (bench/crawl.py)

from newscrawl.workers import default_workers  # noqa: E402

FAST = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "0", "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
        "LOG_LEVEL": "INFO"}
STAT_RE = re.compile(r"^\s*[{ ]'([\w/.]+)': ([0-9.]+),?}?$", re.M)


def crawl(sites: list[str], capture: str, workers: int, tmp: Path, keep: bool = False) -> dict:
    run = tmp / f"{capture}-{time.monotonic_ns()}"
    run.mkdir()
    archive, warc_dir = run / "archive.sqlite3", run / "warc"
    settings = {**FAST, "NEWSCRAWL_WARC_CAPTURE": capture, "WARC_DIR": str(warc_dir),
                "NEWSCRAWL_EXTRACT_WORKERS": str(workers)}
    cmd = [sys.executable, "-m", "scrapy", "crawl", "sarawak", "-a", "site=" + ",".join(sites),
           "-s", f"ARCHIVE_URL=sqlite:///{archive}"]
    for key, value in settings.items():
        cmd += ["-s", f"{key}={value}"]
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    stats = {k: float(v) for k, v in STAT_RE.findall(result.stderr)}
    if "elapsed_time_seconds" not in stats:
        raise SystemExit(f"crawl ({capture}) failed, exit {result.returncode}:\n{result.stderr[-3000:]}")
    articles = stats.get("newscrawl/fetched/article", 0)
    warc_bytes = sum(p.stat().st_size for p in warc_dir.glob("*.warc.gz")) if warc_dir.exists() else 0
    out = {"articles": articles, "articles_per_s": articles / stats["elapsed_time_seconds"],
           "stored": stats.get("newscrawl/articles_stored", 0), "pointers": stats.get("newscrawl/warc/pointers", 0),
           "warc_bytes": warc_bytes, "dir": str(run)}
    if not keep:
        shutil.rmtree(run, ignore_errors=True)
    return out


# --------------------------------------------------------------------------- re-extraction vs bare extraction


def bench_reextract(run_dir: Path, workers: int, repeat: int) -> dict:
    from newscrawl.store import captures
    from newscrawl.store.archive import Archive
    from newscrawl.warc.read import read_response
    from newscrawl.warc.reextract import page_encoding, reextract
    from newscrawl.workers import ExtractionPool

    url = f"sqlite:///{run_dir / 'archive.sqlite3'}"
    warc_dir = run_dir / "warc"
    with Archive.open(url) as archive:
        rows = archive.read(lambda conn: list(captures.for_articles(conn)))
        pages = []
        for row in rows:  # the bare run gets the pages decoded and in memory: only the extraction is timed
            page = read_response(warc_dir, row["warc_file"], row["warc_offset"])
            pages.append((page.body, row["fetched_url"], page_encoding(page.charset, page.body)))
        hints = {"min_text_length": 200}

        def bare() -> float:
            t0 = time.perf_counter()
            in_flight: deque = deque()
            for body, page_url, encoding in pages:  # the same feeding as reextract: at most max_pending queued
                in_flight.append(pool.submit(body, page_url, encoding, hints))
                while len(in_flight) >= pool.max_pending:
                    in_flight.popleft().result()
            while in_flight:
                in_flight.popleft().result()
            return time.perf_counter() - t0

        def full() -> float:
            nonlocal summary
            t0 = time.perf_counter()
            summary = reextract(archive, str(warc_dir), pool)
            return time.perf_counter() - t0

        summary = None
        # one pool for both, warmed first (a fresh worker's first pages load models: seconds); then interleaved
        with ExtractionPool(workers, neardup_config=archive.neardup).start() as pool:
            bare()
            times: dict[str, list[float]] = {"bare": [], "reextract": []}
            for _ in range(repeat):
                times["bare"].append(bare())
                times["reextract"].append(full())
    bare_s, full_s = statistics.median(times["bare"]), statistics.median(times["reextract"])
    n = len(pages)
    return {"captures": n, "bare_pages_per_s": n / bare_s, "reextract_pages_per_s": n / full_s,
            "ratio": bare_s / full_s, "summary": summary.line(), "runs": repeat}


# --------------------------------------------------------------------------- import-warc on a CC-news-shaped file


def build_cc_news(path: Path, bodies: list[bytes], records: int, hosts: list[str], seed: int = 1) -> int:
    """A gzip-per-record WARC shaped like a Common Crawl news file: per page a request, a response and a
    metadata record, pages spread over ``hosts``; returns the number of pages."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    rng = random.Random(seed)
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True, warc_version="1.1")
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "bench/warc.py"}))
        for i in range(records):
            host = hosts[i % len(hosts)]
            url = f"{host.rstrip('/')}/{2024 - i % 3}/{i % 12 + 1:02d}/story-{i}-{rng.randrange(10**6)}/"
            if not url.startswith("http"):
                url = "https://" + url
            body = bodies[i % len(bodies)]
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=UTF-8"),
                                               ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
            response = writer.create_warc_record(url, "response", payload=io.BytesIO(body), length=len(body),
                                                 http_headers=http)
            request_http = StatusAndHeaders(f"GET /story-{i}/ HTTP/1.1", [("Host", url.split("/")[2]),
                                                                         ("User-Agent", "CCBot/2.0")],
                                            is_http_request=True)
            request = writer.create_warc_record(url, "request", payload=io.BytesIO(b""), length=0,
                                                http_headers=request_http)
            writer.write_request_response_pair(request, response)
            meta = f"fetchTimeMs: {rng.randrange(50, 900)}\r\n".encode()
            writer.write_record(writer.create_warc_record(url, "metadata", payload=io.BytesIO(meta),
                                                          length=len(meta), warc_content_type="application/warc-fields"))
    return records


def bench_import(tmp: Path, bodies: list[bytes], sites: list[str], records: int, n_hosts: int, articles: int,
                 workers: int) -> dict:
    from scrapy.settings import Settings

    from newscrawl.outlets import parse_site_arg
    from newscrawl.store.archive import Archive
    from newscrawl.store.crawlstate import CrawlState
    from newscrawl.warc.importer import import_job, import_warcs
    from newscrawl.workers import ExtractionPool

    settings = Settings()
    settings.setmodule("newscrawl.settings", priority="project")
    outlets = parse_site_arg(",".join(sites))
    other_hosts = [f"news{i}.example-{i % 97}.com" for i in range(n_hosts)]
    skip_file, keep_file = tmp / "cc-news-other-hosts.warc.gz", tmp / "cc-news-outlets.warc.gz"
    build_cc_news(skip_file, bodies, records, other_hosts)
    build_cc_news(keep_file, bodies[:articles], articles, sites)  # each outlet page once, under its own host
    out = {"skip_file_mb": skip_file.stat().st_size / 2**20, "keep_file_mb": keep_file.stat().st_size / 2**20}
    # the floor of any reader of a gzip-per-record file: inflating every member, nothing else
    t0 = time.perf_counter()
    with gzip.open(skip_file, "rb") as fh:
        while fh.read(1 << 20):
            pass
    out["gunzip_s"] = time.perf_counter() - t0
    for label, path in (("skip", skip_file), ("archive", keep_file)):
        url = f"sqlite:///{tmp / f'import-{label}.sqlite3'}"
        with Archive.open(url) as archive, ExtractionPool(workers, neardup_config=archive.neardup,
                                                          job=import_job).start() as pool:
            state = CrawlState(archive)
            warm = [pool.submit(body, "http://warm.invalid/", None, {}) for body in bodies[:workers * 4]]
            for future in warm:  # a fresh worker's first pages load models: not part of the rate
                future.result()
            t0 = time.perf_counter()
            summary = import_warcs([str(path)], archive, state, outlets, pool, settings)
            elapsed = time.perf_counter() - t0
        out[label] = {"records": summary.records, "records_per_s": summary.records / elapsed,
                      "stored": sum(summary.stored.values()), "seconds": elapsed, "summary": summary.line()}
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--n", type=int, default=1500, help="generated replica articles (default 1500)")
    p.add_argument("--repeat", type=int, default=2, help="crawls per capture mode; medians (default 2)")
    p.add_argument("--workers", type=int, default=default_workers(), help="pool size (default: cores)")
    p.add_argument("--records", type=int, default=20000, help="pages in the CC-news-shaped file (default 20000)")
    p.add_argument("--hosts", type=int, default=3000, help="distinct sites in it (default 3000)")
    args = p.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="newscrawl-bench-warc-"))
    print(f"replica N={args.n}; pool size {args.workers}; {os.cpu_count()} cores; {args.repeat} crawl(s) per mode",
          flush=True)
    server, sites, manifest = serve_replica(args.n)
    report: dict = {"n": args.n, "workers": args.workers, "cores": os.cpu_count()}
    try:
        runs: dict[str, list[dict]] = {"off": [], "articles": []}
        kept = None
        for i in range(args.repeat):
            for mode in ("off", "articles"):  # interleaved: a drift of the machine hits both alike
                last = i == args.repeat - 1 and mode == "articles"
                r = crawl(sites, mode, args.workers, tmp, keep=last)
                if last:
                    kept = Path(r["dir"])
                runs[mode].append(r)
                print(f"  crawl {i + 1} capture={mode:8s} {r['articles_per_s']:6.1f} articles/s  "
                      f"{r['articles']:.0f} article pages, {r['pointers']:.0f} pointers, "
                      f"{r['warc_bytes'] / 2**20:.1f} MB WARC", flush=True)
        off = statistics.median(r["articles_per_s"] for r in runs["off"])
        on = statistics.median(r["articles_per_s"] for r in runs["articles"])
        last = runs["articles"][-1]
        report["crawl"] = {"off_articles_per_s": off, "capture_articles_per_s": on, "ratio": on / off,
                           "slowdown_pct": (1 - on / off) * 100,
                           "warc_bytes_per_article": last["warc_bytes"] / max(last["pointers"], 1)}
        print(f"crawl: {off:.1f} articles/s without capture, {on:.1f} with (median of {args.repeat}): "
              f"ratio {on / off:.3f} ({(1 - on / off) * 100:+.1f} % slower); "
              f"{report['crawl']['warc_bytes_per_article'] / 1024:.1f} KiB of WARC per article", flush=True)

        report["reextract"] = r = bench_reextract(kept, args.workers, args.repeat)
        print(f"reextract: {r['captures']} captures, {r['reextract_pages_per_s']:.1f} pages/s vs bare extraction "
              f"{r['bare_pages_per_s']:.1f} pages/s in a pool of {args.workers} (medians of {r['runs']}, warmed pool): "
              f"ratio {r['ratio']:.2f} "
              f"({r['summary']})", flush=True)

        from newscrawl.store import captures as caps
        from newscrawl.store.archive import Archive
        from newscrawl.warc.read import read_response

        with Archive.open(f"sqlite:///{kept / 'archive.sqlite3'}", create=False) as archive:
            rows = archive.read(lambda conn: list(caps.for_articles(conn)))
        bodies = [read_response(kept / "warc", row["warc_file"], row["warc_offset"]).body for row in rows]
        report["import"] = im = bench_import(tmp, bodies, sites, args.records, args.hosts, len(bodies), args.workers)
        print(f"import-warc: skip path {im['skip']['records_per_s']:.0f} records/s ({im['skip']['records']} records "
              f"from {args.hosts} hosts, {im['skip_file_mb']:.0f} MB, {im['skip']['seconds']:.1f} s; gunzip alone "
              f"{im['gunzip_s']:.1f} s: skip path = {im['skip']['seconds'] / im['gunzip_s']:.1f}x the inflate floor); "
              f"archive path "
              f"{im['archive']['records_per_s']:.0f} records/s ({im['archive']['stored']} articles stored of "
              f"{len(bodies)} pages; {im['archive']['summary']})", flush=True)
    finally:
        server.terminate()
        server.wait()
        manifest.unlink(missing_ok=True)
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(report, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
