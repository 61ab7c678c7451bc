"""newscrawl.store.engine: one ArchiveConfig from the settings for the crawl, its pre-flight check and the CLI."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from scrapy.settings import Settings

from newscrawl.store.engine import ArchiveConfig, ArchiveError, parse_url, redact, sqlite_file
from tests.crawl_helpers import run_crawl


def layout(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as conn:
        return dict(conn.execute("SELECT name, value FROM neardup_config"))


def test_from_settings_reads_every_archive_setting(tmp_path: Path) -> None:
    settings = Settings()
    settings.setmodule("newscrawl.settings")
    settings.setdict({"ARCHIVE_URL": f"sqlite:///{tmp_path}/a.sqlite3", "NEWSCRAWL_BATCH_SIZE": "7",
                      "NEWSCRAWL_NEARDUP_PERMUTATIONS": "64", "NEWSCRAWL_NEARDUP_SHINGLE_SIZE": "3",
                      "NEWSCRAWL_NEARDUP_THRESHOLD": "0.5", "NEWSCRAWL_NEARDUP_MIN_NAMES": "0.6"}, priority="cmdline")
    config = ArchiveConfig.from_settings(settings)
    assert config.batch_size == 7 and config.neardup
    assert (config.neardup_config.permutations, config.neardup_config.shingle_size) == (64, 3)
    assert (config.neardup_config.threshold, config.neardup_config.min_names) == (0.5, 0.6)
    with config.open() as archive:
        assert archive.batch_size == 7 and archive.neardup.permutations == 64
    assert layout(tmp_path / "a.sqlite3")["permutations"] == "64"


def test_cli_config_uses_the_settings_module_and_the_given_url(tmp_path: Path) -> None:
    from newscrawl import settings

    config = ArchiveConfig.from_settings(url="sqlite:///x.sqlite3")
    assert config.url == "sqlite:///x.sqlite3"
    assert config.neardup_config.permutations == settings.NEWSCRAWL_NEARDUP_PERMUTATIONS
    assert ArchiveConfig.from_settings().url == settings.ARCHIVE_URL


@pytest.mark.slow
def test_a_fresh_archive_gets_the_layout_given_with_dash_s(tmp_path: Path) -> None:
    """The pre-flight check used to create the archive with default settings first, so -s ..._PERMUTATIONS
    was ignored with a warning. Nothing is reachable here: the run fails, the archive is still created."""
    db = tmp_path / "fresh.sqlite3"
    result = run_crawl(f"sqlite:///{db}", "-a", "site=http://127.0.0.1:9/",
                       settings={"NEWSCRAWL_NEARDUP_PERMUTATIONS": "64", "NEWSCRAWL_NEARDUP_SHINGLE_SIZE": "4",
                                 "DOWNLOAD_TIMEOUT": "2", "RETRY_ENABLED": "0"})
    assert "ignoring the requested" not in result.stderr
    assert (layout(db)["permutations"], layout(db)["shingle_size"]) == ("64", "4")


@pytest.mark.parametrize("url, message", [
    ("not a url", "not a database URL"),
    ("mysql://u@h/db", "unsupported database 'mysql'"),
])
def test_bad_urls_are_one_line_errors(url: str, message: str) -> None:
    with pytest.raises(ArchiveError, match=message):
        parse_url(url)


def test_sqlite_file_and_redact() -> None:
    assert sqlite_file(parse_url("sqlite:///archive/a.db")) == Path("archive/a.db")
    assert sqlite_file(parse_url("sqlite:///file:/tmp/a.db?mode=ro&uri=true")) == Path("/tmp/a.db")
    assert sqlite_file(parse_url("sqlite://")) is None
    assert "secret" not in redact("postgresql+psycopg://u:secret@h/db")
