"""A researcher can query an archive they may not write (the cron user's archive/): opened read-only.

Tests run as root in CI, and root ignores file permissions: the end-to-end test runs the CLI as ``nobody``
through ``setpriv`` (skipped, with the reason printed, where that is impossible); the unit test makes the
archive's writability check answer "no".
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from newscrawl.store.archive import Archive
from tests.test_search_data import FETCHED, build, pg_archive_url  # noqa: F401 (fixture)

NOBODY = 65534


def _reader_prefix() -> list[str]:
    """The command prefix that runs a process as a user who cannot write root's files."""
    if os.geteuid() != 0:
        return []  # already an ordinary user: permissions apply
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        reason = "running as root without setpriv: cannot run the CLI as a user without write access"
        print(reason)
        pytest.skip(reason)
    prefix = [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    probe = subprocess.run([*prefix, sys.executable, "-c", "import newscrawl"], capture_output=True, text=True)
    if probe.returncode != 0:
        reason = f"user nobody cannot run {sys.executable} with newscrawl: {probe.stderr.strip()[-200:]}"
        print(reason)
        pytest.skip(reason)
    return prefix


@pytest.fixture
def locked_archive() -> Iterator[Path]:
    """An archive in a directory only root may write (0755), the file 0644: what another user sees."""
    top = Path(tempfile.mkdtemp(prefix="newscrawl-ro-"))  # not under pytest's 0700 tmp: nobody must enter it
    try:
        os.chmod(top, 0o755)
        path = top / "archive" / "newscrawl.sqlite3"
        build(f"sqlite:///{path}")
        os.chmod(path.parent, 0o755)
        os.chmod(path, 0o644)
        yield path
    finally:
        shutil.rmtree(top, ignore_errors=True)


def _cli(prefix: list[str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*prefix, sys.executable, "-m", "newscrawl", *args], capture_output=True, text=True,
                          timeout=120, cwd="/")


def test_every_query_command_works_without_write_access(locked_archive: Path) -> None:
    prefix = _reader_prefix()
    url = f"sqlite:///{locked_archive}"
    found = _cli(prefix, "search", "kuching", "--archive", url, "--format", "csv")
    assert (found.returncode, found.stderr) == (0, "")
    assert [line.split(",")[0] for line in found.stdout.splitlines()] == ["id", "7"]
    stats = _cli(prefix, "stats", "--archive", url, "--format", "csv")
    assert stats.returncode == 0, stats.stderr
    assert stats.stdout.splitlines()[0] == "month,borneopost,dayakdaily,sarawaktribune,utusanborneo,total"
    show = _cli(prefix, "show", "7", "--archive", url, "--no-text")
    assert show.returncode == 0, show.stderr
    assert show.stdout.splitlines()[0] == "Kuching floods ease"
    assert sorted(p.name for p in locked_archive.parent.iterdir()) == ["newscrawl.sqlite3"]  # nothing created


def test_reader_sees_what_a_running_crawl_committed(locked_archive: Path) -> None:
    """While a writer holds the archive open (its -wal file exists) the reader shares its WAL index."""
    prefix = _reader_prefix()
    with Archive.open(f"sqlite:///{locked_archive}") as writer:
        writer.store({"url": "https://dayakdaily.com/2024/05/01/longhouse-fire/", "outlet": "dayakdaily",
                      "title": "Longhouse fire in Kapit", "text": "A longhouse fire in Kapit left 40 homeless.",
                      "published_at": "2024-05-01T10:00:00+08:00", "fetched_at": FETCHED}, [])
        writer.flush()
        assert locked_archive.with_name(locked_archive.name + "-wal").exists()
        found = _cli(prefix, "search", "kapit", "--archive", f"sqlite:///{locked_archive}", "--format", "csv")
    assert found.returncode == 0, found.stderr
    assert [line.split(",")[0] for line in found.stdout.splitlines()] == ["id", "9"]


def test_unwritable_archive_opens_read_only(tmp_path, monkeypatch) -> None:
    """The check itself, as root: an archive the process may not write is opened read-only, never written."""
    path = tmp_path / "newscrawl.sqlite3"
    build(f"sqlite:///{path}")
    real_access = os.access
    monkeypatch.setattr("newscrawl.store.engine.os.access",
                        lambda p, mode: False if mode & os.W_OK else real_access(p, mode))
    with Archive.open(f"sqlite:///{path}", create=False) as archive:
        with archive.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM articles").scalar() == 8
            with pytest.raises(Exception, match="readonly database"):
                conn.exec_driver_sql("DELETE FROM articles")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["newscrawl.sqlite3"]


def test_postgresql_reader_with_select_only(pg_archive_url: str) -> None:  # noqa: F811
    """A PostgreSQL role granted USAGE on the schema and SELECT on its tables can run every query."""
    import uuid

    import psycopg
    from click.testing import CliRunner
    from sqlalchemy.engine import make_url

    from newscrawl.cli import main

    url = make_url(pg_archive_url)
    schema = url.query["options"].split("=", 1)[1]
    role = f"nc_reader_{uuid.uuid4().hex[:8]}"
    admin = url.set(drivername="postgresql", query={}).render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE ROLE "{role}" LOGIN')
        conn.execute(f'GRANT USAGE ON SCHEMA "{schema}" TO "{role}"')
        conn.execute(f'GRANT SELECT ON ALL TABLES IN SCHEMA "{schema}" TO "{role}"')
    try:
        reader = url.set(username=role).render_as_string(hide_password=False)
        found = CliRunner().invoke(main, ["search", "kuching", "--format", "csv", "--archive", reader])
        assert found.exit_code == 0, found.output
        assert [line.split(",")[0] for line in found.stdout.splitlines()] == ["id", "7"]
        assert CliRunner().invoke(main, ["stats", "--archive", reader]).exit_code == 0
        assert CliRunner().invoke(main, ["audit", "--archive", reader]).exit_code == 0
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP OWNED BY "{role}"')
            conn.execute(f'DROP ROLE "{role}"')


def test_output_into_a_directory_the_reader_cannot_write(locked_archive: Path) -> None:
    prefix = _reader_prefix()
    url = f"sqlite:///{locked_archive}"
    folder = locked_archive.parent
    for args, target in [(["export", "--format", "csv", "-o", str(folder / "x.csv")], folder / "x.csv"),
                         (["search", "dam", "-o", str(folder / "x.txt")], folder / "x.txt"),
                         (["stats", "--plot", str(folder / "x.png")], folder / "x.png")]:
        res = _cli(prefix, *args, "--archive", url)
        assert (res.returncode, res.stderr) == (2, f"Error: cannot write {target}: directory {folder} is not writable\n")
