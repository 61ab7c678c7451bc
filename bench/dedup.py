"""Near-duplicate detection at archive scale: precision/recall on planted pairs, check time, disk, memory.

Builds a synthetic archive (default 200,000 articles of realistic length: log-normal, median ~420 words) through
``Archive.store`` and prints:

* precision and recall PER CLASS, never pooled. Classes planted in the stream:
  - ``copy``: every 40th article is a syndicated copy of a recent article (new intro paragraph, last paragraphs
    dropped, "Also read"/ad lines, ~3% of words edited), 1 in 10 of them published *before* the article it
    copies (crawled late: it must become the root);
  - ``negative``: every 40th (offset 20) a different story sharing a quote paragraph and the stock "Also
    present..." sentence with a recent one;
  - ``wire_edit``, ``templated``, ``same_event``: articles 10 and 11 of every 200 (``--labelled-every``) are a
    pair of the labelled evaluation of tests/story_eval (a Bernama story and another outlet's re-edit; two
    stories of one outlet's stock format about different events; two stories of one event), the three classes in
    turn, English and Malay. Every templated story is also a hard negative for every other story of its format
    in the archive (at 200,000 articles, some 250 "flood victims rise" reports), as in a real archive.
  Every article shares common news phrases and its outlet's footer with thousands of others, as real ones do.
  A class's precision counts the links that involve its articles; recall is for the classes that are copies.
  The labelled pairs are also scored one by one, with today's rule and the wording-only rule of earlier
  versions (``--rule jaccard`` runs the whole archive with that rule instead).
* the check's mean / p50 / p95 time per article (the near-duplicate work inside ``store``: band lookup, verify,
  index insert) next to the whole ``store`` call and the signature computation (done in worker processes, as
  the pipeline will), archive size on disk (per table on SQLite), peak RSS and RSS sampled during the run.

    .venv/bin/python bench/dedup.py                      # 200,000 articles, SQLite in a temp dir
    .venv/bin/python bench/dedup.py --articles 20000     # quicker
    .venv/bin/python bench/dedup.py --url postgresql+psycopg://postgres@127.0.0.1:5432/test  # own schema, dropped
    .venv/bin/python bench/dedup.py --rule jaccard       # the wording-only rule of earlier versions
"""

from __future__ import annotations

import argparse
import collections
import multiprocessing as mp
import os
import random
import resource
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newscrawl.store import neardup, stories
from newscrawl.store.archive import Archive
from newscrawl.store.neardup import NearDupConfig
from tests.story_eval import corpus
from tests.story_eval.templates import FORMATS

COPY_EVERY, NEGATIVE_OFFSET = 40, 20
PAIR_OFFSET = 10  # labelled pairs at offsets 10 and 11 of every LABELLED_EVERY articles
LABELLED_EVERY = 200  # --labelled-every; 0: none (the workload of earlier versions of this script)
WINDOW = 2048  # articles built ahead by the workers
OUTLETS = ["borneopost", "sarawaktribune", "dayakdaily", "utusanborneo", "sarawakvoice", "thestar", "malaymail",
           "freemalaysiatoday"]
FOOTERS = {  # per-outlet lines extraction leaves in; some are caught by the boilerplate filter, some not
    "borneopost": "Follow us on Telegram for the latest news from Sarawak.",
    "sarawaktribune": "Download the New Sarawak Tribune app now.",
    "dayakdaily": "-- DayakDaily",
    "sarawakvoice": "Sarawak Voice is now on Google News and WhatsApp Channel, stay connected with us there.",
    "thestar": "Stay up to date with the latest news, follow The Star on WhatsApp Channels.",
}
STOCK = "Also present at the press conference were the Deputy Premiers, the State Secretary and senior officers."
BASE = datetime(2020, 1, 1, tzinfo=timezone(timedelta(hours=8)))

_rng0 = np.random.default_rng(20240305)
_SYLL = ["ka", "ba", "ra", "ma", "ta", "sa", "la", "na", "pa", "da", "wa", "ri", "lo", "ng", "an", "ung", "ak",
         "in", "ai", "ku", "ch", "sar", "bor", "wak", "jo", "ha", "li", "mi", "so", "te"]
VOCAB = np.array(["".join(_rng0.choice(_SYLL, size=_rng0.integers(1, 4))) + str(i % 7 if i > 4000 else "")
                  for i in range(40_000)])
PHRASES = [" ".join(VOCAB[_rng0.integers(0, 300, size=_rng0.integers(4, 8))]) for _ in range(2_000)]


def _rng(i: int, salt: int = 0) -> np.random.Generator:
    return np.random.default_rng([i, salt, 7])


def paragraphs(i: int) -> list[str]:
    """Article i's body: log-normal length, sentences of 10-32 Zipf words, common phrases sprinkled in."""
    rng = _rng(i)
    n_words = int(np.clip(rng.lognormal(np.log(420), 0.55), 40, 2500))
    paras, total = [], 0
    while total < n_words:
        sentences = []
        for _ in range(rng.integers(1, 4)):
            k = int(rng.integers(10, 33))
            words = VOCAB[np.minimum(rng.zipf(1.15, k), len(VOCAB)) - 1].tolist()
            if rng.random() < 0.35:
                words[rng.integers(0, k):0] = PHRASES[int(rng.integers(0, len(PHRASES)))].split()
            total += len(words)
            sentences.append(" ".join(words).capitalize() + ".")
        paras.append(" ".join(sentences))
    return paras


def is_labelled(i: int) -> bool:
    return bool(LABELLED_EVERY) and i % LABELLED_EVERY in (PAIR_OFFSET, PAIR_OFFSET + 1)


def labelled(i: int) -> corpus.Pair:
    """The labelled pair planted at articles i - i % LABELLED_EVERY + 10 and + 11: classes and formats in turn."""
    k = i // LABELLED_EVERY
    fmt = FORMATS[(k // len(corpus.CLASSES)) % len(FORMATS)]
    return corpus.pair(corpus.CLASSES[k % len(corpus.CLASSES)], fmt, random.Random(k))


def kind(i: int) -> tuple[str, int | None]:
    """('plain'|'copy'|'negative'|a labelled class, partner). Partners of copies and negatives are recent,
    long-enough plain articles; the second article of a labelled pair has the first as its partner."""
    if is_labelled(i):
        return labelled(i).kind, (i - 1 if i % LABELLED_EVERY == PAIR_OFFSET + 1 else None)
    if i >= COPY_EVERY and i % COPY_EVERY in (0, NEGATIVE_OFFSET):
        rng = _rng(i, 1)
        for _ in range(50):
            j = i - int(rng.integers(1, COPY_EVERY // 2 - 1))
            if (j % COPY_EVERY not in (0, NEGATIVE_OFFSET) and not is_labelled(j)
                    and sum(len(p.split()) for p in paragraphs(j)) >= 150):
                return ("copy" if i % COPY_EVERY == 0 else "negative"), j
    return "plain", None


def text_of(i: int) -> tuple[str, str, datetime, str, int | None]:
    """(text, outlet, published, kind, partner) of article i; deterministic, so any process can rebuild it."""
    rng = _rng(i, 2)
    what, j = kind(i)
    outlet = OUTLETS[i % len(OUTLETS)]
    published = BASE + timedelta(minutes=i * 5)
    if what in corpus.CLASSES:
        pair = labelled(i)
        art = pair.a if j is None else pair.b
        return art.text, art.outlet, published, what, j
    if what == "copy":
        src = paragraphs(j)
        # the outlet's own intro, the wire body, sometimes the last paragraph cut
        body = [" ".join(paragraphs(i)[0].split()[:45])] + src[1:len(src) - int(rng.random() < 0.4)]
        words = "\n".join(body).split(" ")
        for pos in rng.integers(0, len(words), size=len(words) // 100):  # light copy-editing: 1% of words
            words[pos] = VOCAB[int(rng.integers(0, len(VOCAB)))]
        body = " ".join(words).split("\n")
        body.insert(min(3, len(body)), "Also read: " + " ".join(VOCAB[rng.integers(0, 5000, 8)]))
        body.insert(min(6, len(body)), "ADVERTISEMENT")
        early = rng.random() < 0.1  # the copy was published first but crawled later: it must become the root
        lag = timedelta(minutes=int(rng.integers(30, 600)))
        published = BASE + timedelta(minutes=j * 5) + (-lag if early else lag)
    elif what == "negative":
        src = paragraphs(j)
        own = paragraphs(i)
        body = own[:2] + [src[min(2, len(src) - 1)]] + own[2:] + [STOCK]  # a shared quote + stock sentence
    else:
        body = paragraphs(i) + ([STOCK] if i % 97 == 0 else [])
    if outlet in FOOTERS:
        body.append(FOOTERS[outlet])
    return "\n".join(body), outlet, published, what, j


def build(i: int) -> dict:
    """Article i as the pipeline would hand it to the archive, signature computed here (worker process)."""
    text, outlet, published, what, j = text_of(i)
    t0 = time.perf_counter()
    sig = CONFIG.signature(text)
    sig_s = time.perf_counter() - t0
    url = f"https://{outlet}.example/{published:%Y/%m/%d}/story-{i}/"
    similarity = None  # exact Jaccard of a planted pair (copy) or a hard negative with its partner
    if j is not None:
        similarity = neardup.jaccard(neardup.shingles(text, CONFIG.shingle_size),
                                     neardup.shingles(text_of(j)[0], CONFIG.shingle_size))
    same = what == "copy" or (what in corpus.SAME_STORY and corpus.SAME_STORY[what])
    title = f"Story {i}"
    if what in corpus.CLASSES:
        pair = labelled(i)
        title = (pair.a if j is None else pair.b).title
    return {"i": i, "group": min(i, j) if same and j is not None else i, "kind": what, "sig_s": sig_s,
            "jaccard": similarity,
            "article": {"url": url, "outlet": outlet, "title": title, "text": text,
                        "published_at": published.isoformat(),
                        "fetched_at": (BASE + timedelta(minutes=i * 5 + 60)).astimezone(timezone.utc).isoformat(),
                        "minhash": sig}}


CONFIG = NearDupConfig()


def _init_worker(config: NearDupConfig) -> None:
    global CONFIG
    CONFIG = config




def class_report(links: list[tuple[int, int]], kinds: np.ndarray, group: np.ndarray,
                 root_of: np.ndarray) -> list[str]:
    """One line per class: links involving its articles, wrong ones, precision; recall for copy classes."""
    lines = []
    for name in ("copy", "negative", *corpus.CLASSES):
        members = np.flatnonzero(kinds == name)
        if not len(members):
            continue
        touching = [(u, r) for u, r in links if kinds[u] == name or kinds[r] == name]
        wrong = sum(group[u] != group[r] for u, r in touching)
        line = (f"{name:<11} {len(members):>7,} articles: {len(touching):>6,} links, {wrong:>5,} wrong, "
                f"precision {1 - wrong / len(touching) if touching else 1:.4f}")
        copies = [u for u in members if group[u] != u]
        if copies:
            hit = sum(root_of[u] == root_of[group[u]] for u in copies)
            line += f", recall {hit / len(copies):.4f} ({hit:,} of {len(copies):,})"
        lines.append(line)
    return lines


def labelled_pairs_report(threshold: float) -> None:
    """The labelled pairs of tests/story_eval decided one by one: per class and language, both rules."""
    pairs = corpus.pairs()
    rules = {"story": NearDupConfig(threshold=threshold),
             "jaccard": NearDupConfig(threshold=threshold, min_names=0.0, min_figures=0.0)}
    print(f"labelled pairs (tests/story_eval, {len(pairs)} pairs), decided pair by pair:")
    for name, cfg in rules.items():
        linked = collections.Counter()
        count = collections.Counter()
        for p in pairs:
            count[p.kind, p.a.language] += 1
            linked[p.kind, p.a.language] += cfg.verdict(p.a.text, p.b.text).same
        for lang in ("en", "ms"):
            tp, n_pos = linked["wire_edit", lang], count["wire_edit", lang]
            cells = [f"wire_edit recall {tp / n_pos:.3f} ({tp}/{n_pos})"]
            for neg in ("templated", "same_event"):
                fp = linked[neg, lang]
                cells.append(f"{neg} {fp}/{count[neg, lang]} linked, precision {tp / max(1, tp + fp):.3f}")
            print(f"  rule {name:<7} {lang}: " + "; ".join(cells))


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if len(values) else float("nan")


def main() -> None:
    global LABELLED_EVERY
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=200_000)
    ap.add_argument("--url", help="archive URL (default: a fresh SQLite file in a temp dir)")
    ap.add_argument("--dir", help="directory for the SQLite file (default: a temp dir, removed after)")
    # one core stays with the storing process, so timings aren't inflated by the signature workers
    ap.add_argument("--workers", type=int, default=max(1, (os.cpu_count() or 2) - 1))
    ap.add_argument("--threshold", type=float, default=neardup.DEFAULT_THRESHOLD)
    ap.add_argument("--batch-size", type=int, default=200)
    ap.add_argument("--rule", choices=["story", "jaccard"], default="story",
                    help="story: today's same-story decision; jaccard: wording only (earlier versions)")
    ap.add_argument("--labelled-every", type=int, default=200,
                    help="plant a labelled pair every N articles (0: none, the workload of earlier versions)")
    args = ap.parse_args()
    LABELLED_EVERY = args.labelled_every  # set before the workers fork: they inherit it
    rule = {} if args.rule == "story" else {"neardup_min_names": 0.0, "neardup_min_figures": 0.0}
    labelled_pairs_report(args.threshold)

    tmp = tempfile.TemporaryDirectory(dir=args.dir)
    url, schema = args.url, None
    if url is None:
        url = f"sqlite:///{tmp.name}/bench.sqlite3"
    elif url.startswith("postgresql"):
        import psycopg

        schema = f"nc_bench_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as c:
            c.execute(f'CREATE SCHEMA "{schema}"')
        url = f"{url}?options=-csearch_path%3D{schema}"

    # Time the near-duplicate work inside store(): the archive calls these through the module.
    # Wall time and CPU time (process_time: unaffected by other processes competing for the cores).
    # The check as earlier versions measured it (band lookup, verification, index insert), and separately the
    # whole grouping around it (stories.link / regroup: the check plus duplicate_of and story_links writes).
    current = [0.0, 0.0, 0.0]

    def timer(module, name, slots):
        original = getattr(module, name)

        def timed(*a, _f=original, **kw):
            t0, c0 = time.perf_counter(), time.process_time()
            try:
                return _f(*a, **kw)
            finally:
                for slot, value in zip(slots, (time.perf_counter() - t0, time.process_time() - c0)):
                    if slot is not None:
                        current[slot] += value

        setattr(module, name, timed)

    for name in ("matches", "add", "remove"):
        timer(neardup, name, (0, 1))
    for name in ("link", "regroup"):
        timer(stories, name, (2, None))

    arc = Archive.open(url, batch_size=args.batch_size, neardup_threshold=args.threshold, **rule)
    config = arc.neardup
    print(f"archive {arc.url}; {args.articles:,} articles; threshold {config.threshold}, "
          f"{config.permutations} permutations = {config.bands} bands x {config.rows} rows, "
          f"{config.shingle_size}-word shingles, min {config.min_words} words; {args.workers} signature workers; "
          f"rule {args.rule} (min names {config.min_names}, min figures {config.min_figures})")
    # Bookkeeping in fixed-size arrays (indexed by article number), so RSS growth is the archive's, not ours.
    n_art = args.articles
    group = np.zeros(n_art, dtype=np.int64)
    kinds = np.zeros(n_art, dtype="U12")
    similarity = np.full(n_art, np.nan, dtype=np.float32)
    sig_s, store_s, check_s, check_cpu, group_s = (np.zeros(n_art, dtype=np.float64) for _ in range(5))
    words = np.zeros(n_art, dtype=np.int32)
    rss_samples = []
    statuses: dict[str, int] = {}
    t_start = time.perf_counter()
    ctx = mp.get_context("fork")
    with ctx.Pool(args.workers, initializer=_init_worker, initargs=(config,)) as pool:
        # Windows of WINDOW articles: the workers build the next window while this process stores the current
        # one, so at most two windows are in memory whatever the archive size.
        windows = [range(a, min(n_art, a + WINDOW)) for a in range(0, n_art, WINDOW)]
        pending = pool.map_async(build, windows[0], chunksize=64)
        tenth = max(1, n_art // 10)
        for w in range(len(windows)):
            items = pending.get()
            if w + 1 < len(windows):
                pending = pool.map_async(build, windows[w + 1], chunksize=64)
            for item in items:
                i, art = item["i"], item["article"]
                group[i], kinds[i] = item["group"], item["kind"]
                if item["jaccard"] is not None:
                    similarity[i] = item["jaccard"]
                words[i], sig_s[i] = art["minhash"].num_words, item["sig_s"]
                current[:] = [0.0, 0.0, 0.0]
                t0 = time.perf_counter()
                _, status = arc.store(art, [art["url"]])
                store_s[i] = time.perf_counter() - t0
                check_s[i], check_cpu[i], group_s[i] = current
                statuses[status] = statuses.get(status, 0) + 1
                if (i + 1) % tenth == 0:
                    rss_samples.append((i + 1, rss_mb()))
                    print(f"  {i + 1:>8,} stored {time.perf_counter() - t_start:7.1f}s RSS {rss_samples[-1][1]:.0f} MB"
                          f"  check p95 (last {tenth:,}) {pct(check_s[i + 1 - tenth:i + 1], 95) * 1e3:.2f} ms wall, "
                          f"{pct(check_cpu[i + 1 - tenth:i + 1], 95) * 1e3:.2f} ms CPU; load {os.getloadavg()[0]:.1f}",
                          flush=True)
            del items
    arc.flush()
    elapsed = time.perf_counter() - t_start

    # Evaluate: each row with duplicate_of is a link (row, root); correct when both are in one planted group.
    from sqlalchemy import select

    from newscrawl.store.schema import articles

    rows = arc._read(lambda c: c.execute(select(articles.c.id, articles.c.url, articles.c.duplicate_of)).all())
    number = {r.id: int(r.url.rsplit("story-", 1)[1].rstrip("/")) for r in rows}  # article id -> article number
    root_of = np.arange(n_art)
    for r in rows:
        if r.duplicate_of:
            root_of[number[r.id]] = number[r.duplicate_of]
    del rows, number
    links = [(u, int(root_of[u])) for u in range(n_art) if root_of[u] != u]
    correct = sum(group[u] == group[root] for u, root in links)
    planted = [u for u in range(n_art) if kinds[u] == "copy"]
    found = sum(root_of[u] == root_of[group[u]] for u in planted)  # a copy's group id is its original's number
    negatives = [u for u in range(n_art) if kinds[u] == "negative"]
    involved = {u for link in links for u in link}
    neg_linked = sum(u in involved for u in negatives)
    per_class = class_report(links, kinds, group, root_of)
    arc.close()

    size = {}
    if url.startswith("sqlite"):
        db = Path(tmp.name) / "bench.sqlite3"
        total = sum(p.stat().st_size for p in Path(tmp.name).glob("bench.sqlite3*"))
        import sqlite3

        con = sqlite3.connect(db)
        try:
            size = dict(con.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC"))
        except sqlite3.Error:
            pass
        con.close()
    else:
        import psycopg

        with psycopg.connect(args.url.replace("+psycopg", ""), autocommit=True) as c:
            total = c.execute("SELECT sum(pg_total_relation_size(format('%I.%I', schemaname, tablename))) "
                              "FROM pg_tables WHERE schemaname = %s", (schema,)).fetchone()[0]
            size = dict(c.execute("SELECT tablename, pg_total_relation_size(format('%%I.%%I', schemaname, tablename)) "
                                  "FROM pg_tables WHERE schemaname = %s ORDER BY 2 DESC", (schema,)).fetchall())
            c.execute(f'DROP SCHEMA "{schema}" CASCADE')

    def ms(xs: np.ndarray) -> str:
        return f"mean {float(np.mean(xs)) * 1e3:.2f} ms, p50 {pct(xs, 50) * 1e3:.2f} ms, p95 {pct(xs, 95) * 1e3:.2f} ms"

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nstored {args.articles:,} articles in {elapsed:.0f}s ({args.articles / elapsed:.0f}/s); "
          f"statuses {statuses}")
    print(f"text length: median {int(np.median(words))} words, p5 {int(pct(words, 5))}, p95 {int(pct(words, 95))}")
    print(f"planted pairs {len(planted):,}: recall {found / max(1, len(planted)):.4f} ({found:,} linked)")
    js = [similarity[u] for u in planted]
    print(f"  their exact Jaccard: min {min(js):.2f}, p5 {pct(js, 5):.2f}, median {pct(js, 50):.2f}, max {max(js):.2f}")
    for lo, hi in ((0, config.threshold), (config.threshold, 0.5), (0.5, 0.6), (0.6, 1.01)):
        bucket = [u for u in planted if lo <= similarity[u] < hi]
        if bucket:
            hit = sum(root_of[u] == root_of[group[u]] for u in bucket)
            print(f"  Jaccard [{lo:.2f}, {min(hi, 1):.2f}): {len(bucket):,} pairs, recall {hit / len(bucket):.4f}")
    neg_js = [similarity[u] for u in negatives]
    if neg_js:
        print(f"hard negatives' exact Jaccard with their partner: median {pct(neg_js, 50):.2f}, max {max(neg_js):.2f}")
    print(f"links made {len(links):,} ({len(links) - correct} wrong); synthetic hard negatives linked {neg_linked} "
          f"of {len(negatives):,}")
    print("per class (a class's precision: correct links among those involving its articles; recall: copies "
          "linked to their story):")
    for line in per_class:
        print("  " + line)
    print(f"near-duplicate check per article: {ms(check_s)}; max {check_s.max() * 1e3:.1f} ms")
    print(f"  check + grouping (stories.link: duplicate_of, story_links, re-checks): {ms(group_s)}")
    lab = np.isin(kinds, corpus.CLASSES)
    if lab.any():
        print(f"  labelled-pair articles ({int(lab.sum()):,}, stock formats with hundreds of look-alikes): check "
              f"{ms(check_s[lab])}; CPU {ms(check_cpu[lab])}; the others: check {ms(check_s[~lab])}")
    half = len(check_s) // 2
    print(f"  first half {ms(check_s[:half])}; second half {ms(check_s[half:])}")
    print(f"  CPU time of the check: {ms(check_cpu)}; last tenth {ms(check_cpu[-max(1, n_art // 10):])}")
    print(f"whole store() per article: {ms(store_s)}")
    print(f"signature (worker process) per article: {ms(sig_s)}")
    print(f"archive on disk: {total / 2**20:.1f} MB"
          + ("; " + ", ".join(f"{k} {v / 2**20:.1f} MB" for k, v in list(size.items())[:8]) if size else ""))
    print(f"peak RSS (main process) {peak:.0f} MB; RSS during run: "
          + ", ".join(f"{n:,}: {r:.0f} MB" for n, r in rss_samples))
    tmp.cleanup()


if __name__ == "__main__":
    main()
