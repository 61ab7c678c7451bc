"""Article language: the page's declaration checked against its text (py3langid), as ISO 639-1 codes.

Iban, which Utusan Borneo prints on its own pages, has no ISO 639-1 code and py3langid has no Iban model: it is
``iba`` (ISO 639-3), decided by the outlet's hint for the section (``language_sections``) or, for text the
detector calls Malay/Indonesian, by the share of its words that are frequent Iban words Malay does not use
(``IBAN_WORDS``; measured on Malay text in docs/languages.md).

Many Malaysian WordPress sites declare `en-US` (the theme's default) while writing in Malay, and Malay and
Indonesian are close enough that a detector alone confuses them on short texts. So: the declared value stands
when the text agrees with it or is too short to judge; a confident detection overrules it; between Malay and
Indonesian the outlet's own language (hint) or the declaration decides unless the detector is sure.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..text import length_for_minimum

# ISO 639-2/3 and legacy codes pages declare, mapped to ISO 639-1
_TO_639_1 = {"eng": "en", "msa": "ms", "may": "ms", "zsm": "ms", "zlm": "ms", "ind": "id", "in": "id", "zho": "zh",
             "chi": "zh", "cmn": "zh", "wuu": "zh", "yue": "zh", "tam": "ta", "iw": "he", "ji": "yi", "jw": "jv"}
NEAR = {"ms": "id", "id": "ms"}  # pairs a detector confuses
IBAN = "iba"  # ISO 639-3: Iban has no 639-1 code
# Frequent Iban function words and common words that are not Malay words (nor Malay spellings): "enggau" (with),
# "ngagai" (to), "nadai"/"ukai" (not), "laban" (because), "ngambi" (so that), "sida" (they), "iya" (he, she),
# "nuan" (you), "kitai" (we), "diatu" (now), "mayuh" (many), "tauka" (or), "bisi" (there is), "ti" (which),
# "ba" (at), "nya" (that), "sereta" (and), "ngena" (using), "empai" (not yet), "menua" (country)...
IBAN_WORDS = frozenset("""
enggau ngagai nadai ukai laban ngambi sida iya nuan kitai diatu mayuh tauka bisi ti ba nya sereta ngena empai
menua pengawa raban bansa dikena deka nitih ninting nyadi nyau tang kena maya ari lalu baru kami ku aku
bulih sekula rumah panjai tuai pemansang gawa kemari pagila sebedau udah ditu dia nama pia tu ke
""".split()) - frozenset("kena maya lalu baru kami ku aku rumah nama tu ke dia udah".split())
IBAN_MIN_SHARE = 0.06  # of a text's words; Malay text measured at most 0.012, Iban text at 0.1+ (docs/languages.md)
MIN_CHARS = 200        # less text than this: the declaration stands
SAMPLE_CHARS = 4000    # the detector reads this much (its verdict is stable long before; cost stays flat)
OVERRULE_PROB = 0.9    # a detection this sure overrules a different declaration
NEAR_PROB = 0.98       # ...and this sure between Malay and Indonesian


def iso639_1(code: str | None) -> str | None:
    """'en-US' / 'EN_gb' / 'eng' / 'msa' -> 'en' / 'en' / 'en' / 'ms'; 'iba' stays 'iba'; None for anything else."""
    if not code or not isinstance(code, str):
        return None
    base = re.split(r"[-_]", code.strip().lower())[0]
    base = _TO_639_1.get(base, base)
    return base if re.fullmatch(r"[a-z]{2}", base) or base == IBAN else None


def iban_share(text: str) -> float:
    """Share of the text's words that are in IBAN_WORDS."""
    words = re.findall(r"[^\W\d_]+", text[:SAMPLE_CHARS].casefold())
    return sum(w in IBAN_WORDS for w in words) / len(words) if words else 0.0


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str) -> list[tuple[str, float]]:
    """[(ISO 639-1 code, probability)] best first; languages without a 639-1 code are left out."""
    ranked: dict[str, float] = {}
    for code, prob in _identifier().rank(text[:SAMPLE_CHARS])[:8]:
        iso = iso639_1(code)
        if iso:
            ranked[iso] = ranked.get(iso, 0.0) + float(prob)
    return sorted(ranked.items(), key=lambda kv: -kv[1])


def decide(declared: str | None, text: str, outlet_language: str | None = None) -> str:
    """The article's language from its declaration, its text and the outlet's language (see module docstring)."""
    found = _decide(declared, text, outlet_language)
    if found in NEAR or found == IBAN:  # Malay-like: Iban when the outlet says so or its words show it
        if IBAN in (iso639_1(outlet_language), iso639_1(declared)) or (
                length_for_minimum(text) >= MIN_CHARS and iban_share(text) >= IBAN_MIN_SHARE):
            return IBAN
        return found if found != IBAN else "ms"
    return found


def _decide(declared: str | None, text: str, outlet_language: str | None = None) -> str:
    declared, outlet_language = iso639_1(declared), iso639_1(outlet_language)
    if declared == IBAN or outlet_language == IBAN:  # the detector knows no Iban: judge it as the Malay it resembles
        declared = "ms" if declared == IBAN else declared
        outlet_language = "ms" if outlet_language == IBAN else outlet_language
    prior = declared or outlet_language
    if length_for_minimum(text) < MIN_CHARS:  # a CJK character counts as the share of a word it is
        return prior or "en"
    ranked = detect(text)
    if not ranked:
        return prior or "en"
    best, prob = ranked[0]
    near = dict(ranked)
    if best in NEAR:  # Malay and Indonesian judged together first, then told apart
        group = prob + near.get(NEAR[best], 0.0)
        if prior not in (best, NEAR[best]):
            if group < OVERRULE_PROB:
                return prior or best
            prior = outlet_language if outlet_language in (best, NEAR[best]) else None
        if prior is None or prior == best:
            return best
        return best if prob >= NEAR_PROB else prior  # the declaration or outlet stands unless the text is sure
    if prior is None or best == prior:
        return best
    return best if prob >= OVERRULE_PROB else prior
