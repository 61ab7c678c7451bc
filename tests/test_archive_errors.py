"""Bad archive URLs and unreachable or unwritable databases raise ArchiveError with a one-line message."""

from __future__ import annotations

from pathlib import Path

import pytest

from newscrawl.store.archive import Archive, ArchiveError


def open_error(url: str, **kwargs: object) -> str:
    with pytest.raises(ArchiveError) as info:
        Archive.open(url, **kwargs)
    message = str(info.value)
    assert "\n" not in message, message
    assert message.startswith("cannot open archive "), message
    return message


def test_not_a_url() -> None:
    message = open_error("archive/news.db")
    assert "not a database URL" in message


def test_unknown_dialect() -> None:
    assert "unsupported database 'mysqlx'" in open_error("mysqlx://user@localhost/db")


def test_missing_driver() -> None:
    message = open_error("postgresql+nosuchdriver://postgres@127.0.0.1/test")
    assert "postgresql+nosuchdriver" in message


def test_unreachable_postgres_hides_password() -> None:
    message = open_error("postgresql+psycopg://postgres:s3cret@127.0.0.1:1/test")
    assert "s3cret" not in message
    assert "postgresql+psycopg://postgres:***@127.0.0.1:1/test" in message
    assert "127.0.0.1" in message and ("refused" in message.lower() or "failed" in message.lower())


def test_sqlite_path_under_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    message = open_error(f"sqlite:///{blocker}/sub/news.db")
    assert "cannot create directory" in message


def test_sqlite_path_is_a_directory(tmp_path: Path) -> None:
    assert "unable to open database file" in open_error(f"sqlite:///{tmp_path}")


def test_sqlite_parent_directory_is_created(tmp_path: Path) -> None:
    db = tmp_path / "a" / "b" / "news.db"
    with Archive.open(f"sqlite:///{db}") as arc:
        arc.check()
    assert db.exists()


def test_create_false_on_missing_file_does_not_create_it(tmp_path: Path) -> None:
    db = tmp_path / "missing.db"
    assert "does not exist" in open_error(f"sqlite:///{db}", create=False)
    assert not db.exists()


def test_create_false_on_non_archive(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "other.db"
    sqlite3.connect(db).close()
    assert "no 'articles' table" in open_error(f"sqlite:///{db}", create=False)


def test_not_a_database_file(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    assert "file is not a database" in open_error(f"sqlite:///{junk}")


def test_use_after_close(tmp_path: Path) -> None:
    arc = Archive.open(f"sqlite:///{tmp_path}/x.db")
    arc.close()
    with pytest.raises(ArchiveError, match="is closed"):
        arc.check()


def article(n: int) -> tuple[dict, list[str]]:
    url = f"https://utusanborneo.com.my/berita-{n}"
    return ({"url": url, "outlet": "utusanborneo", "title": f"Berita {n}", "text": f"Teks berita {n}.",
             "fetched_at": "2024-03-06T01:00:00+00:00"}, [url, url + "/amp"])


def test_failed_store_keeps_the_rest_of_the_batch(tmp_path: Path) -> None:
    with Archive.open(f"sqlite:///{tmp_path}/x.db", batch_size=100) as arc:
        arc.store(*article(1))
        bad, urls = article(2)
        bad["duplicate_of"] = 999_999  # no such article: the foreign key refuses it
        with pytest.raises(ArchiveError, match="cannot store"):
            arc.store(bad, urls)
        arc.store(*article(3))
        arc.flush()
        assert arc.count() == 2
        assert arc.count("article_urls") == 4
        assert arc.article_id_for_url(urls[1]) is None  # no half-stored article
