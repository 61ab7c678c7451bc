"""Distributed crawl throughput: 1, 2 and 4 workers on one Redis and one PostgreSQL, against one replica.

Serves a generated replica (tests/replica, ``--n`` articles over 3 outlets) from its own process, then for each
worker count: a fresh PostgreSQL schema and Redis prefix, ``scrapy seed sarawak``, W ``scrapy crawl sarawak``
workers (politeness off, ``NEWSCRAWL_EXTRACT_WORKERS=1`` each), timed from the seed to the last worker's exit.
Reports articles stored per second, the speed-up over one worker measured in the same run, and the database time
per article: wall time inside ``Archive.store`` (statements, commit, and waiting for the other workers' write
lock), summed over the workers from the run's ``crawl_runs.stats``, with the lock wait on its own.

    .venv/bin/python bench/distributed.py                      # N=1500, workers 1,2,4
    .venv/bin/python bench/distributed.py --n 3000 --workers 1,2 --repeat 2

Needs PostgreSQL (NEWSCRAWL_TEST_PG_URL, default postgresql+psycopg://postgres@127.0.0.1:5432/test) and Redis
(NEWSCRAWL_REDIS_URL, default redis://127.0.0.1:6379/0). Last line: JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
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


def one_run(sites: str, workers: int) -> dict:
    import psycopg
    import redis
    from sqlalchemy import create_engine, text

    schema = f"nc_bench_{uuid.uuid4().hex[:10]}"
    prefix = f"nc_bench_{uuid.uuid4().hex[:10]}"
    plain = PG.replace("+psycopg", "")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    url = f"{PG}?options=-csearch_path%3D{schema}"
    try:
        started = time.perf_counter()
        seed = scrapy("seed", url, sites, prefix)
        if seed.returncode:
            raise SystemExit(f"seed failed ({seed.returncode}): {seed.stderr[-2000:]}")
        procs = [scrapy("crawl", url, sites, prefix, wait=False) for _ in range(workers)]
        for proc in procs:
            _, err = proc.communicate()
            if proc.returncode:
                raise SystemExit(f"worker failed ({proc.returncode}): {err[-2000:]}")
        wall = time.perf_counter() - started
        engine = create_engine(url)
        with engine.connect() as conn:
            stored = conn.execute(text("SELECT count(*) FROM articles")).scalar()
            stats = json.loads(conn.execute(text("SELECT stats FROM crawl_runs")).scalar() or "{}")
        engine.dispose()
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        client = redis.Redis.from_url(REDIS)
        for key in client.scan_iter(match=prefix + ":*"):
            client.delete(key)
    store_ms = stats.get("newscrawl/archive/store_ms", 0)
    return {"workers": workers, "wall_s": round(wall, 2), "articles": stored,
            "articles_per_s": round(stored / wall, 2) if wall else 0,
            "db_ms_per_article": round(store_ms / stored, 2) if stored else None,
            "lock_wait_ms_per_article": round(stats.get("newscrawl/archive/lock_wait_ms", 0) / stored, 2)
            if stored else None}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1500, help="generated articles in the replica")
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--repeat", type=int, default=1, help="runs per worker count (medians reported)")
    args = parser.parse_args()
    server = subprocess.Popen([sys.executable, "-m", "tests.replica.bench_server", "--n", str(args.n)], cwd=ROOT,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        sites = server.stdout.readline().strip().removeprefix("sites=")
        results = []
        for workers in (int(w) for w in args.workers.split(",")):
            runs = [one_run(sites, workers) for _ in range(args.repeat)]
            row = {key: statistics.median(r[key] for r in runs) if isinstance(runs[0][key], (int, float))
                   else runs[0][key] for key in runs[0]}
            results.append(row)
            print(f"workers={workers}: {row}", flush=True)
    finally:
        server.stdin.close()
        server.wait(30)
    base = results[0]["articles_per_s"] or 1
    print(f"\n{'workers':>7} {'articles':>8} {'wall s':>8} {'articles/s':>10} {'speed-up':>8} "
          f"{'DB ms/article':>13} {'lock wait ms':>12}")
    for row in results:
        print(f"{row['workers']:>7} {row['articles']:>8} {row['wall_s']:>8} {row['articles_per_s']:>10} "
              f"{row['articles_per_s'] / base:>8.2f} {row['db_ms_per_article']:>13} {row['lock_wait_ms_per_article']:>12}")
    print(json.dumps({"n": args.n, "results": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
