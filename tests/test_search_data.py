"""A small, exactly known archive for the query tests (search, CLI, export, stats, datasette).

Imported by the other query test modules; the one test here checks the fixture itself.
"""

from __future__ import annotations

import pytest

from newscrawl.store.archive import Archive
from newscrawl.store.fts import ensure_fts

BP = "https://www.theborneopost.com"
DD = "https://dayakdaily.com"
NST = "https://www.newsarawaktribune.com.my"
UB = "https://www.utusanborneo.com.my"

# (id, outlet, url, title, published_at, section, language, text, duplicate_of)
ARTICLES = [
    (1, "borneopost", f"{BP}/2024/02/10/baram-dam-plan-shelved/", "Baram dam plan shelved",
     "2024-02-10T09:00:00+08:00", "Sarawak", "en",
     "The state government shelved the Baram dam plan after protests by Kenyah and Kayan communities.\n"
     "Officials said hydropower needs would be met elsewhere.", None),
    (2, "dayakdaily", f"{DD}/2024/02/10/baram-dam-plan-shelved-state/", "Baram dam plan shelved",
     "2024-02-10T11:00:00+08:00", "Sarawak", "en",
     "The state government has shelved the Baram dam plan after protests by Kenyah and Kayan communities.\n"
     "Officials said hydropower needs would be met elsewhere.", 1),
    (3, "dayakdaily", f"{DD}/2024/03/05/residents-celebrate/", "Residents celebrate as Baram dam cancelled",
     "2024-03-05T14:20:00+08:00", "Sarawak", "en",
     "Longhouse residents along the Baram river celebrated the end of the Baram dam.\n"
     "The Baram dam would have flooded 26 villages.", None),
    (4, "borneopost", f"{BP}/2024/03/06/bakun-output-rises/", "Bakun dam output rises",
     "2024-03-06T08:00:00+08:00", "Business", "en",
     "Output from the Bakun hydroelectric dam rose by 4 per cent, the utility said.", None),
    (5, "sarawaktribune", f"{NST}/baram-dam-debate-returns/", "Baram dam debate returns",
     "2023-12-30T10:00:00+08:00", "Nation", "en",
     "Debate over the Baram dam returned to the state assembly.", None),
    (6, "utusanborneo", f"{UB}/2024/04/01/empangan-baram/", "Empangan Baram ditangguhkan",
     "2024-04-01T10:00:00+08:00", "Sarawak", "ms",
     "Projek empangan Baram ditangguhkan; penduduk menyambut baik keputusan itu.", None),
    (7, "borneopost", f"{BP}/2024/03/05/kuching-floods-ease/", "Kuching floods ease",
     "2024-03-04T23:30:00+00:00", "Sarawak", "en",  # 2024-03-05 07:30 in Sarawak
     "Floodwaters in Kuching receded on Tuesday.\nRelief centres closed by evening.", None),
    (8, "dayakdaily", f"{DD}/2024/01/15/hydropower-baram/", "Hydropower and the Baram",
     "2024-01-15T09:00:00+08:00", "Business", "en",
     "A hydropower study of the Baram basin was published; no dam is planned this year.", None),
]
ALIASES = {1: [f"{BP}/2024/02/10/baram-dam-plan-shelved/amp/", f"{BP}/?p=1001"]}
FETCHED = "2024-04-02T01:00:00+00:00"


def build(url: str) -> None:
    """Store ARTICLES through the Archive (ids come out 1..8 in order) and make sure the index exists."""
    with Archive.open(url) as arc:
        ensure_fts(arc.engine)
        for aid, outlet, u, title, published, section, lang, text, dup in ARTICLES:
            got, status = arc.store(
                {"url": u, "outlet": outlet, "title": title, "published_at": published, "section": section,
                 "language": lang, "text": text, "fetched_at": FETCHED, "authors": ["Reporter"],
                 "tags": ["dam"] if "dam" in text else [], "duplicate_of": dup},
                [u, *ALIASES.get(aid, [])],
            )
            assert (got, status) == (aid, "new")


@pytest.fixture
def archive_url(tmp_path) -> str:
    url = f"sqlite:///{tmp_path}/newscrawl.sqlite3"
    build(url)
    return url




@pytest.fixture
def pg_archive_url(pg_schema_url: str) -> str:
    """The same archive in a fresh PostgreSQL schema (conftest: skips, or fails in CI, when unreachable)."""
    build(pg_schema_url)
    return pg_schema_url


def test_fixture_archive_has_the_known_rows(archive_url: str) -> None:
    with Archive.open(archive_url, create=False) as arc:
        assert arc.count() == len(ARTICLES)
        assert arc.get_article(2)["duplicate_of"] == 1
