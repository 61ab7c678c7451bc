"""Run the real ``scrapy crawl sarawak`` in a subprocess (the real engine, a fresh reactor per run)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Politeness off for local replicas; everything else as shipped.
FAST = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "0",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "LOG_LEVEL": "INFO",
}


def run_crawl(archive_url: str, *args: str, settings: dict | None = None, timeout: float = 240,
              env: dict | None = None, wait: bool = True):
    settings = dict(settings or {})
    if "WARC_DIR" not in settings:  # WARC files beside the test archive (PostgreSQL: a temporary directory)
        settings["WARC_DIR"] = (str(Path(archive_url.removeprefix("sqlite:///")).parent / "warc")
                                if archive_url.startswith("sqlite:///") else tempfile.mkdtemp(prefix="newscrawl-warc-"))
    command = [sys.executable, "-m", "scrapy", "crawl", "sarawak", "-s", f"ARCHIVE_URL={archive_url}"]
    for key, value in {**FAST, **settings}.items():
        command += ["-s", f"{key}={value}"]
    command += list(args)
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    if not wait:
        return subprocess.Popen(command, cwd=ROOT, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
    return subprocess.run(command, cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=timeout)


def run_seed(archive_url: str, *args: str, settings: dict | None = None, timeout: float = 120):
    """``scrapy seed sarawak``: open a distributed run and queue its start requests (newscrawl.distributed)."""
    command = [sys.executable, "-m", "scrapy", "seed", "sarawak", "-s", f"ARCHIVE_URL={archive_url}"]
    for key, value in {**FAST, **(settings or {})}.items():
        command += ["-s", f"{key}={value}"]
    command += list(args)
    return subprocess.run(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
                          text=True, timeout=timeout)
