"""Near-duplicate detection in ``Archive.store``: syndicated copies link to the earliest article of their story,
different stories from the same event don't, short texts never do; the index persists across runs.

Texts are realistic Sarawak news prose. Measured word-5-shingle Jaccard (asserted in test_measured_similarities):
Bernama story vs the Tribune copy (new intro, "Also read" lines, ad and app boilerplate) 0.61, vs the DayakDaily
copy (two-paragraph new intro, trimmed outro) 0.57; two stories from the same Premier's press conference 0.12;
the next day's follow-up 0.14; a heavy rewrite (own two-paragraph intro, body trimmed) 0.35.

tests/test_neardup_postgres.py runs every test taking ``archive_url`` again on PostgreSQL.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import select

from newscrawl.store import neardup
from newscrawl.store.archive import Archive
from newscrawl.store.neardup import NearDupConfig

BARAM_BERNAMA = """MIRI, March 4 (Bernama) -- A total of 1,236 victims from 318 families in the Baram district are still sheltering at 11 temporary relief centres as floodwaters continued to rise in several longhouses along the Baram River this morning.
Sarawak Disaster Management Committee secretariat head Datuk Ismail Mohd Yusof said the number of evacuees increased from 894 people last night after heavy rain upriver forced more families to leave their homes.
"The relief centres at SK Long Lama, SK Long Bemang and Dewan Suarah Marudi are now at full capacity, and we have opened three more centres at longhouse community halls in Long Laput, Long Ikang and Kampung Tanjung Tepalit," he said in a statement today.
He said the Malaysian Civil Defence Force (APM) and the Fire and Rescue Department had deployed 14 boats to move residents from the worst-hit villages, where water levels had reached the floors of the longhouses.
According to him, food supplies for at least one week had been sent by river and by air to the centres in the interior, including rice, cooking oil, canned food, drinking water and baby formula.
"The state government has also approved an initial allocation of RM2 million for immediate aid to the affected families, and the Welfare Department will distribute it once the water recedes and the damage has been assessed," he said.
Ismail added that the Public Works Department had closed the Miri-Marudi road at Kilometre 45 and the Long Lama-Long Miri road after parts of both roads were submerged, and advised motorists to use alternative routes.
The Meteorological Department has issued a continuous heavy rain warning at the alert level for the Miri, Marudi and Telang Usan areas until Thursday.
Residents living near riverbanks are advised to remain alert, to follow instructions from the authorities and to move to the relief centres as soon as they are asked to do so.
Members of the public who need assistance may contact the Miri district disaster operations control centre at 085-433 144 or the nearest police station."""

BARAM_TRIBUNE = """MARUDI: More than 1,200 people in Baram are now at relief centres, with the floods expected to worsen as heavy rain continues to fall in the upper reaches of the river.
Sarawak Disaster Management Committee secretariat head Datuk Ismail Mohd Yusof said the number of evacuees increased from 894 people last night after heavy rain upriver forced more families to leave their homes.
"The relief centres at SK Long Lama, SK Long Bemang and Dewan Suarah Marudi are now at full capacity, and we have opened three more centres at longhouse community halls in Long Laput, Long Ikang and Kampung Tanjung Tepalit," he said in a statement today.
Also read: Baram floods: Schools in Long Lama closed until further notice
He said the Malaysian Civil Defence Force (APM) and the Fire and Rescue Department had deployed 14 boats to move residents from the worst-hit villages, where the water had reached the floors of the longhouses.
According to him, food supplies for at least one week had been sent by river and by air to the centres in the interior, including rice, cooking oil, canned food, drinking water and baby formula.
ADVERTISEMENT
"The state government has also approved an initial allocation of RM2 million for immediate aid to the affected families, and the Welfare Department will distribute it once the water recedes and the damage has been assessed," he said.
Ismail added that the Public Works Department (JKR) had closed the Miri-Marudi road at Kilometre 45 and the Long Lama-Long Miri road after parts of both roads were submerged, and advised motorists to use alternative routes.
The Meteorological Department has issued a continuous heavy rain warning at the alert level for the Miri, Marudi and Telang Usan areas until Thursday.
Also read: Premier: State to speed up Baram flood mitigation project
Follow us on Telegram and WhatsApp for the latest news from Sarawak.
Download the New Sarawak Tribune app now."""

BARAM_DAYAK = """MIRI, March 4: Floodwaters along the Baram River rose again this morning, forcing more longhouse residents to leave their homes.
The number of victims sheltering at 11 temporary relief centres in the Baram district has risen to 1,236 people from 318 families.
Sarawak Disaster Management Committee secretariat head Datuk Ismail Mohd Yusof said the number of evacuees increased from 894 people last night after heavy rain upriver forced more families to leave their homes.
"The relief centres at SK Long Lama, SK Long Bemang and Dewan Suarah Marudi are now at full capacity, and we have opened three more centres at longhouse community halls in Long Laput, Long Ikang and Kampung Tanjung Tepalit," he said in a statement today.
He said the Malaysian Civil Defence Force (APM) and the Fire and Rescue Department had deployed 14 boats to move residents from the worst-hit villages, where water levels had reached the floors of the longhouses.
According to him, food supplies for at least one week had been sent by river and by air to the centres in the interior, including rice, cooking oil, canned food, drinking water and baby formula.
"The state government has also approved an initial allocation of RM2 million for immediate aid to the affected families, and the Welfare Department will distribute it once the water recedes and the damage has been assessed," he said.
Ismail added that the Public Works Department had closed the Miri-Marudi road at Kilometre 45 and the Long Lama-Long Miri road after parts of both roads were submerged.
Residents living near riverbanks are advised to remain alert and to follow instructions from the authorities.
-- DayakDaily"""

PREMIER_HYDROGEN = """KUCHING, March 5: Sarawak will begin exporting green hydrogen to South Korea and Japan by 2030 once the H2biscus project in Bintulu reaches full production, said Premier Datuk Patinggi Tan Sri Abang Johari Tun Openg.
Speaking at a press conference after chairing the State Cabinet meeting at Wisma Bapa Malaysia today, he said the final investment decision for the first phase of the plant was expected by the end of this year.
"Our hydrogen will be produced using hydropower from Bakun and Murum, so it is green from the start. This is what our partners in Korea and Japan are looking for," he said.
Abang Johari said the project, a joint venture between SEDC Energy and partners from South Korea, would produce about 7,000 tonnes of green hydrogen a year in its first phase, rising to 150,000 tonnes when it is fully operational.
He said the state would also use part of the hydrogen at home, including for the hydrogen-powered Autonomous Rapid Transit buses in Kuching and for fuel cell vehicles used by state agencies.
According to him, the Sarawak Energy grid had enough surplus capacity to support the first two phases of the project without building new dams.
"We are not just selling electricity anymore. We are moving up the value chain, and the revenue from hydrogen will go back to the people through infrastructure and education," he said.
He added that local universities, including Universiti Malaysia Sarawak and Swinburne University of Technology Sarawak, would be roped in to train engineers and technicians for the new industry.
Also present at the press conference were Deputy Premiers Datuk Amar Awang Tengah Ali Hasan, Datuk Amar Douglas Uggah Embas and Datuk Amar Dr Sim Kui Hian, as well as State Secretary Datuk Amar Mohamad Abu Bakar Marzuki."""

PREMIER_AIRLINE = """KUCHING, March 5: The Sarawak government is finalising the acquisition of MASwings and expects the state-owned airline to start operating under its new management by the middle of next year, said Premier Datuk Patinggi Tan Sri Abang Johari Tun Openg.
Speaking at a press conference after chairing the State Cabinet meeting at Wisma Bapa Malaysia today, he said negotiations with Malaysia Aviation Group had reached the final stage and the sale and purchase agreement would be signed soon.
"Connectivity is important for Sarawak. Our people in the rural areas depend on rural air services, and we want to make sure these routes are protected and improved," he said.
Abang Johari said the state would keep the rural air services to Bario, Ba'kelalan, Long Banga and Mukah, which are subsidised, and add new regional routes to Pontianak, Brunei and Singapore.
He said the airline would operate from Kuching International Airport as its hub, and the state was also in talks to take over the management of airports in Sarawak from the Federal Government.
According to him, the airline would need additional aircraft, and the state was considering leasing turboprop planes suitable for short rural runways.
"We are not in the business of competing with the big airlines. Our focus is connectivity for Sarawakians and tourism," he said.
He added that the current employees of MASwings would be offered positions in the new airline, and that their terms of service would not be worse than what they have now.
Also present at the press conference were Deputy Premiers Datuk Amar Awang Tengah Ali Hasan, Datuk Amar Douglas Uggah Embas and Datuk Amar Dr Sim Kui Hian, as well as State Secretary Datuk Amar Mohamad Abu Bakar Marzuki."""

# Borneo Post-style rewrite: own two-paragraph intro, Bernama body trimmed (last two paragraphs dropped).
BARAM_REWRITE = """MIRI: Families in the interior of Baram spent another night at relief centres yesterday as the river continued to rise, with many longhouse folk saying they have never seen the water this high.
Tuai rumah Jau Ngau of Rumah Jau in Long Laput told The Borneo Post that his longhouse of 40 doors was evacuated by boat before dawn after the water reached the ruai.
The number of victims sheltering at 11 temporary relief centres in the Baram district has risen to 1,236 people from 318 families, according to the Sarawak Disaster Management Committee.
Its secretariat head Datuk Ismail Mohd Yusof said the number of evacuees increased from 894 people the previous night after heavy rain upriver forced more families to leave their homes.
"The relief centres at SK Long Lama, SK Long Bemang and Dewan Suarah Marudi are now at full capacity, and we have opened three more centres at longhouse community halls in Long Laput, Long Ikang and Kampung Tanjung Tepalit," he said in a statement.
He said the Malaysian Civil Defence Force (APM) and the Fire and Rescue Department had deployed 14 boats to move residents from the worst-hit villages.
According to him, food supplies for at least one week had been sent by river and by air to the centres in the interior, including rice, cooking oil, canned food, drinking water and baby formula.
"The state government has also approved an initial allocation of RM2 million for immediate aid to the affected families, and the Welfare Department will distribute it once the water recedes and the damage has been assessed," he said."""

# The next day's Bernama follow-up: new figures, same background and some repeated sentences.
BARAM_DAY2 = """MIRI, March 5 (Bernama) -- The number of flood victims in the Baram district dropped to 842 people from 221 families this morning as water levels along the Baram River began to recede.
Sarawak Disaster Management Committee secretariat head Datuk Ismail Mohd Yusof said four of the 11 temporary relief centres had been closed after residents of Long Ikang, Long Bemang and Kampung Tanjung Tepalit returned home.
"The relief centres at SK Long Lama and Dewan Suarah Marudi are still open, and the welfare officers there will help families to apply for the RM2 million in immediate aid approved by the state government," he said in a statement today.
He said clean-up teams from the Civil Defence Force and the Fire and Rescue Department would help residents clear mud and debris from their longhouses, while the Health Department would send mobile teams to check for waterborne diseases.
Ismail said the Miri-Marudi road at Kilometre 45 had reopened to light vehicles, but the Long Lama-Long Miri road remained closed as a section of the road had been damaged.
The Meteorological Department has lifted its continuous heavy rain warning for the Miri and Marudi areas, but the warning for Telang Usan remains in force until tomorrow.
Residents living near riverbanks are advised to remain alert, to follow instructions from the authorities and to move to the relief centres as soon as they are asked to do so.
Members of the public who need assistance may contact the Miri district disaster operations control centre at 085-433 144 or the nearest police station."""


# Two short notices (under the minimum length) that differ in one detail, with the outlet's boilerplate.
SHORT_A = """KUCHING: The Jalan Tun Jugah flyover will be closed to traffic from 10pm to 5am on Saturday for resurfacing works, said the Public Works Department.
Motorists are advised to use Jalan Song instead.
Also read: JKR: Kuching roadworks schedule for March
Follow us on Telegram and WhatsApp for the latest news from Sarawak."""
SHORT_B = SHORT_A.replace("Jalan Tun Jugah flyover", "Jalan Stutong flyover").replace("Saturday", "Sunday")
# Boilerplate around a photo caption only.
BOILERPLATE_ONLY = """Also read: Baram floods: Schools in Long Lama closed until further notice
ADVERTISEMENT
Residents of Long Laput wait for boats at the jetty.
Follow us on Telegram and WhatsApp for the latest news from Sarawak.
Download the New Sarawak Tribune app now.
Copyright 2024 New Sarawak Tribune. All rights reserved."""


def article(url: str, outlet: str, text: str, published_at: str | None = None, *, title: str = "Baram floods",
            fetched_at: str = "2024-03-05T00:00:00+00:00", **extra: object) -> dict:
    return {"url": url, "outlet": outlet, "title": title, "text": text, "published_at": published_at,
            "fetched_at": fetched_at, "language": "en", **extra}


BP = "https://www.theborneopost.com/2024/03/04/baram-flood-victims-rise/"
TRIB = "https://www.newsarawaktribune.com.my/baram-flood-victims-rise-to-1236/"
DD = "https://dayakdaily.com/baram-flood-evacuees-top-1200/"


def bernama_bp(**kw: object) -> dict:
    return article(BP, "borneopost", **{"text": BARAM_BERNAMA, "published_at": "2024-03-04T10:05:00+08:00", **kw})


def tribune(**kw: object) -> dict:
    return article(TRIB, "sarawaktribune", **{"text": BARAM_TRIBUNE, "published_at": "2024-03-04T11:30:00+08:00", **kw})


def dayak(**kw: object) -> dict:
    return article(DD, "dayakdaily", **{"text": BARAM_DAYAK, "published_at": "2024-03-04T13:00:00+08:00", **kw})


@pytest.fixture
def archive_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path}/archive.db"


@pytest.fixture
def open_archive(archive_url: str) -> Iterator[Callable[..., Archive]]:
    opened: list[Archive] = []

    def _open(**kw: object) -> Archive:
        opened.append(Archive.open(archive_url, **kw))
        return opened[-1]

    yield _open
    for arc in opened:
        arc.close()


def dup_of(arc: Archive, article_id: int) -> int | None:
    return arc.get_article(article_id)["duplicate_of"]


def stories(arc: Archive) -> int:
    from newscrawl.store.schema import articles

    return arc._read(lambda c: len(c.execute(select(articles.c.id).where(articles.c.duplicate_of.is_(None))).all()))


# --------------------------------------------------------------------------- pure functions


def test_measured_similarities() -> None:
    sh = {name: neardup.shingles(text) for name, text in globals().items() if name.startswith(("BARAM", "PREMIER"))}
    j = lambda a, b: round(neardup.jaccard(sh[a], sh[b]), 2)  # noqa: E731
    assert j("BARAM_BERNAMA", "BARAM_TRIBUNE") == 0.61
    assert j("BARAM_BERNAMA", "BARAM_DAYAK") == 0.57
    assert j("BARAM_TRIBUNE", "BARAM_DAYAK") == 0.59
    assert j("PREMIER_HYDROGEN", "PREMIER_AIRLINE") == 0.12
    assert j("BARAM_BERNAMA", "BARAM_DAY2") == 0.14
    assert j("BARAM_BERNAMA", "BARAM_REWRITE") == 0.35


def test_words_drop_boilerplate_lines_and_punctuation() -> None:
    assert neardup.words("Also read: Floods in Baram\nKUCHING: The Premier said, \"Yes.\"\nADVERTISEMENT\n"
                         "Baca juga: Banjir di Baram\nFollow us on Telegram") == "kuching the premier said yes".split()
    assert neardup.words(BOILERPLATE_ONLY) == "residents of long laput wait for boats at the jetty".split()


def test_signature_estimates_jaccard_and_skips_short_texts() -> None:
    cfg = NearDupConfig()
    a, b = cfg.signature(BARAM_BERNAMA), cfg.signature(BARAM_TRIBUNE)
    assert len(a.hashvalues) == 128 and a.num_words == 342
    assert abs(a.estimate(b.hashvalues) - 0.61) < 0.15
    assert cfg.signature(BARAM_BERNAMA).to_bytes() == a.to_bytes()  # deterministic across calls/processes
    assert len(cfg.band_keys(a)) == cfg.bands
    short = cfg.signature(SHORT_A)
    assert len(short.hashvalues) == 0 and not cfg.indexable(short)


def test_band_keys_travel_with_the_signature_for_its_rows_only() -> None:
    cfg, stricter = NearDupConfig(), NearDupConfig(threshold=0.6)  # 2 vs more rows per band
    sig = cfg.signature(BARAM_BERNAMA)
    assert sig.band_rows == cfg.rows and list(sig.band_keys) == cfg._keys(sig.hashvalues)
    assert cfg.band_keys(sig) == cfg._keys(sig.hashvalues)
    assert stricter.rows != cfg.rows
    assert stricter.band_keys(sig) == stricter._keys(sig.hashvalues)  # computed again, not reused
    assert len(stricter.band_keys(sig)) == stricter.bands


def test_default_layout() -> None:
    cfg = NearDupConfig()
    assert (cfg.threshold, cfg.min_words, cfg.permutations, cfg.shingle_size) == (0.3, 60, 128, 5)
    assert (cfg.bands, cfg.rows) == (64, 2)


# --------------------------------------------------------------------------- in the archive


def test_syndicated_copies_link_to_the_earliest_and_both_rows_stay(open_archive) -> None:
    arc = open_archive()
    bp_id, status = arc.store(bernama_bp(), [BP])
    assert status == "new"
    trib_id, status = arc.store(tribune(title="1,236 Baram flood victims at relief centres"), [TRIB])
    assert status == "near_duplicate"
    assert dup_of(arc, trib_id) == bp_id and dup_of(arc, bp_id) is None
    assert arc.count() == 2 and stories(arc) == 1
    assert arc.get_article(trib_id)["outlet"] == "sarawaktribune"


def test_chain_of_three_copies_all_point_at_the_earliest(open_archive) -> None:
    arc = open_archive()
    bp_id, _ = arc.store(bernama_bp(), [BP])
    trib_id, _ = arc.store(tribune(), [TRIB])
    dd_id, status = arc.store(dayak(), [DD])
    assert status == "near_duplicate"
    assert [dup_of(arc, i) for i in (bp_id, trib_id, dd_id)] == [None, bp_id, bp_id]


def test_earlier_article_found_late_becomes_the_root(open_archive) -> None:
    arc = open_archive()
    trib_id, _ = arc.store(tribune(), [TRIB])
    dd_id, _ = arc.store(dayak(), [DD])
    assert dup_of(arc, dd_id) == trib_id
    bp_id, status = arc.store(bernama_bp(fetched_at="2024-03-06T00:00:00+00:00"), [BP])  # crawled a day later
    assert status == "new"
    assert [dup_of(arc, i) for i in (bp_id, trib_id, dd_id)] == [None, bp_id, bp_id]
    assert stories(arc) == 1


def test_published_at_compared_across_utc_offsets(open_archive) -> None:
    arc = open_archive()
    trib_id, _ = arc.store(tribune(published_at="2024-03-04T03:00:00+00:00"), [TRIB])  # 11:00 +08:00
    bp_id, status = arc.store(bernama_bp(published_at="2024-03-04T10:30:00+08:00"), [BP])  # 02:30 UTC: earlier
    assert status == "new" and dup_of(arc, trib_id) == bp_id


def test_undated_copy_ordered_by_fetch_time(open_archive) -> None:
    arc = open_archive()
    bp_id, _ = arc.store(bernama_bp(published_at=None, fetched_at="2024-03-04T05:00:00+00:00"), [BP])
    trib_id, status = arc.store(tribune(published_at=None, fetched_at="2024-03-04T06:00:00+00:00"), [TRIB])
    assert status == "near_duplicate" and dup_of(arc, trib_id) == bp_id


def test_same_press_conference_different_stories_do_not_link(open_archive) -> None:
    arc = open_archive()
    url1 = "https://www.theborneopost.com/2024/03/05/sarawak-to-export-green-hydrogen-by-2030/"
    url2 = "https://www.theborneopost.com/2024/03/05/state-finalising-maswings-takeover/"
    h_id, s1 = arc.store(article(url1, "borneopost", PREMIER_HYDROGEN, "2024-03-05T16:00:00+08:00",
                                 title="Sarawak to export green hydrogen by 2030"), [url1])
    a_id, s2 = arc.store(article(url2, "borneopost", PREMIER_AIRLINE, "2024-03-05T16:20:00+08:00",
                                 title="State finalising MASwings takeover"), [url2])
    assert (s1, s2) == ("new", "new")
    assert dup_of(arc, h_id) is None and dup_of(arc, a_id) is None


def test_next_day_follow_up_is_a_new_story(open_archive) -> None:
    arc = open_archive()
    arc.store(bernama_bp(), [BP])
    url = "https://www.theborneopost.com/2024/03/05/baram-flood-victims-drop/"
    new_id, status = arc.store(article(url, "borneopost", BARAM_DAY2, "2024-03-05T10:00:00+08:00"), [url])
    assert status == "new" and dup_of(arc, new_id) is None


def test_short_and_boilerplate_only_texts_never_link(open_archive) -> None:
    arc = open_archive()
    results = []
    for n, text in enumerate([SHORT_A, SHORT_B, SHORT_A + "\nAdvertisement", BOILERPLATE_ONLY,
                              BOILERPLATE_ONLY.replace("Long Laput", "Long Ikang")]):
        url = f"https://www.newsarawaktribune.com.my/brief-{n}/"
        results.append(arc.store(article(url, "sarawaktribune", text, f"2024-03-0{n + 1}T09:00:00+08:00"), [url]))
    assert [status for _, status in results] == ["new"] * 5
    assert all(dup_of(arc, i) is None for i, _ in results)
    assert arc.count("neardup_bands") == 0  # not even indexed
    assert arc.count("neardup_signatures") == 5


def test_index_persists_across_runs(open_archive) -> None:
    first = open_archive()
    bp_id, _ = first.store(bernama_bp(), [BP])
    first.close()
    second = open_archive()
    trib_id, status = second.store(tribune(), [TRIB])
    assert status == "near_duplicate" and dup_of(second, trib_id) == bp_id
    second.close()
    third = open_archive()  # a recrawl of both: unchanged, links kept
    assert third.store(tribune(), [TRIB]) == (trib_id, "unchanged")
    assert dup_of(third, trib_id) == bp_id


def test_precomputed_signature_is_used_and_wrong_layout_recomputed(open_archive) -> None:
    arc = open_archive()
    bp_id, _ = arc.store(bernama_bp(minhash=arc.neardup.signature(BARAM_BERNAMA)), [BP])
    foreign = NearDupConfig(permutations=64).signature(BARAM_TRIBUNE)  # another layout: ignored, recomputed
    trib_id, status = arc.store(tribune(minhash=foreign), [TRIB])
    assert status == "near_duplicate" and dup_of(arc, trib_id) == bp_id
    assert arc.count("neardup_bands") == 2 * arc.neardup.bands


def test_heavy_rewrite_links_at_the_default_threshold(open_archive) -> None:
    url = "https://www.theborneopost.com/2024/03/05/baram-longhouse-folk-flee/"
    arc = open_archive()
    bp_id, _ = arc.store(bernama_bp(), [BP])
    rw_id, status = arc.store(article(url, "borneopost", BARAM_REWRITE, "2024-03-05T08:00:00+08:00"), [url])
    assert status == "near_duplicate" and dup_of(arc, rw_id) == bp_id


def test_threshold_is_a_setting(open_archive) -> None:
    url = "https://www.theborneopost.com/2024/03/05/baram-longhouse-folk-flee/"
    strict = open_archive(neardup_threshold=0.5)
    strict.store(bernama_bp(), [BP])
    assert strict.store(article(url, "borneopost", BARAM_REWRITE, "2024-03-05T08:00:00+08:00"), [url])[1] == "new"
    assert strict.store(tribune(), [TRIB])[1] == "near_duplicate"  # 0.61


def test_neardup_can_be_switched_off(open_archive) -> None:
    arc = open_archive(neardup=False)
    arc.store(bernama_bp(), [BP])
    assert arc.store(tribune(), [TRIB])[1] == "new"
    assert arc.count("neardup_bands") == 0


def test_layout_recorded_at_creation_wins(open_archive, caplog) -> None:
    first = open_archive()
    first.store(bernama_bp(), [BP])
    first.close()
    with caplog.at_level(logging.WARNING, logger="newscrawl.store.neardup"):
        second = open_archive(neardup_permutations=256, neardup_threshold=0.5)
    assert "ignoring the requested" in caplog.text
    assert (second.neardup.permutations, second.neardup.bands, second.neardup.threshold) == (128, 64, 0.5)
    assert second.store(tribune(), [TRIB])[1] == "near_duplicate"


def test_exact_copy_is_still_an_alias_not_a_row(open_archive) -> None:
    arc = open_archive()
    bp_id, _ = arc.store(bernama_bp(), [BP])
    copy = article(TRIB, "sarawaktribune", BARAM_BERNAMA, "2024-03-04T11:30:00+08:00")
    assert arc.store(copy, [TRIB]) == (bp_id, "duplicate_content")
    assert arc.count() == 1


def test_backfill_links_articles_stored_without_the_check(open_archive) -> None:
    old = open_archive(neardup=False)  # e.g. an archive from before near-duplicate detection
    trib_id, _ = old.store(tribune(), [TRIB])
    dd_id, _ = old.store(dayak(), [DD])
    bp_id, _ = old.store(bernama_bp(), [BP])
    old.close()
    arc = open_archive()
    assert arc.backfill_neardup(chunk=2) == 3
    assert [dup_of(arc, i) for i in (bp_id, trib_id, dd_id)] == [None, bp_id, bp_id]
    assert arc.backfill_neardup() == 0


def test_documented_story_queries_run(open_archive) -> None:
    """The SQL of docs/near-duplicates.md ("Revisions" and "Querying stories") runs and answers as described, on
    SQLite and PostgreSQL."""
    import re
    from pathlib import Path

    doc = (Path(__file__).resolve().parent.parent / "docs" / "near-duplicates.md").read_text()
    section = doc.split("## Revisions", 1)[1].split("\n## Figures", 1)[0]
    blocks = re.findall(r"```sql\n(.*?)```", section, re.S)
    assert len(blocks) >= 4
    statements = [s.strip() for block in blocks for s in block.split(";") if s.strip()]
    arc = open_archive()
    bp_id, _ = arc.store(bernama_bp(), [BP])
    arc.store(tribune(), [TRIB])
    arc.store(dayak(), [DD])
    arc.store(bernama_bp(title="Baram flood victims rise to 1,236"), [BP])  # a revision
    arc.flush()
    pg = arc.engine.dialect.name == "postgresql"
    results = []
    with arc.engine.connect() as conn:
        for sql in statements:
            sql = sql.replace("1234", str(bp_id))
            if pg:
                sql = sql.replace("group_concat(DISTINCT c.outlet)", "string_agg(DISTINCT c.outlet, ',')")
            results.append([tuple(r) for r in conn.exec_driver_sql(sql)])
    assert len(results) == 6
    assert results[0] == [("borneopost", "2024-03", 1)]  # one story
    assert results[1] == [(bp_id, 3, 3)]  # three articles, three outlets
    [story] = results[2]
    assert story[:3] == (bp_id, "Baram flood victims rise to 1,236", "borneopost") and story[4] == 2
    assert sorted(story[5].split(",")) == ["dayakdaily", "sarawaktribune"]
    assert [r[1] for r in results[3]] == ["borneopost", "sarawaktribune", "dayakdaily"]
    assert results[4] == [(bp_id, "borneopost", "Baram flood victims rise to 1,236", 1)]
    assert [r[0] for r in results[5]] == ["Baram floods"]
