"""One crawl per archive at a time.

cron may start a run while the previous one is still going; the second must leave at once instead of doubling
the requests and racing on the archive. SQLite archives are locked with ``flock`` on ``<database>.lock`` beside
the file (released by the kernel when the process dies, even on SIGKILL); PostgreSQL archives with a session
advisory lock (released when the connection closes, also on a crash).

Distributed workers (``NEWSCRAWL_DISTRIBUTED``) of one run take the PostgreSQL lock *shared*: any number of them
run together, while a separate crawl (or a second seeding), which asks for it exclusively, is refused. The lock
is per database and ``search_path`` (two archives in two schemas of one database are two archives).
"""

from __future__ import annotations

import fcntl
import os
import zlib
from pathlib import Path

from sqlalchemy import text

from newscrawl.store.engine import make_engine, parse_url, sqlite_file


class AlreadyRunning(Exception):
    """Another crawl holds the archive's lock."""


class RunLock:
    def __init__(self, archive_url: str, *, shared: bool = False) -> None:
        self.url = parse_url(archive_url)
        self.shared = shared
        self._fh = None
        self._pg = None

    def acquire(self) -> "RunLock":
        if self.url.get_backend_name() == "sqlite":
            self._acquire_file()
        elif self.url.get_backend_name() == "postgresql":
            self._acquire_advisory()
        return self

    def _acquire_file(self) -> None:
        db_file = sqlite_file(self.url)
        if db_file is None:
            return
        database = str(db_file)
        path = Path(database + ".lock")
        path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(path, "a+")  # noqa: SIM115 - held for the life of the run
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip()
            fh.close()
            raise AlreadyRunning(f"another crawl is writing to {database} ({holder or 'pid unknown'})") from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}")
        fh.flush()
        self._fh = fh

    def _acquire_advisory(self) -> None:
        key = advisory_key(self.url)
        engine = make_engine(self.url)
        conn = engine.connect()
        function = "pg_try_advisory_lock_shared" if self.shared else "pg_try_advisory_lock"
        if not conn.execute(text(f"SELECT {function}(:k)"), {"k": key}).scalar():
            conn.close()
            engine.dispose()
            raise AlreadyRunning(f"another crawl is writing to database {self.url.database!r}")
        conn.commit()
        self._pg = (engine, conn)

    def try_exclusive(self) -> bool:
        """Release a shared lock and take the lock exclusively if no other worker holds it (kept until
        ``release``): True when this process was the last worker of the run."""
        if self._pg is None:
            return False
        engine, conn = self._pg
        key = advisory_key(self.url)
        conn.execute(text("SELECT pg_advisory_unlock_shared(:k)"), {"k": key})
        got = bool(conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar())
        conn.commit()
        return got

    def release(self) -> None:
        if self._fh is not None:
            fcntl.flock(self._fh, fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None
        if self._pg is not None:
            engine, conn = self._pg
            conn.close()
            engine.dispose()
            self._pg = None

    def __enter__(self) -> "RunLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def advisory_key(url) -> int:
    """The advisory lock key of a PostgreSQL archive: its database and search_path."""
    options = url.query.get("options", "")
    scope = url.database if not options else f"{url.database}:{options}"
    return zlib.crc32(f"newscrawl:{scope}".encode())
