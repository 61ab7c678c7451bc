"""The Python API (search / iter_articles / to_pandas) and PostgreSQL parity of the same queries."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from newscrawl.cli import main
from newscrawl.query.search import iter_articles, search, to_pandas
from newscrawl.query.syntax import QueryError
from tests.test_search_data import archive_url, pg_archive_url  # noqa: F401 (fixtures)


def test_search_iterator(archive_url: str) -> None:  # noqa: F811
    engine = sa.create_engine(archive_url)
    rows = list(search(engine, '"baram dam"', outlets=["dayakdaily"], sort="date"))
    assert [(r["id"], r["duplicate_of"]) for r in rows] == [(2, 1), (3, None)]
    assert rows[1]["snippet"].startswith("Longhouse residents along the Baram river celebrated the end of the "
                                         "**Baram dam**.")
    with pytest.raises(QueryError, match="unknown outlet 'nope'"):
        list(search(engine, "dam", outlets="nope"))


def test_articles_iterator_and_pandas(archive_url: str) -> None:  # noqa: F811
    engine = sa.create_engine(archive_url)
    rows = list(iter_articles(engine, outlets=["borneopost"], since="2024-03"))
    assert [(r["id"], r["authors"], r["published_at"]) for r in rows] == [
        (7, ["Reporter"], "2024-03-04T23:30:00+00:00"), (4, ["Reporter"], "2024-03-06T08:00:00+08:00")]
    frame = to_pandas(engine, query="dam", since="2024")
    assert list(frame["id"]) == [8, 1, 3, 4]
    assert str(frame["published_at"].dt.tz) == "UTC"


QUERIES = [
    ('"baram dam"', ()),
    ("bakun OR kuching", ()),
    ("dam NOT baram", ()),
    ("hydro*", ()),
    ("baram", ("--outlet", "dayakdaily")),
    ("kuching OR residents", ("--since", "2024-03-05", "--until", "2024-03-05")),
    ("dam", ("--section", "Business")),
]


def test_postgres_gives_the_same_rows(archive_url: str, pg_archive_url: str) -> None:  # noqa: F811
    for query, extra in QUERIES:
        answers = []
        for url in (archive_url, pg_archive_url):
            res = CliRunner().invoke(main, ["search", query, *extra, "--sort", "date", "--format", "csv",
                                            "--archive", url])
            assert res.exit_code == 0, res.output
            answers.append([line.split(",")[0] for line in res.stdout.splitlines()])
        assert answers[0] == answers[1], query
    res = CliRunner().invoke(main, ["show", "2", "--archive", pg_archive_url])
    assert "  [1] borneopost 2024-02-10 original" in res.stdout
    res = CliRunner().invoke(main, ["index", "--rebuild", "--archive", pg_archive_url])
    assert res.stdout == "full-text index rebuilt over 8 articles\n"
    res = CliRunner().invoke(main, ["stats", "--format", "csv", "--archive", pg_archive_url])
    assert res.stdout.splitlines()[0:2] == ["month,borneopost,dayakdaily,sarawaktribune,utusanborneo,total",
                                            "2023-12,0,0,1,0,1"]


def test_reader_methods_delegate_to_the_query_layer(archive_url: str) -> None:  # noqa: F811
    from newscrawl.query import Reader

    with Reader(archive_url) as archive:
        hits = list(archive.search('"baram dam"', outlets=["dayakdaily"], sort="date"))
        assert [(h["id"], h["duplicate_of"]) for h in hits] == [(2, 1), (3, None)]
        rows = list(archive.articles(outlets=["borneopost"], since="2024-03"))
        assert [r["id"] for r in rows] == [7, 4]
        assert list(archive.to_pandas(query="dam", since="2024")["id"]) == [8, 1, 3, 4]
        shown = archive.article(2)
        assert shown["article"]["duplicate_of"] == 1 and [a["id"] for a in shown["story"]] == [1, 3][:len(shown["story"])]
        assert archive.article("http://nowhere.invalid/x") is None
        assert archive.count() == len(list(archive.articles(include_duplicates=True)))
