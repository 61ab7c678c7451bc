"""Revision history: a recrawl that finds changed title or text at a known URL keeps one ``articles`` row (the
newest version) and files the replaced version in ``revisions``; an unchanged recrawl writes nothing. A changed
text also re-evaluates the article's near-duplicate group.

tests/test_neardup_postgres.py runs every test taking ``archive_url`` again on PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import select

from newscrawl.store.archive import Archive
from newscrawl.store.schema import neardup_bands, revisions
from tests.test_neardup import (  # noqa: F401  (fixtures)
    BARAM_BERNAMA,
    BP,
    PREMIER_AIRLINE,
    PREMIER_HYDROGEN,
    TRIB,
    archive_url,
    article,
    bernama_bp,
    dup_of,
    open_archive,
    tribune,
)

URL = "https://www.theborneopost.com/2024/03/05/sarawak-to-export-green-hydrogen-by-2030/"
FIRST = article(URL, "borneopost", PREMIER_HYDROGEN, "2024-03-05T16:00:00+08:00",
                title="Sarawak to export green hydrogen by 2030", modified_at="2024-03-05T16:00:00+08:00",
                fetched_at="2024-03-05T09:00:00+00:00")
# The outlet's correction: a wrong figure fixed and a sentence added, the headline changed.
CORRECTED = dict(FIRST, title="Sarawak to export green hydrogen to Korea, Japan by 2030",
                 text=PREMIER_HYDROGEN.replace("7,000 tonnes", "7,500 tonnes")
                 + "\nThe Premier also said the state would host an international hydrogen conference in June.",
                 modified_at="2024-03-05T19:30:00+08:00", fetched_at="2024-03-06T09:00:00+00:00")


def history(arc: Archive, article_id: int) -> list[dict]:
    stmt = select(revisions).where(revisions.c.article_id == article_id).order_by(revisions.c.id)
    return arc._read(lambda c: [dict(r._mapping) for r in c.execute(stmt)])


def test_updated_article_is_one_row_and_one_revision(open_archive) -> None:  # noqa: F811
    arc = open_archive()
    article_id, _ = arc.store(FIRST, [URL])
    assert arc.store(CORRECTED, [URL]) == (article_id, "updated")
    assert arc.count() == 1
    row = arc.get_article(article_id)
    assert row["title"] == "Sarawak to export green hydrogen to Korea, Japan by 2030"
    assert "7,500 tonnes" in row["text"] and row["fetched_at"] == "2024-03-06T09:00:00+00:00"
    [old] = history(arc, article_id)
    assert old["title"] == "Sarawak to export green hydrogen by 2030"
    assert old["text"] == PREMIER_HYDROGEN
    assert old["modified_at"] == "2024-03-05T16:00:00+08:00"
    assert old["fetched_at"] == "2024-03-05T09:00:00+00:00"
    assert old["content_hash"] != row["content_hash"]


def test_unchanged_recrawl_writes_no_revision(open_archive) -> None:  # noqa: F811
    arc = open_archive()
    article_id, _ = arc.store(FIRST, [URL])
    for day in (6, 7):
        again = dict(FIRST, fetched_at=f"2024-03-0{day}T09:00:00+00:00", text="  " + PREMIER_HYDROGEN.upper())
        assert arc.store(again, [URL]) == (article_id, "unchanged")
    assert arc.count("revisions") == 0


def test_every_earlier_version_is_kept_in_order(open_archive) -> None:  # noqa: F811
    arc = open_archive()
    article_id, _ = arc.store(FIRST, [URL])
    arc.store(CORRECTED, [URL])
    third = dict(CORRECTED, title="Green hydrogen exports to start by 2030, says Premier",
                 modified_at="2024-03-06T08:00:00+08:00", fetched_at="2024-03-07T09:00:00+00:00")
    assert arc.store(third, [URL]) == (article_id, "updated")
    assert [r["title"] for r in history(arc, article_id)] == [
        "Sarawak to export green hydrogen by 2030", "Sarawak to export green hydrogen to Korea, Japan by 2030"]
    assert arc.get_article(article_id)["title"] == "Green hydrogen exports to start by 2030, says Premier"


def test_older_version_found_late_is_history_not_the_row(open_archive) -> None:  # noqa: F811
    arc = open_archive()
    article_id, _ = arc.store(CORRECTED, [URL])
    for _ in range(2):  # a stale mirror served twice: filed once
        assert arc.store(FIRST, [URL]) == (article_id, "unchanged")
    assert [r["title"] for r in history(arc, article_id)] == ["Sarawak to export green hydrogen by 2030"]
    assert arc.get_article(article_id)["title"] == CORRECTED["title"]


def test_revisions_survive_reopen(open_archive) -> None:  # noqa: F811
    arc = open_archive()
    article_id, _ = arc.store(FIRST, [URL])
    arc.store(CORRECTED, [URL])
    arc.close()
    assert [r["text"] for r in history(open_archive(), article_id)] == [PREMIER_HYDROGEN]


def test_copy_rewritten_into_another_story_leaves_the_group(open_archive) -> None:  # noqa: F811
    arc = open_archive()
    bp_id, _ = arc.store(bernama_bp(), [BP])
    trib_id, _ = arc.store(tribune(), [TRIB])
    assert dup_of(arc, trib_id) == bp_id
    replaced = tribune(text=PREMIER_AIRLINE, title="State finalising MASwings takeover",
                       fetched_at="2024-03-06T00:00:00+00:00")  # the outlet reused the URL for another story
    assert arc.store(replaced, [TRIB]) == (trib_id, "updated")
    assert dup_of(arc, trib_id) is None
    keys = arc._read(lambda c: c.execute(select(neardup_bands.c.band_key)
                                         .where(neardup_bands.c.article_id == trib_id)).scalars().all())
    assert sorted(keys) == arc.neardup.band_keys(arc.neardup.signature(PREMIER_AIRLINE))  # bands replaced
    assert arc.count("neardup_signatures") == 2


def test_article_updated_into_a_copy_joins_the_group(open_archive) -> None:  # noqa: F811
    arc = open_archive()
    bp_id, _ = arc.store(bernama_bp(), [BP])
    placeholder = tribune(text=PREMIER_HYDROGEN, title="Developing story")
    trib_id, status = arc.store(placeholder, [TRIB])
    assert status == "new" and dup_of(arc, trib_id) is None
    assert arc.store(tribune(fetched_at="2024-03-06T00:00:00+00:00"), [TRIB]) == (trib_id, "updated")
    assert dup_of(arc, trib_id) == bp_id


def test_corrected_root_keeps_its_group(open_archive) -> None:  # noqa: F811
    arc = open_archive()
    bp_id, _ = arc.store(bernama_bp(), [BP])
    trib_id, _ = arc.store(tribune(), [TRIB])
    fixed = bernama_bp(text=BARAM_BERNAMA.replace("14 boats", "16 boats"), fetched_at="2024-03-06T00:00:00+00:00")
    assert arc.store(fixed, [BP]) == (bp_id, "updated")
    assert dup_of(arc, bp_id) is None and dup_of(arc, trib_id) == bp_id
    assert len(history(arc, bp_id)) == 1


def test_title_only_change_keeps_the_signature(open_archive) -> None:  # noqa: F811
    arc = open_archive()
    bp_id, _ = arc.store(bernama_bp(), [BP])
    before = arc.count("neardup_bands")
    assert arc.store(bernama_bp(title="Baram flood victims rise to 1,236"), [BP]) == (bp_id, "updated")
    assert arc.count("neardup_bands") == before and len(history(arc, bp_id)) == 1
