"""Article language: the page's declaration checked against its text (py3langid), as ISO 639-1 codes.

Many Malaysian WordPress sites declare `en-US` (the theme's default) while writing in Malay, and Malay and
Indonesian are close enough that a detector alone confuses them on short texts. So: the declared value stands
when the text agrees with it or is too short to judge; a confident detection overrules it; between Malay and
Indonesian the outlet's own language (hint) or the declaration decides unless the detector is sure.
"""

from __future__ import annotations

import re
from functools import lru_cache

# ISO 639-2/3 and legacy codes pages declare, mapped to ISO 639-1
_TO_639_1 = {"eng": "en", "msa": "ms", "may": "ms", "zsm": "ms", "zlm": "ms", "ind": "id", "in": "id", "zho": "zh",
             "chi": "zh", "cmn": "zh", "wuu": "zh", "yue": "zh", "tam": "ta", "iw": "he", "ji": "yi", "jw": "jv"}
NEAR = {"ms": "id", "id": "ms"}  # pairs a detector confuses
MIN_CHARS = 200        # less text than this: the declaration stands
SAMPLE_CHARS = 4000    # the detector reads this much (its verdict is stable long before; cost stays flat)
OVERRULE_PROB = 0.9    # a detection this sure overrules a different declaration
NEAR_PROB = 0.98       # ...and this sure between Malay and Indonesian


def iso639_1(code: str | None) -> str | None:
    """'en-US' / 'EN_gb' / 'eng' / 'msa' -> 'en' / 'en' / 'en' / 'ms'; None for anything else."""
    if not code or not isinstance(code, str):
        return None
    base = re.split(r"[-_]", code.strip().lower())[0]
    base = _TO_639_1.get(base, base)
    return base if re.fullmatch(r"[a-z]{2}", base) else None


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
    declared, outlet_language = iso639_1(declared), iso639_1(outlet_language)
    prior = declared or outlet_language
    if len(text) < MIN_CHARS:
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
