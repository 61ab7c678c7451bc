"""`newscrawl words`: words over-represented in matching stories (log-odds with an informative Dirichlet prior)."""

from __future__ import annotations

import json
import math
import random
from collections import Counter

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, insert

from newscrawl.cli import main
from newscrawl.query import words as wd
from newscrawl.store.archive import Archive
from newscrawl.store.fts import ensure_fts
from newscrawl.store.schema import articles

FILLER = ("kuching miri sibu road school market council premier assembly festival river longhouse tourism "
          "budget hospital").split()


@pytest.fixture(scope="module")
def url(tmp_path_factory) -> str:
    """300 articles; the 60 about floods (banjir) also say 'mangsa' and 'evacuated' often and 'relief' sometimes;
    every text is padded with stopwords (the, yang, dan) and shared filler words."""
    return _fill(f"sqlite:///{tmp_path_factory.mktemp('words')}/words.sqlite3")


def _fill(url: str) -> str:
    with Archive.open(url) as arc:
        engine = arc.engine
    ensure_fts(engine)
    rng = random.Random(3)
    rows = []
    for i in range(1, 301):
        words = [rng.choice(FILLER) for _ in range(40)] + ["the", "yang", "dan"] * 10
        if i % 5 == 0:
            words += ["banjir"] * 2 + ["mangsa"] * 4 + ["evacuated"] * 3 + ["relief"] * (i % 2) + ["2024"] * 5
        elif i % 7 == 0:
            words += ["relief"]  # a word of both groups, rarer outside
        rng.shuffle(words)
        rows.append({"id": i, "url": f"https://example.my/{i}/", "outlet": "borneopost", "title": f"Report {i}",
                     "authors": "[]", "tags": "[]", "published_at": "2024-03-01T10:00:00+08:00",
                     "text": " ".join(words), "fetched_at": "2024-04-01T00:00:00+00:00",
                     "content_hash": f"{i:064x}", "duplicate_of": None, "language": "ms"})
    with engine.begin() as conn:
        conn.execute(insert(articles), rows)
    engine.dispose()
    return url


def test_planted_words_come_first_without_stopwords_numbers_or_the_query(url: str) -> None:
    found = wd.words(create_engine(url), "banjir")
    terms = [w.term for w in found]
    assert terms[:2] == ["mangsa", "evacuated"]  # 4 and 3 per matching text, never elsewhere
    assert "relief" in terms and terms.index("relief") == 2
    assert not {"banjir", "the", "yang", "dan", "2024"} & set(terms)
    assert all(f not in terms[:3] for f in FILLER)
    mangsa = found[0]
    assert (mangsa.matching, mangsa.archive_per_10k) == (4 * 60, round(240 * 1e4 / _archive_words(url), 2))


def _archive_words(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        texts = [t + " " + x for t, x in conn.exec_driver_sql("SELECT title, text FROM articles")]
    stop = wd.stopwords()
    return sum(1 for t in texts for w in wd._WORD.findall(t.casefold()) if w not in stop and w != "banjir")


def test_log_odds_formula() -> None:
    matching, archive = Counter(a=30, b=10), Counter(a=100, b=900)
    z = wd.log_odds(matching, archive, prior_words=100)
    n_m, n_a, alpha = 40, 1000, 100 * 130 / 1040
    delta = math.log((30 + alpha) / (n_m + 100 - 30 - alpha)) - math.log((100 + alpha) / (n_a + 100 - 100 - alpha))
    assert z["a"] == pytest.approx(delta / math.sqrt(1 / (30 + alpha) + 1 / (100 + alpha)))
    assert z["a"] > 0 > z["b"]


def test_samples_are_bounded_and_reproducible(url: str) -> None:
    engine = create_engine(url)
    small = wd.words(engine, "banjir", sample=10, background=50, min_count=1)
    assert small == wd.words(engine, "banjir", sample=10, background=50, min_count=1)
    assert small[0].term in ("mangsa", "evacuated") and small[0].matching <= 10 * 4


def test_stopword_lists_have_english_and_malay() -> None:
    stop = wd.stopwords()
    assert {"the", "and", "yang", "dan", "untuk"} <= stop


def test_cli_json(url: str) -> None:
    res = CliRunner().invoke(main, ["words", "banjir", "--limit", "2", "--format", "json", "--archive", url])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert [d["term"] for d in data] == ["mangsa", "evacuated"]
    assert set(data[0]) == set(wd.COLUMNS)


def test_large_selections_are_sampled_by_drawing_ids(url: str, monkeypatch) -> None:
    from newscrawl.query.search import Filters

    engine = create_engine(url)
    monkeypatch.setattr(wd, "DRAW_FROM", 1)  # every selection counts as large: the drawing path
    flt = Filters.build(query="banjir")
    ids = wd._pick(engine, flt, 25, one_per_story=True)
    assert ids == wd._pick(engine, flt, 25, one_per_story=True)  # fixed seed
    assert len(set(ids)) == 25 and all(i % 5 == 0 for i in ids)  # only the flood articles match
    background = wd._pick(engine, Filters(), 40, one_per_story=False)
    assert len(set(background)) == 40 and {i % 5 == 0 for i in background} == {True, False}
    found = wd.words(engine, "banjir", sample=25, background=40, min_count=1)
    assert found[0].term in ("mangsa", "evacuated") and found[0].matching == 25 * (4 if found[0].term == "mangsa" else 3)


def test_postgresql_decides_large_from_the_statistics_not_by_counting(pg_schema_url: str, monkeypatch) -> None:
    from newscrawl.query.search import Filters

    engine = create_engine(_fill(pg_schema_url))
    flt = Filters.build(query="banjir")  # in 60 of the 300 articles
    counted: list[int] = []
    count = wd._count_up_to
    monkeypatch.setattr(wd, "_count_up_to", lambda *a: counted.append(a[2]) or count(*a))
    assert wd._at_least(engine, flt, 50) and not wd._at_least(engine, flt, 70)
    assert counted == [50, 70]  # never analysed: no statistics, so the matches are counted
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("ANALYZE articles")
    counted.clear()
    assert wd._at_least(engine, flt, 50) and not wd._at_least(engine, flt, 70)
    assert wd._at_least(engine, Filters(), 300) and not wd._at_least(engine, Filters(), 301)  # no query: counted
    assert counted == [300, 301]
    found = wd.words(engine, "banjir", sample=25, background=40, min_count=1)
    assert found[0].term in ("mangsa", "evacuated")
    engine.dispose()


def test_large_is_judged_by_the_query_alone_and_a_wrong_guess_costs_no_answer(url: str, monkeypatch) -> None:
    from newscrawl.query.search import Filters

    monkeypatch.setattr(wd, "DRAW_FROM", 1)
    engine = create_engine(url)
    flt = Filters.build(query="banjir", until="2024-02-01")  # the 60 flood articles are of 1 March: none selected
    assert wd._at_least(engine, flt, 50) and not wd._at_least(engine, flt, 61)  # the query's 60 matches
    assert wd._pick(engine, flt, 25, one_per_story=True) == []  # drawing finds none, then every id is read
    assert wd.words(engine, "banjir", until="2024-02-01", sample=25, background=40, min_count=1) == []
