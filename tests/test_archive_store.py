"""Archive.store semantics: new / unchanged / updated / duplicate_content, URL aliases, idempotent re-runs.

These tests run on SQLite here; tests/test_archive_postgres.py runs the very same functions on PostgreSQL by
overriding the ``archive_url`` fixture.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from newscrawl.store.archive import Archive, content_hash

CANONICAL = "https://www.theborneopost.com/2024/03/05/sarawak-floods-ease/"
UTM = CANONICAL + "?utm_source=facebook&utm_medium=social"
AMP = CANONICAL + "amp/"
HTTP = CANONICAL.replace("https://", "http://")
OTHER_OUTLET_COPY = "https://www.newsarawaktribune.com.my/sarawak-floods-ease/"
TEXT = "Floodwaters in Kuching receded on Tuesday.\nRelief centres closed by evening."


def make_article(**overrides: object) -> dict:
    article = {
        "url": CANONICAL,
        "outlet": "borneopost",
        "title": "Sarawak floods ease",
        "authors": ["Jane Doe", "Ahmad Bin Ali"],
        "published_at": "2024-03-05T14:20:00+08:00",
        "modified_at": "2024-03-05T15:00:00+08:00",
        "section": "Sarawak",
        "tags": ["floods", "Kuching"],
        "language": "en",
        "image_url": "https://www.theborneopost.com/img/flood.jpg",
        "text": TEXT,
        "fetched_at": "2024-03-06T01:00:00+00:00",
    }
    article.update(overrides)
    article.setdefault("content_hash", content_hash(str(article["text"])))
    return article


@pytest.fixture
def archive_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path}/archive.db"


@pytest.fixture
def archive(archive_url: str) -> Iterator[Archive]:
    with Archive.open(archive_url, batch_size=200) as arc:
        yield arc


@pytest.fixture
def reopen(archive_url: str) -> Callable[[], Archive]:
    """A second, independent Archive on the same database (a later crawl run)."""
    opened: list[Archive] = []

    def _open() -> Archive:
        opened.append(Archive.open(archive_url))
        return opened[-1]

    yield _open
    for arc in opened:
        arc.close()


def test_new_article_round_trips_every_field(archive: Archive) -> None:
    article = make_article()
    article_id, status = archive.store(article, [CANONICAL, UTM])
    assert status == "new"
    stored = archive.get_article(article_id)
    assert stored is not None
    for key, value in article.items():
        assert stored[key] == value, key
    assert stored["authors"] == ["Jane Doe", "Ahmad Bin Ali"]
    assert stored["duplicate_of"] is None
    assert archive.urls_for(article_id) == {CANONICAL: "canonical", UTM: "variant"}
    assert archive.get_article(article_id + 1000) is None


def test_canonical_url_recorded_even_if_not_in_urls(archive: Archive) -> None:
    article_id, _ = archive.store(make_article(), [UTM])
    assert archive.urls_for(article_id) == {CANONICAL: "canonical", UTM: "variant"}


def test_every_alias_resolves_to_the_one_row(archive: Archive) -> None:
    article_id, _ = archive.store(make_article(), [CANONICAL, UTM, AMP, HTTP])
    for url in (CANONICAL, UTM, AMP, HTTP):
        assert archive.article_id_for_url(url) == article_id
    assert archive.article_id_for_url("https://www.theborneopost.com/other/") is None
    assert archive.count() == 1
    assert archive.count("article_urls") == 4


def test_restore_same_version_is_unchanged_and_keeps_fetched_at(archive: Archive) -> None:
    article_id, _ = archive.store(make_article(), [CANONICAL])
    again = make_article(fetched_at="2024-04-01T00:00:00+00:00")
    assert archive.store(again, [CANONICAL, AMP]) == (article_id, "unchanged")
    assert archive.get_article(article_id)["fetched_at"] == "2024-03-06T01:00:00+00:00"
    assert archive.urls_for(article_id) == {CANONICAL: "canonical", AMP: "variant"}  # the new alias is kept


def test_known_alias_identifies_the_article(archive: Archive) -> None:
    article_id, _ = archive.store(make_article(), [CANONICAL, HTTP])
    # reached later through the http:// link only, with a different canonical guess
    found = make_article(url=HTTP)
    assert archive.store(found, [HTTP]) == (article_id, "unchanged")
    assert archive.count() == 1


def test_whitespace_and_case_changes_are_not_an_update(archive: Archive) -> None:
    article_id, _ = archive.store(make_article(), [CANONICAL])
    respaced = make_article(text="  FLOODWATERS in Kuching   receded on Tuesday.\n\n Relief centres closed by evening. ")
    assert archive.store(respaced, [CANONICAL]) == (article_id, "unchanged")


def test_changed_text_updates_the_row(archive: Archive) -> None:
    article_id, _ = archive.store(make_article(), [CANONICAL])
    newer = make_article(
        text=TEXT + "\nThe Drainage Department issued an all-clear.",
        title="Sarawak floods ease, all-clear issued",
        modified_at="2024-03-05T18:00:00+08:00",
        fetched_at="2024-03-07T01:00:00+00:00",
        tags=["floods"],
    )
    assert archive.store(newer, [CANONICAL, AMP]) == (article_id, "updated")
    stored = archive.get_article(article_id)
    assert stored["title"] == "Sarawak floods ease, all-clear issued"
    assert stored["text"].endswith("The Drainage Department issued an all-clear.")
    assert stored["modified_at"] == "2024-03-05T18:00:00+08:00"
    assert stored["fetched_at"] == "2024-03-07T01:00:00+00:00"
    assert stored["tags"] == ["floods"]
    assert stored["content_hash"] == newer["content_hash"]
    assert archive.count() == 1
    assert archive.article_id_for_url(AMP) == article_id


def test_title_only_change_is_an_update(archive: Archive) -> None:
    article_id, _ = archive.store(make_article(), [CANONICAL])
    assert archive.store(make_article(title="Floods ease in Sarawak"), [CANONICAL]) == (article_id, "updated")
    assert archive.get_article(article_id)["title"] == "Floods ease in Sarawak"


def test_older_copy_never_overwrites_newer_version(archive: Archive) -> None:
    newer = make_article(text=TEXT + "\nUpdate: all clear.", modified_at="2024-03-05T18:00:00+08:00")
    article_id, _ = archive.store(newer, [CANONICAL])
    older = make_article(modified_at="2024-03-05T09:00:00+00:00")  # 17:00 +08:00, before 18:00 +08:00
    assert archive.store(older, [CANONICAL]) == (article_id, "unchanged")
    assert archive.get_article(article_id)["text"].endswith("Update: all clear.")


def test_identical_text_at_another_url_is_an_alias_not_a_row(archive: Archive) -> None:
    article_id, _ = archive.store(make_article(), [CANONICAL])
    copy = make_article(url=OTHER_OUTLET_COPY, outlet="sarawaktribune", title="Floods ease",
                        text=TEXT.upper().replace("\n", "  \n\n"))
    assert archive.store(copy, [OTHER_OUTLET_COPY]) == (article_id, "duplicate_content")
    assert archive.count() == 1
    assert archive.article_id_for_url(OTHER_OUTLET_COPY) == article_id
    assert archive.urls_for(article_id)[OTHER_OUTLET_COPY] == "same_text"
    assert archive.article_id_for_hash(content_hash(TEXT)) == article_id
    assert archive.get_article(article_id)["title"] == "Sarawak floods ease"  # the copy changed nothing


def test_recrawl_of_original_and_copy_is_stable(archive: Archive, reopen: Callable[[], Archive]) -> None:
    original = make_article()
    copy = make_article(url=OTHER_OUTLET_COPY, outlet="sarawaktribune", title="Floods ease")
    first = [archive.store(original, [CANONICAL, UTM]), archive.store(copy, [OTHER_OUTLET_COPY])]
    archive.close()
    for _ in range(2):  # two more crawl runs: same answers, no new rows, the copy's title never wins
        run = reopen()
        assert run.store(original, [CANONICAL, UTM]) == (first[0][0], "unchanged")
        assert run.store(copy, [OTHER_OUTLET_COPY]) == (first[0][0], "duplicate_content")
        run.close()
    check = reopen()
    assert check.count() == 1
    assert check.count("article_urls") == 3
    assert check.get_article(first[0][0])["title"] == "Sarawak floods ease"


def test_copy_that_diverges_becomes_its_own_article(archive: Archive) -> None:
    original_id, _ = archive.store(make_article(), [CANONICAL])
    copy = make_article(url=OTHER_OUTLET_COPY, outlet="sarawaktribune", title="Floods ease")
    archive.store(copy, [OTHER_OUTLET_COPY])
    edited = make_article(url=OTHER_OUTLET_COPY, outlet="sarawaktribune", title="Floods ease",
                          text=TEXT + "\nTribune reporters visited Batu Kawa.")
    new_id, status = archive.store(edited, [OTHER_OUTLET_COPY])
    assert status == "new" and new_id != original_id
    assert archive.urls_for(new_id) == {OTHER_OUTLET_COPY: "canonical"}
    assert archive.urls_for(original_id) == {CANONICAL: "canonical"}
    assert archive.count() == 2


def test_distinct_articles_get_distinct_rows(archive: Archive) -> None:
    ids = set()
    for n in range(5):
        url = f"https://dayakdaily.com/story-{n}/"
        article_id, status = archive.store(make_article(url=url, text=f"Story number {n}."), [url])
        assert status == "new"
        ids.add(article_id)
    assert len(ids) == 5
    assert archive.count() == 5


def test_explicit_duplicate_of_is_stored(archive: Archive) -> None:
    first_id, _ = archive.store(make_article(), [CANONICAL])
    near = make_article(url=OTHER_OUTLET_COPY, text=TEXT + " (Bernama)", duplicate_of=first_id)
    near_id, status = archive.store(near, [OTHER_OUTLET_COPY])
    assert status == "new"
    assert archive.get_article(near_id)["duplicate_of"] == first_id


def test_missing_required_field_is_rejected_without_side_effects(archive: Archive) -> None:
    with pytest.raises(ValueError, match="title"):
        archive.store(make_article(title=""), [CANONICAL])
    assert archive.count() == 0


def test_content_hash_computed_when_absent(archive: Archive) -> None:
    article = make_article()
    del article["content_hash"]
    article_id, _ = archive.store(article, [CANONICAL])
    assert archive.get_article(article_id)["content_hash"] == content_hash(TEXT)


def test_content_hash_normalises_whitespace_and_case() -> None:
    assert content_hash("Hello  World\n") == content_hash(" hello world")
    assert content_hash("Hello World") != content_hash("Hello Worlds")
    assert len(content_hash("x")) == 64
