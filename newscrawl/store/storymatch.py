"""The same-story decision: are two texts that share wording one story, or two stories told the same way?

Shared wording (word-shingle Jaccard, :mod:`newscrawl.store.neardup`) finds candidates but cannot tell a re-edited
wire story from two reports an outlet wrote in its stock format about different events: "contractor warned over
delays" in Kapit and in Song share most of their phrasing. What tells stories apart is what they are about:
the people and places named, and the figures. So two texts are one story when they share enough wording AND
agree on those facts:

* names: capitalised words (people, places, agencies), the dateline removed (a re-editing outlet rewrites it),
  honorifics, months, weekdays and sentence-initial function words left out;
* figures: every number, written without separators ("1,236" = "1236", "RM2 million" = "RM2mil" = "2").

Agreement is the overlap coefficient |A & B| / min(|A|, |B|): a copy whose end was cut, or that gained an own
intro, still agrees on everything the shorter text says. Two texts agreeing on both are one story when their
Jaccard is at least ``min_jaccard``; texts naming almost nothing are decided on that wording alone (nothing
contradicts it). A text naming only one or two people, or giving few figures, may differ in one of each (a
footer's names, a corrected figure).
The defaults were chosen on the labelled hard negatives of tests/story_eval (docs/near-duplicates.md, "Choosing
the method"; bench/dedup.py prints the per-class figures, tests/test_story_eval.py pins them).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from newscrawl.text import cjk_share

# Defaults, chosen by measurement (docs/near-duplicates.md "Choosing the method").
DEFAULT_MIN_JACCARD = 0.3  # wording a copy keeps at least (re-edited wire copies measured 0.31-0.84)
DEFAULT_MIN_NAMES = 0.7  # share of the names of the text that names fewer that the other names too ...
NAME_SLACK = 1  # ... or all but this many: a text naming one or two people is not judged on a footer's names
DEFAULT_MIN_FIGURES = 0.8  # the same for figures ...
FIGURE_SLACK = 1  # ... or all but this many: one corrected figure ("14 boats" -> "16 boats")
ROUNDING = 0.05  # figures of 100 and more this close are one figure rounded ("more than 1,200" for 1,236)
MIN_FACTS = 4  # fewer names + figures than this and the facts say too little to decide on: wording alone

SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+|\n+")
# words (letters, inner apostrophes and hyphens) and numbers apart: "RM2.5" is "RM" and "25", "4pm" is "4", "pm"
TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*|\d[\d.,]*\d|\d")
# "KUCHING, March 4 (Bernama) -- ", "MIRI: ", "KAPIT, 4 Mac (Bernama) -" at the start of a text
DATELINE = re.compile(r"^\s*[A-Z][A-Z .'’-]{1,40}(?:,[^:\n]{0,40}?\(\w+\)\s*[-–—]+|:)\s*")
# Capitalised words that name no one: titles and honorifics, calendar words, function words at sentence start.
NOT_NAMES = frozenset("""
datuk datu dato dato' datin tan sri seri amar patinggi dr ir mr mrs ms madam encik puan cik tuan haji hajah
haji ustaz professor profesor councillor superintendent inspector assemblyman anak bin binti bte
january february march april may june july august september october november december
januari februari mac mei jun julai ogos oktober disember jan feb mar apr jun jul aug sep sept oct nov dec
monday tuesday wednesday thursday friday saturday sunday isnin selasa rabu khamis jumaat sabtu ahad
the a an he she it they we i you his her their its this that these those in on at of for to from by with as and
but or if when while after before according also meanwhile however speaking other members there
dia beliau mereka kami kita ini itu di ke dari pada dengan dan atau jika selepas sebelum menurut katanya
tambahnya menurutnya ujarnya tinjauan sementara selain namun bagaimanapun seramai seorang jumlah semua orang
kesalahan tertuduh bercakap rakyat kelewatan jurutera pendakwaan
bernama also read baca juga follow ikuti download stay rm sen pm am km
""".split())

# Chinese text (most letters CJK): "（古晋4日讯）" / "(诗巫18日讯)" dateline; names by their neighbours (cjk_facts).
CJK_TEXT_SHARE = 0.5
CJK_DATELINE = re.compile(r"^\s*[（(][^）)\n]{1,20}讯[）)]\s*")
_HAN = "[\u4e00-\u9fff]"
CJK_NAME = re.compile(
    f"({_HAN}{{2}})(?=市|省|州|县|區|区|镇|村|岛|河|路|港|机场|医院|警区|法庭)"
    f"|(?:拿督斯里|拿督|丹斯里|拿汀|天猛公|本固鲁|博士|医生)({_HAN}{{2}})"
    f"|({_HAN}{{2}})(?=表示|指出|强调|透露|披露|说|称)")
# pairs the neighbours above catch that name no one: pronouns, titles and function words
CJK_NOT_NAMES = frozenset("""他们 她们 我们 部长 局长 主席 州长 首长 议员 官员 警方 当局 政府 当地 这个 该局 该部 发言人 负责人 居民
他也 她也 他还 她还 同时 并且 此外 另外 今天 昨天 该州 本州 全州 全国 地方 城市 各省 该省 此前 随后 他在 她在""".split())
NUMBER = re.compile(r"\d[\d.,]*\d|\d")


@dataclass(frozen=True)
class Facts:
    """What a text is about: its names and its figures, normalised."""

    names: frozenset[str]
    figures: frozenset[str]

    @property
    def size(self) -> int:
        return len(self.names) + len(self.figures)


def _figure(token: str) -> str:
    return re.sub(r"[.,]", "", token).lstrip("0") or "0"


def _capitalised_next(tokens: list[str], n: int) -> bool:
    return n + 1 < len(tokens) and tokens[n + 1][0].isupper()


def cjk_facts(body: str) -> Facts:
    """Names and figures of a Chinese text, which has no capitals: the two characters before a place suffix
    (古晋市 -> 古晋, 加帛省 -> 加帛), after an honorific (拿督 X, 丹斯里 X) and before a verb of saying
    (X表示, X指出): different stories of one stock format differ in exactly these slots (docs/languages.md)."""
    body = CJK_DATELINE.sub("", body, count=1)
    names = {m.group(m.lastindex) for m in CJK_NAME.finditer(body)} - CJK_NOT_NAMES
    figures = {_figure(t) for t in NUMBER.findall(body)}
    return Facts(frozenset(names), frozenset(figures))


def facts(text: str) -> Facts:
    """The names and figures of a text (boilerplate lines and the dateline left out)."""
    from newscrawl.store.neardup import is_boilerplate_line  # one rule for wording and facts (imported late: a cycle)

    lines = [line for line in (text or "").splitlines() if line.strip() and not is_boilerplate_line(line)]
    body = unicodedata.normalize("NFKC", "\n".join(lines))
    if cjk_share(body) >= CJK_TEXT_SHARE:
        return cjk_facts(body)
    body = DATELINE.sub("", body, count=1)
    lower_words = {t for t in TOKEN.findall(body) if t.islower()}
    names, figures = set(), set()
    sentences = [TOKEN.findall(s) for s in SENTENCE_END.split(body)]
    mid_sentence = {t.casefold() for tokens in sentences for t in tokens[1:] if t[0].isupper()}
    for tokens in sentences:
        for n, token in enumerate(tokens):
            if token[0].isdigit():
                figures.add(_figure(token))
                continue
            if not token[0].isupper():
                continue
            word = token.casefold()
            if word in NOT_NAMES or word in lower_words:
                continue
            if n == 0 and not _capitalised_next(tokens, n) and word not in mid_sentence:
                continue  # "Initial investigations...", "Witnesses are asked...": capitalised by position only
            names.add(word)
    return Facts(frozenset(names), frozenset(figures))


def overlap(a: frozenset[str], b: frozenset[str]) -> float | None:
    """|a & b| / min(|a|, |b|); None when either is empty (nothing to agree or disagree on)."""
    if not a or not b:
        return None
    return len(a & b) / min(len(a), len(b))


def _missing_names(a: frozenset[str], b: frozenset[str]) -> int:
    return min(len(a), len(b)) - len(a & b)


def _missing(a: frozenset[str], b: frozenset[str]) -> int:
    """How many figures of the smaller set the other lacks, a rounded one (within ROUNDING) counting as there."""
    small, other = (a, b) if len(a) <= len(b) else (b, a)
    big = [int(x) for x in other - small if len(x) >= 3]
    return sum(1 for x in small - other
               if not (len(x) >= 3 and any(abs(int(x) - y) <= ROUNDING * max(int(x), y) for y in big)))


@dataclass(frozen=True)
class Verdict:
    """Why two texts are (or are not) one story: the wording and the facts they share."""

    same: bool
    score: float  # 0..1: the weaker of the names and figures agreements (wording alone: the Jaccard)
    jaccard: float
    names: float | None
    figures: float | None
    shared_names: tuple[str, ...] = field(default=())
    shared_figures: tuple[str, ...] = field(default=())
    only_names: tuple[str, ...] = field(default=())  # in one text only (both directions)
    only_figures: tuple[str, ...] = field(default=())
    reason: str = ""

    def as_dict(self) -> dict:
        return {"same": self.same, "score": round(self.score, 3), "jaccard": round(self.jaccard, 3),
                "names": None if self.names is None else round(self.names, 3),
                "figures": None if self.figures is None else round(self.figures, 3),
                "shared_names": list(self.shared_names), "shared_figures": list(self.shared_figures),
                "only_names": list(self.only_names), "only_figures": list(self.only_figures),
                "reason": self.reason}


@dataclass(frozen=True)
class Rule:
    """The decision's thresholds (NEWSCRAWL_NEARDUP_* settings)."""

    min_jaccard: float = DEFAULT_MIN_JACCARD
    min_names: float = DEFAULT_MIN_NAMES
    min_figures: float = DEFAULT_MIN_FIGURES

    @property
    def wording_only(self) -> bool:
        """min_names = min_figures = 0: the rule of earlier versions (Jaccard alone), kept as the baseline."""
        return not (self.min_names or self.min_figures)

    def decide(self, jaccard: float, a: Facts, b: Facts) -> Verdict:
        names, figures = overlap(a.names, b.names), overlap(a.figures, b.figures)
        detail = {"shared_names": tuple(sorted(a.names & b.names)),
                  "shared_figures": tuple(sorted(a.figures & b.figures)),
                  "only_names": tuple(sorted(a.names ^ b.names)),
                  "only_figures": tuple(sorted(a.figures ^ b.figures))}
        if self.wording_only:
            return Verdict(jaccard >= self.min_jaccard, jaccard, jaccard, names, figures, **detail,
                           reason="wording only")
        if min(a.size, b.size) < MIN_FACTS:
            return Verdict(jaccard >= self.min_jaccard, jaccard, jaccard, names, figures, **detail,
                           reason="few names or figures: wording alone")
        agreement = [v for v in (names, figures) if v is not None]
        score = min(agreement, default=jaccard)
        if jaccard < self.min_jaccard:
            same, reason = False, "too little shared wording"
        elif names is not None and names < self.min_names and _missing_names(a.names, b.names) > NAME_SLACK:
            same, reason = False, "different names"
        elif figures is not None and figures < self.min_figures and _missing(a.figures, b.figures) > FIGURE_SLACK:
            same, reason = False, "different figures"
        else:
            same, reason = True, "shared wording, names and figures"
        return Verdict(same, score, jaccard, names, figures, **detail, reason=reason)
