"""CJK search benchmark: one mixed-language archive, Chinese queries timed beside English ones in the same run.

    .venv/bin/python bench/query_cjk.py                      # 200,000 articles, a quarter of them Chinese
    .venv/bin/python bench/query_cjk.py --articles 50000     # smaller
    .venv/bin/python bench/query_cjk.py --archive 'postgresql+psycopg://postgres@127.0.0.1/test?options=-csearch_path%3Dcjkbench'

Prints build time, the index size per article and language (SQLite: the FTS5 tables' pages, dbstat; PostgreSQL:
the indexes' size), and search latency p50/p95 (library path: query + snippets, limit 20) for English queries
(the unicode61 / tsvector index) and Chinese ones (the trigram / pg_trgm index): 2-character place names (expanded
through the vocabulary on SQLite), 3+-character terms, phrases, OR/NOT, filters. The ratio CJK p95 / English p95
is the target's figure (within 2x). Texts are synthetic: English as in bench/query.py (a Zipf vocabulary); Chinese
a Zipf vocabulary of 1-3 character words over 3,500 common Han characters, with place names at realistic rates.
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, insert  # noqa: E402

from newscrawl.query.search import search  # noqa: E402
from newscrawl.store.archive import Archive  # noqa: E402
from newscrawl.store.schema import articles  # noqa: E402

EN_WORDS = ("the of and to in a said was for on that is by with state government sarawak minister people kuching "
            "he it at as from has will be this are an its also which year premier not development project local "
            "community new have been they more two miri sibu bintulu their there would can all one police court "
            "school health hospital road water power federal assembly chief told yesterday today members").split()
EN_RARE = ["baram", "bakun", "murum", "batang", "longhouse", "hydroelectric", "kenyah", "kayan", "penan", "mulu"]
# Place names and stock words of Sarawak's Chinese press; their rates (per sentence) below
ZH_PLACES = {"古晋": 0.08, "诗巫": 0.04, "美里": 0.03, "民都鲁": 0.02, "加帛": 0.004, "巴南": 0.002}
ZH_STOCK = ["砂拉越", "州政府", "部长", "表示", "今日", "市议会", "居民", "工程", "当局", "发展", "人民", "问题"]

QUERIES = [
    ("en", "common word", "government", {}),
    ("en", "two common words", "sarawak minister", {}),
    ("en", "common, sort date", "kuching", {"sort": "newest"}),
    ("en", "rare word", "bakun", {}),
    ("en", "rare phrase", '"baram dam"', {}),
    ("en", "OR / NOT", "(murum OR batang) NOT penan", {}),
    ("en", "common, outlet+since", "government", {"outlets": ["dayakdaily"], "since": "2024-01-01"}),
    ("zh", "2-char place, common", "古晋", {}),
    ("zh", "2-char place, rare", "巴南", {}),
    ("zh", "2-char, sort date", "诗巫", {"sort": "newest"}),
    ("zh", "3-char word", "民都鲁", {}),
    ("zh", "stock words AND", "州政府 工程", {}),
    ("zh", "phrase", '"砂拉越州政府"', {}),
    ("zh", "OR / NOT", "(加帛 OR 巴南) NOT 美里", {}),
    ("zh", "common, outlet+since", "古晋", {"outlets": ["seehua"], "since": "2024-01-01"}),
    # mixed scripts: each term on its own index (reported apart, not in the target's ratio)
    ("mix", "zh OR en place", "古晋 OR kuching", {}),
    ("mix", "(zh OR en) NOT en", "(州政府 OR government) -miri", {}),
    ("mix", "zh OR en, sort date", "诗巫 OR sibu", {"sort": "newest"}),
]


def _zh_vocab(rng: random.Random, size: int) -> tuple[list[str], list[float]]:
    chars = [chr(0x4E00 + i) for i in range(0, 20000, 5)][:3500]  # spread over the block: varied trigrams
    words = list(ZH_STOCK)
    while len(words) < size:
        words.append("".join(rng.choice(chars) for _ in range(rng.choice((1, 2, 2, 2, 3)))))
    return words, list(itertools.accumulate(1.0 / (r + 1) ** 1.07 for r in range(len(words))))


def _en_vocab(rng: random.Random, size: int) -> tuple[list[str], list[float]]:
    words = EN_WORDS + EN_RARE
    while len(words) < size:
        words.append("".join(rng.choice("abcdefghijklmnoprstuwy") for _ in range(rng.randint(4, 10))))
    weights = [1.0 / (r + 1) ** 1.07 for r in range(len(words))]
    for i, w in enumerate(words):
        if w in EN_RARE:
            weights[i] = 1.0 / 8000
    return words, list(itertools.accumulate(weights))


def build(url: str, n: int, zh_share: float, seed: int = 15) -> float:
    rng = random.Random(seed)
    en, en_cum = _en_vocab(rng, 30000)
    zh, zh_cum = _zh_vocab(rng, 30000)
    en_sentences = [" ".join(rng.choices(en, cum_weights=en_cum, k=rng.randint(8, 22))).capitalize() + "."
                    for _ in range(40000)] + ["The Baram dam was debated again."] * 40
    zh_sentences = []
    for _ in range(40000):
        words = rng.choices(zh, cum_weights=zh_cum, k=rng.randint(6, 16))
        for place, rate in ZH_PLACES.items():
            if rng.random() < rate:
                words.insert(rng.randrange(len(words) + 1), place)
        zh_sentences.append("".join(words) + rng.choice("。。。！") )
    zh_sentences += ["砂拉越州政府今日宣布新的发展计划。"] * 40
    with Archive.open(url) as arc:
        engine = arc.engine
    t0 = time.perf_counter()
    batch: list[dict] = []
    for i in range(1, n + 1):
        day = 737060 + int((i / n) * 2190)
        d = time.strftime("%Y-%m-%d", time.gmtime((day - 719163) * 86400))
        if rng.random() < zh_share:
            lang, outlet = "zh", rng.choice(["seehua", "intimes", "uniteddaily"])
            text = "\n".join("".join(rng.choices(zh_sentences, k=rng.randint(2, 4))) for _ in range(rng.randint(4, 8)))
            title = "".join(rng.choices(zh[:400], k=rng.randint(3, 6)))
        else:
            lang, outlet = rng.choice(["en", "en", "en", "ms"]), rng.choice(["borneopost", "dayakdaily", "utusanborneo"])
            text = " ".join(rng.choices(en_sentences, k=rng.randint(10, 24)))
            title = " ".join(rng.choices(en[:400], k=rng.randint(5, 10))).capitalize()
        batch.append({"id": i, "url": f"https://example{i % 7}.my/{d}/a-{i}/", "outlet": outlet, "title": title,
                      "authors": "[]", "tags": "[]", "published_at": f"{d}T{rng.randint(6, 22):02d}:00:00+08:00",
                      "section": "Sarawak", "language": lang, "text": text,
                      "fetched_at": "2024-12-31T00:00:00+00:00", "content_hash": f"{i:064x}",
                      "duplicate_of": rng.randint(max(1, i - 50), i - 1) if i > 100 and rng.random() < 0.08 else None})
        if len(batch) == 5000:
            with engine.begin() as conn:
                conn.execute(insert(articles), batch)
            batch.clear()
            if i % 50000 == 0:
                print(f"  built {i:,} articles ({i / (time.perf_counter() - t0):,.0f}/s)", file=sys.stderr)
    if batch:
        with engine.begin() as conn:
            conn.execute(insert(articles), batch)
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("INSERT INTO articles_fts(articles_fts) VALUES ('optimize')")
            conn.exec_driver_sql("INSERT INTO articles_cjk(articles_cjk) VALUES ('optimize')")
        else:
            conn.exec_driver_sql("ANALYZE articles")
    engine.dispose()
    return time.perf_counter() - t0


def sizes(url: str) -> None:
    engine = create_engine(url)
    with engine.connect() as conn:
        per_lang = dict(conn.exec_driver_sql("SELECT language, count(*) FROM articles GROUP BY language").all())
        chars = dict(conn.exec_driver_sql("SELECT language, sum(length(text)) FROM articles GROUP BY language").all())
        cjk_rows = per_lang.get("zh", 0)
        latin_rows = sum(v for k, v in per_lang.items() if k != "zh")
        if engine.dialect.name == "sqlite":
            def pages(prefix: str) -> int:
                return int(conn.exec_driver_sql("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE ?",
                                                (prefix + "%",)).scalar())
            main_idx, cjk_idx = pages("articles_fts"), pages("articles_cjk")
            # the unicode61 index holds every article; a Chinese text is one token per punctuation-separated run
            print(f"  index articles_fts (unicode61, every article): {main_idx / 1e6:.1f} MB")
            print(f"  index articles_cjk (trigram, {cjk_rows:,} CJK articles): {cjk_idx / 1e6:.1f} MB")
        else:
            def rel(name: str) -> int:
                return int(conn.exec_driver_sql("SELECT pg_relation_size(to_regclass(%s))", (name,)).scalar() or 0)
            main_idx, trgm, bigram = (rel("ix_articles_fulltext"), rel("ix_articles_cjk_trgm"),
                                      rel("ix_articles_cjk_bigrams"))
            cjk_idx = trgm + bigram
            tsv = int(conn.exec_driver_sql("SELECT sum(pg_column_size(fulltext)) FROM articles").scalar() or 0)
            print(f"  GIN ix_articles_fulltext: {main_idx / 1e6:.1f} MB (+ stored tsvectors {tsv / 1e6:.1f} MB)")
            print(f"  GIN ix_articles_cjk_trgm (partial, {cjk_rows:,} CJK articles): {trgm / 1e6:.1f} MB, "
                  f"GIN ix_articles_cjk_bigrams (partial): {bigram / 1e6:.1f} MB")
        print(f"  per article: English/Malay {main_idx / max(1, latin_rows + cjk_rows):,.0f} B in the word index "
              f"(text {sum(v for k, v in chars.items() if k != 'zh') / max(1, latin_rows):,.0f} chars); "
              f"Chinese {cjk_idx / max(1, cjk_rows):,.0f} B in the CJK index "
              f"(text {chars.get('zh', 0) / max(1, cjk_rows):,.0f} chars)")


def time_searches(url: str, repeats: int) -> None:
    engine = create_engine(url)
    print(f"\nsearch latency, library path, limit 20 with snippets ({repeats} runs each after 1 warm-up):")
    print(f"  {'lang':<4} {'query':<26} {'rows':>5} {'p50 ms':>8} {'p95 ms':>8}")
    pooled: dict[str, list[float]] = {"en": [], "zh": [], "mix": []}
    for lang, label, q, kw in QUERIES:
        rows = list(search(engine, q, limit=20, **kw))
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            list(search(engine, q, limit=20, **kw))
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        pooled[lang] += times
        print(f"  {lang:<4} {label:<26} {len(rows):>5} {statistics.median(times):>8.1f} "
              f"{times[min(len(times) - 1, int(0.95 * len(times)))]:>8.1f}")
    p95 = {k: sorted(v)[int(0.95 * len(v))] for k, v in pooled.items()}
    p50 = {k: statistics.median(v) for k, v in pooled.items()}
    print(f"  ALL en: p50 {p50['en']:.1f} ms, p95 {p95['en']:.1f} ms; ALL zh: p50 {p50['zh']:.1f} ms, "
          f"p95 {p95['zh']:.1f} ms; zh/en p95 ratio {p95['zh'] / p95['en']:.2f} (target <= 2); "
          f"zh/en p50 ratio {p50['zh'] / p50['en']:.2f}")
    print(f"  mixed scripts (not in the ratio): p50 {p50['mix']:.1f} ms, p95 {p95['mix']:.1f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=200_000)
    ap.add_argument("--zh-share", type=float, default=0.25)
    ap.add_argument("--repeats", type=int, default=20)
    ap.add_argument("--dir", help="where to build (default: a temporary directory)")
    ap.add_argument("--reuse", action="store_true", help="reuse an archive already built in --dir")
    ap.add_argument("--archive", metavar="URL", help="an empty PostgreSQL schema instead of SQLite")
    args = ap.parse_args()
    tmp = tempfile.TemporaryDirectory() if not args.dir else None
    url = args.archive or f"sqlite:///{Path(args.dir or tmp.name) / 'cjk.sqlite3'}"
    if not args.reuse:
        secs = build(url, args.articles, args.zh_share)
        print(f"built {args.articles:,} articles ({args.zh_share:.0%} Chinese) in {secs:.0f} s "
              f"({args.articles / secs:,.0f}/s through the index triggers)")
    sizes(url)
    time_searches(url, args.repeats)


if __name__ == "__main__":
    main()
