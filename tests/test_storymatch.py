"""The same-story decision's parts: which words count as names and figures, and how the rule uses them."""

from __future__ import annotations

from newscrawl.store.storymatch import Facts, Rule, facts

WIRE = ("KAPIT, March 4 (Bernama) -- The Public Works Department (JKR) has issued a second warning letter to "
        "the contractor of the RM12.5 million bridge in Song, said Datuk Nanta Tedong on Monday.\n"
        "Initial investigations found 1,236 piles were short. Witnesses said the works were 43 per cent late.\n"
        "Also read: Kapit council to repair drains\n"
        "Follow us on Telegram for the latest news from Sarawak.")


def test_names_leave_out_dateline_honorifics_calendar_and_sentence_starts() -> None:
    f = facts(WIRE)
    # "Works" is left out too: the text also uses "works" as a common word ("the works were late")
    assert f.names == {"public", "department", "jkr", "song", "nanta", "tedong"}
    assert f.figures == {"125", "1236", "43"}  # RM12.5 million -> 125, 1,236 -> 1236; the dateline's 4 is gone


def test_outlet_datelines_and_figure_styles_normalise_alike() -> None:
    copy = WIRE.replace("KAPIT, March 4 (Bernama) -- ", "SIBU: ").replace("RM12.5 million", "RM12.5mil")
    assert facts(copy) == facts(WIRE)


def _f(names: str, figures: str) -> Facts:
    return Facts(frozenset(names.split()), frozenset(figures.split()))


def test_rule_allows_one_corrected_figure_and_a_rounding_not_two_changes() -> None:
    rule = Rule()
    base = _f("ismail baram marudi apm jkr", "1236 318 14 894 45")
    corrected = _f("ismail baram marudi apm jkr", "1200 318 16 894 45")  # "more than 1,200" and 14 -> 16
    assert rule.decide(0.6, base, corrected).same
    two_changed = _f("ismail baram marudi apm jkr", "1236 318 16 894 47")
    verdict = rule.decide(0.6, base, two_changed)
    assert (verdict.same, verdict.reason) == (False, "different figures")


def test_rule_needs_wording_and_names() -> None:
    rule = Rule()
    a = _f("ismail baram marudi apm jkr", "1236 318")
    assert rule.decide(0.29, a, a).reason == "too little shared wording"
    other_place = _f("ismail song kapit belaga jkr", "1236 318")
    assert rule.decide(0.5, a, other_place).reason == "different names"
    assert Rule(min_names=0, min_figures=0).decide(0.5, a, other_place).same  # the wording-only rule
