"""A labelled same-story evaluation: pairs of articles, each a copy of one story or two different stories.

Classes (every pair is English or Malay):

* ``wire_edit`` (same story): a Bernama story and another outlet's re-edit of it: the dateline rewritten (often
  to the outlet's own city), a new headline, one sentence copy-edited (a quote attribution reworded, figures
  written the outlet's way: "RM2 million" -> "RM2mil"), one paragraph re-phrased, sometimes the outlet's own
  intro paragraph added or the last paragraphs cut, "Also read" lines and the outlet's footer.
* ``templated`` (different stories): two stories one outlet wrote in its stock format (contractor warned,
  flood victims rise, man charged over drugs, fatal crash, grants handed out...) about different events:
  other districts, people, figures and dates, with the stock phrasing mostly shared and sometimes a fact shared
  too (the same minister, the same road).
* ``same_event`` (different stories): two stories about one event: the same place, people and day, a
  different angle (the minister's second project at the same site visit), or the next update of the same
  story with new figures (victims at 4pm vs 10am, a second warning letter).

Deterministic: ``pairs(seed)`` always returns the same texts. Nothing here is drawn from the replica
(tests/replica/), whose generated articles are written to share as few words as possible; these share many.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from tests.story_eval.templates import DISTRICTS, FORMATS, MONTHS, MONTHS_MS, Format

OUTLETS = {"en": ["borneopost", "dayakdaily", "sarawaktribune", "thestar"],
           "ms": ["utusanborneo", "suarasarawak", "beritaharian"]}
FOOTERS = {"borneopost": "Follow us on Telegram for the latest news from Sarawak.",
           "dayakdaily": "-- DayakDaily", "sarawaktribune": "Download the New Sarawak Tribune app now.",
           "thestar": "Stay up to date with the latest news, follow The Star on WhatsApp Channels.",
           "utusanborneo": "Ikuti kami di Telegram untuk berita terkini.", "suarasarawak": "",
           "beritaharian": "Baca juga: Berita terkini di laman kami"}
READ_ALSO = {"en": "Also read: {place} council to repair drains before monsoon",
             "ms": "Baca juga: Majlis {place} baiki longkang sebelum monsun"}
# The outlet's own intro, written on top of a wire story.
OWN_INTRO = {"en": "Residents of {place} said they had been waiting for news since the weekend, a check by this "
                   "newspaper found.",
             "ms": "Tinjauan akhbar ini mendapati penduduk {place} tertunggu-tunggu perkembangan terkini sejak "
                   "hujung minggu."}
CLASSES = ("wire_edit", "templated", "same_event")
SAME_STORY = {"wire_edit": True, "templated": False, "same_event": False}


@dataclass(frozen=True)
class Article:
    title: str
    text: str
    outlet: str
    language: str


@dataclass(frozen=True)
class Pair:
    kind: str  # one of CLASSES
    fmt: str
    a: Article
    b: Article

    @property
    def same_story(self) -> bool:
        return SAME_STORY[self.kind]


# --------------------------------------------------------------------------- rendering

def _dateline(fmt: Format, facts: dict, rng: random.Random, wire: bool) -> str:
    where = (facts.get("town") or facts.get("place") or rng.choice(DISTRICTS)).upper()
    if not wire:
        return f"{where}: "
    day = rng.randint(1, 28)
    if fmt.language == "ms":
        return f"{where}, {day} {rng.choice(MONTHS_MS)} (Bernama) -- "
    return f"{where}, {rng.choice(MONTHS)[:3]} {day} (Bernama) -- "


def _render(fmt: Format, facts: dict, choices: list[int], keep: list[int]) -> list[str]:
    return [fmt.paragraphs[i][choices[i]].format(**facts) for i in keep]


def _house_choices(fmt: Format, rng: random.Random, house: int) -> list[int]:
    """An outlet mostly writes a format its own way (phrasing ``house``), now and then the other way."""
    return [house % len(p) if rng.random() < 0.75 else rng.randrange(len(p)) for p in fmt.paragraphs]


def _keep(fmt: Format, rng: random.Random) -> list[int]:
    return [i for i in range(len(fmt.paragraphs)) if i not in fmt.optional or rng.random() < 0.6]


def _title(fmt: Format, facts: dict, rng: random.Random, avoid: str | None = None) -> str:
    options = [h.format(**facts) for h in fmt.headline]
    options = [h for h in options if h != avoid] or options
    return rng.choice(options)


def _story(fmt: Format, facts: dict, rng: random.Random, outlet: str, house: int, *, wire: bool = False) -> Article:
    paras = _render(fmt, facts, _house_choices(fmt, rng, house), _keep(fmt, rng))
    paras[0] = _dateline(fmt, facts, rng, wire) + paras[0]
    if not wire and FOOTERS[outlet]:
        paras.append(FOOTERS[outlet])
    return Article(_title(fmt, facts, rng), "\n".join(paras), outlet, fmt.language)


# --------------------------------------------------------------------------- copy-editing a wire story

EDITS_EN = [(r"\bsaid\b", "told reporters"), (r" per cent\b", "%"), (r" million\b", "mil"),
            (r"\btoday\b", "yesterday"), (r"\bhe said\b", "he added"), (r"\bthe\b", "this")]
EDITS_MS = [(r"\bkatanya\b", "ujarnya"), (r" juta\b", "j"), (r"\bhari ini\b", "semalam"),
            (r"\bberkata\b", "memberitahu"), (r" peratus\b", "%"), (r"\bitu\b", "tersebut")]


def _copy_edit(sentence: str, rng: random.Random, language: str) -> str:
    """One sentence edited the way a sub-editor does: a verb or a figure's style changed, a clause cut."""
    edits = [e for e in (EDITS_MS if language == "ms" else EDITS_EN) if re.search(e[0], sentence)]
    for pattern, repl in rng.sample(edits, min(len(edits), 2)):
        sentence = re.sub(pattern, repl, sentence, count=1)
    if "," in sentence and rng.random() < 0.5:  # cut the last clause
        head, _, _ = sentence.rpartition(",")
        if len(head.split()) >= 8:
            sentence = head + "."
    return sentence


def _refigure_one(paragraphs: list[str], rng: random.Random) -> list[str]:
    spots = [(i, m) for i, p in enumerate(paragraphs) for m in re.finditer(r"\b\d+\b", p)]
    if not spots:
        return paragraphs
    i, m = rng.choice(spots)
    changed = str(int(m.group()) + rng.choice([-2, -1, 1, 2, 10]))
    return [*paragraphs[:i], paragraphs[i][:m.start()] + changed + paragraphs[i][m.end():], *paragraphs[i + 1:]]


def _wire_copy(fmt: Format, facts: dict, rng: random.Random, outlet: str) -> tuple[Article, Article]:
    """(the Bernama original, another outlet's re-edit of it)."""
    choices = [rng.randrange(len(p)) for p in fmt.paragraphs]
    keep = list(range(len(fmt.paragraphs)))
    original = _render(fmt, facts, choices, keep)
    wire_text = [_dateline(fmt, facts, rng, wire=True) + original[0], *original[1:]]
    wire = Article(_title(fmt, facts, rng), "\n".join(wire_text), "bernama", fmt.language)

    copy = list(original)
    # one paragraph re-phrased (the other way of saying it), one sentence copy-edited
    para, sent = rng.sample(range(1, len(copy)), 2)
    alt = (choices[para] + 1) % len(fmt.paragraphs[para])
    copy[para] = fmt.paragraphs[para][alt].format(**facts)
    copy[sent] = _copy_edit(copy[sent], rng, fmt.language)
    if rng.random() < 0.3:  # a figure corrected or rounded by the second outlet ("14 boats" -> "16 boats")
        copy = _refigure_one(copy, rng)
    # the dateline: the outlet's style, sometimes filed from its own city
    if rng.random() < 0.3:
        where = rng.choice(["KUCHING", "SIBU", "MIRI", "BINTULU"])
        copy[0] = f"{where}: " + copy[0]
    else:
        copy[0] = _dateline(fmt, facts, rng, wire=False) + copy[0]
    if rng.random() < 0.4 and len(copy) > 5:  # the end cut to fit
        copy = copy[:len(copy) - rng.randint(1, 2)]
    if rng.random() < 0.25:
        copy.insert(0, OWN_INTRO[fmt.language].format(**{"place": facts.get("place", "the town"), **facts}))
    copy.insert(min(3, len(copy)), READ_ALSO[fmt.language].format(place=rng.choice(DISTRICTS)))
    if FOOTERS[outlet]:
        copy.append(FOOTERS[outlet])
    return wire, Article(_title(fmt, facts, rng, avoid=wire.title), "\n".join(copy), outlet, fmt.language)


# --------------------------------------------------------------------------- hard negatives

NAMED = ("place", "town", "minister", "official", "engineer", "rep", "accused", "victim", "chief", "magistrate",
         "prosecutor", "village", "village2", "road", "seat", "agency", "hall", "station")


def _refigure(fmt: Format, facts: dict, rng: random.Random) -> dict:
    """The same event's facts with new figures (the next update): every slot holding a number is drawn again."""
    fresh = fmt.facts(rng)
    return {k: (fresh[k] if re.search(r"\d", str(v)) and k not in NAMED else v) for k, v in facts.items()}


def _templated(fmt: Format, rng: random.Random, outlet: str, house: int) -> tuple[Article, Article]:
    one, two = fmt.facts(rng), fmt.facts(rng)
    for k in NAMED:  # now and then one fact is shared: the same minister, road or hall in both stories
        if k in one and k != "place" and rng.random() < 0.15:
            two[k] = one[k]
    if two.get("place") == one.get("place"):
        two["place"] = rng.choice([d for d in DISTRICTS if d != one["place"]])
    return _story(fmt, one, rng, outlet, house), _story(fmt, two, rng, outlet, house)


def _same_event(fmt: Format, rng: random.Random, outlet: str, house: int) -> tuple[Article, Article]:
    facts = fmt.facts(rng)
    if rng.random() < 0.5:  # the next update of the story: same names, new figures
        later = _refigure(fmt, facts, rng)
    else:  # another angle from the same event: same place, people and day, other subject and figures
        later = {**_refigure(fmt, facts, rng), **{k: v for k, v in fmt.facts(rng).items()
                                                   if k not in NAMED and not re.search(r"\d", str(v))}}
        for k in ("place", "town", "minister", "official", "rep", "chief", "weekday"):
            if k in facts:
                later[k] = facts[k]
    return _story(fmt, facts, rng, outlet, house), _story(fmt, later, rng, outlet, house)


def pair(kind: str, fmt: Format, rng: random.Random) -> Pair:
    outlet = rng.choice(OUTLETS[fmt.language])
    house = rng.randrange(2)
    if kind == "wire_edit":
        a, b = _wire_copy(fmt, fmt.facts(rng), rng, outlet)
    elif kind == "templated":
        a, b = _templated(fmt, rng, outlet, house)
    else:
        a, b = _same_event(fmt, rng, outlet, house)
    return Pair(kind, fmt.name, a, b)


def pairs(seed: int = 11, per_format: dict[str, int] | None = None) -> list[Pair]:
    """The labelled set: ``per_format[kind]`` pairs of each class for every format (English and Malay)."""
    per_format = per_format or {"wire_edit": 30, "templated": 40, "same_event": 25}
    rng = random.Random(seed)
    return [pair(kind, fmt, rng) for fmt in FORMATS for kind in CLASSES for _ in range(per_format[kind])]
