"""Text measures that work in every script the archive holds (Latin, Chinese), shared by every stage.

English and Malay separate words with spaces; Chinese (and Japanese kana) does not, so "a word" is a Latin word
or a single CJK character depending on the script. Three measures build on that:

* :func:`tokens`: Latin words as ``\\w+`` runs, each CJK character on its own. Word n-grams of these tokens are
  word n-grams in English and character n-grams in Chinese, so the near-duplicate shingles need no second scheme
  (and an English text gives exactly the tokens it gave before).
* :func:`word_count`: Latin words plus CJK characters / ``CJK_CHARS_PER_WORD``: what the minimum-words rules count.
* :func:`has_cjk` / :func:`cjk_share`: which script a text or a query is in (search routing, language checks).

``CJK_CHARS_PER_WORD`` = 1.8: jieba's segmentation of the two Chinese news pages of trafilatura's evaluation
corpus (xinhuanet.com, banyuetan.org) gives 1.79 and 1.84 Han characters per word (docs/languages.md).
"""

from __future__ import annotations

import re

# Han (CJK Unified Ideographs with extension A, compatibility ideographs), kana, and the supplementary-plane
# extensions. Hangul is left out: Korean separates words with spaces.
CJK_RANGES = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
CJK_CHAR = re.compile(f"[{CJK_RANGES}]")
TOKEN = re.compile(f"[{CJK_RANGES}]|(?:(?![{CJK_RANGES}])\\w)+")
CJK_CHARS_PER_WORD = 1.8


def has_cjk(text: str | None) -> bool:
    """Whether the text holds at least one CJK character."""
    return bool(text) and CJK_CHAR.search(text) is not None


def cjk_share(text: str | None) -> float:
    """CJK characters among the text's letters and digits (0.0 for no such characters)."""
    if not text:
        return 0.0
    cjk = len(CJK_CHAR.findall(text))
    other = sum(1 for c in text if c.isalnum()) - cjk
    return cjk / (cjk + other) if cjk + other else 0.0


def tokens(text: str) -> list[str]:
    """Latin (and other spaced-script) words as ``\\w+`` runs; each CJK character as a token of its own."""
    return TOKEN.findall(text)


def word_count(text: str | None) -> int:
    """Words of a text in any script: Latin words + CJK characters / CJK_CHARS_PER_WORD (rounded)."""
    if not text:
        return 0
    cjk = len(CJK_CHAR.findall(text))
    latin = len(TOKEN.findall(text)) - cjk
    return latin + round(cjk / CJK_CHARS_PER_WORD)


def words_in(toks: list[str]) -> int:
    """:func:`word_count` of an already tokenised text (the tokens of :func:`tokens`)."""
    cjk = sum(1 for t in toks if len(t) == 1 and CJK_CHAR.match(t))
    return len(toks) - cjk + round(cjk / CJK_CHARS_PER_WORD)


# An English or Malay word is this many characters with its space (measured on the English articles of the AEB
# set, docs/languages.md): a CJK character stands for CHARS_PER_LATIN_WORD / CJK_CHARS_PER_WORD characters when a
# length rule written in characters (NEWSCRAWL_MIN_TEXT_LENGTH) meets Chinese text.
CHARS_PER_LATIN_WORD = 6.1


def length_for_minimum(text: str | None) -> int:
    """The text's length in Latin-equivalent characters: a CJK character counts as the share of a word it is."""
    if not text:
        return 0
    cjk = len(CJK_CHAR.findall(text))
    return round(len(text) - cjk + cjk * CHARS_PER_LATIN_WORD / CJK_CHARS_PER_WORD)
