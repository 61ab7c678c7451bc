"""A CDXJ index (webrecorder's cdxj-indexer) and a WACZ package (webrecorder's ``wacz``) of the WARC files."""

from __future__ import annotations

import io
import json
import os
import tempfile
from pathlib import Path

from newscrawl.warc.writer import OPEN_SUFFIX


def warc_files(directory: str | os.PathLike) -> list[str]:
    """Finished WARC files of a directory, oldest name first (``.open`` files are still being written)."""
    return [str(p) for p in sorted(Path(directory).glob("*.warc.gz")) if not p.name.endswith(OPEN_SUFFIX)]


def cdxj_index(files: list[str], output: str | os.PathLike) -> int:
    """Write a sorted CDXJ index of ``files`` (paths relative to the index's directory); returns its lines."""
    from cdxj_indexer.main import write_cdx_index

    output = Path(output)
    buffer = io.StringIO()
    write_cdx_index(buffer, files, {"dir_root": str(output.parent.resolve()), "post_append": True})
    # One global sort (what `sort` does with LC_ALL=C): the indexer's own sort option left records of different
    # files interleaved out of order once a crawl rotated its WARCs.
    lines = sorted(buffer.getvalue().splitlines(keepends=True))
    with open(output, "w", encoding="utf-8") as out:
        out.writelines(lines)
    return len(lines)


def pages_from_archive(archive_url: str) -> list[dict[str, str]]:
    """The archived articles that have a capture, as WACZ pages (url, capture time, title)."""
    from newscrawl.store import captures
    from newscrawl.store.archive import Archive

    with Archive.open(archive_url, create=False) as archive:
        return archive.read(captures.pages)


def make_wacz(files: list[str], output: str, archive_url: str | None = None) -> int:
    """Package ``files`` with their index and a pages list; returns the number of pages listed.

    Pages are the archive's captured articles when ``archive_url`` is given, else the HTML pages the packager
    detects in the files.
    """
    from wacz.main import main as wacz_main

    args = ["create", "-o", output]
    with tempfile.TemporaryDirectory() as tmp:
        pages = pages_from_archive(archive_url) if archive_url else None
        if pages is not None:
            path = Path(tmp) / "pages.jsonl"
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(json.dumps({"format": "json-pages-1.0", "id": "pages", "title": "Archived articles"}) + "\n")
                for page in pages:
                    fh.write(json.dumps(page, ensure_ascii=False) + "\n")
            args += ["-p", str(path)]
        else:
            args += ["--detect-pages"]
        status = wacz_main(args + files)
    if status not in (0, None):
        raise RuntimeError(f"wacz create exited with {status}")
    if pages is not None:
        return len(pages)
    import zipfile

    with zipfile.ZipFile(output) as zf:
        return max(0, sum(1 for _ in zf.open("pages/pages.jsonl")) - 1)
