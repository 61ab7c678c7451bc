"""`newscrawl audit` does not count the homepage (or a section page) a sitemap lists as a missing article."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from newscrawl.cli import main
from tests.crawl_helpers import run_crawl
from tests.test_search_data import archive_url  # noqa: F401 (fixture)

pytestmark = pytest.mark.slow  # end-to-end: crawls in a subprocess (docs/testing.md)


def audit(url: str, *args: str) -> list[str]:
    res = CliRunner().invoke(main, ["audit", "--archive", url, "--missing", "1000", *args])
    assert res.exit_code == 0, res.output
    return res.stdout.splitlines()


def test_replica_homepage_listed_by_its_sitemap_is_not_missing(fresh_replica, tmp_path) -> None:
    """The Malay outlet's /sitemap.xml lists its homepage first, as WordPress sitemaps do."""
    url = f"sqlite:///{tmp_path}/a.sqlite3"
    result = run_crawl(url, "-a", "site=" + ",".join(fresh_replica.roots.values()))
    assert result.returncode == 0, result.stderr[-2000:]
    root = fresh_replica.roots["utusanborneo"]
    outlet = root.split("//")[1].rstrip("/")
    with sa.create_engine(url).connect() as conn:  # the premise: the crawl recorded the sitemap listing it
        assert conn.exec_driver_sql("SELECT source_kind FROM listings WHERE url = ?", (root,)).scalar() == "sitemap"
    lines = audit(url, "--outlet", outlet)
    assert f"    missing {root}" not in lines
    assert "    not counted: 1 listing page (homepage, sections) the sitemaps also list" in lines
    assert [line for line in lines if line.startswith("    missing ")] == []


def test_section_page_walked_as_a_listing_is_not_missing(archive_url: str) -> None:  # noqa: F811
    bp = "https://www.theborneopost.com"
    with sa.create_engine(archive_url).begin() as conn:
        conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS listings (url TEXT PRIMARY KEY, outlet TEXT, source_url TEXT,"
                             " source_kind TEXT, listed_date TEXT, first_seen TEXT, last_seen TEXT)")
        conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS skips (url TEXT, outlet TEXT, reason TEXT, run_id INTEGER,"
                             " at TEXT)")
        rows = [
            (f"{bp}/category/sarawak/", f"{bp}/page-sitemap.xml", "sitemap"),  # a section the sitemap lists...
            (f"{bp}/2024/03/05/kuching-floods-ease/", f"{bp}/category/sarawak/", "section"),  # ...walked as one
            (f"{bp}/?p=999", f"{bp}/sitemap.xml", "sitemap"),  # a query on the root: an article shortlink
        ]
        for url, source, kind in rows:
            conn.exec_driver_sql(
                "INSERT INTO listings (url, outlet, source_url, source_kind, listed_date, first_seen, last_seen)"
                " VALUES (?, 'borneopost', ?, ?, '2024-03-05T08:00:00+08:00', '2024-04-01', '2024-04-01')",
                (url, source, kind))
    assert audit(archive_url, "--outlet", "borneopost", "--month", "2024-03") == [
        "outlet           month    listed archived skipped missing complete articles",
        "borneopost       2024-03       1        0       0       1     0.0%        2",
        "    not counted: 1 listing page (homepage, sections) the sitemaps also list",
        f"    missing {bp}/?p=999",
    ]
