"""Query benchmark: build a synthetic archive, time searches, exports and the research views.

    .venv/bin/python bench/query.py                     # 1,000,000 articles (several minutes, ~3 GB on disk)
    .venv/bin/python bench/query.py --articles 100000   # smaller
    .venv/bin/python bench/query.py --articles 100000 --archive 'postgresql+psycopg://postgres@127.0.0.1/test?options=-csearch_path%3Dqbench'
                                                        # PostgreSQL: an empty schema, filled (drop it afterwards)

Prints build time (rows/s through the FTS triggers), size on disk, search latency p50/p95 for common and rare
terms with and without filters (library path: query + snippets, limit 20) next to the exact answer timed in the
same run, and export throughput (rows/s) with the
exporting process's peak RSS for a 10 % and a 100 % export: flat memory means the two peaks are about equal;
then `attention` (by week, a common word, with and without --normalise) and `words` latency next to the search
layer's count of the same matches (and, for rare words, words' exact answer), and their peak RSS at 10 % and
100 % of the archive (`--only research` skips searches and exports; `--reuse --dir D` reuses a built archive).
Texts are synthetic news-like prose: a Zipf-weighted vocabulary of 30k words in sentences, 150-400 words each,
4 outlets, 2019-2024 in +08:00, ~8 % near-duplicate copies across outlets.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from newscrawl.query.search import search  # noqa: E402
from newscrawl.store.archive import Archive  # noqa: E402
from newscrawl.store.fts import ensure_fts  # noqa: E402
from newscrawl.store.schema import articles  # noqa: E402

OUTLETS = [("borneopost", 0.45), ("dayakdaily", 0.2), ("sarawaktribune", 0.2), ("utusanborneo", 0.15)]
SECTIONS = ["Sarawak", "Nation", "Business", "Sports", "World", "Opinion"]
COMMON = ("the of and to in a said was for on that is by with state government sarawak minister people kuching "
          "he it at as from has will be this are an its also which year premier not development project local "
          "community new have been they more two miri sibu bintulu their there would can all one police court "
          "school health hospital road water power road federal assembly chief told yesterday today members")
RARE = ["baram", "bakun", "murum", "batang", "longhouse", "hydroelectric", "kenyah", "kayan", "penan", "mulu"]


def make_vocab(rng: random.Random, size: int) -> tuple[list[str], list[float]]:
    letters = "abcdefghijklmnoprstuwy"
    words = COMMON.split() + RARE
    while len(words) < size:
        words.append("".join(rng.choice(letters) for _ in range(rng.randint(4, 10))))
    weights = [1.0 / (rank + 1) ** 1.07 for rank in range(len(words))]  # Zipf-like
    # Rare Sarawak words sit at the tail of the common block: rare but not vanishing.
    for i, w in enumerate(words):
        if w in RARE:
            weights[i] = 1.0 / 8000
    return words, weights


def build(url: str, n: int, seed: int = 7) -> float:
    rng = random.Random(seed)
    words, weights = make_vocab(rng, 30000)
    cum = list(itertools.accumulate(weights))  # choices() would re-sum 30k weights on every call
    sentences = [" ".join(rng.choices(words, cum_weights=cum, k=rng.randint(8, 22))).capitalize() + "."
                 for _ in range(40000)]
    sentences += ["The Baram dam was debated again." for _ in range(40)]  # a rare phrase (~0.1 % of sentences)
    outlets, oweights = zip(*OUTLETS)
    with Archive.open(url) as arc:
        engine = arc.engine
    ensure_fts(engine)
    t0 = time.perf_counter()
    batch: list[dict] = []
    start_day = 737060  # 2019-01-01 as an ordinal
    for i in range(1, n + 1):
        day = start_day + int((i / n) * 2190)
        d = time.strftime("%Y-%m-%d", time.gmtime((day - 719163) * 86400))
        dup = i > 100 and rng.random() < 0.08
        text = " ".join(rng.choices(sentences, k=rng.randint(10, 24)))
        batch.append({
            "id": i, "url": f"https://example{i % 4}.my/{d}/article-{i}/", "outlet": rng.choices(outlets, oweights)[0],
            "title": " ".join(rng.choices(words[:400], k=rng.randint(5, 10))).capitalize(),
            "authors": "[]", "tags": "[]", "published_at": f"{d}T{rng.randint(6, 22):02d}:00:00+08:00",
            "section": rng.choice(SECTIONS), "language": "ms" if rng.random() < 0.15 else "en",
            "text": text, "fetched_at": "2024-12-31T00:00:00+00:00", "content_hash": f"{i:064x}",
            "duplicate_of": rng.randint(max(1, i - 50), i - 1) if dup else None,
        })
        if len(batch) == 5000:
            with engine.begin() as conn:
                conn.execute(insert(articles), batch)
            batch.clear()
            if i % 100000 == 0:
                print(f"  built {i:,} articles ({i / (time.perf_counter() - t0):,.0f}/s)", file=sys.stderr)
    if batch:
        with engine.begin() as conn:
            conn.execute(insert(articles), batch)
    if engine.dialect.name == "sqlite":
        with engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO articles_fts(articles_fts) VALUES ('optimize')")
    else:  # what autovacuum does to a settled archive: statistics, and the visibility map index-only scans need
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE articles")
    engine.dispose()
    return time.perf_counter() - t0


QUERIES = [
    ("common word", "government", {}),
    ("common word, outlet+since", "government", {"outlets": ["dayakdaily"], "since": "2024-01-01"}),
    ("two common words", "sarawak minister", {}),
    ("common, sort date", "kuching", {"sort": "newest"}),
    ("rare word", "bakun", {}),
    ("rare word, outlet+since", "bakun", {"outlets": ["borneopost"], "since": "2023"}),
    ("rare phrase", '"baram dam"', {}),
    ("rare phrase, outlet+since", '"baram dam"', {"outlets": ["dayakdaily", "borneopost"], "since": "2024"}),
    ("prefix", "hydro*", {}),
    ("OR / NOT", "(murum OR batang) NOT penan", {}),
]


def time_searches(url: str, repeats: int, baseline_repeats: int) -> None:
    from sqlalchemy import create_engine

    from newscrawl.query import search as search_module

    engine = create_engine(url)
    print(f"\nsearch latency, library path, limit 20 with snippets ({repeats} runs each after 1 warm-up); baseline in"
          f" the same run: the exact answer (every match ranked: exact=True, no date-order walk; {baseline_repeats} runs);"
          " 'same' = rows of the exact top 20 also in ours:")
    print(f"  {'query':<28} {'rows':>5} {'p50 ms':>8} {'p95 ms':>8} {'base p50':>9} {'speedup':>8} {'same':>5}")
    all_times = []
    for label, q, kw in QUERIES:
        kw = dict(kw)
        rows = list(search(engine, q, limit=20, **kw))
        times = _timed(lambda: list(search(engine, q, limit=20, **kw)), repeats)
        all_times += times
        many, search_module.MANY_MATCHES = search_module.MANY_MATCHES, 10**12  # no date-order walk
        try:
            exact = list(search(engine, q, limit=20, exact=True, **kw))
            base = _timed(lambda: list(search(engine, q, limit=20, exact=True, **kw)), baseline_repeats)
        finally:
            search_module.MANY_MATCHES = many
        same = len({r["id"] for r in rows} & {r["id"] for r in exact})
        p50 = statistics.median(times)
        print(f"  {label:<28} {len(rows):>5} {p50:>8.1f} {times[min(len(times) - 1, int(0.95 * len(times)))]:>8.1f} "
              f"{statistics.median(base):>9.1f} {statistics.median(base) / p50:>7.1f}x {same:>5}")
    all_times.sort()
    print(f"  {'ALL':<28} {'':>5} {statistics.median(all_times):>8.1f} {all_times[int(0.95 * len(all_times))]:>8.1f}")


def _timed(fn, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return sorted(times)


def time_export(url: str, out_dir: str, label: str, args: list[str]) -> None:
    out = os.path.join(out_dir, f"export-{label}.csv")
    cmd = [str(Path(sys.executable).with_name("newscrawl")), "export", "--archive", url, "--format", "csv",
           "-o", out, "--force", *args]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t
    err = proc.stderr.read().decode().strip()
    rows = int(err.split()[1]) if err.startswith("wrote") else -1
    if status != 0:  # e.g. an archive behind this version's schema: say why, not a missing file
        print(f"  {label:<28} FAILED: {err[-300:]}")
        return
    print(f"  {label:<28} {rows:>9,} rows {elapsed:>7.1f} s {rows / elapsed:>9,.0f} rows/s "
          f"peak RSS {usage.ru_maxrss / 1024:>6.0f} MB  file {os.path.getsize(out) / 1e6:,.0f} MB")
    os.unlink(out)


RESEARCH = [  # (label, query, attention options)
    ("common word, by week", "government", {"by": "week"}),
    ("common word, by week, normalised", "government", {"by": "week", "normalise": True}),
    ("common word, outlet+since, week", "government", {"by": "week", "outlets": ["dayakdaily"], "since": "2024-01-01"}),
    ("rare word, by week, normalised", "bakun", {"by": "week", "normalise": True}),
    ("two topics, by month", ["baram OR bakun", "hydro*"], {"by": "month"}),
]
# attention by week for a word at each share of the archive: what a "common word" costs depends on how common.
# The generated vocabulary is fixed by the seed; the share printed is measured. In real news pages (the AEB set's
# 181 articles) `government` is in 13 % of the articles, `people` in 34 %, `said` in 57 %.
SHARES = ["government", "police", "hjpsymdfw", "smtmalfh", "bakun"]  # ~80 %, 37 %, 12 %, 5 %, 2 %
WORDS = [("common word", "government", {}), ("rare word", "bakun", {}),
         ("rare word, outlet+since", "bakun", {"outlets": ["borneopost"], "since": "2023"})]


def time_research(url: str, repeats: int) -> None:
    """attention and words (docs/research.md), library path, next to two baselines of the same run: the search
    layer's one-per-story count of the same matches (what counting them at all costs, no periods), and on SQLite
    the plans without the period indexes (what a SQLite archive before revision 0005, or a PostgreSQL one before
    0007, does)."""
    from sqlalchemy import create_engine

    from newscrawl.query import selection
    from newscrawl.query.attention import attention
    from newscrawl.query.search import Filters, count
    from newscrawl.query.words import words

    engine = create_engine(url)
    has_periods = selection.periodindex.available(engine)
    print(f"\nattention latency, library path ({repeats} runs each after 1 warm-up); baselines: search.count() of the "
          "same query and filters (one count, no periods)"
          + (", and, alternating with it, the plan without the period indexes ('before')" if has_periods else "")
          + ":")
    print(f"  {'attention':<36} {'rows':>6} {'p50 ms':>8} {'p95 ms':>8} {'count p50':>9} {'ratio':>7}"
          + (f" {'before p50':>10} {'ratio':>7} same" if has_periods else ""))
    few = max(3, repeats // 4)

    @contextlib.contextmanager
    def without_period_indexes():
        available = selection.periodindex.available
        selection.periodindex.available = lambda bind: False
        try:
            yield
        finally:
            selection.periodindex.available = available

    for label, q, kw in RESEARCH:
        rows = attention(engine, q, **kw)
        before, times, old = None, [], []
        if has_periods:
            with without_period_indexes():
                before = attention(engine, q, **kw)
        # the two plans alternate, each first in every other round (the baseline in the first `few` rounds): a run
        # of one after a run of the other, or always second, would compare cache states, not plans
        for i in range(repeats):
            if has_periods and i < few and i % 2:
                with without_period_indexes():
                    old += _timed(lambda: attention(engine, q, **kw), 1)
            times += _timed(lambda: attention(engine, q, **kw), 1)
            if has_periods and i < few and not i % 2:
                with without_period_indexes():
                    old += _timed(lambda: attention(engine, q, **kw), 1)
        times.sort()
        first = q if isinstance(q, str) else q[0]
        flt = Filters.build(query=first, outlets=kw.get("outlets"), since=kw.get("since"))
        base = _timed(lambda: count(engine, flt), few)
        p50, b50 = statistics.median(times), statistics.median(base)
        line = (f"  {label:<36} {len(rows):>6} {p50:>8.1f} {times[min(len(times) - 1, int(0.95 * len(times)))]:>8.1f} "
                f"{b50:>9.1f} {p50 / b50:>6.2f}x")
        if has_periods:
            o50 = statistics.median(old)
            line += f" {o50:>10.1f} {p50 / o50:>6.2f}x {'yes' if before == rows else 'NO'}"
        print(line)
    total = count(engine, Filters.build(include_duplicates=True))
    print(f"\nattention QUERY --by week for words of decreasing share of the archive ({repeats} runs each):")
    print(f"  {'word':<12} {'share':>6} {'p50 ms':>8} {'p95 ms':>8}")
    for q in SHARES:
        share = count(engine, Filters.build(query=q, include_duplicates=True)) / max(1, total)
        attention(engine, q, by="week")
        times = sorted(_timed(lambda: attention(engine, q, by="week"), repeats))
        print(f"  {q:<12} {share:>6.1%} {statistics.median(times):>8.1f} "
              f"{times[min(len(times) - 1, int(0.95 * len(times)))]:>8.1f}")
    print(f"\nwords latency (sample 1,000 matching stories, 3,000 archive articles; {max(3, repeats // 4)} runs); "
          "baseline: the exact answer (every matching story counted), rare words only:")
    print(f"  {'words':<36} {'top 5':<40} {'p50 ms':>8} {'max ms':>8} {'exact ms':>9}")
    for label, q, kw in WORDS:
        top = [w.term for w in words(engine, q, **kw)][:5]
        times = _timed(lambda: words(engine, q, **kw), max(3, repeats // 4))
        exact = ""
        if "rare" in label:
            t = time.perf_counter()
            same = [w.term for w in words(engine, q, sample=10**9, **kw)][:5]
            exact = f"{(time.perf_counter() - t) * 1000:>9.1f}" + (" same top 5" if same == top else f" top {same}")
        print(f"  {label:<36} {' '.join(top):<40.40} {statistics.median(times):>8.1f} {times[-1]:>8.1f} {exact}")


def time_research_memory(url: str, label: str, args: list[str]) -> None:
    """Peak RSS of a `newscrawl` research command in a subprocess (flat memory: about equal at 10 % and 100 %)."""
    cmd = [str(Path(sys.executable).with_name("newscrawl")), *args, "--archive", url, "--format", "csv"]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    print(f"  {label:<44} {time.perf_counter() - t:>6.2f} s  peak RSS {usage.ru_maxrss / 1024:>6.0f} MB"
          + ("" if status == 0 else f"  FAILED: {proc.stderr.read().decode()[-300:]}"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=1_000_000)
    ap.add_argument("--dir", help="where to build (default: a temporary directory, removed afterwards)")
    ap.add_argument("--repeats", type=int, default=20)
    ap.add_argument("--baseline-repeats", type=int, default=3, help="runs of the (slow) plans-off baseline")
    ap.add_argument("--reuse", action="store_true", help="reuse an archive already built in --dir")
    ap.add_argument("--only", choices=["search", "research"], help="time only searches+exports, or only the research views")
    ap.add_argument("--archive", metavar="URL",
                    help="an EMPTY PostgreSQL database/schema to build in instead of SQLite (it is filled, not dropped)")
    args = ap.parse_args()
    work = args.dir or tempfile.mkdtemp(prefix="newscrawl-bench-")
    db = os.path.join(work, f"bench-{args.articles}.sqlite3")
    url = args.archive or f"sqlite:///{db}"
    print(f"synthetic archive: {args.articles:,} articles in {db if not args.archive else 'PostgreSQL'}")
    if args.archive and not args.reuse:
        secs = build(url, args.articles)
        print(f"build: {secs:.1f} s ({args.articles / secs:,.0f} articles/s, GIN index maintained)")
    elif not args.archive and not (args.reuse and os.path.exists(db)):
        if os.path.exists(db):
            os.unlink(db)
        secs = build(url, args.articles)
        print(f"build: {secs:.1f} s ({args.articles / secs:,.0f} articles/s, inserts through the FTS triggers)")
    if not args.archive:
        size = sum(os.path.getsize(p) for p in (db, db + "-wal") if os.path.exists(p))
        print(f"size on disk: {size / 1e9:.2f} GB ({size / args.articles:,.0f} bytes/article, FTS index included)")
    if args.only != "research":
        time_searches(url, args.repeats, args.baseline_repeats)
        print("\nexport (newscrawl export --format csv, one row per story, in a subprocess):")
        time_export(url, work, "10 % (--outlet utusanborneo)", ["--outlet", "utusanborneo"])
        time_export(url, work, "100 %", [])
    if args.only != "search":
        time_research(url, args.repeats)
        print("\nresearch views in a subprocess (time includes start-up), peak RSS at 10 % and 100 % of the archive:")
        for label, extra in (("10 %", ["--outlet", "utusanborneo"]), ("100 %", [])):
            time_research_memory(url, f"attention government --by week, {label}",
                                 ["attention", "government", "--by", "week", "--normalise", *extra])
            time_research_memory(url, f"words government, {label}", ["words", "government", *extra])
    if not args.dir:
        for p in Path(work).iterdir():
            p.unlink()
        os.rmdir(work)


if __name__ == "__main__":
    main()
