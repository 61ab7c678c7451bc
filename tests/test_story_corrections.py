"""Story groups researchers can see and correct: the recorded evidence, `newscrawl story link/unlink/recheck`,
corrections that later stores and re-checks obey, an article matching two groups, re-checked roots.

tests/test_neardup_postgres.py runs every test taking ``open_archive`` again on PostgreSQL.
"""

from __future__ import annotations

import json

from click.testing import CliRunner
from sqlalchemy import select, text

from newscrawl.cli import main
from newscrawl.store.schema import story_corrections, story_links
from tests.story_eval.corpus import pairs
from tests.test_neardup import (  # noqa: F401 (fixtures)
    BARAM_BERNAMA,
    BARAM_DAY2,
    BARAM_TRIBUNE,
    BP,
    DD,
    PREMIER_AIRLINE,
    PREMIER_HYDROGEN,
    TRIB,
    archive_url,
    article,
    bernama_bp,
    dayak,
    dup_of,
    open_archive,
    tribune,
)

HYDRO = "https://www.theborneopost.com/2024/03/05/sarawak-to-export-green-hydrogen-by-2030/"
AIR = "https://www.theborneopost.com/2024/03/05/state-finalising-maswings-takeover/"


def cli(url: str, *args: str):
    return CliRunner().invoke(main, [*args, "--archive", url])


def links(arc) -> dict[int, tuple]:
    rows = arc._read(lambda c: c.execute(select(story_links.c.article_id, story_links.c.root_id,
                                                story_links.c.matched_id, story_links.c.decided_by)).all())
    return {r.article_id: (r.root_id, r.matched_id, r.decided_by) for r in rows}


def evidence(arc, article_id: int) -> dict:
    return json.loads(arc._read(lambda c: c.execute(select(story_links.c.evidence).where(
        story_links.c.article_id == article_id)).scalar_one()))


def test_a_link_records_why(open_archive) -> None:  # noqa: F811
    arc = open_archive()
    bp_id, _ = arc.store(bernama_bp(), [BP])
    trib_id, _ = arc.store(tribune(), [TRIB])
    assert links(arc) == {trib_id: (bp_id, bp_id, "check")}
    ev = evidence(arc, trib_id)
    assert ev["same"] is True and ev["reason"] == "shared wording, names and figures"
    assert round(ev["jaccard"], 2) == 0.61 and ev["names"] == 1.0 and ev["figures"] == 0.8
    assert {"baram", "ismail", "marudi"} <= set(ev["shared_names"])
    assert ev["shared_figures"] == ["14", "2", "45", "894"]


def test_show_says_why_two_rows_are_one_story(open_archive, archive_url) -> None:  # noqa: F811
    arc = open_archive()
    bp_id, _ = arc.store(bernama_bp(), [BP])
    trib_id, _ = arc.store(tribune(), [TRIB])
    arc.close()
    res = cli(archive_url, "show", str(trib_id), "--no-text")
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    why = lines[lines.index("Why one story:") + 1]
    assert why.startswith(f"  [{trib_id}] copy of {bp_id}: score 0.80 (wording 0.61, names 1.00, figures 0.80); "
                          "shared wording, names and figures; decided by check 20")
    assert "      shared figures: 14, 2, 45, 894" in lines
    assert "      figures in one only: 11, 1200, 1236, 144, 318, 433, 85" in lines
    as_json = json.loads(cli(archive_url, "show", str(bp_id), "--format", "json").stdout)
    assert [(w["article_id"], w["decided_by"]) for w in as_json["why"]["links"]] == [(trib_id, "check")]


def test_unlink_is_kept_when_the_copy_changes_and_on_recheck(open_archive, archive_url) -> None:  # noqa: F811
    arc = open_archive()
    bp_id, _ = arc.store(bernama_bp(), [BP])
    trib_id, _ = arc.store(tribune(), [TRIB])
    arc.close()
    res = cli(archive_url, "story", "unlink", str(trib_id), "--note", "Tribune's own report")
    assert (res.exit_code, res.stdout) == (0, f"unlinked {trib_id} from {bp_id}: it is a story of its own\n")
    arc = open_archive()
    assert dup_of(arc, trib_id) is None and links(arc) == {}
    edited = BARAM_TRIBUNE.replace("14 boats", "15 boats")
    assert arc.neardup.verdict(edited, BARAM_BERNAMA).same  # the check alone would link it again...
    assert arc.store(tribune(text=edited), [TRIB]) == (trib_id, "updated")
    assert dup_of(arc, trib_id) is None  # ...the correction keeps it apart
    assert arc.story_recheck() == (0, 0) and dup_of(arc, trib_id) is None
    rows = arc._read(lambda c: c.execute(select(story_corrections.c.action, story_corrections.c.article_id,
                                                story_corrections.c.other_id, story_corrections.c.note)).all())
    assert [tuple(r) for r in rows] == [("unlink", trib_id, bp_id, "Tribune's own report")]


def test_unlinking_the_root_rechecks_the_rest(open_archive) -> None:  # noqa: F811
    arc = open_archive()
    bp_id, _ = arc.store(bernama_bp(), [BP])
    trib_id, _ = arc.store(tribune(), [TRIB])
    dd_id, _ = arc.store(dayak(), [DD])
    assert [dup_of(arc, i) for i in (trib_id, dd_id)] == [bp_id, bp_id]
    assert arc.story_unlink(bp_id) == [trib_id, dd_id]
    assert [dup_of(arc, i) for i in (bp_id, trib_id, dd_id)] == [None, None, trib_id]  # Tribune is the new root
    assert links(arc) == {dd_id: (trib_id, trib_id, "recheck")}
    dd_again, status = arc.store(bernama_bp(text=BARAM_BERNAMA + "\nMore updates later."), [BP])
    assert (dd_again, status) == (bp_id, "updated") and dup_of(arc, bp_id) is None  # still not with its copies


def test_link_joins_two_stories_for_good(open_archive, archive_url) -> None:  # noqa: F811
    arc = open_archive()
    h_id, _ = arc.store(article(HYDRO, "borneopost", PREMIER_HYDROGEN, "2024-03-05T16:00:00+08:00"), [HYDRO])
    a_id, _ = arc.store(article(AIR, "borneopost", PREMIER_AIRLINE, "2024-03-05T16:20:00+08:00"), [AIR])
    assert dup_of(arc, a_id) is None
    arc.close()
    res = cli(archive_url, "story", "link", str(a_id), str(h_id))
    assert (res.exit_code, res.stdout) == (0, f"linked {a_id} and {h_id}: story {h_id} now has 2 articles "
                                              f"({h_id}, {a_id})\n")
    arc = open_archive()
    assert dup_of(arc, a_id) == h_id and links(arc) == {a_id: (h_id, h_id, "researcher")}
    assert arc.story_recheck() == (1, 0) and dup_of(arc, a_id) == h_id
    changed = article(AIR, "borneopost", PREMIER_AIRLINE + "\nThe agreement is to be signed in April.",
                      "2024-03-05T16:20:00+08:00")
    assert arc.store(changed, [AIR]) == (a_id, "updated") and dup_of(arc, a_id) == h_id
    assert "linked by a researcher" in cli(archive_url, "show", str(a_id)).stdout


def test_a_copy_matching_two_groups_joins_the_best_and_keeps_it(open_archive) -> None:  # noqa: F811
    arc = open_archive()
    bp_id, _ = arc.store(bernama_bp(), [BP])
    trib_id, _ = arc.store(tribune(), [TRIB])
    arc.story_unlink(trib_id)  # two groups now, both like the DayakDaily copy
    dd_id, _ = arc.store(dayak(), [DD])
    with_bp = arc.neardup.verdict(dayak()["text"], BARAM_BERNAMA).score
    with_trib = arc.neardup.verdict(dayak()["text"], BARAM_TRIBUNE).score
    best, other = (bp_id, trib_id) if with_bp >= with_trib else (trib_id, bp_id)
    assert dup_of(arc, dd_id) == best
    assert evidence(arc, dd_id)["also_matched_roots"] == [other]  # the choice is recorded with the alternative
    arc.store(dayak(text=dayak()["text"] + "\nRoads to Long Lama remain closed."), [DD])
    assert dup_of(arc, dd_id) == best  # decided once: a changed copy keeps its group while it still matches


def test_a_replaced_root_rechecks_its_copies(open_archive) -> None:  # noqa: F811
    arc = open_archive()
    trib_id, _ = arc.store(tribune(), [TRIB])
    dd_id, _ = arc.store(dayak(), [DD])
    bp_id, _ = arc.store(bernama_bp(fetched_at="2024-03-06T00:00:00+00:00"), [BP])  # earlier, found late
    assert links(arc) == {trib_id: (bp_id, bp_id, "recheck"), dd_id: (bp_id, bp_id, "recheck")}


def test_a_corrected_root_that_became_another_story_lets_its_copies_go(open_archive) -> None:  # noqa: F811
    arc = open_archive()
    bp_id, _ = arc.store(bernama_bp(), [BP])
    trib_id, _ = arc.store(tribune(), [TRIB])
    dd_id, _ = arc.store(dayak(), [DD])
    # the outlet replaced the page with the next day's story: the copies no longer copy the root
    assert arc.store(bernama_bp(text=BARAM_DAY2, fetched_at="2024-03-06T00:00:00+00:00"), [BP])[1] == "updated"
    assert [dup_of(arc, i) for i in (bp_id, trib_id, dd_id)] == [None, None, trib_id]


def test_recheck_undoes_links_of_the_wording_only_rule(open_archive, archive_url) -> None:  # noqa: F811
    templated = [p for p in pairs() if p.kind == "templated"]
    old = open_archive(neardup_min_names=0.0, neardup_min_figures=0.0)  # the rule of earlier versions
    ids = []
    for n, p in enumerate(templated[:24]):
        for m, art in enumerate((p.a, p.b)):
            url = f"https://{art.outlet}.example/{n}-{m}/"
            ids.append(old.store(article(url, art.outlet, art.text, f"2024-03-{n % 28 + 1:02d}T0{m}:00:00+08:00",
                                         title=art.title), [url])[0])
    linked_before = sum(dup_of(old, i) is not None for i in ids)
    assert linked_before >= 10  # many different stories folded together
    old.close()
    with open_archive().engine.begin() as conn:  # an archive from before the story tables
        conn.execute(text("DROP TABLE story_links"))
        conn.execute(text("DROP TABLE story_corrections"))
    res = cli(archive_url, "story", "recheck")
    assert res.exit_code == 0, res.output
    assert res.stdout.endswith(f" story groups: {linked_before} copies are now stories of their own\n")
    arc = open_archive()
    assert [i for i in ids if dup_of(arc, i) is not None] == []


def test_story_commands_reject_bad_ids(open_archive, archive_url) -> None:  # noqa: F811
    arc = open_archive()
    bp_id, _ = arc.store(bernama_bp(), [BP])
    arc.close()
    assert (cli(archive_url, "story", "unlink", "999").exit_code,
            cli(archive_url, "story", "unlink", "999").stderr) == (2, "Error: no article with id 999 in the archive\n")
    res = cli(archive_url, "story", "unlink", str(bp_id))
    assert (res.exit_code, res.stderr) == (2, f"Error: article {bp_id} is not in a story group with another "
                                              "article\n")
    res = cli(archive_url, "story", "link", str(bp_id), str(bp_id))
    assert (res.exit_code, res.stderr) == (2, f"Error: article {bp_id} cannot be linked to or unlinked from "
                                              "itself\n")
