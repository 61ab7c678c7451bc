"""`newscrawl stats`: per-outlet counts per period, coverage gaps of daily publishers, the plot."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from newscrawl.cli import main
from newscrawl.store.archive import Archive
from tests.test_search_data import pg_archive_url  # noqa: F401 (fixture)


@pytest.fixture
def daily_url(tmp_path) -> str:
    """borneopost daily through March 2024 except 10-12 March; dayakdaily only on Mondays."""
    url = f"sqlite:///{tmp_path}/stats.sqlite3"
    with Archive.open(url) as arc:
        day = date(2024, 3, 1)
        while day <= date(2024, 3, 31):
            if not date(2024, 3, 10) <= day <= date(2024, 3, 12):
                for n in range(2 if day.day == 1 else 1):
                    arc.store({"url": f"https://www.theborneopost.com/{day}/{n}/", "outlet": "borneopost",
                               "title": f"News {day} {n}", "text": f"Story {day} {n}",
                               "published_at": f"{day}T10:00:00+08:00", "fetched_at": "2024-04-01T00:00:00+00:00"},
                              [])
            if day.weekday() == 0:
                arc.store({"url": f"https://dayakdaily.com/{day}/", "outlet": "dayakdaily", "title": f"DD {day}",
                           "text": f"Weekly {day}", "published_at": f"{day}T10:00:00+08:00",
                           "fetched_at": "2024-04-01T00:00:00+00:00"}, [])
            day += timedelta(days=1)
    return url


def test_weekly_counts_csv(daily_url: str) -> None:
    res = CliRunner().invoke(main, ["stats", "--by", "week", "--format", "csv", "--archive", daily_url])
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines() == [
        "week,borneopost,dayakdaily,total",
        "2024-02-26,4,0,4",  # 1 (x2), 2, 3 March
        "2024-03-04,6,1,7",  # 10 missing
        "2024-03-11,5,1,6",  # 11, 12 missing
        "2024-03-18,7,1,8",
        "2024-03-25,7,1,8",
    ]


def test_gaps_reported_for_daily_publishers_only(daily_url: str) -> None:
    res = CliRunner().invoke(main, ["stats", "--archive", daily_url])
    lines = res.stdout.splitlines()
    assert lines[:3] == ["month      borneopost dayakdaily      total",
                         "2024-03            29          4         33", ""]
    assert lines[3:] == [
        "Coverage gaps (outlets with articles on >= 70% of their days):",
        "  borneopost: 2024-03-10 .. 2024-03-12 (3 days without articles)",
        "  dayakdaily: articles on 18% of days, not a daily publisher: gaps not reported",
    ]


def test_plot_file(daily_url: str, tmp_path) -> None:
    pytest.importorskip("matplotlib")
    out = tmp_path / "timeline.png"
    res = CliRunner().invoke(main, ["stats", "--by", "day", "--plot", str(out), "--archive", daily_url])
    assert res.exit_code == 0, res.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    res = CliRunner().invoke(main, ["stats", "--plot", str(out), "--archive", daily_url])
    assert (res.exit_code, res.stderr) == (2, f"Error: {out} exists (use --force to overwrite)\n")


def test_missing_matplotlib_names_the_extra(daily_url: str, tmp_path, monkeypatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import fails
    res = CliRunner().invoke(main, ["stats", "--plot", str(tmp_path / "p.png"), "--archive", daily_url])
    assert (res.exit_code, res.stderr) == (2, "Error: --plot needs matplotlib: pip install -e '.[plot]'\n")


@pytest.mark.parametrize("bad", ["0001-01-01", "9999-12-31", "0001-01-01T00:00:00+08:00", "9999-12-31T23:59:59+08:00"])
def test_out_of_range_dates_are_left_out_and_counted(daily_url: str, bad: str) -> None:
    """A year-1 or year-9999 publication date (an extraction error) neither crashes stats nor stretches it."""
    import sqlalchemy as sa

    with sa.create_engine(daily_url).begin() as conn:
        conn.exec_driver_sql("UPDATE articles SET published_at = ? WHERE id IN (1, 2)", (bad,))
    for period in ("day", "week", "month"):
        res = CliRunner().invoke(main, ["stats", "--by", period, "--format", "csv", "--archive", daily_url])
        assert res.exit_code == 0, res.output
        assert res.stderr.startswith("2 articles with a publication date outside 1990-01-01 .. ")
        keys = [line.split(",")[0] for line in res.stdout.splitlines()[1:]]
        assert keys[0] >= "2024-02-26" and keys[-1] <= "2024-03-31"  # only March's own periods
    res = CliRunner().invoke(main, ["stats", "--archive", daily_url])
    assert res.stdout.splitlines()[1] == "2024-03            27          4         31"  # two of 1 March left out


def test_out_of_range_dates_on_postgresql(pg_archive_url: str) -> None:  # noqa: F811
    import sqlalchemy as sa

    with sa.create_engine(pg_archive_url).begin() as conn:
        conn.exec_driver_sql("UPDATE articles SET published_at = '0001-01-01' WHERE id = 5")
        conn.exec_driver_sql("UPDATE articles SET published_at = '9999-12-31T23:59:59+08:00' WHERE id = 6")
        conn.exec_driver_sql("UPDATE articles SET published_at = 'last Tuesday' WHERE id = 8")
    res = CliRunner().invoke(main, ["stats", "--format", "csv", "--archive", pg_archive_url])
    assert res.exit_code == 0, res.output
    assert res.stderr.startswith("3 articles with a publication date outside 1990-01-01 .. ")
    assert res.stdout.splitlines() == ["month,borneopost,dayakdaily,total", "2024-02,1,1,2", "2024-03,2,1,3"]
