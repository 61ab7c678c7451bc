"""Distributed crawl throughput: 1, 2 and 4 workers on one Redis and one PostgreSQL, against one replica.

Serves a generated replica (tests/replica, ``--n`` articles over 3 outlets) from its own process, then for each
worker count: a fresh PostgreSQL schema and Redis prefix, ``scrapy seed sarawak``, W ``scrapy crawl sarawak``
workers (politeness off, ``NEWSCRAWL_EXTRACT_WORKERS=1`` each), timed from the seed to the last worker's exit.
Reports articles stored per second, the speed-up over one worker measured in the same run, and the database time
per article: wall time inside ``Archive.store`` (statements, commit, and waiting for the other workers' write
lock), summed over the workers from the run's ``crawl_runs.stats``, with the lock wait on its own, and the
machine's CPU time per article (every process: crawlers, extraction, PostgreSQL, Redis; from /proc/stat).

On a 2-core machine one crawler with its extraction process already keeps both cores busy, so more crawlers
cannot go faster there; the second table isolates the archive, the part every machine of a cluster shares:
``--storers`` processes store pre-extracted articles (bench/dedup.py's workload: realistic lengths, syndicated
copies, signatures computed beforehand, as the pipeline's pool does) into one fresh archive through
``Archive.store`` with the shared write lock, as workers do. Its articles/s with 1 storer is the write lock's
rate (the cluster's ceiling for stores); with more, whether stores overlap.

    .venv/bin/python bench/distributed.py                      # N=1500, workers 1,2,4
    .venv/bin/python bench/distributed.py --n 3000 --workers 1,2 --repeat 2
    .venv/bin/python bench/distributed.py --workers '' --storers 1,2,4 --stored 3000   # the archive alone

Needs PostgreSQL (NEWSCRAWL_TEST_PG_URL, default postgresql+psycopg://postgres@127.0.0.1:5432/test) and Redis
(NEWSCRAWL_REDIS_URL, default redis://127.0.0.1:6379/0). Last line: JSON.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("NEWSCRAWL_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS = os.environ.get("NEWSCRAWL_REDIS_URL", "redis://127.0.0.1:6379/0")
FAST = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "0", "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
        "LOG_LEVEL": "WARNING", "NEWSCRAWL_EXTRACT_WORKERS": "1", "NEWSCRAWL_DISTRIBUTED": "1",
        "NEWSCRAWL_DISTRIBUTED_IDLE": "3", "NEWSCRAWL_REDIS_URL": REDIS, "NEWSCRAWL_PROGRESS_INTERVAL": "0"}


def scrapy(command: str, url: str, sites: str, prefix: str, wait: bool = True):
    args = [sys.executable, "-m", "scrapy", command, "sarawak", "-a", f"site={sites}", "-s", f"ARCHIVE_URL={url}",
            "-s", f"NEWSCRAWL_REDIS_PREFIX={prefix}"]
    for key, value in FAST.items():
        args += ["-s", f"{key}={value}"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if wait:
        return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    return subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def busy_cpu_seconds() -> float:
    """CPU seconds the whole machine has spent busy (every core, every process) since boot."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")  # all but idle and iowait


@contextlib.contextmanager
def fresh_schema() -> Iterator[str]:
    """The URL of an archive in a new PostgreSQL schema of its own, dropped afterwards."""
    import psycopg

    schema = f"nc_bench_{uuid.uuid4().hex[:10]}"
    plain = PG.replace("+psycopg", "")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{PG}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def one_run(sites: str, workers: int) -> dict:
    import redis
    from sqlalchemy import create_engine, text

    prefix = f"nc_bench_{uuid.uuid4().hex[:10]}"
    try:
        with fresh_schema() as url:
            started, cpu = time.perf_counter(), busy_cpu_seconds()
            seed = scrapy("seed", url, sites, prefix)
            if seed.returncode:
                raise SystemExit(f"seed failed ({seed.returncode}): {seed.stderr[-2000:]}")
            procs = [scrapy("crawl", url, sites, prefix, wait=False) for _ in range(workers)]
            for proc in procs:
                _, err = proc.communicate()
                if proc.returncode:
                    raise SystemExit(f"worker failed ({proc.returncode}): {err[-2000:]}")
            wall, cpu = time.perf_counter() - started, busy_cpu_seconds() - cpu
            engine = create_engine(url)
            with engine.connect() as conn:
                stored = conn.execute(text("SELECT count(*) FROM articles")).scalar()
                stats = json.loads(conn.execute(text("SELECT stats FROM crawl_runs")).scalar() or "{}")
            engine.dispose()
    finally:
        client = redis.Redis.from_url(REDIS)
        for key in client.scan_iter(match=prefix + ":*"):
            client.delete(key)
    store_ms = stats.get("newscrawl/archive/store_ms", 0)
    return {"workers": workers, "wall_s": round(wall, 2), "articles": stored,
            "articles_per_s": round(stored / wall, 2) if wall else 0,
            "db_ms_per_article": round(store_ms / stored, 2) if stored else None,
            "lock_wait_ms_per_article": round(stats.get("newscrawl/archive/lock_wait_ms", 0) / stored, 2)
            if stored else None,
            "cpu_ms_per_article": round(cpu * 1000 / stored, 1) if stored else None}


def _storer(url: str, indices: list[int], start, results) -> None:
    """One storing process: builds its articles (signatures included) first, then stores them when told to."""
    sys.path.insert(0, str(ROOT))
    from bench.dedup import build
    from newscrawl.store.archive import Archive

    items = [build(i)["article"] for i in indices]
    with Archive.open(url, shared=True) as archive:
        start.wait()
        for item in items:
            archive.store(item, [item["url"]])
        archive.flush()
        results.put((archive.store_seconds, archive.lock_wait_seconds))


def store_run(storers: int, stored: int) -> dict:
    """``storers`` processes storing ``stored`` articles (article i goes to process i mod storers, in order) into
    one fresh archive; timed from the moment every process has built its articles to the last one's end."""
    import multiprocessing as mp

    from sqlalchemy import create_engine, text

    from newscrawl.store.archive import Archive

    with fresh_schema() as url:
        Archive.open(url).close()  # the tables, before the storers race to create them
        ctx = mp.get_context("spawn")
        start, results = ctx.Barrier(storers + 1), ctx.Queue()
        procs = [ctx.Process(target=_storer, args=(url, list(range(k, stored, storers)), start, results))
                 for k in range(storers)]
        for proc in procs:
            proc.start()
        start.wait()
        started, cpu = time.perf_counter(), busy_cpu_seconds()
        timings = [results.get() for _ in procs]
        wall, cpu = time.perf_counter() - started, busy_cpu_seconds() - cpu
        for proc in procs:
            proc.join()
        engine = create_engine(url)
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT count(*), count(duplicate_of) FROM articles")).one()
        engine.dispose()
    store_s, wait_s = sum(t[0] for t in timings), sum(t[1] for t in timings)
    return {"storers": storers, "wall_s": round(wall, 2), "articles": rows[0], "linked_copies": rows[1],
            "articles_per_s": round(rows[0] / wall, 1),
            "store_ms_per_article": round(store_s * 1000 / rows[0], 2),
            "lock_wait_ms_per_article": round(wait_s * 1000 / rows[0], 2),
            "cpu_ms_per_article": round(cpu * 1000 / rows[0], 1)}


def _medians(runs: list[dict]) -> dict:
    return {key: statistics.median(r[key] for r in runs) if isinstance(runs[0][key], (int, float)) else runs[0][key]
            for key in runs[0]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1500, help="generated articles in the replica")
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--repeat", type=int, default=1, help="runs per worker count (medians reported)")
    parser.add_argument("--storers", default="1,2,4", help="store-only processes ('' to skip)")
    parser.add_argument("--stored", type=int, default=3000, help="articles stored in each store-only run")
    args = parser.parse_args()
    results = crawl_table(args) if args.workers else []
    stores = []
    for storers in (int(s) for s in args.storers.split(",") if s):
        stores.append(_medians([store_run(storers, args.stored) for _ in range(args.repeat)]))
        print(f"storers={storers}: {stores[-1]}", flush=True)
    if stores:
        base = stores[0]["articles_per_s"] or 1
        print(f"\nthe archive alone: {args.stored:,} pre-extracted articles stored by N processes, shared write lock")
        print(f"{'storers':>7} {'articles':>8} {'copies':>6} {'wall s':>7} {'articles/s':>10} {'speed-up':>8} "
              f"{'store ms/art':>12} {'lock wait ms':>12} {'CPU ms/art':>10}")
        for row in stores:
            print(f"{row['storers']:>7} {row['articles']:>8} {row['linked_copies']:>6} {row['wall_s']:>7} "
                  f"{row['articles_per_s']:>10} {row['articles_per_s'] / base:>8.2f} "
                  f"{row['store_ms_per_article']:>12} {row['lock_wait_ms_per_article']:>12} "
                  f"{row['cpu_ms_per_article']:>10}")
    print(json.dumps({"n": args.n, "results": results, "stores": stores}))
    return 0


def crawl_table(args: argparse.Namespace) -> list[dict]:
    server = subprocess.Popen([sys.executable, "-m", "tests.replica.bench_server", "--n", str(args.n)], cwd=ROOT,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        sites = server.stdout.readline().strip().removeprefix("sites=")
        results = []
        for workers in (int(w) for w in args.workers.split(",")):
            row = _medians([one_run(sites, workers) for _ in range(args.repeat)])
            results.append(row)
            print(f"workers={workers}: {row}", flush=True)
    finally:
        server.stdin.close()
        server.wait(30)
    base = results[0]["articles_per_s"] or 1
    print(f"\n{'workers':>7} {'articles':>8} {'wall s':>8} {'articles/s':>10} {'speed-up':>8} "
          f"{'DB ms/article':>13} {'lock wait ms':>12} {'CPU ms/art':>10}")
    for row in results:
        print(f"{row['workers']:>7} {row['articles']:>8} {row['wall_s']:>8} {row['articles_per_s']:>10} "
              f"{row['articles_per_s'] / base:>8.2f} {row['db_ms_per_article']:>13} "
              f"{row['lock_wait_ms_per_article']:>12} {row['cpu_ms_per_article']:>10}")
    return results


if __name__ == "__main__":
    sys.exit(main())
