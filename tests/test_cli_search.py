"""`newscrawl search`: exact rows, order and formats on a built archive; bad input exits 2 with one line."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from newscrawl.cli import main
from tests.test_search_data import archive_url  # noqa: F401 (fixture)


@pytest.fixture
def run(archive_url: str):  # noqa: F811
    def _run(*args: str):
        return CliRunner().invoke(main, [*args, "--archive", archive_url])
    return _run


def ids(output: str) -> list[int]:
    return [json.loads(line)["id"] for line in output.splitlines()]


def test_the_issue_example_one_row_per_story_since_2024(run) -> None:
    res = run("search", '"Baram dam"', "--outlet", "DayakDaily", "--outlet", "The Borneo Post", "--since", "2024",
              "--format", "csv", "--sort", "date")
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert [(r["id"], r["outlet"], r["title"], r["duplicate_of"]) for r in rows] == [
        ("1", "borneopost", "Baram dam plan shelved", ""),
        ("3", "dayakdaily", "Residents celebrate as Baram dam cancelled", ""),
    ]
    assert list(rows[0])[:9] == ["id", "url", "outlet", "title", "published_at", "section", "language",
                                 "duplicate_of", "fetched_at"]
    assert rows[0]["url"] == "https://www.theborneopost.com/2024/02/10/baram-dam-plan-shelved/"
    assert rows[0]["fetched_at"] == "2024-04-02T01:00:00+00:00"


def test_include_duplicates_adds_the_copies(run) -> None:
    res = run("search", '"Baram dam"', "--since", "2024", "--format", "jsonl", "--sort", "date",
              "--include-duplicates")
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert [(r["id"], r["duplicate_of"]) for r in rows] == [(1, None), (2, 1), (3, None)]


def test_outlet_filter_finds_its_copy_of_a_story_first_archived_elsewhere(run) -> None:
    res = run("search", '"baram dam"', "--outlet", "dayakdaily", "--format", "jsonl", "--sort", "date")
    assert ids(res.stdout) == [2, 3]


def test_relevance_order_is_bm25_best_first(run) -> None:
    res = run("search", "baram", "--format", "jsonl")
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert [r["id"] for r in rows] == [6, 5, 3, 8, 1]  # short texts with a title hit first
    assert rows == sorted(rows, key=lambda r: -r["score"])


def test_query_syntax_or_not_prefix_phrase(run) -> None:
    def q(query: str, *extra: str) -> list[int]:
        res = run("search", query, "--format", "jsonl", "--sort", "date", "--include-duplicates", *extra)
        assert res.exit_code == 0, res.output
        return ids(res.stdout)

    assert q("bakun OR kuching") == [7, 4]
    assert q("dam NOT baram") == [4]
    assert q("hydro*") == [8, 1, 2, 4]
    assert q('"dam plan"') == [1, 2]
    assert q("(bakun OR kayan) dam NOT protests") == [4]
    assert q("EMPANGAN") == [6]  # case-insensitive
    assert q("dam", "--section", "business") == [8, 4]
    assert q("baram", "--language", "ms") == [6]


def test_dates_are_days_in_sarawak_time(run) -> None:
    # Article 7 was published 2024-03-04T23:30:00+00:00, i.e. 2024-03-05 07:30 in Sarawak.
    res = run("search", "kuching OR residents", "--since", "2024-03-05", "--until", "2024-03-05",
              "--format", "jsonl", "--sort", "date")
    assert ids(res.stdout) == [7, 3]
    res = run("search", "kuching", "--until", "2024-03-04", "--format", "jsonl")
    assert ids(res.stdout) == []


def test_limit_and_newest_sort(run) -> None:
    res = run("search", "dam", "--sort", "newest", "--limit", "2", "--format", "jsonl")
    assert ids(res.stdout) == [4, 3]


def test_table_output_highlights_matches(run) -> None:
    res = run("search", "kuching")
    assert res.exit_code == 0
    assert res.stdout.splitlines() == [
        "  1. [7] 2024-03-04 borneopost: **Kuching** floods ease",
        "     Floodwaters in **Kuching** receded on Tuesday. Relief centres closed by evening.",
        "     https://www.theborneopost.com/2024/03/05/kuching-floods-ease/",
    ]
    assert res.stderr == "1 story\n"


def test_output_file_and_force(run, tmp_path) -> None:
    out = tmp_path / "hits.csv"
    assert run("search", "bakun", "--format", "csv", "-o", str(out)).exit_code == 0
    assert out.read_text().splitlines()[1].startswith("4,https://www.theborneopost.com/2024/03/06/bakun-output-rises/")
    res = run("search", "bakun", "--format", "csv", "-o", str(out))
    assert (res.exit_code, res.stderr) == (2, f"Error: {out} exists (use --force to overwrite)\n")
    assert run("search", "kuching", "--format", "csv", "-o", str(out), "--force").exit_code == 0
    assert "kuching-floods-ease" in out.read_text()


@pytest.mark.parametrize("args, message", [
    (['"baram dam'], "Error: unbalanced quote in query '\"baram dam': close the phrase with \"\n"),
    (["baram OR"], "Error: bad query 'baram OR': OR needs a term after it\n"),
    (["NOT baram"], "Error: bad query 'NOT baram': a query needs a term that is not negated by NOT or -\n"),
    (["(baram"], "Error: bad query '(baram': unbalanced '('\n"),
    (["ba*ram"], "Error: bad query 'ba*ram': '*' is only allowed at the end of a word ('ba*ram')\n"),
    (["baram", "--since", "2024-02-30"], "Error: bad --since '2024-02-30': expected YYYY-MM-DD (or YYYY-MM, YYYY)\n"),
    (["baram", "--until", "March"], "Error: bad --until 'March': expected YYYY-MM-DD (or YYYY-MM, YYYY)\n"),
    (["baram", "--since", "2024-03", "--until", "2024-02"], "Error: --since 2024-03-01 is after --until 2024-02-29\n"),
    (["baram", "--outlet", "Malaysiakini"],  # (Sarawak Report, the example until issue 15, is an outlet now)
     "Error: unknown outlet 'Malaysiakini'; known outlets: borneopost, dayakdaily, intimes, sarawakreport, "
     "sarawaktribune, seehua, suarasarawak, uniteddaily, utusanborneo\n"),
])
def test_bad_input_one_line_exit_2(run, args: list[str], message: str) -> None:
    res = run("search", *args)
    assert (res.exit_code, res.stderr, res.stdout) == (2, message, "")


def test_injection_attempts_are_just_words(run) -> None:
    res = run("search", "baram' OR 1=1; DROP TABLE articles", "--format", "jsonl")
    assert res.exit_code == 0 and res.stdout == ""
    res = run("search", "baram", "--outlet", "x' OR '1'='1", "--format", "jsonl")
    assert res.exit_code == 2
    assert run("search", "baram", "--format", "jsonl").stdout.count("\n") == 5  # table intact


def test_unreadable_archive(tmp_path) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_text("not a database")
    res = CliRunner().invoke(main, ["search", "baram", "--archive", f"sqlite:///{junk}"])
    assert (res.exit_code, res.stderr) == (2, f"Error: cannot open archive sqlite:///{junk}: file is not a database\n")
    res = CliRunner().invoke(main, ["search", "baram", "--archive", f"sqlite:///{tmp_path}/none.db"])
    assert res.exit_code == 2 and res.stderr.startswith("Error: cannot open archive") and "does not exist" in res.stderr


def test_archive_from_environment(archive_url: str, monkeypatch) -> None:  # noqa: F811
    monkeypatch.setenv("NEWSCRAWL_ARCHIVE_URL", archive_url)
    res = CliRunner().invoke(main, ["search", "bakun", "--format", "jsonl"])
    assert ids(res.stdout) == [4]
