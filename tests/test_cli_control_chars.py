"""Control characters stored in an archive (a crawled title with ESC sequences) never reach the terminal."""

from __future__ import annotations

import json

import sqlalchemy as sa
from click.testing import CliRunner

from newscrawl.cli import main, printable
from tests.test_search_data import archive_url  # noqa: F401 (fixture)

HOSTILE = "Kuching \x1b[2J\x1b]0;pwned\x07floods\r ease\u202e\x9b1m"


def test_printable_keeps_text_newlines_and_tabs() -> None:
    assert printable(HOSTILE) == "Kuching [2J]0;pwnedfloods ease1m"
    assert printable("line one\n\tline two") == "line one\n\tline two"
    assert printable(None) == ""


def _poison(url: str) -> None:
    with sa.create_engine(url).begin() as conn:  # an archive filled before extraction stripped them
        conn.exec_driver_sql("UPDATE articles SET title = ?, text = text || ?, outlet = ? WHERE id = 7",
                             (HOSTILE, "\n\x1b[31mred\x1b[0m", "borneopost\x1b[5m"))


def _no_control(text: str) -> bool:
    return not any(ord(c) < 32 and c not in "\n\t" or 0x7f <= ord(c) <= 0x9f or c == "\u202e" for c in text)


def test_search_show_stats_print_no_control_characters(archive_url: str) -> None:  # noqa: F811
    _poison(archive_url)
    runner = CliRunner()
    table = runner.invoke(main, ["search", "kuching", "--archive", archive_url])
    assert table.exit_code == 0, table.output
    assert table.stdout.splitlines()[0] == ("  1. [7] 2024-03-04 borneopost[5m: **Kuching** [2J]0;pwnedfloods ease1m")
    for args in (["search", "kuching", "--format", "csv"], ["show", "7"], ["stats"], ["stats", "--format", "csv"],
                 ["audit"], ["search", "kuching", "--format", "jsonl"]):
        res = runner.invoke(main, [*args, "--archive", archive_url])
        assert _no_control(res.stdout), (args, res.stdout)
    shown = runner.invoke(main, ["show", "7", "--archive", archive_url]).stdout
    assert "red" in shown.splitlines() or "[31mred[0m" in shown.splitlines()  # click strips ANSI off a tty
    assert "Floodwaters in Kuching receded on Tuesday." in shown


def test_error_messages_carry_no_control_characters(archive_url: str) -> None:  # noqa: F811
    _poison(archive_url)
    res = CliRunner().invoke(main, ["search", "kuching", "--outlet", "nowhere", "--archive", archive_url])
    assert res.exit_code == 2
    assert "borneopost[5m" in res.stderr and _no_control(res.stderr)


def test_json_output_keeps_the_data_escaped(archive_url: str) -> None:  # noqa: F811
    """JSON escapes C0 controls itself (\\u001b: harmless, and the data survives); the raw C1 and bidi
    characters it would print are removed."""
    _poison(archive_url)
    res = CliRunner().invoke(main, ["show", "7", "--format", "json", "--no-text", "--archive", archive_url])
    assert json.loads(res.stdout)["article"]["title"] == HOSTILE.replace("\u202e", "").replace("\x9b", "")
