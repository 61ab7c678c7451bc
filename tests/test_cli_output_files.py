"""Files the CLI writes: created with the user's umask; a path that cannot be written is one line, exit 2."""

from __future__ import annotations

import os
import stat

import pytest
from click.testing import CliRunner

from newscrawl.cli import main
from tests.test_search_data import archive_url  # noqa: F401 (fixture)


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_export_file_gets_the_users_umask(archive_url: str, tmp_path, umask_022, fmt: str) -> None:  # noqa: F811
    out = tmp_path / f"all.{fmt}"
    res = run("export", "--archive", archive_url, "--format", fmt, "-o", str(out))
    assert res.exit_code == 0, res.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o644  # 0666 & ~022: readable by the user's group, like -o of cp


def test_missing_directory_is_one_line_before_any_query(archive_url: str, tmp_path) -> None:  # noqa: F811
    missing = tmp_path / "no" / "such"
    for args, path in [
        (["export", "--format", "csv", "-o", str(missing / "x.csv")], missing / "x.csv"),
        (["export", "--format", "parquet", "-o", str(missing / "x.parquet")], missing / "x.parquet"),
        (["search", "dam", "-o", str(missing / "x.txt")], missing / "x.txt"),
        (["stats", "--plot", str(missing / "x.png")], missing / "x.png"),
    ]:
        res = run(*args, "--archive", archive_url)
        assert (res.exit_code, res.stderr) == (2, f"Error: cannot write {path}: directory {missing} does not exist\n")
        assert res.stdout == ""  # refused before anything was printed
    assert not (tmp_path / "no").exists()


def test_output_that_is_a_directory(archive_url: str, tmp_path) -> None:  # noqa: F811
    res = run("search", "dam", "-o", str(tmp_path), "--archive", archive_url)
    assert (res.exit_code, res.stderr) == (2, f"Error: cannot write {tmp_path}: it is a directory\n")


def test_write_failure_after_the_check_is_one_line(archive_url: str, tmp_path, monkeypatch) -> None:  # noqa: F811
    """A directory that turns unwritable (or a full disk) while the export runs: no traceback."""
    from newscrawl.query import export as exporter

    def refuse(target):
        raise PermissionError(13, "Permission denied", str(target))

    monkeypatch.setattr(exporter, "_create_partial", refuse)
    out = tmp_path / "x.csv"
    res = run("export", "--format", "csv", "-o", str(out), "--archive", archive_url)
    assert (res.exit_code, res.stderr) == (2, f"Error: cannot write {out}: Permission denied\n")


def test_plot_format_is_checked_before_the_query(archive_url: str, tmp_path) -> None:  # noqa: F811
    pytest.importorskip("matplotlib")
    tmp_path = tmp_path / "plots"
    tmp_path.mkdir()
    for name, why in [("timeline.xyz", "format '.xyz' is not supported"),
                      ("timeline", "needs an extension naming its format")]:
        target = tmp_path / name
        res = run("stats", "--plot", str(target), "--archive", archive_url)
        assert res.exit_code == 2 and res.stdout == ""
        assert res.stderr.startswith(f"Error: --plot {target}: {why} (use one of .")
        assert ".png" in res.stderr and res.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []  # matplotlib would have written timeline.png for "timeline"
    res = run("stats", "--plot", str(tmp_path / "timeline.SVG"), "--archive", archive_url)
    assert (res.exit_code, (tmp_path / "timeline.SVG").read_bytes()[:5]) == (0, b"<?xml")
