"""`newscrawl show` (metadata, aliases, story copies, revisions) and `newscrawl audit` (listings vs archive)."""

from __future__ import annotations

import sqlalchemy as sa
from click.testing import CliRunner

from newscrawl.cli import main
from tests.test_search_data import archive_url  # noqa: F401 (fixture)


def run(url: str, *args: str):
    return CliRunner().invoke(main, [*args, "--archive", url])


def test_show_by_alias_url(archive_url: str) -> None:  # noqa: F811
    res = run(archive_url, "show", "https://www.theborneopost.com/?p=1001")
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines[0] == "Baram dam plan shelved"
    assert "  outlet:        borneopost" in lines
    assert "  fetched_at:    2024-04-02T01:00:00+00:00" in lines
    assert "  variant    https://www.theborneopost.com/?p=1001  (first seen 2024-04-02T01:00:00+00:00)" in lines
    assert lines[lines.index("Same story:") + 1] == (
        "  [2] dayakdaily 2024-02-10 copy of 1  https://dayakdaily.com/2024/02/10/baram-dam-plan-shelved-state/")
    assert "Revisions: none recorded" in lines
    assert lines[-1] == "Officials said hydropower needs would be met elsewhere."


def test_show_revisions_when_the_table_exists(archive_url: str) -> None:  # noqa: F811
    with sa.create_engine(archive_url).begin() as conn:
        conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS revisions (article_id INTEGER, title TEXT, text TEXT,"
                             " content_hash TEXT, modified_at TEXT, fetched_at TEXT)")
        conn.exec_driver_sql("INSERT INTO revisions (article_id, title, text, content_hash, modified_at, fetched_at)"
                             " VALUES (3, 'Residents celebrate', 'Old text.', 'abcdef0123456789',"
                             " '2024-03-05T14:20:00+08:00', '2024-03-05T07:00:00+00:00')")
    res = run(archive_url, "show", "3", "--no-text")
    assert res.stdout.splitlines()[-2:] == [
        "Revisions: 1",
        "  modified 2024-03-05T14:20:00+08:00 fetched 2024-03-05T07:00:00+00:00: Residents celebrate "
        "(9 chars, abcdef012345)"]
    assert run(archive_url, "show", "4").stdout.count("Revisions: none recorded") == 1


def test_show_without_revisions_table(archive_url: str) -> None:  # noqa: F811
    with sa.create_engine(archive_url).begin() as conn:  # an archive from before revisions were kept
        conn.exec_driver_sql("DROP TABLE IF EXISTS revisions")
    assert "Revisions" not in run(archive_url, "show", "1").stdout


def test_show_unknown(archive_url: str) -> None:  # noqa: F811
    res = run(archive_url, "show", "https://example.com/nope")
    assert (res.exit_code, res.stderr) == (2, "Error: no article with id or URL 'https://example.com/nope' in the archive\n")


def test_audit_without_tables_says_so(archive_url: str) -> None:  # noqa: F811
    with sa.create_engine(archive_url).begin() as conn:  # an archive from before listings were recorded
        conn.exec_driver_sql("DROP TABLE IF EXISTS listings")
        conn.exec_driver_sql("DROP TABLE IF EXISTS skips")
    res = run(archive_url, "audit")
    assert res.exit_code == 2
    assert res.stderr == ("Error: this archive has no 'listings' or 'skips' table: audit needs a crawl made by a "
                          "newscrawl version that records sitemap/feed listings and skips; re-crawl to collect them\n")


def test_audit_reconciles_listings_per_outlet_and_month(archive_url: str) -> None:  # noqa: F811
    bp = "https://www.theborneopost.com"
    with sa.create_engine(archive_url).begin() as conn:
        # Archive.open creates them once the crawl-state tables are in the schema; else the documented minimum.
        conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS listings (url TEXT PRIMARY KEY, outlet TEXT, source_url TEXT,"
                             " source_kind TEXT, listed_date TEXT, first_seen TEXT, last_seen TEXT)")
        conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS skips (url TEXT, outlet TEXT, reason TEXT, run_id INTEGER,"
                             " at TEXT)")
        listed = [
            (f"{bp}/2024/03/05/kuching-floods-ease/", "2024-03-05"),  # archived (canonical)
            (f"{bp}/2024/03/06/bakun-output-rises/", "2024-03-06"),  # archived
            (f"{bp}/2024/03/07/gallery/", "2024-03-07"),  # skipped: not an article
            (f"{bp}/2024/03/08/paywalled/", "2024-03-08"),  # skipped twice, latest reason counts
            (f"{bp}/2024/03/09/lost/", "2024-03-09"),  # missing
            (f"{bp}/2024/02/10/baram-dam-plan-shelved/amp/", "2024-02-10"),  # archived through its alias
        ]
        for url, day in listed:
            conn.exec_driver_sql(
                "INSERT INTO listings (url, outlet, source_url, source_kind, listed_date, first_seen, last_seen)"
                " VALUES (?, 'borneopost', ?, 'sitemap', ?, ?, ?)",
                (url, f"{bp}/sitemap.xml", f"{day}T08:00:00+08:00", "2024-04-01", "2024-04-01"))
        for url, reason, at in [(f"{bp}/2024/03/07/gallery/", "not_article", "2024-04-01T00:00:00+00:00"),
                                (f"{bp}/2024/03/08/paywalled/", "http_503", "2024-04-01T00:00:00+00:00"),
                                (f"{bp}/2024/03/08/paywalled/", "too_short", "2024-04-02T00:00:00+00:00")]:
            conn.exec_driver_sql("INSERT INTO skips (url, outlet, reason, run_id, at) VALUES (?, 'borneopost', ?, 1, ?)",
                                 (url, reason, at))
    res = run(archive_url, "audit", "--outlet", "borneopost", "--month", "2024-03", "--missing", "5")
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines() == [
        "outlet           month    listed archived skipped missing complete articles",
        "borneopost       2024-03       5        2       2       1    40.0%        2",
        "    skipped 1 x not_article",
        "    skipped 1 x too_short",
        f"    missing {bp}/2024/03/09/lost/",
    ]
    res = run(archive_url, "audit", "--since", "2024-01")
    assert res.stdout.splitlines()[1:] == [
        "borneopost       2024-02       1        1       0       0   100.0%        1",
        "borneopost       2024-03       5        2       2       1    40.0%        2",
        "    skipped 1 x not_article",
        "    skipped 1 x too_short",
        "dayakdaily       2024-01       0        0       0       0        -        1",
        "dayakdaily       2024-02       0        0       0       0        -        1",
        "dayakdaily       2024-03       0        0       0       0        -        1",
        "utusanborneo     2024-04       0        0       0       0        -        1",
    ]
