"""Syntax users bring from other search engines either works or is refused with a message: never a silent 0.

Same parser for SQLite FTS5 and PostgreSQL, so the same answers on both."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from newscrawl.cli import main
from newscrawl.query import Reader
from newscrawl.query.syntax import QueryError
from tests.test_search_data import archive_url, pg_archive_url  # noqa: F401 (fixtures)


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request) -> str:
    return request.getfixturevalue("archive_url" if request.param == "sqlite" else "pg_archive_url")


def ids(url: str, query: str) -> list[int]:
    with Reader(url) as arc:
        return sorted(r["id"] for r in arc.search(query, include_duplicates=True, limit=None))


def test_minus_excludes_like_not(url: str) -> None:
    assert ids(url, "dam") == [1, 2, 3, 4, 5, 8]
    assert ids(url, "dam -bakun") == ids(url, "dam NOT bakun") == [1, 2, 3, 5, 8]
    assert ids(url, 'dam -"baram dam"') == [4, 8]
    assert ids(url, "dam -(baram OR bakun)") == []  # every dam article names one of them
    assert ids(url, "hydropower -dam") == []  # 1, 2 and 8 all say dam
    assert ids(url, "Sri-Aman OR dam") == [1, 2, 3, 4, 5, 8]  # a hyphen inside a word is not NOT


@pytest.mark.parametrize("query, message", [
    ("title:flood", "field searches (title:...) are not supported: a query matches title and text together; "
                    "narrow it with --outlet, --section, --language or dates"),
    ('kuching outlet:"borneo post"', "field searches (outlet:...) are not supported: a query matches title and "
                                     "text together; narrow it with --outlet, --section, --language or dates"),
    ("NEAR(baram dam)", 'NEAR(...) is not supported: use a "phrase" for words side by side'),
    ("-dam", "a query needs a term that is not negated by NOT or -"),
    ("dam -", "'-' has no letters or digits to search for"),
])
def test_unsupported_syntax_is_refused(url: str, query: str, message: str) -> None:
    with pytest.raises(QueryError) as err:
        ids(url, query)
    assert str(err.value) == f"bad query {query!r}: {message}"
    res = CliRunner().invoke(main, ["search", "--archive", url, "--", query])
    assert (res.exit_code, res.stderr) == (2, f"Error: bad query {query!r}: {message}\n")


def test_urls_and_times_are_still_words(url: str) -> None:
    assert ids(url, "https://dayakdaily.com") == []  # searched as the words https dayakdaily com, not refused
    assert ids(url, "kuching") == [7]


def test_zero_hits_with_lower_case_operators_say_why(archive_url: str) -> None:  # noqa: F811
    res = CliRunner().invoke(main, ["search", "kuching or baram", "--archive", archive_url])
    assert (res.exit_code, res.stdout) == (0, "")
    assert res.stderr == "0 stories\nnote: operators are upper case: 'or' was searched as a word (write OR)\n"
    res = CliRunner().invoke(main, ["search", "kuching and not baram", "--format", "csv", "--archive", archive_url])
    assert res.stderr == ("note: operators are upper case: 'and', 'not' were searched as words (write AND, NOT)\n")
    res = CliRunner().invoke(main, ["search", "kuching OR baram", "--archive", archive_url])
    assert "note:" not in res.stderr
