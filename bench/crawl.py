"""Crawl throughput: newscrawl end to end vs. the machine's limits, on a generated replica, all in one run.

Serves the replica (tests/replica, N generated articles over 3 outlets, each on its own 127.0.0.1 port) from a
separate process, then measures, each against a fresh SQLite archive:

1. ``fetch``  -- fetch-only: the real spider with ``ITEM_PIPELINES={}``: the reactor's own limit on this machine;
2. ``bare``   -- bare extraction: ``trafilatura.extract`` over the same article pages (saved to disk first) in a
                 process pool of the same size, no crawling: the CPU limit. ``bare_full`` does the same with our
                 whole ``extract_article`` + MinHash signature (what the crawl's workers run);
3. ``pool``   -- newscrawl end to end, default settings (extraction in NEWSCRAWL_EXTRACT_WORKERS processes),
                 politeness delays off;
4. ``inline`` -- the same with ``NEWSCRAWL_EXTRACT_WORKERS=0`` (extraction on the reactor thread).

For each: article pages/s (the spider's ``newscrawl/fetched/article``; bare: pages), pages/s (all responses),
CPU seconds per article (the crawl process and its workers; the replica server's CPU is not counted; and the crawl
process alone, the reactor's share), peak RSS
(sum over the crawl's process tree, sampled every 0.1 s from /proc, and the largest single process), the longest
reactor stall (``ReactorStallMonitor``, 10 ms ticks) and articles stored. Then the ratios: pool / min(fetch,
bare), pool / inline. ``--repeat`` runs every mode that many times and reports medians. Last line: JSON.

    .venv/bin/python bench/crawl.py                    # N=5000, every mode once
    .venv/bin/python bench/crawl.py --n 20000 --modes fetch,pool --repeat 1
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newscrawl import settings as project_settings  # noqa: E402
from newscrawl.workers import default_workers  # noqa: E402

MODES = ("fetch", "bare", "bare_full", "pool", "inline")
FAST = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "0", "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
        "LOG_LEVEL": "INFO", "NEWSCRAWL_STALL_MONITOR": "1"}
STAT_RE = re.compile(r"^\s*[{ ]'([\w/.]+)': ([0-9.]+),?}?$", re.M)
CLK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


# --------------------------------------------------------------------------- process-tree sampling (/proc)


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as fh:
                    ppid = int(fh.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            kids.setdefault(ppid, []).append(int(entry))
    return kids


def _tree(root: int, exclude: set[int]) -> list[int]:
    kids, out, todo = _children(), [], [root]
    while todo:
        pid = todo.pop()
        if pid in exclude:
            continue
        out.append(pid)
        todo.extend(kids.get(pid, []))
    return out


def busy_seconds() -> float:
    """CPU seconds the whole machine has been busy (all cores), from /proc/stat."""
    with open("/proc/stat") as fh:
        user, nice, system, idle, iowait, irq, softirq, steal = (int(v) for v in fh.readline().split()[1:9])
    return (user + nice + system + irq + softirq + steal) / CLK


def _stat(pid: int) -> tuple[float, int] | None:
    """(CPU seconds user+system, RSS bytes) of one process."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK, int(fields[21]) * PAGE
    except (OSError, ValueError, IndexError):
        return None


class TreeSampler(threading.Thread):
    """Polls a process tree: peak of the summed RSS, largest single RSS, last CPU seen per process."""

    def __init__(self, root: int, exclude: set[int] = frozenset(), interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.root, self.exclude, self.interval = root, set(exclude), interval
        self.peak_sum = self.peak_one = 0
        self.cpu: dict[int, float] = {}
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            self.sample()
            self._halt.wait(self.interval)

    def sample(self) -> None:
        total = 0
        for pid in _tree(self.root, self.exclude):
            got = _stat(pid)
            if got is None:
                continue
            cpu, rss = got
            self.cpu[pid] = cpu
            total += rss
            self.peak_one = max(self.peak_one, rss)
        self.peak_sum = max(self.peak_sum, total)

    def stop(self) -> None:
        self._halt.set()
        self.join()


# --------------------------------------------------------------------------- the replica


def serve_replica(n: int) -> tuple[subprocess.Popen, list[str], Path]:
    """Start ``tests.replica.serve`` in its own process; returns it, the outlet roots and the manifest path."""
    manifest = Path(tempfile.mkstemp(prefix="newscrawl-bench-manifest-", suffix=".json")[1])
    proc = subprocess.Popen([sys.executable, "-m", "tests.replica.serve", "--n", str(n), "--port-base", "0",
                             "--manifest", str(manifest)], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    for line in proc.stdout:
        if line.startswith("sites="):
            sites = line.strip().split("=", 1)[1].split(",")
            break
    else:
        raise SystemExit("replica did not start")
    while manifest.stat().st_size == 0:  # written right after the sites line
        time.sleep(0.1)
    time.sleep(0.3)
    return proc, sites, manifest


def save_pages(manifest: Path, dest: Path) -> list[Path]:
    """Fetch every manifest article once from the replica (outside any timing) and save the raw bodies."""
    urls = [a["url"] for a in json.loads(manifest.read_text())["articles"]]

    def get(i_url: tuple[int, str]) -> Path | None:
        i, url = i_url
        try:
            with urllib.request.urlopen(url, timeout=30) as resp:
                body = resp.read()
        except Exception:  # noqa: BLE001 - trap pages (500, 503...) are not part of the CPU limit
            return None
        path = dest / f"{i:06d}.html"
        path.write_bytes(body)
        return path

    with ThreadPoolExecutor(8) as ex:
        return [p for p in ex.map(get, enumerate(urls)) if p is not None]


# --------------------------------------------------------------------------- modes


def _bare_trafilatura(path: str) -> int:
    import trafilatura

    return len(trafilatura.extract(Path(path).read_bytes(), url=None) or "")


_ND = None


def _bare_full(path: str) -> int:
    global _ND
    from newscrawl.store.neardup import NearDupConfig
    from newscrawl.workers import extract_job

    _ND = _ND or NearDupConfig()
    return len(extract_job(Path(path).read_bytes(), "http://127.0.0.1/" + Path(path).stem + "/", None,
                           {"min_text_length": 200}, _ND).get("text") or "")


def _warm(_: int) -> int:
    import trafilatura  # noqa: F401

    import newscrawl.extract  # noqa: F401
    from newscrawl.store.neardup import NearDupConfig, _template

    _template(NearDupConfig().permutations, NearDupConfig().seed)
    return os.getpid()


def run_bare(pages: list[Path], workers: int, full: bool, server_pid: int) -> dict:
    import multiprocessing

    sampler = TreeSampler(os.getpid(), exclude={server_pid})
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as ex:
        list(ex.map(_warm, range(workers * 2)))  # imports done before the clock starts
        pids = set(ex._processes)
        before = {pid: (_stat(pid) or (0.0, 0))[0] for pid in pids}
        sampler.start()
        t0, busy0 = time.perf_counter(), busy_seconds()
        list(ex.map(_bare_full if full else _bare_trafilatura, [str(p) for p in pages], chunksize=8))
        elapsed = time.perf_counter() - t0
        busy = busy_seconds() - busy0
        cpu = sum((_stat(pid) or (before[pid], 0))[0] - before[pid] for pid in pids)
        sampler.stop()
    n = len(pages)
    return {"articles": n, "articles_per_s": n / elapsed, "pages_per_s": n / elapsed, "cpu_per_article": cpu / n,
            "elapsed_s": elapsed, "peak_rss_mb": sampler.peak_sum / 2**20, "max_proc_rss_mb": sampler.peak_one / 2**20,
            "main_cpu_per_article": None,
            "max_stall_ms": None, "stored": None, "replica_cores": 0.0,
            "other_load_cores": max(0.0, busy - cpu) / elapsed}


def run_crawl(sites: list[str], mode: str, workers: int, tmp: Path, server_pid: int) -> dict:
    archive = tmp / f"{mode}-{time.monotonic_ns()}.sqlite3"
    settings = dict(FAST)
    settings["EXTENSIONS"] = json.dumps({**project_settings.EXTENSIONS, "newscrawl.workers.ReactorStallMonitor": 200})
    if mode == "fetch":
        settings["ITEM_PIPELINES"] = "{}"
    elif mode == "inline":
        settings["NEWSCRAWL_EXTRACT_WORKERS"] = "0"
    else:
        settings["NEWSCRAWL_EXTRACT_WORKERS"] = str(workers)
    cmd = [sys.executable, "-m", "scrapy", "crawl", "sarawak", "-a", "site=" + ",".join(sites),
           "-s", f"ARCHIVE_URL=sqlite:///{archive}"]
    for key, value in settings.items():
        cmd += ["-s", f"{key}={value}"]
    log = tmp / f"{mode}.log"
    t0, busy0 = time.perf_counter(), busy_seconds()
    server0 = (_stat(server_pid) or (0.0, 0))[0]
    with open(log, "w") as fh:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT,
                                env={**os.environ, "PYTHONPATH": str(ROOT)})
        sampler = TreeSampler(proc.pid, exclude={server_pid})
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        sampler.stop()
    wall = time.perf_counter() - t0
    busy = busy_seconds() - busy0
    server_cpu = (_stat(server_pid) or (server0, 0))[0] - server0
    text = log.read_text()
    stats = {k: float(v) for k, v in STAT_RE.findall(text)}
    if "elapsed_time_seconds" not in stats:
        raise SystemExit(f"{mode} crawl failed (exit {proc.returncode}); log: {log}\n{text[-3000:]}")
    # CPU of the crawl and every worker: wait4 counts the ones the crawl joined; /proc fills in any it did not
    cpu_wait = usage.ru_utime + usage.ru_stime
    cpu = max(cpu_wait, sum(sampler.cpu.values()))
    articles = stats.get("newscrawl/fetched/article", 0)
    elapsed = stats["elapsed_time_seconds"]
    for suffix in ("", "-wal", "-shm"):
        Path(str(archive) + suffix).unlink(missing_ok=True)
    return {"articles": articles, "articles_per_s": articles / elapsed,
            "pages_per_s": stats.get("downloader/response_count", 0) / elapsed,
            "cpu_per_article": cpu / max(articles, 1), "elapsed_s": elapsed, "wall_s": wall,
            "main_cpu_per_article": sampler.cpu.get(proc.pid, 0.0) / max(articles, 1),
            "peak_rss_mb": sampler.peak_sum / 2**20, "max_proc_rss_mb": max(sampler.peak_one, usage.ru_maxrss * 1024) / 2**20,
            "max_stall_ms": stats.get("newscrawl/reactor/max_stall_ms"),
            "stored": stats.get("newscrawl/articles_stored"), "exit": proc.returncode,
            "workers_replaced": stats.get("newscrawl/extract/workers_replaced"),
            "replica_cores": server_cpu / wall, "other_load_cores": max(0.0, busy - cpu - server_cpu) / wall}


# --------------------------------------------------------------------------- report


def median_of(runs: list[dict]) -> dict:
    out = {}
    for key in runs[0]:
        values = [r[key] for r in runs if isinstance(r.get(key), (int, float))]
        out[key] = statistics.median(values) if values else None
    return out


def fmt(value, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--n", type=int, default=5000, help="generated articles in the replica (default 5000)")
    p.add_argument("--repeat", type=int, default=1, help="runs per mode; medians are reported (default 1)")
    p.add_argument("--workers", type=int, default=default_workers(), help="pool size (default: cores)")
    p.add_argument("--modes", default=",".join(MODES), help=f"comma-separated subset of {','.join(MODES)}")
    args = p.parse_args(argv)
    modes = [m for m in args.modes.split(",") if m]
    unknown = set(modes) - set(MODES)
    if unknown:
        p.error(f"unknown modes: {', '.join(sorted(unknown))}")

    tmp = Path(tempfile.mkdtemp(prefix="newscrawl-bench-crawl-"))
    print(f"replica: N={args.n} generated articles, served from a separate process; pool size {args.workers}; "
          f"{os.cpu_count()} cores; {args.repeat} run(s) per mode", flush=True)
    server, sites, manifest = serve_replica(args.n)
    results: dict[str, dict] = {}
    try:
        pages: list[Path] = []
        if {"bare", "bare_full"} & set(modes):
            (tmp / "pages").mkdir()
            pages = save_pages(manifest, tmp / "pages")
            print(f"saved {len(pages)} article pages for the bare extraction runs", flush=True)
        runs: dict[str, list[dict]] = {m: [] for m in modes}
        for i in range(args.repeat):
            for mode in modes:  # interleaved, so a drift of the machine hits every mode alike
                if mode in ("bare", "bare_full"):
                    r = run_bare(pages, args.workers, mode == "bare_full", server.pid)
                else:
                    r = run_crawl(sites, mode, args.workers, tmp, server.pid)
                runs[mode].append(r)
                print(f"  run {i + 1} {mode:9s} {r['articles_per_s']:7.1f} articles/s  "
                      f"{r['cpu_per_article'] * 1000:6.1f} ms CPU/article ({fmt(r['main_cpu_per_article'] and r['main_cpu_per_article'] * 1000, '.1f')} in the crawl process)  peak RSS {r['peak_rss_mb']:6.0f} MB  "
                      f"stall {fmt(r['max_stall_ms'], '.0f')} ms  stored {fmt(r['stored'], '.0f')}  "
                      f"replica {r['replica_cores']:.2f} cores, other load {r['other_load_cores']:.2f} cores", flush=True)
        results = {m: median_of(rs) for m, rs in runs.items()}
    finally:
        server.terminate()
        server.wait()
        manifest.unlink(missing_ok=True)
        shutil.rmtree(tmp, ignore_errors=True)

    print()
    print(f"{'mode':10s} {'articles/s':>10s} {'pages/s':>8s} {'ms CPU/art':>10s} {'main ms/art':>11s} {'peak RSS MB':>11s} "
          f"{'max proc MB':>11s} {'max stall ms':>12s} {'stored':>7s} {'other load':>10s}")
    for mode, r in results.items():
        main_ms = r["main_cpu_per_article"] and r["main_cpu_per_article"] * 1000
        print(f"{mode:10s} {r['articles_per_s']:10.1f} {r['pages_per_s']:8.1f} {r['cpu_per_article'] * 1000:10.1f} "
              f"{fmt(main_ms, '11.1f')} "
              f"{r['peak_rss_mb']:11.0f} {r['max_proc_rss_mb']:11.0f} {fmt(r['max_stall_ms'], '12.0f')} "
              f"{fmt(r['stored'], '7.0f')} {r['other_load_cores']:10.2f}")
    rate = {m: r["articles_per_s"] for m, r in results.items()}
    ratios = {}
    if "pool" in rate:
        limits = [rate[m] for m in ("fetch", "bare") if m in rate]
        if limits:
            ratios["pool_vs_min_fetch_bare"] = rate["pool"] / min(limits)
        limits_full = [rate[m] for m in ("fetch", "bare_full") if m in rate]
        if "bare_full" in rate and limits_full:
            ratios["pool_vs_min_fetch_bare_full"] = rate["pool"] / min(limits_full)
        if "inline" in rate:
            ratios["pool_vs_inline"] = rate["pool"] / rate["inline"]
    print()
    for key, value in ratios.items():
        print(f"{key:30s} {value:.2f}")
    print(json.dumps({"n": args.n, "workers": args.workers, "cores": os.cpu_count(), "repeat": args.repeat,
                      "replica": "separate process", "results": results, "ratios": ratios}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
