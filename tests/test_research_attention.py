"""`newscrawl attention`: counts equal a brute-force count over every row, shares are consistent, outputs."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, event

from newscrawl.cli import main
from newscrawl.query.attention import attention, attention_frame
from newscrawl.query.search import Filters, count
from tests import research_data
from tests.research_data import all_rows, brute_attention

CASES = [
    ("banjir", "week", {}),
    ("banjir OR flood", "month", {}),
    ("tanah runtuh", "week", {}),  # two words
    ('"tanah runtuh"', "day", {}),  # the phrase
    ("flood NOT rain", "month", {"outlets": ("dayakdaily", "utusanborneo")}),
    ("hospit* kuching", "week", {"since": date(2024, 1, 10), "until": date(2024, 3, 3)}),
    ("(baram OR dam) power", "month", {"language": "ms"}),
    ("river", "day", {"outlets": ("borneopost",), "include_duplicates": True}),
]


@pytest.fixture(scope="module")
def gen_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('research')}/gen.sqlite3"
    research_data.build(url)
    return url


@pytest.fixture
def pg_gen_url(pg_schema_url: str) -> str:
    research_data.build(pg_schema_url)
    return pg_schema_url


def _check_against_brute_force(url: str) -> None:
    engine = create_engine(url)
    rows = all_rows(url)
    for query, by, kw in CASES:
        got = attention(engine, query, by=by, **kw)
        want = brute_attention(rows, query, by, **kw)
        assert want, query  # every case matches something: the comparison is not vacuous
        assert {(r.outlet, r.period): r.stories for r in got if r.stories} == want, (query, by, kw)
        assert all(r.stories == 0 for r in got if (r.outlet, r.period) not in want)
    engine.dispose()


PLANS = [(0.0, True), (0.0, False), (2.0, True)]  # (MANY_SHARE, period columns available)
PLAN_IDS = ["period-index-plan", "covering-index-plan", "row-lookup-plan"]


def _use_plan(monkeypatch, share: float, period_index: bool) -> None:
    from newscrawl.query import selection

    monkeypatch.setattr(selection, "MANY_SHARE", share)  # 0: every query counts from an index; 2: none does
    if not period_index:  # an archive before revision 0005 (or PostgreSQL): no period columns
        monkeypatch.setattr(selection.periodindex, "available", lambda bind: False)


@pytest.mark.parametrize(("share", "period_index"), PLANS, ids=PLAN_IDS)
def test_counts_equal_brute_force_sqlite(gen_url: str, share: float, period_index: bool, monkeypatch) -> None:
    from newscrawl.query import selection

    _use_plan(monkeypatch, share, period_index)
    engine = create_engine(gen_url)
    flt = Filters.build(query="banjir")
    assert selection.use_covering(engine, flt) is (share == 0.0)
    assert (selection.period_plan(engine, flt, "week") is not None) is (share == 0.0 and period_index)
    _check_against_brute_force(gen_url)


def test_counts_equal_brute_force_postgresql(pg_gen_url: str) -> None:
    _check_against_brute_force(pg_gen_url)


@pytest.mark.parametrize("parts", [2, 3])
def test_sqlite_threads_count_disjoint_runs_of_periods(gen_url: str, parts: int, monkeypatch) -> None:
    """A common word's period-index walk over the whole archive split over threads (attention._partitions): each
    part starts on a period's first day, together they cover the range once, and the counts are the single
    walk's and the brute force's. A walk over one outlet or a short range stays on one thread."""
    from newscrawl.query import attention as attention_module
    from newscrawl.query import selection

    _use_plan(monkeypatch, 0.0, True)  # every query walks the period index
    engine = create_engine(gen_url)  # 2023-11 .. 2024-04
    for by, kw, split in (("week", {}, True), ("month", {}, True), ("day", {"since": date(2023, 12, 10)}, True),
                          ("week", {"outlets": ("borneopost",)}, False),
                          ("day", {"since": date(2024, 1, 10), "until": date(2024, 2, 2)}, False)):
        flt = Filters.build(query="banjir OR flood", **kw)
        assert selection.period_plan(engine, flt, by) is not None
        monkeypatch.setattr(attention_module, "PARTS", parts)
        cut = attention_module._partitions(engine, flt, by)
        assert (1 < len(cut) <= parts) if split else cut == [flt], (by, kw, cut)  # fewer for fewer periods
        assert all(p.since == attention_module.periods.of_day(p.since, by) for p in cut[1:])  # whole periods
        assert all(a.until + timedelta(days=1) == b.since for a, b in zip(cut, cut[1:]))  # no gap, no overlap
        got = attention(engine, "banjir OR flood", by=by, normalise=True, **kw)
        monkeypatch.setattr(attention_module, "PARTS", 1)
        assert attention_module._partitions(engine, flt, by) == [flt]
        assert got == attention(engine, "banjir OR flood", by=by, normalise=True, **kw) and got
    monkeypatch.setattr(attention_module, "PARTS", parts)
    _check_against_brute_force(gen_url)
    engine.dispose()


def test_postgresql_counts_a_query_from_the_gin_bitmap(pg_gen_url: str) -> None:
    """PostgreSQL's planner costs `tsvector @@ tsquery` as one operator, not the TOAST read it is: on a small
    archive it scans the table, on a large one it walks an outlet-and-date b-tree testing every row (measured at
    1M: 0.5 s instead of 0.13). The counting statement runs with bitmap scans only, reading the GIN index; its
    settings end with its transaction."""
    engine = create_engine(pg_gen_url)
    plans = []

    def explain(conn, cursor, statement, parameters, context, executemany) -> None:
        if "@@" in statement and "GROUP BY" in statement:  # in the statement's own transaction and settings
            with conn.connection.dbapi_connection.cursor() as cur:
                cur.execute("EXPLAIN " + statement, parameters)
                plans.append("\n".join(r[0] for r in cur.fetchall()))

    event.listen(engine, "before_cursor_execute", explain)
    try:
        for kw in ({}, {"outlets": ("borneopost",), "since": date(2024, 1, 10)}):
            assert attention(engine, "banjir", by="week", **kw)
    finally:
        event.remove(engine, "before_cursor_execute", explain)
    assert len(plans) == 2
    assert "Bitmap Index Scan on ix_articles_fulltext" in plans[0], plans[0]  # the whole archive: the GIN index
    for plan in plans:  # an outlet and dates: the planner may AND the GIN bitmap with a b-tree's, or not need it
        assert "Bitmap Heap Scan on articles" in plan and "Seq Scan" not in plan, plan
    with engine.connect() as conn:  # a pooled connection keeps none of the settings
        assert conn.exec_driver_sql("SHOW enable_seqscan").scalar() == "on"
        assert conn.exec_driver_sql("SHOW work_mem").scalar() != "64MB"
    engine.dispose()


@pytest.mark.parametrize(("share", "period_index"), PLANS, ids=["one-scan-period-index", "one-scan", "two-query"])
def test_normalised_share_is_stories_over_the_outlets_stories(gen_url: str, share: float, period_index: bool,
                                                              monkeypatch) -> None:
    _use_plan(monkeypatch, share, period_index)
    _check_normalised(gen_url)


@pytest.mark.parametrize("period_index", [True, False], ids=["period-index-denominator", "row-denominator"])
def test_normalised_share_postgresql(pg_gen_url: str, period_index: bool, monkeypatch) -> None:
    from newscrawl.query import selection

    engine = create_engine(pg_gen_url)
    assert selection.periodindex.available(engine)  # revision 0007
    if not period_index:
        monkeypatch.setattr(selection.periodindex, "available", lambda bind: False)
    assert (selection.period_plan(engine, Filters.build(), "week") is not None) is period_index
    assert selection.period_plan(engine, Filters.build(query="banjir"), "week") is None  # a query reads rows
    engine.dispose()
    _check_normalised(pg_gen_url)


def _check_normalised(url: str) -> None:
    engine = create_engine(url)
    rows = all_rows(url)
    # the whole archive by month, and weeks cut by --since/--until mid-week (partial first and last periods)
    for by, kw in (("month", {}), ("week", {"since": date(2024, 1, 10), "until": date(2024, 3, 2)})):
        totals = brute_attention(rows, None, by, **kw)
        got = attention(engine, "banjir OR flood", by=by, normalise=True, **kw)
        assert got and {r.outlet for r in got} == set(research_data.OUTLETS)
        for r in got:
            total = totals.get((r.outlet, r.period), 0)
            assert r.share == (r.stories / total if total else None), (by, r)
            assert r.share is None or 0 <= r.share <= 1
        assert any(0 < r.share < 1 for r in got if r.share is not None)


def test_one_story_per_outlet_agrees_with_search_filtered_on_that_outlet(gen_url: str) -> None:
    # search's default (one row per story among the rows matching every filter) on one outlet and one month
    engine = create_engine(gen_url)
    for r in attention(engine, "banjir", by="month"):
        month = date.fromisoformat(r.period + "-01")
        flt = Filters.build(query="banjir", outlets=[r.outlet], since=r.period, until=r.period)
        assert count(engine, flt) == r.stories, (r, month)


def test_periods_are_filled_and_weeks_are_iso(gen_url: str) -> None:
    engine = create_engine(gen_url)
    got = attention(engine, "banjir", by="week", outlets=["dayakdaily"], since="2023-12-25", until="2024-01-14")
    assert [r.period for r in got] == ["2023-W52", "2024-W01", "2024-W02"]
    assert [r.start for r in got] == [date(2023, 12, 25), date(2024, 1, 1), date(2024, 1, 8)]


def test_cli_json_shape_and_several_queries(gen_url: str) -> None:
    res = CliRunner().invoke(main, ["attention", "banjir OR flood", "landslide OR tanah runtuh", "--by", "month",
                                    "--normalise", "--format", "json", "--archive", gen_url])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert {tuple(d) for d in data} == {("query", "period", "outlet", "stories", "share")}
    assert {d["query"] for d in data} == {"banjir OR flood", "landslide OR tanah runtuh"}
    assert {d["period"] for d in data} == {"2023-11", "2023-12", "2024-01", "2024-02", "2024-03", "2024-04"}
    want = brute_attention(all_rows(gen_url), "landslide OR tanah runtuh", "month")
    assert {(d["outlet"], d["period"]): d["stories"] for d in data
            if d["query"] == "landslide OR tanah runtuh" and d["stories"]} == want


def test_cli_csv_and_table(gen_url: str) -> None:
    res = CliRunner().invoke(main, ["attention", "banjir", "--by", "month", "--outlet", "borneopost",
                                    "--format", "csv", "--archive", gen_url])
    lines = res.stdout.splitlines()
    assert lines[0] == "query,period,outlet,stories,share"
    want = brute_attention(all_rows(gen_url), "banjir", "month", outlets=("borneopost",))
    assert lines[1:] == [f"banjir,{p},borneopost,{want.get(('borneopost', p), 0)},"
                         for p in ("2023-11", "2023-12", "2024-01", "2024-02", "2024-03", "2024-04")]
    res = CliRunner().invoke(main, ["attention", "banjir", "--by", "month", "--outlet", "borneopost",
                                    "--archive", gen_url])
    assert res.stdout.splitlines()[0].split() == ["period", "outlet", "stories"]


def test_bad_input_is_one_line_and_status_2(gen_url: str) -> None:
    for args, message in ((["banjir", "--by", "year"], "Invalid value for '--by'"),
                          (["(banjir"], "bad query '(banjir': unbalanced '('"),
                          (["banjir", "--outlet", "nowhere"], "unknown outlet 'nowhere'")):
        res = CliRunner().invoke(main, ["attention", *args, "--archive", gen_url])
        assert res.exit_code == 2 and message in res.stderr, res.output


def test_frame(gen_url: str) -> None:
    frame = attention_frame(create_engine(gen_url), ["banjir", "flood"], by="month", normalise=True)
    assert list(frame.columns) == ["query", "period", "outlet", "stories", "share", "start"]
    assert str(frame["start"].dtype).startswith("datetime64")
    assert len(frame) == 2 * 6 * 4
    assert frame.groupby("query")["stories"].sum().to_dict() == {
        q: sum(brute_attention(all_rows(gen_url), q, "month").values()) for q in ("banjir", "flood")}
